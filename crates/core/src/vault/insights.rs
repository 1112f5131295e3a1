//! Reading the Trust Balance out of the journal: events per scope, the overview and Today.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::aggregates::group_key;
use super::entries::parse_moment;
use super::{Journal, PersonRef, TimelineFilter, TimelineItem};
use crate::balance::{self, BalanceReport, BalanceSummary, Consistency, Event, LossWeight};
use crate::model::{Commitment, CommitmentStatus, Group, Moment, TouchpointState};
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

impl Journal {
    fn loss_weight(&self) -> Result<LossWeight> {
        LossWeight::from_f64(self.settings().loss_weight)
    }

    /// The stored scopes whose events make `scope`'s: a person's own; a team's members'; a
    /// group's members' and the decisions' impact on it.
    fn scope_keys(&self, scope: &Scope) -> Result<Vec<String>> {
        match scope {
            Scope::Person { id } => {
                self.person(*id)?;
                Ok(vec![id.to_string()])
            }
            Scope::Team { name } => {
                let team = self
                    .teams()?
                    .into_iter()
                    .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| Error::NotFound(format!("no team called {name:?}")))?;
                Ok(team.members.iter().map(Uuid::to_string).collect())
            }
            Scope::Group { group } => {
                let mut keys: Vec<String> = self
                    .people(true)?
                    .iter()
                    .filter(|p| p.group == *group)
                    .map(|p| p.id.to_string())
                    .collect();
                keys.push(group_key(*group));
                Ok(keys)
            }
        }
    }

    /// The balance events of a scope, in the order of [`balance::sort_chronologically`].
    pub fn events(&self, scope: &Scope) -> Result<Vec<Event>> {
        let keys = self.scope_keys(scope)?;
        let mut events = Vec::new();
        for key in &keys {
            events.extend(self.stored_events(key)?);
        }
        if keys.len() > 1 {
            balance::sort_chronologically(&mut events);
        }
        Ok(events)
    }

    /// The balance of a scope at `now`, with its explanation.
    pub fn balance(&self, scope: &Scope, now: DateTime<Utc>) -> Result<BalanceReport> {
        Ok(balance::compute(
            &self.events(scope)?,
            self.loss_weight()?,
            now,
        ))
    }

    /// The numbers of [`Self::balance`] without the explanation and the chart: what a list of
    /// balances shows (the People screen's groups and teams), at a fraction of the work and
    /// of the size over IPC. They come from the stored totals and each scope's latest events.
    pub fn balance_summary(&self, scope: &Scope, now: DateTime<Utc>) -> Result<BalanceSummary> {
        let lw = self.loss_weight()?;
        let keys = self.scope_keys(scope)?;
        if let [key] = keys.as_slice() {
            return self.stored_summary(key, lw, now);
        }
        // Each member's tail reaches back at least as far as the merged one must: the merged
        // last deposit is the latest of theirs.
        let mut totals = balance::Totals::default();
        let mut tail = Vec::new();
        for key in &keys {
            totals = totals.plus(self.stored_totals(key)?.totals);
            tail.extend(self.stored_tail(key, now)?);
        }
        balance::sort_chronologically(&mut tail);
        Ok(balance::summary_of_tail(totals, &tail, lw, now))
    }

    /// Every relationship at a glance (archived people left out).
    pub fn overview(&self, now: DateTime<Utc>) -> Result<Vec<PersonOverview>> {
        self.overview_of(self.people(false)?, now)
    }

    /// The overview rows of `people`, from the stored totals, each one's latest events and
    /// their participation.
    fn overview_of(
        &self,
        people: Vec<crate::model::Person>,
        now: DateTime<Utc>,
    ) -> Result<Vec<PersonOverview>> {
        let lw = self.loss_weight()?;
        let since_90 = (now - Duration::days(90)).timestamp_millis();
        let now_ms = now.timestamp_millis();
        people
            .into_iter()
            .map(|p| {
                let key = p.id.to_string();
                let totals = self.stored_totals(&key)?;
                let tail = self.stored_tail(&key, now)?;
                let report = balance::summary_of_tail(totals.totals, &tail, lw, now);
                let (one_on_ones, last) = self.participation(&key, since_90, now_ms)?;
                let consistency =
                    balance::consistency(&one_on_ones, p.cadence_days, p.created_at, now);
                let count = |n: i64| u32::try_from(n).unwrap_or(0);
                Ok(PersonOverview {
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
                    last_touchpoint: last,
                    consistency,
                    coverage: balance::coverage(
                        count(totals.reflections),
                        count(totals.touchpoints),
                    ),
                })
            })
            .collect()
    }

    /// A person's one-on-ones for the consistency (those held since `since_90`, plus the
    /// latest held whenever it was; meetings still ahead, calendar drafts, are not held yet,
    /// while one that took place counts whether reflected on or not) and the latest entry
    /// they took part in.
    fn participation(
        &self,
        person: &str,
        since_90: i64,
        now_ms: i64,
    ) -> Result<(Vec<Moment>, Option<Moment>)> {
        use rusqlite::OptionalExtension;
        let mut latest = self.conn().prepare_cached(
            "SELECT occurred_ms, occurred_at FROM participation
             WHERE person_id = ?1 AND one_on_one = ?2 AND occurred_ms <= ?3
             ORDER BY occurred_ms DESC LIMIT 1",
        )?;
        let mut last: Option<(i64, String)> = None;
        for one_on_one in [false, true] {
            let found: Option<(i64, String)> = latest
                .query_row(rusqlite::params![person, one_on_one, i64::MAX], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some(f) = found {
                if last.as_ref().is_none_or(|l| f.0 > l.0) {
                    last = Some(f);
                }
            }
        }
        let held: Option<i64> = latest
            .query_row(rusqlite::params![person, true, now_ms], |r| r.get(0))
            .optional()?;
        let mut one_on_ones = Vec::new();
        if let Some(held) = held {
            let mut stmt = self.conn().prepare_cached(
                "SELECT occurred_at FROM participation
                 WHERE person_id = ?1 AND one_on_one = 1 AND occurred_ms >= ?2
                   AND occurred_ms <= ?3",
            )?;
            let rows = stmt
                .query_map(rusqlite::params![person, since_90.min(held), now_ms], |r| {
                    r.get::<_, String>(0)
                })?;
            for row in rows {
                one_on_ones.push(parse_moment(&row?));
            }
        }
        Ok((one_on_ones, last.map(|(_, at)| parse_moment(&at))))
    }

    /// One relationship at a glance.
    pub fn person_overview(&self, id: Uuid, now: DateTime<Utc>) -> Result<PersonOverview> {
        let person = self.person(id)?;
        self.overview_of(vec![person], now)?
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
