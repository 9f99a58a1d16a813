"""An identifier a register cannot be asked about, and a check that failed inside the app, are said in Swedish
(issue #19).

A legacy import can store an organisation with a number that is not well formed; "Screen now" must then say, in
the reader's language, that the identifier cannot be used to ask the register, show the identifier as it is (no
language), ask the register nothing, and keep the gate blocked (naming the check, not its id). A bug in a check
(it raises, or returns findings it never declared) is said in Swedish too. Outcomes stored as text before these
codes existed still read. The other reasons that reach these pages are covered too: every reason a check states
in so many words, a connection test's unreadable answer on the Registers page, an annual report that cannot be read.
"""
from __future__ import annotations

import ast
import html
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest

from checks import Check, CheckContext, Finding, Outcome, Status, Subject
from register_server import check_row
from vetting.domain.audit import SYSTEM
from vetting.domain.criteria import no_unresolved_errors
from vetting.store import outcomes as outcome_store

pytestmark = pytest.mark.registers  # the app asks the local register server (conftest: server)

REJECTED = "Identifieraren kan inte användas för att fråga registret"
FAILED = "Kontrollen misslyckades i det här systemet, inte hos registret"




def _legacy_organisation(app: Any, country: str, identifier_type: str, identifier: str) -> tuple[Any, int, int]:
    """An organisation stored with a number as a legacy import could (the store takes it as it is), in a
    procurement."""
    from vetting.db import connect
    from vetting.domain import procurements
    from vetting.store import organisations as org_store

    db = connect(app.config["DATABASE"])
    org = org_store.insert(db, {"name": "Gammal Import AS", "country": country, "identifier_type": identifier_type,
                                "identifier": identifier})
    procurement = procurements.create(db, SYSTEM, {"reference": "UH-2026-0002", "title": "Städtjänster"})
    procurements.add_participant(db, SYSTEM, procurement, org, "bidder")
    return db, org, procurement


@pytest.mark.parametrize("country, identifier, check_id, name, words", [
    ("NO", ("no_orgnr", "91234560"), "no.brreg", "Enhetsregisteret (Norge)",
     '<code lang="zxx">91234560</code> är inget norskt organisationsnummer'),
    ("GB", ("lei", "5493-00XZ"), "gleif", "GLEIF (LEI-registret)",
     '<code lang="zxx">5493-00XZ</code> är ingen giltig LEI-kod'),
    ("SE", ("vat", "SE55667788990!"), "eu.vies", "VIES (momsregistreringsnummer)",
     '<code lang="zxx">SE55667788990!</code> är inget momsregistreringsnummer som VIES kan frågas om'),
])
def test_a_malformed_identifier_is_said_in_swedish_and_blocks_the_gate(app, login_as, server, accounts, country,
                                                                       identifier, check_id, name, words):
    db, org, procurement = _legacy_organisation(app, country, *identifier)
    client = login_as("procurement_officer")
    assert client.post(f"/screening/organisation/{org}/run").status_code == 302
    assert not [r for r in server.requests if check_id in str(r)]  # the register was not asked
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}[check_id]
    assert outcome["status"] == "error", outcome
    assert [f["code"] for f in outcome["findings"]] == ["source.fault"], outcome["findings"]
    gate = no_unresolved_errors(db, procurement)
    assert not gate.held and f"Gammal Import AS ({name})" in gate.detail, gate.detail  # named, not by its id
    row = check_row(client.get(f"/organisations/{org}").get_data(as_text=True), name)
    assert f"{REJECTED}: {name}: {words}" in row, row
    assert 'lang="en"' not in row, row
    full = html.unescape(client.get(f"/screening/organisation/{org}").get_data(as_text=True))
    section = full[full.index(f"{name} <span class=\"status"):]
    section = section[:section.index("</section>")]  # the check's panel on "Full results with explanations"
    assert f"{REJECTED}: {name}: {words}" in section and 'lang="en"' not in section, section


def test_the_english_page_says_it_in_english(app, login_as, server, accounts):
    db, org, _ = _legacy_organisation(app, "NO", "no_orgnr", "91234560")
    client = login_as("procurement_officer")
    client.post(f"/screening/organisation/{org}/run")
    client.post("/language", data={"lang": "en", "next": "/"})
    row = check_row(client.get(f"/organisations/{org}").get_data(as_text=True),
               "Central Coordinating Register for Legal Entities (Norway)")
    text = re.sub("<[^>]+>", "", row)
    assert ("The identifier cannot be used to ask the register: Central Coordinating Register for Legal Entities "
            "(Norway): 91234560 is not a Norwegian organisation number") in text, row
    assert not re.search("[åäö]", row, re.IGNORECASE), row


class Broken(Check):
    """A check plugin with a bug: it raises, or returns a finding it never declared."""

    id = "test.broken"
    version = "1"
    name: ClassVar = {"sv": "Trasig kontroll", "en": "Broken check"}
    applies_to = frozenset({"organisation"})
    FINDINGS: ClassVar = {"test.fact": "A fact."}
    behaviour = "raise"

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        if Broken.behaviour == "raise":
            raise KeyError("navn")
        return Outcome(Status.CLEAR, (Finding("test.secret", True, "not declared"),))


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> type[Broken]:
    from vetting.domain import screening

    monkeypatch.setitem(screening.all_checks(), Broken.id, Broken())  # as an installed plugin is discovered
    return Broken


@pytest.mark.parametrize("behaviour, words", [
    ("raise", "ett oväntat fel; det har loggats för administratören"),
    ("undeclared", "den gav fynd av ett slag den inte har angett, så de visas inte; felet har loggats för "
                   "administratören"),
])
def test_a_check_that_fails_inside_the_app_is_said_in_swedish(app, login_as, server, accounts, broken, behaviour,
                                                              words, caplog):
    broken.behaviour = behaviour
    db, org, procurement = _legacy_organisation(app, "NO", "no_orgnr", "912345602")
    client = login_as("procurement_officer")
    assert client.post(f"/screening/organisation/{org}/run").status_code == 302
    outcome = {o["check_id"]: o for o in outcome_store.latest(db, "organisation", org)}["test.broken"]
    assert outcome["status"] == "error"
    assert not no_unresolved_errors(db, procurement).held
    row = check_row(client.get(f"/organisations/{org}").get_data(as_text=True), "Trasig kontroll")
    assert f"{FAILED}: Trasig kontroll: {words}" in row, row
    assert 'lang="en"' not in row and "test.secret" not in row, row


@pytest.mark.parametrize("check_id, name, reason, words", [
    ("no.brreg", "Enhetsregisteret (Norge)", "'9123 4560' is not a Norwegian organisation number",
     f'{REJECTED}: Enhetsregisteret (Norge): <code lang="zxx">9123 4560</code> är inget norskt organisationsnummer'),
    ("gleif", "GLEIF (LEI-registret)", "'549300XZ' is not a well-formed LEI",
     f'{REJECTED}: GLEIF (LEI-registret): <code lang="zxx">549300XZ</code> är ingen giltig LEI-kod'),
    ("no.brreg", "Enhetsregisteret (Norge)", "Internal error in check no.brreg; the error has been logged.",
     f"{FAILED}: Enhetsregisteret (Norge): ett oväntat fel; det har loggats för administratören"),
    ("no.brreg", "Enhetsregisteret (Norge)", "Check no.brreg returned undeclared findings: company.x, company.y",
     f"{FAILED}: Enhetsregisteret (Norge): den gav fynd av ett slag den inte har angett"),
    ("se.bolagsverket.arsredovisning", "Bolagsverket (årsredovisningar)",
     "Annual report 2019-12-31 (4eaa2201-7ad0-4de4-9b2d-1f5f952b74d9_paket): the document is not a ZIP file (44 "
     "bytes, starts b'<html>Servic')", "Bolagsverket (årsredovisningar): årsredovisningen för räkenskapsåret som "
                                       "slutar 2019-12-31 är ingen ZIP-fil"),
    ("se.bolagsverket.arsredovisning", "Bolagsverket (årsredovisningar)",
     "Annual report 2019-12-31 (4eaa2201_paket): the XHTML holds no key figures (no K2/K3 facts such as "
     "Nettoomsattning or EgetKapital)", "räkenskapsåret som slutar 2019-12-31 innehåller inga nyckeltal"),
])
def test_a_reason_stored_as_text_before_these_codes_still_reads_in_swedish(app, login_as, accounts, check_id, name,
                                                                          reason, words):
    db, org, _ = _legacy_organisation(app, "NO", "no_orgnr", "912345602")
    outcome_store.insert(db, subject_kind="organisation", subject_id=org, check_id=check_id, check_version="1",
                         status="error", reason=reason, findings=[], explanation=[], run_by="system", batch_item_id=None)
    row = check_row(login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True), name)
    assert words in row, row
    assert 'lang="en"' not in row, row


def _reasons() -> list[tuple[str, Any]]:
    """Every reason a check in checks/ states with its outcome (the fourth argument or ``reason=`` of an
    ``Outcome(...)``, or the third item of a returned (status, findings, reason)), read from the source."""
    found = []
    for path in sorted((Path(__file__).resolve().parent.parent / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            given = None
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Outcome":
                given = next((k.value for k in node.keywords if k.arg == "reason"), None)
                given = node.args[3] if given is None and len(node.args) > 3 else given
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) == 3 \
                    and "Status" in ast.unparse(node.value.elts[0]):
                given = node.value.elts[2]
            if isinstance(given, (ast.Constant, ast.JoinedStr)) and getattr(given, "value", "") is not None:
                found.append((f"{path.name}:{node.lineno}", given))
    return found


def test_every_fixed_reason_a_check_states_reads_in_swedish(app):
    from flask_babel import force_locale

    from vetting.vocabulary.outcomes import reason_text

    fixed = [(where, node.value) for where, node in _reasons() if isinstance(node, ast.Constant)]
    assert len(fixed) >= 8  # the reader found them
    with app.test_request_context(), force_locale("sv"):
        english = [(where, text, str(reason_text(text))) for where, text in fixed
                   if 'lang="en"' in str(reason_text(text)) or str(reason_text(text)) == text]
    assert english == []


@pytest.mark.parametrize("reason, words, english", [
    ("The diary lists 14 documents, more than the 10 read; review it by hand.",
     "Diariet listar 14 handlingar, fler än de 10 som lästes; gå igenom det för hand.",
     "The diary lists 14 documents, more than the 10 read; review it by hand."),
    ("the register does not know this number; verify it", "Registret känner inte till numret; kontrollera det.",
     "The register does not know this number; verify it."),
    ("The register does not accept the identifier; verify it.",  # the runner's, when the register answered so
     "Registret godtar inte identifieraren; kontrollera den.", "The register does not accept the identifier; verify it."),
])
def test_a_reason_with_numbers_reads_in_swedish_and_in_english(app, reason, words, english):
    from flask_babel import force_locale

    from vetting.vocabulary.outcomes import reason_text

    with app.test_request_context():
        with force_locale("sv"):
            assert str(reason_text(reason)) == words
        with force_locale("en"):
            assert str(reason_text(reason)) == english


def test_a_number_the_register_does_not_know_is_said_in_swedish_on_the_full_results(app, login_as, server, accounts):
    from register_server import Answer

    server.routes[("GET", "/no.brreg/enheter/912345602")] = Answer(
        404, "application/json", (Path(__file__).parent / "fixtures/no.brreg/not_found_404.json").read_bytes())
    db, org, _ = _legacy_organisation(app, "NO", "no_orgnr", "912345602")
    client = login_as("procurement_officer")
    assert client.post(f"/screening/organisation/{org}/run").status_code == 302
    full = html.unescape(client.get(f"/screening/organisation/{org}").get_data(as_text=True))
    section = full[full.index('Enhetsregisteret (Norge) <span class="status'):]
    section = section[:section.index("</section>")]
    assert "Registret känner inte till numret; kontrollera det." in section, section
    assert 'lang="en"' not in section, section


CHANGED = "Registrets svar har inte den form som kontrollen känner till, så det kan inte läsas som ett svar"


@pytest.mark.parametrize("answer, words", [
    ((200, "text/html", b"<html>proxy</html>"), "svaret är inte JSON"),
    ((200, "application/json", b'{"organisasjonsnummer": "923609016"}'),
     'fältet <code lang="zxx">navn</code> saknas i svaret'),
    ((200, "application/json", b'{"organisasjonsnummer": "923609016", "navn": 7}'),
     'fältet <code lang="zxx">navn</code> har fel sorts värde (heltal där text väntades)'),
    ((200, "application/json", b'{"organisasjonsnummer": "923609017", "navn": "Equinor ASA"}'),
     'svaret gäller <code lang="zxx">923609017</code>, inte <code lang="zxx">923609016</code> som frågan gällde'),
    ((200, "application/json", b'["923609016"]'), "svaret är inte ett JSON-objekt (HTTP 200)"),
    ((404, "text/html", b"<html>Not Found</html>"), "HTTP 404 utan registrets dokumenterade felsvar"),
    ((404, "application/json", b'{"feil": "ukjent"}'), 'HTTP 404 utan fältet <code lang="zxx">status</code>'),
    ((418, "application/json", b'{}'), 'oväntad HTTP-status 418 för <code lang="zxx">enheter/923609016</code>'),
])
def test_an_unreadable_answer_to_a_connection_test_says_why_in_swedish(app, login_as, server, accounts, answer, words):
    # A connection test keeps only the reason's text (no finding), so the check's note is read back to its code.
    from register_server import Answer

    server.routes[("GET", "/no.brreg/enheter/923609016")] = Answer(*answer)
    client = login_as("admin")
    assert client.post("/admin/registers/no.brreg/test").status_code == 302
    page = html.unescape(client.get("/admin/registers").get_data(as_text=True))
    area = page[page.index('id="test-no.brreg"'):]
    area = area[:area.index("</div>")]
    assert f"{CHANGED}: Enhetsregisteret (Norge): {words}" in area, area
    assert 'lang="en"' not in area, area


@pytest.mark.parametrize("document, words", [
    ((b"<html>Service temporarily unavailable</html>", "text/html"), "är ingen ZIP-fil"),
    ((None, "application/zip"), "innehåller inga nyckeltal (inga uppgifter enligt K2/K3)"),
])
def test_an_annual_report_that_cannot_be_read_is_said_in_swedish(app, login_as, accounts, document, words):
    from annual_report_server import FakeBolagsverket, fixture_zip, package, run_check
    from vetting.domain.screening import all_checks, store_outcome, subject_of

    fake = FakeBolagsverket()
    empty = package(("4eaa2201.xhtml", b'<html xmlns="http://www.w3.org/1999/xhtml" '
                                       b'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body><p>Arsredovisning</p>'
                                       b'</body></html>'))
    fake.document("4eaa2201-7ad0-4de4-9b2d-1f5f952b74d9_paket", document[0] or empty, media=document[1])
    fake.document("02f54e4f-b17a-4cfd-a1cc-d8ab4eaa7f49_paket", fixture_zip("k2-2017_wolters-kluwer.xhtml"))
    outcome = run_check(fake)
    assert outcome.status is Status.ERROR
    db, org, procurement = _legacy_organisation(app, "SE", "se_orgnr", "5566778899")
    store_outcome(db, SYSTEM, subject_of(db, "organisation", org), all_checks()["se.bolagsverket.arsredovisning"],
                  outcome)
    assert not no_unresolved_errors(db, procurement).held
    client = login_as("procurement_officer")
    row = check_row(client.get(f"/organisations/{org}").get_data(as_text=True), "Bolagsverket (årsredovisningar)")
    assert f"{CHANGED}: Bolagsverket (årsredovisningar): årsredovisningen för räkenskapsåret som slutar 2019-12-31 " \
           f"{words}" in row, row
    assert 'lang="en"' not in row, row


def test_an_identifier_the_register_answered_it_does_not_accept_reads_in_swedish(app, login_as, accounts):
    # SubjectRejected after the register answered is a finding that needs the officer, not an error.
    db, org, procurement = _legacy_organisation(app, "NO", "no_orgnr", "912345602")
    outcome_store.insert(db, subject_kind="organisation", subject_id=org, check_id="no.brreg", check_version="1",
                         status="needs_manual_input", reason="The register does not accept the identifier; verify it.",
                         findings=[{"code": "source.rejected_identifier", "value": True, "evidence": 0,
                                    "detail": "the register says the number is not valid"}],
                         explanation=[], run_by="system", batch_item_id=None)
    client = login_as("procurement_officer")
    row = check_row(client.get(f"/organisations/{org}").get_data(as_text=True), "Enhetsregisteret (Norge)")
    assert "Registret svarade att det inte godtar identifieraren; kontrollera den." in row, row
    assert 'lang="en"' not in row, row
    assert "Enhetsregisteret" not in no_unresolved_errors(db, procurement).detail  # needs the officer; no error


def test_an_unreadable_annual_report_stored_before_these_codes_still_reads_in_swedish(app, login_as, accounts):
    detail = ("Annual report 2019-12-31 (4eaa2201_paket): the document is not a ZIP file (44 bytes, starts "
              "b'<html>Servic')")
    db, org, _ = _legacy_organisation(app, "SE", "se_orgnr", "5566778899")
    outcome_store.insert(db, subject_kind="organisation", subject_id=org, check_id="se.bolagsverket.arsredovisning",
                         check_version="1", status="error", reason=detail,
                         findings=[{"code": "annual_report.fault", "evidence": 1, "detail": detail,
                                    "value": "the document is not a ZIP file (44 bytes, starts b'<html>Servic')"}],
                         explanation=[], run_by="system", batch_item_id=None)
    row = check_row(login_as("procurement_officer").get(f"/organisations/{org}").get_data(as_text=True),
               "Bolagsverket (årsredovisningar)")
    assert f"{CHANGED}: Bolagsverket (årsredovisningar): årsredovisningen för räkenskapsåret som slutar 2019-12-31 " \
           "är ingen ZIP-fil" in row, row
    assert 'lang="en"' not in row, row
