"""The ESPD (European Single Procurement Document): parse a supplier's ESPD-EDM response and map its criteria."""
from __future__ import annotations

from .criteria import CRITERIA, GROUNDS, Criterion, criterion_of
from .model import Answer, Detail, EconomicOperator, EspdError, EspdResponse
from .parse import MAX_BYTES, SUPPORTED_VERSIONS, parse

__all__ = ["CRITERIA", "GROUNDS", "MAX_BYTES", "SUPPORTED_VERSIONS", "Answer", "Criterion", "Detail",
           "EconomicOperator", "EspdError", "EspdResponse", "criterion_of", "parse"]
