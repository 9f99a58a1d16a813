"""Checks of registers without an API: the officer asks the register and records the answer here.

Each declares its form fields; until an answer is recorded the outcome is ``needs_manual_input``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .contract import Check, CheckContext, Evidence, Finding, Outcome, Status, Subject


@dataclass(frozen=True)
class ManualField:
    """One question of a manual check: ``kind`` is ``bool``, ``amount``, ``date``, ``choice`` or ``text``."""

    name: str
    kind: str
    label: dict[str, str]
    finding: str | None = None
    choices: tuple[tuple[str, dict[str, str]], ...] = ()
    required: bool = True


def _yes_no(name: str, sv: str, en: str, finding: str) -> ManualField:
    return ManualField(name, "bool", {"sv": sv, "en": en}, finding)


REPLY_DATE = ManualField("reply_date", "date", {"sv": "Datum för svaret", "en": "Date of the reply"})
NOTE = ManualField("note", "text", {"sv": "Anteckning", "en": "Note"}, required=False)


class ManualCheck(Check):
    """A check answered by an officer; ``run`` turns the recorded answer into findings."""

    mode = "manual"
    STATUSES = frozenset({Status.CLEAR, Status.NEEDS_MANUAL_INPUT})
    FIELDS: ClassVar[tuple[ManualField, ...]] = ()
    # Recorded when an officer chooses to (not asked for in every screening run); the answer needs its document;
    # at least one of these fields must be answered.
    on_request_only: ClassVar[bool] = False
    document_required: ClassVar[bool] = False
    REQUIRED_ANY: ClassVar[tuple[str, ...]] = ()
    instructions: ClassVar[dict[str, str]] = {}

    def run(self, subject: Subject, ctx: CheckContext) -> Outcome:
        """``needs_manual_input`` until ``ctx.inputs['answer']`` holds a validated answer."""
        answer: dict[str, Any] | None = ctx.inputs.get("answer")
        if not answer:
            return Outcome(Status.NEEDS_MANUAL_INPUT, reason=self.instructions.get("en", "Waiting for an officer's answer."))
        evidence: list[Evidence] = []
        document: dict[str, Any] | None = ctx.inputs.get("document")
        if document:
            evidence.append(Evidence(source=self.id, fetched_at=ctx.now(), sha256=document["sha256"], body=document["body"],
                                     media_type=document["media_type"], url=None, list_version=document["filename"]))
        findings = tuple(Finding(f.finding, answer.get(f.name), f"{f.label['en']}: {answer.get(f.name)}", 0)
                         for f in self.FIELDS if f.finding and answer.get(f.name) is not None)
        return Outcome(Status.CLEAR, findings, tuple(evidence))


def _findings_of(fields: tuple[ManualField, ...]) -> dict[str, str]:
    return {f.finding: f.label["en"] for f in fields if f.finding}


class SkatteverketCheck(ManualCheck):
    id = "se.skatteverket"
    name = {"sv": "Skatteverket (SKV 4820)", "en": "Swedish Tax Agency (SKV 4820)"}
    applies_to = frozenset({"organisation"})
    instructions = {"sv": "Begär uppgifter med SKV 4820 eller tjänsten Hämta företagsinformation och för in svaret.",
                    "en": "Request form SKV 4820 or use 'Hämta företagsinformation' and record the reply."}
    FIELDS = (
        _yes_no("f_skatt", "Godkänd för F-skatt", "Approved for F-tax", "tax.f_skatt"),
        _yes_no("vat_registered", "Momsregistrerad", "Registered for VAT", "tax.vat_registered"),
        _yes_no("employer_registered", "Registrerad som arbetsgivare", "Registered as employer", "tax.employer_registered"),
        ManualField("tax_arrears", "amount", {"sv": "Skatteskulder (kr)", "en": "Tax arrears (SEK)"}, "tax.arrears_amount",
                    required=False),
        REPLY_DATE, NOTE,
    )
    FINDINGS = _findings_of(FIELDS)
    ADVERSE = {"tax.f_skatt": lambda approved: approved is False, "tax.arrears_amount": lambda amount: amount > 0}

    def applies(self, subject: Subject) -> bool:
        return subject.kind == "organisation" and "se_orgnr" in subject.identifiers


class KronofogdenCheck(ManualCheck):
    id = "se.kronofogden"
    name = {"sv": "Kronofogden, skulder", "en": "Enforcement Authority, debts"}
    applies_to = frozenset({"organisation", "person"})
    instructions = {"sv": "Fråga Kronofogden om skulder under indrivning och för in beloppen.",
                    "en": "Ask the Enforcement Authority about debts under collection and record the amounts."}
    FIELDS = (
        _yes_no("has_debts", "Skulder hos Kronofogden", "Debts with the Enforcement Authority", "debts.any"),
        ManualField("public_claims", "amount", {"sv": "Allmänna mål (kr)", "en": "Public claims (SEK)"},
                    "debts.public_amount", required=False),
        ManualField("private_claims", "amount", {"sv": "Enskilda mål (kr)", "en": "Private claims (SEK)"},
                    "debts.private_amount", required=False),
        REPLY_DATE, NOTE,
    )
    FINDINGS = _findings_of(FIELDS)
    ADVERSE = {"debts.any": bool, "debts.public_amount": lambda amount: amount > 0,
               "debts.private_amount": lambda amount: amount > 0}


class PoitCheck(ManualCheck):
    id = "se.poit"
    name = {"sv": "Post- och Inrikes Tidningar", "en": "Official Gazette (PoIT)"}
    applies_to = frozenset({"organisation"})
    instructions = {"sv": "Sök på organisationsnumret i PoIT och för in kungörelserna.",
                    "en": "Search the organisation number in PoIT and record the notices."}
    FIELDS = (
        ManualField("notice", "choice", {"sv": "Kungörelse", "en": "Notice"}, "poit.notice", choices=(
            ("none", {"sv": "Ingen", "en": "None"}), ("bankruptcy", {"sv": "Konkurs", "en": "Bankruptcy"}),
            ("liquidation", {"sv": "Likvidation", "en": "Liquidation"}),
            ("reconstruction", {"sv": "Företagsrekonstruktion", "en": "Reconstruction"}),
            ("other", {"sv": "Annan", "en": "Other"}))),
        REPLY_DATE, NOTE,
    )
    FINDINGS = _findings_of(FIELDS)
    ADVERSE = {"poit.notice": lambda notice: notice != "none"}


class TradingProhibitionCheck(ManualCheck):
    id = "se.naringsforbud"
    name = {"sv": "Näringsförbud", "en": "Trading prohibition"}
    applies_to = frozenset({"person"})
    instructions = {"sv": "Kontrollera i Bolagsverkets register över näringsförbud.",
                    "en": "Check Bolagsverket's register of trading prohibitions."}
    FIELDS = (_yes_no("prohibited", "Har näringsförbud", "Has a trading prohibition", "person.trading_prohibition"),
              REPLY_DATE, NOTE)
    FINDINGS = _findings_of(FIELDS)
    ADVERSE = {"person.trading_prohibition": bool}


class EspdCheck(ManualCheck):
    id = "espd"
    name = {"sv": "ESPD och sanningsförsäkran", "en": "ESPD and truth declaration"}
    applies_to = frozenset({"organisation"})
    instructions = {"sv": "För in leverantörens egen försäkran (ESPD) och sanningsförsäkran.",
                    "en": "Record the supplier's own declaration (ESPD) and truth declaration."}
    FIELDS = (
        _yes_no("exclusion_declared", "Leverantören uppger uteslutningsgrund", "Supplier declares an exclusion ground",
                "espd.exclusion_declared"),
        _yes_no("truth_declaration", "Sanningsförsäkran undertecknad", "Truth declaration signed",
                "espd.truth_declaration_signed"),
        REPLY_DATE, NOTE,
    )
    FINDINGS = _findings_of(FIELDS)
    ADVERSE = {"espd.exclusion_declared": bool, "espd.truth_declaration_signed": lambda signed: signed is False}


MANUAL_CHECKS = ("checks.manual:SkatteverketCheck", "checks.manual:KronofogdenCheck", "checks.manual:PoitCheck",
                 "checks.manual:TradingProhibitionCheck", "checks.manual:EspdCheck")
