"""A sanctions match names its list as an officer knows it (FN:s säkerhetsråd), not by the stored code (``un``)."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from factories import organisation, sanctions_outcome

UN_IN_SWEDISH = "FN:s säkerhetsråd"  # the list's name as Swedish officers write it


@pytest.mark.parametrize("page", ["/screening/organisation/{org}", "/screening/review"])
def test_swedish_match_names_the_list_and_keeps_the_entry_id(db, login_as, page):
    org = organisation(db)
    sanctions_outcome(db, "organisation", org, "possible_match")  # one match: list "un", entry QDi.<org>
    entry_id = f"QDi.{org:03d}"

    html = login_as("security_officer").get(page.format(org=org)).get_data(as_text=True)

    heading = " ".join(BeautifulSoup(html, "html.parser").select_one("article.match h4").get_text(" ").split())
    assert f"({UN_IN_SWEDISH} {entry_id}" in heading, heading
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert not re.search(rf"\bun\s+{re.escape(entry_id)}", text), "the bare list code is shown beside the entry id"
