"""Swedish by default, English on request; numbers and dates per locale; every string translated."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "vetting" / "translations" / "sv" / "LC_MESSAGES"


def test_swedish_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="sv"' in page and "Logga in" in page


def test_language_switch_to_english_and_back(client):
    client.post("/language", data={"lang": "en", "next": "/login"})
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"lang": "sv", "next": "/login"})
    assert "Logga in" in client.get("/login").get_data(as_text=True)


def test_amounts_use_swedish_grouping_with_no_break_space(login_as, create_procurement):
    pid = create_procurement(estimated_value=18500000)
    page = login_as("reviewer").get(f"/procurements/{pid}").get_data(as_text=True)
    assert "18\u00a0500\u00a0000\u00a0SEK" in page


def test_amounts_in_english(login_as, create_procurement):
    pid = create_procurement(estimated_value=18500000)
    client = login_as("reviewer")
    client.post("/language", data={"lang": "en"})
    assert "18,500,000\u00a0SEK" in client.get(f"/procurements/{pid}").get_data(as_text=True)


def test_every_message_in_code_and_templates_has_a_swedish_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), str(ROOT)], check=True, cwd=ROOT)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with (CATALOGUE / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue
                  if m.id and m.string and (m.string if isinstance(m.string, str) else all(m.string)) and not m.fuzzy}
    assert sorted(wanted - translated) == []


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_compiled_catalogue_matches_the_po_file():
    with (CATALOGUE / "messages.po").open("rb") as f:
        po = {_key(m.id): _key(m.string) for m in read_po(f) if m.id and not m.fuzzy}
    with (CATALOGUE / "messages.mo").open("rb") as f:
        mo = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    assert po == mo
