"""Checkpoint templates CP0–CP12, read from data (vetting/data/checkpoints.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES_FILE = Path(__file__).resolve().parent.parent / "data" / "checkpoints.toml"
APPLIES = ("always", "protected", "sua1", "protected_or_risk")
CRITERIA = ("bidders_registered", "all_screened", "no_open_matches", "no_unresolved_errors", "awarded_selected",
            "subcontractors_screened", "followup_set", "screened_since_award", "risk_assessed")
FIELD_KINDS = ("bool", "text", "choice", "document")


@dataclass(frozen=True)
class TemplateField:
    name: str
    kind: str
    label: dict[str, str]
    choices: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class Template:
    """What a checkpoint is about, who prepares and who signs it, what it gates and requires."""

    id: str
    name: dict[str, str]
    description: dict[str, str]
    owner: str
    preparer: str
    signer: str
    gates: str | None
    event: str | None
    applies_when: str
    due_days: int
    criteria: tuple[str, ...]
    fields: tuple[TemplateField, ...]
    joint_review: bool = False  # required whenever a party's triage says "joint review"

    def applies(self, procurement: dict[str, Any], value_threshold: int) -> bool:
        """Whether the procurement needs this checkpoint (by protection level, risk industry and value)."""
        level = procurement.get("protection_level") or "none"
        if self.joint_review and procurement.get("joint_review"):
            return True
        if self.applies_when == "always":
            return True
        if self.applies_when == "protected":
            return level != "none"
        if self.applies_when == "sua1":
            return level == "sua1"
        value = procurement.get("estimated_value") or 0
        if any(procurement.get(k) for k in ("security_sensitive", "access_needed", "raised_control")):
            return True  # CP0 found the activity security-sensitive or access needed
        return level != "none" or bool(procurement.get("risk_industry")) or value >= value_threshold


class TemplateError(ValueError):
    """The templates file is not valid; the message names the template and the problem."""


@lru_cache(maxsize=1)
def load() -> tuple[dict[str, Template], int]:
    """All templates by id, and the value threshold; validated once."""
    data = tomllib.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    templates: dict[str, Template] = {}
    for raw in data["templates"]:
        tid = raw["id"]
        if tid in templates:
            raise TemplateError(f"{tid}: duplicate id")
        if raw["applies_when"] not in APPLIES:
            raise TemplateError(f"{tid}: unknown applies_when {raw['applies_when']!r}")
        unknown = set(raw.get("criteria", ())) - set(CRITERIA)
        if unknown:
            raise TemplateError(f"{tid}: unknown criteria {sorted(unknown)}")
        fields = tuple(TemplateField(f["name"], f["kind"], f["label"], tuple(f.get("choices", ())),
                                     bool(f.get("optional", False)))
                       for f in raw.get("fields", ()))
        if any(f.kind not in FIELD_KINDS for f in fields):
            raise TemplateError(f"{tid}: unknown field kind")
        templates[tid] = Template(tid, raw["name"], raw["description"], raw["owner"], raw["preparer"], raw["signer"],
                                  raw.get("gates"),
                                  raw.get("event"), raw["applies_when"], int(raw.get("due_days", 14)),
                                  tuple(raw.get("criteria", ())), fields, bool(raw.get("joint_review", False)))
    return templates, int(data.get("value_threshold", 1_000_000))


def templates() -> dict[str, Template]:
    """Templates by id."""
    return load()[0]


def value_threshold() -> int:
    """Contract value (SEK) from which CP5 and CP7 apply to unprotected procurements."""
    return load()[1]


def gating(phase: str) -> list[Template]:
    """Templates that gate entry into a phase."""
    return [t for t in templates().values() if t.gates == phase]


def for_event(event: str) -> list[Template]:
    """Templates opened by an event (party_added, party_changed, extension, periodic)."""
    return [t for t in templates().values() if t.event == event]
