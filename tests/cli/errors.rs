//! Bad input and bad situations: the documented exit codes and messages, and nothing lost.

use std::io::{Seek, SeekFrom, Write};

use crate::util::{bare, Sandbox, TinyDisk, PASS};

#[test]
fn wrong_passphrase_exits_3_and_changes_nothing() {
    let s = Sandbox::new();
    s.person("Ana");
    let out = s.run_with(
        &["person", "list"],
        &[("TOUCHPOINT_PASSPHRASE", "not it at all")],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("wrong passphrase"), "{}", out.stderr);
    assert!(s.run(&["person", "list"]).ok().contains("Ana"));
}

#[test]
fn missing_passphrase_off_a_terminal_is_a_usage_error() {
    let s = Sandbox::new();
    let out = s.run_with(&["person", "list"], &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("TOUCHPOINT_PASSPHRASE"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_flags_are_usage_errors_and_bad_values_invalid_input() {
    let s = Sandbox::new();
    s.person("Ana");
    assert_eq!(s.run(&["add", "--bogus"]).code, 2);
    let kind = s.run(&["add", "--kind", "lunch", "--with", "Ana"]);
    assert_eq!(kind.code, 6);
    assert!(
        kind.stderr.contains("one_on_one"),
        "the message lists valid kinds: {}",
        kind.stderr
    );
    let rating = s.run(&[
        "add",
        "--kind",
        "feedback",
        "--with",
        "Ana",
        "--willingness",
        "3",
        "--ability",
        "0",
    ]);
    assert_eq!(rating.code, 6, "{}", rating.stderr);
    assert!(
        rating.stderr.contains("between -2 and 2"),
        "{}",
        rating.stderr
    );
    let nobody = s.run(&["add", "--kind", "feedback", "--with", "Zed"]);
    assert_eq!(nobody.code, 6, "{}", nobody.stderr);
    assert!(
        s.run(&["--json", "list"])
            .json()
            .as_array()
            .expect("list")
            .is_empty(),
        "nothing was recorded"
    );
    assert_eq!(
        s.run(&[
            "add",
            "--kind",
            "feedback",
            "--with",
            "Ana",
            "--at",
            "yesterday"
        ])
        .code,
        6
    );
    assert_eq!(
        s.run(&["person", "add", "ana"]).code,
        6,
        "names are unique ignoring case"
    );
}

#[test]
fn no_journal_and_second_init_are_clear() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = bare()
        .arg("--journal")
        .arg(dir.path().join("none"))
        .args(["person", "list"])
        .env("TOUCHPOINT_PASSPHRASE", PASS)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no journal"));
    assert!(
        !dir.path().join("none").exists(),
        "a failed open must not create a journal"
    );
    let s = Sandbox::new();
    let again = s.run(&["init"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}

#[test]
fn a_second_process_gets_journal_is_open_elsewhere() {
    let s = Sandbox::new();
    let pass = touchpoint_core::secret::Passphrase::new(PASS.to_string());
    let held = touchpoint_core::Journal::open(&s.path(), &pass).expect("open in this process");
    let out = s.run(&["person", "list"]);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr.contains("journal is open elsewhere"),
        "{}",
        out.stderr
    );
    drop(held);
    s.run(&["person", "list"]).ok();
}

#[test]
fn a_damaged_database_exits_4_naming_the_file_and_the_latest_backup() {
    let s = Sandbox::new();
    s.person("Ana");
    let backup = s.run(&["--json", "backup"]).json();
    let backup_path = backup["path"].as_str().expect("path").to_string();
    let db = s.path().join("journal.db");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open db");
    f.seek(SeekFrom::Start(0)).expect("seek");
    f.write_all(&[0x5a; 64]).expect("scribble");
    drop(f);
    let out = s.run(&["person", "list"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("journal.db"),
        "names the file: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&backup_path),
        "offers the backup: {}",
        out.stderr
    );
    s.run(&["restore", &backup_path]).ok();
    assert!(s.run(&["person", "list"]).ok().contains("Ana"));
}

#[test]
fn a_damaged_key_file_is_reported_not_replaced() {
    let s = Sandbox::new();
    let key = s.path().join("journal.key");
    std::fs::write(&key, b"{ not a key file").expect("write");
    let out = s.run(&["person", "list"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("journal.key"), "{}", out.stderr);
    assert_eq!(
        std::fs::read(&key).expect("read"),
        b"{ not a key file",
        "the key file is left alone"
    );
}

#[test]
fn search_never_errors_on_fts_syntax_characters() {
    let s = Sandbox::new();
    s.person("Ana");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--notes",
        "She said \"NEAR\" the deadline -- stress*",
    ])
    .ok();
    for q in [
        "\"",
        "NEAR(",
        "*",
        "-",
        "a OR",
        "(",
        "\"unbalanced",
        "NEAR(deadline",
        "-stress",
        "col:thing",
        "^",
        "AND",
    ] {
        let out = s.run(&["--json", "search", q]);
        assert_eq!(out.code, 0, "query {q:?} failed: {}", out.stderr);
    }
    assert_eq!(
        s.run(&["--json", "search", "NEAR("])
            .json()
            .as_array()
            .expect("hits")
            .len(),
        1
    );
    let bad = s.run(&["search", "--syntax", "NEAR("]);
    assert_eq!(
        bad.code, 6,
        "explicit syntax that is wrong is invalid input: {}",
        bad.stderr
    );
    assert_eq!(
        s.run(&["--json", "search", "--syntax", "deadline NOT stress"])
            .json()
            .as_array()
            .expect("hits")
            .len(),
        0
    );
}

#[test]
fn a_full_disk_is_reported_and_loses_nothing() {
    let Some(disk) = TinyDisk::mount(1024) else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let journal = disk.0.join("j");
    let run = |args: &[&str]| {
        let out = bare()
            .arg("--journal")
            .arg(&journal)
            .args(args)
            .env("TOUCHPOINT_PASSPHRASE", PASS)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["init"]).0, Some(0));
    assert_eq!(run(&["settings", "--backup-keep", "1"]).0, Some(0));
    assert_eq!(run(&["person", "add", "Ana"]).0, Some(0));
    let notes = "a long reflection that fills the disk ".repeat(2000);
    let mut saved = 0;
    let mut failure = None;
    for _ in 0..200 {
        let (code, _, err) = run(&[
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana",
            "--notes",
            &notes,
        ]);
        if code == Some(0) {
            saved += 1;
        } else {
            failure = Some((code, err));
            break;
        }
    }
    let (code, err) = failure.expect("the disk filled up");
    assert!(saved > 0, "some entries fit before the disk filled");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("disk is full"), "a clear message: {err}");
    // Make room the way a user would (the backup folder), then everything saved is still there.
    let _ = std::fs::remove_dir_all(journal.join("backups"));
    let (code, out, err) = run(&["--json", "list", "--limit", "1000"]);
    assert_eq!(code, Some(0), "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        list.as_array().expect("list").len(),
        saved,
        "every saved entry is intact"
    );
    let (code, _, err) = run(&["verify"]);
    assert_eq!(code, Some(0), "{err}");
}
