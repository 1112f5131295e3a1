//! Writing many new records with one statement per table and batch, so the search index takes
//! them in bulk.
//!
//! SQLite opens a statement savepoint on the full-text index for a statement that writes it
//! (through the triggers of schema V1), and FTS5 flushes its pending terms to disk at each one:
//! an import of 100,000 entries written row by row wrote, and merged, one index segment per
//! row. New rows are instead gathered in temporary tables (in memory, as `temp_store = MEMORY`)
//! and moved into place with one `INSERT … SELECT` per batch: the same triggers index them,
//! inside one statement.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Transaction};

use super::super::commitments::{
    commitment_row, topic_row, COMMITMENT_ROW_COLUMNS, TOPIC_ROW_COLUMNS,
};
use super::super::entries::{
    insert_touchpoint_links, reflection_row, touchpoint_row, REFLECTION_ROW_COLUMNS,
    TOUCHPOINT_ROW_COLUMNS,
};
use crate::model::{Commitment, OpenTopic, Reflection, Touchpoint};
use crate::Result;

/// Rows moved per statement: large enough that the index is written in big segments, small
/// enough that a cancelled import stops soon.
const BATCH: usize = 10_000;

/// The tables new rows are gathered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Touchpoints,
    Reflections,
    Commitments,
    Topics,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Touchpoints => "touchpoints",
            Table::Reflections => "reflections",
            Table::Commitments => "commitments",
            Table::Topics => "topics",
        }
    }

    fn columns(self) -> &'static str {
        match self {
            Table::Touchpoints => TOUCHPOINT_ROW_COLUMNS,
            Table::Reflections => REFLECTION_ROW_COLUMNS,
            Table::Commitments => COMMITMENT_ROW_COLUMNS,
            Table::Topics => TOPIC_ROW_COLUMNS,
        }
    }
}

/// New records waiting to be moved in, one table at a time. The caller knows each record is
/// not in the journal yet; [`Bulk::flush`] must run before anything that needs them (a
/// reflection needs its touchpoint) and [`Bulk::finish`] at the end.
pub(crate) struct Bulk<'a, 't> {
    tx: &'a Transaction<'t>,
    /// The table of the rows waiting, and how many there are.
    pending: Option<(Table, usize)>,
    /// Staging tables created so far, dropped by [`Bulk::finish`].
    created: Vec<Table>,
    /// Touchpoints waiting: their participants and tags are written once their rows are in.
    touchpoints: Vec<&'a Touchpoint>,
}

impl<'a, 't> Bulk<'a, 't> {
    pub(crate) fn new(tx: &'a Transaction<'t>) -> Self {
        Bulk {
            tx,
            pending: None,
            created: Vec::new(),
            touchpoints: Vec::new(),
        }
    }

    /// A new touchpoint, with its participants and tags.
    pub(crate) fn touchpoint(&mut self, t: &'a Touchpoint) -> Result<()> {
        self.stage(Table::Touchpoints, touchpoint_row(t))?;
        self.touchpoints.push(t);
        self.flush_if_full()
    }

    /// A new reflection; its touchpoint must be logged already.
    pub(crate) fn reflection(&mut self, r: &Reflection) -> Result<()> {
        self.stage(Table::Reflections, reflection_row(r))?;
        self.flush_if_full()
    }

    /// A new commitment.
    pub(crate) fn commitment(&mut self, c: &Commitment) -> Result<()> {
        self.stage(Table::Commitments, commitment_row(c))?;
        self.flush_if_full()
    }

    /// A new topic.
    pub(crate) fn topic(&mut self, t: &OpenTopic) -> Result<()> {
        self.stage(Table::Topics, topic_row(t))?;
        self.flush_if_full()
    }

    fn stage<const N: usize>(&mut self, table: Table, row: [Value; N]) -> Result<()> {
        match self.pending {
            Some((t, _)) if t != table => self.flush()?,
            _ => {}
        }
        if !self.created.contains(&table) {
            self.tx.execute_batch(&format!(
                "CREATE TEMP TABLE import_{name} AS SELECT {columns} FROM main.{name} WHERE 0",
                name = table.name(),
                columns = table.columns(),
            ))?;
            self.created.push(table);
        }
        let holes = vec!["?"; N].join(", ");
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO temp.import_{} VALUES ({holes})",
                table.name()
            ))?
            .execute(params_from_iter(row))?;
        let waiting = self.pending.map_or(0, |(_, n)| n);
        self.pending = Some((table, waiting + 1));
        Ok(())
    }

    fn flush_if_full(&mut self) -> Result<()> {
        match self.pending {
            Some((_, n)) if n >= BATCH => self.flush(),
            _ => Ok(()),
        }
    }

    /// Moves the waiting rows into their table.
    pub(crate) fn flush(&mut self) -> Result<()> {
        let Some((table, _)) = self.pending.take() else {
            return Ok(());
        };
        let (name, columns) = (table.name(), table.columns());
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO main.{name}({columns})
                 SELECT {columns} FROM temp.import_{name} ORDER BY rowid"
            ))?
            .execute([])?;
        self.tx
            .prepare_cached(&format!("DELETE FROM temp.import_{name}"))?
            .execute([])?;
        for t in std::mem::take(&mut self.touchpoints) {
            insert_touchpoint_links(self.tx, t)?;
        }
        Ok(())
    }

    /// Moves what is still waiting and drops the staging tables.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.flush()?;
        for table in std::mem::take(&mut self.created) {
            self.tx
                .execute_batch(&format!("DROP TABLE temp.import_{}", table.name()))?;
        }
        Ok(())
    }
}
