"""Who may do what, written from the domain brief (DOMAIN.md section 2), not from the code.

This table is the oracle of the route walk in ``test_access.py``; it deliberately imports
nothing from ``vetting``. ``MAY`` says in the domain's words what each role may do; ``ROUTES``
says which of those a route is. A change of who may do what is a change here too, on purpose:
opening user administration to procurement officers in ``vetting/web/access.py`` alone fails.

A new route needs a line in ``ROUTES`` (the walk names the missing ones).
"""
from __future__ import annotations

PROCUREMENT_OFFICER, SECURITY_OFFICER, REVIEWER, AUDITOR, ADMIN = (
    "procurement_officer", "security_officer", "reviewer", "auditor", "admin")
ROLES = (PROCUREMENT_OFFICER, SECURITY_OFFICER, REVIEWER, AUDITOR, ADMIN)

ANYONE = "anyone, signed in or not"
SIGNED_IN = "use the start page, the inboxes and their own notifications"
SEE = "see procurements, suppliers, key persons (masked), outcomes, evidence and timelines"
REGISTER = "register and change procurements, suppliers, participants and key persons"
IMPORT = "import suppliers and key persons from a file"
RUN_CHECKS = "run register and list checks and answer manual checks"
DECIDE_MATCHES = "decide whether a list match is the listed party"
LOAD_LISTS = "load a new version of a sanctions or debarment list"
WORK_CHECKPOINTS = "prepare and sign checkpoints, review contracts and act on alerts"
ADVANCE = "move a procurement to its next phase or extend its deadline"
ACCEPT_REGISTER_ERROR = "accept a register's error as not blocking"
DOWNLOAD = "download stored register answers and checkpoint documents (they may name persons)"
EXPORT = "export reports and lists without personal data"
EXPORT_PERSONAL = "export key persons with their personal data"
REVEAL = "reveal a full personnummer or search by one"
PERSONAL_DATA_ADMIN = "purge personal data past retention and give a data subject their extract"
ACCESS_LOG = "see who viewed or exported a person's data"
ASSESS_RISK = "assess a supplier's risk and decide on exclusion grounds"
OVERRIDE_RISK = "override a risk level"
RISK_MODEL = "publish indicator models and maintain the staff-conflict list"
AUDIT = "read and export the audit log"
USERS = "administer users, roles and register settings"
# Issue 13: security owns security decisions; four eyes where one person could let a bad supplier through.
PROTECTION = "change a procurement's protection level or risk-industry classification (with a reason)"
SECURITY_TASKS = "conclude a deepened check and record that a sanctions hit was reported onwards"
CONFIRM = "see the decisions waiting for a second person and confirm or refuse them"

# What each role may do (DOMAIN.md section 2: the security department sees personal data,
# the auditor only reads, the administrator runs the system but does not vet suppliers).
MAY: dict[str, frozenset[str]] = {
    PROCUREMENT_OFFICER: frozenset({SIGNED_IN, SEE, REGISTER, IMPORT, RUN_CHECKS, DECIDE_MATCHES, WORK_CHECKPOINTS,
                                    ADVANCE, DOWNLOAD, EXPORT, ASSESS_RISK, CONFIRM}),
    SECURITY_OFFICER: frozenset({SIGNED_IN, SEE, RUN_CHECKS, DECIDE_MATCHES, LOAD_LISTS, WORK_CHECKPOINTS,
                                 ACCEPT_REGISTER_ERROR, DOWNLOAD, EXPORT, EXPORT_PERSONAL, REVEAL, ACCESS_LOG, ASSESS_RISK,
                                 OVERRIDE_RISK, PROTECTION, SECURITY_TASKS, CONFIRM}),
    REVIEWER: frozenset({SIGNED_IN, SEE, RUN_CHECKS, WORK_CHECKPOINTS, DOWNLOAD, EXPORT}),
    AUDITOR: frozenset({SIGNED_IN, SEE, EXPORT, AUDIT}),
    ADMIN: frozenset({SIGNED_IN, SEE, REGISTER, IMPORT, LOAD_LISTS, EXPORT, PERSONAL_DATA_ADMIN, ACCESS_LOG,
                      RISK_MODEL, AUDIT, USERS, CONFIRM}),
}

# Which ability each route is; (endpoint, method).
ROUTES: dict[tuple[str, str], str] = {
    ("static", "GET"): ANYONE,
    ("auth.login", "GET"): ANYONE,
    ("auth.login", "POST"): ANYONE,
    ("i18n.set_language", "POST"): ANYONE,
    ("main.healthz", "GET"): ANYONE,
    ("main.health", "GET"): ANYONE,
    ("auth.logout", "POST"): SIGNED_IN,
    ("auth.change_password", "GET"): SIGNED_IN,
    ("auth.change_password", "POST"): SIGNED_IN,
    ("main.home", "GET"): SIGNED_IN,
    ("dashboard.index", "GET"): SIGNED_IN,
    ("checkpoints.index", "GET"): SIGNED_IN,
    ("checkpoints.notifications", "GET"): SIGNED_IN,
    ("checkpoints.notifications", "POST"): SIGNED_IN,
    # Seeing the records
    ("procurements.index", "GET"): SEE,
    ("procurements.detail", "GET"): SEE,
    ("bids.participant", "GET"): SEE,
    ("organisations.index", "GET"): SEE,
    ("organisations.detail", "GET"): SEE,
    ("persons.detail", "GET"): SEE,
    ("checkpoints.detail", "GET"): SEE,
    ("checkpoints.document", "GET"): DOWNLOAD,
    ("checkpoints.timeline", "GET"): SEE,
    ("followup.index", "GET"): SEE,
    ("followup.contract", "GET"): SEE,
    ("followup.batch", "GET"): SEE,
    ("followup.batch_json", "GET"): SEE,
    ("screening.subject", "GET"): SEE,
    ("screening.evidence", "GET"): DOWNLOAD,
    ("espd.party", "GET"): SEE,
    ("espd.file", "GET"): DOWNLOAD,
    ("espd.truth_document", "GET"): DOWNLOAD,
    ("screening.lists", "GET"): SEE,
    ("screening.review", "GET"): SEE,
    ("search.index", "GET"): SEE,
    ("risk.case", "GET"): SEE,
    ("exclusion.case", "GET"): SEE,
    ("risk.network", "GET"): SEE,
    # Registering
    ("procurements.new", "GET"): REGISTER,
    ("procurements.new", "POST"): REGISTER,
    ("procurements.edit", "GET"): REGISTER,
    ("procurements.edit", "POST"): REGISTER,
    ("procurements.add_participant", "POST"): REGISTER,
    ("procurements.remove_participant", "POST"): REGISTER,
    ("bids.bid_price", "POST"): REGISTER,
    ("bids.request_explanation", "POST"): REGISTER,
    ("bids.reply", "POST"): REGISTER,
    ("bids.assessment", "POST"): REGISTER,
    ("bids.import_prices", "POST"): REGISTER,
    ("organisations.new", "GET"): REGISTER,
    ("organisations.new", "POST"): REGISTER,
    ("organisations.edit", "GET"): REGISTER,
    ("organisations.edit", "POST"): REGISTER,
    ("organisations.add_key_person", "POST"): REGISTER,
    ("organisations.add_register_persons", "POST"): REGISTER,
    ("organisations.remove_key_person", "POST"): REGISTER,
    ("imports.upload", "GET"): IMPORT,
    ("imports.upload", "POST"): IMPORT,
    ("imports.confirm", "POST"): IMPORT,
    # Checking
    ("screening.run", "POST"): RUN_CHECKS,
    ("screening.run_procurement", "POST"): RUN_CHECKS,
    ("screening.manual", "GET"): RUN_CHECKS,
    ("screening.manual", "POST"): RUN_CHECKS,
    ("espd.upload", "POST"): RUN_CHECKS,
    ("espd.upload_for_organisation", "POST"): RUN_CHECKS,
    ("espd.truth_declaration", "POST"): RUN_CHECKS,
    ("followup.recheck", "POST"): RUN_CHECKS,
    ("screening.decide", "POST"): DECIDE_MATCHES,
    ("screening.upload_list", "POST"): LOAD_LISTS,
    # Checkpoints and the chain
    ("checkpoints.prepare", "POST"): WORK_CHECKPOINTS,
    ("checkpoints.sign", "POST"): WORK_CHECKPOINTS,
    ("followup.handle_alert", "POST"): WORK_CHECKPOINTS,
    ("followup.review", "POST"): WORK_CHECKPOINTS,
    ("followup.schedule", "POST"): WORK_CHECKPOINTS,
    ("checkpoints.advance", "POST"): ADVANCE,
    ("checkpoints.extend", "POST"): ADVANCE,
    ("checkpoints.override", "POST"): ACCEPT_REGISTER_ERROR,
    # The timeline: planned dates are part of the procurement's record; the award notice and requests for review
    # are the award and its standstill (who moves the phases); conditions are followed up like checkpoints.
    ("timeline.planned_dates", "POST"): REGISTER,
    ("timeline.award_notice", "POST"): ADVANCE,
    ("timeline.appeal", "POST"): ADVANCE,
    ("timeline.appeal_decision", "POST"): ADVANCE,
    ("timeline.fulfil_condition", "POST"): WORK_CHECKPOINTS,
    # Reports and exports
    ("reports.procurement_pdf", "GET"): EXPORT,
    ("reports.organisation_pdf", "GET"): EXPORT,
    ("reports.export_organisations", "GET"): EXPORT,
    ("reports.export_outcomes", "GET"): EXPORT,
    ("reports.export_key_persons", "GET"): EXPORT_PERSONAL,
    ("reports.export_audit", "GET"): AUDIT,
    ("audit.index", "GET"): AUDIT,
    # Personal data
    ("persons.reveal", "POST"): REVEAL,
    ("persons.merge_queue", "GET"): REVEAL,
    ("persons.resolve_merge", "POST"): REVEAL,
    ("persons.resolve_organisation_merge", "POST"): REVEAL,
    ("search.personnummer", "POST"): REVEAL,
    ("privacy.index", "GET"): PERSONAL_DATA_ADMIN,
    ("privacy.purge", "POST"): PERSONAL_DATA_ADMIN,
    ("privacy.extract", "POST"): PERSONAL_DATA_ADMIN,
    ("privacy.person", "GET"): ACCESS_LOG,
    # Risk
    ("risk.assess", "POST"): ASSESS_RISK,
    ("risk.assess_all", "POST"): ASSESS_RISK,
    ("risk.answer", "POST"): ASSESS_RISK,
    ("exclusion.stated", "POST"): ASSESS_RISK,
    ("exclusion.ground", "POST"): ASSESS_RISK,
    ("exclusion.communicate", "POST"): ASSESS_RISK,
    ("exclusion.reply", "POST"): ASSESS_RISK,
    ("exclusion.clean", "POST"): ASSESS_RISK,
    ("exclusion.decide", "POST"): ASSESS_RISK,
    ("risk.override", "POST"): OVERRIDE_RISK,
    ("procurements.protection", "POST"): PROTECTION,
    ("gates.art5k", "POST"): ASSESS_RISK,
    ("gates.conclude", "POST"): SECURITY_TASKS,
    ("gates.reported", "POST"): SECURITY_TASKS,
    ("approvals.index", "GET"): CONFIRM,
    ("approvals.confirm", "POST"): CONFIRM,
    ("approvals.refuse", "POST"): CONFIRM,
    ("risk.models", "GET"): RISK_MODEL,
    ("risk.models", "POST"): RISK_MODEL,
    ("risk.staff_conflicts", "GET"): RISK_MODEL,
    ("risk.staff_conflicts", "POST"): RISK_MODEL,
    # Administration
    ("admin.users", "GET"): USERS,
    ("admin.new_user", "GET"): USERS,
    ("admin.new_user", "POST"): USERS,
    ("admin.edit_user", "GET"): USERS,
    ("admin.edit_user", "POST"): USERS,
    ("admin.registers", "GET"): USERS,
    ("admin.registers", "POST"): USERS,
    ("admin.test_register", "POST"): USERS,
}


def may(role: str | None, ability: str) -> bool:
    """True when ``role`` (None: not signed in) may do ``ability``."""
    if ability == ANYONE:
        return True
    return role is not None and ability in MAY[role]
