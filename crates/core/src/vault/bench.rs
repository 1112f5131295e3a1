//! Benchmark only (feature `bench`): a plain-SQLite journal, statements captured and replayed.
//!
//! Never on in the app or the CLI; `make bench` turns it on for `benches/journal`.

use std::cell::RefCell;
use std::hint::black_box;
use std::path::Path;

use chrono::Utc;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::{Connection, OpenFlags};

use super::{connection_pragmas, db_path, lock_dir, open_connection, Journal};
use crate::secret::DataKey;
use crate::Result;

/// Statements a replaying connection keeps prepared (the core's own cache is far smaller, as
/// it prepares each text once and binds it again).
const REPLAY_CACHE: usize = 4096;

thread_local! {
    /// The statements traced on this thread while `capture` runs.
    static CAPTURED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(stmt, sql) = event {
        // A trigger's subprogram is announced as "-- TRIGGER name": it runs again by itself
        // when the statement that fired it is replayed.
        if sql.starts_with("--") {
            return;
        }
        let text = stmt.expanded_sql().unwrap_or_else(|| sql.to_string());
        CAPTURED.with(|c| c.borrow_mut().push(text));
    }
}

impl Journal {
    /// Opens the journal in `dir` with its data key already derived (`Some`), or over a plain,
    /// unencrypted SQLite file (`None`, the benchmark's baseline), with the connection setup,
    /// migration, settings and trash purge of [`Journal::open`]. What is left out is the key
    /// file's housekeeping (re-encryption recovery, key copies), which needs no SQL.
    #[doc(hidden)]
    pub fn open_for_bench(dir: &Path, key: Option<&DataKey>) -> Result<Journal> {
        let lock = lock_dir(dir)?;
        let path = db_path(dir);
        let conn = match key {
            Some(key) => open_connection(&path, key)?,
            None => {
                let conn = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                    r.get::<_, i64>(0)
                })?;
                connection_pragmas(&conn)?;
                conn
            }
        };
        let mut journal = Journal::on_connection(conn, dir, lock)?;
        journal.purge_trash(Utc::now())?;
        Ok(journal)
    }

    /// Runs `f` and returns what it returned with every statement the journal's connection ran
    /// meanwhile, parameters inlined (SQLite's expanded SQL), in order; statements that
    /// triggers run are left out, as replaying their statement fires them again.
    #[doc(hidden)]
    pub fn capture<T>(&mut self, f: impl FnOnce(&mut Journal) -> T) -> (T, Vec<String>) {
        CAPTURED.with(|c| c.borrow_mut().clear());
        self.conn
            .trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
        let out = f(self);
        self.conn.trace_v2(TraceEventCodes::empty(), None);
        (out, CAPTURED.with(|c| std::mem::take(&mut *c.borrow_mut())))
    }

    /// Prepares `statements` into the connection's statement cache without running them, so
    /// a replay right after measures running them only. The cache is made large enough to
    /// hold them: with parameters inlined, a call that runs one statement for each of 200
    /// people becomes 200 texts, where the core prepares one and binds it 200 times.
    #[doc(hidden)]
    pub fn prepare_replay(&self, statements: &[String]) -> Result<()> {
        self.conn
            .set_prepared_statement_cache_capacity(REPLAY_CACHE.max(statements.len()));
        for sql in statements {
            self.conn.prepare_cached(sql)?;
        }
        Ok(())
    }

    /// Runs `statements` on the journal's connection as they are (prepared through its
    /// statement cache, see `prepare_replay`; every row stepped and every column read, as the
    /// core's row mappers do), and returns the rows read.
    #[doc(hidden)]
    pub fn replay(&self, statements: &[String]) -> Result<usize> {
        self.conn
            .set_prepared_statement_cache_capacity(REPLAY_CACHE.max(statements.len()));
        let mut rows_read = 0;
        for sql in statements {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let columns = stmt.column_count();
            let mut rows = stmt.raw_query();
            while let Some(row) = rows.next()? {
                for i in 0..columns {
                    black_box(row.get_ref(i)?);
                }
                rows_read += 1;
            }
        }
        Ok(rows_read)
    }

    /// The journal's connection, for the benchmark's checks (counts, query plans).
    #[doc(hidden)]
    pub fn connection_for_bench(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::keyfile::KeyFile;
    use crate::secret::Passphrase;

    /// What the benchmark relies on: the statements captured from a call, replayed on a plain
    /// copy opened by the core, read the same rows as on the encrypted journal.
    #[test]
    fn captured_statements_replay_alike_on_the_journal_and_on_a_plain_copy() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("journal");
        let pass = Passphrase::new("correct horse battery staple for the bench".into());
        let (mut journal, _code) = Journal::init(&dir, &pass).expect("init");
        let anchor = Utc
            .with_ymd_and_hms(2026, 1, 15, 0, 0, 0)
            .single()
            .expect("date");
        crate::demo::generate(&mut journal, 5, 60, 7, anchor).expect("demo");
        let now = anchor + chrono::Duration::hours(20);
        let (today, statements) = journal.capture(|j| j.today(now).expect("today"));
        assert!(!statements.is_empty());
        assert!(statements.iter().all(|s| !s.starts_with("--")));
        let rows = journal.replay(&statements).expect("replay");
        assert!(rows >= today.drafts.len());

        let plain_dir = tmp.path().join("plain");
        std::fs::create_dir_all(&plain_dir).expect("plain dir");
        let plain_db = plain_dir.join("journal.db");
        let version: i64 = journal
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        journal
            .conn
            .execute(
                "ATTACH DATABASE ?1 AS plain KEY ''",
                [plain_db.to_str().expect("utf-8")],
            )
            .expect("attach");
        journal
            .conn
            .execute_batch(&format!(
                "SELECT sqlcipher_export('plain'); PRAGMA plain.user_version = {version}; \
                 DETACH DATABASE plain;"
            ))
            .expect("export");
        let plain = Journal::open_for_bench(&plain_dir, None).expect("open the plain copy");
        assert_eq!(plain.replay(&statements).expect("replay"), rows);
        assert_eq!(
            plain.today(now).expect("today").drafts.len(),
            today.drafts.len()
        );
        drop(journal);

        let key = KeyFile::read(&dir.join("journal.key"))
            .expect("key file")
            .unlock_with_passphrase(&pass)
            .expect("unlock");
        let keyed = Journal::open_for_bench(&dir, Some(&key)).expect("open with the key");
        assert_eq!(keyed.replay(&statements).expect("replay"), rows);
    }
}
