"""Follow-up: a newer annual report during the contract is a change; new or departed signers and figures that
cross the model's limits raise the alert like any other change, the same report read again raises nothing."""
from __future__ import annotations

from datetime import date

from checks.annual_reports import AnnualReportsCheck
from annual_report_server import FIXTURES, FakeBolagsverket, package, run_check, single
from vetting.domain import procurements, screening
from vetting.domain.audit import SYSTEM
from vetting.store import followup as store

K2 = (FIXTURES / "k2-2017_wolters-kluwer.xhtml").read_text(encoding="utf-8")
EQUITY = 'name="se-gen-base:EgetKapital" unitRef="SEK" decimals="INF" scale="0" format="ixt:numspacecomma">1 285 303'


def report_arrives(db, org: int, doc: str, xhtml: str) -> list:
    fake = FakeBolagsverket()
    fake.listing = (200, single(doc, "2019-12-31", "2020-07-02"))
    fake.document(doc, package(("report.xhtml", xhtml.encode())))
    outcome = run_check(fake, "5566778899", date(2020, 10, 1), subject_id=org)
    subject = screening.subject_of(db, "organisation", org)
    before = {a["id"] for a in store.alerts(db)}
    screening.store_outcome(db, SYSTEM, subject, AnnualReportsCheck(), outcome)  # change detection runs here
    return [a for a in store.alerts(db) if a["id"] not in before]


def test_a_new_report_with_other_signers_and_consumed_equity_raises_alerts(app, db, create_org, create_procurement):
    pid = create_procurement(title="Byggtjänster")
    org = create_org(name="Fixturbygg AB", identifier_type="se_orgnr", identifier="5566778899")
    procurements.add_participant(db, SYSTEM, pid, org, "awarded")
    db.execute("UPDATE procurements SET phase = 'signed' WHERE id = ?", [pid])
    assert report_arrives(db, org, "a_paket", K2) == []
    assert report_arrives(db, org, "a_paket", K2) == []  # the same report read again: no change
    newer = K2.replace("Testström", "Nyström").replace(EQUITY, EQUITY.replace(">1 285 303", ' sign="-">1 285 303'))
    raised = report_arrives(db, org, "b_paket", newer)
    # Stored as codes and parameters; worded when shown, in the reader's language.
    from flask_babel import force_locale

    from vetting.vocabulary import change_text

    with app.test_request_context(), force_locale("en"):
        details = sorted(change_text(a["detail"]).striptags() for a in raised)
    with app.test_request_context(), force_locale("sv"):
        swedish = sorted(change_text(a["detail"]).striptags() for a in raised)
    assert "Ny undertecknare av årsredovisningen: Simon Nyström" in swedish
    assert "Årsredovisning: negativt eget kapital" in swedish
    assert {a["procurement_id"] for a in raised} == {pid}
    assert "New signer of the annual report: Simon Nyström" in details
    assert "No longer signs the annual report: Simon Testström" in details
    assert "Annual report: negative equity" in details
    assert any(d.startswith("CO-07 ") for d in details)
