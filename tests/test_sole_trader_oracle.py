"""Finding 1 through organisation numbers: a sole trader's organisationsnummer is a personnummer, so a role
without the personal-data right must not learn from an organisation's identifier whether it is stored.

The oracle is what the procurement officer sees for a stored number (Lars Öberg's firm) and for one that
is not stored: the same status and the same pages apart from the values typed. Companies (a month part of
20 or more) keep the plain duplicate refusal.
"""
from __future__ import annotations

import difflib
import io
import re

from stdnum import luhn

from vetting.domain import organisations, procurements
from vetting.domain.audit import SYSTEM

KNOWN = "7003121238"  # Lars Öberg's enskild firma, stored by the security department
UNKNOWN = "8204151230"
FIRM = "Lars Öbergs Snickeri"


def _seed(db, create_org):
    return create_org(name=FIRM, identifier_type="se_orgnr", identifier=KNOWN)


def _normalise(page: str) -> str:
    return re.sub(r"/\d+|=\d+|=\"\d+\"|\d+ \d+|7003121238|8204151230|700312|820415|1970-03-12|1982-04-15|Gissning|Kontroll"
                  r"|name=\"csrf_token\" value=\"[^\"]+\"|nonce-[^']+|nonce=\"[^\"]+\"", "X", page)


def _assert_alike(seen: str, unseen: str) -> None:
    """The two pages are the same apart from the typed values (the difference is printed when not)."""
    diff = list(difflib.unified_diff(_normalise(seen).splitlines(), _normalise(unseen).splitlines(), lineterm="", n=1))
    assert not diff, "\n".join(diff[:40])


def _followed(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _org_values(name: str, number: str) -> dict[str, str]:
    return {"name": name, "country": "SE", "identifier_type": "se_orgnr", "identifier": number, "address": ""}


def _officer(login_as):
    client = login_as("procurement_officer")
    client.get("/")  # the sign-in greeting is shown once, before either answer
    return client


def test_creating_an_organisation_with_a_stored_sole_trader_number_answers_like_an_unknown_one(login_as, db, create_org):
    _seed(db, create_org)
    client = _officer(login_as)
    seen = _followed(client, client.post("/organisations/new", data=_org_values("Gissning Firma", KNOWN)))
    unseen = _followed(client, client.post("/organisations/new", data=_org_values("Kontroll Firma", UNKNOWN)))
    assert "Lars Öberg" not in seen and "Gissning Firma" in seen and "700312-****" in seen
    _assert_alike(seen, unseen)
    # Both typed names are stored as organisations of their own; the stored firm is untouched.
    names = {r[0] for r in db.execute("SELECT name FROM organisations")}
    assert {"Gissning Firma", "Kontroll Firma", FIRM} <= names


def test_editing_an_organisation_to_a_stored_sole_trader_number_answers_like_an_unknown_one(login_as, db, create_org):
    _seed(db, create_org)
    guess, control = create_org(name="Gissning Firma"), create_org(name="Kontroll Firma")
    client = _officer(login_as)
    seen = _followed(client, client.post(f"/organisations/{guess}/edit", data=_org_values("Gissning Firma", KNOWN)))
    unseen = _followed(client, client.post(f"/organisations/{control}/edit",
                                           data=_org_values("Kontroll Firma", UNKNOWN)))
    assert "Lars Öberg" not in seen and "700312-****" in seen
    _assert_alike(seen, unseen)


def test_adding_a_party_by_a_sole_trader_number_does_not_link_the_stored_firm(login_as, db, create_org,
                                                                               create_procurement):
    _seed(db, create_org)
    guess, control = create_procurement(reference="Gissning-1"), create_procurement(reference="Kontroll-1")
    client = _officer(login_as)
    answers = [client.post(f"/procurements/{p}/participants", data={"existing": number, "role": "bidder"})
               for p, number in ((guess, KNOWN), (control, UNKNOWN))]
    assert answers[0].status_code == answers[1].status_code
    seen, unseen = (a.get_data(as_text=True) for a in answers)
    assert "Lars Öberg" not in seen
    _assert_alike(seen, unseen)
    assert db.execute("SELECT count(*) FROM participants").fetchone()[0] == 0
    # Added as a new party under the typed name: the same answer for both numbers, no stored name.
    seen, unseen = (_followed(client, client.post(f"/procurements/{p}/participants",
                                                  data={"name": f"{word} Firma", "country": "SE",
                                                        "identifier_type": "se_orgnr", "identifier": number,
                                                        "role": "bidder"}))
                    for p, number, word in ((guess, KNOWN, "Gissning"), (control, UNKNOWN, "Kontroll")))
    assert "Lars Öberg" not in seen and "Gissning Firma" in seen
    _assert_alike(seen, unseen)


def test_a_company_number_keeps_the_duplicate_refusal(login_as, db, create_org):
    create_org(name="Öbergs Bygg AB", identifier_type="se_orgnr", identifier="5566778899")
    client = _officer(login_as)
    client.post("/language", data={"lang": "en"})
    response = client.post("/organisations/new", data=_org_values("Kopia AB", "5566778899"))
    assert response.status_code == 400 and "already has this identifier" in response.get_data(as_text=True)


def test_the_thousand_row_organisation_import_does_not_pick_out_the_stored_number(login_as, db, create_org):
    _seed(db, create_org)
    rows = "".join(f"Firma {serial:03d};SE;{_with_check('700312' + f'{serial:03d}')};\n" for serial in range(1000))
    data = ("Namn;Land;Organisationsnummer;Adress\n" + rows).encode()
    client = login_as("procurement_officer")
    preview = client.post("/import/", data={"kind": "organisations", "file": (io.BytesIO(data), "o.csv")},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert "Lars Öberg" not in page and "already registered" not in page and "redan registrerad" not in page
    token = db.execute("SELECT token FROM pending_imports").fetchone()[0]
    assert client.post("/import/confirm", data={"token": token}).status_code == 302
    # Every row became an organisation under the name typed; the stored firm kept its own name and number.
    assert db.execute("SELECT count(*) FROM organisations WHERE name LIKE 'Firma %'").fetchone()[0] == 1000
    assert db.execute("SELECT name FROM organisations WHERE identifier = ?", [KNOWN]).fetchone()[0] == FIRM


def _with_check(nine: str) -> str:
    return nine + luhn.calc_check_digit(nine)


def test_the_security_officer_merges_the_queued_sole_trader(login_as, db, create_org, create_procurement):
    stored = _seed(db, create_org)
    procurement_id = create_procurement(reference="Gissning-2")
    officer = _officer(login_as)
    officer.post(f"/procurements/{procurement_id}/participants",
                 data={"name": "L. Öbergs firma", "country": "SE", "identifier_type": "se_orgnr",
                       "identifier": KNOWN, "role": "bidder"})
    officer.post("/logout")
    security = login_as("security_officer")
    page = security.get("/persons/merges").get_data(as_text=True)
    assert "L. Öbergs firma" in page and FIRM in page
    merge_id = db.execute("SELECT id FROM organisation_merges").fetchone()[0]
    assert security.post(f"/persons/merges/organisations/{merge_id}", data={"decision": "merge"}).status_code == 302
    parties = [r[0] for r in db.execute("SELECT organisation_id FROM participants WHERE procurement_id = ?",
                                        [procurement_id])]
    assert parties == [stored]
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'organisation.merge'").fetchone()[0] == 1
    assert "L. Öbergs firma" not in security.get("/persons/merges").get_data(as_text=True)


def test_the_security_officer_links_the_stored_sole_trader_at_once(db, create_org, create_procurement):
    stored = _seed(db, create_org)
    procurement_id = create_procurement(reference="Direkt-1")
    assert organisations.resolve(db, KNOWN, "existing", SYSTEM) == stored
    procurements.add_participant(db, SYSTEM, procurement_id, stored, "bidder")


def test_a_key_person_import_naming_a_sole_trader_answers_alike_for_known_and_unknown(login_as, db, create_org):
    _seed(db, create_org)
    client = _officer(login_as)
    pages = []
    for number in (KNOWN, UNKNOWN):
        data = f"organisationsnummer;namn;roll;personnummer;födelsedatum\n{number};Test Testsson;VD;;1980-01-01\n"
        response = client.post("/import/", data={"kind": "persons", "file": (io.BytesIO(data.encode()), "p.csv")},
                               content_type="multipart/form-data")
        pages.append((response.status_code, response.get_data(as_text=True)))
    assert pages[0][0] == pages[1][0]
    assert FIRM not in pages[0][1]
    _assert_alike(pages[0][1], pages[1][1])


def test_searches_find_a_queued_sole_trader_by_its_date_part_like_a_new_one(login_as, db, create_org):
    _seed(db, create_org)
    client = _officer(login_as)
    client.post("/organisations/new", data=_org_values("Gissning Firma", KNOWN))
    client.post("/organisations/new", data=_org_values("Kontroll Firma", UNKNOWN))
    for date_part, name in (("700312", "Gissning Firma"), ("820415", "Kontroll Firma")):
        for url in (f"/organisations/?q={date_part}", f"/search/?q={date_part}"):
            page = client.get(url).get_data(as_text=True)
            assert name in page and f"{date_part}-****" in re.split(r"</li>|</tr>", page.rsplit(name, 1)[1])[0], url


def _edit_name(client, organisation_id: int, name: str) -> None:
    """Rename through the edit form as the officer gets it: the number field as shown (masked), sent back unchanged."""
    form = client.get(f"/organisations/{organisation_id}/edit").get_data(as_text=True)
    shown = re.search(r'<input[^>]*name="identifier"[^>]*>', form).group(0)
    number = re.search(r'value="([^"]*)"', shown).group(1)
    assert number.endswith("****"), shown  # the officer never sees the whole number
    assert _followed(client, client.post(f"/organisations/{organisation_id}/edit",
                                         data=_org_values(name, number)))


def test_a_renamed_queued_sole_trader_is_searched_like_a_renamed_new_one(login_as, db, create_org):
    # Each date part has a stored firm (sorting after the new one), so the two searches differ only in whether the
    # typed number is stored.
    _seed(db, create_org)
    create_org(name="Mats Ankas Snickeri", identifier_type="se_orgnr", identifier=_with_check("820415456"))
    client = _officer(login_as)
    ids = {}
    for word, number in (("Gissning", KNOWN), ("Kontroll", UNKNOWN)):
        created = client.post("/organisations/new", data=_org_values(f"{word} Firma", number))
        ids[word] = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert db.execute("SELECT count(*) FROM organisation_merges WHERE resolved_at IS NULL").fetchone()[0] == 1
    for word in ids:
        _edit_name(client, ids[word], f"{word} Bygg")

    def normalised(page: str) -> str:
        return _normalise(page.replace(FIRM, "STORED").replace("Mats Ankas Snickeri", "STORED"))

    for url in ("/search/?q={date}", "/organisations/?q={date}", "/search/?q={word}", "/organisations/?q={word}"):
        pages = {}
        for word, date in (("Gissning", "700312"), ("Kontroll", "820415")):
            page = client.get(url.format(date=date, word=word)).get_data(as_text=True)
            assert f"{word} Bygg" in page and f"{date}-****" in page, (url, word)
            pages[word] = page
        diff = list(difflib.unified_diff(normalised(pages["Gissning"]).splitlines(),
                                         normalised(pages["Kontroll"]).splitlines(), lineterm="", n=1))
        assert not diff, url + "\n" + "\n".join(diff[:40])


def test_a_sole_trader_queued_before_the_upgrade_is_still_searched_like_a_new_one(tmp_path):
    """A database of release 0026 with an organisation waiting in the merge queue: after the upgrade a search by
    the date part finds it like the new organisation beside it (0027 rebuilt the indexes from the stored number
    only, NULL for a queued one)."""
    import sqlite3
    from pathlib import Path

    from vetting.db import connect, upgrade
    from vetting.domain.search import search
    from vetting.store import organisations as org_store

    schema = Path(__file__).parent / "fixtures" / "schemas" / "0026_organisation_merges.sql"
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.executescript(schema.read_text(encoding="utf-8"))
    conn.close()
    db = connect(tmp_path / "old.db")
    when = "2026-11-01T10:00:00+00:00"
    for name, number in ((FIRM, KNOWN), ("Gissning Firma", None), ("Kontroll Firma", UNKNOWN)):
        db.execute("INSERT INTO organisations (name, country, identifier_type, identifier, created_at, updated_at)"
                   " VALUES (?, 'SE', 'se_orgnr', ?, ?, ?)", [name, number, when, when])
    queued = db.execute("SELECT id FROM organisations WHERE name = 'Gissning Firma'").fetchone()[0]
    db.execute("INSERT INTO organisation_merges (organisation_id, identifier_type, identifier, created_at, created_by)"
               " VALUES (?, 'se_orgnr', ?, ?, 'procurement_officer')", [queued, KNOWN, when])
    upgrade(db)

    def found(text: str) -> list[str]:
        return [row["name"] for row in search(db, text, kind="organisation")["organisation"].rows]

    for date_part, name in (("700312", "Gissning Firma"), ("820415", "Kontroll Firma")):
        assert name in found(date_part), (date_part, found(date_part))
    # A change of the name alone (the row an edit writes first) keeps both findable by the date part.
    for organisation_id, name in db.execute("SELECT id, name FROM organisations WHERE name != ?", [FIRM]).fetchall():
        org_store.update(db, organisation_id, {"name": name.replace("Firma", "Bygg")})
    for date_part, name in (("700312", "Gissning Bygg"), ("820415", "Kontroll Bygg")):
        assert found(date_part).count(name) == 1 and name in found(name.split()[0]), (date_part, found(date_part))
