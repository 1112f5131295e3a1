//! Linked calendar files over IPC: only a picked file links, and the shell syncs at unlock and
//! when the file changes on disk, without a command.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tauri::Manager;

use super::{TestApp, PASSPHRASE};
use crate::files::PickedFiles;

fn ics(events: &[(&str, &str)]) -> String {
    let start = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n");
    for (uid, title) in events {
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDURATION:PT30M\r\nSUMMARY:{title}\r\nORGANIZER;CN=Me:mailto:me@example.org\r\nATTENDEE;CN=Ana:mailto:ana@example.org\r\nEND:VEVENT\r\n"
        ));
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

/// Replaces `path` as a sync tool does: a new file renamed over it.
fn replace(path: &Path, text: &str) {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

fn pick(t: &TestApp, path: &Path) -> String {
    t.app
        .state::<PickedFiles>()
        .allow(path, false)
        .expect("allowed");
    path.to_string_lossy().into_owned()
}

/// A journal with `work.ics` (one meeting) linked; answers the file's path.
fn linked(t: &TestApp) -> PathBuf {
    t.create_journal();
    let file = t.dir.path().join("work.ics");
    std::fs::write(&file, ics(&[("a-1", "Weekly 1:1")])).expect("write");
    let linked = t.ok("link_calendar", json!({ "path": pick(t, &file) }));
    assert_eq!(linked["status"], "ok", "{linked}");
    assert_eq!(linked["last_import"]["added"], 1);
    file.canonicalize().expect("canonical")
}

/// Waits (at most 15 s) until the linked file's last import satisfies `done`.
fn wait_for(t: &TestApp, done: impl Fn(&Value) -> bool) -> Value {
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let list = t.ok("linked_calendars", json!({}));
        if done(&list[0]) {
            return list[0].clone();
        }
        assert!(Instant::now() < until, "not synced in time: {list}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many events the last import of a link looked at.
fn seen_events(l: &Value) -> u64 {
    let i = &l["last_import"];
    i["added"].as_u64().unwrap_or(0) + i["unchanged"].as_u64().unwrap_or(0)
}

/// Drafts waiting for reflection, as Today counts them.
fn meetings(t: &TestApp) -> usize {
    let today = t.ok("today", json!({}));
    today["drafts"].as_array().map_or(0, Vec::len)
}

#[test]
fn only_a_picked_calendar_file_links() {
    let t = TestApp::new();
    t.create_journal();
    let file = t.dir.path().join("work.ics");
    std::fs::write(&file, ics(&[("a-1", "Weekly 1:1")])).expect("write");
    let err = t.err("link_calendar", json!({ "path": file.to_string_lossy() }));
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert_eq!(t.ok("linked_calendars", json!({})), json!([]));

    let export = t.dir.path().join("export.json");
    std::fs::write(&export, r#"{"format": "touchpoint-export", "version": 1}"#).expect("write");
    let err = t.err("link_calendar", json!({ "path": pick(&t, &export) }));
    assert_eq!(err["code"], "invalid_input", "{err}");

    let linked = t.ok("link_calendar", json!({ "path": pick(&t, &file) }));
    let path = linked["path"].as_str().expect("path").to_string();
    assert_eq!(t.ok("linked_calendars", json!({}))[0]["path"], path);
    let synced = t.ok("sync_calendars", json!({}));
    assert_eq!(synced[0]["last_import"]["unchanged"], 1);
    t.ok("unlink_calendar", json!({ "path": path }));
    assert_eq!(t.ok("linked_calendars", json!({})), json!([]));
    let err = t.err("unlink_calendar", json!({ "path": path }));
    assert_eq!(err["code"], "not_found", "{err}");
}

#[test]
fn a_linked_file_is_synced_at_unlock_and_when_it_changes() {
    let t = TestApp::new();
    let file = linked(&t);
    let first = t.ok("linked_calendars", json!({}))[0]["synced_at"].clone();
    assert_eq!(meetings(&t), 1);

    // Changed while locked: read at the next unlock, which does not wait for it.
    t.ok("lock", json!({}));
    replace(&file, &ics(&[("a-1", "Weekly 1:1"), ("b-2", "Planning")]));
    t.ok("unlock", json!({ "passphrase": PASSPHRASE }));
    wait_for(&t, |l| l["synced_at"] != first && seen_events(l) == 2);
    assert_eq!(meetings(&t), 2);

    // Changed while unlocked: picked up without any command.
    replace(
        &file,
        &ics(&[("a-1", "Weekly 1:1"), ("b-2", "Planning"), ("c-3", "Retro")]),
    );
    wait_for(&t, |l| seen_events(l) == 3);
    assert_eq!(meetings(&t), 3);

    // Deleted: a status, found without a command too; its meetings stay.
    std::fs::remove_file(&file).expect("remove");
    let gone = wait_for(&t, |l| l["status"] == "missing");
    assert!(gone["message"]
        .as_str()
        .expect("message")
        .contains("no file"));
    assert_eq!(meetings(&t), 3);
}
