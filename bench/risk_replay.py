"""Replay benchmark of the risk model: 10,000 synthetic organisations with 50,000 key persons, two model versions."""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vetting.risk import CaseFacts, Fact, Model, evaluate, load_model, score  # noqa: E402
from vetting.risk.model import DEFAULT_MODEL  # noqa: E402

Gen = Callable[[random.Random], Any]


def _yes(p: float) -> Gen:
    return lambda r: r.random() < p


def _amount(p: float, high: int) -> Gen:
    return lambda r: r.randint(1, high) if r.random() < p else 0


def _choice(*values: Any) -> Gen:
    return lambda r: r.choice(values)


def _answer(p: float) -> Gen:
    return lambda r: "yes" if r.random() < p else r.choice(("no", "no", "no", "unknown"))


# Plausible values: most organisations are clean, a few carry each signal.
GENERATORS: dict[str, Gen] = {
    "sanctions.listed": _yes(0.002), "sanctions.possible_match": _yes(0.01), "debarment.listed": _yes(0.001),
    "debarment.possible_match": _yes(0.005), "company.status": _choice(*["active"] * 200, "bankrupt", "liquidation"),
    "company.bankrupt": _yes(0.01), "company.liquidation": _yes(0.01), "company.reconstruction": _yes(0.005),
    "company.forcibly_dissolved": _yes(0.003), "company.deleted": _yes(0.005), "company.operating": _yes(0.99),
    "lei.entity_status": _choice(*["ACTIVE"] * 99, "INACTIVE"), "poit.notice": _choice(*["none"] * 40, "bankruptcy"),
    "company.age_days": lambda r: r.randint(10, 12_000), "company.industry_codes": lambda r: [
        r.choice(("41200", "43210", "81210", "62010", "49410", "56100", "70220", "80100"))],
    "company.address_box": _yes(0.08), "company.address_co": _yes(0.05), "company.filings_overdue": _yes(0.05),
    "tax.f_skatt": _yes(0.95), "tax.vat_registered": _yes(0.95), "vat.valid": _yes(0.95),
    "tax.employer_registered": _yes(0.85), "tax.arrears_amount": _amount(0.03, 500_000),
    "debts.any": _yes(0.08), "debts.public_amount": _amount(0.05, 300_000),
    "debts.private_amount": _amount(0.06, 80_000),
    "espd.exclusion_declared": _yes(0.005), "espd.truth_declaration_signed": _yes(0.995),
    "workplace.sanction_fees": _amount(0.03, 3), "workplace.injunctions": _amount(0.08, 4),
    "organisation.country": _choice(*["SE"] * 300, "NO", "FI", "GB", "RU"),
    "organisation.industry_code": _choice("41.200", "81.210", "62.010", "49.410"),
    "organisation.employees": lambda r: r.randint(0, 500),
    "organisation.annual_turnover": lambda r: r.randint(0, 9) * 1e6,
    "organisation.equity": lambda r: r.randint(-200_000, 2_000_000),
    "organisation.share_capital": _choice(25_000, 50_000),
    "procurement.risk_industry": _yes(0.4), "procurement.cpv_code": _choice("45000000-7", "90910000-9", "72000000-5",
                                                                            "79710000-4", "30200000-1"),
    "procurement.estimated_value": lambda r: r.randint(5, 100) * 100_000,
    "procurement.annual_value": lambda r: r.randint(1, 30) * 100_000, "procurement.labour_intensive": _yes(0.5),
    "procurement.required_staff": lambda r: r.randint(1, 60),
    "participant.role": _choice("bidder", "bidder", "awarded", "subcontractor"),
    "subcontractor.share_percent": lambda r: r.randint(1, 60), "subcontracting.depth": lambda r: r.randint(0, 4),
    "bid.price": lambda r: r.randint(3, 100) * 100_000, "bids.median_price": lambda r: r.randint(5, 100) * 100_000,
    "contract.signed": _yes(0.3), "payment.account_not_owned": _yes(0.01), "payment.bank_details_changed": _yes(0.02),
    "invoice.other_issuer": _yes(0.01),
    "followup.changed_facts": lambda r: ["company.status"] if r.random() < 0.05 else [],
    "graph.shared_with_other_bidder": lambda r: ["address"] if r.random() < 0.03 else [],
    "graph.staff_conflict": lambda r: ["x"] if r.random() < 0.005 else [],
    "graph.organisations_at_address": lambda r: r.choice((1, 1, 1, 2, 3)) if r.random() < 0.97 else r.randint(5, 40),
    "person.trading_prohibition": _yes(0.003), "graph.key_person_failed_companies": _choice(*[0] * 30, 1, 2, 3),
    "graph.key_person_engagements": lambda r: r.randint(1, 4) if r.random() < 0.98 else r.randint(10, 30),
}
PERSON_FACTS = ("person.trading_prohibition", "graph.key_person_failed_companies", "graph.key_person_engagements",
                "sanctions.listed", "sanctions.possible_match", "debarment.listed", "debarment.possible_match")


def population(model: Model, organisations: int, persons: int, present: float, seed: int) -> list[CaseFacts]:
    """Random cases: each fact known with probability ``present``, answers given to about half the questions."""
    rng = random.Random(seed)
    person_only = set(PERSON_FACTS[:3])
    names = sorted({f for i in model.indicators for f in i.facts if not f.startswith("answer.")} - person_only)
    answers = [i.answer_fact for i in model.indicators if i.answer_fact]
    counts = [1] * organisations
    for _ in range(persons - organisations):  # spread the remaining persons at random
        counts[rng.randrange(organisations)] += 1
    cases, ref = [], 0
    for n in range(organisations):
        ref += 1
        own = {f: Fact(GENERATORS[f](rng), (f"outcome:{ref}",)) for f in names if rng.random() < present}
        own.update({a: Fact(_answer(0.02)(rng), (f"answer:{ref}",)) for a in answers if rng.random() < 0.5})
        people = {}
        for p in range(counts[n]):
            people[f"org{n}-person{p}"] = {f: Fact(GENERATORS[f](rng), (f"outcome:{ref}",)) for f in PERSON_FACTS
                                           if rng.random() < present}
        cases.append(CaseFacts(own, people))
    return cases


def replay(model: Model, cases: list[CaseFacts]) -> tuple[list[str], float, float]:
    """Evaluate and score every case; the levels, the wall-clock and the CPU seconds it took."""
    started, cpu = time.perf_counter(), time.process_time()
    levels = []
    for case in cases:
        assessment = evaluate(model, case)
        levels.append(score(model, assessment, assessment.risk_industry is True).level)
    return levels, time.perf_counter() - started, time.process_time() - cpu


def modified(text: str) -> str:
    """Model v1 with changed thresholds and weights (what an administrator might publish as v2)."""
    for old, new in (('version = "1"', 'version = "2-bench"'), ("deepened = 6 ", "deepened = 5 "),
                     ("joint_review = 9 ", "joint_review = 10 "), ("medium = 2", "medium = 1.5"),
                     ("multiplier = 1.5", "multiplier = 1.25")):
        assert old in text, old
        text = text.replace(old, new)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--present", type=float, default=0.85, help="share of facts known")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="1,000 organisations and 5,000 persons")
    args = parser.parse_args()
    if args.quick:
        args.organisations, args.persons = 1_000, 5_000

    text = DEFAULT_MODEL.read_text(encoding="utf-8")
    v1, v2 = load_model(text), load_model(modified(text))
    started = time.perf_counter()
    cases = population(v1, args.organisations, args.persons, args.present, args.seed)
    generated = time.perf_counter() - started
    print(f"generated {len(cases):,} organisations, {sum(len(c.persons) for c in cases):,} key persons "
          f"in {generated:.1f} s")
    first, t1, c1 = replay(v1, cases)
    second, t2, c2 = replay(v2, cases)
    changes = Counter((a, b) for a, b in zip(first, second) if a != b)
    print(f"model {v1.version}: {t1:.1f} s (CPU {c1:.1f} s)  {dict(sorted(Counter(first).items()))}")
    print(f"model {v2.version}: {t2:.1f} s (CPU {c2:.1f} s)  {dict(sorted(Counter(second).items()))}")
    print(f"replay total {t1 + t2:.1f} s wall, {c1 + c2:.1f} s CPU on one core; "
          f"{sum(changes.values()):,} level changes:")
    for (a, b), count in changes.most_common():
        print(f"  {a} -> {b}: {count:,}")


if __name__ == "__main__":
    main()
