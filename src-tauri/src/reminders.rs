//! Reminders to reflect: a desktop notification when a meeting imported from a calendar ends.
//!
//! A thread looks once a minute for drafts (calendar meetings not reflected on yet) whose end
//! has just passed, and notifies once per meeting. While the journal is unlocked it reads the
//! coming day's schedule of meeting ends from the core (ids and times only, however many drafts
//! lie ahead); it keeps that schedule in memory, so meetings that end while the journal is
//! locked are announced too, always with the plain text, since nothing else may be read then.
//! Looking does not count as activity, so reminders never keep an idle journal from locking.
//!
//! A click on a reminder brings the window forward and, once the journal is unlocked (at once
//! if it is), opens that meeting's reflection: the plugin reports the click (`tap`) with the
//! notification's number, [`ReminderClicks`] knows which meeting that number stands for, keeps
//! it in memory only, and the UI takes it with the `take_reminder_open` command when it hears
//! [`REMINDER_CLICKED`] or has just been unlocked. The event carries nothing, so nothing of the
//! journal reaches a locked window.
//!
//! A notification leaves the journal: the desktop's notification service may keep it in a
//! history or show it over a locked screen. So a reminder names no meeting and no person
//! unless the leader turned "Show names and titles in reminders" on ([`reminder_text`]).

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Emitter, Manager, Runtime};
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

/// The event the app emits when a reminder was clicked; it carries nothing.
pub const REMINDER_CLICKED: &str = "reminder-clicked";

/// The meetings to announce now: those whose end plus `delay_minutes` (the journal's
/// `remind_minutes_after_end`) has passed, but not more than [`RECENT_MINUTES`] ago, and not
/// announced yet.
pub fn due(
    schedule: &[MeetingEnd],
    now: DateTime<Utc>,
    delay_minutes: u32,
    announced: &HashSet<Uuid>,
) -> Vec<MeetingEnd> {
    let delay = chrono::Duration::minutes(i64::from(delay_minutes));
    schedule
        .iter()
        .filter(|m| !announced.contains(&m.id))
        .filter(|m| {
            let at = m.ends_at + delay;
            at <= now && now - at <= chrono::Duration::minutes(RECENT_MINUTES)
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
    /// Minutes after a meeting's end its reminder comes, as last read from the journal.
    delay_minutes: u32,
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
/// at `now`, each with its meeting (marking them announced). Locked (`journal` is `None`), the
/// kept schedule answers, with the plain text only.
fn tick(
    kept: &mut Kept,
    journal: Option<&Journal>,
    now: DateTime<Utc>,
) -> Vec<(Uuid, ReminderText)> {
    let mut show_details = false;
    if let Some(j) = journal {
        let settings = j.settings();
        kept.enabled = settings.remind_after_meetings;
        kept.delay_minutes = settings.remind_minutes_after_end;
        show_details = settings.reminders_show_details;
        let since = chrono::Duration::minutes(RECENT_MINUTES + i64::from(kept.delay_minutes));
        if let Ok(schedule) =
            j.meetings_ending(now - since, now + chrono::Duration::hours(AHEAD_HOURS))
        {
            kept.schedule = schedule;
        }
    }
    if !kept.enabled {
        return Vec::new();
    }
    let now_due = due(&kept.schedule, now, kept.delay_minutes, &kept.announced);
    now_due
        .into_iter()
        .map(|m| {
            kept.announced.insert(m.id);
            let text = match journal {
                Some(j) => text_for(j, m.id, show_details),
                None => plain_reminder(),
            };
            (m.id, text)
        })
        .collect()
}

/// Which meeting each shown reminder stands for, and the one clicked, to open after unlock.
/// Ids only, in memory only: never written anywhere, gone when the app quits.
#[derive(Default)]
pub struct ReminderClicks {
    inner: Mutex<Clicks>,
}

#[derive(Default)]
struct Clicks {
    /// The meeting of each reminder shown this run, by the number it was shown with.
    shown: HashMap<i32, Uuid>,
    /// The last number given out.
    last: i32,
    /// The meeting of the reminder clicked last, not opened yet.
    pending: Option<Uuid>,
}

impl ReminderClicks {
    fn inner(&self) -> MutexGuard<'_, Clicks> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Notes that a reminder for `meeting` is about to be shown; answers the number to show it
    /// with, which its click reports.
    pub fn shown(&self, meeting: Uuid) -> i32 {
        let mut c = self.inner();
        c.last = c.last.wrapping_add(1);
        let number = c.last;
        c.shown.insert(number, meeting);
        number
    }

    /// A click on the reminder shown with `number`: its meeting is the one to open (a later
    /// click replaces an earlier one). False when the number is not one of ours.
    pub fn clicked(&self, number: i32) -> bool {
        let mut c = self.inner();
        match c.shown.get(&number).copied() {
            Some(meeting) => {
                c.pending = Some(meeting);
                true
            }
            None => false,
        }
    }

    /// The meeting to open now, taken (so it opens once), if it is still in `journal` and not in
    /// the trash; `None` otherwise, and the UI stays where it is.
    pub fn take(&self, journal: &Journal) -> Option<Uuid> {
        let meeting = self.inner().pending.take()?;
        journal.touchpoint(meeting).ok().map(|t| t.id)
    }
}

/// A click on the reminder shown with `number`: brings the window forward and tells the UI,
/// which asks for the meeting once the journal is unlocked.
pub(crate) fn answer_click<R: Runtime>(app: &AppHandle<R>, number: i32) {
    let Some(clicks) = app.try_state::<ReminderClicks>() else {
        return;
    };
    if clicks.clicked(number) {
        crate::focus_main_window(app);
        let _ = app.emit(REMINDER_CLICKED, ());
    }
}

/// Shows one reminder, numbered so its click can be told apart.
fn show<R: Runtime>(app: &AppHandle<R>, meeting: Uuid, text: ReminderText) {
    let Some(clicks) = app.try_state::<ReminderClicks>() else {
        return;
    };
    let number = clicks.shown(meeting);
    if let Some(file) = e2e::notifications() {
        e2e::record(&file, &text);
        answer_click(app, number);
        return;
    }
    let shown = app
        .notification()
        .builder()
        .id(number)
        .title(text.title)
        .body(text.body)
        .show();
    if let Err(e) = shown {
        eprintln!("touchpoint: cannot show a reminder: {e}");
    }
}

/// End-to-end tests cannot see the desktop's notifications (under Xvfb there is no notification
/// service, and WebDriver cannot reach one): in debug builds `TOUCHPOINT_E2E_NOTIFICATIONS`
/// names a file; while that file exists, each reminder is appended to it (title, a tab, body,
/// one line) instead of being shown and counts as clicked at once, and the thread looks every
/// second. The spec that tests reminders creates the file; the others never see the hook.
mod e2e {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::ReminderText;

    /// The file reminders go to, when the test hook is on.
    #[cfg(debug_assertions)]
    pub fn notifications() -> Option<PathBuf> {
        std::env::var_os("TOUCHPOINT_E2E_NOTIFICATIONS")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|file| file.is_file())
    }

    #[cfg(not(debug_assertions))]
    pub fn notifications() -> Option<PathBuf> {
        None
    }

    /// How often the thread looks: every second under the test hook.
    pub fn check_every(normal: Duration) -> Duration {
        if notifications().is_some() {
            Duration::from_secs(1)
        } else {
            normal
        }
    }

    /// Appends a reminder's text to the test's file.
    pub fn record(file: &std::path::Path, text: &ReminderText) {
        use std::io::Write;
        let line = format!("{}\t{}\n", text.title, text.body);
        let written = std::fs::OpenOptions::new()
            .append(true)
            .open(file)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        if let Err(e) = written {
            eprintln!("touchpoint: cannot record a reminder for the test: {e}");
        }
    }
}

/// Starts the reminder thread and listens for clicks on reminders. The app must manage a
/// [`SessionState`] and [`ReminderClicks`], and have the notification plugin.
pub fn start<R: Runtime>(app: AppHandle<R>) -> Reminders {
    let (stop, stopped) = mpsc::channel::<()>();
    // Before the first reminder: the plugin reports clicks only on notifications shown after a
    // handler exists.
    let clicked = app.clone();
    let _ = app.notification().on_action(move |performed| {
        if performed.action_id() == "tap" {
            if let Some(n) = performed.notification() {
                answer_click(&clicked, n.id());
            }
        }
    });
    thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            let mut kept = Kept::default();
            loop {
                match stopped.recv_timeout(e2e::check_every(CHECK_EVERY)) {
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
                for (meeting, text) in texts {
                    show(&app, meeting, text);
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
            due(&schedule, ends - Span::minutes(1), 0, &announced).is_empty(),
            "still running"
        );
        assert_eq!(
            due(&schedule, ends + Span::minutes(1), 0, &announced).len(),
            1
        );
        announced.insert(meeting.id);
        assert!(
            due(&schedule, ends + Span::minutes(2), 0, &announced).is_empty(),
            "only once"
        );
        assert!(
            due(&schedule, ends + Span::minutes(16), 0, &HashSet::new()).is_empty(),
            "too long ago to announce"
        );
    }

    /// With a delay, a reminder waits until the end plus the delay has passed, and the recent
    /// window counts from then: announced 15 minutes late at the latest, never earlier.
    #[test]
    fn a_reminder_waits_the_chosen_minutes_after_the_end() {
        let ends = Utc.with_ymd_and_hms(2026, 3, 2, 9, 45, 0).unwrap();
        let schedule = vec![end(ends)];
        let none = HashSet::new();
        let at =
            |minutes: i64, seconds: i64| ends + Span::minutes(minutes) + Span::seconds(seconds);
        assert!(
            due(&schedule, at(4, 59), 5, &none).is_empty(),
            "not before 5 minutes"
        );
        assert_eq!(due(&schedule, at(5, 0), 5, &none).len(), 1, "at 5 minutes");
        assert_eq!(
            due(&schedule, at(20, 0), 5, &none).len(),
            1,
            "15 minutes after that"
        );
        assert!(
            due(&schedule, at(20, 1), 5, &none).is_empty(),
            "then no more"
        );
        assert!(due(&schedule, at(59, 0), 60, &none).is_empty());
        assert_eq!(
            due(&schedule, at(60, 0), 60, &none).len(),
            1,
            "up to an hour"
        );
        assert_eq!(due(&schedule, at(0, 0), 0, &none).len(), 1, "0: at the end");
    }

    /// The delay is read from the journal with the schedule and kept while locked: a meeting
    /// that ends while locked is announced after the same delay.
    #[test]
    fn the_delay_holds_while_the_journal_is_locked() {
        let now = Utc::now();
        let mut kept = Kept {
            enabled: true,
            delay_minutes: 10,
            schedule: vec![end(now + Span::minutes(1))],
            announced: HashSet::new(),
        };
        assert!(tick(&mut kept, None, now + Span::minutes(2)).is_empty());
        assert!(tick(&mut kept, None, now + Span::minutes(10)).is_empty());
        let texts = tick(&mut kept, None, now + Span::minutes(11));
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].1, plain_reminder());
    }

    /// While the journal is locked the schedule kept from the last look still announces the
    /// meetings that end, once each, with the plain text; with reminders off, nothing.
    #[test]
    fn a_locked_journal_is_still_reminded_without_names() {
        let now = Utc::now();
        let first = end(now - Span::minutes(2));
        let next = end(now + Span::minutes(30));
        let mut kept = Kept {
            enabled: true,
            delay_minutes: 0,
            schedule: vec![first, next],
            announced: HashSet::new(),
        };
        let texts = tick(&mut kept, None, now);
        assert_eq!(texts, vec![(first.id, plain_reminder())]);
        assert!(tick(&mut kept, None, now).is_empty(), "once per meeting");
        let later = tick(&mut kept, None, now + Span::minutes(31));
        assert_eq!(
            later,
            vec![(next.id, plain_reminder())],
            "the next one, still locked"
        );
        kept.enabled = false;
        kept.schedule.push(end(now + Span::minutes(40)));
        assert!(tick(&mut kept, None, now + Span::minutes(41)).is_empty());
    }

    fn journal() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().expect("temp dir");
        let pass = touchpoint_core::secret::Passphrase::new("reminder clicks passphrase".into());
        let (journal, _code) = Journal::init(&dir.path().join("j"), &pass).expect("init");
        (dir, journal)
    }

    fn add_draft(j: &mut Journal, with: &str) -> Uuid {
        let ana = j
            .add_person(touchpoint_core::model::NewPerson {
                name: with.into(),
                ..Default::default()
            })
            .expect("person")
            .id;
        j.add_touchpoint(touchpoint_core::model::NewTouchpoint {
            kind: TouchpointKind::OneOnOne,
            occurred_at: Some(Utc::now().fixed_offset()),
            duration_minutes: Some(30),
            title: "Weekly with Ana".into(),
            participants: vec![ana],
            team: None,
            affected_groups: Vec::new(),
            notes: String::new(),
            tags: Vec::new(),
            private: false,
            source: "calendar-uid".into(),
            state: Some(TouchpointState::Draft),
        })
        .expect("draft")
        .id
    }

    /// A click on a reminder names its meeting to open after unlock, once; a click on a number
    /// that is not ours changes nothing, and a later click wins.
    #[test]
    fn a_click_leaves_its_meeting_to_open_once() {
        let (_dir, mut j) = journal();
        let first = add_draft(&mut j, "Ana Lima");
        let second = add_draft(&mut j, "Ben Okafor");
        let clicks = ReminderClicks::default();
        assert_eq!(clicks.take(&j), None, "nothing clicked");
        let n1 = clicks.shown(first);
        let n2 = clicks.shown(second);
        assert_ne!(n1, n2);
        assert!(!clicks.clicked(n2 + 100), "not one of ours");
        assert_eq!(clicks.take(&j), None);
        assert!(clicks.clicked(n1));
        assert_eq!(clicks.take(&j), Some(first));
        assert_eq!(clicks.take(&j), None, "opened once");
        assert!(clicks.clicked(n1));
        assert!(clicks.clicked(n2));
        assert_eq!(clicks.take(&j), Some(second), "the last click wins");
    }

    /// A meeting trashed (or erased) between the click and the unlock is not opened.
    #[test]
    fn a_clicked_meeting_trashed_since_is_not_opened() {
        let (_dir, mut j) = journal();
        let meeting = add_draft(&mut j, "Ana Lima");
        let clicks = ReminderClicks::default();
        assert!(clicks.clicked(clicks.shown(meeting)));
        j.trash_touchpoint(meeting, Utc::now()).expect("trash");
        assert_eq!(clicks.take(&j), None);
        assert_eq!(clicks.take(&j), None, "and forgotten");
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
