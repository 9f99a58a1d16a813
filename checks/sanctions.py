"""Screening against every loaded sanctions and debarment list (UN, OFAC, EU, UK, OpenSanctions, World Bank)."""
from __future__ import annotations

import json
from typing import Any

from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import SourceUnavailable

DEBARMENT_LISTS = frozenset({"worldbank"})


class SanctionsCheck(Check):
    """Every name of the subject against every active list version; explains each match."""

    id = "sanctions"
    version = "1"
    name = {"sv": "Sanktions- och uteslutningslistor", "en": "Sanctions and debarment lists"}
    applies_to = frozenset({"organisation", "person"})
    STATUSES = frozenset({Status.CLEAR, Status.POSSIBLE_MATCH, Status.HIT})
    FINDINGS = {
        "sanctions.listed": "The subject is on a sanctions list (a hit above the upper threshold).",
        "sanctions.possible_match": "A listed party resembles the subject; an officer must review it.",
        "debarment.listed": "The subject is debarred by a development bank (World Bank).",
        "debarment.possible_match": "A debarred party resembles the subject; an officer must review it.",
    }

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """Screen the subject; status is the most serious level among matches not dismissed before."""
        if ctx.lists is None or not ctx.lists.versions():
            raise SourceUnavailable("No sanctions or debarment list is loaded; import the lists first.")
        versions = ctx.lists.versions()
        dismissed = set(ctx.inputs.get("dismissed", ()))
        matches = ctx.lists.screen(subject)
        evidence_index = {v["source"]: i for i, v in enumerate(versions)}
        findings: list[Finding] = []
        explanation: list[dict[str, Any]] = []
        levels: set[str] = set()
        for match in matches:
            was_dismissed = (match["list"], match["listed_id"], match["entry_hash"]) in dismissed
            explanation.append({**{k: v for k, v in match.items() if k != "entry"}, "dismissed_before": was_dismissed})
            if was_dismissed:
                continue
            levels.add(match["level"])
            family = "debarment" if match["list"] in DEBARMENT_LISTS else "sanctions"
            code = f"{family}.listed" if match["level"] == "hit" else f"{family}.possible_match"
            findings.append(Finding(code, {"list": match["list"], "listed_id": match["listed_id"],
                                           "score": match["score"]},
                                    f"{match['listed_name']} ({match['list']} {match['listed_id']}), score "
                                    f"{match['score']:.2f}", evidence_index.get(match["list"], 0)))
        status = Status.HIT if "hit" in levels else Status.POSSIBLE_MATCH if levels else Status.CLEAR
        return Outcome(status, tuple(findings), tuple(self._evidence(versions, matches, ctx)), None, tuple(explanation))

    @staticmethod
    def _evidence(versions: list[dict[str, Any]], matches: list[dict[str, Any]], ctx: CheckContext) -> list[Evidence]:
        """One piece per list version consulted; the body holds the listed entries that matched from it."""
        out = []
        for version in versions:
            matched = [m["entry"] for m in matches if m["list"] == version["source"]]
            body = json.dumps({"list": version["source"], "published": version["published"],
                               "list_sha256": version["sha256"], "records": version["record_count"],
                               "matched_entries": matched}, ensure_ascii=False, sort_keys=True).encode()
            out.append(Evidence(source=version["source"], fetched_at=ctx.now(), sha256=Evidence.digest(body), body=body,
                                list_version=version["published"] or version["sha256"][:12],
                                media_type="application/json"))
        return out
