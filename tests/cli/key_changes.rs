//! Changes of secret as a user makes them: after `passwd`, `new-recovery-code`, `rekey` and
//! `restore`, an old passphrase, an old recovery code or an old key file opens nothing the
//! journal keeps, and the current secret always opens the journal.

use std::path::{Path, PathBuf};

use touchpoint_core::keyfile::KeyFile;
use touchpoint_core::secret::{DataKey, Passphrase, RecoveryCode};
use touchpoint_core::Error;

use crate::faults::snapshot;
use crate::util::{files, Sandbox, TinyDisk, PASS};

const NEW_PASS: &str = "a different and longer passphrase for the scenario";

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text.to_string())
}

/// A journal with an entry and two backups.
fn with_backups() -> Sandbox {
    let s = Sandbox::new();
    s.person("Ana Key");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana Key",
        "--notes",
        "before any change of secret",
    ])
    .ok();
    s.run(&["backup"]).ok();
    std::thread::sleep(std::time::Duration::from_millis(5));
    s.run(&["backup"]).ok();
    s
}

/// Every key file in the journal folder, its backups included.
fn key_files(dir: &Path) -> Vec<PathBuf> {
    let keys: Vec<PathBuf> = files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "key"))
        .collect();
    assert!(
        keys.len() >= 3,
        "journal.key and a copy per backup: {keys:?}"
    );
    keys
}

/// Backup database files.
fn backup_dbs(dir: &Path) -> Vec<PathBuf> {
    files(&dir.join("backups"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect()
}

/// Whether `key` opens the SQLCipher database at `db`.
fn opens(db: &Path, key: &DataKey) -> bool {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the file");
    conn.execute_batch(&format!(
        "PRAGMA key = \"{}\"; PRAGMA cipher_compatibility = 4;",
        key.to_sqlcipher_pragma_value().as_str()
    ))
    .expect("set the key");
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok()
}

fn recovery_code_of(run: &crate::util::Run) -> String {
    run.json()["recovery_code"]
        .as_str()
        .expect("a recovery code")
        .to_string()
}

#[test]
fn old_passphrase_and_old_recovery_code_open_no_file_after_they_change() {
    let s = with_backups();
    let dir = s.path();
    let old_code = s.recovery_code.clone();
    let env = [
        ("TOUCHPOINT_PASSPHRASE", PASS),
        ("TOUCHPOINT_NEW_PASSPHRASE", NEW_PASS),
    ];
    let changed = s.run_with(&["passwd"], &env);
    changed.ok();
    assert!(
        changed
            .stderr
            .contains("no longer opens the journal or its backups"),
        "{}",
        changed.stderr
    );
    let new_code = recovery_code_of(&s.run_with(
        &["--json", "new-recovery-code"],
        &[("TOUCHPOINT_PASSPHRASE", NEW_PASS)],
    ));

    let old_code = RecoveryCode::parse(&old_code).unwrap();
    let new_code = RecoveryCode::parse(&new_code).unwrap();
    for file in key_files(&dir) {
        let kf = KeyFile::read(&file).unwrap();
        assert!(
            matches!(
                kf.unlock_with_passphrase(&pass(PASS)),
                Err(Error::WrongPassphrase)
            ),
            "the old passphrase opens {}",
            file.display()
        );
        assert!(
            matches!(
                kf.unlock_with_recovery(&old_code),
                Err(Error::WrongRecoveryCode)
            ),
            "the old recovery code opens {}",
            file.display()
        );
        kf.unlock_with_passphrase(&pass(NEW_PASS)).unwrap();
        kf.unlock_with_recovery(&new_code).unwrap();
    }
    // Through the command line too.
    assert_eq!(s.run(&["list"]).code, 3);
    let backup = backup_dbs(&dir)[0].to_string_lossy().into_owned();
    let before = snapshot(&dir);
    let refused = s.run(&["restore", &backup]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        before == snapshot(&dir),
        "a refused restore changes nothing"
    );
    s.run_with(&["list"], &[("TOUCHPOINT_PASSPHRASE", NEW_PASS)])
        .ok();
}

#[test]
fn a_backup_made_before_a_passphrase_change_restores_with_the_new_one_only() {
    let s = with_backups();
    let dir = s.path();
    s.run_with(
        &["passwd"],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_NEW_PASSPHRASE", NEW_PASS),
        ],
    )
    .ok();
    let backup = backup_dbs(&dir)[0].to_string_lossy().into_owned();

    let before = snapshot(&dir);
    let old = s.run(&["restore", &backup]);
    assert_eq!(old.code, 3, "the old passphrase is refused: {}", old.stderr);
    assert!(old.stderr.contains("wrong passphrase"), "{}", old.stderr);
    assert!(before == snapshot(&dir), "nothing changed");

    let new = [("TOUCHPOINT_PASSPHRASE", NEW_PASS)];
    s.run_with(&["restore", &backup], &new).ok();
    let listed = s.run_with(&["--json", "list"], &new).json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "the backup's entry");
    assert_eq!(s.run(&["list"]).code, 3, "restore brought no old key back");
}

#[test]
fn rekey_replaces_the_data_key_and_old_key_files_open_nothing() {
    let s = with_backups();
    let dir = s.path();
    let old_file = KeyFile::read(&dir.join("journal.key")).unwrap();
    let old_key = old_file.unlock_with_passphrase(&pass(PASS)).unwrap();

    let backups = backup_dbs(&dir).len();
    let run = s.run(&["--json", "rekey"]);
    let new_code = RecoveryCode::parse(&recovery_code_of(&run)).unwrap();
    assert!(
        run.stderr
            .contains(&format!("Re-encrypting backup {backups} of {backups}")),
        "progress is shown: {}",
        run.stderr
    );

    let new_key = KeyFile::read(&dir.join("journal.key"))
        .unwrap()
        .unlock_with_passphrase(&pass(PASS))
        .unwrap();
    assert_ne!(new_key.expose(), old_key.expose(), "a new data key");
    let old_code = RecoveryCode::parse(&s.recovery_code).unwrap();
    for file in key_files(&dir) {
        let kf = KeyFile::read(&file).unwrap();
        assert_eq!(
            kf.unlock_with_passphrase(&pass(PASS)).unwrap().expose(),
            new_key.expose()
        );
        assert_eq!(
            kf.unlock_with_recovery(&new_code).unwrap().expose(),
            new_key.expose()
        );
        assert!(
            kf.unlock_with_recovery(&old_code).is_err(),
            "old code on {}",
            file.display()
        );
    }
    let mut dbs = backup_dbs(&dir);
    assert_eq!(dbs.len(), backups, "every backup kept, re-encrypted");
    dbs.push(dir.join("journal.db"));
    for db in &dbs {
        assert!(
            opens(db, &new_key),
            "{} opens with the new key",
            db.display()
        );
        assert!(
            !opens(db, &old_key),
            "{} still opens with the old key",
            db.display()
        );
    }
    // Everything is still there, and a backup restores.
    assert_eq!(
        s.run(&["--json", "list"]).json().as_array().unwrap().len(),
        1
    );
    s.run(&["restore", &dbs[0].to_string_lossy()]).ok();
    s.run(&["verify"]).ok();
    // The old key file put back by hand: the later copy beside the backups wins.
    old_file.write_atomic(&dir.join("journal.key")).unwrap();
    s.run(&["list"]).ok();
    let back = KeyFile::read(&dir.join("journal.key")).unwrap();
    assert_eq!(
        back.unlock_with_passphrase(&pass(PASS)).unwrap().expose(),
        new_key.expose()
    );
}

#[test]
fn rekey_can_remove_the_old_backups_instead() {
    let s = with_backups();
    let run = s.run(&["--json", "rekey", "--remove-backups"]);
    recovery_code_of(&run);
    assert!(backup_dbs(&s.path()).is_empty(), "the old backups are gone");
    assert_eq!(
        files(&s.path())
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "key"))
            .count(),
        1,
        "and their key copies"
    );
    s.run(&["verify"]).ok();
}

#[test]
fn rekey_with_a_wrong_passphrase_changes_nothing() {
    let s = with_backups();
    let before = snapshot(&s.path());
    let run = s.run_with(&["rekey"], &[("TOUCHPOINT_PASSPHRASE", NEW_PASS)]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(before == snapshot(&s.path()));
}

#[test]
fn an_old_passphrase_key_file_copied_back_by_hand_opens_nothing() {
    let s = with_backups();
    let dir = s.path();
    let old_file = std::fs::read(dir.join("journal.key")).unwrap();
    s.run_with(
        &["passwd"],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_NEW_PASSPHRASE", NEW_PASS),
        ],
    )
    .ok();
    std::fs::write(dir.join("journal.key"), &old_file).unwrap();
    let old = s.run(&["list"]);
    assert_eq!(old.code, 3, "the old passphrase is refused: {}", old.stderr);
    s.run_with(&["list"], &[("TOUCHPOINT_PASSPHRASE", NEW_PASS)])
        .ok();
    for file in key_files(&dir) {
        let kf = KeyFile::read(&file).unwrap();
        assert!(
            kf.unlock_with_passphrase(&pass(PASS)).is_err(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn a_backup_key_copy_that_cannot_be_replaced_stops_the_change() {
    let s = with_backups();
    let dir = s.path();
    // A folder where a backup's key copy should be: the new copy cannot be moved there.
    let copy = key_files(&dir)
        .into_iter()
        .find(|p| p.starts_with(dir.join("backups")))
        .unwrap();
    std::fs::remove_file(&copy).unwrap();
    std::fs::create_dir(&copy).unwrap();
    std::fs::write(copy.join("inside"), b"x").unwrap();

    let run = s.run_with(
        &["passwd"],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_NEW_PASSPHRASE", NEW_PASS),
        ],
    );
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains(&copy.file_name().unwrap().to_string_lossy().into_owned()),
        "the message names the file: {}",
        run.stderr
    );
    s.run(&["list"]).ok();
    assert_eq!(
        s.run_with(&["list"], &[("TOUCHPOINT_PASSPHRASE", NEW_PASS)])
            .code,
        3,
        "the new passphrase was not set anywhere"
    );
    for file in key_files(&dir).into_iter().filter(|p| p.is_file()) {
        KeyFile::read(&file)
            .unwrap()
            .unlock_with_passphrase(&pass(PASS))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
}

#[test]
fn a_damaged_key_file_is_restored_from_a_backup_copy() {
    let s = with_backups();
    let dir = s.path();
    let mut bytes = std::fs::read(dir.join("journal.key")).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(dir.join("journal.key"), &bytes).unwrap();
    let damaged = s.run(&["list"]);
    assert_eq!(damaged.code, 4, "{}", damaged.stderr);
    assert!(damaged.stderr.contains("journal.key"), "{}", damaged.stderr);
    assert!(
        damaged.stderr.contains("touchpoint restore"),
        "the latest backup is named: {}",
        damaged.stderr
    );
    let backup = backup_dbs(&dir)[0].to_string_lossy().into_owned();
    s.run(&["restore", &backup]).ok();
    s.run(&["list"]).ok();
}

#[test]
fn rekey_on_a_full_disk_leaves_the_journal_as_it_was() {
    let Some(disk) = TinyDisk::mount(2048) else {
        eprintln!("skipped: mounting a small file system is not permitted here");
        return;
    };
    let s = Sandbox::new();
    let dir = disk.0.join("j");
    std::fs::create_dir_all(&dir).unwrap();
    for file in files(&s.path()) {
        std::fs::copy(&file, dir.join(file.file_name().unwrap())).unwrap();
    }
    let run_in = |args: &[&str]| {
        crate::util::Run::from(
            crate::util::bare()
                .arg("--journal")
                .arg(&dir)
                .args(args)
                .env("TOUCHPOINT_PASSPHRASE", PASS)
                .output()
                .unwrap(),
        )
    };
    run_in(&["person", "add", "Ana Full"]).ok();
    // Fill the disk until a copy of the journal no longer fits.
    let filler = disk.0.join("filler");
    let size = std::fs::metadata(dir.join("journal.db")).unwrap().len();
    let free = {
        let mut written = 0u64;
        let mut f = std::fs::File::create(&filler).unwrap();
        use std::io::Write;
        while f.write_all(&[0u8; 4096]).is_ok() {
            written += 4096;
        }
        written
    };
    let _ = free;
    // Leave room for small files, not for a re-encrypted copy of the database.
    let keep = std::fs::metadata(&filler)
        .unwrap()
        .len()
        .saturating_sub(size / 2);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(keep)
        .unwrap();
    let before = snapshot(&dir);
    let run = run_in(&["rekey"]);
    assert_ne!(run.code, 0, "a full disk fails the re-encryption");
    assert!(run.stderr.contains("disk is full"), "{}", run.stderr);
    assert!(before == snapshot(&dir), "the journal is as it was");
    std::fs::remove_file(&filler).unwrap();
    run_in(&["list"]).ok();
}
