"""Evidence per ground: the seam through which sources (the risk assessment, the supplier's ESPD) show what a
ground's facts rest on, on the case page and in the report.

``evidence_for(db, procurement_id, organisation_id)`` returns ``{indicator id: [item, ...]}``. An item is a dict:
``source`` ("assessment", "espd", ...), ``label`` (words for the officer, may be None), ``ref`` (an evidence
reference such as "outcome:12", rendered by the vocabulary's ``evidence_label``), and optionally ``answer``
("yes"/"no"), ``description``, ``dates`` (ISO dates), ``amount``, ``document`` (``{"name", "sha256"}``).
Each provider is a ``"module:function"`` under ``vetting.domain`` taking ``(db, procurement_id,
organisation_id)`` and returning that mapping. The ESPD's provider reads ``domain/espd.py answers_for`` (the
supplier's answer to each exclusion criterion, with the ESPD file as evidence); an answer is filed under the
indicator it feeds, or under its ground code ("13:3:7") when it feeds none. ESPD items carry ``declared``
(True/False/None) and ``lang`` "en" (the criterion's name as the ESPD has it).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

import sqlite_utils

from ...store import risk as risk_store

PROVIDERS: tuple[str, ...] = ("exclusion.evidence:assessment_evidence", "exclusion.evidence:espd_evidence")


def assessment_evidence(db: sqlite_utils.Database, procurement_id: int,
                        organisation_id: int) -> dict[str, list[dict[str, Any]]]:
    """What the newest risk assessment's indicator read: its evidence references, per indicator."""
    assessment = risk_store.latest_assessment(db, procurement_id, organisation_id)
    out: dict[str, list[dict[str, Any]]] = {}
    for result in (assessment or {}).get("results") or []:
        if result.get("state") == "fired":
            out[result["id"]] = [{"source": "assessment", "label": None, "ref": ref} for ref in result.get("evidence") or []]
    return out


def espd_evidence(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, list[dict[str, Any]]]:
    """The newest ESPD's answers, per indicator (or ground code), each with the ESPD file as its evidence."""
    from ..espd import answers_for

    out: dict[str, list[dict[str, Any]]] = {}
    for ground, answers in answers_for(db, procurement_id, organisation_id).items():
        for a in answers:
            key = a.indicator or ground.replace("p", ":")  # "13:3p7" → "13:3:7", the codes of grounds.py
            out.setdefault(key, []).append({
                "source": "espd", "label": a.name, "lang": "en", "declared": a.declared, "ref": a.evidence,
                "description": "; ".join(a.descriptions) or None, "dates": list(dict.fromkeys(a.dates)),
                "document": {"name": "ESPD", "sha256": a.sha256}})
    return out


def evidence_for(db: sqlite_utils.Database, procurement_id: int, organisation_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every provider's evidence for the party's grounds, merged per indicator id."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for provider in PROVIDERS:
        module, function = provider.split(":")
        found = getattr(import_module(f"vetting.domain.{module}"), function)(db, procurement_id, organisation_id)
        for indicator, items in found.items():
            merged.setdefault(indicator, []).extend(items)
    return merged
