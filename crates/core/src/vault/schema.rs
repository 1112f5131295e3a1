//! Versioned schema migrations of the journal database.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::{Error, Result};

/// The migrations, in order; the journal's format version is their count.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(v7()),
    ])
}

/// The highest format version this build reads and writes.
pub fn supported_version() -> u32 {
    7
}

/// Format 7: balances kept in the database, with the triggers that keep them current and
/// what the journal already holds written into them once (see `super::aggregates`).
fn v7() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(super::aggregates::migration_sql)
}

/// Brings the database to the latest format in one transaction, refusing newer journals.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let supported = supported_version();
    if found > supported {
        return Err(Error::NewerFormat { found, supported });
    }
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => Error::from(err),
        other => Error::InvalidInput(format!("could not upgrade the journal: {other}")),
    })
}

/// Format 1: the whole journal.
///
/// Times are kept twice: as RFC 3339 text with the offset they were written in (for display)
/// and as UTC milliseconds (for ordering and ranges). The search index rowid is the source
/// row's `rid` (an integer key that, unlike a plain rowid, survives VACUUM) times four plus a
/// source tag, so a row's index entry is found without a scan.
const V1: &str = r#"
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    emails TEXT NOT NULL DEFAULT '[]',
    role TEXT NOT NULL DEFAULT '',
    grp TEXT NOT NULL,
    cadence_days INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    deleted_at INTEGER
) STRICT;
CREATE UNIQUE INDEX people_name ON people(name COLLATE NOCASE) WHERE deleted_at IS NULL;

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX teams_name ON teams(name COLLATE NOCASE);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_members_person ON team_members(person_id);

CREATE TABLE touchpoints (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    occurred_ms INTEGER NOT NULL,
    duration_minutes INTEGER,
    title TEXT NOT NULL,
    team TEXT,
    affected_groups TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    private INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'manual',
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at INTEGER
) STRICT;
CREATE INDEX touchpoints_time ON touchpoints(occurred_ms DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX touchpoints_kind ON touchpoints(kind, occurred_ms) WHERE deleted_at IS NULL;
CREATE INDEX touchpoints_state ON touchpoints(state) WHERE state = 'draft';
CREATE INDEX touchpoints_source ON touchpoints(source) WHERE source <> 'manual';

CREATE TABLE touchpoint_tags (
    touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, touchpoint_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX touchpoint_tags_touchpoint ON touchpoint_tags(touchpoint_id);

CREATE TABLE participants (
    touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    occurred_ms INTEGER NOT NULL,
    PRIMARY KEY (touchpoint_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX participants_person ON participants(person_id, occurred_ms);

CREATE TABLE reflections (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    answers TEXT NOT NULL DEFAULT '[]',
    their_side TEXT NOT NULL DEFAULT '',
    willingness INTEGER NOT NULL CHECK (willingness BETWEEN -2 AND 2),
    ability INTEGER NOT NULL CHECK (ability BETWEEN -2 AND 2),
    adversarial INTEGER NOT NULL DEFAULT 0,
    would_have_helped TEXT NOT NULL DEFAULT '',
    next_time TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (touchpoint_id, person_id)
) STRICT;
CREATE INDEX reflections_person ON reflections(person_id);

CREATE TABLE commitments (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    touchpoint_id TEXT REFERENCES touchpoints(id) ON DELETE SET NULL,
    what TEXT NOT NULL,
    due TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_ms INTEGER
) STRICT;
CREATE INDEX commitments_person ON commitments(person_id);
CREATE INDEX commitments_open ON commitments(due) WHERE status = 'open';

CREATE TABLE topics (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    touchpoint_id TEXT REFERENCES touchpoints(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT
) STRICT;
CREATE INDEX topics_person ON topics(person_id);

CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX annotations_target ON annotations(target_id);

CREATE TABLE prompt_sets (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    body TEXT NOT NULL
) STRICT;

CREATE VIRTUAL TABLE search USING fts5(
    touchpoint_id UNINDEXED,
    person_id UNINDEXED,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER touchpoints_search_insert AFTER INSERT ON touchpoints BEGIN
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4, new.id, NULL, new.title || char(10) || new.notes);
END;
CREATE TRIGGER touchpoints_search_update AFTER UPDATE OF title, notes ON touchpoints BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4;
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4, new.id, NULL, new.title || char(10) || new.notes);
END;
CREATE TRIGGER touchpoints_search_delete AFTER DELETE ON touchpoints BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4;
END;

CREATE TRIGGER reflections_search_insert AFTER INSERT ON reflections BEGIN
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4 + 1, new.touchpoint_id, new.person_id,
            new.their_side || char(10) || new.would_have_helped || char(10) || new.next_time
            || char(10) || (SELECT coalesce(group_concat(value ->> 'answer', char(10)), '')
                            FROM json_each(new.answers)));
END;
CREATE TRIGGER reflections_search_update AFTER UPDATE ON reflections BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4 + 1;
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4 + 1, new.touchpoint_id, new.person_id,
            new.their_side || char(10) || new.would_have_helped || char(10) || new.next_time
            || char(10) || (SELECT coalesce(group_concat(value ->> 'answer', char(10)), '')
                            FROM json_each(new.answers)));
END;
CREATE TRIGGER reflections_search_delete AFTER DELETE ON reflections BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4 + 1;
END;

CREATE TRIGGER commitments_search_insert AFTER INSERT ON commitments BEGIN
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4 + 2, new.touchpoint_id, new.person_id, new.what);
END;
CREATE TRIGGER commitments_search_update AFTER UPDATE OF what, touchpoint_id ON commitments BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4 + 2;
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4 + 2, new.touchpoint_id, new.person_id, new.what);
END;
CREATE TRIGGER commitments_search_delete AFTER DELETE ON commitments BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4 + 2;
END;

CREATE TRIGGER topics_search_insert AFTER INSERT ON topics BEGIN
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4 + 3, new.touchpoint_id, new.person_id, new.text);
END;
CREATE TRIGGER topics_search_update AFTER UPDATE OF text, touchpoint_id ON topics BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4 + 3;
    INSERT INTO search(rowid, touchpoint_id, person_id, body)
    VALUES (new.rid * 4 + 3, new.touchpoint_id, new.person_id, new.text);
END;
CREATE TRIGGER topics_search_delete AFTER DELETE ON topics BEGIN
    DELETE FROM search WHERE rowid = old.rid * 4 + 3;
END;
"#;

/// Format 2: when each coach annotation was imported from a review file, so Today can show
/// "new comments from your coach". Annotations written before have no import time.
const V2: &str = r#"
ALTER TABLE annotations ADD COLUMN imported_at INTEGER;
CREATE INDEX annotations_imported ON annotations(imported_at) WHERE imported_at IS NOT NULL;
"#;

/// Format 3: indexes found by profiling the 100,000-entry benchmark journal (docs/PERFORMANCE.md).
///
/// - A person's balance reads their reflections' ratings from one covering index instead of
///   every reflection (it replaces `reflections_person`, its prefix).
/// - The timeline's newest-first order, `occurred_ms DESC, id DESC`, is this index read
///   backwards, so a page stops after its rows instead of sorting ties.
/// - Opening purges the trash: the trashed rows are found without a scan.
/// - Erasing a touchpoint clears `touchpoint_id` in commitments and topics (foreign keys):
///   without an index each erase scanned both tables.
const V3: &str = r#"
CREATE INDEX reflections_person_ratings
    ON reflections(person_id, touchpoint_id, willingness, ability, adversarial);
DROP INDEX reflections_person;
CREATE INDEX touchpoints_newest ON touchpoints(occurred_ms, id) WHERE deleted_at IS NULL;
DROP INDEX touchpoints_time;
CREATE INDEX touchpoints_trashed ON touchpoints(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX people_trashed ON people(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX commitments_touchpoint ON commitments(touchpoint_id);
CREATE INDEX topics_touchpoint ON topics(touchpoint_id);
"#;

/// Format 4: authentic reviews. Every bundle made for a coach gets a random export id kept
/// here (with the keys it was encrypted to); a review is imported only when it names one of
/// them. Each imported comment keeps the reviewer key it came from and the export it answers.
/// Comments from before have neither.
const V4: &str = r#"
CREATE TABLE exports (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    recipients TEXT NOT NULL DEFAULT '[]'
) STRICT;
ALTER TABLE annotations ADD COLUMN reviewer_key TEXT;
ALTER TABLE annotations ADD COLUMN export_id TEXT;
"#;

/// Format 5: calendar files the leader linked, synced at unlock and when they change. The
/// path lives only here, in the encrypted journal; `summary` is the last import's
/// `ForeignImportSummary` as JSON (counts, skipped events, notes).
const V5: &str = r#"
CREATE TABLE linked_calendars (
    path TEXT PRIMARY KEY,
    linked_at TEXT NOT NULL,
    synced_at TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    message TEXT NOT NULL DEFAULT '',
    summary TEXT
) STRICT;
"#;

/// Format 6: change initiatives (an AI roll-out, say) and what each keeps.
///
/// Everything about a person or an entry hangs off it by a cascading foreign key, so the one
/// erase path (`trash::erase_in`) takes it along: concerns a person raised or that were raised
/// in an erased entry, the people who shaped a guideline or gained from a win, the entries
/// linked to an initiative or to a step of its plan. A guideline agreed in an erased entry stays
/// (its words are the leader's) and loses the link. Dates the leader picks are `YYYY-MM-DD`.
const V6: &str = r#"
CREATE TABLE initiatives (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    starts_on TEXT,
    review_on TEXT,
    tag TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX initiatives_name ON initiatives(name COLLATE NOCASE);

CREATE TABLE initiative_teams (
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, team_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_teams_team ON initiative_teams(team_id);

CREATE TABLE initiative_people (
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_people_person ON initiative_people(person_id);

CREATE TABLE initiative_touchpoints (
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, touchpoint_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_touchpoints_touchpoint ON initiative_touchpoints(touchpoint_id);

CREATE TABLE initiative_statements (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    side TEXT NOT NULL CHECK (side IN ('does', 'does_not')),
    withdrawn_on TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX initiative_statements_initiative ON initiative_statements(initiative_id);

CREATE TABLE initiative_statement_versions (
    statement_id TEXT NOT NULL REFERENCES initiative_statements(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    said_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (statement_id, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE initiative_guidelines (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    touchpoint_id TEXT REFERENCES touchpoints(id) ON DELETE SET NULL,
    agreed_on TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX initiative_guidelines_initiative ON initiative_guidelines(initiative_id);
CREATE INDEX initiative_guidelines_touchpoint ON initiative_guidelines(touchpoint_id);

CREATE TABLE initiative_guideline_people (
    guideline_id TEXT NOT NULL REFERENCES initiative_guidelines(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (guideline_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_guideline_people_person ON initiative_guideline_people(person_id);

CREATE TABLE initiative_outcomes (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('win', 'setback')),
    happened_on TEXT NOT NULL,
    what TEXT NOT NULL,
    lesson TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX initiative_outcomes_initiative ON initiative_outcomes(initiative_id, happened_on);

CREATE TABLE initiative_outcome_people (
    outcome_id TEXT NOT NULL REFERENCES initiative_outcomes(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (outcome_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_outcome_people_person ON initiative_outcome_people(person_id);

CREATE TABLE initiative_outcome_touchpoints (
    outcome_id TEXT NOT NULL REFERENCES initiative_outcomes(id) ON DELETE CASCADE,
    touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    PRIMARY KEY (outcome_id, touchpoint_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_outcome_touchpoints_touchpoint
    ON initiative_outcome_touchpoints(touchpoint_id);

CREATE TABLE initiative_concerns (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    touchpoint_id TEXT REFERENCES touchpoints(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    answer TEXT,
    answered_at TEXT
) STRICT;
CREATE INDEX initiative_concerns_initiative ON initiative_concerns(initiative_id);
CREATE INDEX initiative_concerns_person ON initiative_concerns(person_id);
CREATE INDEX initiative_concerns_touchpoint ON initiative_concerns(touchpoint_id);

CREATE TABLE initiative_plan (
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    cadence TEXT,
    hours_per_month INTEGER,
    since TEXT NOT NULL,
    PRIMARY KEY (initiative_id, step)
) STRICT, WITHOUT ROWID;

CREATE TABLE initiative_step_touchpoints (
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, step, touchpoint_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_step_touchpoints_touchpoint ON initiative_step_touchpoints(touchpoint_id);

CREATE TABLE initiative_measures (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    taken_on TEXT NOT NULL,
    satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN -2 AND 2),
    collaboration INTEGER NOT NULL CHECK (collaboration BETWEEN -2 AND 2),
    quality INTEGER NOT NULL CHECK (quality BETWEEN -2 AND 2),
    confidence INTEGER NOT NULL CHECK (confidence BETWEEN -2 AND 2),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX initiative_measures_initiative ON initiative_measures(initiative_id, taken_on);
"#;
