"""The one vocabulary: words for every code the views show, and numbers, yes/no and countries per locale.

Domain modules keep codes (statuses, check ids, fact codes, criteria, audit actions, roles, ISO country codes)
and never render text; views and templates translate them here (Jinja filters registered by ``init_app``).
A code without a word is shown readable (``needs manual input``), never as the raw identifier; the crawl
test (tests/test_swedish_crawl.py) finds those.
"""
from __future__ import annotations

from flask import Flask

from .audit import changes as audit_changes
from .basic import (action_label, check_name, country_name, in_language, label, number, score, source_name,
                    status_label, yes_no)
from .facts import FACTS, evidence_label, fact_label, reason_line, rule_detail
from .explanations import explanation, feature_name
from .changes import change_kind
from .outcomes import batch_description, finding_line, finding_sentence, finding_text, reason_text
from .stored import change_text, notification_text
from .words import ACTIONS, CRITERIA, STATUSES

__all__ = ["ACTIONS", "CRITERIA", "FACTS", "STATUSES", "action_label", "check_name", "country_name", "fact_label",
           "label", "number", "source_name", "rule_detail", "score", "status_label", "yes_no", "init_app"]


def init_app(app: Flask) -> None:
    """Register the vocabulary as Jinja filters and globals."""
    filters = {"status_label": status_label, "action_label": action_label, "yes_no": yes_no, "number": number,
               "score": score, "country_name": country_name, "source_name": source_name, "check_name": check_name, "fact_label": fact_label,
               "rule_detail": rule_detail, "in_language": in_language,
               "reason_text": reason_text, "finding_text": finding_text, "finding_line": finding_line,
               "finding_sentence": finding_sentence,
               "explanation": explanation, "feature_name": feature_name,
               "change_text": change_text, "evidence_label": evidence_label, "reason_line": reason_line,
               "batch_description": batch_description, "notification_text": notification_text,
               "change_kind": change_kind}
    from .espd import declared_label, detail_value, ground_label

    filters.update(espd_ground=ground_label, espd_declared=declared_label, espd_detail=detail_value)
    for name, fn in filters.items():
        app.add_template_filter(fn, name)
    app.add_template_filter(lambda code, vocabulary: label(vocabulary, code), "label")
    app.jinja_env.globals["vocabulary_label"] = label
    app.jinja_env.globals["audit_changes"] = audit_changes
    app.jinja_env.globals["status_labels"] = lambda: {k: str(v) for k, v in STATUSES.items() if k}
