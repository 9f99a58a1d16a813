"""Issue 16 item 6: a personnummer reveal answers its POST with a redirect, so reloading the page (or going
back to it) does not reveal again; each reveal is audited once, and the number is never in an address."""
from __future__ import annotations

import pytest

from vetting.domain import organisations
from vetting.domain.audit import SYSTEM

PNR = "197003121238"
SHOWN = "19700312-1238"


@pytest.fixture
def person(db, create_org):
    organisations.add_key_person(db, SYSTEM, create_org(), {"name": "Lars Öberg", "role": "ceo", "personnummer": PNR})
    return db.execute("SELECT id FROM persons").fetchone()[0]


def _reveals(db):
    return db.execute("SELECT count(*) FROM audit_log WHERE action = 'person.reveal_personnummer'").fetchone()[0]


def test_the_post_redirects_and_the_next_page_shows_the_number_once(login_as, db, person):
    officer = login_as("security_officer")
    posted = officer.post(f"/persons/{person}/reveal", data={"reason": "Kontroll inför tilldelning"})
    assert posted.status_code == 303
    location = posted.headers["Location"]
    assert location.startswith(f"/persons/{person}") and "1238" not in location
    assert "1238" not in posted.get_data(as_text=True)
    shown = officer.get(location)
    assert SHOWN in shown.get_data(as_text=True) and shown.headers["Cache-Control"] == "no-store"
    reloaded = officer.get(location)
    assert SHOWN not in reloaded.get_data(as_text=True) and "19700312-****" in reloaded.get_data(as_text=True)
    assert _reveals(db) == 1


def test_each_reveal_is_audited_once(login_as, db, person):
    officer = login_as("security_officer")
    for reason in ("Första kontrollen", "Andra kontrollen"):
        assert SHOWN in officer.post(f"/persons/{person}/reveal", data={"reason": reason},
                                     follow_redirects=True).get_data(as_text=True)
    reasons = [r[0] for r in db.execute("SELECT reason FROM audit_log WHERE action = 'person.reveal_personnummer'"
                                        " ORDER BY id")]
    assert reasons == ["Första kontrollen", "Andra kontrollen"]


def test_an_old_session_cookie_cannot_show_it_again(app, login_as, db, person):
    """The ticket is used up in the database: replaying the cookie that carried it reveals nothing."""
    officer = login_as("security_officer")
    officer.post(f"/persons/{person}/reveal", data={"reason": "Kontroll"})
    cookie = officer.get_cookie("vetting_session")
    assert SHOWN in officer.get(f"/persons/{person}").get_data(as_text=True)
    officer.set_cookie("vetting_session", cookie.value)
    assert SHOWN not in officer.get(f"/persons/{person}").get_data(as_text=True)


def test_the_ticket_is_for_that_person_only(login_as, db, person, create_org):
    organisations.add_key_person(db, SYSTEM, create_org(), {"name": "Greta Ström", "role": "ceo",
                                                            "personnummer": "198112189876"})
    other = db.execute("SELECT id FROM persons WHERE name = 'Greta Ström'").fetchone()[0]
    officer = login_as("security_officer")
    officer.post(f"/persons/{person}/reveal", data={"reason": "Kontroll"})
    page = officer.get(f"/persons/{other}").get_data(as_text=True)
    assert "1238" not in page and "9876" not in page


def test_a_reveal_without_a_reason_is_refused_without_redirect(login_as, db, person):
    response = login_as("security_officer").post(f"/persons/{person}/reveal", data={"reason": ""})
    assert response.status_code == 400 and "1238" not in response.get_data(as_text=True) and _reveals(db) == 0
