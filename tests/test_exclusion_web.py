"""The exclusion case page: each ground with its limit, the communication, self-cleaning and the decision with its
deciders; a refused form comes back in Swedish with what was typed still there."""
from __future__ import annotations

import html
from datetime import date

import pytest
from conftest import require_pdf_tools
from exclusion_helpers import ground, officers, open_case, party

from vetting.domain import clock
from vetting.domain.exclusion import cases, communication
from vetting.store import exclusion as store


@pytest.fixture
def crime(db, accounts, create_org, create_procurement):
    officer, _security = officers(accounts)
    pid, org = party(db, officer, create_org, create_procurement)
    case = open_case(db, officer, pid, org, "EX-01")
    cases.record_ground_facts(db, officer, ground(db, case["id"], "EX-01")["id"], start_date=date(2024, 3, 1))
    return pid, org, case


def _page(client, pid, org):
    response = client.get(f"/exclusion/procurements/{pid}/organisations/{org}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_the_case_page_shows_the_ground_with_its_limit_and_the_law_of_the_hearing(login_as, crime):
    pid, org, _case = crime
    text = _page(login_as("reviewer"), pid, org)
    assert "Lagakraftvunnen dom för brott som anges i 13 kap. 1 § LOU" in text
    assert "Tidsgränsen löper ut 2029-03-01" in text or "1 mars 2029" in text
    hearing = text.split("Kommunikation med leverantören före uteslutning")[1].split("Självsanering (")[0]
    assert "Förvaltningslagen (2017:900)" in hearing and "13 kap. 5 §" not in hearing
    assert "Lars Öberg" in text and "verkställande direktör" in text  # the personkrets


def test_a_bad_communication_is_refused_in_swedish_and_keeps_the_text(db, login_as, crime):
    pid, org, case = crime
    client = login_as("procurement_officer")
    typed = "Vi avser att utesluta er på grund av domen.\nYttra er senast den 10 juni."
    prefix = f"communication{case['id']}-"
    response = client.post(f"/exclusion/cases/{case['id']}/communication",
                           data={prefix + "sent_on": "2026-06-10", prefix + "means": "email", prefix + "content": typed,
                                 prefix + "deadline": "2026-06-01"})
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert "Svarsfristen kan inte löpa ut före den dag kommunikationen skickades." in text
    assert typed in text
    assert store.communications(db, [case["id"]]) == []  # nothing recorded


def test_a_decision_before_the_hearing_is_refused_on_the_page_with_the_reasons_kept(login_as, crime):
    pid, org, case = crime
    client = login_as("procurement_officer")
    prefix = f"decision{case['id']}-"
    reasons = "Dom för bestickning 2024-03-01 mot vd.\nGrunden är obligatorisk."
    response = client.post(f"/exclusion/cases/{case['id']}/decision",
                           data={prefix + "outcome": "exclude", prefix + "reasons": reasons,
                                 prefix + "evidence": "Dom B 123-24"})
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert "Leverantören har inte fått yttra sig" in text
    assert reasons in text and "Dom B 123-24" in text


def test_a_prepared_decision_waits_for_the_second_person_and_then_shows_both(db, accounts, login_as, crime):
    from vetting.domain import foureyes

    pid, org, case = crime
    officer, security = officers(accounts)
    item = communication.send(db, officer, case["id"], date(2026, 5, 1), "email", "Dom 2024", date(2026, 5, 15))
    communication.reply(db, officer, item, date(2026, 5, 10), "Vi bestrider inte domen.", "Yttrande.pdf")
    client = login_as("procurement_officer")
    prefix = f"decision{case['id']}-"
    response = client.post(f"/exclusion/cases/{case['id']}/decision",
                           data={prefix + "outcome": "exclude", prefix + "reasons": "Dom för bestickning",
                                 prefix + "evidence": "Dom B 123-24"})
    assert response.status_code == 302
    text = _page(client, pid, org)
    assert "väntar på en andra persons bekräftelse" in text
    proposal = foureyes.waiting_for(db, security)[0]
    foureyes.confirm(db, security, proposal["id"], "Kontrollerat")
    text = _page(client, pid, org)
    decided = text.split("Uteslut leverantören")[1] if "Uteslut leverantören" in text else text
    assert "Gällande" in text and "procurement_officer" in decided and "security_officer" in decided


def test_self_cleaning_is_not_offered_on_the_page_for_unpaid_taxes(db, accounts, login_as, create_org,
                                                                    create_procurement):
    from vetting.domain import risk
    from vetting.store import risk as risk_store

    officer, _security = officers(accounts)
    pid, org = party(db, officer, create_org, create_procurement)
    case_id = risk_store.open_exclusion_case(db, risk.assess(db, officer, pid, org), pid, org, [])
    store.insert_ground(db, case_id, "EX-02", "13:2", "LOU 13:2", {"sv": "Obetalda skatter"}, None, "x")
    text = _page(login_as("procurement_officer"), pid, org)
    assert "Självsanering är inte möjlig för dessa grunder" in text
    assert f'action="/exclusion/cases/{case_id}/self-cleaning"' not in text
    assert "Betalning (13 kap. 2 § LOU)" in text  # payment is recorded instead


def test_the_page_today_is_the_domain_clock(login_as, crime):
    """The limit is computed against the domain's clock: frozen past the end, the ground is past its limit."""
    pid, org, _case = crime
    with clock.frozen(date(2029, 3, 2)):
        text = _page(login_as("reviewer"), pid, org)
    assert "Tidsgränsen har löpt ut: ingen grund" in text


def test_the_pdf_report_shows_the_ground_its_limit_the_communication_and_the_deciders(db, accounts, login_as, crime):
    import subprocess
    import tempfile

    from vetting.domain import foureyes
    from vetting.domain.exclusion import decisions

    pid, org, case = crime
    officer, security = officers(accounts)
    item = communication.send(db, officer, case["id"], date(2026, 5, 1), "email", "Dom 2024", date(2026, 5, 15))
    communication.reply(db, officer, item, date(2026, 5, 10), "Vi bestrider inte domen.", "")
    proposed = decisions.propose(db, officer, case["id"], "exclude", "Dom för bestickning", "Dom B 123-24")
    foureyes.confirm(db, security, proposed.proposal_id, "Kontrollerat")
    response = login_as("security_officer").get(f"/reports/procurements/{pid}.pdf")
    assert response.status_code == 200 and response.data[:4] == b"%PDF"
    require_pdf_tools("pdftotext")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(response.data)
        handle.flush()
        text = " ".join(subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
    assert "Lagakraftvunnen dom för brott som anges i 13 kap. 1 § LOU" in text
    assert "Tidsgränsen löper ut" in text and "Obligatorisk grund" in text
    assert "Skickat den" in text and "Svarsfrist" in text
    assert "Uteslut leverantören" in text
    assert "Beredd av procurement_officer, Beslutad av security_officer" in text


def test_the_espd_answers_are_the_evidence_of_their_ground(db, accounts, login_as, create_org, create_procurement):
    """The seam with the ESPD import: a declared conviction shows under EX-01 with the ESPD file as its evidence."""
    from pathlib import Path

    from vetting.domain import espd, procurements, risk

    officer, _security = officers(accounts)
    pid = create_procurement()
    org = create_org(name="Städbolaget Exempel AB", identifier_type="se_orgnr", identifier="5566778899")
    procurements.add_participant(db, officer, pid, org, "bidder")
    data = (Path(__file__).parent / "fixtures" / "espd" / "espd-4.1.0-declares-fraud-and-tax.xml").read_bytes()
    espd_id = espd.import_espd(db, officer, pid, org, "espd.xml", data)
    risk.assess(db, officer, pid, org)
    [case] = store.cases(db, pid, org)
    ex01 = ground(db, case["id"], "EX-01")
    text = _page(login_as("procurement_officer"), pid, org)
    row = text.split(f'id="ground-{ex01["id"]}"')[1].split("</tr>")[0]
    assert "ESPD" in row and "Fraud" in row  # the criterion as the ESPD names it (marked lang="en")
    assert f"espd:{espd_id}" not in row  # shown in words, not as a code
