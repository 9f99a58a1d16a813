"""The agency's risk-indicator model (riskbedömningsmodell): model data, rules, evaluation and scoring."""
from .evaluate import (GRAPH_FACTS, PROCUREMENT_FACTS, Assessment, CaseFacts, IndicatorResult, Question, evaluate,
                       questions)
from .indicators import FIRED, INSUFFICIENT, NOT_FIRED, RULES, Fact, Facts, RuleCall, RuleResult
from .model import Indicator, Model, ModelError, RiskIndustry, Text, Thresholds, load_default_model, load_model
from .score import LEVELS, ExclusionGround, Score, score

__all__ = ["FIRED", "GRAPH_FACTS", "INSUFFICIENT", "LEVELS", "NOT_FIRED", "PROCUREMENT_FACTS", "RULES", "Assessment",
           "CaseFacts", "ExclusionGround", "Fact", "Facts", "Indicator", "IndicatorResult", "Model", "ModelError",
           "Question", "RiskIndustry", "RuleCall", "RuleResult", "Score", "Text", "Thresholds", "evaluate",
           "load_default_model", "load_model", "questions", "score"]
