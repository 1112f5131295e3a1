//! `unlock`, `lock` and `status`: the journal's key kept for a while in the kernel keyring, and
//! every other command opening the journal through that session when one is open.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Local, Utc};
use serde::Serialize;
use touchpoint_core::vault::session::{self, SessionError, SessionInfo, SessionStatus};
use touchpoint_core::Journal;

use crate::{output, secrets};

/// `--extend`: a command that uses the session starts its length again.
static EXTEND: AtomicBool = AtomicBool::new(false);

/// Remembers `--extend` for the command about to run.
pub fn set_extend(extend: bool) {
    EXTEND.store(extend, Ordering::Relaxed);
}

/// Opens the journal through its session when one is open, else with the passphrase. A
/// session that can no longer be used is never used: the command asks for the passphrase
/// instead, or fails with exit code 3 when there is none to ask for.
pub fn open(dir: &Path) -> anyhow::Result<Journal> {
    match Journal::open_session(dir, EXTEND.load(Ordering::Relaxed)) {
        Ok(Some(journal)) => return Ok(journal),
        Ok(None) => {}
        Err(SessionError::Stale(reason)) if secrets::passphrase_at_hand() => {
            eprintln!(
                "touchpoint: the unlock session cannot be used ({reason}); using the passphrase"
            );
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Journal::open(dir, &secrets::passphrase()?)?)
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%H:%M:%S").to_string()
}

/// What `unlock` and `status` print with `--json`.
#[derive(Serialize)]
struct Report<'a> {
    open: bool,
    journal: &'a Path,
    opened: Option<DateTime<Utc>>,
    expires: Option<DateTime<Utc>>,
    remaining_seconds: Option<i64>,
    /// Why an entry found was not usable (it has been revoked).
    stale: Option<String>,
}

impl<'a> Report<'a> {
    fn open(info: &'a SessionInfo) -> Self {
        Report {
            open: true,
            journal: &info.journal,
            opened: Some(info.opened),
            expires: Some(info.expires),
            remaining_seconds: Some((info.expires - Utc::now()).num_seconds().max(0)),
            stale: None,
        }
    }
}

/// `touchpoint unlock [--for DURATION]`.
pub fn unlock(dir: &Path, length: &str, json: bool) -> anyhow::Result<()> {
    let length = session::parse_duration(length)?;
    let was_open = matches!(Journal::session_status(dir)?, SessionStatus::Open(_));
    let pass = secrets::passphrase()?;
    let (_journal, info) = Journal::unlock_session(dir, &pass, length)?;
    output::print(&Report::open(&info), json, |_| {
        outln!(
            "Unlocked {} for {} (until {}){}. Commands on it ask for no passphrase until then; \
             `touchpoint lock` ends it sooner.",
            dir.display(),
            session::describe(length),
            local(info.expires),
            if was_open {
                ", replacing the session that was open"
            } else {
                ""
            }
        )
    })
}

/// `touchpoint lock`.
pub fn lock(dir: &Path, json: bool) -> anyhow::Result<()> {
    let ended = Journal::lock_session(dir)?;
    #[derive(Serialize)]
    struct Locked<'a> {
        journal: &'a Path,
        ended: bool,
    }
    output::print(
        &Locked {
            journal: dir,
            ended,
        },
        json,
        |_| {
            if ended {
                outln!(
                    "Locked {}: the next command asks for the passphrase.",
                    dir.display()
                );
            } else {
                outln!(
                    "No unlock session was open for {}; nothing to lock.",
                    dir.display()
                );
            }
        },
    )
}

/// `touchpoint status`.
pub fn status(dir: &Path, json: bool) -> anyhow::Result<()> {
    let status = Journal::session_status(dir)?;
    let report = match &status {
        SessionStatus::Open(info) => Report::open(info),
        SessionStatus::None | SessionStatus::Stale(_) => Report {
            open: false,
            journal: dir,
            opened: None,
            expires: None,
            remaining_seconds: None,
            stale: match &status {
                SessionStatus::Stale(reason) => Some(reason.clone()),
                _ => None,
            },
        },
    };
    output::print(&report, json, |r| match (&status, r.remaining_seconds) {
        (SessionStatus::Open(info), Some(left)) => outln!(
            "Unlocked: {} until {} ({} left).",
            dir.display(),
            local(info.expires),
            session::describe(std::time::Duration::from_secs(left.unsigned_abs()))
        ),
        (SessionStatus::Stale(reason), _) => outln!(
            "Locked: {} (the session found could not be used: {reason}; it has been revoked).",
            dir.display()
        ),
        _ => outln!("Locked: no unlock session is open for {}.", dir.display()),
    })
}
