//! A full disk during a backup and during a large import: a clear "disk is full" error, no
//! half-written file left behind, and the journal still opens with everything committed before.
//!
//! Writes that fill the disk one entry at a time are covered by
//! `errors::a_full_disk_is_reported_and_loses_nothing`.

use std::io::Write;
use std::path::Path;

use serde_json::json;
use touchpoint_core::model::{NewPerson, NewTouchpoint};
use touchpoint_core::secret::Passphrase;
use touchpoint_core::Journal;

use crate::util::{bare, files, Run, TinyDisk, PASS};

fn run(journal: &Path, args: &[&str]) -> Run {
    Run::from(
        bare()
            .arg("--journal")
            .arg(journal)
            .args(args)
            .env("TOUCHPOINT_PASSPHRASE", PASS)
            .output()
            .expect("run touchpoint"),
    )
}

/// Fills the file system of `dir` with a file, then gives back `leave` bytes.
fn fill_leaving(dir: &Path, leave: u64) {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).expect("filler");
    let block = vec![0u8; 64 * 1024];
    loop {
        match f.write(&block) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    let len = f.metadata().expect("len").len();
    f.set_len(len.saturating_sub(leave)).expect("shrink filler");
}

#[test]
fn a_full_disk_during_backup_and_import_loses_nothing() {
    let Some(disk) = TinyDisk::mount(8 * 1024) else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let j = disk.0.join("j");
    let (mut journal, _code) =
        Journal::init(&j, &Passphrase::new(PASS.to_string())).expect("init on the tiny disk");
    let ana = journal
        .add_person(NewPerson {
            name: "Ana Full".into(),
            ..Default::default()
        })
        .expect("person");
    let mut written = 0;
    while std::fs::metadata(j.join("journal.db")).expect("db").len()
        + std::fs::metadata(j.join("journal.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0)
        < 2_500_000
    {
        let new: NewTouchpoint = serde_json::from_value(json!({
            "kind": "one_on_one",
            "participants": [ana.id],
            "notes": format!("entry {written} {}", "a longer note to fill pages ".repeat(60)),
        }))
        .expect("touchpoint");
        journal.add_touchpoint(new).expect("fits on the disk");
        written += 1;
    }
    drop(journal);
    let db_len = std::fs::metadata(j.join("journal.db")).expect("db").len();
    fill_leaving(&disk.0, db_len / 2);

    let backup = run(&j, &["backup"]);
    assert_eq!(backup.code, 1, "{}", backup.stderr);
    assert!(
        backup.stderr.contains("disk is full"),
        "a clear message: {}",
        backup.stderr
    );
    let left: Vec<_> = files(&j.join("backups"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e != "lock"))
        .collect();
    assert!(left.is_empty(), "no half-written backup left: {left:?}");

    let inputs = tempfile::tempdir().expect("inputs on another disk");
    let entries: Vec<_> = (0..3000)
        .map(|i| {
            json!({
                "title": format!("imported {i}"),
                "body": "a body long enough to need the space ".repeat(30),
                "date": "2024-05-01",
                "time": format!("{:02}:{:02}", (i / 60) % 24, i % 60),
            })
        })
        .collect();
    let jrnl = inputs.path().join("jrnl.json");
    std::fs::write(&jrnl, json!({"entries": entries}).to_string()).expect("write");
    let import = run(&j, &["import", jrnl.to_str().expect("utf8")]);
    assert_eq!(import.code, 1, "{}", import.stderr);
    assert!(
        import.stderr.contains("disk is full"),
        "a clear message: {}",
        import.stderr
    );

    let list = run(&j, &["--json", "list", "--limit", "100000"]).json();
    assert_eq!(
        list.as_array().expect("list").len(),
        written,
        "everything committed before is there, and nothing of the failed import"
    );
    run(&j, &["verify"]).ok();
    std::fs::remove_file(disk.0.join("filler")).expect("make room");
    run(&j, &["backup"]).ok();
}
