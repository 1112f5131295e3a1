//! Reading the Trust Balance out of the journal: events per scope, the overview and Today.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::entries::parse_moment;
use super::{get_id, Journal, PersonRef, TimelineFilter, TimelineItem};
use crate::balance::{self, BalanceReport, Consistency, Event, EventSource, LossWeight};
use crate::model::{Commitment, CommitmentStatus, Group, Moment, TouchpointKind, TouchpointState};
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
fn reflection_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Uuid, Event)> {
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
fn commitment_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Uuid, Event)> {
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

impl Journal {
    fn loss_weight(&self) -> Result<LossWeight> {
        LossWeight::from_f64(self.settings().loss_weight)
    }

    /// Balance events of people, keyed by person; all people when `person` is `None`.
    fn person_events(&self, person: Option<Uuid>) -> Result<HashMap<Uuid, Vec<Event>>> {
        let person = person.map(|p| p.to_string());
        let mut out: HashMap<Uuid, Vec<Event>> = HashMap::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability, r.adversarial, t.title
             FROM reflections r JOIN touchpoints t ON t.id = r.touchpoint_id
             JOIN people p ON p.id = r.person_id
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND (?1 IS NULL OR r.person_id = ?1)",
        )?;
        for row in stmt.query_map([&person], reflection_event)? {
            let (p, e) = row?;
            out.entry(p).or_default().push(e);
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM commitments c JOIN people p ON p.id = c.person_id
             WHERE c.status <> 'open' AND c.resolved_at IS NOT NULL AND p.deleted_at IS NULL
               AND (?1 IS NULL OR c.person_id = ?1)",
        )?;
        for row in stmt.query_map([&person], commitment_event)? {
            let (p, e) = row?;
            out.entry(p).or_default().push(e);
        }
        Ok(out)
    }

    /// Decisions' impact on a group, as balance events.
    fn decision_events(&self, group: Group) -> Result<Vec<Event>> {
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
                let mut all = self.person_events(None)?;
                Ok(team
                    .members
                    .iter()
                    .flat_map(|m| all.remove(m).unwrap_or_default())
                    .collect())
            }
            Scope::Group { group } => {
                let mut all = self.person_events(None)?;
                let mut events: Vec<Event> = self
                    .people(true)?
                    .iter()
                    .filter(|p| p.group == *group)
                    .flat_map(|p| all.remove(&p.id).unwrap_or_default())
                    .collect();
                events.extend(self.decision_events(*group)?);
                Ok(events)
            }
        }
    }

    /// The balance of a scope at `now`, with its explanation.
    pub fn balance(&self, scope: &Scope, now: DateTime<Utc>) -> Result<BalanceReport> {
        Ok(balance::compute(
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
        let mut events = self.person_events(only)?;
        let lw = self.loss_weight()?;
        let since_90 = (now - Duration::days(90)).timestamp_millis();
        // Per person: last touchpoint, one-on-ones in the last 90 days plus the latest, coverage.
        let mut stmt = self.conn().prepare_cached(
            "SELECT pp.person_id,
                    (SELECT json_group_array(t2.occurred_at) FROM participants p2
                       JOIN touchpoints t2 ON t2.id = p2.touchpoint_id
                     WHERE p2.person_id = pp.person_id AND t2.kind = 'one_on_one'
                       AND t2.state = 'logged' AND t2.deleted_at IS NULL
                       AND (p2.occurred_ms >= ?1 OR p2.occurred_ms = (
                          SELECT max(p3.occurred_ms) FROM participants p3 JOIN touchpoints t3
                            ON t3.id = p3.touchpoint_id
                          WHERE p3.person_id = pp.person_id AND t3.kind = 'one_on_one'
                            AND t3.state = 'logged' AND t3.deleted_at IS NULL))),
                    count(*),
                    count(r.id),
                    (SELECT t4.occurred_at FROM touchpoints t4 WHERE t4.id = (
                       SELECT p5.touchpoint_id FROM participants p5 JOIN touchpoints t5
                         ON t5.id = p5.touchpoint_id AND t5.deleted_at IS NULL
                       WHERE p5.person_id = pp.person_id ORDER BY p5.occurred_ms DESC LIMIT 1))
             FROM participants pp JOIN touchpoints t ON t.id = pp.touchpoint_id AND t.deleted_at IS NULL
             LEFT JOIN reflections r ON r.touchpoint_id = pp.touchpoint_id AND r.person_id = pp.person_id
             WHERE ?2 IS NULL OR pp.person_id = ?2
             GROUP BY pp.person_id",
        )?;
        struct Facts {
            one_on_ones: Vec<Moment>,
            total: u32,
            reflected: u32,
            last: Option<Moment>,
        }
        let mut facts: HashMap<Uuid, Facts> = HashMap::new();
        let only_text = only.map(|id| id.to_string());
        let rows = stmt.query_map(rusqlite::params![since_90, only_text], |r| {
            let ones: String = r.get(1)?;
            let last: Option<String> = r.get(4)?;
            Ok((
                get_id(r, 0)?,
                Facts {
                    one_on_ones: serde_json::from_str::<Vec<String>>(&ones)
                        .unwrap_or_default()
                        .iter()
                        .map(|s| parse_moment(s))
                        .collect(),
                    total: r.get(2)?,
                    reflected: r.get(3)?,
                    last: last.as_deref().map(parse_moment),
                },
            ))
        })?;
        for row in rows {
            let (id, f) = row?;
            facts.insert(id, f);
        }
        Ok(people
            .into_iter()
            .map(|p| {
                let report = balance::compute(&events.remove(&p.id).unwrap_or_default(), lw, now);
                let f = facts.remove(&p.id);
                let consistency = balance::consistency(
                    f.as_ref()
                        .map(|f| f.one_on_ones.as_slice())
                        .unwrap_or_default(),
                    p.cadence_days,
                    p.created_at,
                    now,
                );
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
                    last_touchpoint: f.as_ref().and_then(|f| f.last),
                    consistency,
                    coverage: balance::coverage(
                        f.as_ref().map_or(0, |f| f.reflected),
                        f.as_ref().map_or(0, |f| f.total),
                    ),
                }
            })
            .collect())
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
