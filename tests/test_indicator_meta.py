"""The meta-test: each of the 40 indicators of the model in use fires on one fixture and does not on another.

Each fixture is built the way the app learns things (a register's answer stored through the one door for
outcomes, an officer's manual-check answer with its document, the procurement's fields, tender prices, key persons,
the staff conflict list, follow-up alerts, the questionnaire) and decided by the app's own assessment
(``risk.assess`` / ``risk.answer``: risk_facts.build, then vetting/risk/evaluate.py with the published model).
The expected state of each fixture is written by hand from the indicator's description (quoted in the comment),
never computed from its rule. A new indicator without fixtures fails ``test_every_indicator_has_both_fixtures``.
"""
from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest

from checks import Finding, Outcome, Status
from vetting.domain import organisations, procurements, risk, screening
from vetting.domain.audit import SYSTEM
from vetting.domain.manual import record_answer
from vetting.store import risk as risk_store

PDF = b"%PDF-1.4\n% underlag\n"
FIRED, NOT_FIRED = "fired", "not_fired"


def _orgnr(n: int) -> str:
    """A valid Swedish organisation number (Luhn) for the n-th fixture organisation."""
    body = f"55690{n:04d}"
    total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(map(int, body)))
    return body + str((10 - total % 10) % 10)


class World:
    """Builds one fixture in the database the way the app's users and checks do."""

    def __init__(self, db: Any) -> None:
        self.db, self._n = db, count(1)

    def org(self, country: str = "SE", **values: Any) -> int:
        n = next(self._n)
        defaults = {"name": f"Fixtur {n} AB", "country": country, "address": f"Provgatan {n}, 111 {n:02d} Stockholm"}
        if country == "SE":
            defaults.update(identifier_type="se_orgnr", identifier=_orgnr(n))
        return organisations.create(self.db, SYSTEM, {**defaults, **values})

    def procurement(self, **values: Any) -> int:
        n = next(self._n)
        return procurements.create(self.db, SYSTEM, {"reference": f"UH-META-{n}", "title": "Provupphandling",
                                                     "phase": "evaluation", **values})

    def bidder(self, pid: int, org: int | None = None, role: str = "bidder", parent: int | None = None) -> tuple[int, int]:
        org = org or self.org()
        return org, procurements.add_participant(self.db, SYSTEM, pid, org, role, parent)

    def register(self, kind: str, subject_id: int, check_id: str, findings: dict[str, Any],
                 status: Status = Status.CLEAR) -> int:
        """A register's answer as its check reports it, stored through the one door for outcomes."""
        check = screening.all_checks()[check_id]
        outcome = Outcome(status, tuple(Finding(code, value, "fixture") for code, value in findings.items()))
        return screening.store_outcome(self.db, SYSTEM, screening.subject_of(self.db, kind, subject_id), check, outcome)

    def manual(self, kind: str, subject_id: int, check_id: str, **answer: Any) -> None:
        answer.setdefault("reply_date", "2026-11-02")
        record_answer(self.db, SYSTEM, kind, subject_id, check_id, answer, ("underlag.pdf", PDF))

    def facts_document(self, org: int, **figures: Any) -> None:
        record_answer(self.db, SYSTEM, "organisation", org, "company.facts_document",
                      {"fiscal_end": "2025-12-31", "currency": "SEK", "source": "annual_report", **figures},
                      ("arsredovisning.pdf", PDF))

    def person(self, org: int, name: str = "Anna Svensson", role: str = "ceo", personnummer: str | None = None) -> int:
        values = {"name": name, "role": role,
                  **({"personnummer": personnummer} if personnummer else {"birth_date": "1975-05-05"})}
        return organisations.add_key_person(self.db, SYSTEM, org, values)


# One fixture: build it, return (procurement, organisation, the officer's answers to the questionnaire).
Fixture = Callable[[World], tuple[int, int, dict[str, str]]]


def _bidder(w: World, **procurement: Any) -> tuple[int, int]:
    pid = w.procurement(**procurement)
    org, _part = w.bidder(pid)
    return pid, org


def _answered(fact: str, value: str, **procurement: Any) -> Fixture:
    def build(w: World) -> tuple[int, int, dict[str, str]]:
        pid, org = _bidder(w, **procurement)
        return pid, org, {fact: value}
    return build


def _with(setup: Callable[[World, int, int], dict[str, str] | None], **procurement: Any) -> Fixture:
    def build(w: World) -> tuple[int, int, dict[str, str]]:
        pid, org = _bidder(w, **procurement)
        return pid, org, setup(w, pid, org) or {}
    return build


def _clean_register(w: World, org: int, **extra: Any) -> None:
    w.register("organisation", org, "no.brreg", {"company.status": "active", "company.bankrupt": False,
                                                 "company.liquidation": False, "company.forcibly_dissolved": False,
                                                 "company.deleted": False, **extra})


def _shared_key_person(w: World, pid: int, org: int) -> None:
    other, _p = w.bidder(pid)
    for company in (org, other):
        w.person(company, "Karl Delad", "board_member", "197003121238")


def _failed_companies(w: World, pid: int, org: int) -> None:
    w.person(org, "Per Konkurs", "board_member", "196501011008")
    for _ in range(2):
        failed = w.org()
        w.person(failed, "Per Konkurs", "board_member", "196501011008")
        w.register("organisation", failed, "no.brreg", {"company.bankrupt": True, "company.status": "bankrupt"})


def _many_boards(w: World, pid: int, org: int) -> None:
    for company in [org] + [w.org() for _ in range(9)]:
        w.person(company, "Mona Målvakt", "board_member", "198002021007")


def _tenders(w: World, which: int) -> tuple[int, int, dict[str, str]]:
    pid = w.procurement(estimated_value=1_100_000)
    orgs = []
    for price in (600_000, 1_000_000, 1_100_000):
        org, part = w.bidder(pid)
        from vetting.domain import bids

        bids.set_bid_price(w.db, SYSTEM, part, price)
        orgs.append(org)
    return pid, orgs[which], {}


def _chain(w: World) -> tuple[int, int, dict[str, str]]:
    pid = w.procurement()
    org, top = w.bidder(pid)
    _sub, middle = w.bidder(pid, role="subcontractor", parent=top)
    w.bidder(pid, role="subcontractor", parent=middle)
    return pid, org, {}


def _russian_bidder(w: World) -> tuple[int, int, dict[str, str]]:
    pid = w.procurement()
    org, _part = w.bidder(pid, w.org(country="RU", name="Rossija OOO"))
    return pid, org, {}


def _changed_after_award(w: World, pid: int, org: int) -> None:
    _clean_register(w, org)
    _clean_register(w, org, **{"company.bankrupt": True, "company.status": "bankrupt"})


# id: (fixture that fires it, fixture that does not), each with what the description says decides it.
FIXTURES: dict[str, tuple[Fixture, Fixture]] = {
    # "the supplier itself declares in its ESPD that an exclusion ground applies"
    "EX-01": (_with(lambda w, p, o: w.manual("organisation", o, "espd", exclusion_declared="yes",
                                             truth_declaration="yes")),
              _with(lambda w, p, o: w.manual("organisation", o, "espd", exclusion_declared="no",
                                             truth_declaration="yes") or {"answer.EX-01": "no"})),
    # "public claims at the Enforcement Authority"
    "EX-02": (_with(lambda w, p, o: w.manual("organisation", o, "se.kronofogden", has_debts="yes",
                                             public_claims="40 000")),
              _with(lambda w, p, o: w.manual("organisation", o, "se.kronofogden", has_debts="no"))),
    # "The supplier is bankrupt ... according to ... a foreign register"
    "EX-03": (_with(lambda w, p, o: w.register("organisation", o, "no.brreg", {"company.bankrupt": True,
                                                                                 "company.status": "bankrupt"}) and None),
              _with(lambda w, p, o: _clean_register(w, o))),
    # "The organisation is deregistered, dissolved or struck off"
    "EX-04": (_with(lambda w, p, o: w.register("organisation", o, "no.brreg", {"company.deleted": True,
                                                                                 "company.status": "deregistered"})
                    and None),
              _with(lambda w, p, o: _clean_register(w, o))),
    # "A person on the supplier's board, in its management ... is under a trading prohibition"
    "EX-05": (_with(lambda w, p, o: w.manual("person", w.person(o), "se.naringsforbud", prohibited="yes")),
              _with(lambda w, p, o: w.manual("person", w.person(o), "se.naringsforbud", prohibited="no"))),
    # "The supplier is Russian" (a bidder is always in scope)
    "EX-06": (_russian_bidder, _answered("answer.EX-06", "no")),
    # "The supplier or one of its key persons is on a sanctions list"
    "EX-07": (_with(lambda w, p, o: w.register("organisation", o, "sanctions",
                                               {"sanctions.listed": {"list": "eu", "listed_id": "EU.1"}},
                                               Status.HIT)
                    and w.register("person", w.person(o), "sanctions", {}) and None),
              _with(lambda w, p, o: w.register("organisation", o, "sanctions", {})
                    and w.register("person", w.person(o), "sanctions", {}) and None)),
    # "The supplier has not signed the truth declaration"
    "EX-08": (_with(lambda w, p, o: w.manual("organisation", o, "espd", exclusion_declared="no",
                                             truth_declaration="no")),
              _with(lambda w, p, o: (w.manual("organisation", o, "espd", exclusion_declared="no",
                                              truth_declaration="yes"), _clean_register(w, o))
                    and {"answer.EX-08": "no"})),
    # "serious or persistent deficiencies in an earlier public contract that led to termination"
    "EX-09": (_answered("answer.EX-09", "yes"), _answered("answer.EX-09", "no")),
    # "The Swedish Work Environment Authority has imposed a sanction fee"
    "EX-10": (_with(lambda w, p, o: w.register("organisation", o, "se.arbetsmiljoverket",
                                               {"workplace.sanction_fees": 1, "workplace.injunctions": 0}) and None),
              _with(lambda w, p, o: w.register("organisation", o, "se.arbetsmiljoverket",
                                               {"workplace.sanction_fees": 0, "workplace.injunctions": 0})
                    and {"answer.EX-10": "no"})),
    # "shares a key person ... with another bidder ... and the officer ... found sufficiently plausible indications"
    "EX-11": (_with(lambda w, p, o: _shared_key_person(w, p, o) or {"answer.EX-11": "yes"}),
              _with(lambda w, p, o: w.bidder(p) and None)),  # another bidder sharing nothing
    # "A key person of the supplier is ... someone at the agency who takes part in the procurement"
    "EX-12": (_with(lambda w, p, o: (w.person(o, "Eva Jävsson"),
                                     risk.add_staff_conflict(w.db, SYSTEM, "Eva Jävsson", "", "handläggare"))
                    and None),
              _with(lambda w, p, o: w.person(o, "Olle Opartisk") and {"answer.EX-12": "no"})),
    # "not approved for F-tax according to the Tax Agency"
    "TX-01": (_with(lambda w, p, o: w.manual("organisation", o, "se.skatteverket", f_skatt="no",
                                             vat_registered="yes", employer_registered="yes")),
              _with(lambda w, p, o: w.manual("organisation", o, "se.skatteverket", f_skatt="yes",
                                             vat_registered="yes", employer_registered="yes"))),
    # "not registered for VAT according to the Tax Agency"
    "TX-02": (_with(lambda w, p, o: w.manual("organisation", o, "se.skatteverket", f_skatt="yes",
                                             vat_registered="no", employer_registered="yes")),
              _with(lambda w, p, o: w.manual("organisation", o, "se.skatteverket", f_skatt="yes",
                                             vat_registered="yes", employer_registered="yes"))),
    # "a labour-intensive service but the supplier is not registered as an employer"
    "TX-03": (_with(lambda w, p, o: w.manual("organisation", o, "se.skatteverket", f_skatt="yes",
                                             vat_registered="yes", employer_registered="no"),
                    labour_intensive="yes"),
              _with(lambda w, p, o: w.manual("organisation", o, "se.skatteverket", f_skatt="yes",
                                             vat_registered="yes", employer_registered="no"),
                    labour_intensive="no")),
    # "unpaid debts to companies or individuals that the Enforcement Authority is collecting"
    "TX-04": (_with(lambda w, p, o: w.manual("organisation", o, "se.kronofogden", has_debts="yes",
                                             private_claims="5 000")),
              _with(lambda w, p, o: w.manual("organisation", o, "se.kronofogden", has_debts="yes",
                                             public_claims="3 000", private_claims="0"))),
    "TX-05": (_answered("answer.TX-05", "yes"), _answered("answer.TX-05", "no")),
    "TX-06": (_answered("answer.TX-06", "yes"), _answered("answer.TX-06", "no")),
    # "registered less than 24 months ago"
    "CO-01": (_with(lambda w, p, o: _clean_register(w, o, **{"company.age_days": 100})),
              _with(lambda w, p, o: _clean_register(w, o, **{"company.age_days": 4000}))),
    "CO-02": (_answered("answer.CO-02", "yes"), _answered("answer.CO-02", "no")),
    # "None of the company's registered industry codes belongs to the industry of the contract" (cleaning)
    "CO-03": (_with(lambda w, p, o: w.register("organisation", o, "se.bolagsverket",
                                               {"company.industry_codes": ["62010"]}) and None,
                    cpv_code="90910000-9"),
              _with(lambda w, p, o: w.register("organisation", o, "se.bolagsverket",
                                               {"company.industry_codes": ["62010", "81210"]}) and None,
                    cpv_code="90910000-9")),
    # "fewer employees than the staff the agency estimates the assignment needs"
    "CO-04": (_with(lambda w, p, o: w.facts_document(o, employees="2"), required_staff="5"),
              _with(lambda w, p, o: w.facts_document(o, employees="12"), required_staff="5")),
    # "turnover in its latest financial year is lower than the contract's estimated value per year"
    "CO-05": (_with(lambda w, p, o: w.facts_document(o, net_revenue="1 000 000"), annual_value="5 000 000"),
              _with(lambda w, p, o: w.facts_document(o, net_revenue="10 000 000"), annual_value="5 000 000")),
    # "The company has not filed its annual report on time, or a foreign register reports its accounts overdue"
    "CO-06": (_with(lambda w, p, o: w.register("organisation", o, "gb.companies_house",
                                               {"company.filings_overdue": True}) and None),
              _answered("answer.CO-06", "no")),
    # "equity in its latest annual report is less than half its share capital, or negative"
    "CO-07": (_with(lambda w, p, o: w.facts_document(o, equity="-50 000", share_capital="25 000")),
              _with(lambda w, p, o: w.facts_document(o, equity="300 000", share_capital="25 000"))),
    # "the company has no auditor although required to have one"
    "CO-08": (_with(lambda w, p, o: w.register("organisation", o, "se.bolagsverket.arsredovisning",
                                               {"annual_report.auditor_missing": True}) and None),
              _answered("answer.CO-08", "no")),
    # "The company's address is a post box"
    "CO-09": (_with(lambda w, p, o: _clean_register(w, o, **{"company.address_box": True,
                                                             "company.address_co": False})),
              _with(lambda w, p, o: _clean_register(w, o, **{"company.address_box": False,
                                                             "company.address_co": False}))),
    "CO-10": (_answered("answer.CO-10", "yes"), _answered("answer.CO-10", "no")),
    "RP-01": (_answered("answer.RP-01", "yes"), _answered("answer.RP-01", "no")),
    # "a leading role in at least two other companies that went bankrupt"
    "RP-02": (_with(lambda w, p, o: _failed_companies(w, p, o)),
              _with(lambda w, p, o: w.person(o, "Per Ren", "board_member", "196501011008") and None)),
    # "A key person holds a leading role in an unusually large number of companies" (ten)
    "RP-03": (_with(lambda w, p, o: _many_boards(w, p, o)),
              _with(lambda w, p, o: w.person(o, "Mona Vanlig", "board_member", "198002021007") and None)),
    "RP-04": (_answered("answer.RP-04", "yes"), _answered("answer.RP-04", "no")),
    "RP-05": (_answered("answer.RP-05", "yes"), _answered("answer.RP-05", "no")),
    # "more than 25 % below the median of all tenders": 600 000 against a median of 1 000 000; the median itself
    "BD-01": (lambda w: _tenders(w, 0), lambda w: _tenders(w, 1)),
    # "The chain of subcontractors has three tiers or more"; one tier before award
    "BD-02": (_chain, _with(lambda w, p, o: None)),
    # "During the contract the supplier asks for payment ... in cash"; before award there is no payment
    "BD-03": (_answered("answer.BD-03", "yes", phase="signed"), _with(lambda w, p, o: None)),
    # "During the contract ... the supplier's bank details have changed"
    "BD-04": (_answered("answer.BD-04", "yes", phase="signed"), _with(lambda w, p, o: None)),
    # "At an on-site check, people are working who are not employed by the supplier"
    "BD-05": (_answered("answer.BD-05", "yes", phase="signed"), _with(lambda w, p, o: None)),
    # "The contract ... belongs to an industry where ... the risk ... is high" (security services; IT is not)
    "BD-06": (_with(lambda w, p, o: None, cpv_code="79710000-4"),
              _with(lambda w, p, o: None, cpv_code="72000000-5")),
    # "When the checks are re-run during the contract, something material has changed ... a bankruptcy"
    "BD-07": (_with(_changed_after_award, phase="signed"),
              _with(lambda w, p, o: _clean_register(w, o), phase="signed")),
}


def test_every_indicator_has_both_fixtures(db):
    model = risk.current_model(db)
    assert sorted(FIXTURES) == sorted(i.id for i in model.indicators)
    assert len(model.indicators) == 40


@pytest.mark.parametrize(("indicator_id", "position", "expected"),
                         [(i, n, s) for i in sorted(FIXTURES) for n, s in enumerate((FIRED, NOT_FIRED))])
def test_indicator_on_its_fixture(db, indicator_id, position, expected):
    pid, org, answers = FIXTURES[indicator_id][position](World(db))
    if answers:
        assessment_id = risk.answer(db, SYSTEM, pid, org, answers)
    else:
        assessment_id = risk.assess(db, SYSTEM, pid, org)
    result = next(r for r in risk_store.assessment(db, assessment_id)["results"] if r["id"] == indicator_id)
    assert result["state"] == expected, result["detail"]
    if expected == FIRED:
        assert result["evidence"], "a fired indicator points at what it rests on"
