//! The encrypted journal on disk: one folder with an SQLCipher database and its key file.
//!
//! The database key is a random 256-bit data key, never derived from the passphrase; the
//! key file beside the database holds it wrapped under a passphrase slot and a recovery
//! slot. Opening takes an exclusive lock on the folder so a second process is refused
//! instead of racing the first.

mod aggregates;
mod backup;
#[cfg(feature = "bench")]
#[doc(hidden)]
pub mod bench;
mod calendars;
mod commitments;
mod entries;
pub(crate) mod exchange_store;
mod foreign;
mod form_draft;
mod identity;
mod initiatives;
pub(crate) use initiatives::{add_tag, put_initiative_record};
mod insights;
mod keys;
mod meeting_ends;
mod people;
mod prompt_store;
mod reflection_form;
mod rekey;
mod review_drafts;
mod schema;
mod search;
pub mod session;
mod settings;
mod trash;
mod wal;

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use chrono::Utc;
use fs4::fs_std::FileExt;
use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::keyfile::KeyFile;
use crate::model::Settings;
use crate::secret::{DataKey, Passphrase, RecoveryCode};
use crate::{Error, Result};

pub use backup::{default_backup_dir, BackupInfo, VerifyReport};
pub use calendars::{
    calendar_key, watched_folder, CalendarStatus, LinkedCalendar, MAX_LINKED_CALENDARS,
};
pub(crate) use commitments::{put_commitment, put_topic};
pub(crate) use entries::{put_reflection, put_touchpoint};
pub use entries::{TimelineCursor, TimelineFilter, TimelineItem};
pub use foreign::{CalendarNotice, ForeignImportSummary};
pub use form_draft::{FormDraft, FormKind, FORM_DRAFT_MAX_BYTES};
pub use insights::{CommitmentDue, PersonOverview, Scope, Today};
pub use meeting_ends::{MeetingEnd, DEFAULT_MEETING_MINUTES};
pub use people::PersonRef;
pub use reflection_form::{FormCommitment, FormTopic, PersonSide, ReflectionForm, SavedReflection};
pub use rekey::{OldBackups, RekeyProgress};
pub use search::{plain_query, SearchHit, SearchMode, Segment};
pub use trash::{Erased, Trash, TrashedEntry, TrashedPerson};

/// File names inside a journal folder.
const DB_FILE: &str = "journal.db";
const KEY_FILE: &str = "journal.key";
const LOCK_FILE: &str = "journal.lock";

/// Days a trashed person or entry is kept before it is erased for good.
pub const TRASH_DAYS: i64 = 30;

/// An unlocked journal. Dropping it closes the database and forgets the key.
pub struct Journal {
    conn: Connection,
    dir: PathBuf,
    settings: Settings,
    // Held for the journal's lifetime: the OS releases the lock when the file closes.
    _lock: File,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Paths of the files that make up a journal folder.
fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

fn key_path(dir: &Path) -> PathBuf {
    dir.join(KEY_FILE)
}

/// The journal folder used when none is named: the platform data folder's `journal`
/// (on Linux `~/.local/share/touchpoint/journal`). The CLI and the app share it.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "touchpoint").map(|d| d.data_dir().join("journal"))
}

/// Whether `dir` holds a journal (its key file is the marker).
pub fn exists(dir: &Path) -> bool {
    key_path(dir).exists()
}

/// Takes the folder's exclusive lock, or reports that another process holds it.
fn lock_dir(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    match file.try_lock_exclusive() {
        Ok(true) => Ok(file),
        Ok(false) => Err(Error::InUse {
            path: dir.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Err(Error::InUse {
            path: dir.to_path_buf(),
        }),
        Err(e) => Err(Error::io(format!("cannot lock {}", path.display()), e)),
    }
}

/// Opens an SQLCipher database with the data key and applies the journal's pragmas.
///
/// Callers check the file exists first when it should; the create flag stays on because
/// attached databases (the backup snapshot) inherit the main connection's open flags.
fn open_connection(path: &Path, key: &DataKey) -> Result<Connection> {
    // A new database file is created 0600 here, whatever the umask; SQLite gives its -wal and
    // -shm files the database's mode.
    crate::harden::create_private_file(path);
    let conn = open_keyed(path, key, true)?;
    connection_pragmas(&conn)?;
    Ok(conn)
}

/// The journal's pragmas, applied once the key has opened the database.
fn connection_pragmas(conn: &Connection) -> Result<()> {
    // A 16 MiB page cache instead of SQLite's 2 MB: every page SQLCipher reads from the file
    // is checked and decrypted, so the pages a person page or Today touch again stay cheap.
    conn.execute_batch(
        "PRAGMA temp_store = MEMORY;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA busy_timeout = 2000;
         PRAGMA cache_size = -16384;",
    )?;
    Ok(())
}

/// Opens an SQLCipher database with the data key and proves the key fits, and nothing more.
///
/// The key goes first (SQLCipher requires it before any other statement); reading
/// `sqlite_master` then proves the key matches and the file is a database.
fn open_keyed(path: &Path, key: &DataKey, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| damaged(path, e))?;
    conn.execute_batch(&key_statement(key))
        .map_err(|e| damaged(path, e))?;
    // cipher_memory_security stays off: SQLCipher keeps its own key material in a locked,
    // wiped private heap either way, and turning it on puts an mlock/munlock pair on every
    // SQLite allocation (5-9x slower reads). See docs/decisions.md, "Memory security".
    conn.execute_batch("PRAGMA cipher_compatibility = 4;")
        .map_err(|e| damaged(path, e))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| damaged(path, e))?;
    Ok(conn)
}

/// `PRAGMA key = "x'…'";` for `key`, built in one zeroizing allocation of exactly its size, so
/// no unwiped copy of the key text is left behind.
pub(crate) fn key_statement(key: &DataKey) -> Zeroizing<String> {
    const BEFORE: &str = "PRAGMA key = \"";
    const AFTER: &str = "\";";
    let value = key.to_sqlcipher_pragma_value();
    let mut sql = Zeroizing::new(String::with_capacity(
        BEFORE.len() + value.len() + AFTER.len(),
    ));
    sql.push_str(BEFORE);
    sql.push_str(&value);
    sql.push_str(AFTER);
    sql
}

/// Whether `key` opens the database at `path` (which must exist). Nothing is written.
fn key_opens(path: &Path, key: &DataKey) -> Result<bool> {
    match open_keyed(path, key, false) {
        Ok(_) => Ok(true),
        Err(Error::Damaged { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Maps an error met while opening a database file to "damaged", keeping a full disk apart.
fn damaged(path: &Path, e: rusqlite::Error) -> Error {
    match Error::from(e) {
        Error::Database(inner) => Error::Damaged {
            path: path.to_path_buf(),
            detail: inner.to_string(),
        },
        Error::Damaged { detail, .. } => Error::Damaged {
            path: path.to_path_buf(),
            detail,
        },
        other => other,
    }
}

impl Journal {
    /// Creates a new journal in `dir` and returns it unlocked with the recovery code to show once.
    pub fn init(dir: &Path, passphrase: &Passphrase) -> Result<(Journal, RecoveryCode)> {
        if exists(dir) || db_path(dir).exists() {
            return Err(Error::AlreadyExists(dir.to_path_buf()));
        }
        fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        let lock = lock_dir(dir)?;
        crate::harden::tighten_journal_folder(dir);
        let key = DataKey::generate();
        let code = RecoveryCode::generate();
        // The database is built first and the key file written last, so a failure part way
        // leaves no key file and the folder is not mistaken for a journal.
        let result = (|| {
            let mut conn = open_connection(&db_path(dir), &key)?;
            schema::migrate(&mut conn)?;
            settings::store(&conn, &Settings::default())?;
            KeyFile::create(&key_path(dir), &key, passphrase, &code)?;
            Ok(conn)
        })();
        match result {
            Ok(conn) => {
                let journal = Journal {
                    conn,
                    dir: dir.to_path_buf(),
                    settings: Settings::default(),
                    _lock: lock,
                };
                Ok((journal, code))
            }
            Err(e) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
                }
                Err(e)
            }
        }
    }

    /// The journal on an opened connection: brought to this build's format, with its
    /// settings read.
    fn on_connection(mut conn: Connection, dir: &Path, lock: File) -> Result<Journal> {
        schema::migrate(&mut conn)?;
        let settings = settings::load(&conn)?;
        Ok(Journal {
            conn,
            dir: dir.to_path_buf(),
            settings,
            _lock: lock,
        })
    }

    /// Opens and unlocks an existing journal with its passphrase.
    pub fn open(dir: &Path, passphrase: &Passphrase) -> Result<Journal> {
        Self::open_with(dir, &|kf| kf.unlock_with_passphrase(passphrase))
    }

    /// Opens a journal with the recovery code and sets a new passphrase; returns it unlocked.
    pub fn recover(
        dir: &Path,
        code: &RecoveryCode,
        new_passphrase: &Passphrase,
    ) -> Result<Journal> {
        let journal = Self::open_with(dir, &|kf| kf.unlock_with_recovery(code))?;
        let mut kf = KeyFile::read(&key_path(dir))?;
        let key = kf.unlock_with_recovery(code)?;
        kf.set_passphrase(&key, new_passphrase)?;
        journal.replace_key_file(&kf)?;
        Ok(journal)
    }

    /// Opens the journal with the key `unlock` takes from a key file. A re-encryption that a
    /// crash interrupted is finished or undone first (see `rekey`), and the backups' key
    /// copies are brought in line with `journal.key`.
    fn open_with(dir: &Path, unlock: &dyn Fn(&KeyFile) -> Result<DataKey>) -> Result<Journal> {
        if !exists(dir) {
            if db_path(dir).exists() {
                return Err(Error::Damaged {
                    path: key_path(dir),
                    detail: "the key file is missing; without it the journal cannot be opened"
                        .into(),
                });
            }
            return Err(Error::NoJournal(dir.to_path_buf()));
        }
        if !db_path(dir).exists() {
            return Err(Error::Damaged {
                path: db_path(dir),
                detail: backup::damage_hint(dir, "the database file is missing"),
            });
        }
        let lock = lock_dir(dir)?;
        crate::harden::tighten_journal_folder(dir);
        let wal = dir.join(format!("{DB_FILE}-wal"));
        wal::check(&wal).map_err(|detail| Error::Damaged {
            detail: backup::damage_hint(dir, &detail),
            path: wal,
        })?;
        // An older key file put in place of the current one (by hand, or by a tool restoring
        // files) must not bring its old secret back: the later copy beside the backups wins.
        keys::promote_newer_copy(dir, &[backup::default_backup_dir(dir)])?;
        let kf = KeyFile::read(&key_path(dir)).map_err(|e| match e {
            Error::Damaged { path, detail } => Error::Damaged {
                detail: backup::damage_hint(dir, &detail),
                path,
            },
            other => other,
        })?;
        let (key, interrupted_rekey) = rekey::settle(dir, &kf, unlock)?;
        let conn = open_connection(&db_path(dir), &key).map_err(|e| match e {
            Error::Damaged { path, detail } => Error::Damaged {
                detail: backup::damage_hint(dir, &detail),
                path,
            },
            other => other,
        })?;
        let mut journal = Journal::on_connection(conn, dir, lock)?;
        let folders = journal.backup_folders();
        if interrupted_rekey {
            rekey::finish(dir, &folders, &key)?;
        } else {
            rekey::remove_leftovers(dir, &folders);
        }
        drop(key);
        if let Some(copy) = keys::promote_newer_copy(dir, &folders)? {
            return Err(Error::Damaged {
                path: key_path(dir),
                detail: format!(
                    "it was older than its copy {} (an older key file had been put in its \
                     place), so the later one is back: open the journal with your current \
                     passphrase",
                    copy.display()
                ),
            });
        }
        keys::heal_key_copies(dir, &folders);
        journal.purge_trash(Utc::now())?;
        Ok(journal)
    }

    /// The journal's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checks that `pass` opens this journal's key file now (answers
    /// [`Error::WrongPassphrase`] when not), without changing anything: for a step that must
    /// not begin with the wrong passphrase, such as closing the journal to restore a backup.
    pub fn check_passphrase(&self, pass: &Passphrase) -> Result<()> {
        KeyFile::read(&key_path(&self.dir))?
            .unlock_with_passphrase(pass)
            .map(drop)
    }

    /// Rewraps the data key under a new passphrase, in the journal's key file and in every
    /// backup's copy of it, so the old passphrase opens none of them; the database is not
    /// touched.
    pub fn change_passphrase(&self, current: &Passphrase, new: &Passphrase) -> Result<()> {
        let mut kf = KeyFile::read(&key_path(&self.dir))?;
        let key = kf.unlock_with_passphrase(current)?;
        kf.set_passphrase(&key, new)?;
        self.replace_key_file(&kf)
    }

    /// Replaces the recovery code and returns the new one to show once. The old code stops
    /// working everywhere: in the journal's key file and in every backup's copy of it.
    pub fn new_recovery_code(&self, current: &Passphrase) -> Result<RecoveryCode> {
        let mut kf = KeyFile::read(&key_path(&self.dir))?;
        let key = kf.unlock_with_passphrase(current)?;
        let code = RecoveryCode::generate();
        kf.set_recovery(&key, &code)?;
        self.replace_key_file(&kf)?;
        Ok(code)
    }

    /// Runs `f` inside one transaction: all of it is written, or none of it.
    ///
    /// Balances need nothing from the caller: the schema's triggers keep them current in the
    /// same transaction, whatever rows `f` writes (see [`aggregates`]).
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// [`Self::write`] for many rows at once (a large import): the triggers that keep balances
    /// current are paused while `f` runs, and what they keep is written afresh from every row
    /// after it, in the same transaction. When `f` fails, the rollback puts the triggers back
    /// as they were. Worth it only when the rows written are many beside those already held:
    /// see [`aggregates::bulk_pays`].
    pub(crate) fn write_in_bulk<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write(|tx| {
            aggregates::pause(tx)?;
            let out = f(tx)?;
            aggregates::rebuild(tx)?;
            Ok(out)
        })
    }

    /// Whether writing `entries` new entries (with their reflections and commitments) is
    /// faster through [`Self::write_in_bulk`] than row by row.
    pub(crate) fn bulk_pays(&self, entries: usize) -> Result<bool> {
        aggregates::bulk_pays(self.conn(), entries)
    }

    /// Writes the stored balances afresh from the journal's rows, so that tests can compare
    /// what the triggers kept with what a rebuild gives.
    #[cfg(test)]
    pub(crate) fn rebuild_aggregates(&mut self) {
        self.write(|tx| {
            aggregates::pause(tx)?;
            Ok(aggregates::rebuild(tx)?)
        })
        .expect("rebuild the stored balances");
    }

    /// Read access to the database for queries.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Runs a write through the connection's statement cache: with the search triggers attached,
/// preparing these statements costs far more than running them, and imports run them in bulk.
pub(crate) fn exec(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// Reads an id stored as text (ids are text so JSON functions and joins see one form).
pub(crate) fn get_id(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<uuid::Uuid> {
    let text: String = row.get(idx)?;
    uuid::Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Reads an optional id stored as text.
pub(crate) fn get_opt_id(
    row: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<uuid::Uuid>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        uuid::Uuid::parse_str(&t).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
        })
    })
    .transpose()
}

#[cfg(test)]
mod aggregate_tests;
#[cfg(test)]
mod explain_tests;
#[cfg(test)]
mod recompute;
#[cfg(test)]
mod tests;
