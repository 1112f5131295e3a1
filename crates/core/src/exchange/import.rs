//! Importing into a journal: an export merged by id, or a coach's review, each planned first
//! (nothing changed), then written in one transaction, and idempotent (importing the same file
//! twice changes nothing the second time).
//!
//! The merge rules: a record already in the journal takes the document's fields, except what a
//! filtered export leaves out is kept (participants not in the document stay, with their
//! reflections, and a link to an entry the document did not carry stays). People are matched
//! by id, else by name (names are unique ignoring case). Records in the trash are left there
//! untouched. A pseudonymised export is refused: its labels would replace real names.
//! Initiatives are matched by id, else by name, and merged: the document's fields win, and its
//! lists (links, statements, guidelines, outcomes, concerns, plan, measures) are merged by id.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::bundle::{open_sealed, Unlock};
use super::document::Opened;
use super::guard::{ImportPreview, PlannedChange, RecordKind};
use super::initiatives::{self, ExportedInitiative};
use super::select::clean_tag;
use super::{ExchangeError, ExportDocument, IncomingKind, Progress};
use crate::model::{
    check_rating, Annotation, Commitment, OpenTopic, Person, Reflection, Touchpoint,
    TouchpointKind, TouchpointState,
};
use crate::vault::exchange_store::{
    put_annotation, put_person, put_reflection_on_logged, Bulk, Presence,
};
use crate::vault::{put_commitment, put_initiative_record, put_topic, put_touchpoint};
use crate::{Error, Journal};

/// How many records of one kind an import added, updated or found already as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordCounts {
    /// New records.
    pub added: u32,
    /// Records that were there and changed.
    pub updated: u32,
    /// Records already as the document has them (or left alone in the trash).
    pub unchanged: u32,
}

impl RecordCounts {
    fn count(&mut self, change: Change) {
        match change {
            Change::Added => self.added += 1,
            Change::Updated => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

/// What an import of an export did, per kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    /// People.
    pub people: RecordCounts,
    /// Entries.
    pub touchpoints: RecordCounts,
    /// Reflections.
    pub reflections: RecordCounts,
    /// Commitments.
    pub commitments: RecordCounts,
    /// Topics.
    pub topics: RecordCounts,
    /// Coach comments.
    pub annotations: RecordCounts,
    /// Change initiatives.
    pub initiatives: RecordCounts,
}

impl ImportSummary {
    /// How many records were added or updated in all.
    pub fn changed(&self) -> u32 {
        [
            self.people,
            self.touchpoints,
            self.reflections,
            self.commitments,
            self.topics,
            self.annotations,
            self.initiatives,
        ]
        .iter()
        .map(|c| c.added + c.updated)
        .sum()
    }
}

/// What importing a coach's review did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewImportSummary {
    /// Who wrote the review.
    pub reviewer: String,
    /// The short fingerprint of the reviewer's key.
    pub reviewer_fingerprint: String,
    /// The bundle the review answers.
    pub export_id: Uuid,
    /// The comments.
    pub annotations: RecordCounts,
    /// Comments left out because their entry is no longer in the journal.
    pub missing_targets: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Updated,
    Unchanged,
}

/// Above this many writes an import is large: it gets [`IMPORT_CACHE_KIB`] of page cache.
const LARGE_IMPORT: usize = 10_000;
/// The page cache of a large import, in KiB: room for the indexes it writes all over.
const IMPORT_CACHE_KIB: i64 = 256 * 1024;

/// One write of an import plan.
enum Op {
    /// A person, and whether they are new.
    Person(Person, bool),
    /// A touchpoint, and whether it is new to the journal (nothing of it to replace).
    Touchpoint(Touchpoint, bool),
    /// A reflection, and whether it is new; its touchpoint is logged by then (the plan logs
    /// every entry it brings reflections for).
    Reflection(Reflection, bool),
    /// A commitment, and whether it is new.
    Commitment(Commitment, bool),
    /// A topic, and whether it is new.
    Topic(OpenTopic, bool),
    /// A comment, and whether it is new.
    Annotation(Annotation, bool),
    /// An initiative, merged with the journal's, and whether it is new.
    Initiative(Box<ExportedInitiative>, bool),
}

/// An export checked against the journal: every write it would make, decided before any.
pub(crate) struct ExportPlan {
    ops: Vec<Op>,
    summary: ImportSummary,
    changes: Vec<PlannedChange>,
}

impl ExportPlan {
    /// Whether the import would change records already in the journal.
    pub(crate) fn changes_records(&self) -> bool {
        !self.changes.is_empty()
    }

    /// The preview of this plan.
    pub(crate) fn preview(&self, kind: IncomingKind) -> ImportPreview {
        let mut p = ImportPreview::new(kind, "export");
        p.counts = self.summary.clone();
        p.changes = self.changes.clone();
        p.needs_confirmation = self.changes_records();
        p
    }
}

/// The start of a text, for a label.
fn short(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The existing records that `ops` change, with labels from the document.
fn changes_of(ops: &[Op], doc: &ExportDocument) -> Vec<PlannedChange> {
    let titles: HashMap<Uuid, &str> = doc
        .touchpoints
        .iter()
        .map(|t| (t.id, t.title.as_str()))
        .collect();
    let title = |id: &Uuid| titles.get(id).copied().unwrap_or("an entry").to_string();
    let change = |kind, id, label: String| PlannedChange { kind, id, label };
    ops.iter()
        .filter_map(|op| match op {
            Op::Person(p, false) => Some(change(RecordKind::Person, p.id, p.name.clone())),
            Op::Touchpoint(t, false) => Some(change(RecordKind::Touchpoint, t.id, short(&t.title))),
            Op::Reflection(r, false) => Some(change(
                RecordKind::Reflection,
                r.id,
                format!("reflection on {}", title(&r.touchpoint_id)),
            )),
            Op::Commitment(c, false) => Some(change(RecordKind::Commitment, c.id, short(&c.what))),
            Op::Topic(t, false) => Some(change(RecordKind::Topic, t.id, short(&t.text))),
            Op::Annotation(a, false) => Some(change(RecordKind::Annotation, a.id, short(&a.text))),
            Op::Initiative(i, false) => Some(change(RecordKind::Initiative, i.id, short(&i.name))),
            _ => None,
        })
        .collect()
}

/// Whether two records are the same, offsets of times included. Their JSON texts are compared:
/// the records hold no maps, so equal records write equal text, and writing text is far cheaper
/// than building JSON values for every record of a large import.
fn same<T: Serialize>(a: &T, b: &T) -> bool {
    serde_json::to_vec(a).ok() == serde_json::to_vec(b).ok()
}

/// The journal's own checks of a touchpoint, for records that come from a file.
fn check_touchpoint(t: &Touchpoint) -> Result<(), ExchangeError> {
    let bad = |m: String| Err(ExchangeError::invalid(format!("entry {}: {m}", t.id)));
    if t.title.chars().count() > 300 {
        return bad("the title is longer than 300 characters".into());
    }
    if t.kind != TouchpointKind::Decision && !t.affected_groups.is_empty() {
        return bad("only decisions have affected groups".into());
    }
    let mut seen = HashSet::new();
    for g in &t.affected_groups {
        check_rating("impact", g.impact)?;
        if !seen.insert(g.group) {
            return bad(format!("group {} is listed twice", g.group));
        }
    }
    if t.duration_minutes.is_some_and(|d| d > 24 * 60) {
        return bad("it lasts more than a day".into());
    }
    Ok(())
}

impl Journal {
    /// Merges an export into this journal in one transaction; see the module notes for the
    /// rules. `progress` is called as records are checked and written; returning
    /// `ControlFlow::Break` cancels, and nothing is changed.
    ///
    /// It applies whatever the document brings, changes to existing records included: the
    /// app and CLI go through [`import_file`](super::import_file), which asks first.
    pub fn import_document(
        &mut self,
        doc: &ExportDocument,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ImportSummary, ExchangeError> {
        let plan = self.plan_export(doc, progress)?;
        self.apply_export(plan, progress)
    }

    /// Checks an export and decides every write of its import, changing nothing.
    pub(crate) fn plan_export(
        &self,
        doc: &ExportDocument,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ExportPlan, ExchangeError> {
        doc.check()?;
        if doc.options.pseudonymise {
            return Err(ExchangeError::WrongDocument(
                "this export is pseudonymised, so it cannot be imported: its labels such as \
                 \"Person A\" would replace real names. Open it for review instead."
                    .into(),
            ));
        }
        let (ops, summary) = self.plan_import(doc, progress)?;
        let changes = changes_of(&ops, doc);
        Ok(ExportPlan {
            ops,
            summary,
            changes,
        })
    }

    /// Makes the writes of a plan in one transaction.
    pub(crate) fn apply_export(
        &mut self,
        plan: ExportPlan,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ImportSummary, ExchangeError> {
        let ExportPlan { ops, summary, .. } = plan;
        let total = ops.len();
        let mut cancelled = false;
        // The writes reach indexes keyed by random ids all over the file. In the journal's usual
        // page cache most pages would be decrypted, evicted (encrypted and spilled) and read
        // again many times over; a large import gets a large cache for its one transaction.
        let usual_cache: i64 = self
            .conn()
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        if total > LARGE_IMPORT {
            self.conn()
                .pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        }
        let new_entries = ops
            .iter()
            .filter(|op| matches!(op, Op::Touchpoint(_, true)))
            .count();
        let bulk = self.bulk_pays(new_entries)?;
        let write = |tx: &rusqlite::Transaction<'_>| {
            // New records go in bulk, the others one by one. The plan lists people, then
            // entries, reflections, commitments, topics and comments: what waits is moved in
            // whenever the kind changes, before anything that may refer to it.
            let mut bulk = Bulk::new(tx);
            let mut kind = None;
            for (i, op) in ops.iter().enumerate() {
                if i % 200 == 0 && tick(progress, i, total, "writing").is_break() {
                    cancelled = true;
                    return Err(Error::InvalidInput("cancelled".into()));
                }
                if kind.replace(std::mem::discriminant(op)) != Some(std::mem::discriminant(op)) {
                    bulk.flush()?;
                }
                match op {
                    Op::Person(p, _) => put_person(tx, p)?,
                    Op::Touchpoint(t, true) => bulk.touchpoint(t)?,
                    Op::Touchpoint(t, false) => put_touchpoint(tx, t)?,
                    Op::Reflection(r, true) => bulk.reflection(r)?,
                    Op::Reflection(r, false) => put_reflection_on_logged(tx, r)?,
                    Op::Commitment(c, true) => bulk.commitment(c)?,
                    Op::Commitment(c, false) => put_commitment(tx, c)?,
                    Op::Topic(t, true) => bulk.topic(t)?,
                    Op::Topic(t, false) => put_topic(tx, t)?,
                    Op::Annotation(a, _) => put_annotation(tx, a, None)?,
                    Op::Initiative(i, _) => put_initiative_record(tx, i)?,
                }
            }
            bulk.finish()?;
            if tick(progress, total, total, "writing").is_break() {
                cancelled = true;
                return Err(Error::InvalidInput("cancelled".into()));
            }
            Ok(())
        };
        // Many new entries beside few held: the stored balances are written once at the end
        // rather than row by row.
        let result = if bulk {
            self.write_in_bulk(write)
        } else {
            self.write(write)
        };
        // Back to the usual cache, which frees the pages above it.
        let restored = self.conn().pragma_update(None, "cache_size", usual_cache);
        let result = result.and_then(|()| restored.map_err(Error::from));
        match result {
            Ok(()) => Ok(summary),
            Err(_) if cancelled => Err(ExchangeError::Cancelled),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads what is there and decides every write, before anything is written.
    fn plan_import(
        &self,
        doc: &ExportDocument,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<(Vec<Op>, ImportSummary), ExchangeError> {
        let mut summary = ImportSummary::default();
        let mut ops = Vec::new();
        let total = doc.people.len()
            + doc.touchpoints.len()
            + doc.reflections.len()
            + doc.commitments.len()
            + doc.topics.len()
            + doc.annotations.len()
            + doc.initiatives.len();
        let mut done = 0;
        let mut step = |progress: &mut dyn FnMut(Progress) -> ControlFlow<()>| {
            done += 1;
            if done % 500 == 0 && tick(progress, done, total, "checking").is_break() {
                return Err(ExchangeError::Cancelled);
            }
            Ok(())
        };
        if tick(progress, 0, total, "checking").is_break() {
            return Err(ExchangeError::Cancelled);
        }

        // People: by id, else by name.
        let mut people: HashMap<Uuid, Uuid> = HashMap::new();
        for p in &doc.people {
            step(progress)?;
            let mut incoming = clean_person(p)?;
            let change = match self.person_presence(p.id)? {
                Presence::Live => {
                    let existing = self.person(p.id)?;
                    incoming.created_at = existing.created_at;
                    if same(&existing, &incoming) {
                        Change::Unchanged
                    } else {
                        ops.push(Op::Person(incoming, false));
                        Change::Updated
                    }
                }
                Presence::Trashed => Change::Unchanged,
                Presence::Absent => match self.person_id_named(&incoming.name)? {
                    Some(local) => {
                        people.insert(p.id, local);
                        Change::Unchanged
                    }
                    None => {
                        ops.push(Op::Person(incoming, true));
                        Change::Added
                    }
                },
            };
            people.entry(p.id).or_insert(p.id);
            summary.people.count(change);
        }
        let person = |id: Uuid| people.get(&id).copied().unwrap_or(id);

        // Touchpoints: participants the journal has and the document lacks are kept. What the
        // journal holds is read in bulk first: a query per record is what made a large import
        // slow.
        let reflected: HashSet<Uuid> = doc.reflections.iter().map(|r| r.touchpoint_id).collect();
        let in_doc: HashSet<Uuid> = doc.touchpoints.iter().map(|t| t.id).collect();
        let in_journal = self.all_ids("touchpoints")?;
        let in_trash = self.trashed_ids("touchpoints")?;
        let mut live: HashMap<Uuid, Touchpoint> = self.live_touchpoints(
            &in_doc
                .iter()
                .filter(|id| in_journal.contains(id) && !in_trash.contains(id))
                .copied()
                .collect(),
        )?;
        let presence = |id: &Uuid| match (in_journal.contains(id), in_trash.contains(id)) {
            (false, _) => Presence::Absent,
            (true, false) => Presence::Live,
            (true, true) => Presence::Trashed,
        };
        let mut trashed: HashSet<Uuid> = HashSet::new();
        let mut fresh: HashSet<Uuid> = HashSet::new();
        for t in &doc.touchpoints {
            step(progress)?;
            check_touchpoint(t)?;
            let mut incoming = t.clone();
            incoming.participants = Vec::new();
            for p in t.participants.iter().map(|p| person(*p)) {
                if !incoming.participants.contains(&p) {
                    incoming.participants.push(p);
                }
            }
            let mut tags = Vec::new();
            for tag in t.tags.iter().map(|g| clean_tag(g)) {
                if !tag.is_empty() && !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            incoming.tags = tags;
            if reflected.contains(&t.id) {
                incoming.state = TouchpointState::Logged;
            }
            let change = match presence(&t.id) {
                Presence::Live => {
                    let existing = live.remove(&t.id).ok_or_else(|| {
                        Error::NotFound(format!("no touchpoint with id {}", t.id))
                    })?;
                    let mut merged = existing.participants.clone();
                    merged.extend(
                        incoming
                            .participants
                            .iter()
                            .filter(|p| !existing.participants.contains(p)),
                    );
                    incoming.participants = merged;
                    incoming.created_at = existing.created_at;
                    if existing.state == TouchpointState::Logged {
                        incoming.state = TouchpointState::Logged;
                    }
                    if same(&existing, &incoming) {
                        Change::Unchanged
                    } else {
                        ops.push(Op::Touchpoint(incoming, false));
                        Change::Updated
                    }
                }
                Presence::Trashed => {
                    trashed.insert(t.id);
                    Change::Unchanged
                }
                Presence::Absent => {
                    fresh.insert(t.id);
                    ops.push(Op::Touchpoint(incoming, true));
                    Change::Added
                }
            };
            summary.touchpoints.count(change);
        }

        // Reflections: one per touchpoint and person; the journal's id wins when both exist.
        // A new entry has no reflections yet: only those on entries already here are read.
        let on_live = self.reflections_on(
            &reflected
                .iter()
                .filter(|t| presence(t) == Presence::Live)
                .copied()
                .collect(),
        )?;
        let mut taken: Option<HashSet<Uuid>> = None;
        let mut reflection_ids: HashMap<Uuid, Uuid> = HashMap::new();
        for r in &doc.reflections {
            step(progress)?;
            if trashed.contains(&r.touchpoint_id) {
                summary.reflections.count(Change::Unchanged);
                continue;
            }
            let mut incoming = r.clone();
            incoming.person_id = person(r.person_id);
            let change = match on_live.get(&(r.touchpoint_id, incoming.person_id)).cloned() {
                Some(existing) => {
                    reflection_ids.insert(r.id, existing.id);
                    incoming.id = existing.id;
                    incoming.created_at = existing.created_at;
                    if same(&existing, &incoming) {
                        Change::Unchanged
                    } else {
                        ops.push(Op::Reflection(incoming, false));
                        Change::Updated
                    }
                }
                None => {
                    let taken = match &mut taken {
                        Some(ids) => ids,
                        None => taken.insert(self.all_ids("reflections")?),
                    };
                    if taken.contains(&r.id) {
                        return Err(ExchangeError::invalid(format!(
                            "reflection {} is already in this journal on another entry",
                            r.id
                        )));
                    }
                    ops.push(Op::Reflection(incoming, true));
                    Change::Added
                }
            };
            summary.reflections.count(change);
        }

        // A link to an entry neither in the document nor in the journal is dropped.
        let link = |t: Option<Uuid>| -> Result<Option<Uuid>, ExchangeError> {
            Ok(match t {
                Some(t) if in_doc.contains(&t) || in_journal.contains(&t) => Some(t),
                _ => None,
            })
        };
        let commitments =
            self.commitments_by_id(&doc.commitments.iter().map(|c| c.id).collect())?;
        for c in &doc.commitments {
            step(progress)?;
            if c.what.trim().is_empty() {
                return Err(ExchangeError::invalid(format!(
                    "commitment {} says nothing",
                    c.id
                )));
            }
            let mut incoming = c.clone();
            incoming.person_id = person(c.person_id);
            let change = match commitments.get(&c.id).cloned() {
                Some(existing) => {
                    incoming.touchpoint_id =
                        link(incoming.touchpoint_id.or(existing.touchpoint_id))?;
                    incoming.created_at = existing.created_at;
                    if same(&existing, &incoming) {
                        Change::Unchanged
                    } else {
                        ops.push(Op::Commitment(incoming, false));
                        Change::Updated
                    }
                }
                None => {
                    incoming.touchpoint_id = link(incoming.touchpoint_id)?;
                    ops.push(Op::Commitment(incoming, true));
                    Change::Added
                }
            };
            summary.commitments.count(change);
        }
        let topics = self.topics_by_id(&doc.topics.iter().map(|t| t.id).collect())?;
        for t in &doc.topics {
            step(progress)?;
            if t.text.trim().is_empty() {
                return Err(ExchangeError::invalid(format!(
                    "topic {} says nothing",
                    t.id
                )));
            }
            let mut incoming = t.clone();
            incoming.person_id = person(t.person_id);
            let change = match topics.get(&t.id).cloned() {
                Some(existing) => {
                    incoming.touchpoint_id =
                        link(incoming.touchpoint_id.or(existing.touchpoint_id))?;
                    incoming.created_at = existing.created_at;
                    if same(&existing, &incoming) {
                        Change::Unchanged
                    } else {
                        ops.push(Op::Topic(incoming, false));
                        Change::Updated
                    }
                }
                None => {
                    incoming.touchpoint_id = link(incoming.touchpoint_id)?;
                    ops.push(Op::Topic(incoming, true));
                    Change::Added
                }
            };
            summary.topics.count(change);
        }
        for a in &doc.annotations {
            step(progress)?;
            let mut incoming = a.clone();
            incoming.target_id = reflection_ids
                .get(&a.target_id)
                .copied()
                .unwrap_or(a.target_id);
            let change = self.annotation_change(&incoming)?;
            if change != Change::Unchanged {
                ops.push(Op::Annotation(incoming, change == Change::Added));
            }
            summary.annotations.count(change);
        }
        let trashed_people = self.trashed_ids("people")?;
        let live_person = |p: &Uuid| !trashed_people.contains(p);
        let live_entry =
            |t: &Uuid| !in_trash.contains(t) && (in_doc.contains(t) || in_journal.contains(t));
        for i in &doc.initiatives {
            step(progress)?;
            let mut incoming = i.clone();
            let people_of = |ps: &[Uuid]| -> Vec<Uuid> {
                let mut out: Vec<Uuid> =
                    ps.iter().map(|p| person(*p)).filter(live_person).collect();
                out.dedup();
                out
            };
            incoming.people = people_of(&i.people);
            incoming.touchpoints.retain(live_entry);
            for g in &mut incoming.guidelines {
                g.shaped_by = people_of(&g.shaped_by);
                g.touchpoint_id = g.touchpoint_id.filter(live_entry);
            }
            for o in &mut incoming.outcomes {
                o.people = people_of(&o.people);
                o.touchpoints.retain(live_entry);
            }
            incoming
                .concerns
                .retain(|c| live_person(&person(c.person_id)));
            for c in &mut incoming.concerns {
                c.person_id = person(c.person_id);
                c.touchpoint_id = c.touchpoint_id.filter(live_entry);
            }
            for s in &mut incoming.plan {
                s.touchpoints.retain(live_entry);
            }
            let local = match self.initiative_record(i.id)? {
                Some(found) => Some(found),
                None => match self.initiative_id_named(&i.name)? {
                    Some(id) => self.initiative_record(id)?,
                    None => None,
                },
            };
            let change = match local {
                Some(mut existing) => {
                    let merged = initiatives::merge(&existing, &incoming);
                    initiatives::normalise(&mut existing);
                    if same(&existing, &merged) {
                        Change::Unchanged
                    } else {
                        ops.push(Op::Initiative(Box::new(merged), false));
                        Change::Updated
                    }
                }
                None => {
                    initiatives::normalise(&mut incoming);
                    ops.push(Op::Initiative(Box::new(incoming), true));
                    Change::Added
                }
            };
            summary.initiatives.count(change);
        }
        Ok((ops, summary))
    }

    fn annotation_change(&self, a: &Annotation) -> Result<Change, ExchangeError> {
        Ok(match self.annotation_by_id(a.id)? {
            Some(existing) if same(&existing, a) => Change::Unchanged,
            Some(_) => Change::Updated,
            None => Change::Added,
        })
    }

    /// Imports a coach's review file: it must be encrypted to this journal's key and answer a
    /// bundle this journal sent (see [`guard`](super::guard)). The comments are added beside
    /// their entries, each once however often it is imported; nothing else changes.
    pub fn import_review(&mut self, bytes: &[u8]) -> Result<ReviewImportSummary, ExchangeError> {
        let sealed = open_sealed(bytes, Unlock::Identity(self))?;
        match sealed.opened {
            Opened::Review(review) => {
                let plan = self.plan_review(&review, sealed.encrypted)?;
                self.apply_review(plan, Utc::now())
            }
            Opened::Export(_) => Err(ExchangeError::WrongDocument(
                "this is an export, not a coach's review: import it as an export".into(),
            )),
        }
    }
}

fn tick(
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    done: usize,
    total: usize,
    stage: &str,
) -> ControlFlow<()> {
    progress(Progress {
        done: done as u64,
        total: total as u64,
        stage: stage.to_string(),
    })
}

/// A person from a file, tidied the way the journal stores people.
fn clean_person(p: &Person) -> Result<Person, ExchangeError> {
    let mut p = p.clone();
    p.name = p.name.trim().to_string();
    if p.name.is_empty() || p.name.chars().count() > 200 {
        return Err(ExchangeError::invalid(format!(
            "person {} has an empty or overlong name",
            p.id
        )));
    }
    p.emails = p
        .emails
        .iter()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    p.role = p.role.trim().to_string();
    p.cadence_days = p.cadence_days.filter(|d| *d > 0);
    let mut teams: Vec<String> = p
        .teams
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    teams.sort();
    teams.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    p.teams = teams;
    Ok(p)
}
