//! Every copy of the journal's key file — `journal.key` and the copy beside each backup — and the one way they change together.
//!
//! A backup carries a copy of the key file so that it can still be restored when
//! `journal.key` itself is damaged. Those copies always equal `journal.key`: a change of secret
//! rewrites all of them in one step, so an old passphrase or recovery code opens nothing the
//! journal keeps, and the copies are brought in line again whenever the journal opens (for a
//! backup folder that was away during the change, or a change cut short by a crash).

use std::fs;
use std::path::{Path, PathBuf};

use super::{backup, key_path, Journal};
use crate::keyfile::{KeyFile, TEMP_MARK};
use crate::{Error, Result};

/// The key-file copies beside the backups in `folders`, whatever they are on disk.
pub(super) fn backup_key_copies(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for folder in folders {
        let Ok(entries) = fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if backup::is_backup_key_name(name) {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

/// Removes the temporary files of a key-file write that a crash cut short (`.<name>.tmp-…`).
fn remove_key_temporaries(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') && name.contains(&format!(".key{TEMP_MARK}")) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Brings every backup's key copy in line with `journal.key` and removes leftovers of an
/// interrupted key-file write. Runs when the journal opens; best effort, since a folder that
/// cannot be written now is tried again at the next open. A copy later than `journal.key`
/// is left alone: [`promote_newer_copy`] deals with it.
pub(super) fn heal_key_copies(dir: &Path, folders: &[PathBuf]) {
    remove_key_temporaries(dir);
    for folder in folders {
        remove_key_temporaries(folder);
    }
    let Ok(current) = fs::read(key_path(dir)) else {
        return;
    };
    let Ok(kf) = KeyFile::read(&key_path(dir)) else {
        return;
    };
    for copy in backup_key_copies(folders) {
        let Ok(bytes) = fs::read(&copy) else { continue };
        if bytes == current {
            continue;
        }
        let later = KeyFile::read(&copy).is_ok_and(|c| c.generation() > kf.generation());
        if !later {
            let _ = kf.write_atomic(&copy);
        }
    }
}

/// Puts back the latest key file when `journal.key` is older than a backup's copy of it — an
/// older copy of the file put in its place by hand, or by a tool that restores files — so the
/// old secret it holds opens nothing and the current one goes on working. Answers the copy
/// that was put back, if any.
pub(super) fn promote_newer_copy(dir: &Path, folders: &[PathBuf]) -> Result<Option<PathBuf>> {
    let Ok(current) = KeyFile::read(&key_path(dir)) else {
        return Ok(None);
    };
    let newest = backup_key_copies(folders)
        .into_iter()
        .filter_map(|path| KeyFile::read(&path).ok().map(|kf| (path, kf)))
        .filter(|(_, kf)| kf.generation() > current.generation())
        .max_by_key(|(_, kf)| kf.generation());
    match newest {
        Some((path, kf)) => {
            kf.write_atomic(&key_path(dir))?;
            Ok(Some(path))
        }
        None => Ok(None),
    }
}

impl Journal {
    /// The folders whose backups' key copies follow `journal.key`: the configured backup
    /// folder and the default one, when they differ.
    pub(super) fn backup_folders(&self) -> Vec<PathBuf> {
        let mut folders = vec![self.backup_dir()];
        let default = backup::default_backup_dir(self.dir());
        if !folders.contains(&default) {
            folders.push(default);
        }
        folders
    }

    /// Writes `kf` as the journal's key file and as every backup's copy of it.
    ///
    /// Every file is staged first (written and synced under a temporary name), so a folder
    /// that cannot be written fails the change before anything moved, with the file named.
    /// Then the copies are moved in and `journal.key` last: it is the moment the change takes
    /// effect. Should moving a copy fail, the copies already moved are given the current
    /// `journal.key` back, and the old secret goes on working everywhere.
    pub(super) fn replace_key_file(&self, kf: &KeyFile) -> Result<()> {
        // The session opened with the old key file ends before the file changes.
        super::session::revoke_quietly(self.dir());
        let folders = self.backup_folders();
        let previous = KeyFile::read(&key_path(self.dir()))?;
        let main = kf.stage(&key_path(self.dir()))?;
        let copies = backup_key_copies(&folders)
            .iter()
            .map(|path| kf.stage(path))
            .collect::<Result<Vec<_>>>()?;
        let mut moved: Vec<PathBuf> = Vec::new();
        for copy in copies {
            let target = copy.target().to_owned();
            if let Err(e) = copy.commit() {
                for done in &moved {
                    let _ = previous.write_atomic(done);
                }
                return Err(match e {
                    Error::Io { source, .. } => Error::io(
                        format!(
                            "cannot replace the backup's key file {}; nothing was changed",
                            target.display()
                        ),
                        source,
                    ),
                    other => other,
                });
            }
            moved.push(target);
        }
        main.commit()
    }
}
