"""Name matching for sanctions screening: normalisation, candidate index, features, scoring."""
from .features import Feature, NameComparison, compare_names, token_similarity
from .index import NameIndex
from .normalise import NormalisedName, normalise_name, normalise_text, phonetic_key
from .score import THRESHOLDS, WEIGHTS, Match, Query, Thresholds, compare, explain, screen

__all__ = [
    "Feature", "Match", "NameComparison", "NameIndex", "NormalisedName", "Query", "THRESHOLDS",
    "Thresholds", "WEIGHTS", "compare", "compare_names", "explain", "normalise_name", "normalise_text",
    "phonetic_key", "screen", "token_similarity",
]
