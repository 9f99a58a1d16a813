"""The checkpoint inbox shows one page per box, so its size does not grow with what waits (issue 14)."""
from __future__ import annotations

import re

from factories import procurement
from vetting.store import checkpoints as store
from vetting.store import write_transaction

WAITING = 60  # periodic follow-ups (CP9) a reviewer prepares


def _open_follow_ups(db, count: int) -> None:
    pid = procurement(db)
    with write_transaction(db):
        for n in range(count):
            store.insert(db, procurement_id=pid, template_id="CP9", trigger="periodic", event_detail={"n": n},
                         due_at=f"2999-01-{n % 28 + 1:02d}T00:00:00")


def _rows_of_box(html: str, box: str) -> int:
    section = html.split(f'id="box-{box}"', 1)[1].split("</section>", 1)[0]
    return len(re.findall(r"<tr>\s*<td>", section))


def test_a_box_shows_one_page_and_links_to_the_next(db, client, login_as):
    _open_follow_ups(db, WAITING)
    login_as("reviewer")
    first = client.get("/checkpoints/").get_data(as_text=True)
    assert _rows_of_box(first, "rest") == 25
    assert f"({WAITING})" in first.split('id="box-rest"', 1)[1][:80]  # the heading still counts them all
    assert "rest_page=2" in first
    last = client.get("/checkpoints/?rest_page=3").get_data(as_text=True)
    assert _rows_of_box(last, "rest") == WAITING - 50
    assert "rest_page=4" not in last


def test_a_page_beyond_the_end_shows_the_last_page(db, client, login_as):
    _open_follow_ups(db, 30)
    login_as("reviewer")
    assert _rows_of_box(client.get("/checkpoints/?rest_page=99").get_data(as_text=True), "rest") == 5
