//! Linked calendar files kept current while the journal is unlocked: a sync at every unlock, then on every change on disk.
//!
//! One background thread does it all, so neither unlocking nor a command waits for a sync:
//! when it sees a new opening of the journal it syncs every linked file, then watches the
//! folders that hold them (sync tools replace a file by renaming another over it, so the
//! file itself cannot be watched) and syncs a file again once changes to it settle. While
//! the journal is locked nothing is read and nothing is watched: the watcher is dropped at
//! the next tick after the journal locks, and the next unlock syncs everything again.
//! Background syncs never count as activity, so they never keep an idle journal open.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use chrono::Utc;
use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use touchpoint_core::exchange;
use touchpoint_core::vault::{watched_folder, LinkedCalendar};

use crate::state::SessionState;

/// The event sent to the UI after a background sync; its payload is every `LinkedCalendar`.
pub const CALENDARS_SYNCED_EVENT: &str = "calendars-synced";

/// How often the thread looks whether the journal was unlocked or locked.
pub const TICK: Duration = Duration::from_millis(500);

/// How long changes to a file must settle before it is read (a sync tool writes in steps).
pub const SETTLE: Duration = Duration::from_millis(600);

enum Message {
    /// Files changed on disk (any file in a watched folder).
    Changed(Vec<PathBuf>),
    /// A file was linked or unlinked: watch the folders of the new list.
    Relinked,
    /// The app is closing.
    Stop,
}

/// The running calendar thread; dropping it stops the thread.
pub struct CalendarWatch {
    tx: Mutex<Sender<Message>>,
}

impl CalendarWatch {
    /// Tells the thread the list of linked files changed.
    pub fn relinked(&self) {
        let _ = self.tx.lock().map(|tx| tx.send(Message::Relinked));
    }
}

impl Drop for CalendarWatch {
    fn drop(&mut self) {
        let _ = self.tx.lock().map(|tx| tx.send(Message::Stop));
    }
}

/// What the thread keeps between messages.
struct Watching {
    /// The journal opening synced last.
    opened: Option<u64>,
    /// The folders watched and their watcher.
    folders: BTreeSet<PathBuf>,
    watcher: Option<Debouncer<RecommendedWatcher>>,
}

/// Starts the calendar thread. The app must manage a [`SessionState`].
pub fn start<R: Runtime>(app: AppHandle<R>) -> CalendarWatch {
    let (tx, rx) = mpsc::channel::<Message>();
    let events = tx.clone();
    thread::Builder::new()
        .name("calendars".into())
        .spawn(move || {
            let mut w = Watching {
                opened: None,
                folders: BTreeSet::new(),
                watcher: None,
            };
            loop {
                let message = match rx.recv_timeout(TICK) {
                    Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                    Ok(m) => Some(m),
                    Err(RecvTimeoutError::Timeout) => None,
                };
                let Some(session) = app.try_state::<SessionState>() else {
                    continue;
                };
                let Some(opened) = session.opened() else {
                    // Locked: read nothing, watch nothing.
                    w.opened = None;
                    w.folders.clear();
                    w.watcher = None;
                    continue;
                };
                if w.opened != Some(opened) {
                    w.opened = Some(opened);
                    let synced =
                        session.work_quietly(opened, |j| exchange::sync_calendars(j, Utc::now()));
                    if let Some(list) = report(&app, synced) {
                        rewatch(&mut w, &list, &events);
                    }
                    continue;
                }
                match message {
                    Some(Message::Changed(paths)) => {
                        let synced = session.work_quietly(opened, |j| sync_changed(j, &paths));
                        if let Some(Some(Ok(list))) = synced {
                            rewatch(&mut w, &list, &events);
                            emit(&app, &list);
                        } else if let Some(Some(Err(e))) = synced {
                            eprintln!("touchpoint: a linked calendar could not be synced: {e}");
                        }
                    }
                    Some(Message::Relinked) => {
                        if let Some(Ok(list)) =
                            session.work_quietly(opened, |j| j.linked_calendars())
                        {
                            rewatch(&mut w, &list, &events);
                        }
                    }
                    _ => {}
                }
            }
        })
        .expect("the calendar thread starts");
    CalendarWatch { tx: Mutex::new(tx) }
}

/// Syncs the linked files among `paths`; `None` when none of them is linked.
fn sync_changed(
    journal: &mut touchpoint_core::Journal,
    paths: &[PathBuf],
) -> Option<Result<Vec<LinkedCalendar>, exchange::ExchangeError>> {
    let linked = match journal.linked_calendars() {
        Ok(l) => l,
        Err(e) => return Some(Err(e.into())),
    };
    let changed: Vec<&LinkedCalendar> = linked
        .iter()
        .filter(|l| paths.iter().any(|p| p == Path::new(&l.path)))
        .collect();
    if changed.is_empty() {
        return None;
    }
    for l in changed {
        if let Err(e) =
            exchange::sync_calendar(journal, Path::new(&l.path), Utc::now(), &mut |_| {
                std::ops::ControlFlow::Continue(())
            })
        {
            return Some(Err(e));
        }
    }
    Some(journal.linked_calendars().map_err(Into::into))
}

/// Emits the list after a sync at unlock and answers it; logs a failure.
fn report<R: Runtime>(
    app: &AppHandle<R>,
    synced: Option<Result<Vec<LinkedCalendar>, exchange::ExchangeError>>,
) -> Option<Vec<LinkedCalendar>> {
    match synced? {
        Ok(list) => {
            emit(app, &list);
            Some(list)
        }
        Err(e) => {
            eprintln!("touchpoint: the linked calendars could not be synced: {e}");
            None
        }
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, list: &[LinkedCalendar]) {
    if let Err(e) = app.emit(CALENDARS_SYNCED_EVENT, list) {
        eprintln!("touchpoint: cannot tell the window the calendars were synced: {e}");
    }
}

/// Watches the folders of `list` (a new watcher when they changed).
fn rewatch(w: &mut Watching, list: &[LinkedCalendar], events: &Sender<Message>) {
    let folders: BTreeSet<PathBuf> = list
        .iter()
        .filter_map(|l| watched_folder(&l.path))
        .filter(|f| f.is_dir())
        .collect();
    if folders == w.folders && (w.watcher.is_some() || folders.is_empty()) {
        return;
    }
    w.watcher = None;
    w.folders = folders;
    if w.folders.is_empty() {
        return;
    }
    let tx = events.clone();
    let debouncer = new_debouncer(SETTLE, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let _ = tx.send(Message::Changed(
                events.into_iter().map(|e| e.path).collect(),
            ));
        }
    });
    let mut debouncer = match debouncer {
        Ok(d) => d,
        Err(e) => {
            eprintln!("touchpoint: cannot watch the linked calendars: {e}");
            return;
        }
    };
    for folder in &w.folders {
        if let Err(e) = debouncer
            .watcher()
            .watch(folder, RecursiveMode::NonRecursive)
        {
            eprintln!("touchpoint: cannot watch {}: {e}", folder.display());
        }
    }
    w.watcher = Some(debouncer);
}
