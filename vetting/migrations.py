"""Numbered schema migrations. Never edit one that has been released: add a new one."""
from __future__ import annotations

import sqlite_utils

migrations = sqlite_utils.Migrations("vetting")


def _run(db: sqlite_utils.Database, statements: str) -> None:
    """Execute ``;``-separated DDL one statement at a time (executescript would commit)."""
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_initial")
def m0001_initial(db: sqlite_utils.Database) -> None:
    """Users, sessions, procurements, organisations, participants, key persons, audit log."""
    _run(db, """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('procurement_officer','security_officer','reviewer','auditor','admin')),
    PRIMARY KEY (user_id, role)
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    revoked_at TEXT,
    client_address TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL COLLATE NOCASE,
    client_address TEXT,
    at TEXT NOT NULL,
    succeeded INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_address ON login_attempts(client_address, at);
CREATE TABLE procurements (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cpv_code TEXT,
    category TEXT,
    risk_industry INTEGER NOT NULL DEFAULT 0,
    estimated_value INTEGER,
    currency TEXT NOT NULL DEFAULT 'SEK',
    protection_level TEXT NOT NULL DEFAULT 'none' CHECK (protection_level IN ('none','sua1','sua2','sua3')),
    phase TEXT NOT NULL DEFAULT 'need',
    responsible_user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    identifier_type TEXT,
    identifier TEXT,
    address TEXT NOT NULL DEFAULT '',
    industry_code TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_identifier ON organisations(identifier_type, identifier) WHERE identifier IS NOT NULL;
CREATE INDEX organisations_name ON organisations(name COLLATE NOCASE);
CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL CHECK (role IN ('bidder','awarded','subcontractor','capacity')),
    parent_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    share_percent REAL CHECK (share_percent IS NULL OR (share_percent >= 0 AND share_percent <= 100)),
    created_at TEXT NOT NULL
);
CREATE INDEX participants_procurement ON participants(procurement_id);
CREATE INDEX participants_organisation ON participants(organisation_id);
CREATE UNIQUE INDEX participants_unique ON participants(procurement_id, organisation_id, ifnull(parent_id, 0));
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    personnummer TEXT UNIQUE,
    birth_date TEXT,
    nationality TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    erased_at TEXT
);
CREATE TABLE key_roles (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('board_member','deputy','ceo','signatory','beneficial_owner','contact')),
    source TEXT NOT NULL DEFAULT 'manual',
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, person_id, role)
);
CREATE INDEX key_roles_person ON key_roles(person_id);
CREATE TABLE pending_imports (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rows_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT,
    record_id TEXT,
    before_json TEXT,
    after_json TEXT,
    reason TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_record ON audit_log(record_type, record_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
""")


@migrations(name="0002_screening")
def m0002_screening(db: sqlite_utils.Database) -> None:
    """Sanctions/debarment list versions and entries, check outcomes with evidence, match reviews."""
    _run(db, """
CREATE TABLE list_versions (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    published TEXT,
    sha256 TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    declared_count INTEGER,
    files TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX list_versions_source ON list_versions(source, active);
CREATE TABLE list_entries (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES list_versions(id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    entry_hash TEXT NOT NULL
);
CREATE INDEX list_entries_version ON list_entries(version_id);
CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('organisation','person')),
    subject_id INTEGER NOT NULL,
    check_id TEXT NOT NULL,
    check_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('clear','possible_match','hit','error','needs_manual_input','not_applicable')),
    reason TEXT,
    findings TEXT NOT NULL,
    explanation TEXT NOT NULL,
    run_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outcomes_subject ON outcomes(subject_kind, subject_id, check_id, id);
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    outcome_id INTEGER NOT NULL REFERENCES outcomes(id),
    position INTEGER NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    list_version TEXT,
    fetched_at TEXT NOT NULL,
    http_status INTEGER,
    media_type TEXT,
    sha256 TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX evidence_outcome ON evidence(outcome_id);
CREATE TABLE match_reviews (
    id INTEGER PRIMARY KEY,
    outcome_id INTEGER NOT NULL REFERENCES outcomes(id),
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    list_source TEXT NOT NULL,
    listed_id TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed','dismissed')),
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX match_reviews_subject ON match_reviews(subject_kind, subject_id);
CREATE TRIGGER outcomes_immutable BEFORE UPDATE ON outcomes
BEGIN SELECT RAISE(ABORT, 'outcomes are immutable; a re-run adds a new outcome'); END;
CREATE TRIGGER outcomes_no_delete BEFORE DELETE ON outcomes
BEGIN SELECT RAISE(ABORT, 'outcomes are immutable'); END;
CREATE TRIGGER evidence_immutable BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END
""")


@migrations(name="0003_register_settings")
def m0003_register_settings(db: sqlite_utils.Database) -> None:
    """Per-register settings and credentials (secrets are write-only in the UI)."""
    _run(db, """
CREATE TABLE register_settings (
    check_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    secret INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (check_id, key)
)
""")


@migrations(name="0004_checkpoints")
def m0004_checkpoints(db: sqlite_utils.Database) -> None:
    """Checkpoint instances, their decisions, error overrides and in-app notifications."""
    _run(db, """
CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    template_id TEXT NOT NULL,
    trigger TEXT NOT NULL,
    event_detail TEXT,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','prepared','approved','approved_with_conditions','rejected')),
    round INTEGER NOT NULL DEFAULT 0,
    answers TEXT NOT NULL DEFAULT '{}',
    prepared_by TEXT,
    prepared_by_id INTEGER,
    prepared_at TEXT,
    due_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX checkpoints_procurement ON checkpoints(procurement_id);
CREATE UNIQUE INDEX checkpoints_phase_unique ON checkpoints(procurement_id, template_id) WHERE trigger = 'phase';
CREATE TABLE checkpoint_decisions (
    id INTEGER PRIMARY KEY,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approved','approved_with_conditions','rejected')),
    reason TEXT NOT NULL,
    conditions TEXT,
    decided_by TEXT NOT NULL,
    decided_by_id INTEGER,
    decided_at TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    UNIQUE (checkpoint_id, round)
);
CREATE TABLE checkpoint_documents (
    id INTEGER PRIMARY KEY,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    body BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE TABLE outcome_overrides (
    id INTEGER PRIMARY KEY,
    outcome_id INTEGER NOT NULL UNIQUE REFERENCES outcomes(id),
    reason TEXT NOT NULL,
    overridden_by TEXT NOT NULL,
    overridden_at TEXT NOT NULL
);
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    link TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE TRIGGER checkpoint_decisions_immutable BEFORE UPDATE ON checkpoint_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END
""")


@migrations(name="0005_followup")
def m0005_followup(db: sqlite_utils.Database) -> None:
    """Background batches, follow-up schedules, reviews and change alerts."""
    _run(db, """
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    procurement_id INTEGER REFERENCES procurements(id) ON DELETE SET NULL,
    check_ids TEXT,
    state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running','done')),
    total INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE batch_items (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done')),
    worst_status TEXT,
    done_at TEXT
);
CREATE INDEX batch_items_batch ON batch_items(batch_id, state);
ALTER TABLE outcomes ADD COLUMN batch_item_id INTEGER REFERENCES batch_items(id);
CREATE UNIQUE INDEX outcomes_batch_item ON outcomes(batch_item_id, check_id) WHERE batch_item_id IS NOT NULL;
CREATE TABLE followups (
    procurement_id INTEGER PRIMARY KEY REFERENCES procurements(id) ON DELETE CASCADE,
    risk_level TEXT NOT NULL,
    interval_months INTEGER NOT NULL,
    next_due TEXT NOT NULL,
    last_run_at TEXT,
    last_review_at TEXT,
    last_review_outcome_id INTEGER
);
CREATE TABLE followup_reviews (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    conclusion TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    next_due TEXT NOT NULL,
    outcome_watermark INTEGER NOT NULL
);
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER REFERENCES procurements(id) ON DELETE CASCADE,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    check_id TEXT NOT NULL,
    outcome_id INTEGER NOT NULL REFERENCES outcomes(id),
    previous_outcome_id INTEGER,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TEXT NOT NULL,
    handled_by TEXT,
    handled_at TEXT,
    handling_note TEXT,
    UNIQUE (procurement_id, outcome_id, kind)
)
""")


# Search indexes. The person index holds the name and the birth year only: never the
# personnummer (an exact personnummer lookup goes to persons.personnummer instead). Erased
# persons leave the index. rowid is the record's own id, so triggers delete by rowid.
_SEARCH_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
_ORG_IDENTIFIER = "coalesce(new.identifier || ' ' || replace(replace(new.identifier, '-', ''), ' ', ''), '')"


@migrations(name="0006_search")
def m0006_search(db: sqlite_utils.Database) -> None:
    """Full-text search over procurements, organisations and persons (kept by triggers); dashboard indexes."""
    statements = [
        f"CREATE VIRTUAL TABLE search_procurements USING fts5(reference, title, {_SEARCH_TOKENIZER})",
        f"CREATE VIRTUAL TABLE search_organisations USING fts5(name, identifier, {_SEARCH_TOKENIZER})",
        f"CREATE VIRTUAL TABLE search_persons USING fts5(name, birth_year, {_SEARCH_TOKENIZER})",
        "CREATE TRIGGER procurements_search_insert AFTER INSERT ON procurements BEGIN"
        " INSERT INTO search_procurements (rowid, reference, title) VALUES (new.id, new.reference, new.title); END",
        "CREATE TRIGGER procurements_search_update AFTER UPDATE OF reference, title ON procurements BEGIN"
        " DELETE FROM search_procurements WHERE rowid = old.id;"
        " INSERT INTO search_procurements (rowid, reference, title) VALUES (new.id, new.reference, new.title); END",
        "CREATE TRIGGER procurements_search_delete AFTER DELETE ON procurements BEGIN"
        " DELETE FROM search_procurements WHERE rowid = old.id; END",
        "CREATE TRIGGER organisations_search_insert AFTER INSERT ON organisations BEGIN"
        f" INSERT INTO search_organisations (rowid, name, identifier) VALUES (new.id, new.name, {_ORG_IDENTIFIER}); END",
        "CREATE TRIGGER organisations_search_update AFTER UPDATE OF name, identifier ON organisations BEGIN"
        " DELETE FROM search_organisations WHERE rowid = old.id;"
        f" INSERT INTO search_organisations (rowid, name, identifier) VALUES (new.id, new.name, {_ORG_IDENTIFIER}); END",
        "CREATE TRIGGER organisations_search_delete AFTER DELETE ON organisations BEGIN"
        " DELETE FROM search_organisations WHERE rowid = old.id; END",
        "CREATE TRIGGER persons_search_insert AFTER INSERT ON persons WHEN new.erased_at IS NULL BEGIN"
        " INSERT INTO search_persons (rowid, name, birth_year)"
        " VALUES (new.id, new.name, coalesce(substr(new.birth_date, 1, 4), '')); END",
        "CREATE TRIGGER persons_search_update AFTER UPDATE OF name, birth_date, erased_at ON persons BEGIN"
        " DELETE FROM search_persons WHERE rowid = old.id;"
        " INSERT INTO search_persons (rowid, name, birth_year) SELECT new.id, new.name,"
        " coalesce(substr(new.birth_date, 1, 4), '') WHERE new.erased_at IS NULL; END",
        "CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN"
        " DELETE FROM search_persons WHERE rowid = old.id; END",
        "INSERT INTO search_procurements (rowid, reference, title) SELECT id, reference, title FROM procurements",
        "INSERT INTO search_organisations (rowid, name, identifier) SELECT id, name, coalesce(identifier || ' ' ||"
        " replace(replace(identifier, '-', ''), ' ', ''), '') FROM organisations",
        "INSERT INTO search_persons (rowid, name, birth_year) SELECT id, name, coalesce(substr(birth_date, 1, 4), '')"
        " FROM persons WHERE erased_at IS NULL",
        # The dashboard's queries: each one reads an index range, never a whole table.
        "CREATE INDEX procurements_phase ON procurements(phase)",
        "CREATE INDEX followups_next_due ON followups(next_due)",
        "CREATE INDEX outcomes_status ON outcomes(status, subject_kind, subject_id, check_id, created_at)",
        "CREATE INDEX match_reviews_outcome ON match_reviews(outcome_id)",
        "CREATE INDEX checkpoints_state ON checkpoints(state, due_at)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations(name="0009_risk")
def m0009_risk(db: sqlite_utils.Database) -> None:
    """Risk model versions, assessments with their facts, answers, overrides, exclusion cases, contact details."""
    _run(db, """
ALTER TABLE participants ADD COLUMN bid_price INTEGER;
ALTER TABLE organisations ADD COLUMN phone TEXT;
ALTER TABLE organisations ADD COLUMN email TEXT;
ALTER TABLE organisations ADD COLUMN bank_account TEXT;
CREATE TABLE risk_models (
    version TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE risk_answers (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    fact TEXT NOT NULL,
    value TEXT NOT NULL CHECK (value IN ('yes','no','unknown')),
    note TEXT,
    answered_by TEXT NOT NULL,
    answered_by_id INTEGER,
    answered_at TEXT NOT NULL
);
CREATE INDEX risk_answers_case ON risk_answers(procurement_id, organisation_id, fact, id);
CREATE TABLE risk_assessments (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    model_version TEXT NOT NULL,
    model_sha256 TEXT NOT NULL,
    level TEXT NOT NULL,
    total REAL NOT NULL,
    multiplier REAL NOT NULL,
    results TEXT NOT NULL,
    reasons TEXT NOT NULL,
    facts TEXT NOT NULL,
    prepared_by TEXT NOT NULL,
    prepared_by_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX risk_assessments_case ON risk_assessments(procurement_id, organisation_id, id);
CREATE TABLE risk_overrides (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL UNIQUE REFERENCES risk_assessments(id),
    level TEXT NOT NULL,
    reason TEXT NOT NULL,
    overridden_by TEXT NOT NULL,
    overridden_at TEXT NOT NULL
);
CREATE TABLE exclusion_cases (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES risk_assessments(id),
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    grounds TEXT NOT NULL,
    hearing TEXT,
    self_cleaning TEXT,
    decision TEXT CHECK (decision IS NULL OR decision IN ('exclude','not_exclude')),
    reason TEXT,
    decided_by TEXT,
    decided_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX exclusion_cases_case ON exclusion_cases(procurement_id, organisation_id);
CREATE TABLE staff_conflicts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    birth_year TEXT,
    note TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TRIGGER risk_assessments_immutable BEFORE UPDATE ON risk_assessments
BEGIN SELECT RAISE(ABORT, 'assessments are immutable; a re-run adds a new one'); END
""")


@migrations(name="0007_privacy")
def m0007_privacy(db: sqlite_utils.Database) -> None:
    """Erasure register; outcomes, evidence and decisions may be redacted only by an open erasure.

    Outcomes, evidence and checkpoint decisions stay immutable to the application, with one
    exception: while an ``erasures`` row for a person is open, the identifying parts of that
    person's records may be rewritten (outcome findings and explanation, evidence body and media
    type, a decision's reason, conditions and snapshot); every other column must stay as it was.
    The erasure path opens the row, rewrites and closes it inside one ``BEGIN IMMEDIATE``
    transaction, so no other connection ever sees an open erasure; a closed one cannot be
    reopened or deleted, and ``flask check`` reports any left open. The register row and an audit
    entry document each erasure; the evidence's ``sha256`` keeps the original digest as proof of
    what was consulted. The audit log is not covered: its hash chain must keep verifying.
    """
    _run(db, """
CREATE TABLE erasures (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    rule TEXT NOT NULL,
    basis TEXT NOT NULL,
    reference_date TEXT NOT NULL,
    erased_at TEXT NOT NULL,
    erased_by TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1))
);
CREATE INDEX erasures_person ON erasures(person_id, open);
CREATE TRIGGER erasures_close_only BEFORE UPDATE ON erasures
WHEN OLD.open = 0 OR NEW.open != 0 OR NEW.id != OLD.id OR NEW.person_id != OLD.person_id OR NEW.rule != OLD.rule
  OR NEW.basis != OLD.basis OR NEW.reference_date != OLD.reference_date OR NEW.erased_at != OLD.erased_at
  OR NEW.erased_by != OLD.erased_by
BEGIN SELECT RAISE(ABORT, 'an erasure can only be closed'); END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures are permanent'); END;
DROP TRIGGER outcomes_immutable;
CREATE TRIGGER outcomes_immutable BEFORE UPDATE ON outcomes
WHEN NOT (OLD.subject_kind = 'person'
  AND EXISTS (SELECT 1 FROM erasures e WHERE e.person_id = OLD.subject_id AND e.open = 1)
  AND NEW.id = OLD.id AND NEW.subject_kind = OLD.subject_kind AND NEW.subject_id = OLD.subject_id
  AND NEW.check_id = OLD.check_id AND NEW.check_version = OLD.check_version AND NEW.status = OLD.status
  AND NEW.reason IS OLD.reason AND NEW.run_by = OLD.run_by AND NEW.created_at = OLD.created_at
  AND NEW.batch_item_id IS OLD.batch_item_id)
BEGIN SELECT RAISE(ABORT, 'outcomes are immutable; a re-run adds a new outcome'); END;
DROP TRIGGER evidence_immutable;
CREATE TRIGGER evidence_immutable BEFORE UPDATE ON evidence
WHEN NOT (EXISTS (SELECT 1 FROM outcomes o JOIN erasures e ON e.person_id = o.subject_id AND e.open = 1
                  WHERE o.id = OLD.outcome_id AND o.subject_kind = 'person')
  AND NEW.id = OLD.id AND NEW.outcome_id = OLD.outcome_id AND NEW.position = OLD.position
  AND NEW.source = OLD.source AND NEW.url IS OLD.url AND NEW.list_version IS OLD.list_version
  AND NEW.fetched_at = OLD.fetched_at AND NEW.http_status IS OLD.http_status AND NEW.sha256 = OLD.sha256)
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;
DROP TRIGGER checkpoint_decisions_immutable;
CREATE TRIGGER checkpoint_decisions_immutable BEFORE UPDATE ON checkpoint_decisions
WHEN NOT (EXISTS (SELECT 1 FROM erasures WHERE open = 1)
  AND NEW.id = OLD.id AND NEW.checkpoint_id = OLD.checkpoint_id AND NEW.round = OLD.round
  AND NEW.decision = OLD.decision AND NEW.decided_by = OLD.decided_by AND NEW.decided_by_id IS OLD.decided_by_id
  AND NEW.decided_at = OLD.decided_at)
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END
""")


@migrations(name="0008_performance")
def m0008_performance(db: sqlite_utils.Database) -> None:
    """Indexes found missing by bench/load.py (10,000 organisations, 50,000 key persons) and EXPLAIN QUERY PLAN."""
    _run(db, """
CREATE INDEX organisations_country ON organisations(country);
CREATE INDEX procurements_created ON procurements(created_at, id);
CREATE INDEX audit_log_action ON audit_log(action)
""")


@migrations(name="0011_one_truth")
def m0011_one_truth(db: sqlite_utils.Database) -> None:
    """Databases migrated by release 0006 kept its first ``outcomes_status`` index; 0006 was later
    edited in place (it must not be), so only fresh databases got the wider one. Rebuild it for all."""
    _run(db, """
DROP INDEX IF EXISTS outcomes_status;
CREATE INDEX outcomes_status ON outcomes(status, subject_kind, subject_id, check_id, created_at)
""")


@migrations(name="0015_registers")
def m0015_registers(db: sqlite_utils.Database) -> None:
    """Outcome status 'observation' (adverse facts are never clear) and the headers kept with each piece of evidence.

    SQLite cannot alter a CHECK constraint, and rebuilding ``outcomes`` would drop the triggers and references other
    migrations hang on it. Adding a value to the IN list only widens the constraint (every stored row still holds),
    which is the case SQLite documents as safe to do by editing the schema text (sqlite.org/lang_altertable.html,
    "making other kinds of table schema changes"); schema_version is bumped so every connection reloads it.
    """
    old = "'needs_manual_input','not_applicable')"
    new = "'needs_manual_input','not_applicable','observation')"
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outcomes'").fetchone()[0]
    if old not in sql:
        raise RuntimeError("0015_registers: the outcomes status constraint is not the one this migration widens")
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'outcomes'",
                   [sql.replace(old, new, 1)])
        db.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    db.execute("ALTER TABLE evidence ADD COLUMN headers TEXT")
    check = db.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise RuntimeError(f"0015_registers: integrity check failed after widening the constraint: {check}")


# Names folded to ASCII words (``vetting.domain.text.fold_words``, registered on every connection
# by ``db.connect``) in indexes of their own, so "Kuzmenko" finds "Кузьменко" and "Orsted" finds
# "Ørsted"; the 0006 indexes and triggers stay as they are.
_FOLDED_PERSON = "fold_words(new.name) || ' ' || coalesce(substr(new.birth_date, 1, 4), '')"
_FOLDED_ORG = f"fold_words(new.name) || ' ' || {_ORG_IDENTIFIER}"
_FOLDED_SEARCH = [
    "CREATE VIRTUAL TABLE search_persons_folded USING fts5(name, tokenize = 'unicode61', prefix = '2 3')",
    "CREATE VIRTUAL TABLE search_organisations_folded USING fts5(name, tokenize = 'unicode61', prefix = '2 3')",
    "CREATE TRIGGER persons_folded_insert AFTER INSERT ON persons WHEN new.erased_at IS NULL BEGIN"
    f" INSERT INTO search_persons_folded (rowid, name) VALUES (new.id, {_FOLDED_PERSON}); END",
    "CREATE TRIGGER persons_folded_update AFTER UPDATE OF name, birth_date, erased_at ON persons BEGIN"
    " DELETE FROM search_persons_folded WHERE rowid = old.id;"
    f" INSERT INTO search_persons_folded (rowid, name) SELECT new.id, {_FOLDED_PERSON}"
    " WHERE new.erased_at IS NULL; END",
    "CREATE TRIGGER persons_folded_delete AFTER DELETE ON persons BEGIN"
    " DELETE FROM search_persons_folded WHERE rowid = old.id; END",
    "CREATE TRIGGER organisations_folded_insert AFTER INSERT ON organisations BEGIN"
    f" INSERT INTO search_organisations_folded (rowid, name) VALUES (new.id, {_FOLDED_ORG}); END",
    "CREATE TRIGGER organisations_folded_update AFTER UPDATE OF name, identifier ON organisations BEGIN"
    " DELETE FROM search_organisations_folded WHERE rowid = old.id;"
    f" INSERT INTO search_organisations_folded (rowid, name) VALUES (new.id, {_FOLDED_ORG}); END",
    "CREATE TRIGGER organisations_folded_delete AFTER DELETE ON organisations BEGIN"
    " DELETE FROM search_organisations_folded WHERE rowid = old.id; END",
    "INSERT INTO search_persons_folded (rowid, name) SELECT id, fold_words(name) || ' ' ||"
    " coalesce(substr(birth_date, 1, 4), '') FROM persons WHERE erased_at IS NULL",
    "INSERT INTO search_organisations_folded (rowid, name) SELECT id, fold_words(name) || ' ' || coalesce(identifier"
    " || ' ' || replace(replace(identifier, '-', ''), ' ', ''), '') FROM organisations",
    "ALTER TABLE list_versions ADD COLUMN published_basis TEXT",
    "ALTER TABLE list_versions ADD COLUMN forced_reason TEXT",
    # The name index of the active list versions, persisted so a start loads it instead of building it.
    "CREATE TABLE list_index_cache (key TEXT PRIMARY KEY, created_at TEXT NOT NULL, data BLOB NOT NULL)",
]


@migrations(name="0017_screening")
def m0017_screening(db: sqlite_utils.Database) -> None:
    """Folded-name search indexes; list versions say where their date comes from and why one was forced;
    the persisted name index."""
    from .db import register_functions

    register_functions(db.conn)  # the backfill below and the triggers call fold_words
    for statement in _FOLDED_SEARCH:
        db.execute(statement)


@migrations(name="0014_timeline")
def m0014_timeline(db: sqlite_utils.Database) -> None:
    """Planned dates, award notices and standstill, requests for review, tracked conditions, fresh batches.

    Phase ids are unchanged (a new "opening" phase sits between advertised and evaluation), so
    procurements created before this migration read as they did.
    """
    _run(db, """
ALTER TABLE procurements ADD COLUMN planned_advertising TEXT;
ALTER TABLE procurements ADD COLUMN planned_opening TEXT;
ALTER TABLE procurements ADD COLUMN planned_award TEXT;
ALTER TABLE procurements ADD COLUMN planned_contract_start TEXT;
CREATE TABLE award_notices (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    sent_on TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('electronic','post')),
    reasons TEXT NOT NULL,
    recipients TEXT NOT NULL,
    standstill_days INTEGER NOT NULL,
    standstill_ends TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX award_notices_procurement ON award_notices(procurement_id, id);
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    applicant TEXT NOT NULL,
    court TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    decided_on TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('rejected','correction','redo')),
    decision_note TEXT,
    decided_by TEXT
);
CREATE INDEX appeals_procurement ON appeals(procurement_id);
CREATE TABLE conditions (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    decision_id INTEGER NOT NULL REFERENCES checkpoint_decisions(id),
    text TEXT NOT NULL,
    owner_user_id INTEGER REFERENCES users(id),
    owner_role TEXT NOT NULL,
    due_on TEXT NOT NULL,
    fulfilled_at TEXT,
    fulfilled_by TEXT,
    evidence TEXT,
    overdue_alerted_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX conditions_open ON conditions(fulfilled_at, due_on);
ALTER TABLE batches ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0
""")


@migrations(name="0010_gates")
def m0010_gates(db: sqlite_utils.Database) -> None:
    """Four-eyes proposals, art. 5k answers per party, sanction reports, deepened-check tasks, stale assessments."""
    _run(db, """
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    reason TEXT NOT NULL,
    record_type TEXT,
    record_id TEXT,
    proposed_by TEXT NOT NULL,
    proposed_by_id INTEGER,
    proposed_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'refused')),
    decided_by TEXT,
    decided_by_id INTEGER,
    decided_at TEXT,
    decision_reason TEXT
);
CREATE UNIQUE INDEX proposals_one_pending ON proposals(kind, target) WHERE state = 'pending';
CREATE INDEX proposals_state ON proposals(state, id);
CREATE TABLE art5k_answers (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    russian_owned TEXT NOT NULL CHECK (russian_owned IN ('yes', 'no', 'unknown')),
    acting_for_russia TEXT NOT NULL CHECK (acting_for_russia IN ('yes', 'no', 'unknown')),
    note TEXT,
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX art5k_answers_org ON art5k_answers(organisation_id, id);
CREATE TABLE sanction_reports (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL,
    review_id INTEGER,
    security_told_at TEXT NOT NULL,
    reported_by TEXT,
    reported_to TEXT,
    reported_at TEXT
);
CREATE UNIQUE INDEX sanction_reports_once ON sanction_reports(procurement_id, organisation_id, review_id);
CREATE TABLE deepened_checks (
    id INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL,
    assessment_id INTEGER NOT NULL,
    owner_role TEXT NOT NULL DEFAULT 'security_officer',
    due_at TEXT NOT NULL,
    examined TEXT,
    proportionality TEXT,
    conclusion TEXT,
    concluded_by TEXT,
    concluded_at TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX deepened_checks_assessment ON deepened_checks(assessment_id);
CREATE INDEX deepened_checks_case ON deepened_checks(procurement_id, organisation_id);
CREATE TABLE stale_assessments (
    procurement_id INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL,
    assessment_id INTEGER NOT NULL,
    why TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (procurement_id, organisation_id, assessment_id)
)
""")


@migrations(name="0013_privacy_leaks")
def m0013_privacy_leaks(db: sqlite_utils.Database) -> None:
    """Merge queue for key persons whose typed personnummer is already stored (no oracle for the typist).

    A key person added by someone who may not see personnummer is always a new person under the
    name typed; when the number belongs to a stored person, the typed number waits here (it cannot
    sit on the new row: ``persons.personnummer`` is unique) until a security officer merges the two
    or keeps them apart. Retention erases the number with the person.

    Audit entries say whether their hash is keyed (HMAC-SHA256 with a key outside the database);
    existing entries stay plain SHA-256 (``keyed`` 0) and keep verifying, and adding the column
    rewrites no row (the append-only triggers stay as they are).

    Risk assessments stay immutable except, like outcomes and decisions (0007), while an erasure
    is open: then only their texts (results, reasons, facts) may change, so retention can take a
    person's name out of them.
    """
    _run(db, """
CREATE TABLE person_merges (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    personnummer TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    decision TEXT CHECK (decision IN ('merge', 'separate')),
    merged_into INTEGER REFERENCES persons(id)
);
CREATE INDEX person_merges_open ON person_merges(resolved_at, person_id);
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1));
DROP TRIGGER risk_assessments_immutable;
CREATE TRIGGER risk_assessments_immutable BEFORE UPDATE ON risk_assessments
WHEN NOT (EXISTS (SELECT 1 FROM erasures WHERE open = 1)
  AND NEW.id = OLD.id AND NEW.procurement_id = OLD.procurement_id AND NEW.organisation_id = OLD.organisation_id
  AND NEW.model_version = OLD.model_version AND NEW.model_sha256 = OLD.model_sha256 AND NEW.level = OLD.level
  AND NEW.total = OLD.total AND NEW.multiplier = OLD.multiplier AND NEW.prepared_by = OLD.prepared_by
  AND NEW.prepared_by_id IS OLD.prepared_by_id AND NEW.created_at = OLD.created_at)
BEGIN SELECT RAISE(ABORT, 'assessments are immutable; a re-run adds a new one'); END
""")


@migrations(name="0016_annual_reports")
def m0016_annual_reports(db: sqlite_utils.Database) -> None:
    """Key figures per organisation and fiscal year, read from its annual reports (the one home of the company
    facts the risk model reads: employees, turnover, equity, share capital). NUMERIC keeps whole kronor whole."""
    _run(db, """
CREATE TABLE company_key_figures (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  fiscal_start TEXT,
  fiscal_end TEXT NOT NULL,
  net_revenue NUMERIC,
  result NUMERIC,
  result_after_financial_items NUMERIC,
  equity NUMERIC,
  share_capital NUMERIC,
  solidity NUMERIC,
  employees NUMERIC,
  balance_total NUMERIC,
  currency TEXT,
  document_id TEXT,
  outcome_id INTEGER NOT NULL REFERENCES outcomes(id),
  updated_at TEXT NOT NULL,
  UNIQUE (organisation_id, fiscal_end)
);
CREATE INDEX company_key_figures_outcome ON company_key_figures(outcome_id)
""")


@migrations(name="0023_connection_tests")
def m0023_connection_tests(db: sqlite_utils.Database) -> None:
    """"Test connection" runs in the background: one row per test, pending → running → done, with its result."""
    _run(db, """
CREATE TABLE connection_tests (
  id INTEGER PRIMARY KEY,
  check_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done')),
  ok INTEGER,
  status TEXT,
  reason TEXT,
  started_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX connection_tests_check ON connection_tests(check_id, id)
""")


@migrations(name="0020_espd")
def m0020_espd(db: sqlite_utils.Database) -> None:
    """ESPD responses per (procurement, organisation) with the file kept as evidence (SHA-256), the answer to each
    exclusion criterion, and signed truth declarations (sanningsförsäkran) with their document. Immutable: a new
    file is a new row, so what an assessment rested on stays readable."""
    _run(db, """
CREATE TABLE espd_responses (
  id INTEGER PRIMARY KEY,
  procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  profile TEXT,
  document_id TEXT,
  contract_folder_id TEXT,
  issued TEXT,
  operator_name TEXT NOT NULL,
  operator_identifiers TEXT NOT NULL,
  operator_country TEXT,
  identifier_compared INTEGER NOT NULL,
  filename TEXT NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  body BLOB NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX espd_responses_case ON espd_responses(procurement_id, organisation_id, id);
CREATE INDEX espd_responses_organisation ON espd_responses(organisation_id, id);
CREATE TABLE espd_answers (
  id INTEGER PRIMARY KEY,
  espd_id INTEGER NOT NULL REFERENCES espd_responses(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  criterion_uuid TEXT NOT NULL,
  criterion_code TEXT NOT NULL,
  name TEXT NOT NULL,
  ground TEXT NOT NULL,
  indicator TEXT,
  declared INTEGER CHECK (declared IS NULL OR declared IN (0, 1)),
  details TEXT NOT NULL
);
CREATE INDEX espd_answers_espd ON espd_answers(espd_id, position);
CREATE TABLE truth_declarations (
  id INTEGER PRIMARY KEY,
  procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  signed_by TEXT NOT NULL,
  signed_on TEXT NOT NULL,
  filename TEXT NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  body BLOB NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX truth_declarations_case ON truth_declarations(procurement_id, organisation_id, id);
CREATE TRIGGER espd_responses_immutable BEFORE UPDATE ON espd_responses
BEGIN SELECT RAISE(ABORT, 'an imported ESPD is evidence and never changes; import a new one'); END;
CREATE TRIGGER truth_declarations_immutable BEFORE UPDATE ON truth_declarations
BEGIN SELECT RAISE(ABORT, 'a recorded truth declaration never changes; record a new one'); END
""")


@migrations(name="0019_exclusion_law")
def m0019_exclusion_law(db: sqlite_utils.Database) -> None:
    """Exclusion under LOU ch. 13 as the law has it: grounds with kind, dates and state; the procurement's stated
    optional grounds and whether it is below the threshold (19 kap.); the communication with the supplier; the
    three elements of self-cleaning; decisions that are never edited (a reconsideration is a new one referring to
    the old). Existing cases move over: their grounds, hearing text, self-cleaning text and decision become rows
    of the new tables (marked ``legacy``); the old columns stay readable and are no longer written.
    """
    import json
    import re
    from datetime import datetime, timezone

    _run(db, """
ALTER TABLE procurements ADD COLUMN below_threshold INTEGER NOT NULL DEFAULT 0 CHECK (below_threshold IN (0, 1));
CREATE TABLE procurement_stated_grounds (
    procurement_id INTEGER NOT NULL REFERENCES procurements(id) ON DELETE CASCADE,
    ground TEXT NOT NULL,
    stated_by TEXT NOT NULL,
    stated_at TEXT NOT NULL,
    PRIMARY KEY (procurement_id, ground)
);
CREATE TABLE exclusion_grounds (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES exclusion_cases(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    ground TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '{}',
    detail TEXT,
    facts_sha256 TEXT,
    established TEXT CHECK (established IS NULL OR established IN ('final', 'other')),
    start_date TEXT,
    remedy TEXT CHECK (remedy IS NULL OR remedy IN ('paid', 'arrangement')),
    remedy_date TEXT,
    remedy_evidence TEXT,
    exception TEXT CHECK (exception IS NULL OR exception IN ('public_interest', 'small_amount')),
    exception_reason TEXT,
    updated_by TEXT,
    updated_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (case_id, indicator)
);
CREATE INDEX exclusion_grounds_case ON exclusion_grounds(case_id);
CREATE TABLE exclusion_communications (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES exclusion_cases(id) ON DELETE CASCADE,
    sent_on TEXT,
    means TEXT CHECK (means IS NULL OR means IN ('email', 'letter', 'platform', 'meeting', 'other')),
    content TEXT NOT NULL,
    deadline TEXT,
    reply_on TEXT,
    reply_text TEXT,
    reply_documents TEXT,
    legacy INTEGER NOT NULL DEFAULT 0 CHECK (legacy IN (0, 1)),
    sent_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reply_by TEXT,
    reply_recorded_at TEXT
);
CREATE INDEX exclusion_communications_case ON exclusion_communications(case_id);
CREATE TABLE exclusion_self_cleaning (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES exclusion_cases(id) ON DELETE CASCADE,
    compensation_evidence TEXT,
    compensation_assessment TEXT CHECK (compensation_assessment IS NULL
        OR compensation_assessment IN ('sufficient', 'insufficient', 'not_shown')),
    cooperation_evidence TEXT,
    cooperation_assessment TEXT CHECK (cooperation_assessment IS NULL
        OR cooperation_assessment IN ('sufficient', 'insufficient', 'not_shown')),
    measures_evidence TEXT,
    measures_assessment TEXT CHECK (measures_assessment IS NULL
        OR measures_assessment IN ('sufficient', 'insufficient', 'not_shown')),
    conclusion TEXT CHECK (conclusion IS NULL OR conclusion IN ('reliable', 'not_reliable')),
    conclusion_reason TEXT,
    legacy_text TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX exclusion_self_cleaning_case ON exclusion_self_cleaning(case_id, id);
CREATE TABLE exclusion_decisions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES exclusion_cases(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL CHECK (outcome IN ('exclude', 'not_exclude', 'require_replacement')),
    reasons TEXT NOT NULL,
    evidence TEXT,
    grounds TEXT NOT NULL DEFAULT '[]',
    reconsiders INTEGER REFERENCES exclusion_decisions(id),
    prepared_by TEXT,
    prepared_by_id INTEGER,
    decided_by TEXT,
    decided_by_id INTEGER,
    decided_at TEXT NOT NULL,
    proposal_id INTEGER,
    legacy INTEGER NOT NULL DEFAULT 0 CHECK (legacy IN (0, 1))
);
CREATE INDEX exclusion_decisions_case ON exclusion_decisions(case_id, id);
CREATE UNIQUE INDEX exclusion_decisions_one_successor ON exclusion_decisions(reconsiders) WHERE reconsiders IS NOT NULL;
CREATE TRIGGER exclusion_decisions_immutable BEFORE UPDATE ON exclusion_decisions
WHEN NOT EXISTS (SELECT 1 FROM erasures WHERE open = 1)
BEGIN SELECT RAISE(ABORT, 'exclusion decisions are never edited; a reconsideration is a new decision'); END
""")

    def ground_code(legal_basis: str) -> str:
        # Frozen copy of the reading of a legal basis at this release (the domain's may grow later).
        text = legal_basis or ""
        if "5k" in text:
            return "art5k"
        if "sanktion" in text.lower() or "sanction" in text.lower():
            return "sanctions"
        found = re.search(r"13:(\d)(?:\s*p\.\s*(\d))?", text)
        if not found:
            return "other"
        return f"13:3:{found.group(2)}" if found.group(1) == "3" and found.group(2) else f"13:{found.group(1)}"

    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for case in list(db.query("SELECT * FROM exclusion_cases ORDER BY id")):
        seen = set()
        for ground in json.loads(case["grounds"] or "[]"):
            indicator = str(ground.get("indicator") or "?")
            if indicator in seen:
                continue
            seen.add(indicator)
            db.execute("INSERT INTO exclusion_grounds (case_id, indicator, ground, legal_basis, name, detail, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [case["id"], indicator, ground_code(str(ground.get("legal_basis") or "")),
                        str(ground.get("legal_basis") or ""), json.dumps(ground.get("name") or {}, ensure_ascii=False),
                        json.dumps(ground.get("detail"), ensure_ascii=False), case["created_at"]])
        if case["hearing"]:
            db.execute("INSERT INTO exclusion_communications (case_id, content, legacy, sent_by, created_at)"
                       " VALUES (?, ?, 1, ?, ?)", [case["id"], case["hearing"], "0019", now])
        if case["self_cleaning"]:
            db.execute("INSERT INTO exclusion_self_cleaning (case_id, legacy_text, recorded_by, recorded_at)"
                       " VALUES (?, ?, ?, ?)", [case["id"], case["self_cleaning"], "0019", now])
        if case["decision"]:
            db.execute("INSERT INTO exclusion_decisions (case_id, outcome, reasons, prepared_by, decided_at, legacy)"
                       " VALUES (?, ?, ?, ?, ?, 1)",
                       [case["id"], case["decision"], case["reason"] or "", case["decided_by"],
                        case["decided_at"] or case["created_at"]])


# What the search indexes hold of an organisation's identifier: as written and compacted; of a sole trader's
# (a Swedish number whose "month" is 01-12, see domain/identifiers.is_sole_trader) only the date part.
_SEARCHABLE_ORG_ID = ("CASE WHEN {p}identifier IS NULL THEN '' WHEN {p}identifier_type = 'se_orgnr'"
                      " AND length({p}identifier) = 10 AND substr({p}identifier, 3, 1) IN ('0', '1')"
                      " THEN substr({p}identifier, 1, 6) ELSE {p}identifier || ' ' ||"
                      " replace(replace({p}identifier, '-', ''), ' ', '') END")


@migrations(name="0022_reveal_tickets")
def m0022_reveal_tickets(db: sqlite_utils.Database) -> None:
    """One-time tickets for a personnummer reveal: the POST is audited and answered with a redirect; the
    page it leads to shows the number once (a reload shows it masked again). Only the token's SHA-256
    is stored, never the number."""
    _run(db, """
CREATE TABLE reveal_tickets (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  audit_id INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  shown_at TEXT
);
CREATE INDEX reveal_tickets_created ON reveal_tickets(created_at)
""")
    # A sole trader's organisation number is a personnummer: the search indexes keep only its date part
    # (what every role sees), so searching nine digits and then a tenth cannot spell it out.
    from .db import register_functions

    register_functions(db.conn)  # the folded index's triggers and backfill call fold_words
    for name in ("organisations_search_insert", "organisations_search_update", "organisations_folded_insert",
                 "organisations_folded_update"):
        db.execute(f"DROP TRIGGER {name}")
    own = f"{_SEARCHABLE_ORG_ID.format(p='new.')}"
    folded = f"fold_words(new.name) || ' ' || {own}"
    for statement in (
        "CREATE TRIGGER organisations_search_insert AFTER INSERT ON organisations BEGIN"
        f" INSERT INTO search_organisations (rowid, name, identifier) VALUES (new.id, new.name, {own}); END",
        "CREATE TRIGGER organisations_search_update AFTER UPDATE OF name, identifier, identifier_type ON organisations"
        " BEGIN DELETE FROM search_organisations WHERE rowid = old.id;"
        f" INSERT INTO search_organisations (rowid, name, identifier) VALUES (new.id, new.name, {own}); END",
        "CREATE TRIGGER organisations_folded_insert AFTER INSERT ON organisations BEGIN"
        f" INSERT INTO search_organisations_folded (rowid, name) VALUES (new.id, {folded}); END",
        "CREATE TRIGGER organisations_folded_update AFTER UPDATE OF name, identifier, identifier_type ON organisations"
        " BEGIN DELETE FROM search_organisations_folded WHERE rowid = old.id;"
        f" INSERT INTO search_organisations_folded (rowid, name) VALUES (new.id, {folded}); END",
        "DELETE FROM search_organisations", "DELETE FROM search_organisations_folded",
        "INSERT INTO search_organisations (rowid, name, identifier) SELECT id, name, "
        f"{_SEARCHABLE_ORG_ID.format(p='')} FROM organisations",
        "INSERT INTO search_organisations_folded (rowid, name) SELECT id, fold_words(name) || ' ' || "
        f"{_SEARCHABLE_ORG_ID.format(p='')} FROM organisations",
    ):
        db.execute(statement)
    # An erasure also reaches the register answers about the person's organisations (an annual report names
    # its signers; a sole trader's answers carry the number, in the address too): while an erasure is open,
    # an organisation's outcome may have its findings and explanation rewritten and its evidence its body and
    # address; what was checked, when, with what result and the SHA-256 of what arrived never change.
    _run(db, """
DROP TRIGGER outcomes_immutable;
CREATE TRIGGER outcomes_immutable BEFORE UPDATE ON outcomes
WHEN NOT (EXISTS (SELECT 1 FROM erasures e WHERE e.open = 1
                  AND (OLD.subject_kind = 'organisation' OR e.person_id = OLD.subject_id))
  AND NEW.id = OLD.id AND NEW.subject_kind = OLD.subject_kind AND NEW.subject_id = OLD.subject_id
  AND NEW.check_id = OLD.check_id AND NEW.check_version = OLD.check_version AND NEW.status = OLD.status
  AND NEW.reason IS OLD.reason AND NEW.run_by = OLD.run_by AND NEW.created_at = OLD.created_at
  AND NEW.batch_item_id IS OLD.batch_item_id)
BEGIN SELECT RAISE(ABORT, 'outcomes are immutable; a re-run adds a new outcome'); END;
DROP TRIGGER evidence_immutable;
CREATE TRIGGER evidence_immutable BEFORE UPDATE ON evidence
WHEN NOT (EXISTS (SELECT 1 FROM outcomes o JOIN erasures e ON e.open = 1
                  AND (o.subject_kind = 'organisation' OR (o.subject_kind = 'person' AND e.person_id = o.subject_id))
                  WHERE o.id = OLD.outcome_id)
  AND NEW.id = OLD.id AND NEW.outcome_id = OLD.outcome_id AND NEW.position = OLD.position
  AND NEW.source = OLD.source AND NEW.list_version IS OLD.list_version
  AND NEW.fetched_at = OLD.fetched_at AND NEW.http_status IS OLD.http_status AND NEW.sha256 = OLD.sha256)
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END
""")


@migrations(name="0024_indicator_facts")
def m0024_indicator_facts(db: sqlite_utils.Database) -> None:
    """Facts the risk model reads that no field filled: the procurement's yearly value, the staff the assignment
    needs and whether it is labour-intensive (NULL = not stated, never "no"); and the 16 kap. 7 § LOU request for
    an explanation of an abnormally low tender as a tracked step (requested, deadline, reply, assessment)."""
    _run(db, """
ALTER TABLE procurements ADD COLUMN annual_value INTEGER;
ALTER TABLE procurements ADD COLUMN required_staff INTEGER;
ALTER TABLE procurements ADD COLUMN labour_intensive INTEGER;
CREATE TABLE bid_explanations (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  requested_on TEXT NOT NULL,
  deadline TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  what TEXT NOT NULL,
  reply_received_on TEXT,
  reply_text TEXT,
  assessment TEXT CHECK (assessment IN ('accepted', 'rejected')),
  assessment_reason TEXT,
  assessed_by TEXT,
  assessed_on TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX bid_explanations_participant ON bid_explanations(participant_id)
""")


@migrations(name="0026_organisation_merges")
def m0026_organisation_merges(db: sqlite_utils.Database) -> None:
    """Merge queue for sole traders whose typed organisation number is already stored (0013 did it for persons).

    A sole trader's organisation number is the owner's personnummer. Registered by someone who may not
    see personnummer, such an organisation is always a new one under the name typed; when another
    organisation has the number, the typed number waits here (it cannot sit on the new row: the
    identifier is unique) until a security officer merges the two or keeps them apart.
    """
    _run(db, """
CREATE TABLE organisation_merges (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    identifier_type TEXT NOT NULL,
    identifier TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    decision TEXT CHECK (decision IN ('merge', 'separate')),
    merged_into INTEGER REFERENCES organisations(id)
);
CREATE INDEX organisation_merges_open ON organisation_merges(resolved_at, organisation_id)
""")
    # The search indexes hold the date part of a sole trader's number (0022); a queued organisation's typed
    # number is indexed the same way, so a search cannot tell it from a new one either.
    typed = _SEARCHABLE_ORG_ID.format(p="new.")
    own = _SEARCHABLE_ORG_ID.format(p="o.")
    for when, what, number in (("AFTER INSERT ON organisation_merges WHEN new.identifier IS NOT NULL", "insert", typed),
                               ("AFTER UPDATE OF identifier ON organisation_merges WHEN new.identifier IS NULL",
                                "forget", own)):
        db.execute(
            f"CREATE TRIGGER organisation_merges_search_{what} {when} BEGIN"
            " DELETE FROM search_organisations WHERE rowid = new.organisation_id;"
            f" INSERT INTO search_organisations (rowid, name, identifier) SELECT o.id, o.name, {number}"
            " FROM organisations o WHERE o.id = new.organisation_id;"
            " DELETE FROM search_organisations_folded WHERE rowid = new.organisation_id;"
            f" INSERT INTO search_organisations_folded (rowid, name) SELECT o.id, fold_words(o.name) || ' ' || {number}"
            " FROM organisations o WHERE o.id = new.organisation_id; END")


# 0022's rule for what the search indexes hold of an identifier, and a Swedish VAT number built from a sole
# trader's number (SE + the personnummer's ten digits + 01; domain/identifiers.holds_personnummer): its date
# part only, with and without "SE", so searching a VAT number digit by digit cannot spell the personnummer out.
_SEARCHABLE_ORG_ID_0027 = ("CASE WHEN {p}identifier IS NULL THEN '' WHEN {p}identifier_type = 'se_orgnr'"
                           " AND length({p}identifier) = 10 AND substr({p}identifier, 3, 1) IN ('0', '1')"
                           " THEN substr({p}identifier, 1, 6) WHEN {p}identifier_type = 'vat'"
                           " AND length({p}identifier) = 14 AND upper(substr({p}identifier, 1, 2)) = 'SE'"
                           " AND substr({p}identifier, 5, 1) IN ('0', '1')"
                           " THEN 'SE' || substr({p}identifier, 3, 6) || ' ' || substr({p}identifier, 3, 6)"
                           " ELSE {p}identifier || ' ' || replace(replace({p}identifier, '-', ''), ' ', '') END")


@migrations(name="0027_sole_trader_erasure")
def m0027_sole_trader_erasure(db: sqlite_utils.Database) -> None:
    """A sole trader with no person record is erased by retention too; a merged-away organisation is marked.

    ``erasures`` is rebuilt so an erasure names a person or an organisation (a sole trader whose owner is not
    a stored person): the immutability triggers of outcomes, evidence, decisions and assessments ask only
    whether an erasure is open, so they serve both. ``organisations.merged_into``: an organisation merged
    into another by the merge queue (0026) stays, with its audit history and whatever could not move, but is
    no longer listed or searchable. The search indexes hold a sole trader's VAT number like its organisation
    number (the date part only) and leave out merged-away organisations. An ESPD (its operator's name and
    identifiers, the file) and a truth declaration (who signed, the file) name the person or the firm: while an
    erasure is open they may be redacted; what was received (SHA-256), when, by whom and for what stay.
    """
    _run(db, """
CREATE TABLE erasures_0027 (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES persons(id),
    organisation_id INTEGER REFERENCES organisations(id),
    rule TEXT NOT NULL,
    basis TEXT NOT NULL,
    reference_date TEXT NOT NULL,
    erased_at TEXT NOT NULL,
    erased_by TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    CHECK (person_id IS NOT NULL OR organisation_id IS NOT NULL)
);
INSERT INTO erasures_0027 (id, person_id, rule, basis, reference_date, erased_at, erased_by, counts, open)
  SELECT id, person_id, rule, basis, reference_date, erased_at, erased_by, counts, open FROM erasures;
DROP TABLE erasures;
PRAGMA legacy_alter_table = ON;
ALTER TABLE erasures_0027 RENAME TO erasures;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX erasures_person ON erasures(person_id, open);
CREATE INDEX erasures_organisation ON erasures(organisation_id, open);
CREATE TRIGGER erasures_close_only BEFORE UPDATE ON erasures
WHEN OLD.open = 0 OR NEW.open != 0 OR NEW.id != OLD.id OR NEW.person_id IS NOT OLD.person_id
  OR NEW.organisation_id IS NOT OLD.organisation_id OR NEW.rule != OLD.rule
  OR NEW.basis != OLD.basis OR NEW.reference_date != OLD.reference_date OR NEW.erased_at != OLD.erased_at
  OR NEW.erased_by != OLD.erased_by
BEGIN SELECT RAISE(ABORT, 'an erasure can only be closed'); END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures are permanent'); END;
ALTER TABLE organisations ADD COLUMN merged_into INTEGER REFERENCES organisations(id);
DROP TRIGGER espd_responses_immutable;
CREATE TRIGGER espd_responses_immutable BEFORE UPDATE ON espd_responses
WHEN NOT (EXISTS (SELECT 1 FROM erasures WHERE open = 1)
  AND NEW.id = OLD.id AND NEW.procurement_id = OLD.procurement_id AND NEW.organisation_id = OLD.organisation_id
  AND NEW.version = OLD.version AND NEW.profile IS OLD.profile AND NEW.document_id IS OLD.document_id
  AND NEW.contract_folder_id IS OLD.contract_folder_id AND NEW.issued IS OLD.issued
  AND NEW.operator_country IS OLD.operator_country AND NEW.identifier_compared = OLD.identifier_compared
  AND NEW.media_type = OLD.media_type AND NEW.sha256 = OLD.sha256 AND NEW.uploaded_by = OLD.uploaded_by
  AND NEW.uploaded_at = OLD.uploaded_at)
BEGIN SELECT RAISE(ABORT, 'an imported ESPD is evidence and never changes; import a new one'); END;
DROP TRIGGER truth_declarations_immutable;
CREATE TRIGGER truth_declarations_immutable BEFORE UPDATE ON truth_declarations
WHEN NOT (EXISTS (SELECT 1 FROM erasures WHERE open = 1)
  AND NEW.id = OLD.id AND NEW.procurement_id = OLD.procurement_id AND NEW.organisation_id = OLD.organisation_id
  AND NEW.signed_on = OLD.signed_on AND NEW.media_type = OLD.media_type AND NEW.sha256 = OLD.sha256
  AND NEW.recorded_by = OLD.recorded_by AND NEW.recorded_at = OLD.recorded_at)
BEGIN SELECT RAISE(ABORT, 'a recorded truth declaration never changes; record a new one'); END
""")
    from .db import register_functions

    register_functions(db.conn)  # the folded index's triggers and backfill call fold_words
    for name in ("organisations_search_insert", "organisations_search_update", "organisations_folded_insert",
                 "organisations_folded_update", "organisation_merges_search_insert", "organisation_merges_search_forget"):
        db.execute(f"DROP TRIGGER {name}")
    own = _SEARCHABLE_ORG_ID_0027.format(p="new.")
    folded = f"fold_words(new.name) || ' ' || {own}"
    for statement in (
        "CREATE TRIGGER organisations_search_insert AFTER INSERT ON organisations BEGIN"
        f" INSERT INTO search_organisations (rowid, name, identifier) SELECT new.id, new.name, {own}"
        " WHERE new.merged_into IS NULL; END",
        "CREATE TRIGGER organisations_search_update AFTER UPDATE OF name, identifier, identifier_type, merged_into"
        " ON organisations BEGIN DELETE FROM search_organisations WHERE rowid = old.id;"
        f" INSERT INTO search_organisations (rowid, name, identifier) SELECT new.id, new.name, {own}"
        " WHERE new.merged_into IS NULL; END",
        "CREATE TRIGGER organisations_folded_insert AFTER INSERT ON organisations BEGIN"
        f" INSERT INTO search_organisations_folded (rowid, name) SELECT new.id, {folded}"
        " WHERE new.merged_into IS NULL; END",
        "CREATE TRIGGER organisations_folded_update AFTER UPDATE OF name, identifier, identifier_type, merged_into"
        " ON organisations BEGIN DELETE FROM search_organisations_folded WHERE rowid = old.id;"
        f" INSERT INTO search_organisations_folded (rowid, name) SELECT new.id, {folded}"
        " WHERE new.merged_into IS NULL; END",
        "DELETE FROM search_organisations", "DELETE FROM search_organisations_folded",
        "INSERT INTO search_organisations (rowid, name, identifier) SELECT id, name, "
        f"{_SEARCHABLE_ORG_ID_0027.format(p='')} FROM organisations WHERE merged_into IS NULL",
        "INSERT INTO search_organisations_folded (rowid, name) SELECT id, fold_words(name) || ' ' || "
        f"{_SEARCHABLE_ORG_ID_0027.format(p='')} FROM organisations WHERE merged_into IS NULL",
    ):
        db.execute(statement)
    typed = _SEARCHABLE_ORG_ID_0027.format(p="new.")
    stored = _SEARCHABLE_ORG_ID_0027.format(p="o.")
    for when, what, number in (("AFTER INSERT ON organisation_merges WHEN new.identifier IS NOT NULL", "insert", typed),
                               ("AFTER UPDATE OF identifier ON organisation_merges WHEN new.identifier IS NULL",
                                "forget", stored)):
        db.execute(
            f"CREATE TRIGGER organisation_merges_search_{what} {when} BEGIN"
            " DELETE FROM search_organisations WHERE rowid = new.organisation_id;"
            f" INSERT INTO search_organisations (rowid, name, identifier) SELECT o.id, o.name, {number}"
            " FROM organisations o WHERE o.id = new.organisation_id AND o.merged_into IS NULL;"
            " DELETE FROM search_organisations_folded WHERE rowid = new.organisation_id;"
            f" INSERT INTO search_organisations_folded (rowid, name) SELECT o.id, fold_words(o.name) || ' ' || {number}"
            " FROM organisations o WHERE o.id = new.organisation_id AND o.merged_into IS NULL; END")


@migrations(name="0028_erased_files")
def m0028_erased_files(db: sqlite_utils.Database) -> None:
    """Stored files erased at retention: one row per file whose body an erasure replaced by a tombstone.

    Files live as blobs in four tables (evidence, checkpoint documents, ESPD responses, truth
    declarations). A file that names an erased person cannot be redacted reliably (a PDF, a scan, a
    signed XML): its body is replaced by a short note and this row keeps what proves what was
    received (SHA-256 and size of the original, its media type, who uploaded it and when, which
    erasure removed it). Rows are written only while their erasure is open and never change. The
    ESPD and truth-declaration tables were immutable without exception: while an erasure is open
    their body and descriptive columns may now change, never the provenance (procurement,
    organisation, SHA-256, who recorded it and when). Evidence that erasures before this release replaced by
    their JSON note (``{"erased": true, "original_sha256", "original_size", ...}``) gets its row here, so it
    is shown as erased too; other files of persons erased before cannot be found any more (their name and
    number are gone). Persons erased before this release were named "Anonymised person <id>", English on
    Swedish pages: they get the Swedish placeholder ("Gallrad person <id>", ``retention.ANONYMISED_NAME``);
    texts already redacted with the old placeholder keep it (they are immutable outside an erasure).
    """
    _run(db, """
CREATE TABLE erased_files (
    id INTEGER PRIMARY KEY,
    erasure_id INTEGER NOT NULL REFERENCES erasures(id),
    kind TEXT NOT NULL CHECK (kind IN ('evidence', 'checkpoint_document', 'espd_response', 'truth_declaration')),
    file_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT,
    uploaded_by TEXT,
    uploaded_at TEXT,
    why TEXT NOT NULL CHECK (why IN ('about_person', 'names_person')),
    erased_on TEXT NOT NULL,
    UNIQUE (kind, file_id)
);
CREATE INDEX erased_files_erasure ON erased_files(erasure_id);
INSERT INTO erased_files (erasure_id, kind, file_id, sha256, size, media_type, uploaded_by, uploaded_at, why, erased_on)
SELECT x.id, 'evidence', e.id, e.sha256, json_extract(CAST(e.body AS TEXT), '$.original_size'),
       json_extract(CAST(e.body AS TEXT), '$.original_media_type'), o.run_by, e.fetched_at, 'about_person',
       substr(x.erased_at, 1, 10)
FROM evidence e JOIN outcomes o ON o.id = e.outcome_id
JOIN erasures x ON x.person_id = o.subject_id AND o.subject_kind = 'person'
WHERE e.media_type = 'application/json' AND length(e.body) < 1000 AND json_valid(CAST(e.body AS TEXT))
  AND json_extract(CAST(e.body AS TEXT), '$.erased') = 1
  AND json_extract(CAST(e.body AS TEXT), '$.erasure_id') = x.id
  AND json_extract(CAST(e.body AS TEXT), '$.original_sha256') = e.sha256
  AND json_extract(CAST(e.body AS TEXT), '$.original_size') IS NOT NULL;
CREATE TRIGGER erased_files_in_open_erasure BEFORE INSERT ON erased_files
WHEN NOT EXISTS (SELECT 1 FROM erasures WHERE id = NEW.erasure_id AND open = 1)
BEGIN SELECT RAISE(ABORT, 'a file is erased only by an open erasure'); END;
CREATE TRIGGER erased_files_immutable BEFORE UPDATE ON erased_files
BEGIN SELECT RAISE(ABORT, 'erased files are permanent'); END;
CREATE TRIGGER erased_files_no_delete BEFORE DELETE ON erased_files
BEGIN SELECT RAISE(ABORT, 'erased files are permanent'); END;
DROP TRIGGER espd_responses_immutable;
CREATE TRIGGER espd_responses_immutable BEFORE UPDATE ON espd_responses
WHEN NOT (EXISTS (SELECT 1 FROM erasures WHERE open = 1)
  AND NEW.id = OLD.id AND NEW.procurement_id = OLD.procurement_id AND NEW.organisation_id = OLD.organisation_id
  AND NEW.sha256 = OLD.sha256 AND NEW.uploaded_by = OLD.uploaded_by AND NEW.uploaded_at = OLD.uploaded_at)
BEGIN SELECT RAISE(ABORT, 'an imported ESPD is evidence and never changes; import a new one'); END;
DROP TRIGGER truth_declarations_immutable;
CREATE TRIGGER truth_declarations_immutable BEFORE UPDATE ON truth_declarations
WHEN NOT (EXISTS (SELECT 1 FROM erasures WHERE open = 1)
  AND NEW.id = OLD.id AND NEW.procurement_id = OLD.procurement_id AND NEW.organisation_id = OLD.organisation_id
  AND NEW.sha256 = OLD.sha256 AND NEW.recorded_by = OLD.recorded_by AND NEW.recorded_at = OLD.recorded_at)
BEGIN SELECT RAISE(ABORT, 'a recorded truth declaration never changes; record a new one'); END
""")
    from .db import register_functions

    register_functions(db.conn)  # the persons' folded search index's update trigger calls fold_words
    db.execute("UPDATE persons SET name = 'Gallrad person ' || id"
               " WHERE erased_at IS NOT NULL AND name = 'Anonymised person ' || id")


@migrations(name="0029_organisation_substring_index")
def m0029_organisation_substring_index(db: sqlite_utils.Database) -> None:
    """A trigram index for the organisation list's text filter (``store/organisations._filters``).

    The filter matches any part of a name or an identifier (``LIKE '%text%'``), which read every organisation
    (3 ms of each search with 10,000). The trigram index finds the candidates by their three-letter pieces; the
    filter's own condition still decides, so what matches is unchanged. It holds what the other search indexes
    hold (0027): of a sole trader's number and its VAT number only the date part, no merged-away organisation,
    and, like the filter, the typed number of an organisation waiting in the merge queue (the oldest open
    entry's, ``store/merges.PENDING_IDENTIFIER``) so that it never misses a row the filter finds. An erasure's
    update rewrites the row and the purge's ``optimize`` (``store/maintenance.drop_search_leftovers``) merges
    the old one away as in every FTS5 index.
    """
    pending = ("(SELECT m.{c} FROM organisation_merges m WHERE m.organisation_id = {o}.id"
               " AND m.resolved_at IS NULL ORDER BY m.id LIMIT 1)")

    def searchable(o: str) -> str:
        return (_SEARCHABLE_ORG_ID_0027.replace("{p}identifier_type", "@TYPE@").replace("{p}identifier", "@NUMBER@")
                .replace("@TYPE@", f"coalesce({o}.identifier_type, {pending.format(c='identifier_type', o=o)})")
                .replace("@NUMBER@", f"coalesce({o}.identifier, {pending.format(c='identifier', o=o)})"))

    reindex = ("DELETE FROM search_organisations_trigram WHERE rowid = {id};"
               " INSERT INTO search_organisations_trigram (rowid, name, identifier)"
               f" SELECT o.id, o.name, {searchable('o')} FROM organisations o"
               " WHERE o.id = {id} AND o.merged_into IS NULL;")
    for statement in (
        "CREATE VIRTUAL TABLE search_organisations_trigram USING fts5(name, identifier, tokenize = 'trigram')",
        f"CREATE TRIGGER organisations_trigram_insert AFTER INSERT ON organisations BEGIN {reindex.format(id='new.id')} END",
        "CREATE TRIGGER organisations_trigram_update AFTER UPDATE OF name, identifier, identifier_type, merged_into"
        f" ON organisations BEGIN {reindex.format(id='new.id')} END",
        "CREATE TRIGGER organisations_trigram_delete AFTER DELETE ON organisations BEGIN"
        " DELETE FROM search_organisations_trigram WHERE rowid = old.id; END",
        "CREATE TRIGGER organisation_merges_trigram_insert AFTER INSERT ON organisation_merges"
        f" BEGIN {reindex.format(id='new.organisation_id')} END",
        "CREATE TRIGGER organisation_merges_trigram_update AFTER UPDATE OF identifier, identifier_type, resolved_at"
        f" ON organisation_merges BEGIN {reindex.format(id='new.organisation_id')} END",
        f"INSERT INTO search_organisations_trigram (rowid, name, identifier) SELECT o.id, o.name, {searchable('o')}"
        " FROM organisations o WHERE o.merged_into IS NULL",
    ):
        db.execute(statement)


@migrations(name="0030_connection_test_faults")
def m0030_connection_test_faults(db: sqlite_utils.Database) -> None:
    """A connection test keeps the fault code and parameters of its failure (the ``source.fault`` an outcome keeps),
    so the Registers page words it as outcomes are worded; before, only the check's note was stored, which is read
    back to a code where it is a known one. Tests stored before this release keep NULL here."""
    _run(db, """
ALTER TABLE connection_tests ADD COLUMN fault TEXT;
ALTER TABLE connection_tests ADD COLUMN fault_params TEXT CHECK (fault_params IS NULL OR json_valid(fault_params))
""")


# What the search indexes hold of an organisation's identifier (0027's rule) with, while the organisation has none
# of its own, the typed number waiting in the merge queue (the oldest open entry's, as on its pages:
# ``store/merges.PENDING_IDENTIFIER``; the trigram index of 0029 does the same).
_PENDING_ORG_ID_0031 = ("(SELECT m.{c} FROM organisation_merges m WHERE m.organisation_id = {o}.id"
                        " AND m.resolved_at IS NULL ORDER BY m.id LIMIT 1)")


def _searchable_org_id_0031(o: str) -> str:
    """0027's searchable identifier of the organisation ``o`` (a table alias or ``new``), the queued number filled in."""
    queued_type, queued = (_PENDING_ORG_ID_0031.format(c=c, o=o) for c in ("identifier_type", "identifier"))
    return (_SEARCHABLE_ORG_ID_0027.replace("{p}identifier_type", "@TYPE@").replace("{p}identifier", "@NUMBER@")
            .replace("@TYPE@", f"coalesce({o}.identifier_type, {queued_type})")
            .replace("@NUMBER@", f"coalesce({o}.identifier, {queued})"))


@migrations(name="0031_queued_organisation_search")
def m0031_queued_organisation_search(db: sqlite_utils.Database) -> None:
    """The name and folded-name search indexes keep a queued sole trader's typed number after a change of its row.

    An organisation whose typed number waits in the merge queue (0026) is stored without one; its date part is
    indexed by the queue's triggers. 0027's update triggers rebuilt the row from ``organisations.identifier``
    alone, so a rename (and 0027's own backfill) dropped the date part: a search by it then found a new
    organisation but not a queued one, telling a role that may not see personnummer that the number is stored.
    They now take the queued number when the organisation has none, as the trigram index (0029) does; both
    indexes are rebuilt (a database upgraded through 0027 with a queued organisation had lost it).
    """
    from .db import register_functions

    register_functions(db.conn)  # the folded index's trigger and backfill call fold_words
    for name in ("organisations_search_update", "organisations_folded_update"):
        db.execute(f"DROP TRIGGER {name}")
    own = _searchable_org_id_0031("new")
    for statement in (
        "CREATE TRIGGER organisations_search_update AFTER UPDATE OF name, identifier, identifier_type, merged_into"
        " ON organisations BEGIN DELETE FROM search_organisations WHERE rowid = old.id;"
        f" INSERT INTO search_organisations (rowid, name, identifier) SELECT new.id, new.name, {own}"
        " WHERE new.merged_into IS NULL; END",
        "CREATE TRIGGER organisations_folded_update AFTER UPDATE OF name, identifier, identifier_type, merged_into"
        " ON organisations BEGIN DELETE FROM search_organisations_folded WHERE rowid = old.id;"
        f" INSERT INTO search_organisations_folded (rowid, name) SELECT new.id, fold_words(new.name) || ' ' || {own}"
        " WHERE new.merged_into IS NULL; END",
        "DELETE FROM search_organisations", "DELETE FROM search_organisations_folded",
        "INSERT INTO search_organisations (rowid, name, identifier) SELECT o.id, o.name, "
        f"{_searchable_org_id_0031('o')} FROM organisations o WHERE o.merged_into IS NULL",
        "INSERT INTO search_organisations_folded (rowid, name) SELECT o.id, fold_words(o.name) || ' ' || "
        f"{_searchable_org_id_0031('o')} FROM organisations o WHERE o.merged_into IS NULL",
    ):
        db.execute(statement)
