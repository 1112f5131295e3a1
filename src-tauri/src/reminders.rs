//! Reminders to reflect: a desktop notification when a meeting imported from a calendar ends.
//!
//! While the journal is unlocked and "remind after meetings" is on, a thread looks once a
//! minute for drafts (calendar meetings not reflected on yet) whose end has just passed, and
//! notifies once per meeting. Looking does not count as activity, so reminders never keep an
//! idle journal from locking.
//!
//! A notification leaves the journal: the desktop's notification service may keep it in a
//! history or show it over a locked screen. So a reminder names no meeting and no person
//! unless the leader turned "Show names and titles in reminders" on ([`reminder_text`]).

use std::collections::{HashMap, HashSet};
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

/// The title of every reminder.
pub const REMINDER_TITLE: &str = "Time to reflect";

/// What a reminder says when the leader has not asked for names and titles.
pub const PLAIN_REMINDER: &str = "A meeting has ended — time to reflect";

/// A reminder's text, as the notification service receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderText {
    /// The notification's title.
    pub title: String,
    /// Its body.
    pub body: String,
}

/// The one place a reminder's text is made: the meeting's title and the people in it only
/// when `show_details` (the journal's `reminders_show_details`) is on.
pub fn reminder_text(meeting: &Touchpoint, names: &[String], show_details: bool) -> ReminderText {
    let body = if !show_details {
        PLAIN_REMINDER.to_string()
    } else {
        let title = meeting.title.trim();
        let what = if title.is_empty() {
            "A meeting".to_string()
        } else {
            format!("“{title}”")
        };
        let with = if names.is_empty() {
            String::new()
        } else {
            format!(" with {}", names.join(", "))
        };
        format!("{what}{with} has ended. How would they tell it tonight?")
    };
    ReminderText {
        title: REMINDER_TITLE.into(),
        body,
    }
}

/// What the journal has to remind of: its newest drafts, and whether reminders may name them.
struct Pending {
    drafts: Vec<Touchpoint>,
    show_details: bool,
    /// Participants' names, read only when they may be shown.
    names: HashMap<Uuid, String>,
}

/// The newest drafts of the journal, when it wants reminders.
fn pending(journal: &Journal) -> Pending {
    let settings = journal.settings();
    let mut out = Pending {
        drafts: Vec::new(),
        show_details: settings.reminders_show_details,
        names: HashMap::new(),
    };
    if !settings.remind_after_meetings {
        return out;
    }
    let filter = TimelineFilter {
        state: Some(TouchpointState::Draft),
        limit: Some(50),
        ..TimelineFilter::default()
    };
    let Ok(items) = journal.timeline(&filter) else {
        return out;
    };
    out.drafts = items
        .iter()
        .filter_map(|i| journal.touchpoint(i.id).ok())
        .collect();
    if out.show_details {
        for id in out.drafts.iter().flat_map(|t| &t.participants) {
            if let Ok(p) = journal.person(*id) {
                out.names.insert(*id, p.name);
            }
        }
    }
    out
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
                let Some(pending) = session.peek_journal(pending) else {
                    continue;
                };
                for t in due(&pending.drafts, Utc::now(), &announced) {
                    announced.insert(t.id);
                    let names: Vec<String> = t
                        .participants
                        .iter()
                        .filter_map(|p| pending.names.get(p).cloned())
                        .collect();
                    let text = reminder_text(&t, &names, pending.show_details);
                    let shown = app
                        .notification()
                        .builder()
                        .title(text.title)
                        .body(text.body)
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

    /// Off (the default), a reminder says only that a meeting ended: no title, no name; on, it
    /// names the meeting and the people in it.
    #[test]
    fn a_reminder_names_nothing_unless_the_leader_asked() {
        let meeting = draft(Utc::now(), None);
        let names = vec!["Ana Lima".to_string(), "Ben Okafor".to_string()];
        let plain = reminder_text(&meeting, &names, false);
        assert_eq!(plain.title, "Time to reflect");
        assert_eq!(plain.body, "A meeting has ended — time to reflect");
        for secret in ["Weekly with Ana", "Ana", "Ben"] {
            assert!(
                !plain.title.contains(secret) && !plain.body.contains(secret),
                "{secret} must not reach the notification service"
            );
        }
        assert!(!touchpoint_core::model::Settings::default().reminders_show_details);
        let detailed = reminder_text(&meeting, &names, true);
        assert_eq!(
            detailed.body,
            "“Weekly with Ana” with Ana Lima, Ben Okafor has ended. How would they tell it tonight?"
        );
        let mut untitled = meeting.clone();
        untitled.title = "  ".into();
        assert_eq!(
            reminder_text(&untitled, &[], true).body,
            "A meeting has ended. How would they tell it tonight?"
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
