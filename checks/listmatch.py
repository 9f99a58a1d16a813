"""``ListMatch``: one listed entry that resembles a subject, as ``ListIndex.screen`` returns it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ListMatch:
    """A candidate match from a sanctions, debarment or PEP list, scored and explained.

    :param list: the list's source key (``un``, ``ofac-sdn``, ``worldbank``, ``ebrd``...).
    :param level: ``hit`` or ``possible`` (from the configured thresholds).
    :param entry_hash: fingerprint of the listed entry's content; a decision holds while it is unchanged.
    :param entry: the listed entry as published (a dict of ``ListEntry`` fields), kept as evidence.
    :param weak_alias: the matched name is an alias the publisher marks as weak.
    :param corroborated: a birth date, identifier or country agrees, not only the name.
    :param valid_until: last day of a debarment, None when indefinite or not a debarment.
    :param topics: what the entry is about beyond sanctions (``role.pep`` for a politically exposed person).
    """

    list: str
    listed_id: str
    listed_name: str
    listed_kind: str
    matched_name: str
    query_name: str
    score: float
    level: str
    entry_hash: str
    explanation: str
    list_version: str | None = None
    programmes: tuple[str, ...] = ()
    features: tuple[dict[str, Any], ...] = ()
    entry: dict[str, Any] = field(default_factory=dict)
    weak_alias: bool = False
    corroborated: bool = False
    valid_until: str | None = None
    topics: tuple[str, ...] = ()

    @property
    def pep(self) -> bool:
        """True when the entry is a politically exposed person rather than a sanctioned party."""
        return any(t == "role.pep" or t.startswith("role.pep") for t in self.topics)

    def expired(self, today: str) -> bool:
        """True when the debarment ended before ``today`` (ISO date): shown as expired, not matched as current."""
        return bool(self.valid_until) and str(self.valid_until) < today

    def as_record(self) -> dict[str, Any]:
        """The match as stored in an outcome's explanation (every field but the entry itself)."""
        return {"list": self.list, "list_version": self.list_version, "listed_id": self.listed_id,
                "listed_name": self.listed_name, "listed_kind": self.listed_kind, "matched_name": self.matched_name,
                "query_name": self.query_name, "score": self.score, "level": self.level,
                "programmes": list(self.programmes), "features": [dict(f) for f in self.features],
                "explanation": self.explanation, "entry_hash": self.entry_hash, "weak_alias": self.weak_alias,
                "corroborated": self.corroborated, "valid_until": self.valid_until, "topics": list(self.topics)}
