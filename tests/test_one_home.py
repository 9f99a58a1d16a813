"""Meta-test: one home per concept (issue 14). Each old copy is searched for by its own shape; a rule
written a second time fails here with the file named, and the one home says where it lives."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted([*ROOT.joinpath("vetting").rglob("*.py"), *ROOT.joinpath("templates").rglob("*.html")])

# (concept, pattern of a copy, the files allowed to hold it: the concept's home)
RULES = [
    ("newest outcome per check (store.outcomes.IS_NEWEST, domain.screening_status.newest)",
     r"max\(id\)\s+FROM\s+outcomes|FROM outcomes n WHERE|_IS_LATEST", {"vetting/store/outcomes.py"}),
    ("newest outcome per check read by the domain (screening_status.newest / newest_of)",
     r"outcome_store\.latest\(",
     # the read model itself; screening and company_facts store outcomes below it (they cannot import it)
     {"vetting/domain/screening_status.py", "vetting/domain/screening.py", "vetting/domain/company_facts.py"}),
    ("open matches (screening.open_reviews)", r"_OPEN_MATCHES|json_extract\(m\.value, '\$\.dismissed_before'\)", set()),
    ("under contract (vetting/contract.py)", r"""["']signed["'],\s*["']active["']\)""", {"vetting/contract.py"}),
    ("due and overdue (domain.followup.due_window / due_state)",
     r"next_due\"\]\s*<\s*today|today\s*<=\s*s\[\"next_due\"\]|add_months\((?:date\.)?today(?:\(\))?,\s*1\)", set()),
    ("level-of-control words (vocabulary CONTROL_LEVELS)", r"LEVEL_NAMES|\"joint_review\":\s*_\(", set()),
    ("safe redirect (web.auth.safe_next)", r"startswith\(\"//\"\)", {"vetting/web/auth.py"}),
    ("country name to ISO (lists.common.country_code)", r"\.territories\b",
     {"vetting/lists/common.py", "vetting/vocabulary/basic.py"}),  # basic: code -> name, the other way round
    ("byte decoding (domain.text.decode_bytes)", r"def decode_text|def decode\(data: bytes|\.decode\(\"cp1252\"\)|\"cp1252\"",
     {"vetting/domain/text.py"}),
    ("building a CheckContext (domain.check_context.check_context)", r"CheckContext\(",
     {"vetting/domain/check_context.py"}),
    ("a stored file as a download (web.downloads.attachment)", r"default-src 'none'; sandbox|\"image/jpeg\": \"jpg\"",
     {"vetting/web/downloads.py"}),
]


def _copies(pattern: str, allowed: set[str]) -> list[str]:
    found = []
    for path in FILES:
        rel = str(path.relative_to(ROOT))
        if rel in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{rel}:{number}: {line.strip()[:100]}")
    return found


@pytest.mark.parametrize("concept,pattern,allowed", RULES, ids=[r[0].split(" (")[0] for r in RULES])
def test_one_home_per_concept(concept, pattern, allowed):
    copies = _copies(pattern, allowed)
    assert not copies, f"{concept}: a second copy of the rule:\n" + "\n".join(copies)


@pytest.mark.parametrize("concept,pattern,allowed", [r for r in RULES if r[2]], ids=[r[0].split(" (")[0] for r in RULES if r[2]])
def test_each_home_holds_its_rule(concept, pattern, allowed):
    """The patterns are not vacuous: each finds the rule in its home."""
    assert any(re.search(pattern, (ROOT / home).read_text(encoding="utf-8")) for home in allowed), concept


def test_the_old_copies_would_be_found():
    """The shapes of the copies deleted in issue 14, as they were written, are still recognised."""
    old = {
        "under contract": 'if row["phase"] in ("signed", "active"):',
        "due and overdue": 'due=[s for s in schedules if today <= s["next_due"] <= domain.add_months(date.today(), 1)',
        "safe redirect": 'target.startswith("/") and not target.startswith("//")',
        "byte decoding": 'for encoding in ("utf-8-sig", "cp1252"):',
        "newest outcome per check": "SELECT max(id) FROM outcomes GROUP BY subject_kind, subject_id, check_id",
    }
    for concept, line in old.items():
        rule = next(r for r in RULES if r[0].startswith(concept))
        assert re.search(rule[1], line), concept
