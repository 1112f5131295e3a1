//! Reminders to reflect: a desktop notification when a meeting imported from a calendar ends.
//!
//! A thread looks once a minute for drafts (calendar meetings not reflected on yet) whose end
//! has just passed, and notifies once per meeting. While the journal is unlocked it reads the
//! coming day's schedule of meeting ends from the core (ids and times only, however many drafts
//! lie ahead); it keeps that schedule in memory, so meetings that end while the journal is
//! locked are announced too, always with the plain text, since nothing else may be read then.
//! Looking does not count as activity, so reminders never keep an idle journal from locking.
//!
//! A notification leaves the journal: the desktop's notification service may keep it in a
//! history or show it over a locked screen. So a reminder names no meeting and no person
//! unless the leader turned "Show names and titles in reminders" on ([`reminder_text`]).

use std::collections::HashSet;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use touchpoint_core::model::Touchpoint;
use touchpoint_core::vault::MeetingEnd;
use touchpoint_core::Journal;
use uuid::Uuid;

use crate::state::SessionState;

/// How often the thread looks.
const CHECK_EVERY: Duration = Duration::from_secs(60);

/// Meetings that ended longer ago than this are not announced (an import of last month's
/// calendar must not fire a burst of notifications).
const RECENT_MINUTES: i64 = 15;

/// How far ahead the schedule kept for a locked journal reaches.
const AHEAD_HOURS: i64 = 24;

/// The running reminder thread; dropping it stops the thread at its next tick.
pub struct Reminders {
    _stop: mpsc::Sender<()>,
}

/// The meetings to announce now: ended within the last [`RECENT_MINUTES`], not announced yet.
pub fn due(
    schedule: &[MeetingEnd],
    now: DateTime<Utc>,
    announced: &HashSet<Uuid>,
) -> Vec<MeetingEnd> {
    schedule
        .iter()
        .filter(|m| !announced.contains(&m.id))
        .filter(|m| {
            m.ends_at <= now && now - m.ends_at <= chrono::Duration::minutes(RECENT_MINUTES)
        })
        .copied()
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

/// What the thread keeps between ticks: ids and times only, so it may outlive the lock.
#[derive(Default)]
struct Kept {
    /// "Remind after meetings", as last read from the journal.
    enabled: bool,
    /// The coming day's meeting ends, as last read from the journal.
    schedule: Vec<MeetingEnd>,
    /// Meetings already announced this run.
    announced: HashSet<Uuid>,
}

/// A reminder's text for meeting `id`, read while the journal is open: names and the title only
/// when the leader asked for them.
fn text_for(journal: &Journal, id: Uuid, show_details: bool) -> ReminderText {
    let meeting = show_details.then(|| journal.touchpoint(id).ok()).flatten();
    match meeting {
        Some(t) => {
            let names: Vec<String> = t
                .participants
                .iter()
                .filter_map(|p| journal.person(*p).ok().map(|p| p.name))
                .collect();
            reminder_text(&t, &names, true)
        }
        None => plain_reminder(),
    }
}

/// The reminder that names nothing.
fn plain_reminder() -> ReminderText {
    ReminderText {
        title: REMINDER_TITLE.into(),
        body: PLAIN_REMINDER.into(),
    }
}

/// One look: refreshes the schedule while the journal is open, and answers the reminders due
/// at `now` (marking them announced). Locked (`journal` is `None`), the kept schedule answers,
/// with the plain text only.
fn tick(kept: &mut Kept, journal: Option<&Journal>, now: DateTime<Utc>) -> Vec<ReminderText> {
    let mut show_details = false;
    if let Some(j) = journal {
        let settings = j.settings();
        kept.enabled = settings.remind_after_meetings;
        show_details = settings.reminders_show_details;
        if let Ok(schedule) = j.meetings_ending(
            now - chrono::Duration::minutes(RECENT_MINUTES),
            now + chrono::Duration::hours(AHEAD_HOURS),
        ) {
            kept.schedule = schedule;
        }
    }
    if !kept.enabled {
        return Vec::new();
    }
    let now_due = due(&kept.schedule, now, &kept.announced);
    now_due
        .into_iter()
        .map(|m| {
            kept.announced.insert(m.id);
            match journal {
                Some(j) => text_for(j, m.id, show_details),
                None => plain_reminder(),
            }
        })
        .collect()
}

/// Starts the reminder thread. The app must manage a [`SessionState`].
pub fn start<R: Runtime>(app: AppHandle<R>) -> Reminders {
    let (stop, stopped) = mpsc::channel::<()>();
    thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            let mut kept = Kept::default();
            loop {
                match stopped.recv_timeout(CHECK_EVERY) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
                let Some(session) = app.try_state::<SessionState>() else {
                    continue;
                };
                let now = Utc::now();
                let texts = session
                    .peek_journal(|j| tick(&mut kept, Some(j), now))
                    .unwrap_or_else(|| tick(&mut kept, None, now));
                for text in texts {
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
    use touchpoint_core::model::{TouchpointKind, TouchpointState};

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

    fn end(at: DateTime<Utc>) -> MeetingEnd {
        MeetingEnd {
            id: touchpoint_core::model::new_id(),
            ends_at: at,
        }
    }

    /// A meeting is announced once, after it ends and only while the end is recent.
    #[test]
    fn a_meeting_is_announced_once_just_after_it_ends() {
        let ends = Utc.with_ymd_and_hms(2026, 3, 2, 9, 45, 0).unwrap();
        let meeting = end(ends);
        let schedule = vec![meeting];
        let mut announced = HashSet::new();
        assert!(
            due(&schedule, ends - Span::minutes(1), &announced).is_empty(),
            "still running"
        );
        assert_eq!(due(&schedule, ends + Span::minutes(1), &announced).len(), 1);
        announced.insert(meeting.id);
        assert!(
            due(&schedule, ends + Span::minutes(2), &announced).is_empty(),
            "only once"
        );
        assert!(
            due(&schedule, ends + Span::minutes(16), &HashSet::new()).is_empty(),
            "too long ago to announce"
        );
    }

    /// While the journal is locked the schedule kept from the last look still announces the
    /// meetings that end, once each, with the plain text; with reminders off, nothing.
    #[test]
    fn a_locked_journal_is_still_reminded_without_names() {
        let now = Utc::now();
        let mut kept = Kept {
            enabled: true,
            schedule: vec![end(now - Span::minutes(2)), end(now + Span::minutes(30))],
            announced: HashSet::new(),
        };
        let texts = tick(&mut kept, None, now);
        assert_eq!(texts, vec![plain_reminder()]);
        assert!(tick(&mut kept, None, now).is_empty(), "once per meeting");
        let later = tick(&mut kept, None, now + Span::minutes(31));
        assert_eq!(later, vec![plain_reminder()], "the next one, still locked");
        kept.enabled = false;
        kept.schedule.push(end(now + Span::minutes(40)));
        assert!(tick(&mut kept, None, now + Span::minutes(41)).is_empty());
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
}
