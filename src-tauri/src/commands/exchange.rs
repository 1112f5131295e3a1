//! The coach exchange, leader's side: the journal's public key, export, import, the coach's comments.
//!
//! Long exports and imports report progress on a channel and stop when the leader cancels
//! ([`cancel_exchange`]); a cancelled or failed import changes nothing, a cancelled export
//! leaves no file behind (the core guarantees both).

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use touchpoint_core::exchange::{
    self, CoachComment, CoachNote, Encryption, ExportFormat, ExportOptions, ExportSummary,
    ImportOutcome, ImportPreview, IncomingKind, Progress,
};
use touchpoint_core::secret::Passphrase;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::AppError;
use crate::files::{self, PickFilter, PickKind, PickedFiles};
use crate::state::SessionState;

/// The largest file the import screen reads (a 100,000-entry bundle is well under this).
const MAX_IMPORT_BYTES: u64 = 1024 * 1024 * 1024;

/// How long imported coach comments stay on Today.
const COMMENTS_ON_TODAY_DAYS: i64 = 14;

/// The cancel switch of the export or import running now.
#[derive(Default)]
pub struct ExchangeControl {
    cancel: AtomicBool,
}

impl ExchangeControl {
    /// A progress callback that forwards to `channel` and stops once cancel is pressed.
    fn progress<'a>(
        &'a self,
        channel: &'a Channel<Progress>,
    ) -> impl FnMut(Progress) -> ControlFlow<()> + 'a {
        self.cancel.store(false, Ordering::SeqCst);
        move |p| {
            // The page may have gone (reload, lock): the work goes on without a listener.
            let _ = channel.send(p);
            if self.cancel.load(Ordering::SeqCst) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }
}

/// Shows a native file dialog; answers the picked path, or null when cancelled.
#[tauri::command(async)]
pub fn pick_path<R: Runtime>(
    app: AppHandle<R>,
    kind: PickKind,
    title: String,
    file_name: Option<String>,
    filters: Vec<PickFilter>,
) -> Result<Option<String>, AppError> {
    let picked = files::pick_path(&app, kind, &title, file_name.as_deref(), &filters)?;
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

/// This journal's public key ("age1…"), to give to a coach or a leader.
#[tauri::command(async)]
pub fn public_key(state: State<'_, SessionState>) -> Result<String, AppError> {
    state.with_journal(|j| j.public_key())
}

/// Checks a public key someone pasted; answers it trimmed.
#[tauri::command(async)]
pub fn check_public_key(key: String) -> Result<String, AppError> {
    Ok(exchange::check_public_key(&key)?)
}

/// What to export and where.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    /// Which entries and people, and whether to pseudonymise them.
    pub options: ExportOptions,
    /// The format to write.
    pub format: ExportFormat,
    /// Where: a path picked in the save dialog.
    pub path: String,
    /// For a bundle: the public keys that may open it. Empty means a passphrase bundle.
    pub recipients: Vec<String>,
}

/// Exports the chosen part of the journal; a bundle to `recipients`, or to `passphrase`.
#[tauri::command(async)]
pub fn export_journal(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    control: State<'_, ExchangeControl>,
    request: ExportRequest,
    passphrase: Option<String>,
    on_progress: Channel<Progress>,
) -> Result<ExportSummary, AppError> {
    let encryption = match request.format {
        ExportFormat::Bundle if request.recipients.is_empty() => {
            let text = passphrase.unwrap_or_default();
            Some(Encryption::Passphrase(Passphrase::checked(text)?))
        }
        ExportFormat::Bundle => Some(Encryption::Recipients(
            request
                .recipients
                .iter()
                .map(|k| exchange::check_public_key(k))
                .collect::<Result<_, _>>()?,
        )),
        _ => {
            drop(passphrase);
            None
        }
    };
    state.with_journal(|j| {
        let target = picked.check_writable(&request.path, j)?;
        let mut progress = control.progress(&on_progress);
        Ok::<_, AppError>(exchange::export(
            j,
            &request.options,
            request.format,
            encryption.as_ref(),
            &target,
            &mut progress,
        )?)
    })
}

/// A file picked for import, before anything is read into the journal.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IncomingFile {
    /// What it is.
    pub kind: IncomingKind,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Says what a picked file is, so the screen can ask for a passphrase or a calendar window.
#[tauri::command(async)]
pub fn inspect_import(
    picked: State<'_, PickedFiles>,
    path: String,
) -> Result<IncomingFile, AppError> {
    let bytes = files::read_bytes(&picked.check(&path)?, MAX_IMPORT_BYTES)?;
    Ok(IncomingFile {
        kind: exchange::describe(&bytes)?,
        bytes: bytes.len() as u64,
    })
}

/// The calendar window asked for: `None` for the default one.
/// A picked file to import, read, with what the import of it needs alongside.
struct Incoming {
    bytes: Vec<u8>,
    pass: Option<Passphrase>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
}

impl Incoming {
    /// Reads `path` (picked in a dialog this run) for a preview or an import.
    fn read(
        picked: &PickedFiles,
        path: &str,
        passphrase: Option<String>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Self, AppError> {
        let bytes = files::read_bytes(&picked.check(path)?, MAX_IMPORT_BYTES)?;
        let now = Utc::now();
        Ok(Self {
            bytes,
            pass: passphrase.map(Passphrase::new),
            window: calendar_window(from, to, now),
            now,
        })
    }
}

fn calendar_window(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    match (from, to) {
        (None, None) => None,
        (from, to) => {
            let (default_from, default_to) = exchange::default_calendar_window(now);
            Some((from.unwrap_or(default_from), to.unwrap_or(default_to)))
        }
    }
}

/// What importing a picked file would do (new, changed and unchanged records per kind, the
/// records that would change), computed by the core's import plan; changes nothing. A
/// refused file (a forged review, a damaged bundle) answers its error here already.
#[tauri::command(async)]
#[allow(clippy::too_many_arguments)]
pub fn preview_import(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    control: State<'_, ExchangeControl>,
    path: String,
    passphrase: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    on_progress: Channel<Progress>,
) -> Result<ImportPreview, AppError> {
    let file = Incoming::read(&picked, &path, passphrase, from, to)?;
    state.with_journal(|j| {
        let mut progress = control.progress(&on_progress);
        exchange::preview_file(
            j,
            &file.bytes,
            file.pass.as_ref(),
            file.window,
            file.now,
            &mut progress,
        )
    })
}

/// Imports a picked file, whatever kind it is. `from`/`to` bound the calendar events taken.
/// An import that would change records already in the journal answers `needs_confirmation`
/// (with the preview in the message) and changes nothing unless `confirmed`.
#[tauri::command(async)]
#[allow(clippy::too_many_arguments)]
pub fn import_file(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    control: State<'_, ExchangeControl>,
    path: String,
    passphrase: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    confirmed: Option<bool>,
    on_progress: Channel<Progress>,
) -> Result<ImportOutcome, AppError> {
    let file = Incoming::read(&picked, &path, passphrase, from, to)?;
    state.with_journal(|j| {
        let mut progress = control.progress(&on_progress);
        exchange::import_file(
            j,
            &file.bytes,
            file.pass.as_ref(),
            file.window,
            file.now,
            confirmed.unwrap_or(false),
            &mut progress,
        )
    })
}

/// Asks the running export or import to stop; it answers `cancelled` and changes nothing.
#[tauri::command]
pub fn cancel_exchange(control: State<'_, ExchangeControl>) {
    control.cancel.store(true, Ordering::SeqCst);
}

/// Coach comments imported in the last two weeks, newest first, for Today.
#[tauri::command(async)]
pub fn coach_comments(state: State<'_, SessionState>) -> Result<Vec<CoachComment>, AppError> {
    state.with_journal(|j| {
        j.new_annotations_since(Utc::now() - Duration::days(COMMENTS_ON_TODAY_DAYS))
    })
}

/// The coach's comments on an entry and on its reflections, oldest first, each with the
/// reviewer key and export it came from.
#[tauri::command(async)]
pub fn annotations(
    state: State<'_, SessionState>,
    touchpoint_id: Uuid,
) -> Result<Vec<CoachNote>, AppError> {
    state.with_journal(|j| j.entry_annotations(touchpoint_id))
}
