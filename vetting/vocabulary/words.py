"""The words for the codes stored in the database: statuses, levels, criteria, audit actions, record types.

Codes stay in the data; views show these words (lazy strings, rendered in the reader's language). A code not
listed here is shown through ``label()`` as a readable fallback, never as the bare identifier.
"""
from __future__ import annotations

from ..translation import lazy_gettext as _l

from ..labels import KEY_ROLES, PARTICIPANT_ROLES, PHASES, PROTECTION_LEVELS, USER_ROLES

# Outcome of one check on one subject (checks/contract.py Status).
STATUSES = {
    "clear": _l("Clear"), "possible_match": _l("Possible match"), "hit": _l("Hit"), "confirmed": _l("Confirmed hit"),
    "error": _l("Error"),
    "needs_manual_input": _l("Needs manual input"), "not_applicable": _l("Not applicable"),
    "observation": _l("Observation"), "error_accepted": _l("Error accepted"), None: _l("Not screened"),
    "": _l("Not screened"),
}
# Follow-up risk level of a signed contract (domain/followup.py RISK_LEVELS).
RISK_LEVELS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
# Level of control a risk case needs (risk/score.py LEVELS) and indicator severities.
CONTROL_LEVELS = {
    "basic_done": _l("Basic check done"), "deepened_check": _l("Deepened check"),
    "joint_review": _l("Joint review"),
    "exclusion_assessment": _l("Exclusion assessment"),
}
SEVERITIES = {"exclusion": _l("Exclusion"), "high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
INDICATOR_STATES = {"fired": _l("Fired"), "not_fired": _l("Not fired"), "insufficient": _l("Insufficient data")}
# Automatic gate criteria of checkpoints (domain/criteria.py).
CRITERIA = {
    "bidders_registered": _l("At least one bidder is registered"),
    "all_screened": _l("Every party and key person has been screened"),
    "subcontractors_screened": _l("Every subcontractor and its key persons have been screened"),
    "no_open_matches": _l("No match waits for review"),
    "no_unresolved_errors": _l("No check error is unresolved"),
    "awarded_selected": _l("The awarded supplier is marked"),
    "followup_set": _l("A follow-up schedule is set"),
    "screened_since_award": _l("Screened again since the award decision"),
    "risk_assessed": _l("The risk of every party is assessed"),
    "staff_conflicts": _l("Conflicts of interest with agency staff are checked"),
}
# Audit-log and timeline actions (domain/audit.py record(..., action)).
ACTIONS = {
    "auth.login": _l("Signed in"), "auth.login_failed": _l("Failed sign-in"), "auth.logout": _l("Signed out"),
    "check.error_overridden": _l("Check error accepted with a reason"), "check.run": _l("Check run"),
    "checkpoint.open": _l("Checkpoint opened"), "checkpoint.prepare": _l("Checkpoint prepared"),
    "checkpoint.sign": _l("Checkpoint signed off"), "checkpoint.reject": _l("Checkpoint sent back"),
    "checkpoint.approved": _l("Checkpoint approved"),
    "checkpoint.approved_with_conditions": _l("Checkpoint approved with conditions"),
    "checkpoint.rejected": _l("Checkpoint rejected"),
    "database.backup": _l("Database backed up"), "database.restore": _l("Database restored"),
    "export.download": _l("Export downloaded"), "report.download": _l("Report downloaded"),
    "followup.alert": _l("Change alert"), "followup.alert_handled": _l("Change alert handled"),
    "followup.batch": _l("Follow-up batch started"), "followup.review": _l("Follow-up review"),
    "followup.schedule": _l("Follow-up schedule set"),
    "key_person.add": _l("Key person added"), "key_person.from_register": _l("Key person taken from the register"),
    "key_person.remove": _l("Key person removed"), "list.import": _l("List imported"),
    "match.decide": _l("Match decided"), "match.confirm": _l("Match confirmed"), "match.dismiss": _l("Match dismissed"),
    "organisation.create": _l("Organisation created"), "organisation.update": _l("Organisation changed"),
    "organisation.erase": _l("Sole trader's personal data erased"),
    "organisation.erase_files": _l("Files erased with the sole trader"),
    "participant.bid_price": _l("Tender price recorded"), "bid.import": _l("Tender prices imported"),
    "bid.explanation_request": _l("Explanation of a low tender requested"),
    "bid.explanation_reply": _l("Explanation of a low tender received"),
    "bid.explanation_assessment": _l("Explanation of a low tender assessed"),
    "participant.add": _l("Party added to the procurement"), "participant.remove": _l("Party removed from the procurement"),
    "pending_import.expire": _l("Import preview expired"), "person.access_log": _l("Access log viewed"),
    "person.erase": _l("Personal data erased"), "person.extract": _l("Register extract taken"),
    "person.erase_files": _l("Files erased with the person"),
    "person.reveal_personnummer": _l("Personnummer revealed"), "person.search_personnummer": _l("Search by personnummer"),
    "person.view": _l("Person viewed"), "procurement.create": _l("Procurement created"),
    "procurement.phase": _l("Phase changed"), "procurement.update": _l("Procurement changed"),
    "register.setting": _l("Register setting changed"), "register.test_connection": _l("Register connection tested"),
    "risk.answer": _l("Risk question answered"), "risk.assess": _l("Risk assessed"),
    "risk.exclusion_case": _l("Exclusion assessment"), "risk.model_publish": _l("Risk model published"),
    "exclusion.case_open": _l("Exclusion case opened"), "exclusion.ground_changed": _l("Exclusion ground's facts changed"),
    "exclusion.ground": _l("Exclusion ground recorded"), "exclusion.stated_grounds": _l("Stated exclusion grounds recorded"),
    "exclusion.communication": _l("Supplier given the opportunity to comment"),
    "exclusion.reply": _l("Supplier's reply recorded"), "exclusion.self_cleaning": _l("Self-cleaning assessed"),
    "exclusion.decision": _l("Exclusion decided"),
    "risk.override": _l("Risk level overridden"), "risk.override_carried": _l("Risk override carried over"),
    "risk.staff_conflict_add": _l("Staff conflict recorded"),
    "user.create": _l("User created"), "user.set_password": _l("Password set"), "user.update": _l("User changed"),
    "user.change_own_password": _l("Own password changed"),
    "user.password_change_failed": _l("Password change refused (wrong current password)"),
    "evidence.download": _l("Evidence downloaded"), "person.evidence_download": _l("Evidence about the person downloaded"),
    "checkpoint.document_download": _l("Checkpoint document downloaded"),
    "person.merge_queued": _l("Possible duplicate person queued"), "person.merge": _l("Persons merged"),
    "person.keep_apart": _l("Persons kept apart"),
    "espd.import": _l("ESPD imported"), "espd.truth_declaration": _l("Truth declaration recorded"),
    "espd.download": _l("ESPD or truth declaration downloaded"),
}
RECORD_TYPES = {
    "organisation": _l("Organisation"), "person": _l("Person"), "procurement": _l("Procurement"),
    "participant": _l("Party"), "key_role": _l("Key role"), "user": _l("User"), "outcome": _l("Check result"),
    "checkpoint": _l("Checkpoint"), "list_version": _l("List version"), "alert": _l("Alert"), "batch": _l("Batch"),
    "risk_case": _l("Risk case"), "assessment": _l("Risk assessment"), "register": _l("Register"),
    "document": _l("Document"), "schedule": _l("Follow-up schedule"), "export": _l("Export"), "report": _l("Report"),
}
DATASETS = {"organisations": _l("Organisations"), "key_persons": _l("Key persons"), "outcomes": _l("Check results"),
            "audit": _l("Audit log")}
# Control areas of the summary (domain/control_areas.py) and their statuses.
AREAS = {
    "registration": _l("Registration (company register, VAT, LEI)"), "taxes": _l("Taxes and charges"),
    "debts": _l("Debts and finances"), "sanctions": _l("Sanctions and debarment lists"),
    "key_persons": _l("Representatives and key persons"), "work_environment": _l("Work environment and labour law"),
    "exclusion": _l("Exclusion grounds"), "security": _l("Security protection"),
}
AREA_STATUSES = {
    "ok": _l("OK"), "observera": _l("To note"), "utred": _l("Investigate"), "hinder": _l("Blocker"), "fel": _l("Error"),
    "ej_kontrollerad": _l("Not checked"),
}
SUBJECT_KINDS = {"organisation": _l("Organisation"), "person": _l("Person")}
# Where a record or a piece of evidence came from: list sources (lists/importers.py SOURCES), registers
# (checks/*.py SOURCE) and the ways a key person is entered. Registers and OpenSanctions are proper names.
SOURCES = {
    "un": _l("UN Security Council"), "ofac-sdn": "OFAC SDN", "ofac-xml": _l("OFAC consolidated (XML)"),
    "eu": _l("EU financial sanctions"), "uk": _l("UK sanctions list"), "opensanctions": "OpenSanctions",
    "worldbank": _l("World Bank debarred firms"), "ebrd": _l("EBRD ineligible entities"),
    "idb": _l("IDB sanctioned firms and individuals"),
    "se.bolagsverket": "Bolagsverket", "se.arbetsmiljoverket": "Arbetsmiljöverket", "no.brreg": "Brønnøysundregistrene",
    "gb.companies_house": "Companies House", "gleif": "GLEIF", "eu.vies": "VIES", "eu.vies.soap": "VIES",
    "manual": _l("Entered by hand"), "import": _l("Imported from a file"),
}
# Kinds of background batch (domain/followup.py start_batch callers).
BATCH_KINDS = {"followup": _l("Follow-up"), "list_update": _l("Re-screen after a new list version"),
               "rescreen": _l("Nightly re-screen"), "recheck": _l("Re-check"), "screen": _l("Screening")}
# Filters of the procurement and organisation lists (domain/listing.py FILTERS): "show all with ...".
LIST_FILTERS = {"match": _l("with a hit or possible match"), "error": _l("with an error"),
                "exclusion": _l("with an exclusion assessment"), "blocker": _l("with a blocker")}
YES_NO = {True: _l("Yes"), False: _l("No")}

# A company's status as the registers give it (Brønnøysund, Companies House, Bolagsverket), normalised by the checks.
COMPANY_STATUSES = {
    "active": _l("active"), "bankrupt": _l("bankrupt"), "liquidation": _l("in liquidation"),
    "forced_dissolution": _l("compulsory dissolution"), "deregistered": _l("deregistered"),
    "dissolved": _l("dissolved"), "administration": _l("in administration"), "receivership": _l("in receivership"),
    "insolvency-proceedings": _l("in insolvency proceedings"), "voluntary-arrangement": _l("voluntary arrangement"),
    "converted-closed": _l("converted or closed"),
}

VOCABULARIES = {
    "status": STATUSES, "risk_level": RISK_LEVELS, "control_level": CONTROL_LEVELS, "severity": SEVERITIES,
    "indicator_state": INDICATOR_STATES, "criterion": CRITERIA, "action": ACTIONS, "record_type": RECORD_TYPES,
    "subject_kind": SUBJECT_KINDS, "batch_kind": BATCH_KINDS, "source": SOURCES, "dataset": DATASETS, "area": AREAS, "area_status": AREA_STATUSES, "list_filter": LIST_FILTERS, "phase": PHASES, "protection_level": PROTECTION_LEVELS,
    "participant_role": PARTICIPANT_ROLES, "key_role": KEY_ROLES, "user_role": USER_ROLES,
    "company_status": COMPANY_STATUSES,
}
