"""ASVS 1.2.1 / 1.1.2 / 3.2.2: every free-text value, typed in or fetched, renders inert on every page showing it.

Each case stores markup in ONE field and checks ONE page: the page must hold no script, event handler or
``javascript:`` URL (what a browser would run) AND must show the stored text exactly (so the case cannot
pass by the page simply not showing the field). Removing Jinja's autoescaping, or adding ``|safe`` or
``Markup()`` to a value, makes these fail.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from checks import Finding, Outcome, Status
from conftest import PASSWORD
from vetting.domain import checkpoints, followup, manual, organisations, procurements, screening, users, workflow
from vetting.domain.audit import SYSTEM, Actor
from vetting.store import checkpoints as checkpoint_store
from vetting.store import followup as followup_store
from vetting.store import write_transaction

from .helpers import inspect_html, sign_in

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
JS_PAYLOAD = "javascript:alert(1)//" + PAYLOAD
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALL_ROLES = ["procurement_officer", "security_officer", "reviewer", "auditor", "admin"]


@dataclass
class World:
    """The test database and who acts in it."""

    db: Any
    accounts: dict[str, int]

    def actor(self, role: str) -> Actor:
        return Actor(self.accounts[role], role, frozenset({role}))

    def procurement(self, **values: Any) -> int:
        data = {"reference": "UH-2026-0001", "title": "Städtjänster", "phase": "need"}
        data.update(values)
        return procurements.create(self.db, SYSTEM, data)

    def organisation(self, **values: Any) -> int:
        data = {"name": "Norrlands Bygg AB", "country": "SE", "address": "Storgatan 1"}
        data.update(values)
        return organisations.create(self.db, SYSTEM, data)

    def checkpoint(self, procurement_id: int, template_id: str) -> int:
        return next(c["id"] for c in checkpoint_store.for_procurement(self.db, procurement_id)
                    if c["template_id"] == template_id)

    def outcome(self, organisation_id: int, check_id: str, outcome: Outcome) -> int:
        subject = screening.subject_of(self.db, "organisation", organisation_id)
        return screening.store_outcome(self.db, SYSTEM, subject, screening.all_checks()[check_id], outcome)


CP0 = {"security_sensitive": "no", "access_needed": "no", "control_level": "basic"}


def _match(**overrides: Any) -> dict[str, Any]:
    match = {"list": "un", "listed_id": "QDi.1", "listed_name": "Listed Person", "matched_name": "Listed Person",
             "query_name": "Norrlands Bygg AB", "list_version": "2026-01-01", "score": 0.85, "level": "possible_match",
             "entry_hash": "abc", "programmes": ["ISIL"],
             "features": [{"feature": "name", "value": 0.85, "weight": 1.0, "contribution": 0.85, "explanation": "x"}]}
    match.update(overrides)
    return match


# --- one setup per field: store PAYLOAD in that field only; return the ids the page URLs need -------------

def procurement_title(w: World) -> dict[str, Any]:
    p = w.procurement(title=JS_PAYLOAD)
    return {"p": p, "cp": w.checkpoint(p, "CP0")}


def procurement_description(w: World) -> dict[str, Any]:
    return {"p": w.procurement(description=JS_PAYLOAD)}


def procurement_reference(w: World) -> dict[str, Any]:
    p = w.procurement(reference=PAYLOAD, phase="signed")
    batch = followup.start_batch(w.db, SYSTEM, "recheck", f"Re-check {PAYLOAD}", [], p)
    return {"p": p, "cp": w.checkpoint(p, "CP0"), "batch": batch}


def procurement_category(w: World) -> dict[str, Any]:
    return {"p": w.procurement(category=JS_PAYLOAD)}


def organisation_name(w: World) -> dict[str, Any]:
    o = w.organisation(name=JS_PAYLOAD)
    p = w.procurement()
    procurements.add_participant(w.db, SYSTEM, p, o, "bidder")
    person = organisations.add_key_person(w.db, SYSTEM, o, {"name": "Lars Öberg", "role": "ceo",
                                                             "birth_date": "1970-03-12"})
    person_id = w.db.execute("SELECT person_id FROM key_roles WHERE id = ?", [person]).fetchone()[0]
    return {"o": o, "p": p, "person": person_id}


def organisation_address(w: World) -> dict[str, Any]:
    return {"o": w.organisation(address=JS_PAYLOAD)}


def person_name(w: World) -> dict[str, Any]:
    o = w.organisation()
    p = w.procurement()
    procurements.add_participant(w.db, SYSTEM, p, o, "bidder")
    role = organisations.add_key_person(w.db, SYSTEM, o, {"name": JS_PAYLOAD, "role": "ceo", "birth_date": "1970"})
    person_id = w.db.execute("SELECT person_id FROM key_roles WHERE id = ?", [role]).fetchone()[0]
    return {"o": o, "p": p, "person": person_id}


def decision_reason(w: World) -> dict[str, Any]:
    p = w.procurement()
    cp = w.checkpoint(p, "CP0")
    checkpoints.prepare(w.db, w.actor("procurement_officer"), cp, CP0)
    checkpoints.sign(w.db, w.actor("security_officer"), cp, "rejected", JS_PAYLOAD)
    return {"p": p, "cp": cp}


def decision_conditions(w: World) -> dict[str, Any]:
    p = w.procurement()
    cp = w.checkpoint(p, "CP0")
    checkpoints.prepare(w.db, w.actor("procurement_officer"), cp, CP0)
    checkpoints.sign(w.db, w.actor("security_officer"), cp, "approved_with_conditions", "OK", JS_PAYLOAD)
    return {"p": p, "cp": cp}


def checkpoint_answer(w: World) -> dict[str, Any]:
    p = w.procurement()
    cp = checkpoints.open_event(w.db, SYSTEM, p, "party_changed", {"name": "Norrlands Bygg AB"})[0]
    checkpoints.prepare(w.db, w.actor("reviewer"), cp, {"action": "none", "assessment": JS_PAYLOAD})
    return {"p": p, "cp": cp}


def checkpoint_document_name(w: World) -> dict[str, Any]:
    p = w.procurement(protection_level="sua1")
    cp = w.checkpoint(p, "CP1")
    doc = manual.clean_document(PAYLOAD + ".pdf", PDF)
    checkpoints.prepare(w.db, w.actor("security_officer"), cp, {"subcontractor_clauses": "yes"},
                        {"security_analysis": doc})
    return {"p": p, "cp": cp}


def extension_reason(w: World) -> dict[str, Any]:
    p = w.procurement(phase="signed")
    return {"p": p, "cp": workflow.extend(w.db, w.actor("procurement_officer"), p, JS_PAYLOAD)[0]}


def reveal_reason(w: World) -> dict[str, Any]:
    o = w.organisation()
    organisations.add_key_person(w.db, SYSTEM, o, {"name": "Lars Öberg", "role": "ceo", "personnummer": "197003121238"})
    organisations.reveal_personnummer(w.db, w.actor("security_officer"), 1, JS_PAYLOAD)
    return {}


def removal_reason(w: World) -> dict[str, Any]:
    o, p = w.organisation(), w.procurement()
    participant = procurements.add_participant(w.db, SYSTEM, p, o, "bidder")
    procurements.remove_participant(w.db, w.actor("procurement_officer"), participant, JS_PAYLOAD)
    return {}


def override_reason(w: World) -> dict[str, Any]:
    o = w.organisation()
    outcome = w.outcome(o, "gleif", Outcome(Status.ERROR, reason="register down"))
    from four_eyes import confirmed

    confirmed(w.db, checkpoints.override_error(w.db, w.actor("security_officer"), outcome, JS_PAYLOAD))
    return {"o": o}


def register_error_reason(w: World) -> dict[str, Any]:
    o = w.organisation()
    w.outcome(o, "gleif", Outcome(Status.ERROR, reason=JS_PAYLOAD))
    return {"o": o}


def register_finding(w: World) -> dict[str, Any]:
    o = w.organisation()
    w.outcome(o, "gleif", Outcome(Status.CLEAR, findings=(Finding("lei.legal_name", JS_PAYLOAD, JS_PAYLOAD),)))
    return {"o": o}


def listed_name(w: World) -> dict[str, Any]:
    o = w.organisation()
    w.outcome(o, "sanctions", Outcome(Status.POSSIBLE_MATCH,
                                      explanation=(_match(listed_name=JS_PAYLOAD, matched_name=JS_PAYLOAD),)))
    return {"o": o}


def match_reason(w: World) -> dict[str, Any]:
    o = w.organisation()
    outcome = w.outcome(o, "sanctions", Outcome(Status.POSSIBLE_MATCH, explanation=(_match(),)))
    screening.decide(w.db, w.actor("security_officer"), outcome, "un", "QDi.1", "dismissed", JS_PAYLOAD)
    return {"o": o}


def manual_note(w: World) -> dict[str, Any]:
    o = w.organisation(identifier_type="se_orgnr", identifier="5566778899")
    manual.record_answer(w.db, SYSTEM, "organisation", o, "se.skatteverket",
                         {"f_skatt": "yes", "vat_registered": "yes", "employer_registered": "yes", "tax_arrears": "0",
                          "reply_date": "2026-01-02", "note": JS_PAYLOAD})
    return {"o": o}


def _contract_with_alert(w: World, detail: str = "Status changed") -> tuple[int, int]:
    o = w.organisation()
    p = w.procurement(phase="signed")
    procurements.add_participant(w.db, SYSTEM, p, o, "awarded")
    followup.set_schedule(w.db, SYSTEM, p, "medium", {"FOLLOWUP_INTERVAL_MONTHS": ("high=3", "medium=6", "low=12")})
    outcome = w.outcome(o, "gleif", Outcome(Status.CLEAR))
    with write_transaction(w.db):
        alert = followup_store.insert_alert(w.db, procurement_id=p, subject_kind="organisation", subject_id=o,
                                            check_id="gleif", outcome_id=outcome, previous_outcome_id=None,
                                            kind="status_changed", detail=detail)
    return p, int(alert or 0)


def review_conclusion(w: World) -> dict[str, Any]:
    p, _alert = _contract_with_alert(w)
    followup.review(w.db, w.actor("reviewer"), p, JS_PAYLOAD)
    return {"p": p}


def alert_note(w: World) -> dict[str, Any]:
    p, alert = _contract_with_alert(w)
    followup.handle_alert(w.db, w.actor("reviewer"), alert, JS_PAYLOAD)
    return {"p": p}


def alert_detail(w: World) -> dict[str, Any]:
    p, _alert = _contract_with_alert(w, JS_PAYLOAD)
    return {"p": p}


def user_display_name(w: World) -> dict[str, Any]:
    user = users.create_user(w.db, SYSTEM, username="officer2", password=PASSWORD, roles=["procurement_officer"],
                             display_name=JS_PAYLOAD, hash_method="pbkdf2:sha256:1000")
    p = w.procurement(responsible_user_id=user)
    return {"p": p, "user": user}


P, O = "/procurements/{p}", "/organisations/{o}"
CASES: list[tuple[Callable[[World], dict[str, Any]], str, list[str]]] = [
    (procurement_title, "everyone", ["/", "/procurements/", P, P + "/edit", "/checkpoints/{cp}",
                                     "/checkpoints/procurement/{p}/timeline"]),
    (procurement_description, "everyone", [P, P + "/edit"]),
    (procurement_reference, "everyone", ["/", "/procurements/", P, "/checkpoints/{cp}", "/checkpoints/",
                                         "/checkpoints/procurement/{p}/timeline", "/followup/", "/followup/contracts/{p}",
                                         "/followup/batches/{batch}"]),
    (procurement_category, "everyone", [P, P + "/edit"]),
    (organisation_name, "everyone", ["/organisations/", O, O + "/edit", P, "/persons/{person}",
                                     "/screening/organisation/{o}"]),
    (organisation_address, "everyone", [O, O + "/edit"]),
    (person_name, "everyone", [O, P, "/persons/{person}", "/screening/person/{person}"]),
    (decision_reason, "everyone", ["/checkpoints/{cp}", "/checkpoints/procurement/{p}/timeline"]),
    (decision_reason, "procurement_officer", ["/checkpoints/notifications"]),
    (decision_conditions, "everyone", ["/checkpoints/{cp}"]),
    (checkpoint_answer, "everyone", ["/checkpoints/{cp}"]),
    (checkpoint_document_name, "everyone", ["/checkpoints/{cp}"]),
    (extension_reason, "everyone", ["/checkpoints/{cp}"]),
    (reveal_reason, "everyone", ["/audit/"]),
    (removal_reason, "everyone", ["/audit/"]),
    (override_reason, "everyone", ["/screening/organisation/{o}"]),
    (register_error_reason, "everyone", ["/screening/organisation/{o}"]),
    (register_finding, "everyone", ["/screening/organisation/{o}"]),
    (listed_name, "everyone", ["/screening/organisation/{o}", "/screening/review"]),
    (match_reason, "everyone", ["/screening/organisation/{o}"]),
    (manual_note, "everyone", ["/screening/organisation/{o}"]),
    (review_conclusion, "everyone", ["/followup/contracts/{p}"]),
    (alert_note, "everyone", ["/followup/contracts/{p}"]),
    (alert_detail, "everyone", ["/followup/", "/followup/contracts/{p}"]),
    (user_display_name, "everyone", ["/admin/users", "/admin/users/{user}", P, "/procurements/new"]),
    (user_display_name, "officer2", ["/"]),
]
# Fields too short for the ``javascript:`` prefix (references: 60 characters) get the plain payload.
SHORT_FIELDS = (procurement_reference, checkpoint_document_name)
PARAMS = [pytest.param(setup, who, url, id=f"{setup.__name__}-{who}-{url}")
          for setup, who, urls in CASES for url in urls]


@pytest.fixture
def world(db, accounts) -> World:
    users.create_user(db, SYSTEM, username="everyone", password=PASSWORD, roles=ALL_ROLES, display_name="Alla Roller",
                      hash_method="pbkdf2:sha256:1000")
    return World(db, accounts)


def _assert_inert_and_shown(html: str, value: str) -> None:
    page = inspect_html(html)
    assert page.active == []
    assert page.shows(value)


@pytest.mark.parametrize("setup, who, url", PARAMS)
def test_stored_markup_renders_inert(client, world, setup, who, url):
    ids = setup(world)
    sign_in(client, who)
    response = client.get(url.format(**ids))
    assert response.status_code == 200
    _assert_inert_and_shown(response.get_data(as_text=True), PAYLOAD if setup in SHORT_FIELDS else JS_PAYLOAD)


# --- values that come back in the response to a request (reflected), not from the database ---------------

def test_search_term_is_reflected_inert(client, world):
    sign_in(client, "everyone")
    _assert_inert_and_shown(client.get("/organisations/", query_string={"q": JS_PAYLOAD}).get_data(as_text=True),
                            JS_PAYLOAD)


def test_audit_filter_is_reflected_inert(client, world):
    sign_in(client, "everyone")
    _assert_inert_and_shown(client.get("/audit/", query_string={"actor": JS_PAYLOAD}).get_data(as_text=True), JS_PAYLOAD)


def test_user_name_typed_at_sign_in_is_reflected_inert(client, world):
    response = sign_in(client, JS_PAYLOAD, "wrong password")
    _assert_inert_and_shown(response.get_data(as_text=True), JS_PAYLOAD)


def test_flash_message_with_a_new_organisations_name_is_inert(client, world):
    sign_in(client, "everyone")
    response = client.post("/organisations/new", data={"name": JS_PAYLOAD, "country": "SE"}, follow_redirects=True)
    _assert_inert_and_shown(response.get_data(as_text=True), JS_PAYLOAD)


def _upload(client, content: bytes, filename: str = "leverantorer.csv"):
    return client.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def test_import_preview_shows_file_values_inert(client, world):
    sign_in(client, "everyone")
    csv = f"namn;land\n{JS_PAYLOAD};SE\n".encode()
    _assert_inert_and_shown(_upload(client, csv).get_data(as_text=True), JS_PAYLOAD)


def test_import_preview_shows_rejected_row_values_inert(client, world):
    sign_in(client, "everyone")
    csv = f"namn;land\n{JS_PAYLOAD};Ingenstans\n".encode()
    _assert_inert_and_shown(_upload(client, csv).get_data(as_text=True), JS_PAYLOAD)


def test_import_preview_shows_the_file_name_inert(client, world):
    sign_in(client, "everyone")
    name = "<img src=x onerror=alert(1)>.csv"
    _assert_inert_and_shown(_upload(client, "namn;land\nAB;SE\n".encode(), name).get_data(as_text=True), name)


def test_markup_in_a_stored_value_is_escaped_not_stripped(client, world):
    """The officer sees exactly what was typed (nothing silently removed), as text."""
    o = world.organisation(name="Bygg <AB> & Söner \"Nord\"")
    sign_in(client, "everyone")
    html = client.get(f"/organisations/{o}").get_data(as_text=True)
    assert "Bygg &lt;AB&gt; &amp; Söner" in html

