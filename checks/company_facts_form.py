"""Company facts from a document, for a company whose register gives none (foreign companies, Companies House,
which publishes no figures through its API; a Swedish company without a digital annual report): the officer
types the figures from the annual report, the ESPD's part IV or an auditor's certificate and attaches that
document, which is kept as evidence with its SHA-256. Recorded on request only, never part of a screening run."""
from __future__ import annotations

from typing import ClassVar

from .manual import NOTE, ManualCheck, ManualField, _findings_of

CURRENCIES = ("SEK", "NOK", "DKK", "EUR", "GBP", "USD")


class CompanyFactsCheck(ManualCheck):
    id = "company.facts_document"
    name = {"sv": "Företagsuppgifter ur dokument", "en": "Company facts from a document"}
    applies_to = frozenset({"organisation"})
    on_request_only = True
    document_required = True
    instructions = {"sv": "För in antal anställda, omsättning, eget kapital och aktiekapital ur årsredovisningen, "
                          "ESPD:ns del IV eller ett revisorsintyg, och bifoga dokumentet.",
                    "en": "Record employees, turnover, equity and share capital from the annual report, the ESPD's "
                          "part IV or an auditor's certificate, and attach the document."}
    FIELDS = (
        ManualField("fiscal_end", "date", {"sv": "Räkenskapsårets slut", "en": "End of the fiscal year"},
                    "facts.fiscal_end"),
        ManualField("employees", "count", {"sv": "Medelantal anställda", "en": "Average number of employees"},
                    "facts.employees", required=False),
        ManualField("net_revenue", "amount", {"sv": "Nettoomsättning", "en": "Net revenue"}, "facts.net_revenue",
                    required=False),
        ManualField("equity", "signed_amount", {"sv": "Eget kapital", "en": "Equity"}, "facts.equity",
                    required=False),
        ManualField("share_capital", "amount", {"sv": "Aktiekapital", "en": "Share capital"}, "facts.share_capital",
                    required=False),
        ManualField("currency", "choice", {"sv": "Valuta", "en": "Currency"}, "facts.currency",
                    choices=tuple((c, {"sv": c, "en": c}) for c in CURRENCIES)),
        ManualField("source", "choice", {"sv": "Dokument", "en": "Document"}, "facts.source", choices=(
            ("annual_report", {"sv": "Årsredovisning", "en": "Annual report"}),
            ("espd", {"sv": "ESPD del IV", "en": "ESPD part IV"}),
            ("auditor", {"sv": "Revisorsintyg", "en": "Auditor's certificate"}),
            ("other", {"sv": "Annat dokument", "en": "Other document"}))),
        NOTE,
    )
    # At least one figure: a document that states none adds nothing to what is known.
    REQUIRED_ANY: ClassVar[tuple[str, ...]] = ("employees", "net_revenue", "equity", "share_capital")
    FINDINGS = _findings_of(FIELDS)
    ADVERSE = {"facts.equity": lambda equity: equity < 0}
