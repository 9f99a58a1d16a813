"""Method secrecy (metodsekretess): explanations without thresholds, limits, weights or multipliers.

The rules (indicators.py) and the score (score.py) explain themselves with the limit they applied,
and that text is stored with the assessment. Roles that may not see the method are shown the same
text with those parts cut out: what fired and the value that made it fire, not where the limit
lies. The patterns follow the wording those two modules write; tests/test_method_secrecy.py reads
real assessments through them.
"""
from __future__ import annotations

import re

_NUMBER = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"
_CUTS = (
    # count_at_least "(limit 5)", greater_than/less_than "(above 0)" / "(not below 730)"
    (re.compile(rf" \((?:limit|above|not above|below|not below) {_NUMBER}\)"), ""),
    # ratio_below ", limit 0.5 × contract.value = 100000"
    (re.compile(rf", limit {_NUMBER} × [\w.]+ = {_NUMBER}"), ""),
    # price_below_median ": below 0.7 × bids.median = 700; not below ..." -> the comparisons go
    (re.compile(rf"(?:: |; )(?:below|not below) {_NUMBER} × [\w.]+ = {_NUMBER}"), ""),
    # score: "Score 12 = 8 × 1.5 (...); deepened check from 10, joint review from 20. Level: X."
    (re.compile(r"^(?:Poäng|Score) [^;]*; [^.]*\. (Nivå|Level): "), r"\1: "),
    # a fired indicator's points: "(high, 3 points)"
    (re.compile(rf" \(([^,()]+), {_NUMBER} (?:poäng|points)\)"), r" (\1)"),
    (re.compile(r"mer än modellens gräns \d+ %"), "mer än modellen tillåter"),
    (re.compile(r"more than the model's limit of \d+ %"), "more than the model allows"),
)


def without_method(text: str | None) -> str:
    """The explanation with every threshold, limit, weight and multiplier cut out."""
    result = text or ""
    for pattern, replacement in _CUTS:
        result = pattern.sub(replacement, result)
    return result
