"""CPV codes (Common Procurement Vocabulary, Regulation (EC) 213/2008): eight digits and a check digit.

The check digit the EU publishes is, for almost every code, the sum of the eight digits weighted 3, 7, 1,
3, 7, 1, 3, 7, modulo 10 (45000000-7, 90910000-9, 79710000-4). A few groups were renumbered in the 2008
revision and kept check digits that do not follow the rule (the Publications Office confirmed the error
and will not correct it); within such a group every code is off by the same amount, so a table of those
groups keeps the published digits valid. The published list is the authority, not the formula.
"""
from __future__ import annotations

import re

from .errors import InvalidInput
from .message import _l

_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)
_CODE = re.compile(r"(\d{8})(?:\s*-\s*(\d))?")
# Group (first three digits) → what the published check digits add to the rule, modulo 10. Read from the
# CPV 2008 list: 03300000-2, 03310000-5 (033); 03400000-4, 03410000-7 (034); 09100000-0, 09200000-1,
# 09300000-2 and every code under them (091, 092, 093).
_GROUP_CORRECTION = {"033": 8, "034": 9, "091": 6, "092": 6, "093": 6}


def check_digit(digits: str) -> int:
    """The check digit of an eight-digit CPV code as the EU publishes it."""
    if not (len(digits) == 8 and digits.isdigit()):
        raise ValueError(digits)
    weighted = sum(int(d) * w for d, w in zip(digits, _WEIGHTS))
    return (weighted + _GROUP_CORRECTION.get(digits[:3], 0)) % 10


def clean_cpv(raw: str | None, field: str = "cpv_code") -> str | None:
    """A CPV code as ``NNNNNNNN-N`` (or ``NNNNNNNN`` when typed without one); a wrong check digit is refused.

    :param raw: what the user typed ("45000000-7", "45000000", "45000000 - 7")
    :param field: the form field an error concerns
    """
    text = (raw or "").strip()
    if not text:
        return None
    match = _CODE.fullmatch(text)
    if not match:
        raise InvalidInput(_l("“%(value)s” is not a CPV code: 8 digits, a hyphen and a check digit, e.g. 45000000-7.",
                              value=text[:20]), field)
    digits, given = match.group(1), match.group(2)
    expected = check_digit(digits)
    if given is not None and int(given) != expected:
        raise InvalidInput(_l("The check digit of CPV code %(code)s is %(expected)s, not %(given)s: check the code.",
                              code=digits, expected=expected, given=given), field)
    # Without a check digit the code is kept as typed: completing it would state a digit nobody checked.
    return digits if given is None else f"{digits}-{given}"
