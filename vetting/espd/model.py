"""What an ESPD response says, as typed values: the economic operator and each exclusion criterion's answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class EspdError(Exception):
    """The file is not an ESPD response this app can read; ``reason`` is a code the domain puts in words.

    Codes: ``too_large``, ``empty``, ``truncated``, ``malformed`` (not well-formed XML), ``encoding``, ``forbidden``
    (a DTD or entity declarations), ``not_espd``, ``request`` (the buyer's ESPD request, not a response),
    ``unknown_version``, ``no_operator``, ``no_criteria``.
    """

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason, params)
        self.reason = reason
        self.params = params


@dataclass(frozen=True, slots=True)
class Detail:
    """One further answer under a criterion: the question as the ESPD words it and the supplier's value."""

    question: str
    kind: str          # indicator, date, description, amount, quantity, period, code, url, identifier
    value: Any         # bool, "YYYY-MM-DD", text, {"amount": "1000.00", "currency": "EUR"}, {"start", "end"}


@dataclass(frozen=True, slots=True)
class Answer:
    """The supplier's answer to one exclusion criterion (``declared`` None when it left the question open)."""

    uuid: str
    code: str
    name: str
    ground: str
    indicator: str | None
    declared: bool | None
    details: tuple[Detail, ...] = ()

    def dates(self) -> tuple[str, ...]:
        """Every date the supplier gave under this criterion (conviction, decision, period start/end)."""
        out: list[str] = []
        for d in self.details:
            if d.kind == "date":
                out.append(d.value)
            elif d.kind == "period":
                out.extend(v for v in (d.value.get("start"), d.value.get("end")) if v)
        return tuple(out)

    def amounts(self) -> tuple[dict[str, str], ...]:
        """Every amount the supplier gave (e.g. the unpaid tax), with its currency."""
        return tuple(d.value for d in self.details if d.kind == "amount")

    def descriptions(self) -> tuple[str, ...]:
        """The free texts the supplier wrote under this criterion."""
        return tuple(d.value for d in self.details if d.kind == "description" and d.value)


@dataclass(frozen=True, slots=True)
class EconomicOperator:
    """The supplier the ESPD speaks for."""

    name: str
    identifiers: tuple[str, ...]
    country: str | None


@dataclass(frozen=True)
class EspdResponse:
    """A parsed ESPD response: its version, the procedure it answers, the operator and the exclusion answers."""

    version: str                 # "2.1.1", "3.3.0", "4.1.0"
    profile: str | None          # 2.1.1: "Basic" or "Extended"
    document_id: str | None
    contract_folder_id: str | None
    issued: str | None           # YYYY-MM-DD
    operator: EconomicOperator
    answers: tuple[Answer, ...] = field(default_factory=tuple)

    def by_ground(self) -> dict[str, tuple[Answer, ...]]:
        """The answers grouped by LOU ground key ("13:1", "13:2", "13:3p2", ...)."""
        out: dict[str, list[Answer]] = {}
        for a in self.answers:
            out.setdefault(a.ground, []).append(a)
        return {k: tuple(v) for k, v in out.items()}
