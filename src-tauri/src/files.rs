//! Files the leader picked in a native dialog: the only files a command may read or write.
//!
//! The dialog plugin adds every file or folder the user picks to Tauri's file scope (the
//! `protocol-asset` feature gives the app that scope; the CSP keeps the webview from loading
//! anything through the asset protocol). A command that takes a path checks it here, so a
//! compromised script in the webview cannot read or overwrite a file the user never chose.

use std::io::Read;
use std::path::{Path, PathBuf};

use touchpoint_core::vault::{self, BackupInfo};
use touchpoint_core::Journal;

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

    /// `path` as a path, when the user picked it in a dialog.
    pub fn check(&self, path: &str) -> Result<PathBuf, AppError> {
        if !path.is_empty() && self.0.is_allowed(path) {
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
    let invalid = |why: String| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("cannot read {}: {why}", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| invalid(e.to_string()))?;
    let mut text = String::new();
    file.take(MAX_READ_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| invalid(e.to_string()))?;
    if text.len() as u64 > MAX_READ_BYTES {
        return Err(invalid(format!(
            "it is larger than {} MiB",
            MAX_READ_BYTES / 1024 / 1024
        )));
    }
    Ok(text)
}

/// Writes a file the user picked.
pub fn write_text(path: &Path, text: &str) -> Result<(), AppError> {
    std::fs::write(path, text)
        .map_err(|e| touchpoint_core::Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(())
}
