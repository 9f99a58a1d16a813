"""Register credentials: write-only secrets, never shown back, never in the audit log; used by the check."""
from __future__ import annotations

import pytest

from checks import Check, Outcome, Status
from checks.errors import NotConfigured
from vetting.domain import register_settings, screening
from vetting.domain.audit import SYSTEM

SECRET = "s3cr3t-client-secret-value"


class NeedsKey(Check):
    id = "test.keyed"
    name = {"sv": "Nyckelregister", "en": "Keyed register"}
    applies_to = frozenset({"organisation"})
    requires_settings = ("client_id", "client_secret")
    FINDINGS = {"test.saw_secret": "whether the check received its secret"}

    def run(self, subject, ctx):
        missing = [k for k in self.requires_settings if k not in ctx.settings]
        if missing:
            raise NotConfigured(f"an administrator must set {', '.join(missing)} on the Registers page")
        from checks import Finding
        return Outcome(Status.CLEAR, (Finding("test.saw_secret", ctx.settings["client_secret"] == SECRET, "x"),))


@pytest.fixture(autouse=True)
def keyed_check(monkeypatch):
    checks = {"test.keyed": NeedsKey()}
    monkeypatch.setattr(register_settings, "all_checks", lambda: checks)
    monkeypatch.setattr(screening, "all_checks", lambda: checks)


def test_secret_is_stored_but_never_shown_or_audited(login_as, db):
    client = login_as("admin")
    response = client.post("/admin/registers", data={"check_id": "test.keyed", "key": "client_secret", "value": SECRET})
    assert response.status_code == 302
    page = client.get("/admin/registers").get_data(as_text=True)
    assert SECRET not in page and "client_id" in page
    assert SECRET not in "".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))


def test_check_without_settings_is_not_applicable_and_says_how_to_configure(db, create_org):
    org = create_org()
    screening.screen_subject(db, SYSTEM, "organisation", org, {"SCREENING_POSSIBLE_THRESHOLD": .8,
                                                              "SCREENING_HIT_THRESHOLD": .93})
    outcome = screening.outcome_store.latest(db, "organisation", org)[0]
    assert outcome["status"] == "not_applicable" and "Registers page" in outcome["reason"]


def test_configured_check_receives_its_settings(db, create_org):
    register_settings.put(db, SYSTEM, "test.keyed", "client_id", "abc")
    register_settings.put(db, SYSTEM, "test.keyed", "client_secret", SECRET)
    org = create_org()
    screening.screen_subject(db, SYSTEM, "organisation", org, {"SCREENING_POSSIBLE_THRESHOLD": .8,
                                                              "SCREENING_HIT_THRESHOLD": .93})
    outcome = screening.outcome_store.latest(db, "organisation", org)[0]
    assert outcome["status"] == "clear" and outcome["findings"][0]["value"] is True


def test_only_administrators_manage_registers(login_as):
    assert login_as("security_officer").get("/admin/registers").status_code == 403


def test_connection_test_reports_what_the_register_said(app, login_as, monkeypatch):
    import responses

    from vetting.domain import register_settings as real
    from checks.brreg import BrregCheck

    checks = {"no.brreg": BrregCheck()}
    monkeypatch.setattr(real, "all_checks", lambda: checks)
    client = login_as("admin")
    with responses.RequestsMock() as mock:
        # Retry-After: 0, so the client's retries do not wait in back-off (the suite's sleep budget).
        mock.get("https://data.brreg.no/enhetsregisteret/api/enheter/923609016", status=503,
                 headers={"Retry-After": "0"})
        response = client.post("/admin/registers/no.brreg/test")
    assert response.status_code == 302
    page = client.get("/admin/registers").get_data(as_text=True)
    area = page[page.index('id="test-no.brreg"'):]
    area = area[:area.index("</div>")]
    # In words, never the raw status: a 503 is no valid answer about the sample, so the connection does not work.
    assert "Anslutningen fungerar inte." in area and "(Fel)" in area and ">error<" not in area


def test_administrator_sets_a_register_rate_limit(db, login_as, monkeypatch):
    from checks.brreg import BrregCheck
    from vetting.domain import register_settings as real
    from vetting.registers import policies
    from vetting.store import register_settings as store

    checks = {"no.brreg": BrregCheck()}
    monkeypatch.setattr(real, "all_checks", lambda: checks)
    client = login_as("admin")
    assert client.post("/admin/registers", data={"check_id": "no.brreg", "key": "per_minute", "value": "30"}).status_code == 302
    assert policies(checks.values(), {}, store.rate_limits(db))[0]["no.brreg"].per_minute == 30
    assert client.post("/admin/registers", data={"check_id": "no.brreg", "key": "per_minute", "value": "lots"}).status_code == 200
    assert store.rate_limits(db) == {"no.brreg": 30}
