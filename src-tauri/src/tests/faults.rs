//! Faults seen from the UI: a journal damaged on disk answers `journal_damaged`, naming the file.

use serde_json::json;

use super::{TestApp, PASSPHRASE};

/// A flipped byte in the database (its first page: the key salt and the schema) is reported to
/// the unlock screen as damage, with the file and the latest backup in the message.
#[test]
fn a_damaged_database_answers_journal_damaged_on_unlock() {
    let t = TestApp::new();
    t.create_journal();
    t.ok("lock", json!({}));
    let db = t.dir.path().join("journal").join("journal.db");
    let mut bytes = std::fs::read(&db).expect("the journal's database");
    bytes[100] ^= 0x01;
    std::fs::write(&db, bytes).expect("write");
    let err = t.err("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(err["code"], "journal_damaged", "{err}");
    let message = err["message"].as_str().expect("a message");
    assert!(message.contains("journal.db"), "names the file: {message}");
    assert_eq!(t.ok("app_status", json!({}))["state"], "locked");
}
