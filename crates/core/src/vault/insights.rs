//! Reading the Trust Balance out of the journal: events per scope, the overview and Today.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::entries::parse_moment;
use super::{get_id, Journal, PersonRef, TimelineFilter, TimelineItem};
use crate::balance::{
    self, BalanceReport, BalanceSummary, Consistency, Event, EventSource, LossWeight, Rated,
};
use crate::model::{
    Commitment, CommitmentStatus, Group, Moment, Reflection, Touchpoint, TouchpointKind,
    TouchpointState,
};
use crate::{Error, Result};

/// Whose balance to compute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Scope {
    /// One relationship.
    Person {
        /// The person.
        id: Uuid,
    },
    /// The members of a team.
    Team {
        /// The team's name.
        name: String,
    },
    /// A stakeholder group: its members plus decisions' impact on it.
    Group {
        /// The group.
        group: Group,
    },
}

/// One relationship at a glance, for the overview and Today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonOverview {
    /// Who.
    pub person: PersonRef,
    /// Their stakeholder group.
    pub group: Group,
    /// Their teams.
    pub teams: Vec<String>,
    /// Balance now.
    pub balance: f64,
    /// Willingness balance now.
    pub willingness: f64,
    /// Ability balance now.
    pub ability: f64,
    /// Change over 30 days.
    pub trend_30d: f64,
    /// Change over 90 days.
    pub trend_90d: f64,
    /// Whether the relationship is slipping.
    pub slipping: bool,
    /// Why it is slipping.
    pub slip_reasons: Vec<balance::SlipReason>,
    /// The dimension that fell, which picks the recalibrate prompts.
    pub fallen_dimension: Option<balance::Dimension>,
    /// When they were last in a touchpoint.
    pub last_touchpoint: Option<Moment>,
    /// One-on-one consistency and whether one is overdue.
    pub consistency: Consistency,
    /// Share of their touchpoints that have their reflection.
    pub coverage: f64,
}

/// Everything the Today screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Today {
    /// Touchpoints imported but not reflected on yet, newest first.
    pub drafts: Vec<TimelineItem>,
    /// People whose one-on-one is overdue, longest waiting first.
    pub overdue: Vec<PersonOverview>,
    /// Open commitments overdue or due within a week, soonest first.
    pub commitments_due: Vec<CommitmentDue>,
    /// Slipping relationships, lowest 30-day change first.
    pub slipping: Vec<PersonOverview>,
}

/// An open commitment with the name of the person it was made to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CommitmentDue {
    /// The commitment.
    pub commitment: Commitment,
    /// To whom.
    pub person: PersonRef,
    /// Past its due date.
    pub overdue: bool,
}

/// A reflection event row before it is turned into a balance event.
pub(super) fn reflection_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Uuid, Event)> {
    let person = get_id(r, 0)?;
    let at: String = r.get(2)?;
    let kind: String = r.get(3)?;
    Ok((
        person,
        Event {
            source_id: get_id(r, 1)?,
            at: parse_moment(&at),
            source: EventSource::Reflection,
            touchpoint_kind: kind.parse().ok(),
            person_id: Some(person),
            group: None,
            willingness: r.get(4)?,
            ability: r.get(5)?,
            adversarial: r.get(6)?,
            label: r.get(7)?,
        },
    ))
}

/// A resolved commitment as a balance event: kept +1 ability, broken -1, renegotiated 0
/// when done before its due date and counted as broken when done after it.
pub(super) fn commitment_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Uuid, Event)> {
    let person = get_id(r, 0)?;
    let status: String = r.get(2)?;
    let resolved: String = r.get(3)?;
    let due: Option<String> = r.get(4)?;
    let at = parse_moment(&resolved);
    let late = due
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .is_some_and(|d| at.date_naive() > d);
    let (source, ability) = match status.as_str() {
        "kept" => (EventSource::CommitmentKept, 1),
        "broken" => (EventSource::CommitmentBroken, -1),
        _ if late => (EventSource::CommitmentBroken, -1),
        _ => (EventSource::CommitmentRenegotiated, 0),
    };
    Ok((
        person,
        Event {
            source_id: get_id(r, 1)?,
            at,
            source,
            touchpoint_kind: None,
            person_id: Some(person),
            group: None,
            willingness: 0,
            ability,
            adversarial: false,
            label: r.get(5)?,
        },
    ))
}

impl Digest {
    /// Adds a touchpoint just written for the first time, with its reflections, as reading
    /// them back would (an edit or a re-reflection marks its people stale instead).
    pub(super) fn add_new(&mut self, t: &Touchpoint, reflections: &[Reflection]) {
        let ms = t.occurred_at.timestamp_millis();
        for p in &t.participants {
            let f = self.facts.entry(*p).or_default();
            f.total += 1;
            if f.last.as_ref().is_none_or(|(last, _)| ms > *last) {
                f.last = Some((ms, t.occurred_at));
            }
            if t.kind == TouchpointKind::OneOnOne {
                f.one_on_ones.push((ms, t.occurred_at));
            }
        }
        for r in reflections {
            let events = self.events.entry(r.person_id).or_default();
            events.push(Event {
                source_id: t.id,
                at: t.occurred_at,
                source: EventSource::Reflection,
                touchpoint_kind: Some(t.kind),
                person_id: Some(r.person_id),
                group: None,
                willingness: r.willingness,
                ability: r.ability,
                adversarial: r.adversarial,
                label: t.title.clone(),
            });
            // Almost always the newest event: the sort finds one run and moves one element.
            balance::sort_chronologically(events);
            self.rated.insert(r.person_id, Ratings::of(events));
        }
    }

    /// Replaces the part of `person` with `fresh` (a digest read for that person alone).
    fn replace(&mut self, person: Uuid, mut fresh: Digest) {
        match fresh.events.remove(&person) {
            Some(events) => self.events.insert(person, events),
            None => self.events.remove(&person),
        };
        match fresh.rated.remove(&person) {
            Some(rated) => self.rated.insert(person, rated),
            None => self.rated.remove(&person),
        };
        match fresh.facts.remove(&person) {
            Some(facts) => self.facts.insert(person, facts),
            None => self.facts.remove(&person),
        };
    }
}

/// More stale people than this and the whole digest is read again: one person's part costs
/// about what their balance does (their reflections' touchpoints sit at scattered pages),
/// and the whole digest about a hundred of those.
const STALE_LIMIT: usize = 32;

/// One person's events as the overview reads them.
#[derive(Debug, Default)]
pub(super) struct Ratings {
    /// Their events reduced to their ratings, in the order of their events (chronological),
    /// for [`balance::summary_of_rated`].
    rated: Vec<Rated>,
    /// How many of their events are reflections (for the coverage).
    reflections: u32,
}

impl Ratings {
    /// The ratings of `events`, which are in chronological order.
    fn of(events: &[Event]) -> Ratings {
        let reflections = events
            .iter()
            .filter(|e| e.source == EventSource::Reflection)
            .count();
        Ratings {
            rated: events.iter().map(Rated::from).collect(),
            reflections: u32::try_from(reflections).unwrap_or(u32::MAX),
        }
    }
}

/// Per-person facts of the overview that do not depend on "now".
#[derive(Debug, Default)]
pub(super) struct Facts {
    /// One-on-ones, reflected or still drafts, as UTC milliseconds and as written. A meeting
    /// whose time has passed was held, whether it was reflected on or not (reflection coverage
    /// is where unreflected ones show); those still ahead are left out when counting.
    one_on_ones: Vec<(i64, Moment)>,
    /// Touchpoints they took part in (not in the trash).
    total: u32,
    /// The latest of those.
    last: Option<(i64, Moment)>,
}

/// Everything the overview, Today and a person's balance read from the database, by person.
///
/// Reading it means every reflection of the journal (150,000 at the benchmark's size), which
/// no query answers within Today's 20 ms; so the journal keeps the last one it read. Every
/// write marks the people whose rows it changed stale (temporary triggers record them, see
/// `Journal::take_changes`) and only their part is read again when next needed; a new entry is
/// added directly. Balances are computed from it on each call, as they depend on "now".
#[derive(Debug, Default)]
pub(super) struct Digest {
    /// Balance events with their labels, each person's in the order of
    /// [`balance::sort_chronologically`] (so [`balance::summary`] needs no sort). The labels
    /// let a person's balance and its explanation come from memory: read from the database,
    /// each reflection's title is a touchpoint row at a page of its own.
    events: HashMap<Uuid, Vec<Event>>,
    /// The same events reduced to what the overview reads of them on every call.
    rated: HashMap<Uuid, Ratings>,
    facts: HashMap<Uuid, Facts>,
    /// People whose part changed since it was read.
    pub(super) stale: HashSet<Uuid>,
}

impl Journal {
    fn loss_weight(&self) -> Result<LossWeight> {
        LossWeight::from_f64(self.settings().loss_weight)
    }

    /// Balance events of people with their labels, keyed by person; all people when `person`
    /// is `None`.
    pub(super) fn person_events(&self, person: Option<Uuid>) -> Result<HashMap<Uuid, Vec<Event>>> {
        let person = person.map(|p| p.to_string());
        // One person: their reflections from `reflections_person_ratings`, a covering index.
        // Everyone: the reflections in table order, each joined to its touchpoint. Left to
        // itself SQLite walks that index (it is narrower) and then looks touchpoints up in
        // person order, all over the file: 6.6 s instead of about 1 s at 150,000 reflections
        // with the default 2 MB page cache. Ids are UUID v7 and rows are written in time
        // order, so the table order keeps both lookups near each other.
        let (from, only) = if person.is_some() {
            (
                "people p JOIN reflections r ON r.person_id = p.id
                 JOIN touchpoints t ON t.id = r.touchpoint_id",
                "AND p.id = ?1 AND r.person_id = ?1",
            )
        } else {
            (
                "reflections r NOT INDEXED CROSS JOIN touchpoints t ON t.id = r.touchpoint_id
                 CROSS JOIN people p ON p.id = r.person_id",
                "",
            )
        };
        let params: &[&dyn rusqlite::ToSql] = match &person {
            Some(p) => &[p],
            None => &[],
        };
        let mut out: HashMap<Uuid, Vec<Event>> = HashMap::new();
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability, r.adversarial, t.title
             FROM {from}
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL {only}"
        ))?;
        for row in stmt.query_map(params, reflection_event)? {
            let (p, e) = row?;
            out.entry(p).or_default().push(e);
        }
        let only = if person.is_some() {
            "AND p.id = ?1 AND c.person_id = ?1"
        } else {
            ""
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM people p JOIN commitments c ON c.person_id = p.id
             WHERE c.status <> 'open' AND c.resolved_at IS NOT NULL AND p.deleted_at IS NULL {only}"
        ))?;
        for row in stmt.query_map(params, commitment_event)? {
            let (p, e) = row?;
            out.entry(p).or_default().push(e);
        }
        Ok(out)
    }

    /// What the overview reads from the database, for everyone or for one person.
    pub(super) fn build_digest(&self, only: Option<Uuid>) -> Result<Digest> {
        let mut events = self.person_events(only)?;
        let mut rated = HashMap::with_capacity(events.len());
        for (person, events) in &mut events {
            balance::sort_chronologically(events);
            rated.insert(*person, Ratings::of(events));
        }
        let only_text = only.map(|id| id.to_string());
        // Everyone: touchpoints in table order, each with its participants (clustered by
        // touchpoint), for the reason given in `person_events`.
        let (from, params): (&str, &[&dyn rusqlite::ToSql]) = match &only_text {
            Some(id) => (
                "participants pp JOIN touchpoints t ON t.id = pp.touchpoint_id
                 WHERE pp.person_id = ?1 AND",
                &[id],
            ),
            None => (
                "touchpoints t NOT INDEXED CROSS JOIN participants pp ON pp.touchpoint_id = t.id
                 WHERE",
                &[],
            ),
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT pp.person_id, pp.occurred_ms, t.occurred_at, t.kind = 'one_on_one'
             FROM {from} t.deleted_at IS NULL"
        ))?;
        let mut facts: HashMap<Uuid, Facts> = HashMap::new();
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            let f = facts.entry(get_id(r, 0)?).or_default();
            let ms: i64 = r.get(1)?;
            let one_on_one: bool = r.get(3)?;
            f.total += 1;
            let newest = f.last.as_ref().is_none_or(|(last, _)| ms > *last);
            if newest || one_on_one {
                let at = parse_moment(&r.get::<_, String>(2)?);
                if one_on_one {
                    f.one_on_ones.push((ms, at));
                }
                if newest {
                    f.last = Some((ms, at));
                }
            }
        }
        Ok(Digest {
            events,
            rated,
            facts,
            stale: HashSet::new(),
        })
    }

    /// The overview's digest: the cached one with its stale people read again, else one built
    /// now (and cached when it covers everyone; a one-person digest is cheap and not kept).
    fn with_digest<T>(&self, only: Option<Uuid>, f: impl FnOnce(&Digest) -> T) -> Result<T> {
        if let Some(digest) = self.fresh_digest()? {
            return Ok(f(&digest));
        }
        if only.is_some() {
            return Ok(f(&self.build_digest(only)?));
        }
        let digest = self.build_digest(None)?;
        let kept = self.keep_digest(digest)?;
        Ok(f(&kept))
    }

    /// The cached digest brought up to date, or `None` when there is none (or too much of it
    /// is stale to be worth mending).
    fn fresh_digest(&self) -> Result<Option<std::cell::RefMut<'_, Digest>>> {
        self.take_changes(true);
        if (self.digest.borrow().as_ref()).is_some_and(|d| d.stale.len() > STALE_LIMIT) {
            self.drop_digest();
        }
        let mut cell = self.digest.borrow_mut();
        let Some(digest) = cell.as_mut() else {
            return Ok(None);
        };
        while let Some(&id) = digest.stale.iter().next() {
            match self.build_digest(Some(id)) {
                Ok(fresh) => digest.replace(id, fresh),
                Err(e) => {
                    drop(cell);
                    self.drop_digest();
                    return Err(e);
                }
            }
            digest.stale.remove(&id);
        }
        Ok(Some(std::cell::RefMut::map(cell, |d| {
            d.as_mut().expect("checked above")
        })))
    }

    /// Decisions' impact on a group, as balance events.
    pub(super) fn decision_events(&self, group: Group) -> Result<Vec<Event>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, t.occurred_at, g.value ->> 'impact', t.title
             FROM touchpoints t, json_each(t.affected_groups) g
             WHERE t.kind = 'decision' AND t.deleted_at IS NULL AND g.value ->> 'group' = ?1",
        )?;
        let rows = stmt.query_map([group.as_str()], |r| {
            let at: String = r.get(1)?;
            Ok(Event {
                source_id: get_id(r, 0)?,
                at: parse_moment(&at),
                source: EventSource::Decision,
                touchpoint_kind: Some(TouchpointKind::Decision),
                person_id: None,
                group: Some(group),
                willingness: r.get(2)?,
                ability: 0,
                adversarial: false,
                label: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The balance events of a scope.
    pub fn events(&self, scope: &Scope) -> Result<Vec<Event>> {
        match scope {
            Scope::Person { id } => {
                self.person(*id)?;
                if let Some(digest) = self.fresh_digest()? {
                    return Ok(digest.events.get(id).cloned().unwrap_or_default());
                }
                Ok(self
                    .person_events(Some(*id))?
                    .remove(id)
                    .unwrap_or_default())
            }
            Scope::Team { name } => {
                let team = self
                    .teams()?
                    .into_iter()
                    .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| Error::NotFound(format!("no team called {name:?}")))?;
                self.events_of(&team.members)
            }
            Scope::Group { group } => {
                let members: Vec<Uuid> = self
                    .people(true)?
                    .iter()
                    .filter(|p| p.group == *group)
                    .map(|p| p.id)
                    .collect();
                let mut events = self.events_of(&members)?;
                events.extend(self.decision_events(*group)?);
                Ok(events)
            }
        }
    }

    /// The balance events of `people`, from the digest when there is one, else read.
    fn events_of(&self, people: &[Uuid]) -> Result<Vec<Event>> {
        if let Some(digest) = self.fresh_digest()? {
            return Ok(people
                .iter()
                .filter_map(|p| digest.events.get(p))
                .flatten()
                .cloned()
                .collect());
        }
        let mut all = self.person_events(None)?;
        Ok(people
            .iter()
            .flat_map(|p| all.remove(p).unwrap_or_default())
            .collect())
    }

    /// The balance of a scope at `now`, with its explanation.
    pub fn balance(&self, scope: &Scope, now: DateTime<Utc>) -> Result<BalanceReport> {
        if let Scope::Person { id } = scope {
            // From the digest without copying the events, when there is one.
            self.person(*id)?;
            if let Some(digest) = self.fresh_digest()? {
                let events = digest.events.get(id).map_or(&[][..], Vec::as_slice);
                return Ok(balance::compute(events, self.loss_weight()?, now));
            }
        }
        Ok(balance::compute(
            &self.events(scope)?,
            self.loss_weight()?,
            now,
        ))
    }

    /// The numbers of [`Self::balance`] without the explanation and the chart: what a list of
    /// balances shows (the People screen's groups and teams), at a fraction of the work and
    /// of the size over IPC.
    pub fn balance_summary(&self, scope: &Scope, now: DateTime<Utc>) -> Result<BalanceSummary> {
        Ok(balance::summary(
            &self.events(scope)?,
            self.loss_weight()?,
            now,
        ))
    }

    /// Every relationship at a glance (archived people left out).
    pub fn overview(&self, now: DateTime<Utc>) -> Result<Vec<PersonOverview>> {
        self.overview_of(self.people(false)?, None, now)
    }

    /// The overview rows of `people`; `only` narrows every query to one person.
    fn overview_of(
        &self,
        people: Vec<crate::model::Person>,
        only: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Vec<PersonOverview>> {
        let lw = self.loss_weight()?;
        let since_90 = (now - Duration::days(90)).timestamp_millis();
        let now_ms = now.timestamp_millis();
        self.with_digest(only, |digest| {
            people
                .into_iter()
                .map(|p| {
                    let ratings = digest.rated.get(&p.id);
                    let rated = ratings.map_or(&[][..], |r| r.rated.as_slice());
                    let report = balance::summary_of_rated(rated, lw, now);
                    let reflected = ratings.map_or(0, |r| r.reflections);
                    let f = digest.facts.get(&p.id);
                    // One-on-ones held in the last 90 days, plus the latest held whenever it
                    // was; meetings still ahead (calendar drafts) are not held yet.
                    let held = |ms: &i64| *ms <= now_ms;
                    let latest =
                        f.and_then(|f| f.one_on_ones.iter().map(|(ms, _)| *ms).filter(held).max());
                    let one_on_ones: Vec<Moment> = f
                        .map(|f| {
                            f.one_on_ones
                                .iter()
                                .filter(|(ms, _)| held(ms))
                                .filter(|(ms, _)| *ms >= since_90 || Some(*ms) == latest)
                                .map(|(_, at)| *at)
                                .collect()
                        })
                        .unwrap_or_default();
                    let consistency =
                        balance::consistency(&one_on_ones, p.cadence_days, p.created_at, now);
                    PersonOverview {
                        person: PersonRef {
                            id: p.id,
                            name: p.name,
                        },
                        group: p.group,
                        teams: p.teams,
                        balance: report.balance,
                        willingness: report.willingness,
                        ability: report.ability,
                        trend_30d: report.trend_30d,
                        trend_90d: report.trend_90d,
                        slipping: report.slipping,
                        slip_reasons: report.slip_reasons,
                        fallen_dimension: report.fallen_dimension,
                        last_touchpoint: f.and_then(|f| f.last.map(|(_, at)| at)),
                        consistency,
                        coverage: balance::coverage(reflected, f.map_or(0, |f| f.total)),
                    }
                })
                .collect()
        })
    }

    /// One relationship at a glance.
    pub fn person_overview(&self, id: Uuid, now: DateTime<Utc>) -> Result<PersonOverview> {
        let person = self.person(id)?;
        self.overview_of(vec![person], Some(id), now)?
            .pop()
            .ok_or_else(|| Error::NotFound(format!("no person with id {id}")))
    }

    /// What needs attention today.
    pub fn today(&self, now: DateTime<Utc>) -> Result<Today> {
        let drafts = self.timeline(&TimelineFilter {
            state: Some(TouchpointState::Draft),
            limit: Some(100),
            ..TimelineFilter::default()
        })?;
        let overview = self.overview(now)?;
        let mut overdue: Vec<PersonOverview> = overview
            .iter()
            .filter(|o| o.consistency.overdue)
            .cloned()
            .collect();
        overdue
            .sort_by_key(|o| std::cmp::Reverse(o.consistency.days_since_last.unwrap_or(i64::MAX)));
        let mut slipping: Vec<PersonOverview> =
            overview.into_iter().filter(|o| o.slipping).collect();
        slipping.sort_by(|a, b| a.trend_30d.total_cmp(&b.trend_30d));
        let today = now.with_timezone(&chrono::Local).date_naive();
        let horizon = today + Duration::days(7);
        let names: HashMap<Uuid, String> = self
            .people(true)?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let commitments_due = self
            .commitments(None, true)?
            .into_iter()
            .filter(|c| c.status == CommitmentStatus::Open && c.due.is_some_and(|d| d <= horizon))
            .filter_map(|c| {
                let name = names.get(&c.person_id)?.clone();
                Some(CommitmentDue {
                    overdue: c.due.is_some_and(|d| d < today),
                    person: PersonRef {
                        id: c.person_id,
                        name,
                    },
                    commitment: c,
                })
            })
            .collect();
        Ok(Today {
            drafts,
            overdue,
            commitments_due,
            slipping,
        })
    }
}
