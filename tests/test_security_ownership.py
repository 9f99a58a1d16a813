"""Security owns security decisions: who owns, prepares and signs each checkpoint; protection level change control."""
from __future__ import annotations

import pytest

from vetting.domain import checkpoints, procurements, protection
from vetting.domain.audit import Actor
from vetting.domain.checkpoint_templates import templates
from vetting.domain.errors import InvalidInput
from vetting.store import audit as audit_store
from vetting.store import checkpoints as cp_store

PO, SO, RV = "procurement_officer", "security_officer", "reviewer"

# Written from the issue and the domain brief (§8), not from checkpoints.toml: (owner, preparer, signer).
# Security matters (requirements, Säpo, SUA, access, close-out of security obligations, the security
# screening of the need, the joint assessment and events) are owned and signed by security; procurement
# prepares where it supplies the facts.
EXPECTED = {
    "CP0": (SO, PO, SO), "CP1": (SO, SO, SO), "CP2": (SO, SO, SO), "CP3": (SO, PO, SO), "CP4": (PO, PO, SO),
    "CP5": (SO, PO, SO), "CP6": (PO, PO, SO), "CP7": (SO, PO, SO), "CP8": (PO, PO, SO), "CP9": (RV, RV, SO),
    "CP10": (SO, RV, SO), "CP11": (PO, PO, SO), "CP12": (SO, PO, SO),
}
SECURITY_MATTERS = {"CP0", "CP1", "CP2", "CP3", "CP5", "CP7", "CP10", "CP12"}


@pytest.mark.parametrize("template_id", sorted(EXPECTED, key=lambda t: int(t[2:])))
def test_each_checkpoint_names_owner_preparer_and_signer(template_id):
    template = templates()[template_id]
    assert (template.owner, template.preparer, template.signer) == EXPECTED[template_id]
    if template_id in SECURITY_MATTERS:
        assert template.signer == SO and template.owner == SO


def test_every_checkpoint_is_in_the_table():
    assert set(templates()) == set(EXPECTED)


def test_checkpoint_page_shows_owner_preparer_and_signer(login_as, create_procurement, db):
    pid = create_procurement(protection_level="sua1")
    cp1 = next(c for c in cp_store.for_procurement(db, pid) if c["template_id"] == "CP1")
    page = login_as("reviewer").get(f"/checkpoints/{cp1['id']}").get_data(as_text=True)
    assert "Beslutet ägs av" in page and "Bereds av roll" in page and "Beslutas av roll" in page
    facts = page[page.index("Beslutet ägs av"):page.index("</dl>")]
    assert facts.count("Säkerhetshandläggare") == 3  # CP1: owned, prepared and signed by security


@pytest.fixture
def people(accounts):
    return (Actor(accounts[PO], PO, frozenset({PO})), Actor(accounts[SO], SO, frozenset({SO})))


def test_procurement_officer_cannot_change_level_in_domain_or_by_forged_post(db, people, create_procurement, login_as):
    officer, _security = people
    pid = create_procurement(protection_level="sua1", risk_industry=True)
    with pytest.raises(InvalidInput):
        procurements.update(db, officer, pid, {**procurements.get(db, pid), "protection_level": "none"})
    with pytest.raises(InvalidInput):
        procurements.update(db, officer, pid, {**procurements.get(db, pid), "risk_industry": False})
    client = login_as(PO)
    form = client.get(f"/procurements/{pid}/edit").get_data(as_text=True)
    assert 'name="protection_level"' not in form and 'name="risk_industry"' not in form
    current = procurements.get(db, pid)
    client.post(f"/procurements/{pid}/edit", data={"reference": current["reference"], "title": "Ny titel",
                                                   "currency": "SEK", "protection_level": "none",
                                                   "responsible_user_id": 0})
    assert client.post(f"/procurements/{pid}/protection", data={"protection_level": "none",
                                                                "reason": "Behövs inte"}).status_code == 403
    after = procurements.get(db, pid)
    assert after["title"] == "Ny titel"
    assert (after["protection_level"], after["risk_industry"]) == ("sua1", 1)


def test_security_officer_changes_level_with_a_reason_and_checkpoints_follow(db, people, create_procurement, login_as):
    officer, security = people
    pid = create_procurement(protection_level="none", estimated_value=100_000)
    cp0 = next(c for c in cp_store.for_procurement(db, pid) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp0["id"], {"security_sensitive": "no", "access_needed": "no",
                                                 "control_level": "basic"})
    checkpoints.sign(db, security, cp0["id"], "approved", "Ingen säkerhetskänslighet")
    assert "CP2" not in {c["template_id"] for c in cp_store.for_procurement(db, pid)}
    client = login_as(SO)
    client.post(f"/procurements/{pid}/protection", data={"protection_level": "sua1", "reason": ""})
    assert procurements.get(db, pid)["protection_level"] == "none"
    client.post(f"/procurements/{pid}/protection", data={"protection_level": "sua1",
                                                          "reason": "Uppgifter klassade enligt säkerhetsskyddsanalys"})
    assert procurements.get(db, pid)["protection_level"] == "sua1"
    opened = {c["template_id"]: c for c in cp_store.for_procurement(db, pid)}
    assert {"CP1", "CP2", "CP3", "CP5", "CP7"} <= set(opened)
    assert opened["CP0"]["state"] == "open"  # re-opened: the need is assessed again
    entries, _total = audit_store.search(db, action="procurement.protection")
    assert [e["reason"] for e in entries] == ["Uppgifter klassade enligt säkerhetsskyddsanalys"]


def test_cp0_answers_add_the_checkpoints_they_imply_and_set_the_level(db, people, create_procurement):
    officer, security = people
    pid = create_procurement(protection_level="none", estimated_value=100_000)
    assert {c["template_id"] for c in cp_store.for_procurement(db, pid)} == {"CP0", "CP4", "CP6", "CP12"}
    cp0 = next(c for c in cp_store.for_procurement(db, pid) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp0["id"], {"security_sensitive": "yes", "access_needed": "yes",
                                                 "control_level": "security_protected", "protection_level": "sua2"})
    checkpoints.sign(db, security, cp0["id"], "approved", "Säkerhetskänslig verksamhet")
    assert procurements.get(db, pid)["protection_level"] == "sua2"
    assert {"CP1", "CP3", "CP5", "CP7"} <= {c["template_id"] for c in cp_store.for_procurement(db, pid)}


def test_cp0_security_sensitive_alone_adds_security_requirements(db, people, create_procurement):
    officer, security = people
    pid = create_procurement(protection_level="none", estimated_value=100_000)
    cp0 = next(c for c in cp_store.for_procurement(db, pid) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp0["id"], {"security_sensitive": "yes", "access_needed": "no",
                                                 "control_level": "extended"})
    checkpoints.sign(db, security, cp0["id"], "approved", "Utökad kontroll")
    assert procurements.get(db, pid)["protection_level"] == "none"
    assert {"CP1", "CP5", "CP7"} <= {c["template_id"] for c in cp_store.for_procurement(db, pid)}


def test_security_protected_without_a_level_cannot_be_approved(db, people, create_procurement):
    officer, security = people
    pid = create_procurement(protection_level="none")
    cp0 = next(c for c in cp_store.for_procurement(db, pid) if c["template_id"] == "CP0")
    checkpoints.prepare(db, officer, cp0["id"], {"security_sensitive": "yes", "access_needed": "no",
                                                 "control_level": "security_protected"})
    with pytest.raises(InvalidInput, match="protection level"):
        checkpoints.sign(db, security, cp0["id"], "approved", "ok")
    assert protection.cp0_answers(db, pid) == {}
