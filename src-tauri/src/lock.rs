//! The auto-lock timer: enforced in Rust, so an idle journal locks even if the UI is frozen or hostile.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::{ClockReading, SessionState};

/// The event sent to the UI when the timer locks the journal; its payload is the `AppStatus`.
pub const JOURNAL_LOCKED_EVENT: &str = "journal-locked";

/// How often the timer looks at the idle time: the journal locks at most this late.
pub const CHECK_EVERY: Duration = Duration::from_secs(5);

/// The running timer; dropping it stops the thread at its next tick.
pub struct LockTimer {
    _stop: mpsc::Sender<()>,
}

/// Starts checking, every `every`, whether the journal has been idle longer than its auto-lock
/// minutes by `clock`; if so, drops the journal (closing the database and wiping the key) and
/// emits [`JOURNAL_LOCKED_EVENT`]. The app must manage a [`SessionState`].
pub fn start<R: Runtime>(
    app: AppHandle<R>,
    every: Duration,
    clock: impl Fn() -> ClockReading + Send + 'static,
) -> LockTimer {
    let (stop, stopped) = mpsc::channel::<()>();
    thread::Builder::new()
        .name("auto-lock".into())
        .spawn(move || loop {
            match stopped.recv_timeout(every) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
            }
            let Some(session) = app.try_state::<SessionState>() else {
                continue;
            };
            if let Some(status) = session.lock_if_idle(clock()) {
                if let Err(e) = app.emit(JOURNAL_LOCKED_EVENT, status) {
                    eprintln!("touchpoint: cannot tell the window the journal locked: {e}");
                }
            }
        })
        .expect("the auto-lock thread starts");
    LockTimer { _stop: stop }
}
