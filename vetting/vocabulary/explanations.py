"""Match explanations (vetting/matching/features.py) in the reader's language.

The matcher explains each feature in an English sentence of a fixed shape; the stored explanation keeps it.
Each shape is matched here and said again in the reader's language with the same values (names, dates,
scores per locale). A sentence of a shape not listed is shown as it is, marked ``lang="en"``.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from markupsafe import Markup, escape

from .basic import country_name, score

FEATURES = {"name": _l("Name"), "common_name": _l("Common name"), "initials": _l("Initials"),
            "legal_form": _l("Legal form"), "birth_date": _l("Birth date"), "country": _l("Country"),
            "identifier": _l("Identifier"), "kind": _l("Kind of party"), "corroboration": _l("Corroboration")}
KINDS = {"person": _l("person"), "organisation": _l("organisation"), "vessel": _l("vessel"), "aircraft": _l("aircraft")}
_Q = r'(?P<{}>(?:"[^"]*"(?:, )?)+)'


def _score(text: str) -> str:
    return re.sub(r"(?<![\d.])(\d+\.\d+)(?![\d.])", lambda m: score(float(m.group(1))), text)


def _kind(word: str) -> str:
    return str(KINDS.get(word, word))


SHAPES: list[tuple[str, Any]] = [
    (r"The matching name parts are distinctive enough\.", lambda m: _("The matching name parts are distinctive enough.")),
    (r"No initials to compare\.", lambda m: _("No initials to compare.")),
    (r"Initial\(s\) (?P<i>.+) match no name part on the other side\.",
     lambda m: _("Initials %(initials)s match no name part on the other side.", initials=m["i"])),
    (r"Initial\(s\) (?P<i>.+) fit the other side's name parts\.",
     lambda m: _("Initials %(initials)s fit the other side's name parts.", initials=m["i"])),
    (r"The query is a person but the listed name is a company\.",
     lambda m: _("The subject is a person but the listed name is a company.")),
    (r"The query has a company form \((?P<f>.+)\) but the listed party is a person\.",
     lambda m: _("The subject has a company form (%(forms)s) but the listed party is a person.", forms=m["f"])),
    (r"Legal form not given on both sides\.", lambda m: _("Legal form not given on both sides.")),
    (r"Same legal form \((?P<f>.+)\)\.", lambda m: _("Same legal form (%(forms)s).", forms=m["f"])),
    (r"Compatible legal forms \((?P<f>.+)\)\.", lambda m: _("Compatible legal forms (%(forms)s).", forms=m["f"])),
    (r"Different kinds of company \((?P<f>.+)\)\.", lambda m: _("Different kinds of company (%(forms)s).", forms=m["f"])),
    (r"Birth date not given on both sides\.", lambda m: _("Birth date not given on both sides.")),
    (r"Birth date (?P<q>\S+) agrees with the listed (?P<l>.+)\.",
     lambda m: _("Birth date %(subject)s agrees with the listed %(listed)s.", subject=m["q"], listed=m["l"])),
    (r"Birth year (?P<y>\d+) agrees but month or day differ from (?P<l>.+)\.",
     lambda m: _("Birth year %(year)s agrees but month or day differ from %(listed)s.", year=m["y"], listed=m["l"])),
    (r"Birth date (?P<q>\S+) is a year off the listed (?P<l>.+)\.",
     lambda m: _("Birth date %(subject)s is a year off the listed %(listed)s.", subject=m["q"], listed=m["l"])),
    (r"Birth date (?P<q>\S+) contradicts the listed (?P<l>.+)\.",
     lambda m: _("Birth date %(subject)s contradicts the listed %(listed)s.", subject=m["q"], listed=m["l"])),
    (r"Country not given on both sides\.", lambda m: _("Country not given on both sides.")),
    (r"Country (?P<c>\w+) is among the listed countries\.",
     lambda m: _("Country %(country)s is among the listed countries.", country=_country(m["c"]))),
    (r"Country (?P<c>\w+) is not among the listed countries \((?P<l>.+)\)\.",
     lambda m: _("Country %(country)s is not among the listed countries (%(listed)s).", country=_country(m["c"]),
                 listed=", ".join(_country(c) for c in m["l"].split(", ")))),
    (r"Identical (?P<t>.+) number (?P<v>\S+)\.", lambda m: _("Identical number %(value)s (%(type)s).", value=m["v"], type=m["t"])),
    (r"No identifier in common \(people and companies have several\)\.",
     lambda m: _("No identifier in common (people and companies have several).")),
    (r"Identifiers not given on both sides\.", lambda m: _("Identifiers not given on both sides.")),
    (r"Kind of party not given on both sides\.", lambda m: _("Kind of party not given on both sides.")),
    (r"The query is a (?P<q>\w+) but the listed party is a (?P<l>\w+)\.",
     lambda m: _("The subject is a %(subject)s but the listed party is a %(listed)s.", subject=_kind(m["q"]),
                 listed=_kind(m["l"]))),
    (r"Both are of the same kind \((?P<k>\w+)\)\.", lambda m: _("Both are of the same kind (%(kind)s).", kind=_kind(m["k"]))),
    (r"Only common name parts match \((?P<p>.+?)\) and the (?P<side>listed name|query) has other parts \((?P<o>.+)\): "
     r"many people share such a name\.",
     lambda m: _("Only common name parts match (%(parts)s) and the listed name has other parts (%(others)s): many "
                 "people share such a name.", parts=m["p"], others=m["o"]) if m["side"] == "listed name" else
     _("Only common name parts match (%(parts)s) and the subject's name has other parts (%(others)s): many people "
       "share such a name.", parts=m["p"], others=m["o"])),
    # Issue 21: a hit needs corroboration, approximate birth dates, one nationality, common names alone.
    (r"Only the name matches: no birth date, nationality, identifier or address agrees, so this is at most a "
     r"possible match\.", lambda m: _("Only the name matches: no birth date, nationality, identifier or address "
                                      "agrees, so this is at most a possible match.")),
    (r"The matched name is an alias the publisher marks as weak, so this is at most a possible match\.",
     lambda m: _("The matched name is an alias the publisher marks as weak, so this is at most a possible match.")),
    (r"The name is common \((?P<p>.+?)\) and nothing else agrees: many people share such a name\.",
     lambda m: _("The name is common (%(parts)s) and nothing else agrees: many people share such a name.",
                 parts=m["p"])),
    (r"Birth date (?P<q>\S+) is within (?P<n>\d+) years of the listed approximate (?P<l>.+)\.",
     lambda m: _("Birth date %(subject)s is within %(years)s years of the listed approximate %(listed)s.",
                 subject=m["q"], years=m["n"], listed=m["l"])),
    (r"Nationality (?P<c>\w+) contradicts the listed person's only nationality (?P<l>\w+)\.",
     lambda m: _("Nationality %(country)s contradicts the listed person's only nationality %(listed)s.",
                 country=_country(m["c"]), listed=_country(m["l"]))),
    (r"Name parts compared: (?P<parts>.+?)(?: \((?P<extra>[^()]*)\))?; name similarity (?P<s>[\d.]+)\.", lambda m: _name(m)),
]
_COMPILED = [(re.compile(p + "$"), fn) for p, fn in SHAPES]


def _country(code: str) -> str:
    return country_name(code) if len(code) == 2 else code


def _name(m: re.Match[str]) -> str:
    parts = _score(m["parts"]).replace("no parts match", _("no parts match"))
    extra = m["extra"] or ""
    extra = extra.replace("listed name parts not in the query", _("listed name parts not in the subject's name"))
    extra = extra.replace("not in the listed name", _("not in the listed name"))
    tail = f" ({extra})" if extra else ""
    return _("Name parts compared: %(parts)s%(tail)s; name similarity %(score)s.", parts=parts, tail=tail,
             score=score(float(m["s"])))


def feature_name(code: str) -> str:
    """The feature's name in words."""
    return str(FEATURES.get(code, code.replace("_", " ")))


def explanation(text: str | None) -> Markup:
    """One feature's explanation in the reader's language."""
    if not text:
        return Markup("")
    for regex, fn in _COMPILED:
        m = regex.match(text)
        if m:
            return escape(fn(m))
    return Markup('<span lang="en">{}</span>').format(text)
