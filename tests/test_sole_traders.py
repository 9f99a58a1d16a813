"""Finding 2: a sole trader's organisation number is a personnummer: masked for roles without the right to
personal data, in pages, search and the audit log; never in an address."""
from __future__ import annotations

import pytest

from vetting.domain import organisations
from vetting.domain.audit import SYSTEM

SOLE_TRADER = "7003121238"  # Lars Öberg's personnummer as his enskild firma's organisationsnummer


@pytest.fixture
def firm(db, accounts):
    return organisations.create(db, SYSTEM, {"name": "Öbergs Måleri", "country": "SE", "identifier_type": "se_orgnr",
                                             "identifier": SOLE_TRADER})


@pytest.mark.parametrize("role", ["procurement_officer", "reviewer", "auditor", "admin"])
def test_pages_mask_it_for_roles_without_personal_data(login_as, firm, role):
    client = login_as(role)
    for url in (f"/organisations/{firm}", "/organisations/", "/search/?q=Måleri"):
        page = client.get(url).get_data(as_text=True)
        assert "700312-****" in page and "1238" not in page, url


def test_the_security_officer_sees_it(login_as, firm):
    assert "700312-1238" in login_as("security_officer").get(f"/organisations/{firm}").get_data(as_text=True)


def test_the_audit_log_never_holds_it(db, firm):
    dump = "".join(str(tuple(r)) for r in db.execute("SELECT * FROM audit_log"))
    assert SOLE_TRADER not in dump and "700312-****" in dump


def test_a_legal_persons_number_is_shown_as_usual(login_as, create_org):
    org = create_org(identifier_type="se_orgnr", identifier="5566778899")
    assert "556677-8899" in login_as("reviewer").get(f"/organisations/{org}").get_data(as_text=True)
