//! Balances kept where the data is: every balance event and every participation stored in the
//! database, with running totals per scope, all kept current by triggers in the schema.
//!
//! This module is the one place that knows what "an event changed" means. The triggers it
//! writes into format 7 fire on every row that can change a balance (reflections, touchpoints,
//! commitments, people, participants, links to initiatives), whatever Rust code wrote the
//! row, in the same transaction as the write; so no write path can forget them. A loss-weight
//! change needs nothing: the totals keep deposits and withdrawals apart, and the weight is
//! applied when they are read (see [`Totals`]).
//!
//! - `balance_events`: one row per event per scope, clustered by scope and time. A person's
//!   scope is their id; a stakeholder group's decision impacts are `group:<name>`; an
//!   initiative's linked entries are `initiative:<id>`. Teams and groups add up their members'
//!   person scopes when read, so a change of membership rewrites nothing.
//! - `balance_totals`: per scope, the count of events and of reflections and the sums of the
//!   raw deltas split into deposits and withdrawals, kept by triggers on `balance_events`;
//!   per person also the count of entries they took part in.
//! - `participation`: each person's entries not in the trash (one-on-ones apart), for the
//!   last touchpoint, the one-on-one consistency and the reflection coverage.
//!
//! A write of many rows at once (a large import) pauses the triggers inside its transaction
//! and rebuilds everything here from the rows after it ([`pause`], [`rebuild`],
//! [`bulk_pays`]): row by row, each new entry would cost more than a rebuild does.

/// The columns every event insert fills, in order.
const COLUMNS: &str = "scope, at_ms, source_id, source, who, n, person_id, entry_id, kind, grp, \
                       at, w, a, adversarial, label";

/// The statements that write the balance events matching `filter` into `balance_events`, one
/// per kind of event. Rows go in in the table's order (by scope and time): for the one-off fill
/// of a whole journal that writes each page once instead of hopping between pages. `filter` is an SQL condition over the aliases `t` (touchpoints), `r`
/// (reflections), `c` (commitments) and `l` (initiative links) where they exist; each
/// statement is given `filter` with the aliases it does not have replaced as `fix` says.
///
/// These are the rules of [`super::insights`]'s events: reflections of entries and people not
/// in the trash; commitments resolved (kept +1 ability, broken -1, renegotiated 0 unless done
/// after its due date, which counts as broken); decisions' impact per group; and for an
/// initiative the same three kinds for its linked entries.
fn event_inserts(filters: &Filters<'_>) -> String {
    // A commitment's event: the status it counts as, and its ability.
    let late =
        "(c.due IS NOT NULL AND date(c.due) IS NOT NULL AND substr(c.resolved_at, 1, 10) > c.due)";
    let c_source = format!(
        "CASE WHEN c.status = 'kept' THEN 'commitment_kept'
              WHEN c.status = 'broken' OR {late} THEN 'commitment_broken'
              ELSE 'commitment_renegotiated' END"
    );
    let c_ability = format!(
        "CASE WHEN c.status = 'kept' THEN 1
              WHEN c.status = 'broken' OR {late} THEN -1
              ELSE 0 END"
    );
    let resolved = "c.status <> 'open' AND c.resolved_at IS NOT NULL";
    let mut sql = String::new();
    // Every reflection at once: in table order, each joined to its touchpoint. Left to itself
    // SQLite walks the reflections by person and looks their touchpoints up all over the file
    // (see `recompute::person_events`).
    let reflections = if filters.whole {
        "reflections r NOT INDEXED CROSS JOIN touchpoints t ON t.id = r.touchpoint_id
         CROSS JOIN people p ON p.id = r.person_id"
    } else {
        "reflections r JOIN touchpoints t ON t.id = r.touchpoint_id
         JOIN people p ON p.id = r.person_id"
    };
    if let Some(f) = filters.reflection {
        sql.push_str(&format!(
            "INSERT INTO balance_events ({COLUMNS})
             SELECT r.person_id, t.occurred_ms, t.id, 'reflection', r.person_id, 0, r.person_id,
                    t.id, t.kind, NULL, t.occurred_at, r.willingness, r.ability, r.adversarial,
                    t.title
             FROM {reflections}
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND ({f})
             ORDER BY 1, 2;
             INSERT INTO balance_events ({COLUMNS})
             SELECT 'initiative:' || l.initiative_id, t.occurred_ms, t.id, 'reflection',
                    r.person_id, 0, r.person_id, t.id, t.kind, NULL, t.occurred_at,
                    r.willingness, r.ability, r.adversarial, t.title
             FROM reflections r JOIN touchpoints t ON t.id = r.touchpoint_id
                  JOIN people p ON p.id = r.person_id
                  JOIN initiative_touchpoints l ON l.touchpoint_id = t.id
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND ({f})
             ORDER BY 1, 2;"
        ));
    }
    if let Some(f) = filters.commitment {
        sql.push_str(&format!(
            "INSERT INTO balance_events ({COLUMNS})
             SELECT c.person_id, c.resolved_ms, c.id, {c_source}, c.person_id, 0, c.person_id,
                    NULL, NULL, NULL, c.resolved_at, 0, {c_ability}, 0, c.what
             FROM commitments c JOIN people p ON p.id = c.person_id
             WHERE {resolved} AND p.deleted_at IS NULL AND ({f})
             ORDER BY 1, 2;"
        ));
    }
    if let Some(f) = filters.initiative_commitment {
        sql.push_str(&format!(
            "INSERT INTO balance_events ({COLUMNS})
             SELECT 'initiative:' || l.initiative_id, c.resolved_ms, c.id, {c_source},
                    c.person_id, 0, c.person_id, t.id, NULL, NULL, c.resolved_at, 0,
                    {c_ability}, 0, c.what
             FROM commitments c JOIN touchpoints t ON t.id = c.touchpoint_id
                  JOIN people p ON p.id = c.person_id
                  JOIN initiative_touchpoints l ON l.touchpoint_id = t.id
             WHERE {resolved} AND t.deleted_at IS NULL AND p.deleted_at IS NULL AND ({f})
             ORDER BY 1, 2;"
        ));
    }
    if let Some(f) = filters.decision {
        sql.push_str(&format!(
            "INSERT INTO balance_events ({COLUMNS})
             SELECT 'group:' || (g.value ->> 'group'), t.occurred_ms, t.id, 'decision',
                    g.value ->> 'group', g.key, NULL, t.id, t.kind, g.value ->> 'group',
                    t.occurred_at, g.value ->> 'impact', 0, 0, t.title
             FROM touchpoints t, json_each(t.affected_groups) g
             WHERE t.kind = 'decision' AND t.deleted_at IS NULL AND ({f})
             ORDER BY 1, 2;
             INSERT INTO balance_events ({COLUMNS})
             SELECT 'initiative:' || l.initiative_id, t.occurred_ms, t.id, 'decision',
                    g.value ->> 'group', g.key, NULL, t.id, t.kind, g.value ->> 'group',
                    t.occurred_at, g.value ->> 'impact', 0, 0, t.title
             FROM touchpoints t JOIN initiative_touchpoints l ON l.touchpoint_id = t.id,
                  json_each(t.affected_groups) g
             WHERE t.kind = 'decision' AND t.deleted_at IS NULL AND ({f})
             ORDER BY 1, 2;"
        ));
    }
    sql
}

/// Which events [`event_inserts`] writes: a condition per kind, `None` for none of that kind.
#[derive(Default)]
struct Filters<'a> {
    /// Every event of the journal (the filters are all true).
    whole: bool,
    reflection: Option<&'a str>,
    commitment: Option<&'a str>,
    initiative_commitment: Option<&'a str>,
    decision: Option<&'a str>,
}

/// Every event of entry `id` (an SQL expression) written again: its reflections, its decisions
/// and, for the initiatives it is linked to, the commitments made in it.
fn refresh_entry(id: &str) -> String {
    let by_entry = format!("t.id = {id}");
    format!(
        "DELETE FROM balance_events WHERE entry_id = {id};{}",
        event_inserts(&Filters {
            whole: false,
            reflection: Some(&by_entry),
            commitment: None,
            initiative_commitment: Some(&by_entry),
            decision: Some(&by_entry),
        })
    )
}

/// The stored events of commitment row `c` (`old`) removed: its person's, found by the
/// primary key, and its entry's initiatives', by the entry (no index on the source is needed,
/// which would cost every event row a third index entry).
fn commitment_gone(c: &str) -> String {
    format!(
        "DELETE FROM balance_events
         WHERE scope = {c}.person_id AND at_ms = {c}.resolved_ms AND source_id = {c}.id;
         DELETE FROM balance_events WHERE entry_id = {c}.touchpoint_id AND source_id = {c}.id;"
    )
}

/// The stored events of commitment row `c` (`new`) written.
fn commitment_events(c: &str) -> String {
    let by_id = format!("c.id = {c}.id");
    event_inserts(&Filters {
        commitment: Some(&by_id),
        initiative_commitment: Some(&by_id),
        ..Filters::default()
    })
}

/// Every event of person `id` written again (they went to the trash or came back).
fn refresh_person(id: &str) -> String {
    let refl = format!("r.person_id = {id}");
    let comm = format!("c.person_id = {id}");
    format!(
        "DELETE FROM balance_events WHERE scope = {id};
         DELETE FROM balance_events
         WHERE scope > 'initiative:' AND scope < 'initiative;' AND person_id = {id};{}",
        event_inserts(&Filters {
            whole: false,
            reflection: Some(&refl),
            commitment: Some(&comm),
            initiative_commitment: Some(&comm),
            decision: None,
        })
    )
}

/// The participation rows of entry `t` (a touchpoints row alias such as `new`), written again.
fn participation_of(t: &str) -> String {
    format!(
        "INSERT OR REPLACE INTO participation (person_id, one_on_one, occurred_ms, touchpoint_id, occurred_at)
         SELECT pp.person_id, {t}.kind = 'one_on_one', {t}.occurred_ms, {t}.id, {t}.occurred_at
         FROM participants pp WHERE pp.touchpoint_id = {t}.id AND {t}.deleted_at IS NULL;"
    )
}

/// The participation rows of entry `t` (a touchpoints row alias such as `old`), removed.
fn participation_gone(t: &str) -> String {
    format!(
        "DELETE FROM participation
         WHERE (person_id, one_on_one, occurred_ms, touchpoint_id) IN
               (SELECT pp.person_id, {t}.kind = 'one_on_one', {t}.occurred_ms, {t}.id
                FROM participants pp WHERE pp.touchpoint_id = {t}.id);"
    )
}

/// Every event and participation of the journal written from its rows, then [`ENTRY_INDEX`],
/// and the totals counted with one `GROUP BY` each. The tables must be empty, without the
/// index, and without the counting triggers: the totals are written here.
fn fill_sql() -> String {
    let mut sql = event_inserts(&Filters {
        whole: true,
        reflection: Some("1"),
        commitment: Some("1"),
        initiative_commitment: Some("1"),
        decision: Some("1"),
    });
    sql.push_str(ENTRY_INDEX);
    sql.push_str(
        "INSERT INTO participation (person_id, one_on_one, occurred_ms, touchpoint_id, occurred_at)
         SELECT pp.person_id, t.kind = 'one_on_one', t.occurred_ms, t.id, t.occurred_at
         FROM touchpoints t NOT INDEXED CROSS JOIN participants pp ON pp.touchpoint_id = t.id
         WHERE t.deleted_at IS NULL
         ORDER BY 1, 2, 3;
         INSERT INTO balance_totals (scope, events, reflections, dpos, dneg, wpos, wneg, apos, aneg)
         SELECT scope, count(*), sum(source = 'reflection'), sum(max(w + a, 0)),
                sum(min(w + a, 0)), sum(max(w, 0)), sum(min(w, 0)), sum(max(a, 0)), sum(min(a, 0))
         FROM balance_events GROUP BY scope;
         INSERT INTO balance_totals (scope, touchpoints)
         SELECT person_id, count(*) FROM participation WHERE true GROUP BY person_id
         ON CONFLICT(scope) DO UPDATE SET touchpoints = excluded.touchpoints;",
    );
    sql
}

/// The index that finds an entry's events. [`fill_sql`] makes it once the events are in: one
/// sorted pass instead of an insert at a random place per event.
const ENTRY_INDEX: &str =
    "CREATE INDEX balance_events_entry ON balance_events(entry_id) WHERE entry_id IS NOT NULL;";

/// The tables of format 7, without [`ENTRY_INDEX`].
const TABLES: &str = "CREATE TABLE balance_events (
            scope TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            source_id TEXT NOT NULL,
            source TEXT NOT NULL,
            who TEXT NOT NULL,
            n INTEGER NOT NULL,
            person_id TEXT,
            entry_id TEXT,
            kind TEXT,
            grp TEXT,
            at TEXT NOT NULL,
            w INTEGER NOT NULL,
            a INTEGER NOT NULL,
            adversarial INTEGER NOT NULL,
            label TEXT NOT NULL,
            PRIMARY KEY (scope, at_ms, source_id, source, who, n)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE balance_totals (
            scope TEXT PRIMARY KEY,
            events INTEGER NOT NULL DEFAULT 0,
            reflections INTEGER NOT NULL DEFAULT 0,
            dpos INTEGER NOT NULL DEFAULT 0,
            dneg INTEGER NOT NULL DEFAULT 0,
            wpos INTEGER NOT NULL DEFAULT 0,
            wneg INTEGER NOT NULL DEFAULT 0,
            apos INTEGER NOT NULL DEFAULT 0,
            aneg INTEGER NOT NULL DEFAULT 0,
            touchpoints INTEGER NOT NULL DEFAULT 0
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE participation (
            person_id TEXT NOT NULL,
            one_on_one INTEGER NOT NULL,
            occurred_ms INTEGER NOT NULL,
            touchpoint_id TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            PRIMARY KEY (person_id, one_on_one, occurred_ms, touchpoint_id)
        ) STRICT, WITHOUT ROWID;
";

/// The triggers that keep this module's tables current, each as its name and its `CREATE`
/// statement: the counting ones on the module's own tables first, then those on the rows
/// that can change a balance. The names are those journals of format 7 were made with.
fn triggers() -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut trigger = |name: &str, when: &str, body: String| {
        let name = name.to_string();
        let sql = format!("CREATE TRIGGER {name} {when} BEGIN {body} END;\n");
        all.push((name, sql));
    };
    trigger(
        "balance_events_insert",
        "AFTER INSERT ON balance_events",
        "INSERT INTO balance_totals (scope, events, reflections, dpos, dneg, wpos, wneg, apos, aneg)
            VALUES (new.scope, 1, new.source = 'reflection',
                    max(new.w + new.a, 0), min(new.w + new.a, 0), max(new.w, 0), min(new.w, 0),
                    max(new.a, 0), min(new.a, 0))
            ON CONFLICT(scope) DO UPDATE SET events = events + 1,
                reflections = reflections + excluded.reflections,
                dpos = dpos + excluded.dpos, dneg = dneg + excluded.dneg,
                wpos = wpos + excluded.wpos, wneg = wneg + excluded.wneg,
                apos = apos + excluded.apos, aneg = aneg + excluded.aneg;"
            .into(),
    );
    trigger(
        "balance_events_delete",
        "AFTER DELETE ON balance_events",
        "UPDATE balance_totals SET events = events - 1,
                reflections = reflections - (old.source = 'reflection'),
                dpos = dpos - max(old.w + old.a, 0), dneg = dneg - min(old.w + old.a, 0),
                wpos = wpos - max(old.w, 0), wneg = wneg - min(old.w, 0),
                apos = apos - max(old.a, 0), aneg = aneg - min(old.a, 0)
            WHERE scope = old.scope;"
            .into(),
    );
    trigger(
        "participation_insert",
        "AFTER INSERT ON participation",
        "INSERT INTO balance_totals (scope, touchpoints) VALUES (new.person_id, 1)
            ON CONFLICT(scope) DO UPDATE SET touchpoints = touchpoints + 1;"
            .into(),
    );
    trigger(
        "participation_delete",
        "AFTER DELETE ON participation",
        "UPDATE balance_totals SET touchpoints = touchpoints - 1 WHERE scope = old.person_id;"
            .into(),
    );
    let one_reflection = "r.touchpoint_id = new.touchpoint_id AND r.person_id = new.person_id";
    trigger(
        "balance_reflection_insert",
        "AFTER INSERT ON reflections",
        event_inserts(&Filters {
            reflection: Some(one_reflection),
            ..Filters::default()
        }),
    );
    trigger(
        "balance_reflection_update",
        "AFTER UPDATE ON reflections",
        refresh_entry("old.touchpoint_id") + &refresh_entry("new.touchpoint_id"),
    );
    trigger(
        "balance_reflection_delete",
        "AFTER DELETE ON reflections",
        refresh_entry("old.touchpoint_id"),
    );
    let decision = "t.id = new.id";
    trigger(
        "balance_touchpoint_insert",
        "AFTER INSERT ON touchpoints WHEN new.kind = 'decision'",
        event_inserts(&Filters {
            decision: Some(decision),
            ..Filters::default()
        }),
    );
    trigger(
        "balance_touchpoint_update",
        "AFTER UPDATE OF kind, occurred_at, occurred_ms, title, affected_groups, deleted_at \
         ON touchpoints",
        refresh_entry("new.id") + &participation_gone("old") + &participation_of("new"),
    );
    // Before: the cascade is about to remove the participants that say whose entry it was.
    trigger(
        "balance_touchpoint_delete",
        "BEFORE DELETE ON touchpoints",
        format!(
            "DELETE FROM balance_events WHERE entry_id = old.id;{}",
            participation_gone("old")
        ),
    );
    trigger(
        "balance_commitment_insert",
        "AFTER INSERT ON commitments WHEN new.status <> 'open'",
        commitment_events("new"),
    );
    trigger(
        "balance_commitment_update",
        "AFTER UPDATE ON commitments",
        commitment_gone("old") + &commitment_events("new"),
    );
    trigger(
        "balance_commitment_delete",
        "AFTER DELETE ON commitments",
        commitment_gone("old"),
    );
    trigger(
        "balance_person_update",
        "AFTER UPDATE OF deleted_at ON people",
        refresh_person("new.id"),
    );
    trigger(
        "balance_person_delete",
        "AFTER DELETE ON people",
        "DELETE FROM balance_events WHERE scope = old.id;
         DELETE FROM balance_events
         WHERE scope > 'initiative:' AND scope < 'initiative;' AND person_id = old.id;
         DELETE FROM participation WHERE person_id = old.id;
         DELETE FROM balance_totals WHERE scope = old.id;"
            .into(),
    );
    trigger(
        "balance_participant_insert",
        "AFTER INSERT ON participants",
        "INSERT OR REPLACE INTO participation (person_id, one_on_one, occurred_ms, touchpoint_id, occurred_at)
         SELECT new.person_id, t.kind = 'one_on_one', t.occurred_ms, t.id, t.occurred_at
         FROM touchpoints t WHERE t.id = new.touchpoint_id AND t.deleted_at IS NULL;"
            .into(),
    );
    trigger(
        "balance_participant_delete",
        "AFTER DELETE ON participants",
        "DELETE FROM participation
         WHERE (person_id, one_on_one, occurred_ms, touchpoint_id) IN
               (SELECT old.person_id, t.kind = 'one_on_one', t.occurred_ms, t.id
                FROM touchpoints t WHERE t.id = old.touchpoint_id);"
            .into(),
    );
    for (name, when, row) in [
        (
            "balance_link_insert",
            "AFTER INSERT ON initiative_touchpoints",
            "new",
        ),
        (
            "balance_link_delete",
            "AFTER DELETE ON initiative_touchpoints",
            "old",
        ),
    ] {
        trigger(name, when, refresh_entry(&format!("{row}.touchpoint_id")));
    }
    all
}

/// Format 7: the tables of this module, everything already in the journal written into them
/// once, and then the triggers that keep them current.
pub(super) fn migration_sql() -> String {
    String::from(TABLES) + &filled_then_kept()
}

/// What [`rebuild`] runs: every stored row removed and written again, then the triggers put
/// back. They must have been dropped first.
fn rebuild_sql() -> String {
    String::from(
        "DROP INDEX balance_events_entry;
         DELETE FROM balance_events; DELETE FROM participation; DELETE FROM balance_totals;",
    ) + &filled_then_kept()
}

/// [`fill_sql`], then the triggers that keep what it wrote current.
fn filled_then_kept() -> String {
    let mut sql = fill_sql();
    for (_, create) in triggers() {
        sql.push_str(&create);
    }
    sql
}

/// Below this many new entries a write goes row by row whatever the journal holds: pausing
/// costs a fixed price in statements that a small write does not earn back.
const BULK_MIN: usize = if cfg!(test) { 1 } else { 2_000 };

/// How many entries may be held for each new one before a rebuild of every stored row costs
/// more than the triggers would for the new rows alone. On the benchmark's journal (release,
/// 100,000 entries into an empty journal, docs/PERFORMANCE.md) the import took 16.7 s through
/// the triggers and 13.3 s in bulk, of which 2.7 s was the rebuild: the triggers cost about
/// 60 µs per new entry and a rebuild about 27 µs per entry held or new, so a rebuild pays
/// while the journal holds up to about 1.2 entries per new one.
pub(super) const BULK_RATIO: usize = 1;

/// Whether writing `entries` new entries pays to go through [`pause`] and [`rebuild`].
pub(crate) fn bulk_pays(conn: &rusqlite::Connection, entries: usize) -> crate::Result<bool> {
    if entries < BULK_MIN {
        return Ok(false);
    }
    let held: i64 = conn.query_row("SELECT count(*) FROM touchpoints", [], |r| r.get(0))?;
    Ok(usize::try_from(held).unwrap_or(usize::MAX) <= entries.saturating_mul(BULK_RATIO))
}

/// Drops the triggers of this module inside `tx`, for a write of many rows: each row would
/// otherwise write its events and totals one at a time. [`rebuild`] must follow in the same
/// transaction, which puts them back; if the transaction is rolled back instead, so is the
/// drop.
pub(crate) fn pause(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let drops: String = triggers()
        .iter()
        .map(|(name, _)| format!("DROP TRIGGER {name};"))
        .collect();
    tx.execute_batch(&drops)
}

/// Writes every stored row afresh from the journal's rows and puts the triggers back, after
/// [`pause`].
pub(crate) fn rebuild(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(&rebuild_sql())
}

/// The running totals of one scope's events, as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StoredTotals {
    pub(crate) events: i64,
    pub(crate) reflections: i64,
    pub(crate) totals: crate::balance::Totals,
    pub(crate) touchpoints: i64,
}

/// The scope key of a stakeholder group's decision impacts.
pub(crate) fn group_key(group: crate::model::Group) -> String {
    format!("group:{}", group.as_str())
}

/// The scope key of an initiative's linked entries.
pub(crate) fn initiative_key(id: uuid::Uuid) -> String {
    format!("initiative:{id}")
}

/// The columns [`event_row`] reads, in order.
const READ_COLUMNS: &str = "source_id, at, source, kind, person_id, grp, w, a, adversarial, label";

/// A stored event row as a balance event.
fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<crate::balance::Event> {
    use crate::balance::EventSource;
    let source: String = r.get(2)?;
    let source = match source.as_str() {
        "reflection" => EventSource::Reflection,
        "commitment_kept" => EventSource::CommitmentKept,
        "commitment_broken" => EventSource::CommitmentBroken,
        "commitment_renegotiated" => EventSource::CommitmentRenegotiated,
        _ => EventSource::Decision,
    };
    let kind: Option<String> = r.get(3)?;
    let group: Option<String> = r.get(5)?;
    Ok(crate::balance::Event {
        source_id: super::get_id(r, 0)?,
        at: super::entries::parse_moment(&r.get::<_, String>(1)?),
        source,
        touchpoint_kind: kind.and_then(|k| k.parse().ok()),
        person_id: super::get_opt_id(r, 4)?,
        group: group.and_then(|g| g.parse().ok()),
        willingness: r.get(6)?,
        ability: r.get(7)?,
        adversarial: r.get(8)?,
        label: r.get(9)?,
    })
}

impl super::Journal {
    /// The stored events of `scope` (a person's id, [`group_key`] or [`initiative_key`]), in
    /// the order of [`crate::balance::sort_chronologically`]. A decision on a group that is not
    /// one of ours is left out.
    pub(crate) fn stored_events(&self, scope: &str) -> crate::Result<Vec<crate::balance::Event>> {
        self.stored_events_since(scope, i64::MIN)
    }

    /// [`Self::stored_events`] of the events at or after `since_ms` (UTC milliseconds).
    pub(crate) fn stored_events_since(
        &self,
        scope: &str,
        since_ms: i64,
    ) -> crate::Result<Vec<crate::balance::Event>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {READ_COLUMNS} FROM balance_events WHERE scope = ?1 AND at_ms >= ?2"
        ))?;
        let mut events = Vec::new();
        for e in stmt.query_map(rusqlite::params![scope, since_ms], event_row)? {
            let e = e?;
            if e.source == crate::balance::EventSource::Decision && e.group.is_none() {
                continue;
            }
            events.push(e);
        }
        crate::balance::sort_chronologically(&mut events);
        Ok(events)
    }

    /// The stored totals of `scope`; zero when it has none.
    pub(crate) fn stored_totals(&self, scope: &str) -> crate::Result<StoredTotals> {
        use rusqlite::OptionalExtension;
        let mut stmt = self.conn().prepare_cached(
            "SELECT events, reflections, dpos, dneg, wpos, wneg, apos, aneg, touchpoints
             FROM balance_totals WHERE scope = ?1",
        )?;
        let found = stmt
            .query_row([scope], |r| {
                Ok(StoredTotals {
                    events: r.get(0)?,
                    reflections: r.get(1)?,
                    totals: crate::balance::Totals {
                        events: r.get(0)?,
                        delta: (r.get(2)?, r.get(3)?),
                        willingness: (r.get(4)?, r.get(5)?),
                        ability: (r.get(6)?, r.get(7)?),
                    },
                    touchpoints: r.get(8)?,
                })
            })
            .optional()?;
        Ok(found.unwrap_or_default())
    }
}

/// Milliseconds in a day.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

impl super::Journal {
    /// The events of `scope` that its summary at `now` reads beyond its totals (see
    /// [`crate::balance::summary_of_tail`]): those of the last 90 days and from 30 days before
    /// the last deposit. Every bound is taken a millisecond wider than it needs to be, as
    /// stored times are whole milliseconds; reading more changes nothing.
    pub(crate) fn stored_tail(
        &self,
        scope: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<Vec<crate::balance::Event>> {
        use rusqlite::OptionalExtension;
        let now_ms = now.timestamp_millis();
        // Strictly before now's millisecond, so the deposit found is surely in the past; a
        // later one in the same millisecond would only narrow what must be read.
        let deposit: Option<i64> = self
            .conn()
            .prepare_cached(
                "SELECT at_ms FROM balance_events
                 WHERE scope = ?1 AND at_ms < ?2 AND w + a > 0
                 ORDER BY at_ms DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![scope, now_ms], |r| r.get(0))
            .optional()?;
        let since = match deposit {
            Some(d) => (d - 30 * DAY_MS).min(now_ms - 90 * DAY_MS) - 1,
            None => i64::MIN,
        };
        self.stored_events_since(scope, since)
    }

    /// The numbers of `scope`'s balance at `now` from its stored totals and latest events.
    pub(crate) fn stored_summary(
        &self,
        scope: &str,
        loss_weight: crate::balance::LossWeight,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<crate::balance::BalanceSummary> {
        let totals = self.stored_totals(scope)?;
        let tail = self.stored_tail(scope, now)?;
        Ok(crate::balance::summary_of_tail(
            totals.totals,
            &tail,
            loss_weight,
            now,
        ))
    }
}
