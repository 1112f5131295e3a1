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

/// `Journal::timeline` with no filter (`from` = `touchpoints t`).
const TIMELINE_SQL: &str = "SELECT t.id, t.kind, t.occurred_at, t.title, t.tags, t.state, t.private, t.occurred_ms,
               (SELECT json_group_array(json_array(p.id, p.name)) FROM
                  (SELECT person_id, position FROM participants WHERE touchpoint_id = t.id ORDER BY position) x
                  JOIN people p ON p.id = x.person_id),
               (SELECT count(*) FROM reflections r WHERE r.touchpoint_id = t.id)
             FROM touchpoints t
             WHERE t.deleted_at IS NULL
               AND (t.occurred_ms < :after_ms OR (t.occurred_ms = :after_ms AND t.id < :after_id))
               AND (:kind IS NULL OR t.kind = :kind)
               AND (:state IS NULL OR t.state = :state)
               AND (:since IS NULL OR t.occurred_ms >= :since)
               AND (:until IS NULL OR t.occurred_ms < :until)
               AND (:tag IS NULL OR EXISTS (SELECT 1 FROM touchpoint_tags g WHERE g.touchpoint_id = t.id AND g.tag = :tag))
             ORDER BY t.occurred_ms DESC, t.id DESC
             LIMIT :limit";

/// `Journal::search`.
const SEARCH_SQL: &str = "SELECT s.rowid % 4, s.touchpoint_id, t.title, t.kind, t.occurred_at,
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
             ORDER BY rank
             LIMIT ?2";

/// `person_events`, reflections.
const REFLECTION_EVENTS_SQL: &str = "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability, r.adversarial, t.title
             FROM reflections r JOIN touchpoints t ON t.id = r.touchpoint_id
             JOIN people p ON p.id = r.person_id
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND (?1 IS NULL OR r.person_id = ?1)";

/// `person_events`, resolved commitments.
const COMMITMENT_EVENTS_SQL: &str =
    "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM commitments c JOIN people p ON p.id = c.person_id
             WHERE c.status <> 'open' AND c.resolved_at IS NOT NULL AND p.deleted_at IS NULL
               AND (?1 IS NULL OR c.person_id = ?1)";

/// `Journal::overview`, the per-person facts.
const OVERVIEW_FACTS_SQL: &str = "SELECT pp.person_id,
                    (SELECT json_group_array(t2.occurred_at) FROM participants p2
                       JOIN touchpoints t2 ON t2.id = p2.touchpoint_id
                     WHERE p2.person_id = pp.person_id AND t2.kind = 'one_on_one'
                       AND t2.state = 'logged' AND t2.deleted_at IS NULL
                       AND (p2.occurred_ms >= ?1 OR p2.occurred_ms = (
                          SELECT max(p3.occurred_ms) FROM participants p3 JOIN touchpoints t3
                            ON t3.id = p3.touchpoint_id
                          WHERE p3.person_id = pp.person_id AND t3.kind = 'one_on_one'
                            AND t3.state = 'logged' AND t3.deleted_at IS NULL))),
                    count(*),
                    count(r.id),
                    (SELECT t4.occurred_at FROM touchpoints t4 WHERE t4.id = (
                       SELECT p5.touchpoint_id FROM participants p5 JOIN touchpoints t5
                         ON t5.id = p5.touchpoint_id AND t5.deleted_at IS NULL
                       WHERE p5.person_id = pp.person_id ORDER BY p5.occurred_ms DESC LIMIT 1))
             FROM participants pp JOIN touchpoints t ON t.id = pp.touchpoint_id AND t.deleted_at IS NULL
             LEFT JOIN reflections r ON r.touchpoint_id = pp.touchpoint_id AND r.person_id = pp.person_id
             WHERE ?2 IS NULL OR pp.person_id = ?2
             GROUP BY pp.person_id";

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

/// `Journal::commitments`.
const COMMITMENTS_SQL: &str =
    "SELECT id, person_id, touchpoint_id, what, due, status, created_at, resolved_at FROM commitments c
             WHERE (?1 IS NULL OR person_id = ?1) AND (NOT ?2 OR status = 'open')
               AND EXISTS (SELECT 1 FROM people p WHERE p.id = c.person_id AND p.deleted_at IS NULL)
             ORDER BY status <> 'open', due IS NULL, due, created_at";

/// `Journal::touchpoint` (read back by `reflect`).
const TOUCHPOINT_SQL: &str = "SELECT t.id, t.kind, t.occurred_at, t.duration_minutes, t.title,
    (SELECT json_group_array(person_id) FROM (SELECT person_id FROM participants
       WHERE touchpoint_id = t.id ORDER BY position)),
    t.team, t.affected_groups, t.notes, t.tags, t.private, t.source, t.state, t.created_at FROM touchpoints t WHERE t.id = ?1 AND t.deleted_at IS NULL";

/// `Journal::reflection` (read back by `reflect`).
const REFLECTION_SQL: &str = "SELECT id, touchpoint_id, person_id, answers, their_side, willingness,
    ability, adversarial, would_have_helped, next_time, created_at FROM reflections WHERE touchpoint_id = ?1 AND person_id = ?2";

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
         PRAGMA busy_timeout = 2000;";

/// `settings::load`.
const SETTINGS_SQL: &str = "SELECT value FROM meta WHERE key = ?1";

/// `purge_trash`.
const PURGE_TOUCHPOINTS_SQL: &str =
    "DELETE FROM touchpoints WHERE deleted_at IS NOT NULL AND deleted_at <= ?1";
const PURGE_PEOPLE_SQL: &str =
    "SELECT id FROM people WHERE deleted_at IS NOT NULL AND deleted_at <= ?1";

/// The copied statements with a name, for `BENCH_PLANS=1`.
const PLANNED: [(&str, &str); 10] = [
    ("timeline", TIMELINE_SQL),
    ("search", SEARCH_SQL),
    ("person_events: reflections", REFLECTION_EVENTS_SQL),
    ("person_events: commitments", COMMITMENT_EVENTS_SQL),
    ("overview facts", OVERVIEW_FACTS_SQL),
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

fn timeline_sql(conn: &Connection, state: Option<&str>, limit: u32) -> usize {
    let none: Option<i64> = None;
    let no_text: Option<String> = None;
    let params: [(&str, &dyn ToSql); 8] = [
        (":after_ms", &i64::MAX),
        (":after_id", &""),
        (":kind", &no_text),
        (":state", &state),
        (":since", &none),
        (":until", &none),
        (":tag", &no_text),
        (":limit", &limit),
    ];
    drain(conn, TIMELINE_SQL, params.as_slice())
}

fn person_events_sql(conn: &Connection, person: Option<&str>) -> usize {
    drain(conn, REFLECTION_EVENTS_SQL, [&person]) + drain(conn, COMMITMENT_EVENTS_SQL, [&person])
}

fn overview_sql(conn: &Connection, now: DateTime<Utc>) -> usize {
    let since_90 = (now - chrono::Duration::days(90)).timestamp_millis();
    let only: Option<String> = None;
    drain(conn, PEOPLE_SQL, [false])
        + person_events_sql(conn, None)
        + drain(conn, OVERVIEW_FACTS_SQL, rusqlite::params![since_90, only])
}

fn today_sql(conn: &Connection, now: DateTime<Utc>) -> usize {
    let none: Option<String> = None;
    timeline_sql(conn, Some("draft"), 100)
        + overview_sql(conn, now)
        + drain(conn, PEOPLE_SQL, [true])
        + drain(conn, COMMITMENTS_SQL, rusqlite::params![none, true])
}

fn balance_sql(conn: &Connection, person: &str) -> usize {
    drain(conn, PERSON_SQL, [person]) + person_events_sql(conn, Some(person))
}

fn search_sql(conn: &Connection, words: &str) -> usize {
    let fts = plain_query(words).expect("a searchable word");
    drain(conn, SEARCH_SQL, rusqlite::params![fts, 50])
}

/// A write through the statement cache, as the core's `exec`.
fn exec(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// The statements of `add_touchpoint` followed by `reflect`, in their two transactions.
fn insert_sql(conn: &Connection, person: &str, person_name: &str, n: usize) {
    let at = (anchor() - chrono::Duration::minutes(n as i64)).fixed_offset();
    let ms = at.timestamp_millis();
    let created = Utc::now().fixed_offset().to_rfc3339();
    let id = Uuid::now_v7().to_string();
    // add_touchpoint: the participants' names for the default title, then one transaction.
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
    conn.execute_batch("COMMIT").expect("commit");
    // reflect: read the touchpoint, one transaction, read the reflection back.
    drain(conn, TOUCHPOINT_SQL, [&id]);
    conn.execute_batch("BEGIN").expect("begin");
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
    drain(conn, REFLECTION_SQL, [&id, person]);
}

fn insert_api(journal: &mut Journal, person: Uuid, n: usize) {
    let at = (anchor() - chrono::Duration::minutes(n as i64)).fixed_offset();
    let t = journal
        .add_touchpoint(NewTouchpoint {
            kind: TouchpointKind::OneOnOne,
            occurred_at: Some(at),
            duration_minutes: Some(30),
            title: String::new(),
            participants: vec![person],
            team: None,
            affected_groups: Vec::new(),
            notes: format!("Bench insert {n}: we talked about the roadmap and the hiring plan."),
            tags: Vec::new(),
            private: false,
            source: String::new(),
            state: None,
        })
        .expect("add_touchpoint");
    let r = journal
        .reflect(NewReflection {
            touchpoint_id: t.id,
            person_id: person,
            answers: vec![PromptAnswer {
                prompt: "What would they say I did well, and what would they say I missed?".into(),
                answer: "They would say I listened first.".into(),
            }],
            their_side: "My manager actually heard me on the roadmap.".into(),
            willingness: 1,
            ability: 0,
            adversarial: false,
            would_have_helped: String::new(),
            next_time: String::new(),
        })
        .expect("reflect");
    black_box(r);
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
    operation: &'static str,
    /// The touchpoint API on the encrypted journal.
    api: Stats,
    /// The same SQL on a raw encrypted connection, as the app (memory security on).
    sql_encrypted: Stats,
    /// The same SQL on an encrypted copy without memory security (baseline process).
    sql_bare: Stats,
    /// The same SQL on the plain copy (baseline process).
    sql_plain: Stats,
    budget_ms: f64,
    judged_by: Stat,
    /// A read, for the encryption-overhead budget.
    read: bool,
}

impl Figure {
    fn judged(&self) -> Duration {
        match self.judged_by {
            Stat::Median => self.api.median,
            Stat::P95 => self.api.p95,
        }
    }
    fn meets_budget(&self) -> bool {
        ms(self.judged()) < self.budget_ms
    }
    /// App (encrypted, everything included) over plain SQL: the real goal is at most 2x.
    fn app_ratio(&self) -> f64 {
        ratio(self.judged(), self.plain_judged())
    }
    fn plain_judged(&self) -> Duration {
        match self.judged_by {
            Stat::Median => self.sql_plain.median,
            Stat::P95 => self.sql_plain.p95,
        }
    }
    /// Same SQL, encrypted as the app over plain: the encryption overhead, budget 1.25x.
    fn encryption_ratio(&self) -> f64 {
        ratio(self.sql_encrypted.median, self.sql_plain.median)
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

/// Times each copied statement once on `conn` (`BENCH_PROFILE=1`), to see which query costs.
fn profile_lines(label: &str, conn: &Connection, person: &str, now: DateTime<Utc>) -> Vec<String> {
    let since_90 = (now - chrono::Duration::days(90)).timestamp_millis();
    let none: Option<String> = None;
    type Step<'a> = (&'a str, Box<dyn Fn() -> usize + 'a>);
    let steps: Vec<Step<'_>> = vec![
        (
            "timeline newest 50",
            Box::new(|| timeline_sql(conn, None, 50)),
        ),
        (
            "timeline drafts 100",
            Box::new(|| timeline_sql(conn, Some("draft"), 100)),
        ),
        (
            "people(false)",
            Box::new(|| drain(conn, PEOPLE_SQL, [false])),
        ),
        ("people(true)", Box::new(|| drain(conn, PEOPLE_SQL, [true]))),
        ("person", Box::new(|| drain(conn, PERSON_SQL, [person]))),
        (
            "reflection events, all",
            Box::new(|| drain(conn, REFLECTION_EVENTS_SQL, [&none])),
        ),
        (
            "reflection events, one person",
            Box::new(|| drain(conn, REFLECTION_EVENTS_SQL, [person])),
        ),
        (
            "commitment events, all",
            Box::new(|| drain(conn, COMMITMENT_EVENTS_SQL, [&none])),
        ),
        (
            "commitment events, one person",
            Box::new(|| drain(conn, COMMITMENT_EVENTS_SQL, [person])),
        ),
        (
            "overview facts",
            Box::new(|| drain(conn, OVERVIEW_FACTS_SQL, rusqlite::params![since_90, none])),
        ),
        (
            "commitments(None, open)",
            Box::new(|| drain(conn, COMMITMENTS_SQL, rusqlite::params![none, true])),
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
// The baseline process.
//
// `PRAGMA cipher_memory_security = ON` (set by the core) is process-wide in SQLCipher: once
// any connection sets it, every SQLite allocation of every connection is locked in memory and
// wiped on free. A plain SQLite baseline in the same process would pay that too, so the plain
// copy (and, for attribution, an encrypted copy without memory security) are timed in a child
// process that never turns it on. It times each request itself and answers with the time.

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

/// The child's loop (`--baseline KEY_FILE ENCRYPTED_DB PLAIN_DB`): one request a line on
/// stdin, `verb<TAB>plain|encrypted<TAB>arguments`; each answer ends with a line `.`.
fn serve(key_file: &Path, encrypted_db: &Path, plain_db: &Path) {
    use std::io::{BufRead, Write};
    let key = KeyFile::read(key_file)
        .expect("read key file")
        .unlock_with_passphrase(&Passphrase::new(PASSPHRASE.into()))
        .expect("unlock");
    let ballast = ballast(plain_db);
    let plain = open_raw(plain_db, None, false);
    let encrypted = open_raw(encrypted_db, Some(&key), false);
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read a request");
        let f: Vec<&str> = line.split('\t').collect();
        let arg = |i: usize| f.get(i).copied().expect("request argument");
        let (conn, path, k, label) = match f.get(1).copied() {
            Some("encrypted") => (
                &encrypted,
                encrypted_db,
                Some(&key),
                "encrypted copy, memory security off",
            ),
            _ => (&plain, plain_db, None, "plain copy"),
        };
        let reply: Vec<String> = match f[0] {
            "quit" => break,
            "open" => {
                let took = open_sequence(path, k, false);
                vec![format!("{}\t0", took.as_nanos())]
            }
            "today" => timed_rows(|| today_sql(conn, now())),
            "timeline" => timed_rows(|| timeline_sql(conn, None, 50)),
            "search" => timed_rows(|| search_sql(conn, arg(2))),
            "balance" => timed_rows(|| balance_sql(conn, arg(2))),
            "overview" => timed_rows(|| overview_sql(conn, now())),
            "insert" => timed_rows(|| {
                insert_sql(conn, arg(2), arg(3), arg(4).parse().expect("a number"));
                1
            }),
            "counts" => vec![counts_of(conn)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")],
            "info" => {
                let version: String = conn
                    .query_row("SELECT sqlite_version()", [], |r| r.get(0))
                    .expect("version");
                let security: String = encrypted
                    .query_row("PRAGMA cipher_memory_security", [], |r| {
                        r.get::<_, rusqlite::types::Value>(0)
                    })
                    .map(|v| format!("{v:?}"))
                    .unwrap_or_else(|e| e.to_string());
                vec![format!("{version}\t{security}")]
            }
            "plans" => plan_lines(label, conn),
            "profile" => profile_lines(label, conn, arg(2), now()),
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
    fn start(key_file: &Path, encrypted_db: &Path, plain_db: &Path) -> Baseline {
        use std::process::Stdio;
        let mut child = Command::new(std::env::current_exe().expect("the benchmark's own path"))
            .arg("--baseline")
            .args([key_file, encrypted_db, plain_db])
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

fn main() {
    // `cargo bench` passes `--bench`; a filter or `--list` from the harness protocol is ignored.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let cfg = Config::from_env();
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(|a| a == "--prepare-dataset") {
        let data_dir = target_dir().join("bench-data");
        prepare_dataset(&cfg, &fs::canonicalize(&data_dir).unwrap_or(data_dir));
        return;
    }
    if let [flag, key_file, encrypted_db, plain_db] = args.as_slice() {
        let (key_file, encrypted_db, plain_db) = (
            Path::new(key_file),
            Path::new(encrypted_db),
            Path::new(plain_db),
        );
        if flag == "--export-plain" {
            export_plain(key_file, encrypted_db, plain_db);
            return;
        }
        if flag == "--baseline" {
            serve(key_file, encrypted_db, plain_db);
            return;
        }
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
        "machine: {} cores ({}), {}, load average {} at start",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
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
    // uses, an encrypted copy for the core's SQL run here, another one for the baseline
    // process, and the plain export.
    remove_stale_scratch(&data_dir);
    let scratch = Scratch(data_dir.join(format!("run-{}", std::process::id())));
    let run = scratch.0.clone();
    let _ = fs::remove_dir_all(&run);
    let journal_dir = run.join("journal");
    copy_journal(&cached, &journal_dir);
    let key_file = journal_dir.join("journal.key");
    let encrypted_db = run.join("encrypted.db");
    fs::copy(cached.join("journal.db"), &encrypted_db).expect("copy encrypted database");
    let bare_db = run.join("encrypted-bare.db");
    fs::copy(cached.join("journal.db"), &bare_db).expect("copy encrypted database");
    let plain_db = run.join("plain.db");
    // The export runs in a child process too, so this one has no ATTACH history.
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
    let base = std::cell::RefCell::new(Baseline::start(&key_file, &bare_db, &plain_db));
    let ballast = ballast(&plain_db);
    let encrypted = open_raw(&encrypted_db, Some(&key), true);

    // The dataset, counted on every copy (they must agree).
    let here = counts_of(&encrypted);
    for conn in ["plain", "encrypted"] {
        let there = base.borrow_mut().ask(&["counts", conn]).join("");
        let there: Vec<i64> = there
            .split(',')
            .map(|n| n.parse().expect("a count"))
            .collect();
        assert_eq!(here, there, "the {conn} copy differs from the journal");
    }
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
        let renamed = built["renamed_repeated_names"].as_u64().unwrap_or(0);
        if renamed > 0 {
            println!(
                "NOTE: demo::generate repeats names every 32 people; {renamed} repeated names \
                 were renamed after generating (see the WARNING when the data was built)"
            );
        }
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
    let info = base.borrow_mut().ask(&["info", "plain"]).join("");
    let (sqlite, bare_security) = info.split_once('\t').unwrap_or_default();
    println!(
        "SQLite {sqlite}, SQLCipher {} ({}); journal.db {:.1} MiB encrypted, plain copy {:.1} MiB",
        pragma_text("PRAGMA cipher_version"),
        pragma_text("PRAGMA cipher_provider"),
        file_mib(&encrypted_db),
        file_mib(&plain_db)
    );
    println!(
        "cipher_memory_security: on in this process (as the core sets it), {} in the baseline process",
        if bare_security.contains('1') { "ON (unexpected)" } else { "off" }
    );
    println!(
        "plain copy: {} — synthetic data only, deleted at the end of this run",
        plain_db.display()
    );
    println!(
        "method: median and p95 per figure over interleaved rounds after a warm-up (~{:.0} s a figure); \
         budgets are judged on the median, search on its p95 over the word set",
        cfg.per_figure.as_secs_f64()
    );
    if cfg.plans {
        for conn in ["plain", "encrypted"] {
            println!();
            for line in base.borrow_mut().ask(&["plans", conn]) {
                println!("{line}");
            }
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
        for conn in ["plain", "encrypted"] {
            println!();
            for line in base.borrow_mut().ask(&["profile", conn, &person]) {
                println!("{line}");
            }
        }
        println!();
        for line in profile_lines(
            "encrypted copy, memory security on",
            &encrypted,
            &person,
            now(),
        ) {
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
    // The three baselines of a figure: the core's SQL here (encrypted, memory security on, as
    // in the app), then in the baseline process on the encrypted copy without memory security
    // and on the plain copy.
    let figure = |operation: &'static str,
                  s: &[Vec<Duration>],
                  budget_ms: f64,
                  judged_by: Stat,
                  read: bool| Figure {
        operation,
        api: stats(&s[0]),
        sql_encrypted: stats(&s[1]),
        sql_bare: stats(&s[2]),
        sql_plain: stats(&s[3]),
        budget_ms,
        judged_by,
        read,
    };
    let remote = |request: &[&str]| base.borrow_mut().time(request).0;

    // --- Open after key derivation. Nothing else holds the journal while this runs.
    let mut open_info = None;
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
            Box::new(|_| open_sequence(&encrypted_db, Some(&key), true)),
            Box::new(|_| remote(&["open", "encrypted"])),
            Box::new(|_| remote(&["open", "plain"])),
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
        open_info = Some((stats(&samples[1]), stats(&samples[0]), stats(&paired)));
        figures.push(figure(
            "open after key derivation",
            &[
                paired,
                samples[2].clone(),
                samples[3].clone(),
                samples[4].clone(),
            ],
            50.0,
            Stat::Median,
            true,
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
            Box::new(move |_| timed(|| today_sql(e, now))),
            Box::new(|_| remote(&["today", "encrypted"])),
            Box::new(|_| remote(&["today", "plain"])),
        ];
        let s = measure("today", &heavy, &mut probes);
        figures.push(figure("today screen data", &s, 20.0, Stat::Median, true));
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
        let n_sql = base.borrow_mut().time(&["timeline", "plain"]).1;
        assert_eq!(n_api, n_sql, "timeline: the API and its SQL disagree");
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|_| timed(|| j.timeline(&filter).expect("timeline"))),
            Box::new(move |_| timed(|| timeline_sql(e, None, 50))),
            Box::new(|_| remote(&["timeline", "encrypted"])),
            Box::new(|_| remote(&["timeline", "plain"])),
        ];
        let s = measure("timeline", &quick, &mut probes);
        figures.push(figure(
            "timeline page (newest 50)",
            &s,
            5.0,
            Stat::Median,
            true,
        ));
    }

    let mut per_word = Vec::new();
    if selected("search") {
        eprintln!("measuring: search");
        let j = &journal;
        let e = &encrypted;
        let words = SEARCH_WORDS.len();
        let mut matches = Vec::new();
        for w in SEARCH_WORDS {
            let n_api = j.search(w, SearchMode::Plain, 50).expect("search").len();
            let n_sql = base.borrow_mut().time(&["search", "plain", w]).1;
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
                    j.search(SEARCH_WORDS[r % words], SearchMode::Plain, 50)
                        .expect("search")
                })
            }),
            Box::new(move |r| timed(|| search_sql(e, SEARCH_WORDS[r % words]))),
            Box::new(|r| remote(&["search", "encrypted", SEARCH_WORDS[r % words]])),
            Box::new(|r| remote(&["search", "plain", SEARCH_WORDS[r % words]])),
        ];
        let s = measure(
            "search",
            &Plan {
                warmup: words,
                min_rounds: words * 5,
                max_rounds: words * 500,
                target: cfg.per_figure * 2,
            },
            &mut probes,
        );
        for (w, word) in SEARCH_WORDS.iter().enumerate() {
            let of = |k: usize| -> Stats {
                let samples: Vec<Duration> = s[k]
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| r % words == w)
                    .map(|(_, d)| *d)
                    .collect();
                stats(&samples)
            };
            per_word.push((*word, matches[w], [of(0), of(1), of(2), of(3)]));
        }
        figures.push(figure(
            "full-text search (p95 over words)",
            &s,
            10.0,
            Stat::P95,
            true,
        ));
    }

    if selected("balance") {
        eprintln!("measuring: person balance");
        let j = &journal;
        let e = &encrypted;
        let ids = &people_ids;
        let texts: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let texts = &texts;
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
            Box::new(|r| remote(&["balance", "encrypted", &texts[r % texts.len()]])),
            Box::new(|r| remote(&["balance", "plain", &texts[r % texts.len()]])),
        ];
        let s = measure("balance", &quick, &mut probes);
        figures.push(figure(
            "person balance + explanation",
            &s,
            5.0,
            Stat::Median,
            true,
        ));
    }

    if selected("overview") {
        eprintln!("measuring: overview");
        let j = &journal;
        let e = &encrypted;
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(move |_| timed(|| j.overview(now).expect("overview"))),
            Box::new(move |_| timed(|| overview_sql(e, now))),
            Box::new(|_| remote(&["overview", "encrypted"])),
            Box::new(|_| remote(&["overview", "plain"])),
        ];
        let s = measure("overview", &heavy, &mut probes);
        figures.push(figure("team overview", &s, 20.0, Stat::Median, true));
    }

    // Last: it adds entries.
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
            Box::new(|r| remote(&["insert", "encrypted", pt, nm, &(r + 100_000).to_string()])),
            Box::new(|r| remote(&["insert", "plain", pt, nm, &(r + 100_000).to_string()])),
        ];
        let s = measure("insert", &quick, &mut probes);
        figures.push(figure(
            "durable insert + reflection",
            &s,
            5.0,
            Stat::Median,
            false,
        ));
    }
    drop(journal);

    report(&figures, open_info, &per_word);
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
    let met = figures.iter().filter(|f| f.meets_budget()).count();
    let reads: Vec<&Figure> = figures.iter().filter(|f| f.read).collect();
    let overhead_ok = reads
        .iter()
        .filter(|f| f.encryption_ratio() <= 1.25)
        .count();
    let goal_ok = figures.iter().filter(|f| f.app_ratio() <= 2.0).count();
    println!(
        "SUMMARY: budgets met {met} of {}; encryption overhead <= 1.25x on {overhead_ok} of {} reads; \
         within 2x of plain SQL (real goal) {goal_ok} of {}",
        figures.len(),
        reads.len(),
        figures.len()
    );
}

/// A search word with its match count and the stats of its four probes.
type WordStats<'a> = (&'a str, i64, [Stats; 4]);

/// Prints the tables.
fn report(
    figures: &[Figure],
    open_info: Option<(Stats, Stats, Stats)>,
    per_word: &[WordStats<'_>],
) {
    println!();
    println!(
        "Budgets (section 9). Median / p95. \"touchpoint\" is the API on the encrypted journal; the"
    );
    println!(
        "baseline runs the same SQL text the core runs on a plain SQLite copy, in a process without"
    );
    println!(
        "SQLCipher's memory security. ratio = touchpoint / plain; the real goal is at most 2x."
    );
    let rows: Vec<Vec<String>> = figures
        .iter()
        .map(|f| {
            vec![
                f.operation.to_string(),
                fmt_stats(&f.api),
                fmt_stats(&f.sql_plain),
                format!("{:.2}x", f.app_ratio()),
                format!(
                    "< {} ms{}",
                    f.budget_ms,
                    if f.judged_by == Stat::P95 {
                        " (p95)"
                    } else {
                        ""
                    }
                ),
                verdict(f.meets_budget()).to_string(),
                format!("{} (≤ 2x)", verdict(f.app_ratio() <= 2.0)),
            ]
        })
        .collect();
    print_table(
        &[
            "operation",
            "touchpoint (encrypted)",
            "plain SQLite same SQL",
            "ratio",
            "budget",
            "verdict",
            "real goal",
        ],
        &rows,
    );
    if let Some((open_api, kdf, paired)) = open_info {
        println!(
            "open: Journal::open {} including key derivation; Argon2id alone (KeyFile::read + \
             unlock) {}; open minus derivation, paired per round: {} (n={})",
            fmt_stats(&open_api),
            fmt_stats(&kdf),
            fmt_stats(&paired),
            paired.n
        );
    }

    println!();
    println!("Encryption overhead: the same SQL text, medians (p95). \"as the app\" = SQLCipher with the");
    println!(
        "core's pragmas, cipher_memory_security ON; \"no memory security\" = the same without that"
    );
    println!("pragma; the 1.25x budget is judged on \"as the app\" over plain. \"API - SQL\" is the Rust side");
    println!("(row mapping, JSON and date parsing, the balance computation).");
    let rows: Vec<Vec<String>> = figures
        .iter()
        .map(|f| {
            let rust = ms(f.api.median) - ms(f.sql_encrypted.median);
            vec![
                f.operation.to_string(),
                fmt_stats(&f.sql_encrypted),
                fmt_stats(&f.sql_bare),
                fmt_stats(&f.sql_plain),
                format!("{:.2}x", f.encryption_ratio()),
                if f.read {
                    verdict(f.encryption_ratio() <= 1.25).to_string()
                } else {
                    "n/a (write)".to_string()
                },
                format!("{:.2}x", ratio(f.sql_bare.median, f.sql_plain.median)),
                format!("{rust:+.3} ms"),
                f.api.n.to_string(),
            ]
        })
        .collect();
    print_table(
        &[
            "same SQL",
            "encrypted, as the app",
            "encrypted, no memory security",
            "plain",
            "app/plain",
            "≤ 1.25x",
            "no-mem-sec/plain",
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
                    fmt_stats(&s[3]),
                    format!("{:.2}x", ratio(s[0].median, s[3].median)),
                ]
            })
            .collect();
        print_table(
            &[
                "words",
                "matches",
                "touchpoint",
                "SQL, as the app",
                "SQL, no memory security",
                "SQL, plain",
                "ratio",
            ],
            &rows,
        );
    }

    println!();
    println!("Not measured here: encrypted export (< 3 s) and import (< 5 s), as the core has no");
    println!("exchange API yet; app launch, memory and .deb size belong to the desktop app.");
}
