//! Reminders to reflect: a desktop notification when a meeting imported from a calendar ends.
//!
//! While the journal is unlocked and "remind after meetings" is on, a thread looks once a
//! minute for drafts (calendar meetings not reflected on yet) whose end has just passed, and
//! notifies once per meeting. Looking does not count as activity, so reminders never keep an
//! idle journal from locking.

use std::collections::HashSet;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use touchpoint_core::model::{Touchpoint, TouchpointState};
use touchpoint_core::vault::TimelineFilter;
use touchpoint_core::Journal;
use uuid::Uuid;

use crate::state::SessionState;

/// How often the thread looks.
const CHECK_EVERY: Duration = Duration::from_secs(60);

/// A meeting with no duration is taken to last this long.
const DEFAULT_MINUTES: i64 = 30;

/// Meetings that ended longer ago than this are not announced (an import of last month's
/// calendar must not fire a burst of notifications).
const RECENT_MINUTES: i64 = 15;

/// The running reminder thread; dropping it stops the thread at its next tick.
pub struct Reminders {
    _stop: mpsc::Sender<()>,
}

/// When a meeting ends.
fn end_of(t: &Touchpoint) -> DateTime<Utc> {
    let minutes = t.duration_minutes.map_or(DEFAULT_MINUTES, i64::from);
    t.occurred_at.with_timezone(&Utc) + chrono::Duration::minutes(minutes)
}

/// The drafts to announce now: ended within the last [`RECENT_MINUTES`], not announced yet.
pub fn due(
    drafts: &[Touchpoint],
    now: DateTime<Utc>,
    announced: &HashSet<Uuid>,
) -> Vec<Touchpoint> {
    drafts
        .iter()
        .filter(|t| t.state == TouchpointState::Draft && !announced.contains(&t.id))
        .filter(|t| {
            let end = end_of(t);
            end <= now && now - end <= chrono::Duration::minutes(RECENT_MINUTES)
        })
        .cloned()
        .collect()
}

/// The newest drafts of the journal, when it wants reminders.
fn drafts(journal: &Journal) -> Vec<Touchpoint> {
    if !journal.settings().remind_after_meetings {
        return Vec::new();
    }
    let filter = TimelineFilter {
        state: Some(TouchpointState::Draft),
        limit: Some(50),
        ..TimelineFilter::default()
    };
    let Ok(items) = journal.timeline(&filter) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| journal.touchpoint(i.id).ok())
        .collect()
}

/// Starts the reminder thread. The app must manage a [`SessionState`].
pub fn start<R: Runtime>(app: AppHandle<R>) -> Reminders {
    let (stop, stopped) = mpsc::channel::<()>();
    thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            let mut announced = HashSet::new();
            loop {
                match stopped.recv_timeout(CHECK_EVERY) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
                let Some(session) = app.try_state::<SessionState>() else {
                    continue;
                };
                let Some(drafts) = session.peek_journal(drafts) else {
                    continue;
                };
                for t in due(&drafts, Utc::now(), &announced) {
                    announced.insert(t.id);
                    let shown = app
                        .notification()
                        .builder()
                        .title("Time to reflect")
                        .body(format!(
                            "“{}” has ended. How would they tell it tonight?",
                            t.title
                        ))
                        .show();
                    if let Err(e) = shown {
                        eprintln!("touchpoint: cannot show a reminder: {e}");
                    }
                }
            }
        })
        .expect("the reminder thread starts");
    Reminders { _stop: stop }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration as Span, FixedOffset, TimeZone};
    use touchpoint_core::model::TouchpointKind;

    fn draft(start: DateTime<Utc>, minutes: Option<u32>) -> Touchpoint {
        let offset = FixedOffset::east_opt(3600).unwrap();
        Touchpoint {
            id: touchpoint_core::model::new_id(),
            kind: TouchpointKind::OneOnOne,
            occurred_at: start.with_timezone(&offset),
            duration_minutes: minutes,
            title: "Weekly with Ana".into(),
            participants: Vec::new(),
            team: None,
            affected_groups: Vec::new(),
            notes: String::new(),
            tags: Vec::new(),
            private: false,
            source: "calendar-uid".into(),
            state: TouchpointState::Draft,
            created_at: start.with_timezone(&offset),
        }
    }

    /// A meeting is announced once, after it ends and only while the end is recent.
    #[test]
    fn a_draft_is_announced_once_just_after_it_ends() {
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let meeting = draft(start, Some(45));
        let drafts = vec![meeting.clone()];
        let mut announced = HashSet::new();
        assert!(
            due(&drafts, start + Span::minutes(44), &announced).is_empty(),
            "still running"
        );
        let now = due(&drafts, start + Span::minutes(46), &announced);
        assert_eq!(now.len(), 1, "ended a minute ago");
        announced.insert(meeting.id);
        assert!(
            due(&drafts, start + Span::minutes(47), &announced).is_empty(),
            "only once"
        );
        assert!(
            due(&drafts, start + Span::minutes(45 + 16), &HashSet::new()).is_empty(),
            "too long ago to announce"
        );
    }

    /// Without a duration a meeting ends after half an hour; logged entries never remind.
    #[test]
    fn default_length_and_logged_entries() {
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let none = HashSet::new();
        assert!(due(&[draft(start, None)], start + Span::minutes(29), &none).is_empty());
        assert_eq!(
            due(&[draft(start, None)], start + Span::minutes(31), &none).len(),
            1
        );
        let mut logged = draft(start, None);
        logged.state = TouchpointState::Logged;
        assert!(due(&[logged], start + Span::minutes(31), &none).is_empty());
    }
}
