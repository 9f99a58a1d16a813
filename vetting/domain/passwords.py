"""The password policy: long enough, not a common password, not built on the user's own name.

The common passwords are ``vetting/data/common-passwords.txt`` (the 10,000 most common, from the
``passwords`` list zxcvbn ships; provenance in the file's header) plus a few Swedish ones of our
own, since the list was ranked on mostly English-speaking leaks. NIST SP 800-63B 5.1.1.2 asks a
verifier to refuse passwords found in breach corpora, dictionary words, repetitive or sequential
characters and context-specific words (the user name); length alone let "password1234" through.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from .message import _l

from .errors import InvalidInput

# Common in Swedish (the seasons, "lösenord", greetings), which the English-ranked list lacks.
SWEDISH_COMMON = ("lösenord", "losenord", "sommar", "vinter", "hösten", "hosten", "våren", "hejsan", "hemligt",
                  "välkommen", "valkommen", "sverige", "stockholm", "göteborg", "malmö", "kalle", "qwertyuiopå")
# Digits and signs people add around a word to pass a length or "one digit" rule.
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_FEWEST_DISTINCT = 5


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list (lower case), read once."""
    text = files("vetting").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    words = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(words | set(SWEDISH_COMMON))


def _is_sequence(text: str) -> bool:
    """True for a run like "123456789012", "abcdefghijkl" or "aaaabbbbcccc": (nearly) every character
    the same as, or next to, the one before."""
    pairs = list(zip(text, text[1:]))
    return bool(pairs) and sum(abs(ord(b) - ord(a)) <= 1 for a, b in pairs) >= 0.8 * len(pairs)


def check_password(password: str, min_length: int, *, username: str = "", display_name: str = "") -> None:
    """Raise InvalidInput (field ``password``) for a password the policy refuses; the message says why."""
    password = password or ""
    if len(password) < min_length:
        raise InvalidInput(_l("The password must have at least %(n)s characters.", n=min_length), "password")
    folded = password.casefold()
    core = _DECORATION.sub("", folded)
    common = common_passwords()
    if folded in common or core in common or folded.replace(" ", "") in common:
        raise InvalidInput(_l("This password is among the most common passwords (also with digits or signs added). "
                              "Choose another, for example a few unrelated words."), "password")
    if len(set(folded)) < _FEWEST_DISTINCT or _is_sequence(folded):
        raise InvalidInput(_l("The password repeats too few characters or is a plain sequence. Choose another."),
                           "password")
    for own in (username, *display_name.split()):
        own = own.strip().casefold()
        if len(own) >= 4 and own in folded:
            raise InvalidInput(_l("The password must not contain your user name or name."), "password")
