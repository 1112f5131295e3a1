//! The synthetic journal (cached per size), this run's scratch copies and the plain export.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;
use touchpoint_core::keyfile::KeyFile;
use touchpoint_core::model::{NewTouchpoint, TouchpointKind};
use touchpoint_core::secret::Passphrase;
use touchpoint_core::{demo, Journal};

/// The passphrase of the synthetic journal.
pub const PASSPHRASE: &str = "bench passphrase: correct horse battery staple";
/// Generator seed.
pub const SEED: u64 = 20_240_917;
/// People in the synthetic journal.
pub const PEOPLE: u32 = 200;
/// Bump when the recipe of the cached journal changes, so an old cache is not reused.
pub const DATA_RECIPE: u32 = 1;
/// Words planted in a handful of entries, for rare-word searches (the generator's vocabulary
/// is small, so every word it writes is common).
pub const RARE_WORDS: [&str; 4] = ["zeppelin", "quokka", "marmalade", "kintsugi"];
/// The search set: the planted rare words, then words of the generator's vocabulary from a few
/// hundred hits to every entry (`plain_query` makes the last word a prefix, as the search box).
pub const SEARCH_WORDS: [&str; 10] = [
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
pub fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0)
        .single()
        .expect("valid date")
}

/// "Now" for the Today screen, the overview and balances: the evening of the anchor day.
pub fn now() -> DateTime<Utc> {
    anchor() + chrono::Duration::hours(20)
}

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE.into())
}

/// The folder of the cached synthetic journal of `touchpoints` entries.
pub fn dataset_dir(touchpoints: u32, data_dir: &Path) -> PathBuf {
    // The generator's source is part of the key: a changed generator makes a new journal.
    let generator = include_str!("../../src/demo.rs")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let name = format!(
        "journal-p{PEOPLE}-t{touchpoints}-seed{SEED}-anchor{}-recipe{DATA_RECIPE}-gen{:08x}",
        anchor().format("%Y%m%d"),
        generator >> 32,
    );
    data_dir.join(name)
}

/// Whether the journal of `touchpoints` entries is cached already.
pub fn is_cached(touchpoints: u32, data_dir: &Path) -> bool {
    dataset_dir(touchpoints, data_dir)
        .join("bench-dataset.json")
        .exists()
}

/// Builds the cached journal unless it is there already (`fresh` rebuilds it); run in a child
/// process (`--prepare-dataset`), so the measuring process starts clean.
pub fn prepare_dataset(touchpoints: u32, fresh: bool, data_dir: &Path) {
    let dir = dataset_dir(touchpoints, data_dir);
    let marker = dir.join("bench-dataset.json");
    if marker.exists() && !fresh {
        // Opening runs any newer schema migration, so the copies match this build.
        drop(Journal::open(&dir, &passphrase()).expect("open cached journal"));
        return;
    }
    let _ = fs::remove_dir_all(&dir);
    let building = data_dir.join(format!("building-{}", std::process::id()));
    let _ = fs::remove_dir_all(&building);
    eprintln!(
        "building the synthetic journal ({PEOPLE} people, {touchpoints} touchpoints) in {} ...",
        dir.display()
    );
    let start = Instant::now();
    let pass = passphrase();
    let (mut journal, _code) = Journal::init(&building, &pass).expect("init journal");
    let mut renamed = 0;
    let summary = match demo::generate(&mut journal, PEOPLE, touchpoints, SEED, anchor()) {
        Ok(summary) => summary,
        // The generator repeats names past 32 people, which the unique name index refuses.
        Err(e) if format!("{e:?}").contains("people.name") => {
            eprintln!(
                "WARNING: demo::generate fails for {PEOPLE} people ({e}): its names repeat every \
                 32 people. Working around it here: generating without the unique name index, \
                 then renaming the repeats and restoring the index. Fix the generator."
            );
            let raw = journal.connection_for_bench();
            raw.execute_batch("DROP INDEX people_name;")
                .expect("drop the name index");
            let summary = demo::generate(&mut journal, PEOPLE, touchpoints, SEED, anchor())
                .expect("generate");
            let raw = journal.connection_for_bench();
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

/// Writes a plain copy of the encrypted journal in `encrypted_dir` to `plain_db` (child
/// process `--export-plain`, so the measuring process has no ATTACH history).
pub fn export_plain(encrypted_dir: &Path, plain_db: &Path) {
    let key = KeyFile::read(&encrypted_dir.join("journal.key"))
        .expect("read key file")
        .unlock_with_passphrase(&passphrase())
        .expect("unlock");
    let journal = Journal::open_for_bench(encrypted_dir, Some(&key)).expect("open the copy");
    let conn = journal.connection_for_bench();
    conn.execute(
        "ATTACH DATABASE ?1 AS plain KEY ''",
        [plain_db.to_str().expect("utf-8 path")],
    )
    .expect("attach plain");
    // sqlcipher_export copies the schema and rows, not the schema version the core's
    // migrations read: without it, opening the copy would migrate it from scratch.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    conn.execute_batch(&format!(
        "SELECT sqlcipher_export('plain'); PRAGMA plain.user_version = {version}; DETACH DATABASE plain;"
    ))
    .expect("sqlcipher_export");
}

/// Runs this benchmark binary again with `args` (and `env`) and waits for it to succeed.
pub fn child(args: &[&std::ffi::OsStr], env: &[(&str, String)]) {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let status = Command::new(exe)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .status()
        .expect("start a child process");
    assert!(status.success(), "child process {args:?} failed: {status}");
}

/// This run's scratch folder (the copies, the plain one included), deleted when dropped, on
/// a panic too.
pub struct Scratch(pub PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Deletes scratch folders left by runs that were killed (their process is gone).
pub fn remove_stale_scratch(data_dir: &Path) {
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
pub fn copy_journal(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create scratch journal");
    for name in ["journal.key", "journal.db", "journal.db-wal"] {
        let src = from.join(name);
        if src.exists() {
            fs::copy(&src, to.join(name)).expect("copy journal file");
        }
    }
}

pub fn file_mib(path: &Path) -> f64 {
    fs::metadata(path).map_or(0.0, |m| m.len() as f64 / (1024.0 * 1024.0))
}

/// The tables counted on every copy (they must agree); the harness's own check, not the
/// core's SQL.
pub const COUNTED: [(&str, &str); 11] = [
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

pub fn counts_of(conn: &Connection) -> Vec<i64> {
    COUNTED
        .iter()
        .map(|(_, sql)| conn.query_row(sql, [], |r| r.get(0)).expect(sql))
        .collect()
}

/// This SQLite is built with SQLITE_ENABLE_MEMORY_MANAGEMENT, so all connections of a process
/// share one page-cache pool whose size is the sum of their cache_size. With several
/// connections open, the pool was seen sitting at its limit, and then one of them (the plain
/// one, in practice) dropped every page on release and read it again from the file on the
/// next access: 10 to 40 times slower. An idle connection with a large cache_size adds
/// headroom to the pool without using memory, so each measured connection keeps its own cache
/// as it would alone in the app (which holds one connection).
pub fn ballast(db: &Path) -> Connection {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the ballast connection");
    conn.execute_batch("PRAGMA cache_size = -1000000; SELECT count(*) FROM sqlite_master;")
        .expect("size the ballast cache");
    conn
}
