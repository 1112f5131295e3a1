//! Nothing typed is lost: the unsaved form kept through a lock, and typing that holds the lock off.

use std::time::Duration;

use serde_json::json;
use tauri::Manager;

use super::{TestApp, PASSPHRASE};
use crate::state::SessionState;
use crate::ClockReading;

fn reflection_draft(text: &str) -> serde_json::Value {
    json!({
        "form": "reflection",
        "touchpoint_id": "01900000-0000-7000-8000-00000000b001",
        "label": "your reflection on “Weekly 1:1”",
        "state": json!({ "drafts": [{ "theirSide": text }] }).to_string(),
        "saved_at": "2026-12-03T09:00:00Z",
    })
}

/// A draft kept before the lock is there after unlock; while locked nothing can be written;
/// discarding forgets it.
#[test]
fn an_unsaved_form_outlives_the_lock() {
    let t = TestApp::new();
    t.create_journal();
    assert_eq!(t.ok("form_draft", json!({})), json!(null));
    let draft = reflection_draft("felt overruled in public");
    t.ok("save_form_draft", json!({ "draft": draft }));
    t.ok("lock", json!({}));
    for cmd in ["form_draft", "discard_form_draft", "note_activity"] {
        assert_eq!(t.err(cmd, json!({}))["code"], "journal_locked", "{cmd}");
    }
    let err = t.err(
        "save_form_draft",
        json!({ "draft": reflection_draft("written while locked") }),
    );
    assert_eq!(err["code"], "journal_locked");
    t.ok("unlock", json!({ "passphrase": PASSPHRASE }));
    assert_eq!(t.ok("form_draft", json!({})), draft);
    t.ok("discard_form_draft", json!({}));
    assert_eq!(t.ok("form_draft", json!({})), json!(null));
}

/// A malformed draft is refused as `invalid_input` and the kept one stays.
#[test]
fn a_malformed_draft_is_refused() {
    let t = TestApp::new();
    t.create_journal();
    let draft = reflection_draft("kept");
    t.ok("save_form_draft", json!({ "draft": draft }));
    let mut bad = reflection_draft("x");
    bad["state"] = json!("not json");
    assert_eq!(
        t.err("save_form_draft", json!({ "draft": bad }))["code"],
        "invalid_input"
    );
    assert_eq!(t.ok("form_draft", json!({})), draft);
}

/// Typing reported by `note_activity` pushes the auto-lock back, like any journal command.
#[test]
fn typing_holds_the_auto_lock_off() {
    let t = TestApp::new();
    t.create_journal();
    std::thread::sleep(Duration::from_millis(20));
    let before_typing = ClockReading::now();
    t.ok("note_activity", json!({}));
    let state = t.app.state::<SessionState>();
    // Ten minutes after `before_typing` is less than ten minutes after the typing.
    assert!(state
        .lock_if_idle(before_typing.later_by(Duration::from_secs(600)))
        .is_none());
    assert!(state
        .lock_if_idle(before_typing.later_by(Duration::from_secs(601)))
        .is_some());
}
