"""Screening against every loaded sanctions, debarment and PEP list (UN, OFAC, EU, UK, OpenSanctions, World Bank,
EBRD, IDB)."""
from __future__ import annotations

import json
from typing import Any

from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject
from .errors import SourceUnavailable
from .listmatch import ListMatch

DEBARMENT_LISTS = frozenset({"worldbank", "ebrd", "idb"})


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
        "debarment.listed": "The subject is debarred by a development bank (World Bank, EBRD, IDB).",
        "debarment.possible_match": "A debarred party resembles the subject; an officer must review it.",
        "pep.match": "The subject resembles a politically exposed person: a risk signal for the deepened check.",
    }

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """Screen the subject; status is the most serious level among matches not dismissed before.

        An expired debarment is shown (``expired`` in the explanation) but not matched as current;
        a politically exposed person (PEP) is a risk signal (finding ``pep.match``), not a hit.
        """
        versions = ctx.lists.versions() if ctx.lists is not None else []
        if not versions:
            raise SourceUnavailable("No sanctions or debarment list is loaded; import the lists first.",
                                    code="no_lists_loaded")
        dismissed = set(ctx.inputs.get("dismissed", ()))
        matches: list[ListMatch] = ctx.lists.screen(subject)
        today = ctx.now().date().isoformat()
        evidence_index = {v["source"]: i for i, v in enumerate(versions)}
        findings: list[Finding] = []
        explanation: list[dict[str, Any]] = []
        levels: set[str] = set()
        for match in matches:
            was_dismissed = (match.list, match.listed_id, match.entry_hash) in dismissed
            expired = match.expired(today)
            explanation.append({**match.as_record(), "dismissed_before": was_dismissed, "expired": expired,
                                "pep": match.pep})
            if was_dismissed or expired:
                continue
            value = {"list": match.list, "listed_id": match.listed_id, "score": match.score}
            detail = f"{match.listed_name} ({match.list} {match.listed_id}), score {match.score:.2f}"
            evidence = evidence_index.get(match.list, 0)
            named = {"listed_name": match.listed_name}  # what the reader is shown; the app words the rest
            if match.pep:
                findings.append(Finding("pep.match", {**value, "level": match.level}, detail, evidence, named))
                continue
            levels.add(match.level)
            family = "debarment" if match.list in DEBARMENT_LISTS else "sanctions"
            code = f"{family}.listed" if match.level == "hit" else f"{family}.possible_match"
            findings.append(Finding(code, value, detail, evidence, named))
        status = Status.HIT if "hit" in levels else Status.POSSIBLE_MATCH if levels else Status.CLEAR
        return Outcome(status, tuple(findings), tuple(self._evidence(versions, matches, ctx)), None, tuple(explanation))

    @staticmethod
    def _evidence(versions: list[dict[str, Any]], matches: list[ListMatch], ctx: CheckContext) -> list[Evidence]:
        """One piece per list version consulted; the body holds the listed entries that matched from it."""
        out = []
        for version in versions:
            matched = [m.entry for m in matches if m.list == version["source"]]
            about = (version["source"], version["published"], version.get("published_basis"), version["sha256"],
                     version["record_count"])
            if matched:
                body, digest = _body(about, matched)
            else:  # most subjects match nothing on a list: that piece is the same for all of them, written once
                found = _NOTHING_MATCHED.get(about)
                if found is None:
                    if len(_NOTHING_MATCHED) >= 256:
                        _NOTHING_MATCHED.clear()
                    found = _NOTHING_MATCHED[about] = _body(about, [])
                body, digest = found
            out.append(Evidence(source=version["source"], fetched_at=ctx.now(), sha256=digest, body=body,
                                list_version=version["published"] or version["sha256"][:12],
                                media_type="application/json"))
        return out


# The evidence body of a list version on which the subject matched nothing, by the version's described fields.
_NOTHING_MATCHED: dict[tuple[Any, ...], tuple[bytes, str]] = {}


def _body(about: tuple[Any, ...], matched: list[Any]) -> tuple[bytes, str]:
    """The evidence body of one list version (``about``: source, published, basis, sha256, records) and its digest."""
    source, published, basis, sha256, records = about
    body = json.dumps({"list": source, "published": published, "published_basis": basis, "list_sha256": sha256,
                       "records": records, "matched_entries": matched}, ensure_ascii=False, sort_keys=True).encode()
    return body, Evidence.digest(body)
