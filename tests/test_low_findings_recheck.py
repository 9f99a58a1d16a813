"""Finding 10 re-checked end to end, each low finding through the app as a user meets it (the unit-level
tests are in test_low_findings.py): a personnummer in an export's address, a line break in a rejection reason
with e-mail on, a risk assessment for an organisation outside the procurement."""
from __future__ import annotations

import pytest

from vetting.domain import checkpoints
from vetting.domain.audit import Actor
from vetting.store import checkpoints as checkpoint_store

PNR = "19700312-1238"


@pytest.mark.parametrize("url", ["/reports/export/organisations.csv?q=" + PNR,
                                 "/reports/export/outcomes.xlsx?q=700312-1238",
                                 "/reports/export/audit.csv?actor=197003121238"])
def test_an_export_asked_for_with_a_personnummer_is_not_made_nor_audited_with_it(login_as, db, url):
    client = login_as("auditor" if "audit" in url else "procurement_officer")
    response = client.get(url)
    assert response.status_code == 303 and "1238" not in response.headers["Location"]
    exports = db.execute("SELECT count(*) FROM audit_log WHERE action = 'export.download'").fetchone()[0]
    dump = "".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))
    assert exports == 0 and "1238" not in dump


def test_a_line_break_in_a_rejection_reason_with_mail_on_saves_the_decision_and_answers(
        app, db, accounts, login_as, create_procurement, sent_mail):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=2525, MAIL_FROM="vetting@myndighet.example")
    db.execute("UPDATE users SET email = 'upphandlare@myndighet.example' WHERE id = ?",
               [accounts["procurement_officer"]])
    officer = Actor(accounts["procurement_officer"], "procurement_officer", frozenset({"procurement_officer"}))
    pid = create_procurement(protection_level="none", estimated_value=100_000)
    cp = next(c for c in checkpoint_store.for_procurement(db, pid) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp["id"], {"security_sensitive": "no", "access_needed": "no",
                                                 "control_level": "basic"})
    response = login_as("security_officer").post(f"/checkpoints/{cp['id']}/sign", data={
        "decision": "rejected", "reason": "Saknar svar om tillträde\r\nBcc: x@example.org\r\n\r\nKomplettera."})
    assert response.status_code in (302, 303)
    assert [d["decision"] for d in checkpoint_store.decisions(db, cp["id"])] == ["rejected"]
    assert sent_mail and all("\n" not in m["Subject"] and m["Bcc"] is None for m in sent_mail)


def test_a_risk_assessment_for_an_organisation_outside_the_procurement_is_refused_on_the_page(
        login_as, db, create_org, create_procurement):
    pid, org = create_procurement(), create_org()
    client = login_as("procurement_officer")
    rules = [r for r in client.application.url_map.iter_rules() if r.endpoint == "risk.assess"]
    assert rules, "the risk assessment route moved"
    url = rules[0].build({"procurement_id": pid, "organisation_id": org})[1]
    response = client.post(url, follow_redirects=True)
    assert response.status_code in (200, 400, 404) and response.status_code != 500
    assert db.execute("SELECT count(*) FROM risk_assessments").fetchone()[0] == 0
