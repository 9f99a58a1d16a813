"""Translatable names for the codes stored in the database (phases, roles, levels...)."""
from .translation import lazy_gettext as _l

PHASES = {  # as a Swedish agency names them: behov, förberedelse, annonsering, anbudsöppning, ...
    "need": _l("Need"), "documents": _l("Preparation"), "advertised": _l("Advertising"),
    "opening": _l("Tender opening"), "evaluation": _l("Evaluation and qualification"),
    "award": _l("Award decision"), "standstill": _l("Standstill"), "signed": _l("Contract"),
    "active": _l("Contract management"), "ended": _l("Closure"),
}
PROTECTION_LEVELS = {
    "none": _l("No security protection"), "sua1": _l("SUA level 1"), "sua2": _l("SUA level 2"),
    "sua3": _l("SUA level 3"),
}
PARTICIPANT_ROLES = {
    "bidder": _l("Bidder"), "awarded": _l("Awarded supplier"), "subcontractor": _l("Subcontractor"),
    "capacity": _l("Entity whose capacity is relied on"),
}
KEY_ROLES = {
    "board_member": _l("Board member"), "deputy": _l("Deputy board member"), "ceo": _l("CEO"),
    "signatory": _l("Authorised signatory"), "beneficial_owner": _l("Beneficial owner"), "contact": _l("Contact person"),
}
USER_ROLES = {
    "procurement_officer": _l("Procurement officer"), "security_officer": _l("Security officer"),
    "reviewer": _l("Reviewer"), "auditor": _l("Auditor"), "admin": _l("Administrator"),
}
# A checkpoint's state (checkpoints.state); a macro building these per badge translated five words for each row.
CHECKPOINT_STATES = {
    "open": _l("To prepare"), "prepared": _l("Waiting for sign-off"), "approved": _l("Approved"),
    "approved_with_conditions": _l("Approved with conditions"), "rejected": _l("Returned"),
}
ALL = {"CHECKPOINT_STATES": CHECKPOINT_STATES, "PHASES": PHASES, "PROTECTION_LEVELS": PROTECTION_LEVELS, "PARTICIPANT_ROLES": PARTICIPANT_ROLES,
       "KEY_ROLES": KEY_ROLES, "USER_ROLES": USER_ROLES}
