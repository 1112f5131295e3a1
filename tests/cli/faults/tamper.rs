//! Tampering: one flipped byte in the database, the write-ahead log or the key file is reported
//! as damage (exit code 4) by `verify`, and no command ever answers differently from the intact
//! journal or crashes; restoring the latest backup brings the journal back.
//!
//! Each case works on a fresh copy of the same journal, so the cases do not mask one another.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;
use touchpoint_core::model::{NewPerson, NewTouchpoint};
use touchpoint_core::secret::Passphrase;
use touchpoint_core::Journal;

use super::crash::{run_trial, WRITER_NO_BACKUP};
use crate::util::{bare, files, Run, Sandbox, PASS};

/// SQLCipher's page size: every page carries its own authentication code at its end.
const PAGE: u64 = 4096;
/// The write-ahead log's header and frame header sizes.
const WAL_HEADER: u64 = 32;
const FRAME: u64 = 24 + PAGE;

fn run(dir: &Path, args: &[&str]) -> Run {
    Run::from(
        bare()
            .arg("--journal")
            .arg(dir)
            .args(args)
            .env("TOUCHPOINT_PASSPHRASE", PASS)
            .output()
            .expect("run touchpoint"),
    )
}

/// Read commands whose answers must never change silently.
const READS: &[&[&str]] = &[
    &["--json", "list", "--limit", "100000"],
    &["--json", "search", "harbour"],
];

/// A copy of the journal folder `from` (its backups included) in a new temporary folder.
fn copy_journal(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("tmp");
    let to = root.path().join("j");
    for f in files(from) {
        let rel = f.strip_prefix(from).expect("inside");
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&f, &target).expect("copy");
    }
    (root, to)
}

fn flip(path: &Path, offset: u64) {
    let mut bytes = std::fs::read(path).expect("read");
    let at = offset as usize;
    assert!(
        at < bytes.len(),
        "{} has only {} bytes",
        path.display(),
        bytes.len()
    );
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).expect("write");
}

/// The answers of [`READS`] on a copy of `dir` (so the original keeps any log it has).
fn answers(dir: &Path) -> Vec<String> {
    let (_root, copy) = copy_journal(dir);
    READS
        .iter()
        .map(|a| run(&copy, a).ok().to_string())
        .collect()
}

/// Flips the byte at `offset` of `file` in a copy of `dir` and checks every promise.
/// `stale_bytes`: the file may hold bytes SQLite never reads (a write-ahead log keeps the
/// frames of transactions already checkpointed past its current end), so a flip there changes
/// nothing and `verify` rightly finds the journal intact; every read must then still answer
/// exactly as before.
fn tampered_case(
    dir: &Path,
    file: &str,
    offset: u64,
    intact: &[String],
    backup_state: &str,
    stale_bytes: bool,
) {
    let (_root, copy) = copy_journal(dir);
    flip(&copy.join(file), offset);
    let case = format!("{file} byte {offset}");
    let mut reported = false;
    for (args, expected) in READS.iter().zip(intact) {
        let out = run(&copy, args);
        reported |= out.code == 4;
        assert!(
            out.code == 4 || (out.code == 0 && out.stdout == *expected),
            "{case}: `{}` must fail as damaged or answer as before; got exit {} with {}{}",
            args.join(" "),
            out.code,
            out.stdout.chars().take(300).collect::<String>(),
            out.stderr
        );
        if out.code == 4 {
            assert!(out.stderr.contains("damaged"), "{case}: {}", out.stderr);
            if file == "journal.key" {
                assert!(
                    out.stderr.contains(file) && out.stderr.contains("touchpoint restore"),
                    "{case}: the message names the file and the latest backup: {}",
                    out.stderr
                );
            }
        }
    }
    let verify = run(&copy, &["verify"]);
    if stale_bytes && !reported && verify.code == 0 {
        eprintln!("{case}: in a stale part of the file; every read answered as before");
        return;
    }
    assert_eq!(
        verify.code, 4,
        "{case}: verify must report the damage: {}{}",
        verify.stdout, verify.stderr
    );
    assert!(
        verify.stderr.contains("damaged"),
        "{case}: {}",
        verify.stderr
    );
    // `backups` needs the journal open, so find the newest backup as a user would: by name.
    let latest = files(&copy.join("backups"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .max()
        .expect("a backup")
        .to_string_lossy()
        .into_owned();
    let restored = run(&copy, &["restore", &latest]);
    // `restore` checks the backup's integrity before it moves it in.
    restored.ok();
    assert_eq!(
        run(&copy, READS[0]).ok(),
        backup_state,
        "{case}: the restored journal is the backup's"
    );
}

/// A journal with a few dozen entries (several pages) and a backup of it.
fn journal() -> Sandbox {
    let s = Sandbox::new();
    let mut j = Journal::open(&s.path(), &Passphrase::new(PASS.to_string())).expect("open");
    let ana = j
        .add_person(NewPerson {
            name: "Ana Tamper".into(),
            ..Default::default()
        })
        .expect("person");
    for i in 0..40 {
        let new: NewTouchpoint = serde_json::from_value(json!({
            "kind": "feedback",
            "participants": [ana.id],
            "notes": format!("entry {i} near the harbour {}", "with some words ".repeat(20)),
        }))
        .expect("touchpoint");
        let t = j.add_touchpoint(new).expect("add");
        j.reflect(
            serde_json::from_value(json!({
                "touchpoint_id": t.id, "person_id": ana.id, "willingness": 1, "ability": (i % 3) - 1,
            }))
            .expect("reflection"),
        )
        .expect("reflect");
    }
    drop(j);
    run(&s.path(), &["backup"]).ok();
    s
}

#[test]
fn a_flipped_byte_in_the_database_is_reported_never_misread() {
    let s = journal();
    let dir = s.path();
    let intact = answers(&dir);
    let len = std::fs::metadata(dir.join("journal.db")).expect("db").len();
    assert!(
        len >= 8 * PAGE,
        "the journal spans several pages ({len} bytes)"
    );
    let pages = len / PAGE;
    for offset in [
        0,                         // the salt the page keys are derived with
        100,                       // the schema page
        PAGE + 200,                // a table page
        2 * PAGE - 1,              // a page's authentication code
        (pages / 2) * PAGE + 1000, // a page in the middle
        len - 1,                   // the last byte
    ] {
        tampered_case(&dir, "journal.db", offset, &intact, &intact[0], false);
    }
}

#[test]
fn a_flipped_byte_in_the_write_ahead_log_is_reported_never_misread() {
    let s = journal();
    let dir = s.path();
    let state_at_backup = answers(&dir).remove(0);
    // A writer killed mid-loop leaves a log of committed transactions behind.
    let expect = s.dir.path().join("none.txt");
    std::fs::write(&expect, "").expect("ids");
    // No backups from the writer: the restore below must give back the state at the backup.
    let t = run_trial(
        &dir,
        &expect,
        Duration::from_millis(300),
        false,
        &[(WRITER_NO_BACKUP, "1")],
    );
    assert!(t.killed, "{}", t.stderr);
    let wal = dir.join("journal.db-wal");
    let frames = (std::fs::metadata(&wal).expect("a log is left").len() - WAL_HEADER) / FRAME;
    assert!(
        frames >= 20,
        "the log holds many transactions ({frames} frames)"
    );
    let intact = answers(&dir);
    for offset in [
        17,                                       // the header's salt
        WAL_HEADER + 2,                           // the first frame's page number
        WAL_HEADER + 24 + 300,                    // the first frame's page
        WAL_HEADER + (frames / 2) * FRAME + 20,   // a frame's checksum, mid-log
        WAL_HEADER + (frames / 2) * FRAME + 2000, // a page mid-log
    ] {
        tampered_case(
            &dir,
            "journal.db-wal",
            offset,
            &intact,
            &state_at_backup,
            true,
        );
    }
}

#[test]
fn a_flipped_byte_in_any_field_of_the_key_file_is_reported_never_misread() {
    let s = journal();
    let dir = s.path();
    let intact = answers(&dir);
    let key = std::fs::read_to_string(dir.join("journal.key")).expect("key file");
    // The byte inside each field's value, for every field of the file and of both slots.
    let mut offsets = vec![0]; // the opening brace
    let field = |from: usize, name: &str| -> usize {
        let quoted = format!("\"{name}\": ");
        let at = key[from..]
            .find(&quoted)
            .unwrap_or_else(|| panic!("{name} in the key file"));
        let value = from + at + quoted.len();
        // Inside a string, past its opening quote; a number's first digit.
        if key.as_bytes()[value] == b'"' {
            value + 2
        } else {
            value
        }
    };
    for name in ["format", "version", "generation"] {
        offsets.push(field(0, name));
    }
    let second_slot = key.rfind("\"kind\"").expect("two slots");
    for slot_start in [0, second_slot] {
        for name in [
            "kind",
            "scheme",
            "algorithm",
            "m_kib",
            "t",
            "p",
            "salt",
            "nonce",
            "wrapped_key",
        ] {
            offsets.push(field(slot_start, name));
        }
    }
    offsets.push(field(0, "checksum") + 10);
    for offset in offsets {
        tampered_case(
            &dir,
            "journal.key",
            offset as u64,
            &intact,
            &intact[0],
            false,
        );
    }
}
