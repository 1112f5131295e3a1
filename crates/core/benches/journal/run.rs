//! This run's journals: under test, the encrypted mirror, the baseline, captured statements.

use std::cell::{Ref, RefCell, RefMut};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use touchpoint_core::secret::DataKey;
use touchpoint_core::Journal;
use uuid::Uuid;

use crate::baseline::Baseline;
use crate::config::Config;
use crate::measure::fmt_ms;
use crate::report::{Figure, WordStats};

/// One slot for a journal that figures close and open again (its folder lock allows one).
pub type Slot = RefCell<Option<Journal>>;

pub struct Run {
    pub cfg: Config,
    /// "Now" for every call (see `dataset::now`).
    pub now: DateTime<Utc>,
    /// The scratch folder.
    pub dir: PathBuf,
    /// The journal under test (a copy of the cached one).
    pub journal_dir: PathBuf,
    pub journal: Slot,
    /// An encrypted copy, opened by the core with the data key, where captured statements are
    /// replayed raw.
    pub mirror_dir: PathBuf,
    pub mirror: Slot,
    pub key: DataKey,
    /// The plain copy's process.
    pub base: RefCell<Baseline>,
    /// The people, by name.
    pub people: Vec<Uuid>,
    /// Captured statement sets; an index is its name in the baseline process.
    sets: RefCell<Vec<Vec<String>>>,
    pub figures: RefCell<Vec<Figure>>,
    pub per_word: RefCell<Vec<WordStats<'static>>>,
}

impl Run {
    pub fn new(
        cfg: Config,
        now: DateTime<Utc>,
        dir: PathBuf,
        journal_dir: PathBuf,
        mirror_dir: PathBuf,
        key: DataKey,
        base: Baseline,
    ) -> Run {
        let journal = Journal::open_for_bench(&journal_dir, Some(&key)).expect("open journal");
        let run = Run {
            cfg,
            now,
            dir,
            journal_dir,
            journal: RefCell::new(Some(journal)),
            mirror_dir,
            mirror: RefCell::new(None),
            key,
            base: RefCell::new(base),
            people: Vec::new(),
            sets: RefCell::new(Vec::new()),
            figures: RefCell::new(Vec::new()),
            per_word: RefCell::new(Vec::new()),
        };
        run.reopen_mirror();
        let people = run
            .journal()
            .people(false)
            .expect("people")
            .into_iter()
            .map(|p| p.id)
            .collect();
        Run { people, ..run }
    }

    pub fn journal(&self) -> Ref<'_, Journal> {
        Ref::map(self.journal.borrow(), |j| j.as_ref().expect("open"))
    }

    pub fn journal_mut(&self) -> RefMut<'_, Journal> {
        RefMut::map(self.journal.borrow_mut(), |j| j.as_mut().expect("open"))
    }

    pub fn mirror(&self) -> Ref<'_, Journal> {
        Ref::map(self.mirror.borrow(), |j| j.as_ref().expect("open"))
    }

    pub fn mirror_mut(&self) -> RefMut<'_, Journal> {
        RefMut::map(self.mirror.borrow_mut(), |j| j.as_mut().expect("open"))
    }

    /// The mirror's connection, for the harness's own checks (counts, match counts).
    pub fn mirror_connection(&self) -> Ref<'_, Connection> {
        Ref::map(self.mirror(), Journal::connection_for_bench)
    }

    /// Closes the journal under test and opens it again with the data key (nothing warm).
    pub fn reopen_journal(&self) {
        reopen(&self.journal, || {
            Journal::open_for_bench(&self.journal_dir, Some(&self.key)).expect("reopen")
        });
    }

    /// Closes the mirror and opens it again (nothing warm); returns the time opening took.
    pub fn reopen_mirror(&self) -> Duration {
        let mut took = Duration::ZERO;
        reopen(&self.mirror, || {
            let start = Instant::now();
            let j = Journal::open_for_bench(&self.mirror_dir, Some(&self.key)).expect("reopen");
            took = start.elapsed();
            j
        });
        if self.cfg.memory_security {
            self.mirror_connection()
                .execute_batch("PRAGMA cipher_memory_security = ON;")
                .expect("memory security");
        }
        took
    }

    /// Runs `call` on the journal under test and keeps the statements it ran, here and in the
    /// baseline process; returns the set's number.
    pub fn capture(&self, label: &str, call: impl FnOnce(&mut Journal)) -> usize {
        let ((), statements) = self.journal_mut().capture(call);
        assert!(!statements.is_empty(), "{label}: the core ran no statement");
        let mut sets = self.sets.borrow_mut();
        let id = sets.len();
        self.base.borrow_mut().define(&id.to_string(), &statements);
        if self.cfg.plans || self.cfg.profile {
            self.explain(label, &statements);
        }
        sets.push(statements);
        id
    }

    /// Prepares a captured set on the mirror (untimed, before a replay on a fresh connection).
    pub fn prepare_here(&self, set: usize) {
        let sets = self.sets.borrow();
        self.mirror()
            .prepare_replay(&sets[set])
            .expect("prepare on the mirror");
    }

    /// The number of statements in a captured set.
    pub fn set_len(&self, set: usize) -> usize {
        self.sets.borrow()[set].len()
    }

    /// Replays a captured set on the mirror; returns the time and the rows read.
    pub fn replay_here(&self, set: usize) -> (Duration, usize) {
        let sets = self.sets.borrow();
        let mirror = self.mirror();
        let start = Instant::now();
        let rows = mirror.replay(&sets[set]).expect("replay on the mirror");
        (start.elapsed(), rows)
    }

    /// A timed request to the baseline process.
    pub fn remote(&self, request: &[&str]) -> Duration {
        self.base.borrow_mut().time(request).0
    }

    pub fn push(&self, figure: Figure) {
        self.figures.borrow_mut().push(figure);
    }

    /// `BENCH_PLANS=1`: the query plan of each captured statement; `BENCH_PROFILE=1`: the time
    /// each takes alone on the mirror.
    fn explain(&self, label: &str, statements: &[String]) {
        let mirror = self.mirror();
        let conn = mirror.connection_for_bench();
        println!("-- {label}: {} statements", statements.len());
        for sql in statements {
            let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown: String = one_line.chars().take(160).collect();
            if self.cfg.profile {
                let start = Instant::now();
                let rows = mirror
                    .replay(std::slice::from_ref(sql))
                    .expect("replay one");
                println!("   {:>10} {rows:>6} rows  {shown}", fmt_ms(start.elapsed()));
            } else {
                println!("   {shown}");
            }
            let reads = ["SELECT", "WITH"]
                .iter()
                .any(|k| one_line.to_ascii_uppercase().starts_with(k));
            if self.cfg.plans && reads {
                let mut stmt = conn
                    .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .expect("explain");
                let mut rows = stmt.raw_query();
                while let Some(row) = rows.next().expect("plan row") {
                    let parent: i64 = row.get(1).expect("parent");
                    let detail: String = row.get(3).expect("detail");
                    println!("        {parent:>3} {detail}");
                }
            }
        }
    }
}

/// Closes the journal in `slot` before opening the next (the folder lock allows one).
pub fn reopen(slot: &Slot, open: impl FnOnce() -> Journal) {
    drop(slot.borrow_mut().take());
    let journal = open();
    *slot.borrow_mut() = Some(journal);
}
