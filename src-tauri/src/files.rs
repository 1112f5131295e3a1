//! Files the leader picked in a native dialog: the only files and folders a command may read,
//! write, create a journal in, open as a journal or send backups to.
//!
//! The page never opens a dialog itself: it asks [`pick_path`], which shows the native dialog
//! from Rust and adds what the user picked to Tauri's file scope (the `protocol-asset` feature
//! gives the app that scope; the CSP keeps the webview from loading anything through the asset
//! protocol). A command that takes a path checks it here, so a compromised script in the
//! webview cannot read or overwrite a file the user never chose.
//!
//! Debug builds (tests and `make run`) can answer dialogs from a script instead: when
//! `TOUCHPOINT_E2E_PICKS` names a file, each dialog takes (and removes) its first line. The
//! end-to-end tests use it, since WebDriver cannot reach a native dialog. Release builds have
//! no such path.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use touchpoint_core::vault::{self, BackupInfo};
use touchpoint_core::Journal;
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};

/// The largest file a command reads (prompt files are a few kilobytes).
const MAX_READ_BYTES: u64 = 4 * 1024 * 1024;

/// The paths picked in dialogs during this run of the app.
pub struct PickedFiles(tauri::scope::fs::Scope);

impl PickedFiles {
    /// Wraps the app's file scope, which the dialog plugin fills.
    pub fn new(scope: tauri::scope::fs::Scope) -> Self {
        PickedFiles(scope)
    }

    /// Lets commands use `path`, which the user just picked (a folder with all it holds).
    pub fn allow(&self, path: &Path, folder: bool) -> Result<(), AppError> {
        let allowed = if folder {
            self.0.allow_directory(path, true)
        } else {
            self.0.allow_file(path)
        };
        allowed.map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("cannot use {}: {e}", path.display()),
            )
        })
    }

    /// `path` as a path, when the user picked it in a dialog (or it lies in a folder they
    /// picked). Only a plain absolute path counts: Tauri's scope does not resolve `..` in a
    /// path that does not exist yet, so `picked/../elsewhere` would otherwise pass.
    pub fn check(&self, path: &str) -> Result<PathBuf, AppError> {
        let plain = Path::new(path).is_absolute()
            && !Path::new(path)
                .components()
                .any(|c| c == std::path::Component::ParentDir);
        if plain && self.0.is_allowed(path) {
            return Ok(PathBuf::from(path));
        }
        Err(AppError::new(
            ErrorCode::InvalidInput,
            format!("{path} was not chosen in a file dialog; choose the file again"),
        ))
    }

    /// `path` as a file to write: picked by the user, and not inside a journal folder or the
    /// open journal's backup folder (picking a folder allows everything under it, and an export
    /// must never overwrite a key file, a database or a backup).
    pub fn check_writable(&self, path: &str, journal: &Journal) -> Result<PathBuf, AppError> {
        let target = self.check(path)?;
        let folder = target.parent().unwrap_or(Path::new("/"));
        let inside = |dir: &Path| {
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            let folder = folder
                .canonicalize()
                .unwrap_or_else(|_| folder.to_path_buf());
            folder.starts_with(dir)
        };
        if vault::exists(folder) || inside(journal.dir()) || inside(&journal.backup_dir()) {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} is in a journal or backup folder; save it somewhere else",
                    target.display()
                ),
            ));
        }
        Ok(target)
    }

    /// `path` as a backup file: one of the journal's own backups, or a file the user picked.
    pub fn check_backup(&self, path: &str, listed: &[BackupInfo]) -> Result<PathBuf, AppError> {
        if listed.iter().any(|b| b.path == path) {
            return Ok(PathBuf::from(path));
        }
        self.check(path)
    }
}

/// Reads a small text file the user picked; a file that is not there, too big or not text is
/// an input error (the message never quotes the content).
pub fn read_text(path: &Path) -> Result<String, AppError> {
    String::from_utf8(read_bytes(path, MAX_READ_BYTES)?).map_err(|_| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("cannot read {}: it is not a text file", path.display()),
        )
    })
}

/// Writes a file the user picked, as exports are written: private to the user, staged and
/// renamed into place, never through a symbolic link.
pub fn write_text(path: &Path, text: &str) -> Result<(), AppError> {
    touchpoint_core::exchange::write_private_file(path, text.as_bytes())?;
    Ok(())
}

/// Which native dialog to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PickKind {
    /// Choose an existing file.
    OpenFile,
    /// Choose a folder.
    OpenFolder,
    /// Choose where to save a new file.
    SaveFile,
}

/// A file-type filter of a dialog, such as "Touchpoint bundles" with `["touchpoint"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PickFilter {
    /// What the files are, for people.
    pub name: String,
    /// Their extensions, without dots.
    pub extensions: Vec<String>,
}

/// Shows a native dialog and answers the path the user picked (`None` when they cancelled);
/// the picked path becomes usable by the commands that take paths.
pub fn pick_path<R: Runtime>(
    app: &AppHandle<R>,
    kind: PickKind,
    title: &str,
    file_name: Option<&str>,
    filters: &[PickFilter],
) -> Result<Option<PathBuf>, AppError> {
    let picked = match scripted_pick() {
        Some(answer) => answer,
        None => {
            let mut dialog = app.dialog().file().set_title(title);
            for f in filters {
                let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
                dialog = dialog.add_filter(&f.name, &exts);
            }
            if let Some(name) = file_name {
                dialog = dialog.set_file_name(name);
            }
            let chosen = match kind {
                PickKind::OpenFile => dialog.blocking_pick_file(),
                PickKind::OpenFolder => dialog.blocking_pick_folder(),
                PickKind::SaveFile => dialog.blocking_save_file(),
            };
            chosen.and_then(|p| p.into_path().ok())
        }
    };
    if let Some(path) = &picked {
        app.state::<PickedFiles>()
            .allow(path, kind == PickKind::OpenFolder)?;
    }
    Ok(picked)
}

/// The next scripted dialog answer (debug builds only): `Some(None)` for a blank line, which
/// stands for a cancelled dialog.
#[cfg(debug_assertions)]
fn scripted_pick() -> Option<Option<PathBuf>> {
    let script = std::env::var_os("TOUCHPOINT_E2E_PICKS").filter(|v| !v.is_empty())?;
    let text = std::fs::read_to_string(&script).unwrap_or_default();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim().to_string();
    let rest: Vec<&str> = lines.collect();
    let _ = std::fs::write(&script, rest.join("\n"));
    Some((!first.is_empty()).then(|| PathBuf::from(first)))
}

#[cfg(not(debug_assertions))]
fn scripted_pick() -> Option<Option<PathBuf>> {
    None
}

/// Reads a whole file the user picked, up to `max` bytes; a larger one is refused, not cut.
pub fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>, AppError> {
    let invalid = |why: String| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("cannot read {}: {why}", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| invalid(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid(e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(invalid(format!(
            "it is larger than {} MiB",
            max / 1024 / 1024
        )));
    }
    Ok(bytes)
}
