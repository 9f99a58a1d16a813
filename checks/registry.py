"""Discovery of checks: the built-ins listed here plus entry points in the group ``vetting.checks``."""
from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from .contract import Check

BUILTIN_CHECKS = ("checks.sanctions:SanctionsCheck", "checks.brreg:BrregCheck", "checks.gleif:GleifCheck",
                  "checks.vies:ViesCheck", "checks.companies_house:CompaniesHouseCheck",
                  "checks.bolagsverket:BolagsverketCheck", "checks.arbetsmiljoverket:ArbetsmiljoverketCheck",
                  "checks.annual_reports:AnnualReportsCheck")
ENTRY_POINT_GROUP = "vetting.checks"


class InvalidCheck(RuntimeError):
    """An entry point or built-in does not name a usable Check class."""


def _load(reference: str) -> Any:
    module_name, _, attr = reference.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _validate(obj: Any, origin: str) -> type[Check]:
    if not (isinstance(obj, type) and issubclass(obj, Check)):
        raise InvalidCheck(f"Invalid check {origin!r}: not a Check subclass")
    for attribute in ("id", "name", "applies_to"):
        if not hasattr(obj, attribute):
            raise InvalidCheck(f"Invalid check {origin!r}: missing {attribute}")
    return obj


def discover(include_entry_points: bool = True, extra: tuple[Any, ...] = ()) -> dict[str, Check]:
    """Instances of every check by id; a duplicate id or a bad entry point is an error naming it."""
    found: dict[str, Check] = {}
    sources: list[tuple[str, Any]] = [(ref, _load(ref)) for ref in (*BUILTIN_CHECKS, *_manual())]
    if include_entry_points:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                sources.append((f"{ep.name} = {ep.value}", ep.load()))
            except Exception as exc:  # an installed plugin that cannot be imported must not pass silently
                raise InvalidCheck(f"Invalid check entry point {ep.name!r}: {exc}") from exc
    sources.extend((repr(obj), obj) for obj in extra)
    for origin, obj in sources:
        cls = _validate(obj, origin)
        if cls.id in found:
            raise InvalidCheck(f"Invalid check {origin!r}: id {cls.id!r} is already used")
        found[cls.id] = cls()
    return found


def _manual() -> tuple[str, ...]:
    from .manual import MANUAL_CHECKS

    return (*MANUAL_CHECKS, "checks.company_facts_form:CompanyFactsCheck")
