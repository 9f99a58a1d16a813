"""Finding 1: adding or importing a key person never tells a procurement officer whether a personnummer is stored.

The oracle here is what the officer can see: the responses and the pages of the organisation and the
new person, compared between a number that is stored (Lars Öberg's) and one that is not.
"""
from __future__ import annotations

import io
import re

from stdnum import luhn

from vetting.domain import organisations
from vetting.domain.audit import SYSTEM

KNOWN = "197003121238"  # Lars Öberg, stored by the security department
UNKNOWN = "198204151230"


def _with_check_digit(nine: str) -> str:
    return nine + luhn.calc_check_digit(nine)


def _seed(db, create_org):
    target = create_org(name="Öbergs Bygg AB", identifier_type="se_orgnr", identifier="5566778899")
    organisations.add_key_person(db, SYSTEM, target, {"name": "Lars Öberg", "role": "ceo", "personnummer": KNOWN})
    return target


def _visible(client, response, organisation_id):
    """What the officer sees after an add: the flash on the next page, the organisation and new persons' pages."""
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    pages = [follow]
    for person_id in re.findall(r'href="/persons/(\d+)"', follow):
        pages.append(client.get(f"/persons/{person_id}").get_data(as_text=True))
    return "\n".join(pages)


def test_a_guessed_number_keeps_the_typed_name_and_answers_like_an_unknown_one(login_as, db, create_org):
    _seed(db, create_org)
    b, c = create_org(name="Gissning AB"), create_org(name="Kontroll AB")
    client = login_as("procurement_officer")
    client.get("/")  # the sign-in greeting is shown once, before either answer
    guess = client.post(f"/organisations/{b}/key-persons", data={"name": "Test Testsson", "role": "ceo",
                                                                 "personnummer": KNOWN})
    seen = _visible(client, guess, b)
    control = client.post(f"/organisations/{c}/key-persons", data={"name": "Test Testsson", "role": "ceo",
                                                                   "personnummer": UNKNOWN})
    assert guess.status_code == control.status_code == 302
    assert "Lars Öberg" not in seen and "Test Testsson" in seen and "19700312-****" in seen
    assert "Öbergs Bygg" not in seen  # the stored person's other organisation is not shown either
    # The two answers differ only in the organisation and the number's own date part.
    unseen = _visible(client, control, c)
    normalise = lambda page: re.sub(r"/\d+|19700312|19820415|1970-03-12|1982-04-15|Gissning|Kontroll"
                                    r"|name=\"csrf_token\" value=\"[^\"]+\"|nonce-[^']+|nonce=\"[^\"]+\"", "X", page)
    assert normalise(seen) == normalise(unseen)


def test_guessing_with_the_targets_own_organisation_and_role_gives_no_second_oracle(login_as, db, create_org):
    target = _seed(db, create_org)
    client = login_as("procurement_officer")
    client.post("/language", data={"lang": "en"})
    response = client.post(f"/organisations/{target}/key-persons", data={"name": "Vem Som Helst", "role": "ceo",
                                                                         "personnummer": KNOWN})
    assert response.status_code == 302
    assert "already has that role" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_thousand_row_import_reveals_nothing(login_as, db, create_org):
    _seed(db, create_org)
    create_org(name="Anfall AB", identifier_type="se_orgnr", identifier="5561234567")
    rows = "".join(f"556123-4567;Person {serial:03d};VD;{_with_check_digit('700312' + f'{serial:03d}')};\n"
                   for serial in range(1000))
    data = ("organisationsnummer;namn;roll;personnummer;födelsedatum\n" + rows).encode()
    client = login_as("procurement_officer")
    preview = client.post("/import/", data={"kind": "persons", "file": (io.BytesIO(data), "p.csv")},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Lars Öberg" not in preview
    token = db.execute("SELECT token FROM pending_imports").fetchone()[0]
    done = client.post("/import/confirm", data={"token": token})
    assert done.status_code == 302
    anfall = db.execute("SELECT id FROM organisations WHERE name = 'Anfall AB'").fetchone()[0]
    page = client.get(f"/organisations/{anfall}").get_data(as_text=True)
    assert "Lars Öberg" not in page and "Person 123" in page
    # Every row became a key person under the name typed: the stored one is not picked out.
    assert db.execute("SELECT count(*) FROM key_roles WHERE organisation_id = ?", [anfall]).fetchone()[0] == 1000
    lars = db.execute("SELECT id FROM persons WHERE name = 'Lars Öberg'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM key_roles WHERE person_id = ?", [lars]).fetchone()[0] == 1


def test_the_security_officer_resolves_the_match_in_the_merge_queue(login_as, db, create_org, client):
    target = _seed(db, create_org)
    b = create_org(name="Gissning AB")
    officer = login_as("procurement_officer")
    officer.post(f"/organisations/{b}/key-persons", data={"name": "L. Öberg", "role": "board_member",
                                                          "personnummer": KNOWN})
    officer.post("/logout")
    security = login_as("security_officer")
    queue = security.get("/persons/merges")
    page = queue.get_data(as_text=True)
    assert queue.status_code == 200 and "L. Öberg" in page and "Lars Öberg" in page
    merge_id = db.execute("SELECT id FROM person_merges").fetchone()[0]
    assert security.post(f"/persons/merges/{merge_id}", data={"decision": "merge"}).status_code == 302
    lars = db.execute("SELECT id FROM persons WHERE name = 'Lars Öberg'").fetchone()[0]
    roles = {(r[0], r[1]) for r in db.execute("SELECT organisation_id, role FROM key_roles WHERE person_id = ?", [lars])}
    assert roles == {(target, "ceo"), (b, "board_member")}
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'person.merge'").fetchone()[0] == 1
    assert "L. Öberg" not in security.get("/persons/merges").get_data(as_text=True)


def test_other_roles_do_not_see_the_merge_queue(login_as):
    assert login_as("procurement_officer").get("/persons/merges").status_code == 403
