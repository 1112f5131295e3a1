//! The performance budgets of DESIGN.md section 9, each printed beside its baseline.
//!
//! Run with `cargo bench -p touchpoint-core --bench journal` (`make bench`). It is a benchmark,
//! not a test: nothing here runs in `make test`.
//!
//! What it does:
//!
//! 1. Builds (once, cached under `target/bench-data/`, keyed by its parameters) a synthetic
//!    journal with the demo generator: 200 people and 100,000 touchpoints with reflections
//!    (`BENCH_TOUCHPOINTS=10000` for a quick run), plus a few entries holding rare words for the
//!    search benchmark.
//! 2. Copies it into a scratch folder for this run (so inserts never touch the cache) and makes
//!    a plain, unencrypted SQLite copy of the same data with `sqlcipher_export`. The data is
//!    synthetic; the plain copy is deleted with the scratch folder at the end of the run.
//! 3. Times every figure four ways, interleaved round by round so a busy machine slows all of
//!    them alike: the touchpoint API on the encrypted journal; the same SQL text the core runs,
//!    on a raw connection to an encrypted copy with the core's key and pragmas; and, in a child
//!    process that never turns on SQLCipher's process-wide memory security, the same SQL on an
//!    encrypted copy without it and on the plain copy (the baseline). The SQL below is copied
//!    from `crates/core/src/vault/*.rs` on purpose: the point is to compare the journal with
//!    the very queries it runs, so it must follow the core when its queries change.
//!
//! Environment: `BENCH_TOUCHPOINTS` (default 100000), `BENCH_SECONDS` (time per figure,
//! default 2), `BENCH_FRESH=1` (rebuild the cached journal), `BENCH_PLANS=1` (print the query
//! plans of the copied SQL), `BENCH_PROFILE=1` (time each copied statement once). Arguments
//! after `--` pick figures by name: `cargo bench -p touchpoint-core --bench journal -- search`.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OpenFlags, ToSql};
use std::ops::ControlFlow;
use touchpoint_core::exchange::{self, Encryption, ExportFormat, ExportOptions};
use touchpoint_core::keyfile::KeyFile;
use touchpoint_core::model::{NewReflection, NewTouchpoint, PromptAnswer, TouchpointKind};
use touchpoint_core::secret::{DataKey, Passphrase};
use touchpoint_core::vault::{plain_query, Scope, SearchMode, TimelineFilter};
use touchpoint_core::{demo, Journal};
use uuid::Uuid;

/// The passphrase of the synthetic journal.
const PASSPHRASE: &str = "bench passphrase: correct horse battery staple";
/// Generator seed.
const SEED: u64 = 20_240_917;
/// People in the synthetic journal.
const PEOPLE: u32 = 200;
/// Bump when the recipe of the cached journal changes, so an old cache is not reused.
const DATA_RECIPE: u32 = 1;
/// Words planted in a handful of entries, for rare-word searches (the generator's vocabulary
/// is small, so every word it writes is common).
const RARE_WORDS: [&str; 4] = ["zeppelin", "quokka", "marmalade", "kintsugi"];
/// The search set: the planted rare words, then words of the generator's vocabulary from a few
/// hundred hits to every entry (`plain_query` makes the last word a prefix, as the search box).
const SEARCH_WORDS: [&str; 10] = [
    "zeppelin",
    "quokka",
    "marmalade",
    "kintsugi",
    "Okafor",
    "Chidi Okafor",
    "escalation",
    "budget",
    "manager",
    "talked",
];

/// The anchor the journal ends at; fixed so the cached journal stays valid.
fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0)
        .single()
        .expect("valid date")
}

/// "Now" for the Today screen, the overview and balances: the evening of the anchor day.
fn now() -> DateTime<Utc> {
    anchor() + chrono::Duration::hours(20)
}

// -------------------------------------------------------------------------------------------
// The SQL the core runs, copied verbatim from crates/core/src/vault/*.rs.

/// `Journal::timeline`: the columns of a page; `{from}`, `{where}` and `{order}` vary with the
/// filters given (the three variants below).
macro_rules! timeline_select {
    ($from:literal, $where:literal, $order:literal) => {
        concat!(
            "SELECT t.id, t.kind, t.occurred_at, t.title, t.tags, t.state, t.private, t.occurred_ms,
               (SELECT json_group_array(json_array(p.id, p.name)) FROM
                  (SELECT person_id, position FROM participants WHERE touchpoint_id = t.id ORDER BY position) x
                  JOIN people p ON p.id = x.person_id),
               (SELECT count(*) FROM reflections r WHERE r.touchpoint_id = t.id)
             FROM ",
            $from,
            "
             WHERE ",
            $where,
            "
             ORDER BY ",
            $order,
            "
             LIMIT :limit"
        )
    };
}

/// `Journal::timeline` with no filter: the newest page.
const TIMELINE_SQL: &str = timeline_select!(
    "touchpoints t",
    "t.deleted_at IS NULL",
    "t.occurred_ms DESC, t.id DESC"
);

/// `Journal::timeline` filtered by person (the person page).
const TIMELINE_PERSON_SQL: &str = timeline_select!(
    "participants pp JOIN touchpoints t ON t.id = pp.touchpoint_id",
    "t.deleted_at IS NULL AND pp.person_id = :person",
    "pp.occurred_ms DESC, pp.touchpoint_id DESC"
);

/// `Journal::timeline` of drafts (Today).
const TIMELINE_DRAFTS_SQL: &str = timeline_select!(
    "touchpoints t",
    "t.deleted_at IS NULL AND t.state = :state",
    "t.occurred_ms DESC, t.id DESC"
);

/// `Journal::search`, first: are there more matches than it ranks?
const SEARCH_MANY_SQL: &str =
    "SELECT 1 FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2";
/// `Journal::search`'s `RANKED_MATCHES`.
const RANKED_MATCHES: i64 = 250;

/// `Journal::search`, then: the page; `$order` is `rank`, or `s.rowid DESC` when there are
/// more matches than it ranks.
macro_rules! search_select {
    ($order:literal) => {
        concat!(
            "SELECT s.rowid % 4, s.touchpoint_id, t.title, t.kind, t.occurred_at,
                    p.id, p.name, snippet(search, 2, char(2), char(3), '…', 16),
                    coalesce(c.created_at, o.created_at)
             FROM search s
             LEFT JOIN touchpoints t ON t.id = s.touchpoint_id
             LEFT JOIN people p ON p.id = s.person_id
             LEFT JOIN commitments c ON s.rowid % 4 = 2 AND c.rid = s.rowid / 4
             LEFT JOIN topics o ON s.rowid % 4 = 3 AND o.rid = s.rowid / 4
             WHERE search MATCH ?1
               AND (s.touchpoint_id IS NULL OR t.deleted_at IS NULL)
               AND (s.person_id IS NULL OR p.deleted_at IS NULL)
               AND (s.touchpoint_id IS NOT NULL OR s.person_id IS NOT NULL)
             ORDER BY ",
            $order,
            "
             LIMIT ?2"
        )
    };
}
const SEARCH_RANKED_SQL: &str = search_select!("rank");
const SEARCH_NEWEST_SQL: &str = search_select!("s.rowid DESC");

/// `person_events` for one person, with labels (a balance and its explanation).
const REFLECTION_EVENTS_SQL: &str = "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability, r.adversarial, t.title
             FROM people p JOIN reflections r ON r.person_id = p.id
             JOIN touchpoints t ON t.id = r.touchpoint_id
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.id = ?1 AND r.person_id = ?1";

/// `person_events` for one person, resolved commitments.
const COMMITMENT_EVENTS_SQL: &str = "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM people p JOIN commitments c ON c.person_id = p.id
             WHERE c.status <> 'open' AND c.resolved_at IS NOT NULL AND p.deleted_at IS NULL AND p.id = ?1 AND c.person_id = ?1";

/// `person_events` for everyone (the overview's digest, labels included).
const ALL_REFLECTION_EVENTS_SQL: &str =
    "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability, r.adversarial, t.title
             FROM reflections r NOT INDEXED CROSS JOIN touchpoints t ON t.id = r.touchpoint_id
                 CROSS JOIN people p ON p.id = r.person_id
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL ";

/// `person_events` for everyone, resolved commitments.
const ALL_COMMITMENT_EVENTS_SQL: &str =
    "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM people p JOIN commitments c ON c.person_id = p.id
             WHERE c.status <> 'open' AND c.resolved_at IS NOT NULL AND p.deleted_at IS NULL ";

/// `person_events` for one person (a stale person's part of the digest).
const STALE_REFLECTION_EVENTS_SQL: &str = "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability, r.adversarial, t.title
             FROM people p JOIN reflections r ON r.person_id = p.id
             JOIN touchpoints t ON t.id = r.touchpoint_id
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.id = ?1 AND r.person_id = ?1";

/// `person_events` for one person, resolved commitments.
const STALE_COMMITMENT_EVENTS_SQL: &str = "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM people p JOIN commitments c ON c.person_id = p.id
             WHERE c.status <> 'open' AND c.resolved_at IS NOT NULL AND p.deleted_at IS NULL AND p.id = ?1 AND c.person_id = ?1";

/// `build_digest` for one person: their participation facts.
const STALE_FACTS_SQL: &str = "SELECT pp.person_id, pp.occurred_ms, t.occurred_at,
                    t.kind = 'one_on_one' AND t.state = 'logged'
             FROM participants pp JOIN touchpoints t ON t.id = pp.touchpoint_id
                 WHERE pp.person_id = ?1 AND t.deleted_at IS NULL";

/// `build_digest`: participation facts of everyone.
const DIGEST_FACTS_SQL: &str = "SELECT pp.person_id, pp.occurred_ms, t.occurred_at,
                    t.kind = 'one_on_one' AND t.state = 'logged'
             FROM touchpoints t NOT INDEXED CROSS JOIN participants pp ON pp.touchpoint_id = t.id
                 WHERE t.deleted_at IS NULL";

macro_rules! person_columns {
    () => {
        "p.id, p.name, p.emails, p.role, p.grp, p.cadence_days, p.notes, p.archived, p.created_at,
     (SELECT json_group_array(t.name) FROM team_members m JOIN teams t ON t.id = m.team_id
      WHERE m.person_id = p.id)"
    };
}

/// `Journal::person`.
const PERSON_SQL: &str = concat!(
    "SELECT ",
    person_columns!(),
    " FROM people p WHERE p.id = ?1 AND p.deleted_at IS NULL"
);

/// `Journal::people`.
const PEOPLE_SQL: &str = concat!(
    "SELECT ",
    person_columns!(),
    " FROM people p
             WHERE p.deleted_at IS NULL AND (?1 OR p.archived = 0)
             ORDER BY p.name COLLATE NOCASE"
);

/// `Journal::commitments(None, true)`: every open commitment (Today).
const COMMITMENTS_SQL: &str =
    "SELECT id, person_id, touchpoint_id, what, due, status, created_at, resolved_at FROM commitments c
             WHERE status = 'open' AND EXISTS (SELECT 1 FROM people p WHERE p.id = c.person_id AND p.deleted_at IS NULL)
             ORDER BY status <> 'open', due IS NULL, due, created_at";

/// `Journal::touchpoint` (read back by `reflect`).
const TOUCHPOINT_SQL: &str = "SELECT t.id, t.kind, t.occurred_at, t.duration_minutes, t.title,
    (SELECT json_group_array(person_id) FROM (SELECT person_id FROM participants
       WHERE touchpoint_id = t.id ORDER BY position)),
    t.team, t.affected_groups, t.notes, t.tags, t.private, t.source, t.state, t.created_at FROM touchpoints t WHERE t.id = ?1 AND t.deleted_at IS NULL";

/// `put_touchpoint`.
const PUT_TOUCHPOINT_SQL: &str =
    "INSERT INTO touchpoints(id, kind, occurred_at, occurred_ms, duration_minutes, title, team,
           affected_groups, notes, tags, private, source, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, occurred_at = excluded.occurred_at,
           occurred_ms = excluded.occurred_ms, duration_minutes = excluded.duration_minutes,
           title = excluded.title, team = excluded.team, affected_groups = excluded.affected_groups,
           notes = excluded.notes, tags = excluded.tags, private = excluded.private,
           source = excluded.source, state = excluded.state";
const PRUNE_REFLECTIONS_SQL: &str = "DELETE FROM reflections WHERE touchpoint_id = ?1
         AND person_id NOT IN (SELECT value FROM json_each(?2))";
const CLEAR_PARTICIPANTS_SQL: &str = "DELETE FROM participants WHERE touchpoint_id = ?1";
const PUT_PARTICIPANT_SQL: &str = "INSERT INTO participants(touchpoint_id, person_id, position, occurred_ms) VALUES (?1, ?2, ?3, ?4)";
const CLEAR_TAGS_SQL: &str = "DELETE FROM touchpoint_tags WHERE touchpoint_id = ?1";

/// `put_reflection`.
const PUT_REFLECTION_SQL: &str =
    "INSERT INTO reflections(id, touchpoint_id, person_id, answers, their_side, willingness,
           ability, adversarial, would_have_helped, next_time, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(touchpoint_id, person_id) DO UPDATE SET answers = excluded.answers,
           their_side = excluded.their_side, willingness = excluded.willingness,
           ability = excluded.ability, adversarial = excluded.adversarial,
           would_have_helped = excluded.would_have_helped, next_time = excluded.next_time";
const MARK_LOGGED_SQL: &str =
    "UPDATE touchpoints SET state = 'logged' WHERE id = ?1 AND state <> 'logged'";

/// `open_connection`: the pragmas after the key.
const CONNECTION_PRAGMAS: &str = "PRAGMA temp_store = MEMORY;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA busy_timeout = 2000;
         PRAGMA cache_size = -16384;";

/// `settings::load`.
const SETTINGS_SQL: &str = "SELECT value FROM meta WHERE key = ?1";

/// `purge_trash` (`trash::erase_trashed_until`): what is due is found first, then erased by id.
const PURGE_TOUCHPOINTS_SQL: &str =
    "SELECT id FROM touchpoints WHERE deleted_at IS NOT NULL AND deleted_at <= ?1";
const PURGE_PEOPLE_SQL: &str =
    "SELECT id FROM people WHERE deleted_at IS NOT NULL AND deleted_at <= ?1";

/// The copied statements with a name, for `BENCH_PLANS=1`.
const PLANNED: [(&str, &str); 17] = [
    ("timeline", TIMELINE_SQL),
    ("timeline: person", TIMELINE_PERSON_SQL),
    ("timeline: drafts", TIMELINE_DRAFTS_SQL),
    ("search: many?", SEARCH_MANY_SQL),
    ("search: ranked", SEARCH_RANKED_SQL),
    ("search: newest", SEARCH_NEWEST_SQL),
    ("person_events: reflections", REFLECTION_EVENTS_SQL),
    ("person_events: commitments", COMMITMENT_EVENTS_SQL),
    ("digest: reflections", ALL_REFLECTION_EVENTS_SQL),
    ("digest: commitments", ALL_COMMITMENT_EVENTS_SQL),
    ("digest: facts", DIGEST_FACTS_SQL),
    ("digest of one person: facts", STALE_FACTS_SQL),
    ("person", PERSON_SQL),
    ("people", PEOPLE_SQL),
    ("commitments", COMMITMENTS_SQL),
    ("purge_trash: touchpoints", PURGE_TOUCHPOINTS_SQL),
    ("reflect: touchpoint", TOUCHPOINT_SQL),
];

// -------------------------------------------------------------------------------------------
// Settings and machine.

struct Config {
    touchpoints: u32,
    per_figure: Duration,
    fresh: bool,
    plans: bool,
    profile: bool,
    /// `BENCH_MEMORY_SECURITY=1`: SQLCipher's memory security on in this process (off in the core).
    memory_security: bool,
    /// `BENCH_PEER=0` skips the jrnl comparison.
    peer: bool,
    /// Rounds of the jrnl comparison (`BENCH_PEER_ROUNDS`, default 5).
    peer_rounds: usize,
}

impl Config {
    fn from_env() -> Config {
        let touchpoints = std::env::var("BENCH_TOUCHPOINTS")
            .ok()
            .map(|v| {
                v.replace('_', "")
                    .parse()
                    .expect("BENCH_TOUCHPOINTS is a number")
            })
            .unwrap_or(100_000);
        let seconds: f64 = std::env::var("BENCH_SECONDS")
            .ok()
            .map(|v| v.parse().expect("BENCH_SECONDS is a number"))
            .unwrap_or(2.0);
        let flag = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0");
        Config {
            touchpoints,
            per_figure: Duration::from_secs_f64(seconds.max(0.1)),
            fresh: flag("BENCH_FRESH"),
            plans: flag("BENCH_PLANS"),
            profile: flag("BENCH_PROFILE"),
            memory_security: flag("BENCH_MEMORY_SECURITY"),
            peer: std::env::var("BENCH_PEER").map_or(true, |v| v != "0"),
            peer_rounds: std::env::var("BENCH_PEER_ROUNDS")
                .ok()
                .map(|v| v.parse().expect("BENCH_PEER_ROUNDS is a number"))
                .unwrap_or(5)
                .max(1),
        }
    }
}

/// The cargo target folder: `CARGO_TARGET_DIR` when set, else the workspace's `target`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|o| first_line(&String::from_utf8_lossy(&o.stdout)))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn memory_gib() -> String {
    fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            let kb: f64 = t
                .lines()
                .find(|l| l.starts_with("MemTotal:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some(format!("{:.0}", kb / (1024.0 * 1024.0)))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The file system type holding `path` (durable inserts depend on it), from /proc/mounts.
fn filesystem_of(path: &Path) -> String {
    let path = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let Ok(mounts) = fs::read_to_string("/proc/mounts") else {
        return "unknown".into();
    };
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (dev, mount, kind) = (f.next()?, f.next()?, f.next()?);
            path.starts_with(mount)
                .then(|| (mount.len(), format!("{kind} ({dev} on {mount})")))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "unknown".into(), |(_, s)| s)
}

// -------------------------------------------------------------------------------------------
// Connections.

fn flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

/// What `open_connection` runs before and after the key, on any connection (no key = plain).
/// `memory_security` is the core's `PRAGMA cipher_memory_security = ON`, which SQLCipher
/// applies to the whole process: every allocation of every connection is then locked in
/// memory and wiped on free.
fn open_raw(path: &Path, key: Option<&DataKey>, memory_security: bool) -> Connection {
    let conn = Connection::open_with_flags(path, flags()).expect("open database");
    if let Some(key) = key {
        let pragma = key.to_sqlcipher_pragma_value();
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", pragma.as_str()))
            .expect("key");
        conn.execute_batch("PRAGMA cipher_compatibility = 4;")
            .expect("cipher pragmas");
        if memory_security {
            conn.execute_batch("PRAGMA cipher_memory_security = ON;")
                .expect("memory security");
        }
    }
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .expect("the key opens the database");
    conn.execute_batch(CONNECTION_PRAGMAS)
        .expect("connection pragmas");
    conn
}

/// The SQL `Journal::open` runs after the key is derived: connect, check, migrate (a version
/// read when current), load the settings, purge the trash. Returns the time before closing.
fn open_sequence(path: &Path, key: Option<&DataKey>, memory_security: bool) -> Duration {
    let start = Instant::now();
    let conn = open_raw(path, key, memory_security);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    black_box(version);
    let settings: Option<String> = conn
        .query_row(SETTINGS_SQL, ["settings"], |r| r.get(0))
        .ok();
    black_box(settings);
    let cutoff = (Utc::now() - chrono::Duration::days(30)).timestamp_millis();
    conn.execute_batch("BEGIN").expect("begin");
    conn.execute(PURGE_TOUCHPOINTS_SQL, [cutoff])
        .expect("purge");
    drain(&conn, PURGE_PEOPLE_SQL, [cutoff]);
    conn.execute_batch("COMMIT").expect("commit");
    let elapsed = start.elapsed();
    drop(conn);
    elapsed
}

/// Runs a statement and reads every column of every row, as the core's row mappers do before
/// they build Rust values; returns the number of rows.
fn drain(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> usize {
    let mut stmt = conn.prepare_cached(sql).expect(sql);
    let columns = stmt.column_count();
    let mut rows = stmt.query(params).expect(sql);
    let mut n = 0;
    while let Some(row) = rows.next().expect(sql) {
        for i in 0..columns {
            black_box(row.get_ref(i).expect("column"));
        }
        n += 1;
    }
    n
}

fn timeline_sql(conn: &Connection, limit: u32) -> usize {
    drain(conn, TIMELINE_SQL, &[(":limit", &limit as &dyn ToSql)])
}

fn timeline_person_sql(conn: &Connection, person: &str, limit: u32) -> usize {
    drain(
        conn,
        TIMELINE_PERSON_SQL,
        &[(":person", &person as &dyn ToSql), (":limit", &limit)],
    )
}

fn drafts_sql(conn: &Connection) -> usize {
    drain(
        conn,
        TIMELINE_DRAFTS_SQL,
        &[(":state", &"draft" as &dyn ToSql), (":limit", &100)],
    )
}

/// The SQL of the overview's digest (read once after each write).
fn digest_sql(conn: &Connection) -> usize {
    drain(conn, ALL_REFLECTION_EVENTS_SQL, [])
        + drain(conn, ALL_COMMITMENT_EVENTS_SQL, [])
        + drain(conn, DIGEST_FACTS_SQL, [])
}

/// The SQL that reads one stale person's part of the digest again (after a reflection or a
/// commitment; a new entry is added to the digest without SQL).
fn stale_sql(conn: &Connection, person: &str) -> usize {
    drain(conn, STALE_REFLECTION_EVENTS_SQL, [person])
        + drain(conn, STALE_COMMITMENT_EVENTS_SQL, [person])
        + drain(conn, STALE_FACTS_SQL, [person])
}

/// The overview's SQL with its digest cached: the people.
fn overview_sql(conn: &Connection) -> usize {
    drain(conn, PEOPLE_SQL, [false])
}

/// Today's SQL with the digest cached.
fn today_sql(conn: &Connection) -> usize {
    drafts_sql(conn)
        + overview_sql(conn)
        + drain(conn, PEOPLE_SQL, [true])
        + drain(conn, COMMITMENTS_SQL, [])
}

/// A person's balance with the digest kept (as it is once Today or the overview has been
/// shown): the events come from memory, only the person is read.
fn balance_sql(conn: &Connection, person: &str) -> usize {
    drain(conn, PERSON_SQL, [person])
}

/// A person's balance before any digest was read (right after opening): their events are read.
fn balance_cold_sql(conn: &Connection, person: &str) -> usize {
    balance_sql(conn, person)
        + drain(conn, REFLECTION_EVENTS_SQL, [person])
        + drain(conn, COMMITMENT_EVENTS_SQL, [person])
}

fn search_sql(conn: &Connection, words: &str) -> usize {
    let fts = plain_query(words).expect("a searchable word");
    let many = |fts: &str| {
        conn.prepare_cached(SEARCH_MANY_SQL)
            .expect(SEARCH_MANY_SQL)
            .exists(rusqlite::params![fts, RANKED_MATCHES])
            .expect("count matches")
    };
    let exact = fts.strip_suffix('*').map(str::to_string);
    let (fts, sql) = match exact {
        Some(exact) if many(&exact) => (exact, SEARCH_NEWEST_SQL),
        _ if many(&fts) => (fts, SEARCH_NEWEST_SQL),
        _ => (fts, SEARCH_RANKED_SQL),
    };
    drain(conn, sql, rusqlite::params![fts, 50])
}

/// A write through the statement cache, as the core's `exec`.
fn exec(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// The statements of `add_reflected_touchpoint`, in its one transaction.
fn insert_sql(conn: &Connection, person: &str, person_name: &str, n: usize) {
    let at = (anchor() - chrono::Duration::minutes(n as i64)).fixed_offset();
    let ms = at.timestamp_millis();
    let created = Utc::now().fixed_offset().to_rfc3339();
    let id = Uuid::now_v7().to_string();
    // The participants' names for the default title, then one transaction.
    drain(conn, PERSON_SQL, [person]);
    conn.execute_batch("BEGIN").expect("begin");
    exec(
        conn,
        PUT_TOUCHPOINT_SQL,
        rusqlite::params![
            id,
            "one_on_one",
            at.to_rfc3339(),
            ms,
            30,
            format!("One-on-one with {person_name}"),
            None::<String>,
            "[]",
            format!("Bench insert {n}: we talked about the roadmap and the hiring plan."),
            "[]",
            false,
            "manual",
            "logged",
            created,
        ],
    )
    .expect("insert touchpoint");
    let kept = format!("[\"{person}\"]");
    exec(conn, PRUNE_REFLECTIONS_SQL, [&id, &kept]).expect("prune reflections");
    exec(conn, CLEAR_PARTICIPANTS_SQL, [&id]).expect("clear participants");
    exec(
        conn,
        PUT_PARTICIPANT_SQL,
        rusqlite::params![id, person, 0, ms],
    )
    .expect("insert participant");
    exec(conn, CLEAR_TAGS_SQL, [&id]).expect("clear tags");
    exec(
        conn,
        PUT_REFLECTION_SQL,
        rusqlite::params![
            Uuid::now_v7().to_string(),
            id,
            person,
            r#"[{"prompt":"What would they say I did well, and what would they say I missed?","answer":"They would say I listened first."}]"#,
            "My manager actually heard me on the roadmap.",
            1,
            0,
            false,
            "",
            "",
            created,
        ],
    )
    .expect("insert reflection");
    exec(conn, MARK_LOGGED_SQL, [&id]).expect("mark logged");
    conn.execute_batch("COMMIT").expect("commit");
}

fn insert_api(journal: &mut Journal, person: Uuid, n: usize) {
    let at = (anchor() - chrono::Duration::minutes(n as i64)).fixed_offset();
    let done = journal
        .add_reflected_touchpoint(
            NewTouchpoint {
                kind: TouchpointKind::OneOnOne,
                occurred_at: Some(at),
                duration_minutes: Some(30),
                title: String::new(),
                participants: vec![person],
                team: None,
                affected_groups: Vec::new(),
                notes: format!(
                    "Bench insert {n}: we talked about the roadmap and the hiring plan."
                ),
                tags: Vec::new(),
                private: false,
                source: String::new(),
                state: None,
            },
            vec![NewReflection {
                touchpoint_id: Uuid::nil(),
                person_id: person,
                answers: vec![PromptAnswer {
                    prompt: "What would they say I did well, and what would they say I missed?"
                        .into(),
                    answer: "They would say I listened first.".into(),
                }],
                their_side: "My manager actually heard me on the roadmap.".into(),
                willingness: 1,
                ability: 0,
                adversarial: false,
                would_have_helped: String::new(),
                next_time: String::new(),
            }],
        )
        .expect("add_reflected_touchpoint");
    black_box(done);
}

// -------------------------------------------------------------------------------------------
// The synthetic journal.

/// The folder of the cached synthetic journal for these parameters.
fn dataset_dir(cfg: &Config, data_dir: &Path) -> PathBuf {
    // The generator's source is part of the key: a changed generator makes a new journal.
    let generator = include_str!("../src/demo.rs")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let name = format!(
        "journal-p{PEOPLE}-t{}-seed{SEED}-anchor{}-recipe{DATA_RECIPE}-gen{:08x}",
        cfg.touchpoints,
        anchor().format("%Y%m%d"),
        generator >> 32,
    );
    data_dir.join(name)
}

/// Builds the cached journal unless it is there already (`BENCH_FRESH` rebuilds it); run in
/// a child process, like the export, so the measuring process starts clean.
fn prepare_dataset(cfg: &Config, data_dir: &Path) {
    let dir = dataset_dir(cfg, data_dir);
    let marker = dir.join("bench-dataset.json");
    if marker.exists() && !cfg.fresh {
        // Opening runs any newer schema migration, so the copies match this build.
        drop(
            Journal::open(&dir, &Passphrase::new(PASSPHRASE.into())).expect("open cached journal"),
        );
        return;
    }
    let _ = fs::remove_dir_all(&dir);
    let building = data_dir.join(format!("building-{}", std::process::id()));
    let _ = fs::remove_dir_all(&building);
    eprintln!(
        "building the synthetic journal ({PEOPLE} people, {} touchpoints) in {} ...",
        cfg.touchpoints,
        dir.display()
    );
    let start = Instant::now();
    let pass = Passphrase::new(PASSPHRASE.into());
    let (mut journal, _code) = Journal::init(&building, &pass).expect("init journal");
    let mut renamed = 0;
    let summary = match demo::generate(&mut journal, PEOPLE, cfg.touchpoints, SEED, anchor()) {
        Ok(summary) => summary,
        // The generator repeats names past 32 people, which the unique name index refuses.
        Err(e) if format!("{e:?}").contains("people.name") => {
            eprintln!(
                "WARNING: demo::generate fails for {PEOPLE} people ({e}): its names repeat every \
                 32 people. Working around it here: generating without the unique name index, \
                 then renaming the repeats and restoring the index. Fix the generator."
            );
            let key = KeyFile::read(&building.join("journal.key"))
                .expect("read key file")
                .unlock_with_passphrase(&pass)
                .expect("unlock");
            let raw = open_raw(&building.join("journal.db"), Some(&key), true);
            raw.execute_batch("DROP INDEX people_name;")
                .expect("drop the name index");
            let summary = demo::generate(&mut journal, PEOPLE, cfg.touchpoints, SEED, anchor())
                .expect("generate");
            renamed = raw
                .execute(
                    "UPDATE people SET name = name || ' ' || rowid WHERE rowid NOT IN
                       (SELECT min(rowid) FROM people GROUP BY name COLLATE NOCASE)",
                    [],
                )
                .expect("rename repeated names");
            raw.execute_batch(
                "CREATE UNIQUE INDEX people_name ON people(name COLLATE NOCASE) WHERE deleted_at IS NULL;",
            )
            .expect("restore the name index");
            summary
        }
        Err(e) => panic!("demo::generate failed: {e}"),
    };
    // Plant the rare words: word i in i + 1 entries, spread over the years.
    let people = journal.people(false).expect("people");
    for (i, word) in RARE_WORDS.iter().enumerate() {
        for k in 0..=i {
            let back = chrono::Duration::days((i * 211 + k * 97) as i64 % 3000 + 1);
            journal
                .add_touchpoint(NewTouchpoint {
                    kind: TouchpointKind::Other,
                    occurred_at: Some((anchor() - back).fixed_offset()),
                    duration_minutes: Some(15),
                    title: String::new(),
                    participants: vec![people[(i * 13 + k * 7) % people.len()].id],
                    team: None,
                    affected_groups: Vec::new(),
                    notes: format!("They brought up the {word} idea again; worth a follow-up."),
                    tags: Vec::new(),
                    private: false,
                    source: String::new(),
                    state: None,
                })
                .expect("plant a rare word");
        }
    }
    drop(journal);
    let took = start.elapsed();
    fs::write(
        building.join("bench-dataset.json"),
        serde_json::json!({
            "generator": summary,
            "renamed_repeated_names": renamed,
            "build_seconds": took.as_secs_f64(),
        })
        .to_string(),
    )
    .expect("write marker");
    fs::rename(&building, &dir).expect("move the built journal into place");
}

/// Writes a plain copy of an encrypted journal database (child process, see `child`).
fn export_plain(key_file: &Path, encrypted_db: &Path, plain_db: &Path) {
    let key = KeyFile::read(key_file)
        .expect("read key file")
        .unlock_with_passphrase(&Passphrase::new(PASSPHRASE.into()))
        .expect("unlock");
    let conn = open_raw(encrypted_db, Some(&key), false);
    conn.execute(
        "ATTACH DATABASE ?1 AS plain KEY ''",
        [plain_db.to_str().expect("utf-8 path")],
    )
    .expect("attach plain");
    conn.execute_batch("SELECT sqlcipher_export('plain'); DETACH DATABASE plain;")
        .expect("sqlcipher_export");
}

/// Runs this benchmark binary again with `args` and waits for it to succeed.
fn child(args: &[&std::ffi::OsStr]) {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let status = Command::new(exe)
        .args(args)
        .status()
        .expect("start a child process");
    assert!(status.success(), "child process {args:?} failed: {status}");
}

/// This run's scratch folder (the copies, the plain one included), deleted when dropped, on
/// a panic too.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Deletes scratch folders left by runs that were killed (their process is gone).
fn remove_stale_scratch(data_dir: &Path) {
    let Ok(entries) = fs::read_dir(data_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix("run-")
            .or_else(|| name.strip_prefix("building-"));
        if let Some(pid) = pid.filter(|p| p.chars().all(|c| c.is_ascii_digit())) {
            if !Path::new("/proc").join(pid).exists() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Copies a journal folder's key and database (with its write-ahead log, if any).
fn copy_journal(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create scratch journal");
    for name in ["journal.key", "journal.db", "journal.db-wal"] {
        let src = from.join(name);
        if src.exists() {
            fs::copy(&src, to.join(name)).expect("copy journal file");
        }
    }
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

fn file_mib(path: &Path) -> f64 {
    fs::metadata(path).map_or(0.0, |m| m.len() as f64 / (1024.0 * 1024.0))
}

// -------------------------------------------------------------------------------------------
// Measuring.

/// One way of doing a figure, called once per round with the round number; returns the time
/// it measured (so setup and teardown can stay outside it).
type Probe<'a> = Box<dyn FnMut(usize) -> Duration + 'a>;

fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

struct Plan {
    warmup: usize,
    min_rounds: usize,
    max_rounds: usize,
    target: Duration,
}

/// Runs every probe once per round, rotating their order, after a warm-up; returns the
/// samples of each probe (index = round). Stops after `min_rounds` once `target` time has
/// passed, or after any round that ends past ten times `target` (for very slow figures).
fn measure(name: &str, plan: &Plan, probes: &mut [Probe<'_>]) -> Vec<Vec<Duration>> {
    let n = probes.len();
    // The first call of each probe is part of the warm-up, and shown as progress.
    let first: Vec<Duration> = probes.iter_mut().map(|p| p(0)).collect();
    eprintln!(
        "  {name}: first calls {}",
        first
            .iter()
            .map(|d| fmt_ms(*d))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let slow = first.iter().sum::<Duration>() > plan.target;
    if !slow {
        for round in 1..plan.warmup {
            for p in probes.iter_mut() {
                p(round);
            }
        }
    }
    let mut samples = vec![Vec::new(); n];
    let start = Instant::now();
    let cap = plan.target * 10;
    let mut round = 0;
    while round < plan.max_rounds
        && (round < plan.min_rounds || start.elapsed() < plan.target)
        && !(round >= 1 && start.elapsed() >= cap)
    {
        for k in 0..n {
            let i = (k + round) % n;
            samples[i].push(probes[i](round));
        }
        round += 1;
    }
    samples
}

#[derive(Clone, Copy)]
struct Stats {
    median: Duration,
    p95: Duration,
    n: usize,
}

fn stats(samples: &[Duration]) -> Stats {
    let mut s = samples.to_vec();
    s.sort();
    let n = s.len();
    assert!(n > 0, "no samples");
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2
    };
    let p95 = s[(n * 95).div_ceil(100) - 1];
    Stats { median, p95, n }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fmt_ms(d: Duration) -> String {
    let v = ms(d);
    if v < 10.0 {
        format!("{v:.3} ms")
    } else if v < 1000.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.0} ms")
    }
}

fn fmt_stats(s: &Stats) -> String {
    format!("{} / {}", fmt_ms(s.median), fmt_ms(s.p95))
}

#[derive(Clone, Copy, PartialEq)]
enum Stat {
    Median,
    P95,
}

/// One line of the budget table.
struct Figure {
    operation: String,
    /// The touchpoint API on the encrypted journal.
    api: Stats,
    /// The same SQL on a raw encrypted connection with the core's key and pragmas.
    sql_encrypted: Option<Stats>,
    /// The same SQL on the plain copy, in the baseline process.
    sql_plain: Option<Stats>,
    /// The budget of section 9 in milliseconds, and the statistic it is judged on.
    budget: Option<(f64, Stat)>,
    /// A read, for the encryption-overhead budget.
    read: bool,
}

impl Figure {
    fn judged_by(&self) -> Stat {
        self.budget.map_or(Stat::Median, |(_, s)| s)
    }
    fn pick(&self, s: &Stats) -> Duration {
        match self.judged_by() {
            Stat::Median => s.median,
            Stat::P95 => s.p95,
        }
    }
    fn meets_budget(&self) -> Option<bool> {
        self.budget
            .map(|(limit, _)| ms(self.pick(&self.api)) < limit)
    }
    /// App (encrypted, everything included) over plain SQL: the real goal is at most 2x.
    fn app_ratio(&self) -> Option<f64> {
        self.sql_plain
            .map(|p| ratio(self.pick(&self.api), self.pick(&p)))
    }
    /// Same SQL, encrypted as the app over plain: the encryption overhead, budget 1.25x.
    fn encryption_ratio(&self) -> Option<f64> {
        Some(ratio(self.sql_encrypted?.median, self.sql_plain?.median))
    }
}

/// A figure from the samples of its probes: the API, then (when there is one) the same SQL
/// encrypted here and plain in the baseline process.
fn figure(
    operation: impl Into<String>,
    samples: &[Vec<Duration>],
    budget: Option<(f64, Stat)>,
    read: bool,
) -> Figure {
    Figure {
        operation: operation.into(),
        api: stats(&samples[0]),
        sql_encrypted: samples.get(1).map(|s| stats(s)),
        sql_plain: samples.get(2).map(|s| stats(s)),
        budget,
        read,
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "MISS"
    }
}

/// Prints a table with columns padded to their widest cell.
fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("| {} |", padded.join(" | "));
    };
    line(header.iter().map(|h| h.to_string()).collect());
    println!(
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    for row in rows {
        line(row.clone());
    }
}

fn plan_lines(label: &str, conn: &Connection) -> Vec<String> {
    let mut out = vec![format!("Query plans ({label}):")];
    for (name, sql) in PLANNED {
        out.push(format!("-- {name}"));
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain");
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next().expect("plan row") {
            let parent: i64 = row.get(1).expect("parent");
            let detail: String = row.get(3).expect("detail");
            out.push(format!("   {parent:>3} {detail}"));
        }
    }
    out
}

/// The tables counted on every copy (they must agree).
const COUNTED: [(&str, &str); 11] = [
    ("people", "SELECT count(*) FROM people"),
    ("teams", "SELECT count(*) FROM teams"),
    ("touchpoints", "SELECT count(*) FROM touchpoints"),
    (
        "drafts",
        "SELECT count(*) FROM touchpoints WHERE state = 'draft'",
    ),
    ("participants", "SELECT count(*) FROM participants"),
    ("reflections", "SELECT count(*) FROM reflections"),
    ("commitments", "SELECT count(*) FROM commitments"),
    (
        "open commitments",
        "SELECT count(*) FROM commitments WHERE status = 'open'",
    ),
    ("topics", "SELECT count(*) FROM topics"),
    ("search index rows", "SELECT count(*) FROM search"),
    (
        "triggers",
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
    ),
];

fn counts_of(conn: &Connection) -> Vec<i64> {
    COUNTED.iter().map(|(_, sql)| count(conn, sql)).collect()
}

/// This SQLite is built with SQLITE_ENABLE_MEMORY_MANAGEMENT, so all connections of a process
/// share one page-cache pool whose size is the sum of their cache_size. With several
/// connections open, the pool was seen sitting at its limit, and then one of them (the plain
/// one, in practice) dropped every page on release and read it again from the file on the
/// next access: 10 to 40 times slower. An idle connection with a large cache_size adds
/// headroom to the pool without using memory, so each measured connection keeps its own 2 MB
/// cache as it would alone in the app (which holds one connection).
fn ballast(db: &Path) -> Connection {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the ballast connection");
    conn.execute_batch("PRAGMA cache_size = -1000000; SELECT count(*) FROM sqlite_master;")
        .expect("size the ballast cache");
    conn
}

fn timed_rows(f: impl FnOnce() -> usize) -> Vec<String> {
    let start = Instant::now();
    let rows = f();
    vec![format!("{}\t{rows}", start.elapsed().as_nanos())]
}

/// Times each copied statement once on `conn` (`BENCH_PROFILE=1`), to see which query costs.
fn profile_lines(label: &str, conn: &Connection, person: &str) -> Vec<String> {
    type Step<'a> = (&'a str, Box<dyn Fn() -> usize + 'a>);
    let steps: Vec<Step<'_>> = vec![
        ("timeline newest 50", Box::new(|| timeline_sql(conn, 50))),
        (
            "timeline of one person, 50",
            Box::new(|| timeline_person_sql(conn, person, 50)),
        ),
        ("timeline drafts 100", Box::new(|| drafts_sql(conn))),
        (
            "people(false)",
            Box::new(|| drain(conn, PEOPLE_SQL, [false])),
        ),
        ("people(true)", Box::new(|| drain(conn, PEOPLE_SQL, [true]))),
        ("person", Box::new(|| drain(conn, PERSON_SQL, [person]))),
        (
            "reflection events, one person",
            Box::new(|| drain(conn, REFLECTION_EVENTS_SQL, [person])),
        ),
        (
            "commitment events, one person",
            Box::new(|| drain(conn, COMMITMENT_EVENTS_SQL, [person])),
        ),
        (
            "digest: reflection events, all",
            Box::new(|| drain(conn, ALL_REFLECTION_EVENTS_SQL, [])),
        ),
        (
            "digest: commitment events, all",
            Box::new(|| drain(conn, ALL_COMMITMENT_EVENTS_SQL, [])),
        ),
        (
            "digest: participation facts",
            Box::new(|| drain(conn, DIGEST_FACTS_SQL, [])),
        ),
        (
            "digest of one stale person",
            Box::new(|| stale_sql(conn, person)),
        ),
        (
            "commitments(None, open)",
            Box::new(|| drain(conn, COMMITMENTS_SQL, [])),
        ),
        ("search \"talked\"", Box::new(|| search_sql(conn, "talked"))),
        (
            "search \"zeppelin\"",
            Box::new(|| search_sql(conn, "zeppelin")),
        ),
    ];
    let pragma = |name: &str| -> String {
        match conn.query_row(&format!("PRAGMA {name}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        }) {
            Ok(rusqlite::types::Value::Integer(n)) => n.to_string(),
            Ok(rusqlite::types::Value::Text(t)) => t,
            Ok(other) => format!("{other:?}"),
            Err(e) => e.to_string(),
        }
    };
    let mut out = vec![format!(
        "Statements one by one ({label}; page_size {}, page_count {}, cache_size {}, journal_mode {}, indexes {}):",
        pragma("page_size"),
        pragma("page_count"),
        pragma("cache_size"),
        pragma("journal_mode"),
        count(conn, "SELECT count(*) FROM sqlite_master WHERE type = 'index'")
    )];
    for (name, step) in steps {
        let start = Instant::now();
        let rows = step();
        out.push(format!(
            "   {:>12}  {rows:>7} rows  {name}",
            fmt_ms(start.elapsed())
        ));
    }
    out
}

// -------------------------------------------------------------------------------------------
// The baseline process: the same SQL on the plain copy, in a process of its own so nothing of
// this one (SQLCipher's state, the journal's connection, its page cache) touches it. It times
// each request itself and answers with the time.

/// The child's loop (`--baseline PLAIN_DB`): one request a line on stdin, `verb<TAB>arguments`;
/// each answer ends with a line `.`.
fn serve(plain_db: &Path) {
    use std::io::{BufRead, Write};
    let ballast = ballast(plain_db);
    let conn = open_raw(plain_db, None, false);
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read a request");
        let f: Vec<&str> = line.split('\t').collect();
        let arg = |i: usize| f.get(i).copied().expect("request argument");
        let reply: Vec<String> = match f[0] {
            "quit" => break,
            "open" => {
                let took = open_sequence(plain_db, None, false);
                vec![format!("{}\t0", took.as_nanos())]
            }
            "today" => timed_rows(|| today_sql(&conn)),
            "today_cold" => timed_rows(|| today_sql(&conn) + digest_sql(&conn)),
            "today_stale" => timed_rows(|| today_sql(&conn) + stale_sql(&conn, arg(1))),
            "overview_stale" => timed_rows(|| overview_sql(&conn) + stale_sql(&conn, arg(1))),
            "balance_cold" => timed_rows(|| balance_cold_sql(&conn, arg(1))),
            "today_after_insert" => {
                insert_sql(&conn, arg(1), arg(2), arg(3).parse().expect("a number"));
                timed_rows(|| today_sql(&conn))
            }
            "timeline" => timed_rows(|| timeline_sql(&conn, 50)),
            "timeline_person" => timed_rows(|| timeline_person_sql(&conn, arg(1), 50)),
            "search" => timed_rows(|| search_sql(&conn, arg(1))),
            "balance" => timed_rows(|| balance_sql(&conn, arg(1))),
            "overview" => timed_rows(|| overview_sql(&conn)),
            "overview_cold" => timed_rows(|| overview_sql(&conn) + digest_sql(&conn)),
            "insert" => timed_rows(|| {
                insert_sql(&conn, arg(1), arg(2), arg(3).parse().expect("a number"));
                1
            }),
            "counts" => vec![counts_of(&conn)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")],
            "info" => {
                let version: String = conn
                    .query_row("SELECT sqlite_version()", [], |r| r.get(0))
                    .expect("version");
                vec![version]
            }
            "plans" => plan_lines("plain copy", &conn),
            "profile" => profile_lines("plain copy", &conn, arg(1)),
            other => panic!("unknown request {other:?}"),
        };
        for l in reply {
            writeln!(out, "{l}").expect("answer");
        }
        writeln!(out, ".").expect("answer");
        out.flush().expect("answer");
    }
    drop(ballast);
}

/// The parent's side of the baseline process.
struct Baseline {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl Baseline {
    fn start(plain_db: &Path) -> Baseline {
        use std::process::Stdio;
        let mut child = Command::new(std::env::current_exe().expect("the benchmark's own path"))
            .arg("--baseline")
            .arg(plain_db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the baseline process");
        let input = child.stdin.take().expect("child stdin");
        let output = std::io::BufReader::new(child.stdout.take().expect("child stdout"));
        Baseline {
            child,
            input,
            output,
        }
    }

    /// Sends one request and returns the lines of its answer.
    fn ask(&mut self, request: &[&str]) -> Vec<String> {
        use std::io::{BufRead, Write};
        writeln!(self.input, "{}", request.join("\t")).expect("send a request");
        self.input.flush().expect("send a request");
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let n = self.output.read_line(&mut line).expect("read an answer");
            assert!(n > 0, "the baseline process stopped (request {request:?})");
            let line = line.trim_end_matches('\n').to_string();
            if line == "." {
                return lines;
            }
            lines.push(line);
        }
    }

    /// Sends a timed request; returns the time the child measured and the rows it read.
    fn time(&mut self, request: &[&str]) -> (Duration, usize) {
        let answer = self.ask(request);
        let (nanos, rows) = answer
            .first()
            .and_then(|l| l.split_once('\t'))
            .expect("a timed answer");
        (
            Duration::from_nanos(nanos.parse().expect("nanoseconds")),
            rows.parse().expect("rows"),
        )
    }
}

impl Drop for Baseline {
    fn drop(&mut self) {
        use std::io::Write;
        let _ = writeln!(self.input, "quit");
        let _ = self.input.flush();
        let _ = self.child.wait();
    }
}

// -------------------------------------------------------------------------------------------
// The peer: jrnl, from PyPI, on the same entries, against the `touchpoint` CLI as a whole
// process. Both derive their key from a passphrase on every command (jrnl reads it from a
// plaintext keyring file set up here, the CLI from TOUCHPOINT_PASSPHRASE), as neither would
// prompt in a benchmark.

/// The jrnl release measured (pinned so figures compare across runs).
const JRNL_VERSION: &str = "4.6";
/// The keyring backend that lets jrnl read its password without a prompt.
const KEYRINGS_ALT_VERSION: &str = "5.0.2";

/// Writes a jrnl v3 encrypted journal with jrnl's own code and stores its password in the
/// keyring jrnl reads. Arguments: plaintext journal, encrypted journal, password.
const JRNL_ENCRYPT_PY: &str = r#"
import sys, keyring
from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption
src, dst, pw = sys.argv[1:4]
enc = Jrnlv3Encryption("default", {})
enc.password = pw
with open(src, encoding="utf-8") as f:
    text = f.read()
with open(dst, "wb") as f:
    f.write(enc._encrypt(text))
keyring.set_password("jrnl", "default", pw)
"#;

fn run_ok(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The virtual environment with jrnl, made on first use (`pip` reaches PyPI once).
fn jrnl_venv(data_dir: &Path) -> Result<PathBuf, String> {
    let venv = data_dir.join(format!("jrnl-venv-{JRNL_VERSION}"));
    if venv.join("bin/jrnl").exists() {
        return Ok(venv);
    }
    eprintln!(
        "installing jrnl {JRNL_VERSION} from PyPI into {} ...",
        venv.display()
    );
    let _ = fs::remove_dir_all(&venv);
    run_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_ok(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("jrnl=={JRNL_VERSION}"))
            .arg(format!("keyrings.alt=={KEYRINGS_ALT_VERSION}")),
    )
    .inspect_err(|_| {
        let _ = fs::remove_dir_all(&venv);
    })?;
    Ok(venv)
}

/// The peer's files: its venv, its encrypted journal (cached per dataset) and its keyring.
struct Peer {
    venv: PathBuf,
    /// Holds the cached encrypted journal and the keyring (`data/`).
    home: PathBuf,
}

impl Peer {
    fn encrypted(&self) -> PathBuf {
        self.home.join("journal.txt")
    }

    /// jrnl with its keyring and a config file of this run's.
    fn jrnl(&self, config: &Path) -> Command {
        let mut cmd = Command::new(self.venv.join("bin/jrnl"));
        cmd.arg("--config-file")
            .arg(config)
            .env(
                "PYTHON_KEYRING_BACKEND",
                "keyrings.alt.file.PlaintextKeyring",
            )
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .stdin(std::process::Stdio::null());
        cmd
    }
}

/// The entries of the plain copy as a jrnl text journal: one entry per touchpoint, its time,
/// title and notes.
fn jrnl_text(plain_db: &Path) -> (String, usize) {
    let conn = Connection::open_with_flags(plain_db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the plain copy");
    let mut stmt = conn
        .prepare(
            "SELECT occurred_at, title, notes FROM touchpoints WHERE deleted_at IS NULL
             ORDER BY occurred_ms",
        )
        .expect("entries");
    let mut rows = stmt.query([]).expect("entries");
    let mut text = String::new();
    let mut n = 0;
    while let Some(r) = rows.next().expect("entry") {
        let at: String = r.get(0).expect("time");
        let title: String = r.get(1).expect("title");
        let notes: String = r.get(2).expect("notes");
        let at = DateTime::parse_from_rfc3339(&at).expect("an RFC 3339 time");
        let stop = if title.ends_with(['.', '!', '?']) {
            ""
        } else {
            "."
        };
        text.push_str(&format!(
            "[{}] {title}{stop}\n{}\n\n",
            at.format("%Y-%m-%d %H:%M"),
            notes.trim()
        ));
        n += 1;
    }
    (text, n)
}

/// Makes the peer ready: the venv, and the same entries in a jrnl journal encrypted by jrnl's
/// code (cached beside the synthetic journal). The plaintext exists only in this run's scratch
/// folder, for the moment jrnl's encryption reads it.
fn prepare_peer(
    data_dir: &Path,
    dataset: &Path,
    run: &Path,
    plain_db: &Path,
) -> Result<Peer, String> {
    let venv = jrnl_venv(data_dir)?;
    let name = dataset
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let home = data_dir.join(format!("jrnl-{JRNL_VERSION}-{name}"));
    let peer = Peer { venv, home };
    let marker = peer.home.join("entries");
    if marker.exists() {
        return Ok(peer);
    }
    let _ = fs::remove_dir_all(&peer.home);
    fs::create_dir_all(peer.home.join("data")).map_err(|e| e.to_string())?;
    let (text, n) = jrnl_text(plain_db);
    let plain = run.join("jrnl-plaintext.txt");
    fs::write(&plain, text).map_err(|e| e.to_string())?;
    let script = run.join("jrnl-encrypt.py");
    fs::write(&script, JRNL_ENCRYPT_PY).map_err(|e| e.to_string())?;
    let made = run_ok(
        Command::new(peer.venv.join("bin/python"))
            .arg(&script)
            .arg(&plain)
            .arg(peer.encrypted())
            .arg(PASSPHRASE)
            .env(
                "PYTHON_KEYRING_BACKEND",
                "keyrings.alt.file.PlaintextKeyring",
            )
            .env("XDG_DATA_HOME", peer.home.join("data")),
    );
    let _ = fs::remove_file(&plain);
    made?;
    fs::write(&marker, n.to_string()).map_err(|e| e.to_string())?;
    Ok(peer)
}

/// A jrnl config for this run's copy of the journal.
fn jrnl_config(journal: &Path) -> String {
    format!(
        "colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: true
highlight: false
indent_character: '|'
journals:
  default:
    journal: {}
    encrypt: true
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v{JRNL_VERSION}
",
        journal.display()
    )
}

/// Runs a whole process and returns its wall time; a failure stops the benchmark.
fn time_process(cmd: &mut Command) -> Duration {
    cmd.stdout(std::process::Stdio::null());
    let start = Instant::now();
    let out = cmd.output().expect("start a process");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

/// One line of the peer table.
struct PeerFigure {
    operation: &'static str,
    /// The CLI deriving its key from the passphrase, as every command does without a session.
    touchpoint: Stats,
    /// The CLI inside an unlock session (`touchpoint unlock`): no key derivation.
    session: Option<Stats>,
    /// jrnl, where it has the operation.
    jrnl: Option<Stats>,
}

/// A `touchpoint` process on `journal`, with the passphrase in its environment or without.
fn touchpoint_cmd(cli: &Path, journal: &Path, args: &[&str], passphrase: bool) -> Command {
    let mut cmd = Command::new(cli);
    cmd.arg("--journal")
        .arg(journal)
        .args(args)
        .env_remove("TOUCHPOINT_PASSPHRASE")
        .stdin(std::process::Stdio::null());
    if passphrase {
        cmd.env("TOUCHPOINT_PASSPHRASE", PASSPHRASE);
    }
    cmd
}

/// Opens an unlock session on `journal` for the measurement; false when the kernel keyring is
/// not available here (the session column is then left empty).
fn open_session(cli: &Path, journal: &Path) -> bool {
    let out = touchpoint_cmd(cli, journal, &["unlock", "--for", "2h"], true)
        .output()
        .expect("run touchpoint unlock");
    if !out.status.success() {
        println!(
            "session: not measured: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    out.status.success()
}

/// The CLI commands of the issues, each as a whole `touchpoint` process (with the passphrase,
/// and inside an unlock session on a second copy of the journal) and a whole `jrnl` process
/// where jrnl has the operation, interleaved round by round.
fn measure_peer(
    cfg: &Config,
    cli: &Path,
    cli_journals: [&Path; 2],
    peer: &Peer,
    run: &Path,
) -> Vec<PeerFigure> {
    let [cli_journal, session_journal] = cli_journals;
    let jrnl_dir = run.join("jrnl");
    fs::create_dir_all(&jrnl_dir).expect("jrnl scratch");
    let journal = jrnl_dir.join("journal.txt");
    fs::copy(peer.encrypted(), &journal).expect("copy the jrnl journal");
    let config = jrnl_dir.join("jrnl.yaml");
    fs::write(&config, jrnl_config(&journal)).expect("jrnl config");
    let with_session = open_session(cli, session_journal);
    let person = first_person(cli, cli_journal);
    let rare = RARE_WORDS[0];
    let tp_export = run.join("touchpoint-export.json");
    let jrnl_export = jrnl_dir.join("jrnl-export.json");
    type Args = Box<dyn Fn(usize) -> Vec<String>>;
    type PeerCmd<'a> = Option<Box<dyn Fn(usize) -> Command + 'a>>;
    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }
    let export_path = tp_export.to_str().expect("utf-8 path").to_string();
    let ops: Vec<(&'static str, Args, PeerCmd<'_>)> = vec![
        (
            "add one entry",
            Box::new(move |r| {
                strings(&[
                    "add",
                    "--kind",
                    "other",
                    "--notes",
                    &format!("Bench entry {r}: we talked about the roadmap."),
                ])
            }),
            Some(Box::new(|r| {
                let mut c = peer.jrnl(&config);
                c.arg(format!("Bench entry {r}: we talked about the roadmap."));
                c
            })),
        ),
        (
            "search a rare word",
            Box::new(move |_| strings(&["search", rare])),
            Some(Box::new(|_| {
                let mut c = peer.jrnl(&config);
                c.args(["-contains", rare]);
                c
            })),
        ),
        (
            "newest 50",
            Box::new(|_| strings(&["list", "--limit", "50"])),
            Some(Box::new(|_| {
                let mut c = peer.jrnl(&config);
                c.args(["-n", "50"]);
                c
            })),
        ),
        (
            "balance NAME --explain",
            Box::new(move |_| strings(&["balance", &person, "--explain"])),
            None,
        ),
        ("today", Box::new(|_| strings(&["today"])), None),
        (
            "export all to JSON",
            Box::new(move |_| strings(&["export", "--format", "json", "--out", &export_path])),
            Some(Box::new(|_| {
                let _ = fs::remove_file(&jrnl_export);
                let mut c = peer.jrnl(&config);
                c.args(["--format", "json", "--file"]).arg(&jrnl_export);
                c
            })),
        ),
    ];
    let time_tp = |args: &[String], session: bool| {
        let _ = fs::remove_file(&tp_export);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let journal = if session {
            session_journal
        } else {
            cli_journal
        };
        time_process(&mut touchpoint_cmd(cli, journal, &args, !session))
    };
    // One round to warm up: the CLI makes its daily backup after the first write, jrnl
    // rewrites its config; neither is counted.
    eprintln!("  peer: warm-up round");
    for (_, t, j) in &ops {
        time_tp(&t(0), false);
        if with_session {
            time_tp(&t(0), true);
        }
        if let Some(j) = j {
            time_process(&mut j(0));
        }
    }
    let mut samples = vec![(Vec::new(), Vec::new(), Vec::new()); ops.len()];
    for round in 1..=cfg.peer_rounds {
        eprintln!("  peer: round {round} of {}", cfg.peer_rounds);
        for (i, (_, t, j)) in ops.iter().enumerate() {
            let args = t(round);
            let jrnl = |sample: &mut Vec<Duration>| {
                if let Some(j) = j {
                    sample.push(time_process(&mut j(round)));
                }
            };
            // Alternate who goes first, so a busy moment hits all alike.
            if round % 2 == 1 {
                jrnl(&mut samples[i].2);
            }
            samples[i].0.push(time_tp(&args, false));
            if with_session {
                samples[i].1.push(time_tp(&args, true));
            }
            if round % 2 == 0 {
                jrnl(&mut samples[i].2);
            }
        }
    }
    if with_session {
        let _ = touchpoint_cmd(cli, session_journal, &["lock"], false).output();
    }
    let _ = fs::remove_file(&tp_export);
    let _ = fs::remove_file(&jrnl_export);
    ops.iter()
        .zip(samples)
        .map(|((name, _, _), (t, s, j))| PeerFigure {
            operation: name,
            touchpoint: stats(&t),
            session: (!s.is_empty()).then(|| stats(&s)),
            jrnl: (!j.is_empty()).then(|| stats(&j)),
        })
        .collect()
}

/// The name of the first person in the journal, for `balance NAME`.
fn first_person(cli: &Path, journal: &Path) -> String {
    let out = touchpoint_cmd(cli, journal, &["--json", "person", "list"], true)
        .output()
        .expect("run touchpoint person list");
    let people: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("person list --json");
    people[0]["name"]
        .as_str()
        .expect("a person with a name")
        .to_string()
}

// -------------------------------------------------------------------------------------------

fn main() {
    // `cargo bench` passes `--bench`; a filter or `--list` from the harness protocol is ignored.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let cfg = Config::from_env();
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--prepare-dataset" => {
            let data_dir = target_dir().join("bench-data");
            prepare_dataset(&cfg, &fs::canonicalize(&data_dir).unwrap_or(data_dir));
            return;
        }
        [flag, key_file, encrypted_db, plain_db] if flag == "--export-plain" => {
            export_plain(
                Path::new(key_file),
                Path::new(encrypted_db),
                Path::new(plain_db),
            );
            return;
        }
        [flag, plain_db] if flag == "--baseline" => {
            serve(Path::new(plain_db));
            return;
        }
        _ => {}
    }
    // `cargo bench --bench journal -- today search` measures only the figures named.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let selected =
        |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    let data_dir = target_dir().join("bench-data");
    fs::create_dir_all(&data_dir).expect("create target/bench-data");
    let data_dir = fs::canonicalize(&data_dir).unwrap_or(data_dir);

    println!("Touchpoint benchmarks: DESIGN.md section 9, each figure beside its baseline");
    println!(
        "date: {}; machine: {} cores ({}), {} GiB RAM, {}, load average {} at start",
        Utc::now().format("%Y-%m-%d %H:%M UTC"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        memory_gib(),
        rustc_version(),
        load_average()
    );
    println!("bench data: {}", data_dir.display());
    println!("file system: {}", filesystem_of(&data_dir));

    let cached = dataset_dir(&cfg, &data_dir);
    let was_cached = cached.join("bench-dataset.json").exists() && !cfg.fresh;
    child(&["--prepare-dataset".as_ref()]);
    if was_cached {
        println!("synthetic journal: cached ({})", cached.display());
    } else {
        println!("synthetic journal: built now ({})", cached.display());
    }

    // Scratch copies for this run, so the cache is never written to: the journal the API
    // uses, an encrypted copy for the core's SQL run here, one for the CLI, and the plain export.
    remove_stale_scratch(&data_dir);
    let scratch = Scratch(data_dir.join(format!("run-{}", std::process::id())));
    let run = scratch.0.clone();
    let _ = fs::remove_dir_all(&run);
    let journal_dir = run.join("journal");
    copy_journal(&cached, &journal_dir);
    let key_file = journal_dir.join("journal.key");
    let encrypted_db = run.join("encrypted.db");
    fs::copy(cached.join("journal.db"), &encrypted_db).expect("copy encrypted database");
    let plain_db = run.join("plain.db");
    // The export runs in a child process, so this one has no ATTACH history.
    child(&[
        "--export-plain".as_ref(),
        key_file.as_os_str(),
        encrypted_db.as_os_str(),
        plain_db.as_os_str(),
    ]);

    let pass = Passphrase::new(PASSPHRASE.into());
    let key = KeyFile::read(&key_file)
        .expect("read key file")
        .unlock_with_passphrase(&pass)
        .expect("unlock");
    let base = std::cell::RefCell::new(Baseline::start(&plain_db));
    let ballast = ballast(&plain_db);
    let encrypted = open_raw(&encrypted_db, Some(&key), cfg.memory_security);

    // The dataset, counted on both copies (they must agree).
    let here = counts_of(&encrypted);
    let there: Vec<i64> = base
        .borrow_mut()
        .ask(&["counts"])
        .join("")
        .split(',')
        .map(|n| n.parse().expect("a count"))
        .collect();
    assert_eq!(here, there, "the plain copy differs from the journal");
    println!(
        "dataset: {}",
        COUNTED
            .iter()
            .zip(&here)
            .map(|((name, _), n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Ok(text) = fs::read_to_string(cached.join("bench-dataset.json")) {
        let built: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        println!(
            "generator summary: {} (+{} entries with planted rare words; built in {:.0} s)",
            built["generator"],
            RARE_WORDS.len() * (RARE_WORDS.len() + 1) / 2,
            built["build_seconds"].as_f64().unwrap_or(0.0)
        );
    }
    let pragma_text = |sql: &str| -> String {
        encrypted
            .query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap_or_default()
    };
    let sqlite = base.borrow_mut().ask(&["info"]).join("");
    println!(
        "SQLite {sqlite}, SQLCipher {} ({}); journal.db {:.1} MiB encrypted, plain copy {:.1} MiB",
        pragma_text("PRAGMA cipher_version"),
        pragma_text("PRAGMA cipher_provider"),
        file_mib(&encrypted_db),
        file_mib(&plain_db)
    );
    println!(
        "cipher_memory_security: {} (BENCH_MEMORY_SECURITY=1 turns it on in this process to \
         measure what it costs; the core leaves it off, docs/decisions.md)",
        if cfg.memory_security {
            "ON"
        } else {
            "off, as in the core"
        }
    );
    println!(
        "plain copy: {} — synthetic data only, deleted at the end of this run",
        plain_db.display()
    );
    println!(
        "method: median and p95 per figure over interleaved rounds after a warm-up (~{:.0} s a figure); \
         budgets are judged on the median, search on its p95 over its word set",
        cfg.per_figure.as_secs_f64()
    );
    if cfg.plans {
        println!();
        for line in base.borrow_mut().ask(&["plans"]) {
            println!("{line}");
        }
        println!();
        for line in plan_lines("encrypted copy", &encrypted) {
            println!("{line}");
        }
    }
    let people_ids: Vec<Uuid> = {
        let mut stmt = encrypted
            .prepare("SELECT id FROM people WHERE deleted_at IS NULL ORDER BY name")
            .expect("people");
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("people")
            .map(|r| Uuid::parse_str(&r.expect("id")).expect("uuid"))
            .collect();
        ids
    };
    if cfg.profile {
        let person = people_ids[0].to_string();
        println!();
        for line in base.borrow_mut().ask(&["profile", &person]) {
            println!("{line}");
        }
        println!();
        for line in profile_lines("encrypted copy", &encrypted, &person) {
            println!("{line}");
        }
    }

    let now = now();
    let mut figures = Vec::new();
    let quick = Plan {
        warmup: 5,
        min_rounds: 30,
        max_rounds: 2000,
        target: cfg.per_figure,
    };
    let heavy = Plan {
        warmup: 2,
        min_rounds: 11,
        max_rounds: 2000,
        target: cfg.per_figure,
    };
    let slow = Plan {
        warmup: 1,
        min_rounds: 3,
        max_rounds: 5,
        target: cfg.per_figure,
    };
    let remote = |request: &[&str]| base.borrow_mut().time(request).0;
    let median_budget = |ms: f64| Some((ms, Stat::Median));

    // --- Open after key derivation. Nothing else holds the journal while this runs.
    if selected("open") {
        eprintln!("measuring: open");
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|_| {
                timed(|| {
                    KeyFile::read(&key_file)
                        .expect("key file")
                        .unlock_with_passphrase(&pass)
                        .expect("unlock")
                })
            }),
            Box::new(|_| {
                let start = Instant::now();
                let j = Journal::open(&journal_dir, &pass).expect("open");
                let took = start.elapsed();
                drop(j);
                took
            }),
            Box::new(|_| open_sequence(&encrypted_db, Some(&key), cfg.memory_security)),
            Box::new(|_| remote(&["open"])),
        ];
        let samples = measure(
            "open",
            &Plan {
                warmup: 1,
                min_rounds: 21,
                max_rounds: 60,
                target: cfg.per_figure * 3,
            },
            &mut probes,
        );
        // Key derivation and open ran back to back in each round: subtract pairwise.
        let paired: Vec<Duration> = samples[1]
            .iter()
            .zip(&samples[0])
            .map(|(open, kdf)| open.saturating_sub(*kdf))
            .collect();
        figures.push(figure(
            "open after key derivation",
            &[paired, samples[2].clone(), samples[3].clone()],
            median_budget(50.0),
            true,
        ));
        figures.push(figure(
            "key derivation (Argon2id m=64 MiB t=3 p=1)",
            &[samples[0].clone()],
            None,
            false,
        ));
    }

    let mut journal = Journal::open(&journal_dir, &pass).expect("open journal");

    if selected("today") {
        eprintln!("measuring: today");
        let j = &journal;
        let e = &encrypted;
        let t = j.today(now).expect("today");
        eprintln!(
            "  today: {} drafts, {} overdue, {} commitments due, {} slipping",
            t.drafts.len(),
            t.overdue.len(),
            t.commitments_due.len(),
            t.slipping.len()
        );
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(move |_| timed(|| j.today(now).expect("today"))),
            Box::new(move |_| timed(|| today_sql(e))),
            Box::new(|_| remote(&["today"])),
        ];
        let s = measure("today", &heavy, &mut probes);
        figures.push(figure("Today screen data", &s, median_budget(20.0), true));
    }

    if selected("timeline") {
        eprintln!("measuring: timeline");
        let j = &journal;
        let e = &encrypted;
        let filter = TimelineFilter {
            limit: Some(50),
            ..TimelineFilter::default()
        };
        let n_api = j.timeline(&filter).expect("timeline").len();
        let n_sql = base.borrow_mut().time(&["timeline"]).1;
        assert_eq!(n_api, n_sql, "timeline: the API and its SQL disagree");
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|_| timed(|| j.timeline(&filter).expect("timeline"))),
            Box::new(move |_| timed(|| timeline_sql(e, 50))),
            Box::new(|_| remote(&["timeline"])),
        ];
        let s = measure("timeline", &quick, &mut probes);
        figures.push(figure(
            "timeline page, newest 50",
            &s,
            median_budget(5.0),
            true,
        ));

        let ids = &people_ids;
        let texts: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let texts = &texts;
        let of = |r: usize| TimelineFilter {
            person: Some(ids[r % ids.len()]),
            limit: Some(50),
            ..TimelineFilter::default()
        };
        let n_api = j.timeline(&of(0)).expect("timeline").len();
        let n_sql = base.borrow_mut().time(&["timeline_person", &texts[0]]).1;
        assert_eq!(
            n_api, n_sql,
            "timeline by person: the API and its SQL disagree"
        );
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|r| timed(|| j.timeline(&of(r)).expect("timeline"))),
            Box::new(move |r| timed(|| timeline_person_sql(e, &texts[r % texts.len()], 50))),
            Box::new(|r| remote(&["timeline_person", &texts[r % texts.len()]])),
        ];
        let s = measure("timeline by person", &quick, &mut probes);
        figures.push(figure(
            "timeline page, one person's newest 50",
            &s,
            median_budget(5.0),
            true,
        ));
    }

    let mut per_word = Vec::new();
    if selected("search") {
        let common: Vec<&str> = SEARCH_WORDS
            .iter()
            .copied()
            .filter(|w| !RARE_WORDS.contains(w))
            .collect();
        for (label, words) in [
            ("full-text search, rare words (p95)", RARE_WORDS.to_vec()),
            ("full-text search, common words (p95)", common),
        ] {
            eprintln!("measuring: {label}");
            let j = &journal;
            let e = &encrypted;
            let n = words.len();
            let words = &words;
            let mut matches = Vec::new();
            for w in words {
                let n_api = j.search(w, SearchMode::Plain, 50).expect("search").len();
                let n_sql = base.borrow_mut().time(&["search", w]).1;
                assert_eq!(n_api, n_sql, "search {w:?}: the API and its SQL disagree");
                let all: i64 = e
                    .query_row(
                        "SELECT count(*) FROM search WHERE search MATCH ?1",
                        [plain_query(w).expect("query")],
                        |r| r.get(0),
                    )
                    .expect("count matches");
                matches.push(all);
            }
            let mut probes: Vec<Probe<'_>> = vec![
                Box::new(move |r| {
                    timed(|| {
                        j.search(words[r % n], SearchMode::Plain, 50)
                            .expect("search")
                    })
                }),
                Box::new(move |r| timed(|| search_sql(e, words[r % n]))),
                Box::new(|r| remote(&["search", words[r % n]])),
            ];
            let s = measure(
                label,
                &Plan {
                    warmup: n,
                    min_rounds: n * 5,
                    max_rounds: n * 500,
                    target: cfg.per_figure,
                },
                &mut probes,
            );
            for (w, word) in words.iter().enumerate() {
                let of = |k: usize| -> Stats {
                    let samples: Vec<Duration> = s[k]
                        .iter()
                        .enumerate()
                        .filter(|(r, _)| r % n == w)
                        .map(|(_, d)| *d)
                        .collect();
                    stats(&samples)
                };
                per_word.push((*word, matches[w], [of(0), of(1), of(2)]));
            }
            figures.push(figure(label, &s, Some((10.0, Stat::P95)), true));
        }
    }

    if selected("balance") {
        eprintln!("measuring: person balance");
        let j = &journal;
        let e = &encrypted;
        let ids = &people_ids;
        let texts: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let texts = &texts;
        // The app shows Today (or the overview) before any person: the digest is there.
        j.overview(now).expect("overview");
        let report = j
            .balance(&Scope::Person { id: ids[0] }, now)
            .expect("balance");
        eprintln!(
            "  balance of the first person: {} events",
            report.events.len()
        );
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(move |r| {
                timed(|| {
                    j.balance(
                        &Scope::Person {
                            id: ids[r % ids.len()],
                        },
                        now,
                    )
                    .expect("balance")
                })
            }),
            Box::new(move |r| timed(|| balance_sql(e, &texts[r % texts.len()]))),
            Box::new(|r| remote(&["balance", &texts[r % texts.len()]])),
        ];
        let s = measure("balance", &quick, &mut probes);
        figures.push(figure(
            "person balance + explanation",
            &s,
            median_budget(5.0),
            true,
        ));
    }

    if selected("overview") {
        eprintln!("measuring: overview");
        let j = &journal;
        let e = &encrypted;
        eprintln!(
            "  overview: {} people",
            j.overview(now).expect("overview").len()
        );
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(move |_| timed(|| j.overview(now).expect("overview"))),
            Box::new(move |_| timed(|| overview_sql(e))),
            Box::new(|_| remote(&["overview"])),
        ];
        let s = measure("overview", &heavy, &mut probes);
        figures.push(figure(
            "team overview, 200 people",
            &s,
            median_budget(20.0),
            true,
        ));
    }

    // The first Today and overview after a write that is not a capture: the write marks the
    // people whose rows it changed, whose part of the digest is read again. The write here
    // trashes a one-on-one and restores it (untimed); its one participant is read again.
    let single: Vec<(Uuid, String)> = {
        let mut stmt = encrypted
            .prepare(
                "SELECT touchpoint_id, min(person_id) FROM participants
                 GROUP BY touchpoint_id HAVING count(*) = 1 LIMIT 200",
            )
            .expect("one-person touchpoints");
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .expect("one-person touchpoints");
        rows.map(|r| {
            let (t, p) = r.expect("row");
            (Uuid::parse_str(&t).expect("uuid"), p)
        })
        .collect()
    };
    for (name, label, request) in [
        ("today", "Today, first after a write", "today_stale"),
        (
            "overview",
            "team overview, first after a write",
            "overview_stale",
        ),
    ] {
        if !selected(name) {
            continue;
        }
        eprintln!("measuring: {label}");
        let e = &encrypted;
        let single = &single;
        let j = std::cell::RefCell::new(&mut journal);
        j.borrow().overview(now).expect("overview");
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|r| {
                let mut j = j.borrow_mut();
                let (t, _) = &single[r % single.len()];
                j.trash_touchpoint(*t, now).expect("trash");
                j.restore_touchpoint(*t).expect("restore");
                if name == "today" {
                    timed(|| j.today(now).expect("today"))
                } else {
                    timed(|| j.overview(now).expect("overview"))
                }
            }),
            Box::new(move |r| {
                let (_, p) = &single[r % single.len()];
                timed(|| {
                    if name == "today" {
                        today_sql(e) + stale_sql(e, p)
                    } else {
                        overview_sql(e) + stale_sql(e, p)
                    }
                })
            }),
            Box::new(|r| remote(&[request, &single[r % single.len()].1])),
        ];
        let s = measure(label, &heavy, &mut probes);
        figures.push(figure(label, &s, median_budget(20.0), true));
    }

    // Encrypted export (a bundle to a key) and its import into an empty journal.
    if selected("export") || selected("import") {
        eprintln!("measuring: encrypted export and import");
        let template = run.join("import-template");
        let target_key = {
            let (j, _code) = Journal::init(&template, &pass).expect("init the import journal");
            j.public_key().expect("public key")
        };
        let bundle = run.join("export.tpbundle");
        let encryption = Encryption::Recipients(vec![target_key]);
        let j = &journal;
        let export_once = || {
            let _ = fs::remove_file(&bundle);
            timed(|| {
                exchange::export(
                    j,
                    &ExportOptions::default(),
                    ExportFormat::Bundle,
                    Some(&encryption),
                    &bundle,
                    &mut |_| ControlFlow::Continue(()),
                )
                .expect("export")
            })
        };
        let mut probes: Vec<Probe<'_>> = vec![Box::new(|_| export_once())];
        let s = measure("export", &slow, &mut probes);
        figures.push(figure(
            "encrypted export (age bundle, everything)",
            &s,
            median_budget(3000.0),
            true,
        ));
        if !bundle.exists() {
            export_once();
        }
        let bytes = fs::read(&bundle).expect("read the bundle");
        eprintln!(
            "  bundle: {:.1} MiB",
            bytes.len() as f64 / (1024.0 * 1024.0)
        );
        let mut probes: Vec<Probe<'_>> = vec![Box::new(|r| {
            let dir = run.join(format!("import-{r}"));
            copy_journal(&template, &dir);
            let mut target = Journal::open(&dir, &pass).expect("open the import journal");
            // What `touchpoint import` does with a bundle: decrypt with the journal's key,
            // check, merge in one transaction.
            let took = timed(|| {
                let doc = exchange::open_bundle(&bytes, exchange::Unlock::Identity(&target))
                    .expect("open the bundle");
                target
                    .import_document(&doc, &mut |_| ControlFlow::Continue(()))
                    .expect("import")
            });
            drop(target);
            let _ = fs::remove_dir_all(&dir);
            took
        })];
        let s = measure("import", &slow, &mut probes);
        figures.push(figure(
            "import of that bundle into an empty journal",
            &s,
            median_budget(5000.0),
            false,
        ));
        let _ = fs::remove_file(&bundle);
    }

    // These add entries: last.
    if selected("today") {
        let label = "Today, after capturing a touchpoint with reflection";
        eprintln!("measuring: {label}");
        let person = people_ids[0];
        let person_text = person.to_string();
        let name: String = encrypted
            .query_row(
                "SELECT name FROM people WHERE id = ?1",
                [&person_text],
                |r| r.get(0),
            )
            .expect("name");
        let e = &encrypted;
        let (pt, nm) = (&person_text, &name);
        let j = std::cell::RefCell::new(&mut journal);
        let mut n_api = 50_000;
        let mut n_sql = 50_000;
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|_| {
                let mut j = j.borrow_mut();
                n_api += 1;
                insert_api(&mut j, person, n_api);
                timed(|| j.today(now).expect("today"))
            }),
            Box::new(move |_| {
                n_sql += 1;
                insert_sql(e, pt, nm, n_sql);
                timed(|| today_sql(e))
            }),
            Box::new(|r| remote(&["today_after_insert", pt, nm, &(r + 150_000).to_string()])),
        ];
        let s = measure(label, &heavy, &mut probes);
        figures.push(figure(label, &s, median_budget(20.0), true));
    }

    if selected("insert") {
        // The floor of any durable commit on this disk: one 4 KiB write made durable.
        let probe_file = run.join("fsync-probe");
        let mut file = fs::File::create(&probe_file).expect("fsync probe");
        let page = [0x5a_u8; 4096];
        let mut probes: Vec<Probe<'_>> = vec![Box::new(|_| {
            use std::io::Write;
            timed(|| {
                file.write_all(&page).expect("write");
                file.sync_data().expect("fdatasync")
            })
        })];
        let s = measure("fsync", &quick, &mut probes);
        drop(probes);
        drop(file);
        let _ = fs::remove_file(&probe_file);
        figures.push(figure(
            "(floor) one 4 KiB write + fdatasync on this disk",
            &s,
            None,
            false,
        ));
    }

    if selected("insert") {
        eprintln!("measuring: durable insert");
        let person = people_ids[0];
        let person_text = person.to_string();
        let name: String = encrypted
            .query_row(
                "SELECT name FROM people WHERE id = ?1",
                [&person_text],
                |r| r.get(0),
            )
            .expect("name");
        let e = &encrypted;
        let (pt, nm) = (&person_text, &name);
        let j = &mut journal;
        let mut n_api = 0;
        let mut n_sql = 0;
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(move |_| {
                n_api += 1;
                timed(|| insert_api(j, person, n_api))
            }),
            Box::new(move |_| {
                n_sql += 1;
                timed(|| insert_sql(e, pt, nm, n_sql))
            }),
            Box::new(|r| remote(&["insert", pt, nm, &(r + 100_000).to_string()])),
        ];
        let s = measure("insert", &quick, &mut probes);
        figures.push(figure(
            "durable insert of a touchpoint with reflection",
            &s,
            median_budget(5.0),
            false,
        ));
    }
    // The first Today after opening: the whole digest is read (as before any Today since the
    // app started). The journal is reopened each round, untimed (the key derivation).
    if selected("today") || selected("overview") {
        let label = "Today, first after opening";
        eprintln!("measuring: {label}");
        let e = &encrypted;
        let slot = std::cell::RefCell::new(Some(journal));
        let (dir, pass) = (&journal_dir, &pass);
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|_| {
                let mut slot = slot.borrow_mut();
                drop(slot.take());
                let j = slot.insert(Journal::open(dir, pass).expect("reopen"));
                timed(|| j.today(now).expect("today"))
            }),
            Box::new(move |_| timed(|| today_sql(e) + digest_sql(e))),
            Box::new(|_| remote(&["today_cold"])),
        ];
        let s = measure(label, &slow, &mut probes);
        figures.push(figure(label, &s, median_budget(20.0), true));
        drop(probes);
        journal = slot.into_inner().expect("the journal");
    }

    // A person's balance before any digest was read: their events come from the database.
    if selected("balance") {
        eprintln!("measuring: person balance, no digest yet");
        let ids = &people_ids;
        let texts: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let texts = &texts;
        let e = &encrypted;
        drop(journal);
        let j = Journal::open(&journal_dir, &pass).expect("reopen");
        let j = &j;
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(move |r| {
                let id = ids[r % ids.len()];
                timed(|| j.balance(&Scope::Person { id }, now).expect("balance"))
            }),
            Box::new(move |r| timed(|| balance_cold_sql(e, &texts[r % texts.len()]))),
            Box::new(|r| remote(&["balance_cold", &texts[r % texts.len()]])),
        ];
        let s = measure("balance, no digest", &quick, &mut probes);
        figures.push(figure(
            "person balance + explanation, no digest yet",
            &s,
            median_budget(5.0),
            true,
        ));
    } else {
        drop(journal);
    }

    // The peer: whole processes on a copy of their own.
    let mut peer_figures = Vec::new();
    if cfg.peer && selected("peer") {
        eprintln!("measuring: the touchpoint CLI against jrnl");
        let cli = target_dir().join("release/touchpoint");
        if !cli.exists() {
            println!(
                "peer: skipped, no release CLI at {} (make bench builds it: cargo build \
                 --release -p touchpoint-cli)",
                cli.display()
            );
        } else {
            match prepare_peer(&data_dir, &cached, &run, &plain_db) {
                Err(e) => println!("peer: skipped, jrnl is not available: {e}"),
                Ok(peer) => {
                    let cli_journal = run.join("cli-journal");
                    copy_journal(&cached, &cli_journal);
                    let session_journal = run.join("cli-session-journal");
                    copy_journal(&cached, &session_journal);
                    let entries = fs::read_to_string(peer.home.join("entries")).unwrap_or_default();
                    println!(
                        "peer: jrnl {JRNL_VERSION} (PyPI, venv {}), {entries} entries encrypted \
                         (jrnl v3 format: Fernet, PBKDF2-SHA256 100,000 rounds); CLI {}",
                        peer.venv.display(),
                        cli.display()
                    );
                    peer_figures =
                        measure_peer(&cfg, &cli, [&cli_journal, &session_journal], &peer, &run);
                }
            }
        }
    }

    report(&figures, &per_word, &peer_figures);
    println!("load average {} at end", load_average());

    drop(base);
    drop(encrypted);
    drop(ballast);
    drop(key);
    drop(scratch);
    println!(
        "scratch copies deleted (plain copy included): {}",
        run.display()
    );
    let budgeted: Vec<&Figure> = figures.iter().filter(|f| f.budget.is_some()).collect();
    let met = budgeted
        .iter()
        .filter(|f| f.meets_budget() == Some(true))
        .count();
    let reads: Vec<f64> = figures
        .iter()
        .filter(|f| f.read)
        .filter_map(Figure::encryption_ratio)
        .collect();
    let overhead_ok = reads.iter().filter(|r| **r <= 1.25).count();
    let goal: Vec<f64> = figures.iter().filter_map(Figure::app_ratio).collect();
    let goal_ok = goal.iter().filter(|r| **r <= 2.0).count();
    let compared: Vec<&PeerFigure> = peer_figures.iter().filter(|p| p.jrnl.is_some()).collect();
    let peer_ok = compared
        .iter()
        .filter(|p| {
            p.jrnl
                .as_ref()
                .is_some_and(|j| ratio(j.median, p.touchpoint.median) >= 15.0)
        })
        .count();
    println!(
        "SUMMARY: budgets met {met} of {}; encryption overhead <= 1.25x on {overhead_ok} of {} reads; \
         within 2x of plain SQL (real goal) {goal_ok} of {}; at least 15x faster than jrnl {peer_ok} of {}",
        budgeted.len(),
        reads.len(),
        goal.len(),
        compared.len()
    );
}

/// A search word with its match count and the stats of its three probes.
type WordStats<'a> = (&'a str, i64, [Stats; 3]);

fn fmt_opt(s: Option<Stats>) -> String {
    s.map_or_else(|| "—".into(), |s| fmt_stats(&s))
}

/// Prints the tables.
fn report(figures: &[Figure], per_word: &[WordStats<'_>], peer: &[PeerFigure]) {
    println!();
    println!("Budgets (DESIGN.md section 9). Median / p95. \"touchpoint\" is the core's API on the encrypted");
    println!("journal; the baseline runs the same SQL text the core runs, on a plain SQLite copy of the same");
    println!(
        "data in a process of its own. ratio = touchpoint / baseline (on the statistic the budget"
    );
    println!("judges); the real goal is at most 2x. Export and import have no SQL twin (mostly Rust and age).");
    let rows: Vec<Vec<String>> = figures
        .iter()
        .map(|f| {
            vec![
                f.operation.clone(),
                fmt_stats(&f.api),
                fmt_opt(f.sql_plain),
                f.app_ratio()
                    .map_or_else(|| "—".into(), |r| format!("{r:.2}x")),
                f.budget.map_or_else(
                    || "—".into(),
                    |(limit, by)| {
                        format!(
                            "< {limit} ms{}",
                            if by == Stat::P95 { " (p95)" } else { "" }
                        )
                    },
                ),
                f.meets_budget()
                    .map_or_else(|| "—".into(), |ok| verdict(ok).to_string()),
            ]
        })
        .collect();
    print_table(
        &[
            "operation",
            "touchpoint (encrypted)",
            "baseline: plain SQLite, same SQL",
            "ratio",
            "budget",
            "verdict",
        ],
        &rows,
    );

    println!();
    println!("Encryption overhead: the same SQL text, median / p95, on a raw SQLCipher connection with the");
    println!("core's key and pragmas, and on the plain copy. \"API - SQL\" is the Rust side (row mapping,");
    println!("JSON and date parsing, the balance computation).");
    let rows: Vec<Vec<String>> = figures
        .iter()
        .filter(|f| f.sql_encrypted.is_some())
        .map(|f| {
            let enc = f.sql_encrypted.expect("filtered");
            let ratio = f.encryption_ratio().unwrap_or(0.0);
            vec![
                f.operation.clone(),
                fmt_stats(&enc),
                fmt_opt(f.sql_plain),
                format!("{ratio:.2}x"),
                if f.read {
                    verdict(ratio <= 1.25).to_string()
                } else {
                    "n/a (write)".to_string()
                },
                format!("{:+.3} ms", ms(f.api.median) - ms(enc.median)),
                f.api.n.to_string(),
            ]
        })
        .collect();
    print_table(
        &[
            "same SQL",
            "encrypted",
            "plain",
            "encrypted/plain",
            "≤ 1.25x",
            "API - SQL",
            "rounds",
        ],
        &rows,
    );

    if !per_word.is_empty() {
        println!();
        println!(
            "Search by word (median / p95; matches = rows the FTS5 MATCH finds before LIMIT 50):"
        );
        let rows: Vec<Vec<String>> = per_word
            .iter()
            .map(|(w, matches, s)| {
                vec![
                    format!("{w:?}"),
                    matches.to_string(),
                    fmt_stats(&s[0]),
                    fmt_stats(&s[1]),
                    fmt_stats(&s[2]),
                    format!("{:.2}x", ratio(s[0].median, s[2].median)),
                ]
            })
            .collect();
        print_table(
            &[
                "words",
                "matches",
                "touchpoint",
                "SQL, encrypted",
                "SQL, plain",
                "ratio",
            ],
            &rows,
        );
    }

    if !peer.is_empty() {
        println!();
        println!("The peer: whole processes on the same entries, all encrypted. \"passphrase\": every command");
        println!("derives its key from the passphrase (Argon2id, as without a session); \"session\": inside");
        println!("`touchpoint unlock`, no derivation; jrnl derives its key on every command. Median / p95 of");
        println!("wall time. DESIGN wants each command at least 15x faster than jrnl; issue 15 wants, with a");
        println!("session, at least 50x for list, search and balance, and `today` under 50 ms.");
        let rows: Vec<Vec<String>> = peer
            .iter()
            .map(|p| {
                let versus = |t: &Stats| {
                    p.jrnl
                        .as_ref()
                        .map_or("no jrnl equivalent".to_string(), |j| {
                            let r = ratio(t.median, j.median);
                            format!("{:.1}x faster", 1.0 / r.max(1e-9))
                        })
                };
                // Issue 15's goals with a session: `today` under 50 ms, and the reads jrnl
                // also has (search, newest 50) at least 50x faster; none for the rest.
                let session_goal = match (&p.session, &p.jrnl, p.operation) {
                    (Some(s), _, "today") => {
                        verdict(s.median <= Duration::from_millis(50)).to_string()
                    }
                    (Some(s), Some(j), "search a rare word" | "newest 50") => {
                        verdict(ratio(s.median, j.median) <= 1.0 / 50.0).to_string()
                    }
                    _ => "—".to_string(),
                };
                vec![
                    p.operation.to_string(),
                    fmt_stats(&p.touchpoint),
                    versus(&p.touchpoint),
                    p.session.as_ref().map_or("—".into(), fmt_stats),
                    p.session.as_ref().map_or("—".into(), versus),
                    session_goal,
                    p.jrnl.as_ref().map_or("—".into(), fmt_stats),
                    p.touchpoint.n.to_string(),
                ]
            })
            .collect();
        print_table(
            &[
                "operation",
                "passphrase",
                "vs jrnl",
                "session",
                "vs jrnl",
                "session goal",
                "jrnl",
                "rounds",
            ],
            &rows,
        );
    }

    println!();
    println!("Not measured here: app launch, memory and .deb size (make bench-app).");
}
