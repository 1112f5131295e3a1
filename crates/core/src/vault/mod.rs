//! The encrypted journal on disk: one folder with an SQLCipher database and its key file.
//!
//! The database key is a random 256-bit data key, never derived from the passphrase; the
//! key file beside the database holds it wrapped under a passphrase slot and a recovery
//! slot. Opening takes an exclusive lock on the folder so a second process is refused
//! instead of racing the first.

mod aggregates;
mod backup;
mod calendars;
mod commitments;
mod entries;
pub(crate) mod exchange_store;
mod foreign;
mod form_draft;
mod identity;
mod initiatives;
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
    /// What the overview read last, kept across writes that say whom they touched (see
    /// [`insights::Digest`]).
    digest: std::cell::RefCell<Option<insights::Digest>>,
    /// Whether the triggers of [`change_tracking_sql`] exist (they do while a digest is kept).
    tracking: std::cell::Cell<bool>,
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
    Ok(conn)
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

/// Temporary triggers (they live in this connection only, never in the file) that note whose
/// balance or participation facts each write changes, so the overview's digest re-reads those
/// people instead of everyone. `inserted` tells rows a write added from rows it changed or
/// removed: a capture adds its new entry to the digest itself (see `Journal::write_about`).
/// They exist only while a digest is kept, so that an import into a journal nobody has looked
/// at yet pays nothing for them. Returns the statements that create them and those that
/// remove them.
///
/// Each person is noted once per kind: the notes are read after every write, and a large
/// write (an import) would otherwise note one row per record. `INSERT OR IGNORE` cannot do it,
/// as a foreign key's cascade imposes its own conflict policy on the triggers it fires.
fn change_tracking_sql() -> (String, String) {
    // Notes the people `select` gives (a query with one column, `person_id`).
    let note = |select: &str, inserted: u8| {
        format!(
            "INSERT INTO digest_changes SELECT n.person_id, {inserted} FROM ({select}) n
             WHERE NOT EXISTS (SELECT 1 FROM digest_changes d
                               WHERE d.person_id = n.person_id AND d.inserted = {inserted});"
        )
    };
    let of_touchpoint = |id: &str| {
        note(
            &format!(
                "SELECT person_id FROM participants WHERE touchpoint_id = {id}
                 UNION SELECT person_id FROM reflections WHERE touchpoint_id = {id}"
            ),
            0,
        )
    };
    let mut sql = String::from(
        "CREATE TEMP TABLE digest_changes (person_id TEXT NOT NULL, inserted INTEGER NOT NULL);
         CREATE INDEX temp.digest_changes_person ON digest_changes(person_id, inserted);",
    );
    let mut drop = String::new();
    let mut trigger = |name: &str, when: &str, body: String| {
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER digest_{name} {when} BEGIN {body} END;"
        ));
        drop.push_str(&format!("DROP TRIGGER temp.digest_{name};"));
    };
    for table in ["reflections", "participants", "commitments"] {
        let one =
            |row: &str, inserted| note(&format!("SELECT {row}.person_id AS person_id"), inserted);
        trigger(
            &format!("{table}_insert"),
            &format!("AFTER INSERT ON {table}"),
            one("new", 1),
        );
        trigger(
            &format!("{table}_update"),
            &format!("AFTER UPDATE ON {table}"),
            one("old", 0) + &one("new", 0),
        );
        trigger(
            &format!("{table}_delete"),
            &format!("AFTER DELETE ON {table}"),
            one("old", 0),
        );
    }
    trigger(
        "touchpoints_update",
        "AFTER UPDATE ON touchpoints",
        of_touchpoint("old.id") + &of_touchpoint("new.id"),
    );
    // Before: the cascade is about to remove the rows that say whom it concerned.
    trigger(
        "touchpoints_delete",
        "BEFORE DELETE ON touchpoints",
        of_touchpoint("old.id"),
    );
    trigger(
        "people_update",
        "AFTER UPDATE OF deleted_at ON people",
        note("SELECT new.id AS person_id", 0),
    );
    trigger(
        "people_delete",
        "AFTER DELETE ON people",
        note("SELECT old.id AS person_id", 0),
    );
    drop.push_str("DROP TABLE temp.digest_changes;");
    (sql, drop)
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
                    digest: Default::default(),
                    tracking: Default::default(),
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
        let mut conn = open_connection(&db_path(dir), &key).map_err(|e| match e {
            Error::Damaged { path, detail } => Error::Damaged {
                detail: backup::damage_hint(dir, &detail),
                path,
            },
            other => other,
        })?;
        schema::migrate(&mut conn)?;
        let settings = settings::load(&conn)?;
        let mut journal = Journal {
            conn,
            dir: dir.to_path_buf(),
            settings,
            digest: Default::default(),
            tracking: Default::default(),
            _lock: lock,
        };
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
    /// The overview's digest is kept: the people whose rows the write changed (noted by the
    /// triggers of [`change_tracking_sql`]) are read again when it is next needed.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        self.take_changes(true);
        Ok(out)
    }

    /// [`Journal::write`] for a change whose new rows the caller accounts for: `people` are
    /// marked stale, as is anyone whose existing rows the write changed or removed, but rows it
    /// only added are left to the caller (a capture adds its entry to the digest directly,
    /// which costs no SQL).
    pub(crate) fn write_about<T>(
        &mut self,
        people: &[uuid::Uuid],
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        // Changes made before this write are not the caller's to account for.
        self.take_changes(true);
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        self.take_changes(false);
        if let Some(digest) = self.digest.get_mut() {
            digest.stale.extend(people.iter().copied());
        }
        Ok(out)
    }

    /// Moves the people noted by the change-tracking triggers into the digest's stale set (only
    /// those whose existing rows changed unless `inserted` too) and forgets the notes.
    ///
    /// It runs after a commit, so a failure cannot be reported as the write's: the digest is
    /// dropped instead and read afresh when next needed.
    fn take_changes(&self, inserted: bool) {
        if !self.tracking.get() {
            return;
        }
        let taken = (|| -> rusqlite::Result<Vec<uuid::Uuid>> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT person_id, inserted FROM temp.digest_changes")?;
            let rows = stmt.query_map([], |r| Ok((get_id(r, 0)?, r.get::<_, bool>(1)?)))?;
            let (mut people, mut any) = (Vec::new(), false);
            for row in rows {
                let (person, added) = row?;
                any = true;
                if inserted || !added {
                    people.push(person);
                }
            }
            if any {
                self.conn
                    .prepare_cached("DELETE FROM temp.digest_changes")?
                    .execute([])?;
            }
            Ok(people)
        })();
        match taken {
            Ok(people) => {
                if let Some(digest) = self.digest.borrow_mut().as_mut() {
                    digest.stale.extend(people);
                }
            }
            Err(_) => self.drop_digest(),
        }
    }

    /// Keeps `digest` (read just now) and starts noting whose rows later writes change.
    fn keep_digest(
        &self,
        digest: insights::Digest,
    ) -> Result<std::cell::RefMut<'_, insights::Digest>> {
        if !self.tracking.get() {
            self.conn.execute_batch(&change_tracking_sql().0)?;
            self.tracking.set(true);
        }
        let cell = self.digest.borrow_mut();
        Ok(std::cell::RefMut::map(cell, |d| d.insert(digest)))
    }

    /// Drops the digest and the triggers that kept it up to date. Should removing them fail,
    /// they stay and go on noting changes, which costs a little and breaks nothing.
    fn drop_digest(&self) {
        *self.digest.borrow_mut() = None;
        if self.tracking.get() && self.conn.execute_batch(&change_tracking_sql().1).is_ok() {
            self.tracking.set(false);
        }
    }

    /// Forgets the overview's digest, so that the next call reads it afresh (tests compare
    /// the two).
    #[cfg(test)]
    pub(crate) fn forget_digest(&mut self) {
        self.drop_digest();
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
mod tests;
