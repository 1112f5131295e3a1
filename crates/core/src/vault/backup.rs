//! Encrypted, rotating backups, restoring one, and verifying a journal's integrity.
//!
//! A backup is a consistent encrypted copy of the database made by `sqlcipher_export`
//! (SQLite's backup API does not work on encrypted databases) plus a copy of the key file.
//! The copy always equals the journal's own key file (see `keys`), so a backup opens with the
//! current passphrase and recovery code only, and a restore never brings an older key back.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{db_path, key_path, lock_dir, open_connection, Journal};
use crate::keyfile::KeyFile;
use crate::secret::Passphrase;
use crate::{Error, Result};

const BACKUP_PREFIX: &str = "touchpoint-backup-";
const BACKUP_DB_EXT: &str = "db";
const BACKUP_KEY_EXT: &str = "key";

/// One backup on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    /// The backup's database file.
    pub path: String,
    /// When it was made.
    pub made_at: DateTime<Utc>,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The outcome of an integrity check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerifyReport {
    /// True when every check passed.
    pub ok: bool,
    /// Pages whose authentication code failed (`cipher_integrity_check`).
    pub cipher_errors: Vec<String>,
    /// Structural problems (`integrity_check`), or "ok".
    pub integrity: Vec<String>,
    /// Problems in the search index.
    pub search_index: Vec<String>,
}

/// The default backup folder of a journal.
pub fn default_backup_dir(dir: &Path) -> PathBuf {
    dir.join("backups")
}

/// The key file that belongs with a backup database file.
pub(super) fn backup_key_path(db: &Path) -> PathBuf {
    db.with_extension(BACKUP_KEY_EXT)
}

/// Whether a file name is that of a backup's key copy.
pub(super) fn is_backup_key_name(name: &str) -> bool {
    name.starts_with(BACKUP_PREFIX) && name.ends_with(&format!(".{BACKUP_KEY_EXT}"))
}

/// Backups' database files in `folders` (whatever their names' dates), for re-encryption.
pub(super) fn backup_files(folders: &[PathBuf]) -> Vec<PathBuf> {
    folders
        .iter()
        .flat_map(|f| list_in(f).into_iter().map(|b| PathBuf::from(b.path)))
        .collect()
}

/// Backups in a folder, newest first.
fn list_in(folder: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut out: Vec<BackupInfo> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stamp = name.strip_prefix(BACKUP_PREFIX)?.strip_suffix(".db")?;
            let made = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S%3fZ").ok()?;
            Some(BackupInfo {
                path: e.path().to_string_lossy().into_owned(),
                made_at: made.and_utc(),
                bytes: e.metadata().ok()?.len(),
            })
        })
        .collect();
    out.sort_by_key(|b| std::cmp::Reverse(b.made_at));
    out
}

/// A damage message that names the latest backup to restore, when there is one.
pub(super) fn damage_hint(dir: &Path, detail: &str) -> String {
    match list_in(&default_backup_dir(dir)).first() {
        Some(b) => format!(
            "{detail}. The latest backup is {} ({}); restore it with `touchpoint restore {}`",
            b.path,
            b.made_at.format("%Y-%m-%d %H:%M UTC"),
            b.path
        ),
        None => format!(
            "{detail}. No backup was found in {}",
            default_backup_dir(dir).display()
        ),
    }
}

/// Runs both integrity checks and the search index check on an open connection.
fn verify_conn(conn: &rusqlite::Connection) -> Result<VerifyReport> {
    let cipher_errors: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if !cipher_errors.is_empty() {
        // SQLCipher refuses to read a page whose code fails, so the structure checks below
        // would only fail on the same pages with a vaguer error.
        return Ok(VerifyReport {
            ok: false,
            cipher_errors,
            integrity: vec!["not checked: some pages failed their authentication".into()],
            search_index: Vec::new(),
        });
    }
    let integrity: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let search_index =
        match conn.execute("INSERT INTO search(search) VALUES ('integrity-check')", []) {
            Ok(_) => Vec::new(),
            Err(e) => vec![e.to_string()],
        };
    Ok(VerifyReport {
        ok: cipher_errors.is_empty() && integrity == ["ok"] && search_index.is_empty(),
        cipher_errors,
        integrity,
        search_index,
    })
}

impl Journal {
    /// The folder backups go to.
    pub fn backup_dir(&self) -> PathBuf {
        match &self.settings().backup_dir {
            Some(d) if !d.trim().is_empty() => PathBuf::from(d),
            _ => default_backup_dir(self.dir()),
        }
    }

    /// Backups, newest first.
    pub fn backups(&self) -> Vec<BackupInfo> {
        list_in(&self.backup_dir())
    }

    /// Writes an encrypted snapshot now and drops the oldest beyond the number to keep.
    pub fn backup(&self, now: DateTime<Utc>) -> Result<BackupInfo> {
        let folder = self.backup_dir();
        fs::create_dir_all(&folder).map_err(|e| {
            Error::io(
                format!("cannot create the backup folder {}", folder.display()),
                e,
            )
        })?;
        let stamp = now.format("%Y%m%dT%H%M%S%3fZ");
        let target = folder.join(format!("{BACKUP_PREFIX}{stamp}.{BACKUP_DB_EXT}"));
        let partial = folder.join(format!("{BACKUP_PREFIX}{stamp}.partial"));
        let _ = fs::remove_file(&partial);
        let result = (|| -> Result<()> {
            // ATTACH takes the same key as the main database when given no KEY clause.
            self.conn().execute(
                "ATTACH DATABASE ?1 AS snapshot",
                [partial.to_string_lossy()],
            )?;
            let exported = self
                .conn()
                .query_row("SELECT sqlcipher_export('snapshot')", [], |_| Ok(()))
                .and_then(|_| {
                    self.conn()
                        .pragma_update(Some("snapshot"), "user_version", {
                            self.conn()
                                .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?
                        })
                });
            self.conn().execute("DETACH DATABASE snapshot", [])?;
            exported?;
            fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io("cannot flush the backup", e))?;
            fs::copy(key_path(self.dir()), backup_key_path(&target))
                .map_err(|e| Error::io("cannot copy the key file into the backup", e))?;
            fs::rename(&partial, &target).map_err(|e| Error::io("cannot finish the backup", e))?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&partial);
            let _ = fs::remove_file(backup_key_path(&target));
            return Err(e);
        }
        let keep = self.settings().backup_keep.max(1) as usize;
        for old in list_in(&folder).iter().skip(keep) {
            let _ = fs::remove_file(&old.path);
            let _ = fs::remove_file(backup_key_path(Path::new(&old.path)));
        }
        let bytes = fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
        Ok(BackupInfo {
            path: target.to_string_lossy().into_owned(),
            made_at: now,
            bytes,
        })
    }

    /// Makes a backup when the newest one is older than the backup interval.
    pub fn backup_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
        let every = chrono::Duration::days(self.settings().backup_every_days.max(1) as i64);
        match self.backups().first() {
            Some(b) if now - b.made_at < every => Ok(None),
            _ => self.backup(now).map(Some),
        }
    }

    /// Checks every page's authentication code, the b-trees and the search index.
    pub fn verify(&self) -> Result<VerifyReport> {
        verify_conn(self.conn())
    }

    /// Replaces the journal in `dir` with a backup, after checking the backup opens and is whole.
    ///
    /// The backup is unlocked through the journal's current key file with `passphrase`: a
    /// backup made before a passphrase change opens with the new passphrase, and an old one is
    /// refused as [`Error::WrongPassphrase`] with nothing changed. Only when `journal.key` is
    /// missing or damaged is the backup's own copy used (the copies follow every change of
    /// secret), and then written back as `journal.key`. The current database is kept beside it
    /// as `journal.db.before-restore`.
    pub fn restore(dir: &Path, backup: &Path, passphrase: &Passphrase) -> Result<()> {
        if !super::exists(dir) && !db_path(dir).exists() {
            return Err(Error::NoJournal(dir.to_path_buf()));
        }
        if !backup.is_file() {
            return Err(Error::NotFound(format!(
                "no backup file at {}",
                backup.display()
            )));
        }
        let _lock = lock_dir(dir)?;
        let (key, key_from_backup) = match KeyFile::read(&key_path(dir)) {
            Ok(kf) => (kf.unlock_with_passphrase(passphrase)?, None),
            Err(Error::Damaged { .. }) | Err(Error::Io { .. }) => {
                let copy = KeyFile::read(&backup_key_path(backup))?;
                (copy.unlock_with_passphrase(passphrase)?, Some(copy))
            }
            Err(e) => return Err(e),
        };
        {
            let conn = open_connection(backup, &key).map_err(|e| match e {
                Error::Damaged { .. } => Error::Damaged {
                    path: backup.to_path_buf(),
                    detail: "the backup does not open with this journal's key: it is damaged, \
                             or it belongs to another journal or to a key this journal no \
                             longer uses"
                        .into(),
                },
                other => other,
            })?;
            let report = verify_conn(&conn)?;
            if !report.ok {
                return Err(Error::Damaged {
                    path: backup.to_path_buf(),
                    detail: "the backup fails its integrity check".into(),
                });
            }
            // Bring the copy into a single self-contained file before it is moved in.
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        // A session of the journal being replaced must not open the restored one.
        super::session::revoke_quietly(dir);
        let staged = dir.join("journal.db.restoring");
        fs::copy(backup, &staged).map_err(|e| Error::io("cannot copy the backup", e))?;
        fs::File::open(&staged)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io("cannot flush the restored copy", e))?;
        let db = db_path(dir);
        let before = dir.join("journal.db.before-restore");
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(dir.join(format!("journal.db{suffix}")));
        }
        if db.exists() {
            fs::rename(&db, &before)
                .map_err(|e| Error::io("cannot set the old journal aside", e))?;
        }
        if let Err(e) = fs::rename(&staged, &db) {
            let _ = fs::rename(&before, &db);
            return Err(Error::io("cannot move the restored journal in place", e));
        }
        if let Some(copy) = key_from_backup {
            copy.write_atomic(&key_path(dir))?;
        }
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}
