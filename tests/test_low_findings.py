"""Finding 10 (low): what a user types by mistake does not end up in the audit log, URLs or logs."""
from __future__ import annotations


def test_a_password_typed_into_the_user_name_box_is_not_kept(client, accounts, db):
    client.post("/login", data={"username": "Vinter2026!hemligt", "password": "x"})
    dump = "".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))
    dump += "".join(str(tuple(r)) for r in db.execute("SELECT * FROM login_attempts"))
    assert "Vinter2026!hemligt" not in dump and "vinter2026!hemligt" not in dump
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'").fetchone()[0] == 1


def test_a_known_user_names_failures_are_still_recorded_by_name(client, accounts, db):
    client.post("/login", data={"username": "reviewer", "password": "wrong"})
    assert db.execute("SELECT username FROM login_attempts").fetchone()[0] == "reviewer"


def test_a_personnummer_typed_into_a_list_filter_leaves_the_address_at_once(login_as):
    client = login_as("procurement_officer")
    for url in ("/organisations/?q=19700312-1238", "/procurements/?q=700312-1238", "/search/?q=197003121238"):
        response = client.get(url)
        assert response.status_code == 303 and "1238" not in response.headers["Location"], url
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "1238" not in page


def test_an_organisation_number_in_a_filter_is_searched_as_usual(login_as, create_org):
    create_org(name="Norrlands Bygg AB", identifier_type="se_orgnr", identifier="5566778899")
    page = login_as("procurement_officer").get("/organisations/?q=556677-8899")
    assert page.status_code == 200 and "Norrlands Bygg AB" in page.get_data(as_text=True)


def test_a_risk_assessment_needs_the_organisation_to_take_part(db, accounts, create_org, create_procurement):
    import pytest

    from vetting.domain import risk
    from vetting.domain.audit import SYSTEM
    from vetting.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        risk.assess(db, SYSTEM, create_procurement(), create_org())
    assert db.execute("SELECT count(*) FROM risk_assessments").fetchone()[0] == 0


def test_a_line_break_in_a_reason_does_not_break_the_notification_mail(sent_mail):
    from vetting import mail

    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 25, "MAIL_FROM": "vetting@example.org",
                "PUBLIC_URL": "http://127.0.0.1:5000"}
    assert mail.send(settings, "a@example.org", "CP3 avslogs: saknar\r\nBcc: x@example.org", "text", "/x")
    assert sent_mail[0]["Subject"] == "CP3 avslogs: saknar Bcc: x@example.org" and sent_mail[0]["Bcc"] is None
