"""Facts the risk model reads, in words, and the rule explanations of vetting/risk/indicators.py in the reader's language.

The risk rules explain themselves in a small fixed grammar over fact codes ("company.status is unknown",
"subcontracting.depth: 4 (limit 3)", "contract.signed = False"). Codes stay in the stored assessment; this
module turns each part into words. A part it does not recognise is returned marked as English text.
"""
from __future__ import annotations

import ast
import re
from typing import Any

from flask_babel import gettext as _
from ..translation import lazy_gettext as _l
from markupsafe import Markup, escape

from .basic import country_name, label, number, yes_no

FACTS = {
    "company.address_box": _l("postal address is a box address"),
    "company.address_co": _l("address is care of (c/o)"),
    "company.age_days": _l("days since registration"),
    "company.bankrupt": _l("bankrupt"),
    "company.employees": _l("employees registered"),
    "company.share_capital": _l("registered share capital"),
    "facts.fiscal_end": _l("end of the fiscal year"),
    "facts.employees": _l("average number of employees"),
    "facts.net_revenue": _l("net revenue"),
    "facts.equity": _l("equity"),
    "facts.share_capital": _l("share capital"),
    "facts.currency": _l("currency"),
    "facts.source": _l("document"),
    "company.deleted": _l("deleted from the register"),
    "company.deregistration_reason": _l("reason for deregistration"),
    "company.field_errors": _l("register fields answered with an error"),
    "company.filings_overdue": _l("annual reports overdue"),
    "company.negative_equity": _l("negative equity"),
    "company.share_capital_below_minimum": _l("share capital below the legal minimum"),
    "company.revenue_without_employees": _l("revenue but no employees"),
    "annual_report.auditor_missing": _l("no auditor although required"),
    "company.forcibly_dissolved": _l("forcibly dissolved"),
    "company.industry_codes": _l("industry codes (SNI)"),
    "company.insolvency_cases": _l("insolvency cases"),
    "company.insolvency_history": _l("earlier insolvency"),
    "company.legal_form": _l("legal form"),
    "company.liquidation": _l("in liquidation"),
    "company.name": _l("registered name"),
    "company.not_found": _l("not found in the register"),
    "company.officer_disqualified": _l("officer disqualified"),
    "company.officers": _l("registered officers"),
    "company.operating": _l("operating"),
    "company.proceedings": _l("ongoing proceedings"),
    "company.reconstruction": _l("in company reconstruction"),
    "company.registration_date": _l("registration date"),
    "company.status": _l("register status"),
    "debarment.listed": _l("on a debarment list"),
    "debarment.possible_match": _l("possible match on a debarment list"),
    "lei.entity_status": _l("LEI entity status"),
    "lei.jurisdiction": _l("LEI jurisdiction"),
    "lei.lapsed": _l("LEI lapsed"),
    "lei.legal_name": _l("LEI legal name"),
    "lei.next_renewal_date": _l("LEI next renewal date"),
    "lei.not_found": _l("LEI not found"),
    "lei.parent": _l("LEI parent"),
    "lei.registered_as": _l("LEI registered as"),
    "lei.status": _l("LEI registration status"),
    "sanctions.listed": _l("on a sanctions list"),
    "sanctions.possible_match": _l("possible match on a sanctions list"),
    "pep.match": _l("resembles a politically exposed person"),
    "vat.address": _l("VAT address"),
    "vat.invalid_input": _l("VAT number rejected"),
    "vat.name": _l("VAT name"),
    "vat.number": _l("VAT number"),
    "vat.request_date": _l("VAT check date"),
    "vat.valid": _l("valid VAT number"),
    "workplace.decisions": _l("Work Environment Authority decisions"),
    "workplace.documents": _l("Work Environment Authority documents"),
    "workplace.injunctions": _l("injunctions or prohibitions"),
    "workplace.inspections": _l("inspections"),
    "workplace.period_from": _l("period searched from"),
    "workplace.sanction_fees": _l("sanction fees"),
    "workplace.truncated": _l("more documents than shown"),
    "bid.price": _l("tender price"),
    "bids.median_price": _l("median tender price"),
    "contract.signed": _l("contract signed"),
    "followup.changed_facts": _l("facts changed since award"),
    "graph.key_person_engagements": _l("key roles held by the person"),
    "graph.key_person_failed_companies": _l("failed companies where the person held a key role"),
    "graph.organisations_at_address": _l("organisations at the same address"),
    "graph.shared_with_other_bidder": _l("shared with another bidder"),
    "graph.staff_conflict": _l("conflict with agency staff"),
    "invoice.other_issuer": _l("invoices from another legal person"),
    "organisation.annual_turnover": _l("annual turnover"),
    "organisation.country": _l("country"),
    "organisation.employees": _l("employees"),
    "organisation.equity": _l("equity"),
    "organisation.industry_code": _l("industry code (SNI)"),
    "organisation.share_capital": _l("share capital"),
    "participant.role": _l("role in the procurement"),
    "payment.account_not_owned": _l("payee account not the supplier's"),
    "payment.bank_details_changed": _l("bank details changed"),
    "procurement.annual_value": _l("annual contract value"),
    "procurement.cpv_code": _l("CPV code"),
    "procurement.estimated_value": _l("estimated value"),
    "procurement.labour_intensive": _l("labour-intensive service"),
    "procurement.required_staff": _l("staff the assignment needs"),
    "procurement.risk_industry": _l("risk-exposed industry"),
    "subcontracting.depth": _l("subcontractor tiers"),
    "subcontractor.share_percent": _l("share of the contract (%)"),
    "tax.f_skatt": _l("approved for F-tax"),
    "tax.vat_registered": _l("registered for VAT"),
    "tax.employer_registered": _l("registered as employer"),
    "tax.arrears_amount": _l("tax arrears"),
    "debts.any": _l("debts with the Enforcement Authority"),
    "debts.public_amount": _l("public claims"),
    "debts.private_amount": _l("private claims"),
    "person.trading_prohibition": _l("trading prohibition"),
    "espd.exclusion_declared": _l("exclusion ground declared in the ESPD"),
    "espd.truth_declaration_signed": _l("truth declaration signed"),
    "poit.notice": _l("notices in PoIT"),
}
ANSWER_PREFIX = "answer."


def fact_label(code: str) -> str:
    """The words for a fact code; an officer's answer to a question is named by the question's id."""
    if code in FACTS:
        return str(FACTS[code])
    if code.startswith(ANSWER_PREFIX):
        return _("answer to question %(id)s", id=code[len(ANSWER_PREFIX):])
    return code.replace("_", " ").replace(".", ": ")


def _value(fact: str, raw: str) -> str:
    """A value as the rule printed it (Python repr) in words: Ja/Nej, numbers per locale, names for codes."""
    try:
        value: Any = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(fact, repr(v)) for v in value) if value else _("none")
    if isinstance(value, str):
        return coded_value(fact, value) or value
    return str(value)


# Facts whose value is a code of one of the vocabularies (words.py VOCABULARIES).
CODED_FACTS = {"participant.role": "participant_role", "company.status": "company_status"}


def coded_value(fact: str, value: Any) -> str | None:
    """A fact's coded value (a country, a role, a company status) in words; None when the fact has no codes."""
    if not isinstance(value, str):
        return None
    if fact == "organisation.country":
        return country_name(value)
    if fact in CODED_FACTS:
        return label(CODED_FACTS[fact], value)
    return None


_FACT = r"[\w.-]+"
_NUM = r"-?[\d.e+]+"
_PATTERNS: list[tuple[re.Pattern[str], Any]] = []


def _pattern(regex: str) -> Any:
    def register(fn: Any) -> Any:
        _PATTERNS.append((re.compile(regex + r"$"), fn))
        return fn
    return register


@_pattern(rf"(?P<facts>{_FACT}(?:, {_FACT})*) (?:is|are) unknown")
def _unknown(m: re.Match[str]) -> str:
    names = [fact_label(f) for f in m["facts"].split(", ")]
    return _("%(facts)s: unknown", facts=", ".join(names))


@_pattern(rf"(?P<fact>{_FACT}) has not been answered")
def _unanswered(m: re.Match[str]) -> str:
    return _("%(fact)s: not answered", fact=fact_label(m["fact"]))


@_pattern(rf"(?P<fact>{_FACT}) = (?P<value>.+) cannot be read as .+")
def _unreadable(m: re.Match[str]) -> str:
    return _("%(fact)s: the value %(value)s cannot be read", fact=fact_label(m["fact"]), value=m["value"])


@_pattern(rf"answer (?P<yes>yes|no) \((?P<fact>{_FACT})\)")
def _answer(m: re.Match[str]) -> str:
    return f"{fact_label(m['fact'])}: {yes_no(m['yes'] == 'yes')}"


@_pattern(rf"(?P<fact>{_FACT}) = (?P<n>{_NUM}) \((?P<cmp>above|not above|below|not below) (?P<m>{_NUM})\)")
def _compare(m: re.Match[str]) -> str:
    words = {"above": _("above %(limit)s"), "not above": _("not above %(limit)s"), "below": _("below %(limit)s"),
             "not below": _("not below %(limit)s")}
    limit = words[m["cmp"]] % {"limit": number(float(m["m"]))}
    return f"{fact_label(m['fact'])}: {number(float(m['n']))} ({limit})"


@_pattern(rf"(?P<fact>{_FACT}): (?P<n>{_NUM}) \(limit (?P<m>{_NUM})\)")
def _count(m: re.Match[str]) -> str:
    return _("%(fact)s: %(count)s (limit %(limit)s)", fact=fact_label(m["fact"]), count=number(float(m["n"])),
             limit=number(float(m["m"])))


@_pattern(rf"(?P<fact>{_FACT}) = (?P<value>.+) \((?P<listed>listed|not listed)\)")
def _listed(m: re.Match[str]) -> str:
    word = _("one of those listed in the model") if m["listed"] == "listed" else _("not one of those listed in the model")
    return f"{fact_label(m['fact'])}: {_value(m['fact'], m['value'])} ({word})"


@_pattern(rf"(?P<fact>{_FACT}) = (?P<value>.+) \(matches: (?P<hits>.+)\)")
def _prefix(m: re.Match[str]) -> str:
    return _("%(fact)s: %(value)s (matches %(hits)s)", fact=fact_label(m["fact"]), value=_value(m["fact"], m["value"]),
             hits=m["hits"])


@_pattern(rf"(?P<fact>{_FACT}) = (?P<value>.+) \(no listed prefix\)")
def _no_prefix(m: re.Match[str]) -> str:
    return _("%(fact)s: %(value)s (no code the model lists)", fact=fact_label(m["fact"]),
             value=_value(m["fact"], m["value"]))


@_pattern(rf"no hit and no open possible match \((?P<a>{_FACT}), (?P<b>{_FACT})\)")
def _no_hit(m: re.Match[str]) -> str:
    return _("%(fact)s: no hit and no possible match awaiting review", fact=fact_label(m["a"]))


@_pattern(rf"(?P<fact>{_FACT}): (?P<value>.+) awaits review")
def _awaits(m: re.Match[str]) -> str:
    return _("%(fact)s: awaits review", fact=fact_label(m["fact"]))


@_pattern("no key persons are registered")
def _no_persons(m: re.Match[str]) -> str:
    return _("no key persons are registered")


@_pattern(r"the model expects no industry for CPV (?P<cpv>\S+)")
def _no_expectation(m: re.Match[str]) -> str:
    return _("the model expects no particular industry for CPV %(cpv)s", cpv=m["cpv"])


@_pattern(r"CPV (?P<cpv>\S+) expects SNI (?P<sni>.+)")
def _expects(m: re.Match[str]) -> str:
    return _("CPV %(cpv)s expects SNI %(sni)s", cpv=m["cpv"], sni=m["sni"])


@_pattern(rf"(?P<fact>{_FACT}) = (?P<a>{_NUM}), limit (?P<r>{_NUM}) × (?P<ref>{_FACT}) = (?P<limit>{_NUM})")
def _ratio(m: re.Match[str]) -> str:
    return _("%(fact)s: %(value)s, limit %(ratio)s × %(reference)s = %(limit)s", fact=fact_label(m["fact"]),
             value=number(float(m["a"])), ratio=number(float(m["r"])), reference=fact_label(m["ref"]),
             limit=number(float(m["limit"])))


@_pattern(rf"(?P<fact>{_FACT}) = (?P<value>.+)")
def _equals(m: re.Match[str]) -> str:
    return f"{fact_label(m['fact'])}: {_value(m['fact'], m['value'])}"


@_pattern(rf"(?P<fact>{_FACT}): (?P<value>.+)")
def _shown(m: re.Match[str]) -> str:
    return f"{fact_label(m['fact'])}: {_value(m['fact'], m['value'])}"


_PERSON = re.compile(r"(?P<name>[^;()]+?) \((?P<role>[a-z_]+)\): (?P<rest>.+)")


def _part(text: str) -> Markup:
    person = _PERSON.match(text)
    if person and not person["name"].startswith(("answer", "no hit")) and "." not in person["name"]:
        return Markup("{} ({}): {}").format(person["name"], label("key_role", person["role"]), _part(person["rest"]))
    for regex, fn in _PATTERNS:
        m = regex.match(text)
        if m:
            return escape(fn(m))
    return Markup('<span lang="en">{}</span>').format(text)


def rule_detail(detail: str | None) -> Markup:
    """A rule's stored explanation in the reader's language (HTML: unknown parts are marked ``lang="en"``)."""
    if not detail:
        return Markup("")
    return Markup("; ").join(_part(p.strip()) for p in detail.split("; ") if p.strip())


EVIDENCE_KINDS = {
    "outcome": _l("check result"), "procurement": _l("the procurement's details"),
    "participant": _l("the party's role in the procurement"), "organisation": _l("the organisation's details"),
    "graph": _l("common denominators"), "staff_conflicts": _l("the staff conflict list"), "answer": _l("answer"),
    "alert": _l("follow-up alert"),
    "espd": _l("ESPD"), "truth_declaration": _l("truth declaration"),
}


def evidence_label(ref: str) -> str:
    """An evidence reference of a risk result (``participant:9``, ``graph:person:2``) in words."""
    kind, _sep, ident = ref.partition(":")
    if kind == "graph" and ident.startswith("person:"):
        return _("the key person's other roles")
    word = EVIDENCE_KINDS.get(kind)
    if word is None:
        return ref.replace("_", " ")
    return str(word) if kind in ("procurement", "participant", "organisation", "graph", "staff_conflicts") else f"{word} {ident}"


_REASON = re.compile(r"(?P<head>[A-Z]{2,3}-\d{2}|.+?\)): (?P<detail>.+?)(?P<dot>\.?)$")
_PAREN = re.compile(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)")


def reason_line(text: str | None) -> Markup:
    """One line of a risk score's reasons ("BD-06 Riskbransch (låg, 0 poäng): <rule detail>.") in words."""
    if not text:
        return Markup("")
    m = _REASON.match(text)
    if not m or not re.search(r"[\w]\.[\w]| = |: \d| is unknown| has not been answered", m["detail"]):
        return escape(text)
    head = _PAREN.sub(lambda g: "(" + _(g[1]) + ")", m["head"])
    return Markup("{}: {}{}").format(head, rule_detail(m["detail"]), m["dot"])
