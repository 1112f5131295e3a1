//! The auto-lock timer drops an idle journal and tells the window, on the real app's wiring.

use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};
use tauri::Listener;

use super::TestApp;
use crate::lock::{self, JOURNAL_LOCKED_EVENT};
use crate::ClockReading;

/// With a clock eleven minutes ahead, the first tick locks the journal (default 10 minutes),
/// emits `journal-locked` with the status, and every journal command then answers `journal_locked`.
#[test]
fn idle_journal_is_locked_and_the_window_told() {
    let t = TestApp::new();
    t.create_journal();
    let (tx, rx) = mpsc::channel::<String>();
    t.app.listen(JOURNAL_LOCKED_EVENT, move |event| {
        let _ = tx.send(event.payload().to_string());
    });
    let _timer = lock::start(t.app.handle().clone(), Duration::from_millis(10), || {
        ClockReading::now().later_by(Duration::from_secs(11 * 60))
    });
    let payload = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("journal-locked is emitted");
    let status: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(status["state"], "locked");
    assert_eq!(status["demo"], false);
    let err = t.err("people", json!({"includeArchived": false}));
    assert_eq!(err["code"], "journal_locked");
}

/// A journal used within its auto-lock minutes stays open through many ticks.
#[test]
fn journal_in_use_stays_open() {
    let t = TestApp::new();
    t.create_journal();
    let (tx, rx) = mpsc::channel::<String>();
    t.app.listen(JOURNAL_LOCKED_EVENT, move |event| {
        let _ = tx.send(event.payload().to_string());
    });
    let _timer = lock::start(t.app.handle().clone(), Duration::from_millis(5), || {
        ClockReading::now().later_by(Duration::from_secs(9 * 60))
    });
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "nine idle minutes must not lock a journal set to ten"
    );
    assert_eq!(t.ok("app_status", json!({}))["state"], "unlocked");
}

/// A shorter auto-lock setting applies at once.
#[test]
fn a_new_auto_lock_setting_applies_at_once() {
    let t = TestApp::new();
    t.create_journal();
    let mut settings = t.ok("settings", json!({}));
    settings["auto_lock_minutes"] = json!(2);
    t.ok("update_settings", json!({ "settings": settings }));
    assert_eq!(t.ok("app_status", json!({}))["auto_lock_minutes"], 2);
    let (tx, rx) = mpsc::channel::<String>();
    t.app.listen(JOURNAL_LOCKED_EVENT, move |event| {
        let _ = tx.send(event.payload().to_string());
    });
    let _timer = lock::start(t.app.handle().clone(), Duration::from_millis(10), || {
        ClockReading::now().later_by(Duration::from_secs(3 * 60))
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("three idle minutes lock a journal set to two");
}
