//! Re-encryption with a new key through IPC, as Settings calls it: what it changes and what it keeps.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{TestApp, CHANNEL, PASSPHRASE};

/// A passphrase set with the recovery code.
const NEW_PASSPHRASE: &str = "mossy granite oboe sailcloth 83";

/// Every file under `dir` and its bytes.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).expect("readable folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = fs::read(&path).expect("readable file");
                out.insert(path, bytes);
            }
        }
    }
    out
}

fn rekey(t: &TestApp, current: &str, old_backups: &str) -> Result<Value, Value> {
    t.call(
        "rekey_journal",
        json!({"current": current, "oldBackups": old_backups, "onProgress": CHANNEL}),
    )
}

fn person_names(t: &TestApp) -> Vec<String> {
    let people = t.ok("people", json!({"includeArchived": true}));
    people
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["name"].as_str().expect("a name").to_string())
        .collect()
}

fn key_file(t: &TestApp) -> PathBuf {
    t.dir.path().join("journal").join("journal.key")
}

/// Settings promises "Nothing was changed" after a wrong passphrase: not one byte on disk.
#[test]
fn a_wrong_passphrase_answers_wrong_passphrase_and_changes_nothing() {
    let t = TestApp::new();
    let code = t.create_journal();
    t.ok("add_person", json!({"person": {"name": "Ana Costa"}}));
    t.ok("backup_now", json!({}));
    let before = files_under(t.dir.path());
    let backups = t.ok("backups", json!({}));

    let err = rekey(&t, "not the passphrase", "reencrypt").expect_err("refused");
    assert_eq!(err["code"], "wrong_passphrase", "{err}");
    let err = rekey(&t, "not the passphrase", "remove").expect_err("refused");
    assert_eq!(err["code"], "wrong_passphrase", "{err}");

    assert_eq!(t.ok("app_status", json!({}))["state"], "unlocked");
    assert_eq!(t.ok("backups", json!({})), backups);
    let after = files_under(t.dir.path());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file added or removed"
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
    // The old secrets still work: the recovery code too.
    t.ok("lock", json!({}));
    t.ok("unlock", json!({"passphrase": PASSPHRASE}));
    t.ok("lock", json!({}));
    t.ok(
        "recover",
        json!({"code": code, "newPassphrase": NEW_PASSPHRASE}),
    );
    assert_eq!(person_names(&t), ["Ana Costa"]);
}

/// A good passphrase answers a new recovery code; the journal keeps its entries and opens with
/// the same passphrase; the old recovery code no longer opens it, not even with the old key
/// file put back; the backup, re-encrypted, still restores with the passphrase.
#[test]
fn rekey_answers_a_new_code_and_the_same_passphrase_still_opens() {
    let t = TestApp::new();
    let first_code = t.create_journal();
    t.ok("add_person", json!({"person": {"name": "Ana Costa"}}));
    let backup = t.ok("backup_now", json!({}));
    let old_key = fs::read(key_file(&t)).expect("key file");

    let code = rekey(&t, PASSPHRASE, "reencrypt").expect("rekeyed");
    let code = code.as_str().expect("the code is a string");
    let groups: Vec<&str> = code.split('-').collect();
    assert_eq!(groups.len(), 8, "{code}");
    assert!(groups.iter().all(|g| g.len() == 4), "{code}");
    assert_ne!(code, first_code);
    assert_eq!(t.ok("app_status", json!({}))["state"], "unlocked");
    assert_eq!(person_names(&t), ["Ana Costa"]);
    let new_key = fs::read(key_file(&t)).expect("key file");
    assert_ne!(new_key, old_key, "a new key file");

    // The passphrase stays the same.
    t.ok("lock", json!({}));
    assert_eq!(
        t.ok("unlock", json!({"passphrase": PASSPHRASE}))["state"],
        "unlocked"
    );
    assert_eq!(person_names(&t), ["Ana Costa"]);

    // "The old code no longer works."
    t.ok("lock", json!({}));
    let old = t.err(
        "recover",
        json!({"code": first_code, "newPassphrase": NEW_PASSPHRASE}),
    );
    assert_eq!(old["code"], "wrong_passphrase", "{old}");

    // An old copy of the key file put back by hand, with the old code: still nothing (the
    // later copy beside the backups wins), and the passphrase opens the journal.
    fs::write(key_file(&t), &old_key).expect("old key file back");
    let old = t.err(
        "recover",
        json!({"code": first_code, "newPassphrase": NEW_PASSPHRASE}),
    );
    assert_eq!(old["code"], "wrong_passphrase", "{old}");
    assert_eq!(t.ok("app_status", json!({}))["state"], "locked");
    t.ok("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(fs::read(key_file(&t)).expect("key file"), new_key);

    // The backup was re-encrypted, not removed, and restores with the passphrase.
    let listed = t.ok("backups", json!({}));
    let listed = listed.as_array().expect("a list");
    assert!(
        listed.iter().any(|b| b["path"] == backup["path"]),
        "{listed:?}"
    );
    t.ok("add_person", json!({"person": {"name": "After Backup"}}));
    let status = t.ok(
        "restore_backup",
        json!({"path": backup["path"], "passphrase": PASSPHRASE}),
    );
    assert_eq!(status["state"], "locked");
    t.ok("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(person_names(&t), ["Ana Costa"]);

    // And the new code is the one that recovers.
    t.ok("lock", json!({}));
    t.ok(
        "recover",
        json!({"code": code, "newPassphrase": NEW_PASSPHRASE}),
    );
    assert_eq!(person_names(&t), ["Ana Costa"]);
}

/// Settings promises, when the leader confirms removal: the backups "cannot be restored
/// afterwards; the journal itself is kept".
#[test]
fn rekey_can_remove_the_old_backups_and_keeps_the_journal() {
    let t = TestApp::new();
    t.create_journal();
    t.ok("add_person", json!({"person": {"name": "Ana Costa"}}));
    let backup = t.ok("backup_now", json!({}));
    let backup_path = backup["path"].as_str().expect("a path").to_string();
    let old_key = fs::read(key_file(&t)).expect("key file");

    rekey(&t, PASSPHRASE, "remove").expect("rekeyed");
    assert_eq!(t.ok("backups", json!({})), json!([]));

    // "Replaces the key itself": with no later copy beside a backup to win (the next unlock
    // makes a backup under the new key), the old key file put back unwraps the old data key,
    // which opens nothing any more, even with the passphrase.
    t.ok("lock", json!({}));
    let new_key = fs::read(key_file(&t)).expect("key file");
    assert_ne!(new_key, old_key);
    fs::write(key_file(&t), &old_key).expect("old key file back");
    let err = t.err("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(err["code"], "journal_damaged", "{err}");
    assert_eq!(t.ok("app_status", json!({}))["state"], "locked");
    fs::write(key_file(&t), &new_key).expect("new key file back");
    t.ok("unlock", json!({"passphrase": PASSPHRASE}));
    assert!(!Path::new(&backup_path).exists(), "{backup_path} is gone");
    let err = t.err(
        "restore_backup",
        json!({"path": backup_path, "passphrase": PASSPHRASE}),
    );
    assert!(
        matches!(err["code"].as_str(), Some("invalid_input" | "not_found")),
        "{err}"
    );
    assert_eq!(t.ok("app_status", json!({}))["state"], "unlocked");
    assert_eq!(person_names(&t), ["Ana Costa"]);
    t.ok("lock", json!({}));
    t.ok("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(person_names(&t), ["Ana Costa"]);
}

/// Like every journal command, it answers journal_locked while locked and changes nothing.
#[test]
fn rekey_while_locked_answers_journal_locked() {
    let t = TestApp::new();
    t.create_journal();
    t.ok("lock", json!({}));
    let before = files_under(t.dir.path());
    let err = rekey(&t, PASSPHRASE, "reencrypt").expect_err("refused");
    assert_eq!(err["code"], "journal_locked", "{err}");
    assert!(files_under(t.dir.path()) == before, "nothing changed");
}
