//! Change initiatives in an export: which go, what of each, their pseudonyms, their checks,
//! how an import merges them, and what review mode shows of them.
//!
//! The rules (export version 2):
//! - An initiative goes when at least one of its linked entries is exported; a full export
//!   (no date, kind, tag or people filter) also takes initiatives with no linked entry yet. An
//!   initiative whose linked entries are all private, in the trash or filtered out stays home.
//! - Of each: its name, purpose, status, dates, tag and team names; the statements of what the
//!   tool does and does not do with their history; the plan's steps; the measures.
//! - Links to entries go only to exported entries. Affected people, guideline authors and the
//!   people of a win or setback go only when they are in the export.
//! - Nothing tied to a private entry (or one in the trash) goes: not a guideline agreed in it,
//!   not a win or setback linked to it, not a concern raised in it.
//! - Concerns go by the rules of commitments: only those of people in the export, and with a
//!   date range those raised or answered in it (or raised in an exported entry); with a kind
//!   or tag filter, only those raised in an exported entry.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::pseudonym::Pseudonymiser;
use super::ExchangeError;
use crate::balance::{BalanceReport, Event};
use crate::initiative::{
    check_reading, Cadence, ConcernKind, InitiativeStatus, Measure, OutcomeKind, PlanStep,
    Statement, StatementSide,
};
use crate::model::{Moment, Touchpoint, TouchpointKind};
use crate::vault::PersonRef;

/// An initiative as an export carries it. People are named by id (the export's people).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedInitiative {
    /// Identifier.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Its purpose in a sentence.
    pub purpose: String,
    /// Where it stands.
    pub status: InitiativeStatus,
    /// When it starts.
    pub starts_on: Option<NaiveDate>,
    /// When the leader means to review it.
    pub review_on: Option<NaiveDate>,
    /// The tag linking adds, if any.
    pub tag: Option<String>,
    /// Names of the teams it affects.
    pub teams: Vec<String>,
    /// People of the export it affects.
    pub people: Vec<Uuid>,
    /// When it was recorded.
    pub created_at: Moment,
    /// Exported entries linked to it.
    pub touchpoints: Vec<Uuid>,
    /// What the tool does and does not do, with every earlier wording.
    pub statements: Vec<Statement>,
    /// Guidelines written with the team.
    pub guidelines: Vec<ExportedGuideline>,
    /// Wins and setbacks.
    pub outcomes: Vec<ExportedOutcome>,
    /// Concerns people of the export raised.
    pub concerns: Vec<ExportedConcern>,
    /// The planned steps.
    pub plan: Vec<ExportedStep>,
    /// Readings of satisfaction, collaboration, quality and confidence.
    pub measures: Vec<Measure>,
}

/// A guideline in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedGuideline {
    /// Identifier.
    pub id: Uuid,
    /// The guideline.
    pub text: String,
    /// People of the export who shaped it.
    pub shaped_by: Vec<Uuid>,
    /// The exported entry where it was agreed, if any.
    pub touchpoint_id: Option<Uuid>,
    /// When it was agreed.
    pub agreed_on: NaiveDate,
}

/// A win or setback in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedOutcome {
    /// Identifier.
    pub id: Uuid,
    /// Win or setback.
    pub kind: OutcomeKind,
    /// When it happened.
    pub happened_on: NaiveDate,
    /// What happened.
    pub what: String,
    /// What was learnt.
    pub lesson: String,
    /// People of the export who benefited or were hurt.
    pub people: Vec<Uuid>,
    /// Exported entries it is linked to.
    pub touchpoints: Vec<Uuid>,
}

/// A concern in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedConcern {
    /// Identifier.
    pub id: Uuid,
    /// What it is about.
    pub kind: ConcernKind,
    /// Who raised it (a person of the export).
    pub person_id: Uuid,
    /// The exported entry where it was raised, if any.
    pub touchpoint_id: Option<Uuid>,
    /// The concern in the leader's words.
    pub text: String,
    /// When it was recorded.
    pub raised_at: Moment,
    /// How it was answered, if it was.
    pub answer: Option<String>,
    /// When it was answered.
    pub answered_at: Option<Moment>,
}

/// A planned step in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedStep {
    /// Which practice.
    pub step: PlanStep,
    /// How often it is to be held.
    pub cadence: Option<Cadence>,
    /// Training hours per month (training only).
    pub hours_per_month: Option<u32>,
    /// From when the cadence counts.
    pub since: NaiveDate,
    /// Exported entries counted towards it.
    pub touchpoints: Vec<Uuid>,
}

/// What the export's selection decided, for choosing what of each initiative goes.
pub(crate) struct Selection<'a> {
    /// Entries exported.
    pub exported: &'a HashSet<Uuid>,
    /// Private entries and entries in the trash.
    pub withheld: &'a HashSet<Uuid>,
    /// People in the export.
    pub people: &'a HashSet<Uuid>,
    /// Whether no date, kind, tag or people filter narrowed the export.
    pub full: bool,
    /// The rule commitments and topics follow: whether a record of `person`, made in `link`,
    /// at the given times, goes.
    pub keep: &'a KeepRule<'a>,
}

/// Whether a record of a person, made in an entry (or none), at the given times, goes.
pub(crate) type KeepRule<'a> = dyn Fn(Uuid, Option<Uuid>, [Option<&Moment>; 2]) -> bool + 'a;

/// The part of each of the journal's initiatives (read whole) that the export carries.
pub(crate) fn select(all: Vec<ExportedInitiative>, s: &Selection<'_>) -> Vec<ExportedInitiative> {
    let exported = |t: &Uuid| s.exported.contains(t);
    let person = |p: &Uuid| s.people.contains(p);
    let withheld = |t: &Uuid| s.withheld.contains(t);
    let mut out = Vec::new();
    for mut i in all {
        let linked = i.touchpoints.iter().any(exported);
        if !(linked || (s.full && i.touchpoints.is_empty())) {
            continue;
        }
        i.touchpoints.retain(exported);
        i.people.retain(person);
        i.guidelines
            .retain(|g| !g.touchpoint_id.as_ref().is_some_and(withheld));
        for g in &mut i.guidelines {
            g.shaped_by.retain(person);
            g.touchpoint_id = g.touchpoint_id.filter(exported);
        }
        i.outcomes.retain(|o| !o.touchpoints.iter().any(withheld));
        for o in &mut i.outcomes {
            o.people.retain(person);
            o.touchpoints.retain(exported);
        }
        i.concerns.retain(|c| {
            !c.touchpoint_id.as_ref().is_some_and(withheld)
                && (s.keep)(
                    c.person_id,
                    c.touchpoint_id,
                    [Some(&c.raised_at), c.answered_at.as_ref()],
                )
        });
        for c in &mut i.concerns {
            c.touchpoint_id = c.touchpoint_id.filter(exported);
        }
        for step in &mut i.plan {
            step.touchpoints.retain(exported);
        }
        out.push(i);
    }
    out
}

/// Replaces people by labels in the initiatives' free texts (people are already ids).
pub(crate) fn pseudonymise(initiatives: &mut [ExportedInitiative], p: &Pseudonymiser) {
    for i in initiatives {
        i.name = p.text(&i.name);
        i.purpose = p.text(&i.purpose);
        for team in &mut i.teams {
            *team = p.text(team);
        }
        for s in &mut i.statements {
            s.text = p.text(&s.text);
            for v in &mut s.history {
                v.text = p.text(&v.text);
            }
        }
        for g in &mut i.guidelines {
            g.text = p.text(&g.text);
        }
        for o in &mut i.outcomes {
            o.what = p.text(&o.what);
            o.lesson = p.text(&o.lesson);
        }
        for c in &mut i.concerns {
            c.text = p.text(&c.text);
            c.answer = c.answer.as_deref().map(|a| p.text(a));
        }
        for m in &mut i.measures {
            m.note = p.text(&m.note);
        }
    }
}

/// Checks the initiatives of a document: ids once, readings in range, and every person and
/// entry they name inside the document.
pub(crate) fn check(
    initiatives: &[ExportedInitiative],
    people: &HashSet<Uuid>,
    touchpoints: &HashSet<Uuid>,
) -> Result<(), ExchangeError> {
    let bad = |m: String| Err(ExchangeError::Damaged(m));
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for i in initiatives {
        if !ids.insert(i.id) {
            return bad(format!("initiative {} is listed twice", i.id));
        }
        if i.name.trim().is_empty() || !names.insert(i.name.trim().to_lowercase()) {
            return bad(format!(
                "initiative {} has an empty name or one used twice",
                i.id
            ));
        }
        let named_ok = |ps: &[Uuid]| ps.iter().all(|p| people.contains(p));
        let linked_ok = |ts: &[Uuid]| ts.iter().all(|t| touchpoints.contains(t));
        let link_ok = |t: Option<Uuid>| t.is_none_or(|t| touchpoints.contains(&t));
        let refs_ok = named_ok(&i.people)
            && linked_ok(&i.touchpoints)
            && i.guidelines
                .iter()
                .all(|g| named_ok(&g.shaped_by) && link_ok(g.touchpoint_id))
            && i.outcomes
                .iter()
                .all(|o| named_ok(&o.people) && linked_ok(&o.touchpoints))
            && i.concerns
                .iter()
                .all(|c| people.contains(&c.person_id) && link_ok(c.touchpoint_id))
            && i.plan.iter().all(|s| linked_ok(&s.touchpoints));
        if !refs_ok {
            return bad(format!("initiative {} refers to records not in it", i.id));
        }
        if i.statements.iter().any(|s| s.history.is_empty()) {
            return bad(format!("initiative {} has a statement without words", i.id));
        }
        for m in &i.measures {
            for (what, v) in [
                ("satisfaction", m.satisfaction),
                ("collaboration", m.collaboration),
                ("quality", m.quality),
                ("confidence", m.confidence),
            ] {
                check_reading(what, v)
                    .map_err(|e| ExchangeError::Damaged(format!("initiative {}: {e}", i.id)))?;
            }
        }
    }
    Ok(())
}

/// `old` with the items of `new` replacing those of the same key, and the others added.
fn union_by<T: Clone, K: Eq + std::hash::Hash>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let incoming: HashMap<K, &T> = new.iter().map(|x| (key(x), x)).collect();
    let mut out: Vec<T> = old
        .iter()
        .map(|x| {
            incoming
                .get(&key(x))
                .map_or_else(|| x.clone(), |n| (*n).clone())
        })
        .collect();
    let have: HashSet<K> = old.iter().map(&key).collect();
    out.extend(new.iter().filter(|x| !have.contains(&key(x))).cloned());
    out
}

fn union_ids(old: &[Uuid], new: &[Uuid]) -> Vec<Uuid> {
    let set: BTreeSet<Uuid> = old.iter().chain(new).copied().collect();
    set.into_iter().collect()
}

/// The initiative an import leaves: the document's fields over the journal's, and lists
/// merged by id, so what a filtered export left out (links, people, concerns) stays.
pub(crate) fn merge(old: &ExportedInitiative, new: &ExportedInitiative) -> ExportedInitiative {
    let mut m = new.clone();
    m.id = old.id;
    m.created_at = old.created_at;
    m.teams = {
        let mut teams = old.teams.clone();
        for t in &new.teams {
            if !teams.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                teams.push(t.clone());
            }
        }
        teams.sort_by_key(|t| t.to_lowercase());
        teams
    };
    m.people = union_ids(&old.people, &new.people);
    m.touchpoints = union_ids(&old.touchpoints, &new.touchpoints);
    m.statements = union_by(&old.statements, &new.statements, |s| s.id);
    m.guidelines = union_by(&old.guidelines, &new.guidelines, |g| g.id);
    for g in &mut m.guidelines {
        if let Some(o) = old.guidelines.iter().find(|o| o.id == g.id) {
            g.shaped_by = union_ids(&o.shaped_by, &g.shaped_by);
            g.touchpoint_id = g.touchpoint_id.or(o.touchpoint_id);
        }
    }
    m.outcomes = union_by(&old.outcomes, &new.outcomes, |o| o.id);
    for o in &mut m.outcomes {
        if let Some(x) = old.outcomes.iter().find(|x| x.id == o.id) {
            o.people = union_ids(&x.people, &o.people);
            o.touchpoints = union_ids(&x.touchpoints, &o.touchpoints);
        }
    }
    m.concerns = union_by(&old.concerns, &new.concerns, |c| c.id);
    for c in &mut m.concerns {
        if let Some(x) = old.concerns.iter().find(|x| x.id == c.id) {
            c.touchpoint_id = c.touchpoint_id.or(x.touchpoint_id);
        }
    }
    m.plan = union_by(&old.plan, &new.plan, |s| s.step);
    for s in &mut m.plan {
        if let Some(x) = old.plan.iter().find(|x| x.step == s.step) {
            s.touchpoints = union_ids(&x.touchpoints, &s.touchpoints);
        }
    }
    m.measures = union_by(&old.measures, &new.measures, |x| x.id);
    normalise(&mut m);
    m
}

/// Puts every list of an initiative in the order the journal reads it back, so a record
/// compares equal to what was written.
pub(crate) fn normalise(i: &mut ExportedInitiative) {
    i.people.sort();
    i.touchpoints.sort();
    i.statements.sort_by_key(|s| s.id);
    i.guidelines.sort_by_key(|g| g.id);
    for g in &mut i.guidelines {
        g.shaped_by.sort();
    }
    i.outcomes.sort_by_key(|o| o.id);
    for o in &mut i.outcomes {
        o.people.sort();
        o.touchpoints.sort();
    }
    i.concerns.sort_by_key(|c| c.id);
    i.plan.sort_by_key(|s| s.step);
    for s in &mut i.plan {
        s.touchpoints.sort();
    }
    i.measures.sort_by_key(|m| m.id);
}

/// What the HTML and Markdown reports show of an initiative, as plain text: its title, its
/// purpose, then titled lists (statements, guidelines, wins and setbacks, concerns, measures).
pub(crate) struct ReportSection {
    /// Name and status.
    pub title: String,
    /// Purpose, and how many exported entries are linked.
    pub about: String,
    /// Titled lists, empty ones left out.
    pub lists: Vec<(&'static str, Vec<String>)>,
}

/// The report sections of a document's initiatives; `names` gives people's (exported) names.
pub(crate) fn report(
    initiatives: &[ExportedInitiative],
    names: &HashMap<Uuid, String>,
) -> Vec<ReportSection> {
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_else(|| "someone".into());
    let signed = |v: i32| {
        if v > 0 {
            format!("+{v}")
        } else {
            v.to_string()
        }
    };
    initiatives
        .iter()
        .map(|i| {
            let said = |side: StatementSide| -> Vec<String> {
                i.statements
                    .iter()
                    .filter(|s| s.side == side && s.withdrawn_on.is_none())
                    .map(|s| format!("{} (said {})", s.text, s.said_on))
                    .collect()
            };
            let guidelines = i
                .guidelines
                .iter()
                .map(|g| {
                    let by: Vec<String> = g.shaped_by.iter().map(name).collect();
                    if by.is_empty() {
                        format!("{} (agreed {})", g.text, g.agreed_on)
                    } else {
                        format!(
                            "{} (agreed {}; shaped by {})",
                            g.text,
                            g.agreed_on,
                            by.join(", ")
                        )
                    }
                })
                .collect();
            let outcomes = i
                .outcomes
                .iter()
                .map(|o| {
                    let kind = if o.kind == OutcomeKind::Win {
                        "win"
                    } else {
                        "setback"
                    };
                    if o.lesson.is_empty() {
                        format!("{} {kind}: {}", o.happened_on, o.what)
                    } else {
                        format!(
                            "{} {kind}: {} (lesson: {})",
                            o.happened_on, o.what, o.lesson
                        )
                    }
                })
                .collect();
            let concerns = i
                .concerns
                .iter()
                .map(|c| {
                    let state = match &c.answer {
                        Some(a) => format!("answered: {a}"),
                        None => "open".into(),
                    };
                    format!(
                        "{} ({}, raised {}): {} ({state})",
                        name(&c.person_id),
                        c.kind.as_str(),
                        c.raised_at.format("%Y-%m-%d"),
                        c.text
                    )
                })
                .collect();
            let measures = i
                .measures
                .iter()
                .map(|m| {
                    format!(
                        "{}: satisfaction {}, collaboration {}, quality {}, confidence {}",
                        m.taken_on,
                        signed(m.satisfaction),
                        signed(m.collaboration),
                        signed(m.quality),
                        signed(m.confidence)
                    )
                })
                .collect();
            let lists: Vec<(&'static str, Vec<String>)> = vec![
                ("What the tool does", said(StatementSide::Does)),
                ("What it does not do", said(StatementSide::DoesNot)),
                ("Guidelines written with the team", guidelines),
                ("Wins and setbacks", outcomes),
                ("Concerns", concerns),
                (
                    "Measures (the leader's reading of the team's side)",
                    measures,
                ),
            ];
            ReportSection {
                title: format!("{} ({})", i.name, i.status.as_str()),
                about: format!(
                    "{}{}{} linked {} in this export.",
                    i.purpose,
                    if i.purpose.is_empty() { "" } else { " " },
                    i.touchpoints.len(),
                    if i.touchpoints.len() == 1 {
                        "entry"
                    } else {
                        "entries"
                    }
                ),
                lists: lists.into_iter().filter(|(_, l)| !l.is_empty()).collect(),
            }
        })
        .collect()
}

/// One initiative of a reviewed export at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewInitiativeSummary {
    /// Identifier.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Purpose.
    pub purpose: String,
    /// Where it stands.
    pub status: InitiativeStatus,
    /// Exported entries linked to it.
    pub entries: u32,
    /// Concerns not answered yet.
    pub open_concerns: u32,
    /// Wins.
    pub wins: u32,
    /// Setbacks.
    pub setbacks: u32,
}

/// One initiative of a reviewed export, as review mode shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewInitiative {
    /// The initiative as exported.
    pub initiative: ExportedInitiative,
    /// The people it names, with their (exported) names or labels, by name.
    pub people: Vec<PersonRef>,
    /// Its concerns not answered yet, oldest first.
    pub open_concerns: Vec<ExportedConcern>,
    /// Its Trust Balance over the exported entries linked to it.
    pub balance: BalanceReport,
}

/// The summary of an exported initiative.
pub(crate) fn summary(i: &ExportedInitiative) -> ReviewInitiativeSummary {
    let count = |k| i.outcomes.iter().filter(|o| o.kind == k).count() as u32;
    ReviewInitiativeSummary {
        id: i.id,
        name: i.name.clone(),
        purpose: i.purpose.clone(),
        status: i.status,
        entries: i.touchpoints.len() as u32,
        open_concerns: i
            .concerns
            .iter()
            .filter(|c| c.answered_at.is_none())
            .count() as u32,
        wins: count(OutcomeKind::Win),
        setbacks: count(OutcomeKind::Setback),
    }
}

/// The balance events of an initiative's exported entries: their reflections, the commitments
/// made in them once resolved, and their decisions' impact on groups (the journal's rules).
pub(crate) fn events(
    i: &ExportedInitiative,
    touchpoints: &[Touchpoint],
    reflections: &[crate::model::Reflection],
    commitments: &[crate::model::Commitment],
) -> Vec<Event> {
    let linked: HashMap<Uuid, &Touchpoint> = touchpoints
        .iter()
        .filter(|t| i.touchpoints.contains(&t.id))
        .map(|t| (t.id, t))
        .collect();
    let mut out: Vec<Event> = reflections
        .iter()
        .filter_map(|r| {
            linked
                .get(&r.touchpoint_id)
                .map(|t| Event::from_reflection(t, r))
        })
        .collect();
    out.extend(
        commitments
            .iter()
            .filter(|c| c.touchpoint_id.is_some_and(|t| linked.contains_key(&t)))
            .filter_map(super::document::commitment_event),
    );
    for t in linked.values() {
        if t.kind == TouchpointKind::Decision {
            out.extend(t.affected_groups.iter().map(|g| {
                Event::decision(t.id, t.occurred_at, g.group, g.impact).with_label(t.title.clone())
            }));
        }
    }
    out
}
