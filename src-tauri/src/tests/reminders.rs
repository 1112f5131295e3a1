//! A click on a reminder: the window hears an event that carries nothing, and after unlock the
//! UI takes the meeting to open, once; a meeting trashed since is not offered.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde_json::{json, Value};
use tauri::{Listener, Manager};
use touchpoint_core::model::{NewPerson, NewTouchpoint, TouchpointKind, TouchpointState};
use uuid::Uuid;

use super::{TestApp, PASSPHRASE};
use crate::reminders::{answer_click, ReminderClicks, REMINDER_CLICKED};
use crate::state::SessionState;

fn add_draft(t: &TestApp, with: &str) -> Uuid {
    t.app
        .state::<SessionState>()
        .with_journal(|j| {
            let who = j.add_person(NewPerson {
                name: with.into(),
                ..Default::default()
            })?;
            j.add_touchpoint(NewTouchpoint {
                kind: TouchpointKind::OneOnOne,
                occurred_at: Some(Utc::now().fixed_offset()),
                duration_minutes: Some(30),
                title: format!("Weekly with {with}"),
                participants: vec![who.id],
                team: None,
                affected_groups: Vec::new(),
                notes: String::new(),
                tags: Vec::new(),
                private: false,
                source: "calendar-uid".into(),
                state: Some(TouchpointState::Draft),
            })
        })
        .expect("a draft")
        .id
}

/// Clicked while locked: the event says only that a reminder was clicked; the meeting waits
/// for the unlock, is answered once, and a trashed one is not answered at all.
#[test]
fn a_clicked_reminder_opens_its_meeting_after_unlock() {
    let t = TestApp::new();
    t.create_journal();
    let meeting = add_draft(&t, "Ana Lima");
    let heard: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = Arc::clone(&heard);
    t.app.listen(REMINDER_CLICKED, move |e| {
        record.lock().unwrap().push(e.payload().to_string());
    });
    assert_eq!(t.ok("take_reminder_open", json!({})), Value::Null);

    let number = t.app.state::<ReminderClicks>().shown(meeting);
    t.ok("lock", json!({}));
    answer_click(t.app.handle(), number);
    assert_eq!(
        *heard.lock().unwrap(),
        vec!["null".to_string()],
        "nothing in the event"
    );
    assert_eq!(
        t.err("take_reminder_open", json!({}))["code"],
        "journal_locked"
    );
    t.ok("unlock", json!({ "passphrase": PASSPHRASE }));
    assert_eq!(
        t.ok("take_reminder_open", json!({})),
        json!(meeting.to_string())
    );
    assert_eq!(t.ok("take_reminder_open", json!({})), Value::Null, "once");

    answer_click(t.app.handle(), number + 1000);
    assert_eq!(heard.lock().unwrap().len(), 1, "not one of ours: nothing");

    answer_click(t.app.handle(), number);
    t.ok("trash_touchpoint", json!({ "id": meeting }));
    assert_eq!(t.ok("take_reminder_open", json!({})), Value::Null);
}
