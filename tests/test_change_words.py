"""Every kind of follow-up change, and every change a newer annual report raises (new and departed signers, signals,
an indicator of the model the new figures fire), reads in Swedish: no English words, no codes."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from swedish_text import findings_in_html
from vetting.domain import changes, company_facts
from vetting.vocabulary import change_text
from vetting.vocabulary.changes import change_kind


def _report(document_id: str, signers: list[str], equity: int, **signals: bool) -> dict:
    return {"annual_report.reports": [{"document_id": document_id, "fiscal_end": "2025-12-31"}],
            "company.officers": [{"name": n} for n in signers],
            "annual_report.key_figures": [{"end": "2025-12-31", "equity": equity, "share_capital": 25_000,
                                           "net_revenue": 1_000_000, "employees": 3}], **signals}


def _all_annual_report_changes() -> list[tuple[str, str, bool]]:
    """(kind, stored detail, alert) as follow-up stores them."""
    from vetting.domain.stored_text import encode

    before = _report("old", ["Anna Svensson", "Lars Öberg"], 400_000)
    after = _report("new", ["Anna Svensson", "Karin Ek"], -80_000, **{code: True for code in company_facts.SIGNALS})
    return [(kind, encode(code, **params), alert)
            for kind, code, params, alert in company_facts.report_changes(before, after)]


# Rows stored last session, before changes were stored as codes: English text, read by pattern.
OLD_ROWS = {"key_person_left": "No longer signs the annual report: Lars Öberg",
            "company.negative_equity": "Annual report: negative equity",
            "indicator CO-07": "CO-07 Negative equity or consumed share capital: organisation.equity = -80000, limit "
                               "0.5 × organisation.share_capital = 12500"}


def test_a_newer_annual_report_raises_each_kind_of_change():
    kinds = {kind for kind, _detail, _alert in _all_annual_report_changes()}
    assert {"annual_report", "key_person", "key_person_left", "indicator CO-07"} | set(company_facts.SIGNALS) <= kinds


def _swedish(html: str) -> list:
    return list(findings_in_html(f"<p>{html}</p>", "sv"))


@pytest.mark.parametrize("kind", sorted({*changes.MATTERS.values(), "new_match", "status", "fact"}
                                        | {k for k, _d, _a in _all_annual_report_changes()}))
def test_every_change_kind_has_swedish_words(app, kind):
    with app.test_request_context(), force_locale("sv"):
        words = change_kind(kind)
        assert words and words != kind and not _swedish(words), (kind, words)


def test_annual_report_changes_read_in_swedish(app):
    with app.test_request_context(), force_locale("sv"):
        shown = {kind: str(change_text(detail)) for kind, detail, _alert in _all_annual_report_changes()}
    assert "lang=\"en\"" not in "".join(shown.values()), shown
    for kind, html in shown.items():
        assert not _swedish(html), (kind, html)
    assert shown["key_person_left"] == "Undertecknar inte längre årsredovisningen: Lars Öberg"
    assert shown["key_person"] == "Ny undertecknare av årsredovisningen: Karin Ek"
    assert shown["company.negative_equity"] == "Årsredovisning: negativt eget kapital"
    assert shown["indicator CO-07"].startswith("CO-07 Negativt eget kapital eller förbrukat aktiekapital: ")


def test_annual_report_changes_stored_as_english_text_read_in_swedish(app):
    with app.test_request_context(), force_locale("sv"):
        shown = {kind: str(change_text(detail)) for kind, detail in OLD_ROWS.items()}
    assert shown["key_person_left"] == "Undertecknar inte längre årsredovisningen: Lars Öberg"
    assert shown["company.negative_equity"] == "Årsredovisning: negativt eget kapital"
    assert shown["indicator CO-07"].startswith("CO-07 Negativt eget kapital eller förbrukat aktiekapital: ")
    assert not any(_swedish(html) for html in shown.values()), shown
