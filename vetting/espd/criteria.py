"""The one table from ESPD-EDM exclusion criteria to the LOU ground and the risk indicator that reads it.

Each criterion is known by its UUID (``cbc:ID`` of ``cac:TenderingCriterion``, the same in every ESPD-EDM
version) and by its ``cbc:CriterionTypeCode``: the long codes of 2.1.1 (``CriteriaTypeCode`` list) and the
short codes of the EU "criterion" authority table used by 3.x and 4.x. Ground keys follow LOU (2016:1145)
13 kap.: 1 § convictions (mandatory), 2 § taxes and social security, 3 § points 1-9 (optional).
``answer_fact`` is the officer's-answer fact of the indicator the answer stands in for (None where the model
reads registers instead, e.g. EX-02 and EX-03: the answer then reaches the case through ``answers_for``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Criterion:
    """One exclusion criterion of the ESPD and where it belongs in LOU and in the risk model."""

    uuid: str
    codes: tuple[str, ...]
    ground: str
    indicator: str | None
    answer_fact: str | None


def _c(uuid: str, long_code: str, short_code: str, ground: str, indicator: str | None,
       answer: bool = True) -> Criterion:
    fact = f"answer.{indicator}" if indicator and answer else None
    return Criterion(uuid, (f"CRITERION.EXCLUSION.{long_code}", short_code), ground, indicator, fact)


# Ground key -> (legal basis as written on the page, the indicator deciding it).
GROUNDS: dict[str, str] = {
    "13:1": "LOU 13:1", "13:2": "LOU 13:2", "13:3p1": "LOU 13:3 p. 1", "13:3p2": "LOU 13:3 p. 2",
    "13:3p3": "LOU 13:3 p. 3", "13:3p4": "LOU 13:3 p. 4", "13:3p5": "LOU 13:3 p. 5", "13:3p6": "LOU 13:3 p. 6",
    "13:3p7": "LOU 13:3 p. 7", "13:3p8": "LOU 13:3 p. 8-9", "national": "national",
}

CRITERIA: tuple[Criterion, ...] = (
    _c("005eb9ed-1347-4ca3-bb29-9bc0db64e1ab", "CONVICTIONS.PARTICIPATION_IN_CRIMINAL_ORGANISATION", "crime-org",
       "13:1", "EX-01"),
    _c("c27b7c4e-c837-4529-b867-ed55ce639db5", "CONVICTIONS.CORRUPTION", "corruption", "13:1", "EX-01"),
    _c("297d2323-3ede-424e-94bc-a91561e6f320", "CONVICTIONS.FRAUD", "fraud", "13:1", "EX-01"),
    _c("d486fb70-86b3-4e75-97f2-0d71b5697c7d", "CONVICTIONS.TERRORIST_OFFENCES", "terr-offence", "13:1", "EX-01"),
    _c("47112079-6fec-47a3-988f-e561668c3aef", "CONVICTIONS.MONEY_LAUNDERING", "finan-laund", "13:1", "EX-01"),
    _c("d789d01a-fe03-4ccd-9898-73f9cfa080d1", "CONVICTIONS.CHILD_LABOUR-HUMAN_TRAFFICKING", "human-traffic",
       "13:1", "EX-01"),
    _c("b61bbeb7-690e-4a40-bc68-d6d4ecfaa3d4", "CONTRIBUTIONS.PAYMENT_OF_TAXES", "tax-pay", "13:2", "EX-02", False),
    _c("7d85e333-bbab-49c0-be8d-c36d71a72f5e", "CONTRIBUTIONS.PAYMENT_OF_SOCIAL_SECURITY", "socsec-pay", "13:2",
       "EX-02", False),
    _c("a80ddb62-d25b-4e4e-ae22-3968460dc0a9", "SOCIAL.ENVIRONMENTAL_LAW", "envir-law", "13:3p1", "EX-10"),
    _c("a261a395-ed17-4939-9c75-b9ff1109ca6e", "SOCIAL.SOCIAL_LAW", "socsec-law", "13:3p1", "EX-10"),
    _c("a34b70d6-c43d-4726-9a88-8e2b438424bf", "SOCIAL.LABOUR_LAW", "labour-law", "13:3p1", "EX-10"),
    _c("d3732c09-7d62-4edc-a172-241da6636e7c", "BUSINESS.BANKRUPTCY", "bankruptcy", "13:3p2", "EX-03", False),
    _c("396f288a-e267-4c20-851a-ed4f7498f137", "BUSINESS.INSOLVENCY", "insolvency", "13:3p2", "EX-03", False),
    _c("68918c7a-f5bc-4a1a-a62f-ad8983600d48", "BUSINESS.CREDITORS_ARRANGEMENT", "cred-arran", "13:3p2", "EX-03",
       False),
    _c("daffa2a9-9f8f-4568-8be8-7b8bf306d096", "BUSINESS.BANKRUPTCY_ANALOGOUS", "bankr-nat", "13:3p2", "EX-03", False),
    _c("8fda202a-0c37-41bb-9d7d-de3f49edbfcb", "BUSINESS.LIQUIDATOR_ADMINISTERED", "liq-admin", "13:3p2", "EX-03",
       False),
    _c("166536e2-77f7-455c-b018-70582474e4f6", "BUSINESS.ACTIVITIES_SUSPENDED", "susp-act", "13:3p2", "EX-03", False),
    _c("514d3fde-1e3e-4dcd-b02a-9f984d5bbda3", "MISCONDUCT.MC_PROFESSIONAL", "prof-misconduct", "13:3p3", "RP-05"),
    _c("56d13e3d-76e8-4f23-8af6-13e60a2ee356", "MISCONDUCT.MARKET_DISTORTION", "distorsion", "13:3p4", "EX-11"),
    _c("b1b5ac18-f393-4280-9659-1367943c1a2e", "CONFLICT_OF_INTEREST.PROCEDURE_PARTICIPATION", "partic-confl",
       "13:3p5", "EX-12"),
    _c("61874050-5130-4f1c-a174-720939c7b483", "CONFLICT_OF_INTEREST.PROCEDURE_PREPARATION", "prep-confl", "13:3p6",
       None),
    _c("3293e92b-7f3e-42f1-bee6-a7641bb04251", "CONFLICT_OF_INTEREST.EARLY_TERMINATION", "sanction", "13:3p7",
       "EX-09"),
    _c("696a75b2-6107-428f-8b74-82affb67e184", "CONFLICT_OF_INTEREST.MISINTERPRETATION", "misrepresent", "13:3p8",
       "EX-08"),
    _c("63adb07d-db1b-4ef0-a14e-a99785cf8cf6", "NATIONAL.OTHER", "nati-ground", "national", None),
)

_BY_KEY: dict[str, Criterion] = {key: c for c in CRITERIA for key in (c.uuid, *c.codes)}


def criterion_of(uuid: str | None, code: str | None) -> Criterion | None:
    """The exclusion criterion with this UUID or type code; None for selection and other criteria."""
    for key in (uuid, code):
        if key and key.strip() in _BY_KEY:
            return _BY_KEY[key.strip()]
    return None


def thirteen_one() -> tuple[Criterion, ...]:
    """The six 13:1 criteria (convictions): all must be answered "no" for the ESPD to declare no 13:1 ground."""
    return tuple(c for c in CRITERIA if c.ground == "13:1")
