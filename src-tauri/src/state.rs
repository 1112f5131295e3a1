//! The session: which journal folder the app points at, the unlocked journal if any, and when it was last used.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use chrono::Utc;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use touchpoint_core::demo::{self, DemoSummary};
use touchpoint_core::exchange::ReviewSession;
use touchpoint_core::secret::{Passphrase, RecoveryCode};
use touchpoint_core::{vault, Journal};
use ts_rs::TS;
use zeroize::Zeroize;

use crate::error::{AppError, ErrorCode};

/// Size of the demo journal: a small team's year, enough for every screen to have something to show.
const DEMO_PEOPLE: u32 = 24;
const DEMO_TOUCHPOINTS: u32 = 1500;
/// Fixed so every demo journal tells the same story (anchored at today).
const DEMO_SEED: u64 = 20_240_601;

/// Whether there is a journal and whether it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum JournalState {
    /// The folder the app points at holds no journal: show first run.
    NoJournal,
    /// A journal is there and locked: show the unlock screen.
    Locked,
    /// The journal is open.
    Unlocked,
}

/// What the UI needs to know to pick a screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppStatus {
    /// Locked, unlocked or no journal yet.
    pub state: JournalState,
    /// The journal folder the app points at.
    pub journal_dir: String,
    /// The open (or last opened) journal is the sample journal.
    pub demo: bool,
    /// Idle minutes before the app locks itself (the last unlocked journal's setting).
    pub auto_lock_minutes: u32,
}

/// Where journals live on this machine.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The leader's journal folder: `TOUCHPOINT_JOURNAL`, else the platform default.
    pub journal: PathBuf,
    /// The sample journal's folder, in the app data folder; replaced on every demo.
    pub demo: PathBuf,
}

impl Paths {
    /// The journal folder from `--journal DIR` on the command line, else `TOUCHPOINT_JOURNAL`,
    /// else the default shared with the CLI; the demo journal in `app_data/demo-journal`.
    pub fn from_env(app_data: &Path) -> Paths {
        let journal = journal_arg(std::env::args_os().skip(1))
            .or_else(|| std::env::var_os("TOUCHPOINT_JOURNAL").filter(|v| !v.is_empty()))
            .map(PathBuf::from)
            .or_else(vault::default_dir)
            .unwrap_or_else(|| app_data.join("journal"));
        Paths {
            journal,
            demo: app_data.join("demo-journal"),
        }
    }
}

/// The value of `--journal DIR` or `--journal=DIR` among the app's arguments.
fn journal_arg(args: impl Iterator<Item = std::ffi::OsString>) -> Option<std::ffi::OsString> {
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if arg == "--journal" {
            return args.next().filter(|v| !v.is_empty());
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--journal=")) {
            return (!value.is_empty()).then(|| value.into());
        }
    }
    None
}

/// A reading of both clocks: the monotonic one never goes back, the wall clock keeps counting
/// while the machine sleeps. Idle time is the larger of the two, so a laptop that slept through
/// the auto-lock time is locked when it wakes.
#[derive(Debug, Clone, Copy)]
pub struct ClockReading {
    mono: Instant,
    wall: SystemTime,
}

impl ClockReading {
    /// Now.
    pub fn now() -> Self {
        ClockReading {
            mono: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    /// Time passed since `earlier` by whichever clock says more.
    pub fn since(self, earlier: ClockReading) -> Duration {
        let mono = self.mono.saturating_duration_since(earlier.mono);
        let wall = self.wall.duration_since(earlier.wall).unwrap_or_default();
        mono.max(wall)
    }

    /// This reading moved `by` into the future (tests fake idle time with it).
    #[cfg(test)]
    pub fn later_by(self, by: Duration) -> Self {
        ClockReading {
            mono: self.mono + by,
            wall: self.wall + by,
        }
    }
}

/// The app's one session. Dropping the journal closes the database and wipes its key.
pub struct Session {
    paths: Paths,
    /// The folder the app points at now.
    dir: PathBuf,
    journal: Option<Journal>,
    /// Someone else's export opened for review, in memory only; gone when the journal locks.
    review: Option<Review>,
    demo: bool,
    auto_lock_minutes: u32,
    last_activity: ClockReading,
    /// How many times a journal was opened this run: background work tells a fresh unlock by it.
    opened: u64,
}

/// An export under review and the key its unsent comments are kept under in the reviewer's
/// own journal.
pub struct Review {
    /// The export and the comments written so far.
    pub session: ReviewSession,
    /// Sender and export time: identifies the bundle across lock and unlock.
    pub drafts_key: String,
}

impl Session {
    fn new(paths: Paths) -> Self {
        Session {
            dir: paths.journal.clone(),
            paths,
            journal: None,
            review: None,
            demo: false,
            auto_lock_minutes: touchpoint_core::model::Settings::default().auto_lock_minutes,
            last_activity: ClockReading::now(),
            opened: 0,
        }
    }

    fn status(&self) -> AppStatus {
        let state = if self.journal.is_some() {
            JournalState::Unlocked
        } else if vault::exists(&self.dir) {
            JournalState::Locked
        } else {
            JournalState::NoJournal
        };
        AppStatus {
            state,
            journal_dir: self.dir.to_string_lossy().into_owned(),
            demo: self.demo,
            auto_lock_minutes: self.auto_lock_minutes,
        }
    }

    /// Makes `journal` the open one and starts its idle clock.
    fn open(&mut self, journal: Journal, demo: bool) {
        self.dir = journal.dir().to_path_buf();
        self.auto_lock_minutes = journal.settings().auto_lock_minutes;
        self.journal = Some(journal);
        self.demo = demo;
        self.last_activity = ClockReading::now();
        self.opened += 1;
    }

    /// Drops the open journal. The demo's passphrase was random and is gone, so leaving the demo
    /// points the app back at the leader's own journal folder.
    fn close(&mut self) {
        self.review = None;
        self.journal = None;
        if self.demo {
            self.demo = false;
            self.dir = self.paths.journal.clone();
        }
    }

    /// Locks when the journal has been idle for its auto-lock minutes; answers the new status.
    fn lock_if_idle(&mut self, now: ClockReading) -> Option<AppStatus> {
        self.journal.as_ref()?;
        let limit = Duration::from_secs(u64::from(self.auto_lock_minutes.max(1)) * 60);
        if now.since(self.last_activity) < limit {
            return None;
        }
        self.close();
        Some(self.status())
    }
}

/// The session as Tauri manages it: one lock around everything, so a command never sees a
/// journal half-opened or half-locked.
pub struct SessionState {
    session: Mutex<Session>,
}

impl SessionState {
    /// A session pointing at `paths.journal`, locked.
    pub fn new(paths: Paths) -> Self {
        SessionState {
            session: Mutex::new(Session::new(paths)),
        }
    }

    /// The session. A command that panicked while holding it may have left it half-changed:
    /// fail closed by locking the journal.
    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|poisoned| {
            let mut session = poisoned.into_inner();
            session.close();
            self.session.clear_poison();
            session
        })
    }

    /// Where the app stands now. Not counted as activity, so polling it never keeps a journal open.
    pub fn status(&self) -> AppStatus {
        self.session().status()
    }

    /// Runs `f` on the open journal, or answers `journal_locked`. Success counts as activity.
    pub fn with_journal<T, E: Into<AppError>>(
        &self,
        f: impl FnOnce(&mut Journal) -> Result<T, E>,
    ) -> Result<T, AppError> {
        let mut session = self.session();
        let journal = session.journal.as_mut().ok_or_else(AppError::locked)?;
        let out = f(journal).map_err(Into::into)?;
        let minutes = journal.settings().auto_lock_minutes;
        session.auto_lock_minutes = minutes;
        session.last_activity = ClockReading::now();
        Ok(out)
    }

    /// Runs `f` on the open journal without counting it as activity (background work such as
    /// reminders must not keep an idle journal open); `None` when locked.
    pub fn peek_journal<T>(&self, f: impl FnOnce(&Journal) -> T) -> Option<T> {
        let session = self.session();
        session.journal.as_ref().map(f)
    }

    /// Runs `f` on the open journal and the export under review, or answers `journal_locked`
    /// (or `not_found` when no export is open for review). Success counts as activity.
    pub fn with_review<T, E: Into<AppError>>(
        &self,
        f: impl FnOnce(&mut Journal, &mut Review) -> Result<T, E>,
    ) -> Result<T, AppError> {
        let mut session = self.session();
        let Session {
            journal, review, ..
        } = &mut *session;
        let journal = journal.as_mut().ok_or_else(AppError::locked)?;
        let review = review.as_mut().ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                "no journal is open for review; open a bundle first",
            )
        })?;
        let out = f(journal, review).map_err(Into::into)?;
        session.last_activity = ClockReading::now();
        Ok(out)
    }

    /// Starts reviewing an export (replacing any other under review); needs the journal open.
    pub fn start_review(&self, review: Review) -> Result<(), AppError> {
        let mut session = self.session();
        if session.journal.is_none() {
            return Err(AppError::locked());
        }
        session.review = Some(review);
        session.last_activity = ClockReading::now();
        Ok(())
    }

    /// Stops reviewing; the export is dropped from memory (unsent comments stay saved).
    pub fn end_review(&self) {
        self.session().review = None;
    }

    /// Locks the journal now (a no-op when it is locked).
    pub fn lock(&self) -> AppStatus {
        let mut session = self.session();
        session.close();
        session.status()
    }

    /// The auto-lock check: locks when idle too long and answers the new status, else `None`.
    pub fn lock_if_idle(&self, now: ClockReading) -> Option<AppStatus> {
        self.session().lock_if_idle(now)
    }

    /// Creates a journal in `dir` (the leader's folder when `None`), leaves it unlocked and
    /// answers the recovery code to show once.
    pub fn create(
        &self,
        dir: Option<PathBuf>,
        passphrase: &Passphrase,
    ) -> Result<RecoveryCode, AppError> {
        let mut session = self.session();
        let dir = dir.unwrap_or_else(|| session.paths.journal.clone());
        session.close();
        let (journal, code) = Journal::init(&dir, passphrase)?;
        session.open(journal, false);
        Ok(code)
    }

    /// Points the app at another existing journal folder, locked.
    pub fn choose(&self, dir: PathBuf) -> Result<AppStatus, AppError> {
        if !vault::exists(&dir) {
            return Err(touchpoint_core::Error::NoJournal(dir).into());
        }
        let mut session = self.session();
        session.close();
        session.dir = dir;
        Ok(session.status())
    }

    /// Replaces the sample journal with a fresh one under a random passphrase nobody ever sees,
    /// fills it and leaves it unlocked.
    pub fn create_demo(&self) -> Result<DemoSummary, AppError> {
        let mut session = self.session();
        let dir = session.paths.demo.clone();
        if dir == session.paths.journal {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "the demo folder is the journal folder; refusing to replace it",
            ));
        }
        session.close();
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| {
                touchpoint_core::Error::io(
                    format!("cannot remove the old demo in {}", dir.display()),
                    e,
                )
            })?;
        }
        let (mut journal, _code) = Journal::init(&dir, &random_passphrase())?;
        let summary = demo::generate(
            &mut journal,
            DEMO_PEOPLE,
            DEMO_TOUCHPOINTS,
            DEMO_SEED,
            demo::today_anchor(),
        )?;
        session.open(journal, true);
        Ok(summary)
    }

    /// Opens the journal with its passphrase (a no-op when it is open).
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<AppStatus, AppError> {
        let mut session = self.session();
        if session.journal.is_none() {
            let journal = Journal::open(&session.dir, passphrase)?;
            backup_if_due(&journal);
            session.open(journal, false);
        }
        Ok(session.status())
    }

    /// Opens the journal with the recovery code and sets a new passphrase.
    pub fn recover(
        &self,
        code: &RecoveryCode,
        new_passphrase: &Passphrase,
    ) -> Result<AppStatus, AppError> {
        let mut session = self.session();
        session.close();
        let journal = Journal::recover(&session.dir, code, new_passphrase)?;
        backup_if_due(&journal);
        session.open(journal, false);
        Ok(session.status())
    }

    /// Replaces the open journal's database with a backup and leaves the journal locked.
    /// `backup` picks the backup file while the journal is still open (to check the path).
    pub fn restore(
        &self,
        backup: impl FnOnce(&Journal) -> Result<PathBuf, AppError>,
        passphrase: &Passphrase,
    ) -> Result<AppStatus, AppError> {
        let mut session = self.session();
        let journal = session.journal.as_ref().ok_or_else(AppError::locked)?;
        // A wrong passphrase must leave the journal open, not closed for a restore that then
        // fails: check it while the journal is still open. A damaged key file is left to the
        // restore, which can fall back to the backup's copy of the key.
        if let Err(e @ touchpoint_core::Error::WrongPassphrase) =
            journal.check_passphrase(passphrase)
        {
            return Err(e.into());
        }
        let file = backup(journal)?;
        let dir = session.dir.clone();
        // The restore takes the folder lock, which the open journal holds.
        session.journal = None;
        let restored = Journal::restore(&dir, &file, passphrase);
        session.close();
        restored?;
        Ok(session.status())
    }
}

/// Makes the automatic backup when one is due. A failure must not stop the leader from working;
/// the backups screen shows how old the newest backup is.
fn backup_if_due(journal: &Journal) {
    if let Err(e) = journal.backup_if_due(Utc::now()) {
        eprintln!("touchpoint: the automatic backup failed: {e}");
    }
}

/// Background work on the open journal (linked calendars), which never counts as activity.
impl SessionState {
    /// The number of the journal opening in force (it changes at every unlock), or `None`
    /// while the journal is locked.
    pub fn opened(&self) -> Option<u64> {
        let session = self.session();
        session.journal.as_ref().map(|_| session.opened)
    }

    /// Runs `f` on the open journal of opening `opened` without counting it as activity (a
    /// sync must not keep an idle journal open); `None` when locked or opened again since.
    pub fn work_quietly<T>(&self, opened: u64, f: impl FnOnce(&mut Journal) -> T) -> Option<T> {
        let mut session = self.session();
        if session.opened != opened {
            return None;
        }
        session.journal.as_mut().map(f)
    }
}

/// 256 random bits, hex-encoded: the demo journal's passphrase, kept only until it is opened.
fn random_passphrase() -> Passphrase {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let text = hex::encode(bytes);
    bytes.zeroize();
    Passphrase::new(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session_in(dir: &Path) -> SessionState {
        SessionState::new(Paths {
            journal: dir.join("journal"),
            demo: dir.join("demo"),
        })
    }

    fn pass() -> Passphrase {
        Passphrase::new("correct horse battery staple".into())
    }

    /// `--journal` points the app at a folder, in either spelling; other arguments are ignored.
    #[test]
    fn journal_argument_in_both_spellings() {
        let args = |list: &[&str]| {
            list.iter()
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            journal_arg(args(&["--journal", "/j/coach"]).into_iter()),
            Some("/j/coach".into())
        );
        assert_eq!(
            journal_arg(args(&["-v", "--journal=/j/leader"]).into_iter()),
            Some("/j/leader".into())
        );
        assert_eq!(journal_arg(args(&["--journal"]).into_iter()), None);
        assert_eq!(journal_arg(args(&["/j/other"]).into_iter()), None);
    }

    /// Auto-lock counts from the last successful command, in whole minutes of the setting.
    #[test]
    fn idle_journal_locks_after_its_minutes_and_not_before() {
        let tmp = tempfile::tempdir().unwrap();
        let state = session_in(tmp.path());
        state.create(None, &pass()).unwrap();
        let start = ClockReading::now();
        assert_eq!(
            state.lock_if_idle(start.later_by(Duration::from_secs(9 * 60 + 50))),
            None,
            "10 minutes is the default; 9:50 idle must not lock"
        );
        let status = state
            .lock_if_idle(start.later_by(Duration::from_secs(10 * 60 + 1)))
            .expect("idle past 10 minutes locks");
        assert_eq!(status.state, JournalState::Locked);
        let err = state.with_journal(|j| Ok::<_, AppError>(j.people(false)?.len()));
        assert_eq!(err.unwrap_err().code, ErrorCode::JournalLocked);
    }

    /// The wall clock keeps counting through sleep, when the monotonic clock may not.
    #[test]
    fn idle_time_is_the_larger_of_both_clocks() {
        let then = ClockReading::now();
        let after_sleep = ClockReading {
            mono: then.mono + Duration::from_secs(1),
            wall: then.wall + Duration::from_secs(3600),
        };
        assert_eq!(after_sleep.since(then), Duration::from_secs(3600));
        let clock_set_back = ClockReading {
            mono: then.mono + Duration::from_secs(60),
            wall: then.wall - Duration::from_secs(3600),
        };
        assert_eq!(clock_set_back.since(then), Duration::from_secs(60));
    }

    /// Activity pushes the lock back.
    #[test]
    fn a_command_counts_as_activity() {
        let tmp = tempfile::tempdir().unwrap();
        let state = session_in(tmp.path());
        state.create(None, &pass()).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let before_command = ClockReading::now();
        state
            .with_journal(|j| Ok::<_, AppError>(j.people(false)?))
            .unwrap();
        // 10 minutes after `before_command` is less than 10 minutes after the command.
        assert_eq!(
            state.lock_if_idle(before_command.later_by(Duration::from_secs(600))),
            None
        );
    }

    /// A panic inside a command must not leave the journal open behind a poisoned lock.
    #[test]
    fn a_panicking_command_locks_the_journal() {
        let tmp = tempfile::tempdir().unwrap();
        let state = session_in(tmp.path());
        state.create(None, &pass()).unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = state.with_journal(|_| -> Result<(), AppError> { panic!("boom") });
        }));
        assert!(caught.is_err());
        assert_eq!(state.status().state, JournalState::Locked);
    }
}
