"""The organisation list's text filter (any part of a name or an identifier) through its trigram index
(migration 0029): the same matches as before, found without reading every organisation, and the index holds
no more of a sole trader's number than the other search indexes do."""
from __future__ import annotations

import factories
from vetting.domain import organisations
from vetting.domain.audit import SYSTEM
from vetting.store import organisations as org_store

NAMES = ("Alfa Bygg AB", "Beta Städ AB", "Labb AB", 'Citat "Bra" AB', "Кузьменко Транспорт", "Gamma 50% Rabatt AB")


def _found(db, text: str) -> set[str]:
    rows, total = org_store.search(db, text=text, page_size=100)
    assert total == len(rows)
    return {r["name"] for r in rows}


def test_the_filter_matches_any_part_of_a_name_or_an_identifier(db):
    for name in NAMES:
        factories.organisation(db, name=name)
    factories.organisation(db, name="Nummerbolaget AB", identifier_type="se_orgnr", identifier="5566778899")
    expected = {"fa byg": {"Alfa Bygg AB"}, "ALFA": {"Alfa Bygg AB"}, "ab": {"Labb AB"} | {n for n in NAMES if "AB" in n}
                | {"Nummerbolaget AB"}, "städ": {"Beta Städ AB"}, '"Bra"': {'Citat "Bra" AB'}, "зьмен": {"Кузьменко Транспорт"},
                "50%": {"Gamma 50% Rabatt AB"}, "5%": set(), "556677-8899": {"Nummerbolaget AB"},
                "677 88": {"Nummerbolaget AB"}, "Bygg Städ": set(), "a-b": set()}
    for text, names in expected.items():
        assert _found(db, text) == names, text


def test_a_renamed_or_merged_away_organisation_is_found_by_what_it_is_now(db):
    old = factories.organisation(db, name="Gamla Namnet AB")
    other = factories.organisation(db, name="Borttagna Kopian AB")
    organisations.update(db, SYSTEM, old, {**organisations.get(db, old), "name": "Nya Namnet AB"})
    db.execute("UPDATE organisations SET merged_into = ? WHERE id = ?", [old, other])
    assert _found(db, "Gamla") == set() and _found(db, "Nya Namnet") == {"Nya Namnet AB"}
    assert _found(db, "Kopian") == set()


def test_the_index_holds_only_the_date_part_of_a_sole_traders_number(db):
    factories.organisation(db, name="Bo Ekmans Åkeri", identifier_type="se_orgnr", identifier="6509204712")
    factories.organisation(db, name="Bo Ekmans Firma", identifier_type="vat", identifier="SE650920471201")
    indexed = " ".join(str(r) for r in db.execute("SELECT * FROM search_organisations_trigram"))
    assert "650920" in indexed and "6509204712" not in indexed and "4712" not in indexed


def _cost(db, text: str) -> int:
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    db.conn.set_progress_handler(step, 100)
    try:
        org_store.search(db, text=text)
    finally:
        db.conn.set_progress_handler(None, 100)
    return steps[0]


def test_a_text_search_does_not_read_every_organisation(db):
    """The database's work (SQLite instructions) for a search that finds two organisations hardly grows when
    ten times as many others are stored; reading every name grew with them (the list's old LIKE scan)."""
    factories.organisation(db, name="Norrlands Ventilation AB")
    factories.organisation(db, name="Södra Ventilation AB")

    def add(n: int) -> None:
        for i in range(n):
            factories.organisation(db, name=f"Leverantör {i} Bygg och Städ AB")

    add(200)
    small = _cost(db, "Ventilation")
    add(1800)
    large = _cost(db, "Ventilation")
    assert _found(db, "Ventilation") == {"Norrlands Ventilation AB", "Södra Ventilation AB"}
    assert large < 2 * small + 20, (small, large)
