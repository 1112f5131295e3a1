//! Re-encrypting the journal under a new data key, for when a secret or an old key file may have leaked.
//!
//! Changing the passphrase rewraps the same data key; whoever kept an old copy of the key file
//! and learns the old passphrase still holds that key. Re-encryption replaces the key itself:
//!
//! 1. `journal.db` is exported under a new random key to `journal.db.rekey`, and each backup
//!    (and the copy an earlier restore set aside) to `<file>.rekey`, each synced;
//! 2. the new key file (same passphrase, a new recovery code) is written as `journal.key.next`:
//!    from here on an interrupted re-encryption can be finished;
//! 3. the database is closed and `journal.db.rekey` renamed over `journal.db`: the moment the
//!    change takes effect;
//! 4. the re-encrypted backups are moved in, backups still under the old key are removed, and
//!    `journal.key.next` becomes `journal.key` (the backups' copies follow it).
//!
//! A crash before step 3 leaves the journal as it was (the leftovers are removed when it next
//! opens); a crash after it is finished when the journal next opens with the passphrase. Either
//! way the journal opens with the current passphrase, under the old key or the new one.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{backup, db_path, key_opens, key_path, keys, open_connection, open_keyed, Journal};
use crate::keyfile::KeyFile;
use crate::secret::{DataKey, Passphrase, RecoveryCode};
use crate::{Error, Result};

/// The new key file while a re-encryption is under way.
const NEXT_KEY_FILE: &str = "journal.key.next";

/// What a re-encrypted copy of a database file is called until it replaces the file.
fn rekeyed_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".rekey");
    PathBuf::from(name)
}

/// The copy of the journal that the last restore set aside, if any.
fn before_restore(dir: &Path) -> PathBuf {
    dir.join("journal.db.before-restore")
}

/// The database files other than `journal.db` that are under the journal's key: the backups
/// and the copy the last restore set aside.
fn other_databases(dir: &Path, folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = backup::backup_files(folders);
    if before_restore(dir).is_file() {
        files.push(before_restore(dir));
    }
    files
}

/// Exports the database `conn` holds open into a new file at `target`, encrypted under `key`,
/// and syncs it.
fn export_under(conn: &Connection, target: &Path, key: &DataKey) -> Result<()> {
    let _ = fs::remove_file(target);
    let value = key.to_sqlcipher_pragma_value();
    conn.execute(
        "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
        rusqlite::params![target.to_string_lossy(), value.as_str()],
    )?;
    let exported = conn
        .query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))
        .and_then(|_| {
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            conn.pragma_update(Some("rekeyed"), "user_version", version)
        });
    let detached = conn.execute("DETACH DATABASE rekeyed", []);
    exported?;
    detached?;
    fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(format!("cannot flush {}", target.display()), e))
}

/// Syncs a folder so that renames in it survive a crash (best effort).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes what a re-encryption that never took effect left behind.
pub(super) fn remove_leftovers(dir: &Path, folders: &[PathBuf]) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = rekeyed_path(&db_path(dir)).into_os_string();
        name.push(suffix);
        let _ = fs::remove_file(name);
    }
    let _ = fs::remove_file(dir.join(NEXT_KEY_FILE));
    for file in other_databases(dir, folders) {
        let _ = fs::remove_file(rekeyed_path(&file));
    }
}

/// Takes the data key that opens `journal.db` with `unlock`, minding a re-encryption that was
/// interrupted: answers the key and whether that re-encryption had taken effect and must be
/// finished ([`finish`]) once the journal is open.
/// Whether a re-encryption left its new key file behind: the next open must settle it with a
/// secret that unlocks each key file on its own, never with one key given for both.
pub(super) fn interrupted(dir: &Path) -> bool {
    dir.join(NEXT_KEY_FILE).exists()
}

pub(super) fn settle(
    dir: &Path,
    current: &KeyFile,
    unlock: &dyn Fn(&KeyFile) -> Result<DataKey>,
) -> Result<(DataKey, bool)> {
    let next_path = dir.join(NEXT_KEY_FILE);
    if !next_path.is_file() {
        return Ok((unlock(current)?, false));
    }
    // A complete new key file exists (it is written atomically): the database was moved in, or
    // it was not yet. Only the database can tell.
    if let Ok(next) = KeyFile::read(&next_path) {
        if let Ok(new_key) = unlock(&next) {
            if key_opens(&db_path(dir), &new_key)? {
                return Ok((new_key, true));
            }
        }
    }
    let old_key = unlock(current)?;
    if key_opens(&db_path(dir), &old_key)? {
        let _ = fs::remove_file(&next_path);
        let _ = fs::remove_file(rekeyed_path(&db_path(dir)));
        return Ok((old_key, false));
    }
    Err(Error::Damaged {
        path: db_path(dir),
        detail: "a re-encryption of the journal was interrupted after the journal was \
                 re-encrypted; open it with the passphrase (not the recovery code) to finish it"
            .into(),
    })
}

/// Completes a re-encryption whose new database is in place: moves the re-encrypted backups in,
/// removes those still under the old key, and makes the new key file the journal's (and every
/// backup's copy). Safe to run again after a crash part way.
pub(super) fn finish(dir: &Path, folders: &[PathBuf], new_key: &DataKey) -> Result<()> {
    for file in other_databases(dir, folders) {
        let rekeyed = rekeyed_path(&file);
        if rekeyed.is_file() {
            fs::rename(&rekeyed, &file)
                .map_err(|e| Error::io(format!("cannot move {} in place", rekeyed.display()), e))?;
        } else if !key_opens(&file, new_key)? {
            // Under the old key: the user chose to remove it, or it is a remnant nobody can
            // open any more.
            fs::remove_file(&file)
                .map_err(|e| Error::io(format!("cannot remove {}", file.display()), e))?;
            let _ = fs::remove_file(backup::backup_key_path(&file));
        }
    }
    for folder in folders {
        sync_dir(folder);
    }
    let next_path = dir.join(NEXT_KEY_FILE);
    if next_path.is_file() {
        fs::rename(&next_path, key_path(dir))
            .map_err(|e| Error::io("cannot move the new key file in place", e))?;
        sync_dir(dir);
    }
    keys::heal_key_copies(dir, folders);
    Ok(())
}

/// What happens to the backups made under the old data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OldBackups {
    /// Each backup is re-encrypted under the new key and keeps its place (the default).
    Reencrypt,
    /// The backups are removed; the user confirmed it.
    Remove,
}

/// How far a re-encryption has come, for a progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RekeyProgress {
    /// Steps finished so far.
    pub done: u32,
    /// Steps in all: the journal, each backup, the key file.
    pub total: u32,
    /// What is being done now, in plain words.
    pub step: String,
}

impl Journal {
    /// Re-encrypts the journal (and, per `old_backups`, its backups) under a new random data
    /// key, writes a new key file for it with the same passphrase and a new recovery code, and
    /// returns that code to show once. A crash at any point leaves a journal that opens with
    /// `current`; a failure before the new database is in place (a full disk, a backup that
    /// cannot be read) leaves everything as it was.
    pub fn rekey(
        &mut self,
        current: &Passphrase,
        old_backups: OldBackups,
        progress: &mut dyn FnMut(&RekeyProgress),
    ) -> Result<RecoveryCode> {
        let dir = self.dir.clone();
        super::session::revoke_quietly(&dir);
        let old_file = KeyFile::read(&key_path(&dir))?;
        let old_key = old_file.unlock_with_passphrase(current)?;
        let new_key = DataKey::generate();
        let code = RecoveryCode::generate();
        let new_file = KeyFile::new(&new_key, current, &code)?.following(&old_file);
        let folders = self.backup_folders();
        let others = other_databases(&dir, &folders);
        let total = u32::try_from(others.len()).unwrap_or(u32::MAX - 2) + 2;
        let mut report = |done: u32, step: String| progress(&RekeyProgress { done, total, step });
        remove_leftovers(&dir, &folders);

        let prepared = (|| -> Result<()> {
            report(0, "Re-encrypting the journal".into());
            self.conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            export_under(&self.conn, &rekeyed_path(&db_path(&dir)), &new_key)?;
            for (i, file) in others.iter().enumerate() {
                let n = u32::try_from(i).unwrap_or(u32::MAX - 3) + 1;
                match old_backups {
                    OldBackups::Reencrypt => {
                        report(n, format!("Re-encrypting backup {n} of {}", others.len()));
                        // With the create flag: the re-encrypted copy is attached to this connection.
                        let conn = open_keyed(file, &old_key, true).map_err(|e| match e {
                            Error::Damaged { detail, .. } => Error::Damaged {
                                path: file.clone(),
                                detail: format!(
                                    "{detail}; choose to remove the old backups instead of \
                                     re-encrypting them"
                                ),
                            },
                            other => other,
                        })?;
                        export_under(&conn, &rekeyed_path(file), &new_key)?;
                    }
                    OldBackups::Remove => {
                        report(n, format!("Backup {n} of {} will be removed", others.len()))
                    }
                }
            }
            report(total - 1, "Writing the new key file".into());
            new_file.stage(&dir.join(NEXT_KEY_FILE))?.commit()
        })();
        if let Err(e) = prepared {
            remove_leftovers(&dir, &folders);
            return Err(e);
        }

        // The database is closed and the re-encrypted copy moved in: from here on the change
        // has taken effect, and an interruption is finished at the next open.
        let old_conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        drop(old_conn);
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(dir.join(format!("journal.db{suffix}")));
        }
        if let Err(e) = fs::rename(rekeyed_path(&db_path(&dir)), db_path(&dir)) {
            remove_leftovers(&dir, &folders);
            self.conn = open_connection(&db_path(&dir), &old_key)?;
            return Err(Error::io(
                "cannot move the re-encrypted journal in place",
                e,
            ));
        }
        sync_dir(&dir);
        drop(old_key);
        self.conn = open_connection(&db_path(&dir), &new_key)?;
        finish(&dir, &folders, &new_key)?;
        report(total, "Done".into());
        Ok(code)
    }
}
