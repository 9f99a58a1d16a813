"""Search: FTS indexes follow the tables, user input never breaks the query, personnummer stays out."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vetting.db import connect, upgrade
from vetting.domain import organisations, procurements
from vetting.domain import search as domain
from vetting.domain.audit import SYSTEM
from vetting.migrations import migrations
from vetting.store import search as store

PNR = "197003121238"


def found(db, kind, text):
    """Ids of the records of a kind that a search for ``text`` finds."""
    return [r["id"] for r in domain.search(db, text, kind=kind)[kind].rows]


# --- the indexes follow inserts, updates and deletes -------------------------------------------

def test_new_organisation_is_found_by_name_prefix_and_identifier(db, create_org):
    org = create_org(name="Norrlands Bygg AB", identifier_type="se_orgnr", identifier="5566778899")
    assert found(db, "organisation", "norrl") == [org]
    assert found(db, "organisation", "556677-8899") == [org]
    assert found(db, "organisation", "5566778899") == [org]


def test_renamed_organisation_is_found_by_its_new_name_only(db, create_org):
    org = create_org(name="Gamla Namnet AB")
    organisations.update(db, SYSTEM, org, {"name": "Nya Namnet AB", "country": "SE"})
    assert found(db, "organisation", "nya") == [org]
    assert found(db, "organisation", "gamla") == []


def test_deleted_organisation_leaves_the_index(db, create_org):
    org = create_org(name="Borttagen AB")
    db.execute("DELETE FROM organisations WHERE id = ?", [org])
    assert found(db, "organisation", "borttagen") == []


def test_procurement_is_found_by_reference_and_title_and_follows_edits(db, create_procurement):
    pid = create_procurement(reference="UH-2026-0042", title="Ombyggnad av kommunhuset")
    assert found(db, "procurement", "UH-2026-0042") == [pid]
    assert found(db, "procurement", "kommunhus") == [pid]
    procurements.update(db, SYSTEM, pid, {"reference": "UH-2026-0042", "title": "Nytt bibliotek"})
    assert found(db, "procurement", "kommunhus") == []
    assert found(db, "procurement", "bibliotek") == [pid]
    db.execute("DELETE FROM procurements WHERE id = ?", [pid])
    assert found(db, "procurement", "bibliotek") == []


def test_person_is_found_by_name_and_birth_year_with_or_without_diacritics(db, create_org):
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": PNR})
    assert found(db, "person", "öberg") == [1]
    assert found(db, "person", "oberg 1970") == [1]
    assert found(db, "person", "oberg 1971") == []


def test_person_index_holds_name_and_birth_year_never_the_personnummer(db, create_org):
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Öberg", "role": "ceo", "personnummer": PNR})
    assert store.indexed_person(db, 1) == {"name": "Lars Öberg", "birth_year": "1970"}
    stored = " ".join(str(v) for row in db.execute("SELECT * FROM search_persons_content") for v in row)
    assert "1238" not in stored and "0312" not in stored
    for text in (PNR, "19700312-1238", "1238", "700312"):
        assert found(db, "person", text) == [], text


def test_person_rename_and_erasure_update_the_index(db, create_org):
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Anna Andersson", "role": "ceo", "birth_date": "1980"})
    db.execute("UPDATE persons SET name = 'Anna Berg' WHERE id = 1")
    assert found(db, "person", "berg") == [1] and found(db, "person", "andersson") == []
    db.execute("UPDATE persons SET name = 'Raderad', erased_at = '2026-01-01' WHERE id = 1")
    assert store.indexed_person(db, 1) is None and found(db, "person", "raderad") == []


def test_migration_indexes_rows_that_existed_before_it(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.apply(db, stop_before="0006_search")
    # Plain SQL: the code of today may expect columns that later migrations add.
    db.execute("INSERT INTO organisations (id, name, country, created_at, updated_at) VALUES (7, 'Äldre Bolaget AB', 'SE', '', '')")
    db.execute("INSERT INTO persons (id, name, birth_date, created_at, updated_at) VALUES (8, 'Greta Gammal', '1950', '', '')")
    db.execute("INSERT INTO procurements (id, reference, title, created_at, updated_at) VALUES (9, 'UH-2020-1', 'Gammal', '', '')")
    upgrade(db)
    assert found(db, "organisation", "aldre") == [7]
    assert found(db, "person", "greta 1950") == [8]
    assert found(db, "procurement", "UH-2020") == [9]


# --- what users type never reaches FTS5 as syntax ----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("anna", '"anna"*'),
    ("Anna  Berg", '"Anna"* AND "Berg"*'),
    ('say "hi', '"say"* AND ("""hi"* OR "hi"*)'),
    ("556677-8899", '("556677-8899"* OR "5566778899"*)'),
    ("NEAR(a b)", '("NEAR(a"* OR "NEARa"*) AND ("b)"* OR "b"*)'),
    ("- * ^ :", None),
    ("", None),
    ("a\x00b", '"a"* AND "b"*'),
])
def test_fts_query_quotes_every_word(text, expected):
    assert store.fts_query(text) == expected


def test_fts_query_keeps_a_bounded_number_of_words():
    assert store.fts_query(" ".join(["ord"] * 50)).count('"ord"*') == store.MAX_TERMS


@pytest.fixture(scope="module")
def search_db(tmp_path_factory):
    """One small database for the generated queries (hypothesis runs many examples per test)."""
    db = connect(tmp_path_factory.mktemp("search") / "s.db")
    upgrade(db)
    org = organisations.create(db, SYSTEM, {"name": "Åhlén & Söner \"Bygg\" AB", "country": "SE",
                                            "identifier_type": "se_orgnr", "identifier": "5566778899"})
    organisations.add_key_person(db, SYSTEM, org, {"name": "Zoë O'Brien-Öberg", "role": "ceo", "birth_date": "1975"})
    procurements.create(db, SYSTEM, {"reference": "UH-2026-0001", "title": "Städ (NEAR) \"x\" * -y", "phase": "need"})
    yield db
    db.conn.close()


@settings(database=None, max_examples=300, deadline=None)
@given(text=st.text(max_size=80))
def test_arbitrary_text_never_makes_a_bad_query(search_db, text):
    groups = domain.search(search_db, text)
    assert set(groups) == set(store.KINDS)


@settings(database=None, max_examples=100, deadline=None)
@given(text=st.text(alphabet='"*^:()-+.,ABNORTaeöÅ 0123456789\\\'\t', max_size=40))
def test_fts_operators_in_input_are_only_text(search_db, text):
    domain.search(search_db, text)


# --- the pages -----------------------------------------------------------------------------------

@pytest.fixture
def records(db, create_org, create_procurement):
    org = create_org(name="Norrlands Bygg AB", identifier_type="se_orgnr", identifier="5566778899")
    organisations.add_key_person(db, SYSTEM, org, {"name": "Lars Norrman", "role": "ceo", "personnummer": PNR})
    create_procurement(reference="UH-2026-0042", title="Norrlandsvägen")
    return org


@pytest.mark.parametrize("role", ["procurement_officer", "security_officer", "reviewer", "auditor", "admin"])
def test_results_are_grouped_by_kind_with_links_for_every_role(login_as, records, role):
    page = login_as(role).get("/search/?q=norr").get_data(as_text=True)
    assert 'href="/procurements/1"' in page and 'href="/organisations/1"' in page and 'href="/persons/1"' in page
    assert page.index('id="results-procurement"') < page.index('id="results-organisation"') < page.index(
        'id="results-person"')
    assert "1238" not in page and "19700312" not in page  # a person shows name and birth year only


def test_header_has_a_labelled_search_box(login_as):
    page = login_as("reviewer").get("/").get_data(as_text=True)
    assert 'role="search"' in page and '<label for="site-search"' in page and 'id="site-search"' in page


def test_one_kind_is_paged(login_as, db, create_org):
    for i in range(30):
        create_org(name=f"Sökbolaget {i:02d} AB")
    client = login_as("reviewer")
    first = client.get("/search/?q=sökbolaget").get_data(as_text=True)
    assert len(re.findall(r'href="/organisations/\d+"', first)) == 10 and "type=organisation" in first
    page2 = client.get("/search/?q=sökbolaget&type=organisation&page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/organisations/\d+"', page2)) == 5 and 'id="results-person"' not in page2


@pytest.mark.parametrize("role", ["procurement_officer", "security_officer", "reviewer"])
def test_a_personnummer_in_the_address_is_neither_searched_nor_shown(login_as, records, role):
    client = login_as(role)
    client.post("/language", data={"lang": "en"})
    response = client.get("/search/?q=19700312-1238")
    assert response.status_code == 303 and "1238" not in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "1238" not in page and "19700312" not in page and "looked like a personnummer" in page
    assert 'href="/persons/1"' not in page


def test_security_officer_finds_a_person_by_posted_personnummer_and_it_is_audited(login_as, db, records):
    response = login_as("security_officer").post("/search/personnummer", data={"personnummer": "19700312-1238"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'href="/persons/1"' in page and "Lars Norrman" in page
    assert "1238" not in page and "19700312" not in page
    entry = next(db.query("SELECT * FROM audit_log WHERE action = 'person.search_personnummer'"))
    assert entry["record_id"] == "1" and "1238" not in (entry["after_json"] or "")


def test_unknown_or_malformed_personnummer_is_not_echoed(login_as, records):
    client = login_as("security_officer")
    unknown = client.post("/search/personnummer", data={"personnummer": "19121212-1212"})
    assert unknown.status_code == 200 and "1212" not in unknown.get_data(as_text=True)
    bad = client.post("/search/personnummer", data={"personnummer": "19700312-1239"})
    assert bad.status_code == 400 and "1239" not in bad.get_data(as_text=True)


@pytest.mark.parametrize("role", ["procurement_officer", "reviewer", "auditor", "admin"])
def test_only_roles_that_may_see_personal_data_look_up_by_personnummer(login_as, records, role):
    client = login_as(role)
    assert client.post("/search/personnummer", data={"personnummer": PNR}).status_code == 403
    assert 'action="/search/personnummer"' not in client.get("/search/?q=x").get_data(as_text=True)


def test_looks_like_personnummer_tells_people_from_organisations():
    assert domain.looks_like_personnummer("19700312-1238")
    assert domain.looks_like_personnummer("700312-1238")
    assert not domain.looks_like_personnummer("556677-8899")  # an organisation number ("month" 67)
    assert not domain.looks_like_personnummer("Lars 1970")
    assert domain.looks_like_personnummer("Lars Öberg 19700312-1238")  # inside other words too
    assert not domain.looks_like_personnummer("1197003121238")  # part of a longer number


# --- names across scripts ----------------------------------------------------------------------

def test_search_transliterates_names_both_ways(db, create_org):
    org = create_org(name="Ørsted Æbleø A/S")
    organisations.add_key_person(db, SYSTEM, org, {"name": "Виталий Кузьменко", "role": "ceo", "birth_date": "1971"})
    organisations.add_key_person(db, SYSTEM, org, {"name": "Vitaly Kuzmenko", "role": "board_member", "birth_date": "1980"})
    cyrillic, latin = 1, 2
    assert sorted(found(db, "person", "Kuzmenko")) == [cyrillic, latin]
    assert sorted(found(db, "person", "Кузьменко")) == [cyrillic, latin]
    assert found(db, "person", "kuzmenko 1971") == [cyrillic]
    assert found(db, "organisation", "Orsted") == [org]
    assert found(db, "organisation", "aebleo") == [org]
    assert found(db, "organisation", "Ørsted") == [org]


def test_folded_index_follows_renames_and_erasure(db, create_org):
    org = create_org()
    organisations.add_key_person(db, SYSTEM, org, {"name": "Łukasz Żółw", "role": "ceo", "birth_date": "1980"})
    assert found(db, "person", "lukasz zolw") == [1]
    db.execute("UPDATE persons SET name = 'Raderad', erased_at = '2026-01-01' WHERE id = 1")
    assert found(db, "person", "lukasz") == [] and found(db, "person", "raderad") == []
