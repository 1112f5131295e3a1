//! The Trust Balance engine: weighted deltas, balances, trends, slipping and their explanation.
//!
//! Pure arithmetic over [`Event`]s: no database, no clock, no I/O. The caller gathers the events
//! of a person (or of a team's members, or of a group's members plus the decisions that touched
//! the group), picks "now", and gets back a [`BalanceReport`] whose every number can be traced to
//! the events listed in it.
//!
//! The method, in plain words (design section 4):
//!
//! - Each event has a willingness `w` and an ability `a` (each -2..=+2 for reflections). Its raw
//!   delta is `d = w + a`. A deposit counts as it is; a withdrawal counts `loss_weight` times
//!   (default 2.0): weighted delta = `d` when `d >= 0`, else `d * loss_weight`.
//! - A kept commitment is an ability event of +1, a broken one an ability event of -1 (so -2 at
//!   the default weight), a renegotiated one 0. A decision's impact on a group is a willingness
//!   event for that group.
//! - The willingness and ability balances apply the same weighting to `w` and `a` on their own.
//!   They need not add up to the total: `w = +1, a = -2` moves the total by `-1 * 2 = -2` but the
//!   dimensions by `+1` and `-4`. That is by design: the two repairs differ.
//! - Balance is the sum of weighted deltas of every event up to now; the 30- and 90-day trends
//!   are the sums over the events of the last 30 and 90 days. Nothing decays; events dated after
//!   now are ignored everywhere.
//! - A relationship is slipping, until a deposit follows, when three withdrawals came in a row,
//!   when the 30-day change fell to -4 or lower (now, or as of any event since the last
//!   deposit), or when an event felt adversarial. Neutral events clear none of these.
//!
//! All sums are kept in integer tenths, so they are exact and do not depend on the order the
//! events arrive in; events are also put in one total order (time first) before anything else.

use std::cmp::Ordering;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::model::{
    Commitment, CommitmentStatus, Group, Moment, Reflection, Touchpoint, TouchpointKind,
};

/// Quantities in tenths of a point; every sum in this module is one of these.
type Tenths = i64;

/// The 30-day trend at or below which a relationship is slipping, in tenths (-4.0).
const SHARP_DROP_TENTHS: Tenths = -40;

/// Where a Trust Balance event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventSource {
    /// A reflection on a touchpoint, from one participant's side.
    Reflection,
    /// A commitment resolved as kept (ability +1).
    CommitmentKept,
    /// A commitment resolved as broken (ability -1).
    CommitmentBroken,
    /// A commitment renegotiated in time (0).
    CommitmentRenegotiated,
    /// A decision's impact on a stakeholder group (willingness = impact).
    Decision,
}

impl EventSource {
    /// Every value, in display order.
    pub const ALL: &'static [EventSource] = &[
        EventSource::Reflection,
        EventSource::CommitmentKept,
        EventSource::CommitmentBroken,
        EventSource::CommitmentRenegotiated,
        EventSource::Decision,
    ];

    /// The stable snake_case name used in storage, the CLI and IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Reflection => "reflection",
            EventSource::CommitmentKept => "commitment_kept",
            EventSource::CommitmentBroken => "commitment_broken",
            EventSource::CommitmentRenegotiated => "commitment_renegotiated",
            EventSource::Decision => "decision",
        }
    }
}

/// One deposit or withdrawal, the input of [`compute`].
///
/// Build one with [`Event::reflection`], [`Event::commitment`] or [`Event::decision`] (from raw
/// columns) or with the `from_*` constructors (from model records). The engine does not check
/// ranges: it applies the numbers it is given. In TypeScript it is `BalanceEvent`, so as not to
/// shadow the DOM's `Event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "BalanceEvent")]
pub struct Event {
    /// The touchpoint (reflection, decision) or commitment the event comes from.
    pub source_id: Uuid,
    /// When it happened.
    pub at: Moment,
    /// What kind of record produced it.
    pub source: EventSource,
    /// Kind of the touchpoint, for reflections and decisions.
    pub touchpoint_kind: Option<TouchpointKind>,
    /// Whose relationship it touches; `None` for a decision's group event.
    pub person_id: Option<Uuid>,
    /// The group a decision impact applies to.
    pub group: Option<Group>,
    /// Willingness as seen by the other side (the impact, for decisions).
    pub willingness: i32,
    /// Ability as seen by the other side.
    pub ability: i32,
    /// Whether the moment felt adversarial to them.
    pub adversarial: bool,
    /// Short human label: the touchpoint title or the commitment text.
    pub label: String,
}

impl Event {
    /// A reflection on touchpoint `touchpoint_id` from `person_id`'s side; not adversarial and
    /// without label until [`Event::with_adversarial`] and [`Event::with_label`] say otherwise.
    pub fn reflection(
        touchpoint_id: Uuid,
        person_id: Uuid,
        at: Moment,
        kind: TouchpointKind,
        willingness: i32,
        ability: i32,
    ) -> Event {
        Event {
            source_id: touchpoint_id,
            at,
            source: EventSource::Reflection,
            touchpoint_kind: Some(kind),
            person_id: Some(person_id),
            group: None,
            willingness,
            ability,
            adversarial: false,
            label: String::new(),
        }
    }

    /// The outcome of a commitment to `person_id`, resolved at `at`: kept is ability +1, broken
    /// ability -1, renegotiated 0; `None` while it is open.
    ///
    /// Whether a renegotiation came in time is the caller's call: pass
    /// [`CommitmentStatus::Broken`] for one that should count as broken.
    pub fn commitment(
        commitment_id: Uuid,
        person_id: Uuid,
        at: Moment,
        status: CommitmentStatus,
    ) -> Option<Event> {
        let (source, ability) = match status {
            CommitmentStatus::Open => return None,
            CommitmentStatus::Kept => (EventSource::CommitmentKept, 1),
            CommitmentStatus::Broken => (EventSource::CommitmentBroken, -1),
            CommitmentStatus::Renegotiated => (EventSource::CommitmentRenegotiated, 0),
        };
        Some(Event {
            source_id: commitment_id,
            at,
            source,
            touchpoint_kind: None,
            person_id: Some(person_id),
            group: None,
            willingness: 0,
            ability,
            adversarial: false,
            label: String::new(),
        })
    }

    /// A decision (touchpoint `touchpoint_id`) with `impact` on `group`: willingness = impact,
    /// ability 0, no person.
    pub fn decision(touchpoint_id: Uuid, at: Moment, group: Group, impact: i32) -> Event {
        Event {
            source_id: touchpoint_id,
            at,
            source: EventSource::Decision,
            touchpoint_kind: Some(TouchpointKind::Decision),
            person_id: None,
            group: Some(group),
            willingness: impact,
            ability: 0,
            adversarial: false,
            label: String::new(),
        }
    }

    /// The same event with the "felt adversarial" flag set as given.
    pub fn with_adversarial(mut self, adversarial: bool) -> Event {
        self.adversarial = adversarial;
        self
    }

    /// The same event with a human label.
    pub fn with_label(mut self, label: impl Into<String>) -> Event {
        self.label = label.into();
        self
    }

    /// The event of `reflection` on `touchpoint`: dated when the touchpoint happened, labelled
    /// with its title.
    pub fn from_reflection(touchpoint: &Touchpoint, reflection: &Reflection) -> Event {
        Event::reflection(
            touchpoint.id,
            reflection.person_id,
            touchpoint.occurred_at,
            touchpoint.kind,
            reflection.willingness,
            reflection.ability,
        )
        .with_adversarial(reflection.adversarial)
        .with_label(touchpoint.title.clone())
    }

    /// The event of a resolved commitment, labelled with what was promised and dated when it was
    /// resolved (when it was made, if no resolution time was recorded); `None` while open.
    pub fn from_commitment(commitment: &Commitment) -> Option<Event> {
        let at = commitment.resolved_at.unwrap_or(commitment.created_at);
        Event::commitment(commitment.id, commitment.person_id, at, commitment.status)
            .map(|e| e.with_label(commitment.what.clone()))
    }

    /// One group event per stakeholder group a decision touchpoint affects, in the order given.
    pub fn from_decision(touchpoint: &Touchpoint) -> Vec<Event> {
        touchpoint
            .affected_groups
            .iter()
            .map(|impact| {
                let mut event = Event::decision(
                    touchpoint.id,
                    touchpoint.occurred_at,
                    impact.group,
                    impact.impact,
                )
                .with_label(touchpoint.title.clone());
                event.touchpoint_kind = Some(touchpoint.kind);
                event
            })
            .collect()
    }
}

/// How much more a withdrawal weighs than a deposit, in tenths: 1.0 to 3.0, default 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LossWeight(u8);

impl LossWeight {
    /// The lightest weight, 1.0: a withdrawal counts as much as a deposit.
    pub const MIN: LossWeight = LossWeight(10);
    /// The heaviest weight, 3.0.
    pub const MAX: LossWeight = LossWeight(30);

    /// The weight `value`, rounded to a tenth; refused outside 1.0..=3.0 (or when not a number).
    pub fn from_f64(value: f64) -> Result<LossWeight, crate::Error> {
        if !(1.0..=3.0).contains(&value) {
            return Err(crate::Error::InvalidInput(format!(
                "loss weight must be between 1.0 and 3.0, got {value}"
            )));
        }
        // In range, so the rounded value is within 10..=30 and fits a u8.
        Ok(LossWeight((value * 10.0).round() as u8))
    }

    /// The weight of `tenths` tenths; refused outside 10..=30.
    pub fn from_tenths(tenths: u8) -> Result<LossWeight, crate::Error> {
        if (Self::MIN.0..=Self::MAX.0).contains(&tenths) {
            Ok(LossWeight(tenths))
        } else {
            Err(crate::Error::InvalidInput(format!(
                "loss weight must be between 10 and 30 tenths, got {tenths}"
            )))
        }
    }

    /// The weight in tenths (10..=30).
    pub fn tenths(self) -> u8 {
        self.0
    }

    /// The weight as a number (1.0..=3.0).
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl Default for LossWeight {
    fn default() -> Self {
        LossWeight(20)
    }
}

/// One event as it counted: the line of the "explain" list behind a balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExplainedEvent {
    /// The touchpoint or commitment it comes from.
    pub source_id: Uuid,
    /// When it happened.
    pub at: Moment,
    /// What kind of record produced it.
    pub source: EventSource,
    /// Kind of the touchpoint, for reflections and decisions.
    pub touchpoint_kind: Option<TouchpointKind>,
    /// Whose relationship it touches (`None` for a decision's group event).
    pub person_id: Option<Uuid>,
    /// The group a decision impact applies to.
    pub group: Option<Group>,
    /// Short human label.
    pub label: String,
    /// Willingness as recorded.
    pub willingness: i32,
    /// Ability as recorded.
    pub ability: i32,
    /// Whether it felt adversarial.
    pub adversarial: bool,
    /// The factor applied to `willingness + ability`: 1.0 for a deposit, the loss weight for a
    /// withdrawal.
    pub weight: f64,
    /// Its weighted contribution to the balance.
    pub delta: f64,
    /// Its weighted contribution to the willingness balance (`willingness` weighted on its own).
    pub willingness_delta: f64,
    /// Its weighted contribution to the ability balance (`ability` weighted on its own).
    pub ability_delta: f64,
    /// The balance right after it.
    pub balance_after: f64,
}

/// The running balances right after one event, for charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BalancePoint {
    /// When the event happened.
    pub at: Moment,
    /// Total balance after it.
    pub balance: f64,
    /// Willingness balance after it.
    pub willingness: f64,
    /// Ability balance after it.
    pub ability: f64,
}

/// Why a relationship counts as slipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SlipReason {
    /// Three withdrawals came in a row, and no deposit since.
    LastThreeNegative,
    /// The 30-day change fell to -4 or lower, and no deposit since.
    SharpDrop,
    /// An event felt adversarial and no deposit has followed it.
    Adversarial,
}

/// One of the two sides of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Dimension {
    /// Confidence that the leader means to protect them; mended by visible, structural
    /// commitments.
    Willingness,
    /// Confidence that the leader can protect them; mended by owning the lapse and fixing it.
    Ability,
}

/// Everything the app shows about one balance, with the events that explain it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BalanceReport {
    /// Sum of the weighted deltas of every event up to now.
    pub balance: f64,
    /// Sum of the weighted willingness of every event up to now.
    pub willingness: f64,
    /// Sum of the weighted ability of every event up to now.
    pub ability: f64,
    /// Sum of the weighted deltas of the events of the last 30 days.
    pub trend_30d: f64,
    /// Sum of the weighted deltas of the events of the last 90 days.
    pub trend_90d: f64,
    /// Whether the relationship needs recalibrating now.
    pub slipping: bool,
    /// Every rule that holds, in the order of [`SlipReason`]; empty when not slipping.
    pub slip_reasons: Vec<SlipReason>,
    /// The dimension with the lower weighted sum over the events since the slip began (ties:
    /// ability); `None` when not slipping.
    pub fallen_dimension: Option<Dimension>,
    /// How many of the trailing events make the slip (they are the last N of `events`): from the
    /// earliest start among the rules that hold (the last three events; the last 30 days; the
    /// first adversarial event not yet followed by a deposit). 0 when not slipping.
    #[ts(type = "number")]
    pub slip_events: usize,
    /// Every event up to now, in time order: the explanation of `balance`.
    pub events: Vec<ExplainedEvent>,
    /// How many of the trailing events make `trend_30d` (they are the last N of `events`).
    #[ts(type = "number")]
    pub trend_30d_events: usize,
    /// How many of the trailing events make `trend_90d` (they are the last N of `events`).
    #[ts(type = "number")]
    pub trend_90d_events: usize,
    /// The running balances after each event, one point per entry of `events`.
    pub series: Vec<BalancePoint>,
}

impl BalanceReport {
    /// The report's numbers without the explanation: what [`summary`] gives for its events.
    pub fn summary(&self) -> BalanceSummary {
        BalanceSummary {
            balance: self.balance,
            willingness: self.willingness,
            ability: self.ability,
            trend_30d: self.trend_30d,
            trend_90d: self.trend_90d,
            slipping: self.slipping,
            slip_reasons: self.slip_reasons.clone(),
            fallen_dimension: self.fallen_dimension,
            slip_events: self.slip_events,
            trend_30d_events: self.trend_30d_events,
            trend_90d_events: self.trend_90d_events,
            events: self.events.len(),
        }
    }
}

/// `value` weighted: as it is when zero or more, times the loss weight when below zero.
fn weigh(value: i64, loss_weight: LossWeight) -> Tenths {
    if value >= 0 {
        value * 10
    } else {
        value * i64::from(loss_weight.0)
    }
}

/// Tenths as the number shown to people.
fn points(tenths: Tenths) -> f64 {
    tenths as f64 / 10.0
}

/// One total order on events: by instant, then source id, then every other field, so the result
/// never depends on the order the caller passed them in.
fn chronological(x: &Event, y: &Event) -> Ordering {
    x.at.cmp(&y.at)
        .then_with(|| x.source_id.cmp(&y.source_id))
        .then_with(|| {
            x.at.offset()
                .local_minus_utc()
                .cmp(&y.at.offset().local_minus_utc())
        })
        .then_with(|| x.source.cmp(&y.source))
        .then_with(|| x.person_id.cmp(&y.person_id))
        .then_with(|| x.group.cmp(&y.group))
        .then_with(|| x.touchpoint_kind.cmp(&y.touchpoint_kind))
        .then_with(|| x.willingness.cmp(&y.willingness))
        .then_with(|| x.ability.cmp(&y.ability))
        .then_with(|| x.adversarial.cmp(&y.adversarial))
        .then_with(|| x.label.cmp(&y.label))
}

/// What one event adds, in tenths: to the balance and to each dimension.
#[derive(Clone, Copy)]
struct Counted {
    delta: Tenths,
    willingness: Tenths,
    ability: Tenths,
}

fn count(event: &Rated, loss_weight: LossWeight) -> Counted {
    let w = i64::from(event.willingness);
    let a = i64::from(event.ability);
    Counted {
        delta: weigh(w + a, loss_weight),
        willingness: weigh(w, loss_weight),
        ability: weigh(a, loss_weight),
    }
}

/// An event reduced to what the numbers of a balance need: a quarter of an [`Event`]'s size,
/// so that the overview's 150,000 of them stay in the processor's caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rated {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Willingness as recorded.
    pub willingness: i32,
    /// Ability as recorded.
    pub ability: i32,
    /// Whether it felt adversarial.
    pub adversarial: bool,
}

impl From<&Event> for Rated {
    fn from(e: &Event) -> Rated {
        Rated {
            at: e.at.to_utc(),
            willingness: e.willingness,
            ability: e.ability,
            adversarial: e.adversarial,
        }
    }
}

/// The numbers of a balance without its explanation: what the overview and Today show.
///
/// Every field equals the field of the same name in the [`BalanceReport`] that [`compute`]
/// gives for the same events; `events` is the length of its explanation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BalanceSummary {
    /// Sum of the weighted deltas of every event up to now.
    pub balance: f64,
    /// Sum of the weighted willingness of every event up to now.
    pub willingness: f64,
    /// Sum of the weighted ability of every event up to now.
    pub ability: f64,
    /// Sum of the weighted deltas of the events of the last 30 days.
    pub trend_30d: f64,
    /// Sum of the weighted deltas of the events of the last 90 days.
    pub trend_90d: f64,
    /// Whether the relationship needs recalibrating now.
    pub slipping: bool,
    /// Every rule that holds, in the order of [`SlipReason`].
    pub slip_reasons: Vec<SlipReason>,
    /// The dimension that fell since the slip began; `None` when not slipping.
    pub fallen_dimension: Option<Dimension>,
    /// How many of the trailing events make the slip.
    #[ts(type = "number")]
    pub slip_events: usize,
    /// How many of the trailing events make `trend_30d`.
    #[ts(type = "number")]
    pub trend_30d_events: usize,
    /// How many of the trailing events make `trend_90d`.
    #[ts(type = "number")]
    pub trend_90d_events: usize,
    /// How many events count (those up to now).
    #[ts(type = "number")]
    pub events: usize,
}

/// The numbers of `past` (events up to now, in [`chronological`] order). [`compute`],
/// [`summary`] and [`summary_of_rated`] all get their numbers here, so they cannot drift apart.
///
/// `before` counts the events that come before `past` and that no rule but the sums reaches
/// (see [`summary_of_tail`]); it is empty for a whole list.
fn tally<I>(past: I, before: Totals, loss_weight: LossWeight, now: DateTime<Utc>) -> BalanceSummary
where
    I: DoubleEndedIterator<Item = Rated> + ExactSizeIterator + Clone,
{
    let n = past.len();
    let counted = past.map(move |e| (e, count(&e, loss_weight)));

    let (mut balance, mut willingness, mut ability) = before.weighed(loss_weight);
    for (_, c) in counted.clone() {
        balance += c.delta;
        willingness += c.willingness;
        ability += c.ability;
    }

    // Events are in time order, so each window is a tail of them.
    let window = |days: i64| -> (usize, Tenths) {
        let since = now - TimeDelta::days(days);
        let tail = counted.clone().rev().take_while(|(e, _)| e.at > since);
        tail.fold((0, 0), |(n, sum), (_, c)| (n + 1, sum + c.delta))
    };
    let (trend_30d_events, trend_30d) = window(30);
    let (trend_90d_events, trend_90d) = window(90);

    // Which slip rules hold, and the index of the first event of the slip. Each rule holds
    // until a deposit follows (DESIGN.md section 4), so only the events after the last deposit
    // can start one; neutral events clear nothing.
    let mut slip_reasons = Vec::new();
    let mut start = n;
    let since_deposit = counted
        .clone()
        .rposition(|(_, c)| c.delta > 0)
        .map_or(0, |i| i + 1);
    // Three withdrawals in a row among them: the first such run starts the slip.
    let mut run = 0;
    for (i, (_, c)) in counted.clone().enumerate().skip(since_deposit) {
        run = if c.delta < 0 { run + 1 } else { 0 };
        if run == 3 {
            slip_reasons.push(SlipReason::LastThreeNegative);
            start = start.min(i - 2);
            break;
        }
    }
    // The 30-day change as of now, or as of any event since the last deposit (the change is
    // lowest just after an event: between events it can only rise as old ones leave).
    let mut drop_start =
        (trend_30d <= SHARP_DROP_TENTHS && since_deposit < n).then(|| n - trend_30d_events);
    if since_deposit < n {
        let first_at = counted
            .clone()
            .nth(since_deposit)
            .map(|(e, _)| e.at)
            .unwrap_or(now);
        // The events a window ending at one of them can reach, oldest first.
        let reach: Vec<(DateTime<Utc>, Tenths)> = {
            let mut tail: Vec<_> = counted
                .clone()
                .rev()
                .take_while(|(e, _)| e.at > first_at - TimeDelta::days(30))
                .map(|(e, c)| (e.at, c.delta))
                .collect();
            tail.reverse();
            tail
        };
        let offset = n - reach.len();
        let (mut from, mut sum) = (0, 0);
        for (to, &(at, delta)) in reach.iter().enumerate() {
            sum += delta;
            while reach[from].0 <= at - TimeDelta::days(30) {
                sum -= reach[from].1;
                from += 1;
            }
            if offset + to >= since_deposit && sum <= SHARP_DROP_TENTHS {
                let first = offset + from;
                drop_start = Some(drop_start.map_or(first, |d: usize| d.min(first)));
                break;
            }
        }
    }
    if let Some(first) = drop_start {
        slip_reasons.push(SlipReason::SharpDrop);
        start = start.min(first);
    }
    // An adversarial event is answered by any deposit after it. A deposit that itself felt
    // adversarial answers nothing, so it counts from there.
    let open_from = since_deposit.saturating_sub(1);
    if let Some(first_open) = counted
        .clone()
        .skip(open_from)
        .position(|(e, _)| e.adversarial)
    {
        slip_reasons.push(SlipReason::Adversarial);
        start = start.min(open_from + first_open);
    }

    let (fallen_dimension, slip_events) = if slip_reasons.is_empty() {
        (None, 0)
    } else {
        let (w, a) = counted
            .skip(start)
            .fold((0, 0), |(w, a), (_, c)| (w + c.willingness, a + c.ability));
        let fallen = if w < a {
            Dimension::Willingness
        } else {
            Dimension::Ability
        };
        (Some(fallen), n - start)
    };

    BalanceSummary {
        balance: points(balance),
        willingness: points(willingness),
        ability: points(ability),
        trend_30d: points(trend_30d),
        trend_90d: points(trend_90d),
        slipping: !slip_reasons.is_empty(),
        slip_reasons,
        fallen_dimension,
        slip_events,
        trend_30d_events,
        trend_90d_events,
        events: n + usize::try_from(before.events).unwrap_or(0),
    }
}

/// How many events there are and the sums of their raw willingness, ability and delta
/// (`willingness + ability`), each split into deposits and withdrawals: what the journal keeps
/// per scope so that a balance needs only its latest events. Splitting them keeps the sums
/// exact for any loss weight, so changing the weight changes nothing stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many events.
    pub events: i64,
    /// Sum of the positive deltas and sum of the negative ones.
    pub delta: (i64, i64),
    /// The same for willingness on its own.
    pub willingness: (i64, i64),
    /// The same for ability on its own.
    pub ability: (i64, i64),
}

impl Totals {
    /// The totals of `events` (all of them, whatever their date).
    pub fn of<'a>(events: impl IntoIterator<Item = &'a Event>) -> Totals {
        let mut t = Totals::default();
        for e in events {
            t.add(e.willingness, e.ability, 1);
        }
        t
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) one event's numbers.
    fn add(&mut self, w: i32, a: i32, sign: i64) {
        let split = |v: i64| if v >= 0 { (v, 0) } else { (0, v) };
        let (w, a) = (i64::from(w), i64::from(a));
        for (sum, v) in [
            (&mut self.delta, w + a),
            (&mut self.willingness, w),
            (&mut self.ability, a),
        ] {
            let (pos, neg) = split(v);
            sum.0 += sign * pos;
            sum.1 += sign * neg;
        }
        self.events += sign;
    }

    /// These totals and `other`'s together.
    pub fn plus(mut self, other: Totals) -> Totals {
        self.events += other.events;
        for (x, y) in [
            (&mut self.delta, other.delta),
            (&mut self.willingness, other.willingness),
            (&mut self.ability, other.ability),
        ] {
            x.0 += y.0;
            x.1 += y.1;
        }
        self
    }

    /// These totals less `other`'s.
    fn minus(mut self, other: Totals) -> Totals {
        self.events -= other.events;
        for (x, y) in [
            (&mut self.delta, other.delta),
            (&mut self.willingness, other.willingness),
            (&mut self.ability, other.ability),
        ] {
            x.0 -= y.0;
            x.1 -= y.1;
        }
        self
    }

    /// The weighted balance, willingness and ability of these events, in tenths: the same sums
    /// [`count`] gives event by event, as each event's weighting depends on its own sign only.
    fn weighed(self, loss_weight: LossWeight) -> (Tenths, Tenths, Tenths) {
        let lw = i64::from(loss_weight.0);
        let w = |(pos, neg): (i64, i64)| pos * 10 + neg * lw;
        (w(self.delta), w(self.willingness), w(self.ability))
    }
}

/// [`summary`] of a scope whose events the caller keeps as running totals (`all`, every event
/// whatever its date) and of which it reads only the latest, `tail` (in the order of
/// [`sort_chronologically`], every event after some instant). Equal to [`summary`] of all the
/// events when `tail` holds every event of the last 90 days, the last deposit up to now, and
/// every event within 30 days before the first event after that deposit (every event, when
/// there has been no deposit up to now); those are all the slip rules and the trends read.
pub fn summary_of_tail(
    all: Totals,
    tail: &[Event],
    loss_weight: LossWeight,
    now: DateTime<Utc>,
) -> BalanceSummary {
    let before = all.minus(Totals::of(tail));
    let past = &tail[..tail.partition_point(|e| e.at.to_utc() <= now)];
    tally(past.iter().map(Rated::from), before, loss_weight, now)
}

/// The events up to `now`, in [`chronological`] order.
fn past_in_order(events: &[Event], now: DateTime<Utc>) -> Vec<&Event> {
    let mut past: Vec<&Event> = events.iter().filter(|e| e.at.to_utc() <= now).collect();
    past.sort_by(|x, y| chronological(x, y));
    past
}

/// Puts `events` in the order [`compute`] explains them in, the order
/// [`summary_of_rated`] needs.
pub fn sort_chronologically(events: &mut [Event]) {
    events.sort_by(chronological);
}

/// The numbers of [`compute`] without the explanation and the chart series, for showing many
/// balances at once (the overview, Today). Equal, field by field, to what [`compute`] gives.
pub fn summary(events: &[Event], loss_weight: LossWeight, now: DateTime<Utc>) -> BalanceSummary {
    let past = past_in_order(events, now);
    tally(
        past.into_iter().map(Rated::from),
        Totals::default(),
        loss_weight,
        now,
    )
}

/// [`summary`] of events kept in the order of [`sort_chronologically`] and reduced to
/// [`Rated`], as the journal keeps them: nothing is sorted, copied or allocated, and the
/// events up to `now` are a prefix of `rated`.
///
/// Given `rated` in any other order the numbers are wrong (the trends and the slip rules read
/// the last events).
pub fn summary_of_rated(
    rated: &[Rated],
    loss_weight: LossWeight,
    now: DateTime<Utc>,
) -> BalanceSummary {
    let past = &rated[..rated.partition_point(|e| e.at <= now)];
    tally(past.iter().copied(), Totals::default(), loss_weight, now)
}

/// The Trust Balance of `events` as of `now`, with trends, slipping and the explanation.
///
/// Events dated after `now` are ignored everywhere. The result does not depend on the order of
/// `events`.
pub fn compute(events: &[Event], loss_weight: LossWeight, now: DateTime<Utc>) -> BalanceReport {
    let past = past_in_order(events, now);
    let numbers = tally(
        past.iter().map(|&e| Rated::from(e)),
        Totals::default(),
        loss_weight,
        now,
    );

    let mut balance: Tenths = 0;
    let mut willingness: Tenths = 0;
    let mut ability: Tenths = 0;
    let mut explained = Vec::with_capacity(past.len());
    let mut series = Vec::with_capacity(past.len());
    for &e in &past {
        let c = count(&Rated::from(e), loss_weight);
        balance += c.delta;
        willingness += c.willingness;
        ability += c.ability;
        let raw = i64::from(e.willingness) + i64::from(e.ability);
        explained.push(ExplainedEvent {
            source_id: e.source_id,
            at: e.at,
            source: e.source,
            touchpoint_kind: e.touchpoint_kind,
            person_id: e.person_id,
            group: e.group,
            label: e.label.clone(),
            willingness: e.willingness,
            ability: e.ability,
            adversarial: e.adversarial,
            weight: if raw < 0 { loss_weight.as_f64() } else { 1.0 },
            delta: points(c.delta),
            willingness_delta: points(c.willingness),
            ability_delta: points(c.ability),
            balance_after: points(balance),
        });
        series.push(BalancePoint {
            at: e.at,
            balance: points(balance),
            willingness: points(willingness),
            ability: points(ability),
        });
    }

    BalanceReport {
        balance: numbers.balance,
        willingness: numbers.willingness,
        ability: numbers.ability,
        trend_30d: numbers.trend_30d,
        trend_90d: numbers.trend_90d,
        slipping: numbers.slipping,
        slip_reasons: numbers.slip_reasons,
        fallen_dimension: numbers.fallen_dimension,
        slip_events: numbers.slip_events,
        events: explained,
        trend_30d_events: numbers.trend_30d_events,
        trend_90d_events: numbers.trend_90d_events,
        series,
    }
}

/// How regularly one-on-ones with a person are held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Consistency {
    /// One-on-ones held in the last 90 days.
    pub held_90d: u32,
    /// One-on-ones the cadence asks for in the last 90 days (see [`consistency`]).
    pub expected_90d: u32,
    /// `held / expected`, at most 1.0; 1.0 when nothing is expected.
    pub ratio: f64,
    /// The latest one-on-one up to now.
    pub last_one_on_one: Option<Moment>,
    /// Whole days since the latest one-on-one.
    #[ts(type = "number | null")]
    pub days_since_last: Option<i64>,
    /// More whole days than the cadence have passed since the last one-on-one (or since the
    /// person was added, when there has been none).
    pub overdue: bool,
    /// The cadence used; a cadence of 0 days counts as none.
    pub cadence_days: Option<u32>,
}

/// The consistency of one-on-ones dated `one_on_ones` with a person known since `known_since`.
///
/// - Without a cadence (or a cadence of 0) nothing is expected: `expected_90d` is 0, the ratio
///   1.0, and the person is never overdue.
/// - With cadence `c`, the window is the last 90 days, shortened to the days since `known_since`
///   for someone added more recently. Nothing is expected while that window is shorter than
///   `min(c, 90)` days (no one-on-one was due yet); otherwise `expected = max(1, window / c)`,
///   which for anyone known 90 days or more is `max(1, 90 / c)`.
/// - One-on-ones dated after `now` are ignored.
pub fn consistency(
    one_on_ones: &[Moment],
    cadence_days: Option<u32>,
    known_since: Moment,
    now: DateTime<Utc>,
) -> Consistency {
    let cadence = cadence_days.filter(|&c| c > 0);
    let window_start = now - TimeDelta::days(90);
    let past = || one_on_ones.iter().filter(|m| m.to_utc() <= now);

    let held = past().filter(|m| m.to_utc() > window_start).count();
    let held = u32::try_from(held).unwrap_or(u32::MAX);
    let last = past()
        .max_by(|x, y| {
            x.cmp(y).then_with(|| {
                x.offset()
                    .local_minus_utc()
                    .cmp(&y.offset().local_minus_utc())
            })
        })
        .copied();

    let known_days = (now - known_since.to_utc()).num_days().clamp(0, 90);
    let expected = match cadence {
        None => 0,
        Some(c) if known_days < i64::from(c.min(90)) => 0,
        Some(c) => u32::try_from(known_days / i64::from(c)).unwrap_or(0).max(1),
    };
    let ratio = if expected == 0 {
        1.0
    } else {
        (f64::from(held) / f64::from(expected)).min(1.0)
    };

    let days_since_last = last.map(|m| (now - m.to_utc()).num_days());
    let reference = last.unwrap_or(known_since);
    let overdue = cadence.is_some_and(|c| (now - reference.to_utc()).num_days() > i64::from(c));

    Consistency {
        held_90d: held,
        expected_90d: expected,
        ratio,
        last_one_on_one: last,
        days_since_last,
        overdue,
        cadence_days: cadence,
    }
}

/// Reflection coverage: `reflected / total`, 1.0 when there is nothing to reflect on, and never
/// above 1.0.
pub fn coverage(reflected: u32, total: u32) -> f64 {
    if total == 0 {
        1.0
    } else {
        (f64::from(reflected) / f64::from(total)).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GroupImpact;
    use chrono::{FixedOffset, TimeZone};
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    /// `days` days before [`now`] (after it when negative), in UTC.
    fn ago(days: i64) -> Moment {
        (now() - TimeDelta::days(days)).fixed_offset()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn refl(n: u128, days_ago: i64, w: i32, a: i32) -> Event {
        Event::reflection(
            id(n),
            id(1000),
            ago(days_ago),
            TouchpointKind::OneOnOne,
            w,
            a,
        )
        .with_label(format!("touchpoint {n}"))
    }

    fn kept(n: u128, days_ago: i64) -> Event {
        Event::commitment(id(n), id(1000), ago(days_ago), CommitmentStatus::Kept).unwrap()
    }

    fn broken(n: u128, days_ago: i64) -> Event {
        Event::commitment(id(n), id(1000), ago(days_ago), CommitmentStatus::Broken).unwrap()
    }

    fn report(events: &[Event]) -> BalanceReport {
        compute(events, LossWeight::default(), now())
    }

    #[test]
    fn withdrawal_is_weighted_by_the_loss_weight() {
        let r = report(&[refl(1, 1, 1, -2)]);
        assert_eq!(r.balance, -2.0, "d = -1 counts twice at the default weight");
        assert_eq!(r.willingness, 1.0, "willingness +1 is a deposit on its own");
        assert_eq!(r.ability, -4.0, "ability -2 is weighted on its own");
        assert_eq!(r.events[0].weight, 2.0);
        assert_eq!(r.events[0].delta, -2.0);
    }

    #[test]
    fn deposits_are_not_weighted() {
        let r = report(&[refl(1, 1, 2, 1), refl(2, 2, 0, 0)]);
        assert_eq!(r.balance, 3.0);
        assert!(r.events.iter().all(|e| e.weight == 1.0));
    }

    #[test]
    fn loss_weight_one_is_a_plain_sum() {
        let events = [refl(1, 5, 1, -2), refl(2, 4, -2, -2), refl(3, 3, 2, 0)];
        let r = compute(&events, LossWeight::from_f64(1.0).unwrap(), now());
        assert_eq!(r.balance, -3.0);
        assert_eq!(r.willingness, 1.0);
        assert_eq!(r.ability, -4.0);
    }

    #[test]
    fn heavier_loss_weight_uses_tenths_exactly() {
        let r = compute(
            &[refl(1, 1, -1, 0), refl(2, 2, 0, -2)],
            LossWeight::from_f64(2.7).unwrap(),
            now(),
        );
        assert_eq!(
            r.balance, -8.1,
            "-1 * 2.7 + -2 * 2.7 is exactly -8.1 in tenths"
        );
    }

    #[test]
    fn commitments_count_in_ability() {
        let r = report(&[broken(1, 3)]);
        assert_eq!(r.balance, -2.0, "broken is ability -1, weighted");
        assert_eq!(r.ability, -2.0);
        assert_eq!(r.willingness, 0.0);

        let r = report(&[kept(1, 3)]);
        assert_eq!((r.balance, r.ability), (1.0, 1.0));

        let renegotiated =
            Event::commitment(id(1), id(1000), ago(3), CommitmentStatus::Renegotiated).unwrap();
        let r = report(&[renegotiated]);
        assert_eq!(r.balance, 0.0);
        assert_eq!(r.events[0].source, EventSource::CommitmentRenegotiated);

        assert!(Event::commitment(id(1), id(1000), ago(3), CommitmentStatus::Open).is_none());
    }

    #[test]
    fn decision_impact_counts_in_willingness_for_its_group() {
        let e = Event::decision(id(7), ago(2), Group::Customer, -2);
        assert_eq!((e.person_id, e.group), (None, Some(Group::Customer)));
        let r = report(&[e]);
        assert_eq!(r.balance, -4.0);
        assert_eq!(r.willingness, -4.0);
        assert_eq!(r.ability, 0.0);
    }

    #[test]
    fn events_in_the_future_are_ignored_everywhere() {
        let events = [
            refl(1, 10, 1, 1),
            refl(2, -1, -2, -2).with_adversarial(true),
            refl(3, -2, -2, -2),
            refl(4, -3, -2, -2),
        ];
        let r = report(&events);
        assert_eq!(r.balance, 2.0);
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.series.len(), 1);
        assert_eq!((r.trend_30d, r.trend_30d_events), (2.0, 1));
        assert!(!r.slipping, "future withdrawals must not raise an alert");
    }

    #[test]
    fn an_event_exactly_now_counts() {
        let r = report(&[refl(1, 0, 1, 0)]);
        assert_eq!(r.balance, 1.0);
    }

    #[test]
    fn trends_cover_the_last_30_and_90_days() {
        let events = [
            refl(1, 200, 2, 2),
            refl(2, 90, 1, 0),  // exactly 90 days ago: outside both windows
            refl(3, 89, 0, 1),  // inside 90 only
            refl(4, 30, 1, 1),  // exactly 30 days ago: inside 90 only
            refl(5, 29, -1, 0), // inside both
            refl(6, 1, 1, 0),
        ];
        let r = report(&events);
        assert_eq!(r.balance, 4.0 + 1.0 + 1.0 + 2.0 - 2.0 + 1.0);
        assert_eq!((r.trend_30d, r.trend_30d_events), (-1.0, 2));
        assert_eq!((r.trend_90d, r.trend_90d_events), (2.0, 4));
        let tail: f64 = r.events[r.events.len() - r.trend_90d_events..]
            .iter()
            .map(|e| e.delta)
            .sum();
        assert_eq!(
            tail, r.trend_90d,
            "the trend is the sum of its trailing events"
        );
    }

    #[test]
    fn last_three_negative_slips() {
        let r = report(&[
            refl(1, 9, 2, 2),
            refl(2, 3, 0, -1),
            refl(3, 2, -1, 0),
            broken(4, 1),
        ]);
        assert!(r.slipping);
        assert_eq!(r.slip_reasons, vec![SlipReason::LastThreeNegative]);
        assert_eq!(r.slip_events, 3);
        assert_eq!(r.fallen_dimension, Some(Dimension::Ability));
    }

    #[test]
    fn two_negative_or_a_zero_among_three_is_not_slipping() {
        // Forty days apart, so no 30 days hold -4 and the sharp-drop rule stays out of it.
        assert!(!report(&[refl(1, 90, -1, 0), refl(2, 50, 0, -1)]).slipping);
        let r = report(&[refl(1, 130, -1, 0), refl(2, 90, 0, 0), refl(3, 50, 0, -1)]);
        assert!(!r.slipping, "a neutral event is not a withdrawal");
        assert_eq!(r.fallen_dimension, None);
        assert_eq!(r.slip_events, 0);
    }

    #[test]
    fn sharp_drop_slips_unless_the_latest_event_is_a_deposit() {
        // -4 twenty days ago, then a neutral event: trend -4, latest not a deposit.
        let r = report(&[refl(1, 40, 2, 2), refl(2, 20, -2, 0), refl(3, 2, 0, 0)]);
        assert_eq!(r.trend_30d, -4.0);
        assert_eq!(r.slip_reasons, vec![SlipReason::SharpDrop]);
        assert_eq!(r.slip_events, 2, "the slip is the last 30 days");
        assert_eq!(r.fallen_dimension, Some(Dimension::Willingness));

        let r = report(&[refl(2, 20, -2, -2), refl(3, 2, 1, 0)]);
        assert_eq!(r.trend_30d, -7.0);
        assert!(!r.slipping, "a deposit after the drop starts the recovery");

        let r = report(&[refl(2, 20, -1, -1), refl(3, 2, 0, 0)]);
        assert_eq!(r.trend_30d, -4.0);
        assert!(r.slipping, "-4 or lower");
        let r = report(&[refl(2, 20, -1, 0), refl(3, 2, 0, -1), refl(4, 1, 0, 1)]);
        assert!(!r.slipping);
    }

    #[test]
    fn three_withdrawals_slip_until_a_deposit_follows() {
        // Forty days apart, so no 30 days hold more than one withdrawal (no sharp drop).
        let three = [refl(1, 150, -1, 0), refl(2, 110, 0, -1), broken(3, 70)];
        let mut events = three.to_vec();
        events.push(refl(4, 50, 0, 0));
        let r = report(&events);
        assert!(
            r.slipping,
            "a neutral event after three withdrawals does not clear it"
        );
        assert_eq!(r.slip_reasons, vec![SlipReason::LastThreeNegative]);
        assert_eq!(
            r.slip_events, 4,
            "the slip runs from the first of the three"
        );

        events.push(refl(5, 25, -1, 0));
        events.push(refl(6, 20, 0, 0));
        let r = report(&events);
        assert_eq!(r.slip_reasons, vec![SlipReason::LastThreeNegative]);
        assert!(r.slipping, "nor do more withdrawals and neutrals");

        events.push(kept(7, 15));
        let r = report(&events);
        assert!(!r.slipping, "a deposit clears it");
        assert_eq!(r.slip_events, 0);

        // Withdrawals split by a neutral event are not three in a row.
        let r = report(&[
            refl(1, 150, -1, 0),
            refl(2, 110, 0, -1),
            refl(3, 100, 0, 0),
            refl(4, 60, 0, -1),
        ]);
        assert!(!r.slipping, "{:?}", r.slip_reasons);
    }

    #[test]
    fn a_sharp_drop_slips_until_a_deposit_follows_even_once_it_is_older_than_30_days() {
        // -4 sixty days ago; the 30-day change is 0 now, but no deposit has followed.
        let drop = [refl(1, 90, 1, 1), refl(2, 60, -2, 0), refl(3, 10, 0, 0)];
        let r = report(&drop);
        assert_eq!(r.trend_30d, 0.0);
        assert!(r.slipping, "the drop still waits for a deposit");
        assert_eq!(r.slip_reasons, vec![SlipReason::SharpDrop]);
        assert_eq!(r.slip_events, 2, "from the withdrawal that made the drop");

        let mut mended = drop.to_vec();
        mended.push(refl(4, 5, 1, 0));
        assert!(!report(&mended).slipping, "a deposit clears it");

        // A drop that a deposit inside the same 30 days kept above -4 never slipped.
        let r = report(&[refl(1, 50, 2, 1), refl(2, 40, -1, 0), refl(3, 10, 0, 0)]);
        assert!(!r.slipping, "{:?}", r.slip_reasons);
    }

    #[test]
    fn adversarial_slips_until_a_deposit_follows() {
        let hard = refl(2, 5, 1, 0).with_adversarial(true);
        let r = report(&[refl(1, 9, 2, 2), hard.clone()]);
        assert!(r.slipping, "felt adversarial, even when rated positive");
        assert_eq!(r.slip_reasons, vec![SlipReason::Adversarial]);
        assert_eq!(r.slip_events, 1);

        let r = report(&[
            refl(1, 9, 2, 2),
            hard.clone(),
            refl(3, 4, 0, 0),
            broken(4, 3),
        ]);
        assert!(r.slipping, "neutral and negative events do not clear it");
        assert_eq!(r.slip_events, 3);

        let r = report(&[refl(1, 9, 2, 2), hard, refl(3, 4, 0, 0), kept(4, 3)]);
        assert!(!r.slipping, "a kept commitment is a deposit and clears it");
        assert_eq!(r.fallen_dimension, None);
    }

    #[test]
    fn earliest_unanswered_adversarial_event_starts_the_slip() {
        let events = [
            refl(1, 9, 1, 1).with_adversarial(true),
            refl(2, 8, 1, 0),
            refl(3, 7, -1, 0).with_adversarial(true),
            refl(4, 6, 0, 0),
            refl(5, 5, 0, -1).with_adversarial(true),
        ];
        let r = report(&events);
        assert_eq!(r.slip_reasons, vec![SlipReason::Adversarial]);
        assert_eq!(
            r.slip_events, 3,
            "from the first adversarial event after the last deposit"
        );
        assert_eq!(
            r.fallen_dimension,
            Some(Dimension::Ability),
            "tie at -2 each goes to ability"
        );
    }

    #[test]
    fn all_rules_together_use_the_widest_window() {
        let events = [
            refl(1, 25, 0, 0).with_adversarial(true),
            refl(2, 3, -2, 0),
            refl(3, 2, -2, 0),
            refl(4, 1, 0, -1),
        ];
        let r = report(&events);
        assert_eq!(
            r.slip_reasons,
            vec![
                SlipReason::LastThreeNegative,
                SlipReason::SharpDrop,
                SlipReason::Adversarial
            ]
        );
        assert_eq!(r.slip_events, 4);
        assert_eq!(r.fallen_dimension, Some(Dimension::Willingness));
    }

    #[test]
    fn fallen_dimension_ties_go_to_ability() {
        let r = report(&[refl(1, 3, -1, -1), refl(2, 2, -1, -1), refl(3, 1, -1, -1)]);
        assert_eq!(r.fallen_dimension, Some(Dimension::Ability));
    }

    #[test]
    fn series_and_explanation_follow_time_order() {
        let events = [refl(3, 1, -1, 0), refl(1, 3, 2, 0), refl(2, 2, 0, 1)];
        let r = report(&events);
        let labels: Vec<_> = r.events.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["touchpoint 1", "touchpoint 2", "touchpoint 3"]);
        let balances: Vec<_> = r.series.iter().map(|p| p.balance).collect();
        assert_eq!(balances, [2.0, 3.0, 1.0]);
        let after: Vec<_> = r.events.iter().map(|e| e.balance_after).collect();
        assert_eq!(after, balances);
        assert_eq!(r.series[2].willingness, 0.0);
        assert_eq!(r.series[2].ability, 1.0);
    }

    #[test]
    fn same_instant_is_ordered_by_source_id_whatever_the_offset() {
        let paris = FixedOffset::east_opt(2 * 3600).unwrap();
        let a = refl(2, 1, 1, 0);
        let mut b = refl(1, 1, -1, 0);
        b.at = b.at.with_timezone(&paris);
        let r1 = report(&[a.clone(), b.clone()]);
        let r2 = report(&[b, a]);
        assert_eq!(r1, r2);
        assert_eq!(r1.events[0].source_id, id(1));
        assert_eq!(
            r1.events[0].at.offset(),
            &paris,
            "the original offset is kept"
        );
    }

    #[test]
    fn empty_input_gives_a_neutral_report() {
        let r = report(&[]);
        assert_eq!(r, BalanceReport::default());
        assert!(!r.slipping);
    }

    #[test]
    fn loss_weight_accepts_one_to_three_in_tenths() {
        assert_eq!(LossWeight::default().as_f64(), 2.0);
        assert_eq!(LossWeight::from_f64(1.0).unwrap().tenths(), 10);
        assert_eq!(LossWeight::from_f64(3.0).unwrap().tenths(), 30);
        assert_eq!(LossWeight::from_f64(2.34).unwrap().tenths(), 23);
        assert_eq!(LossWeight::from_f64(1.25).unwrap().as_f64(), 1.3);
        for bad in [0.9, 3.01, -2.0, f64::NAN, f64::INFINITY] {
            let err = LossWeight::from_f64(bad).unwrap_err();
            assert!(
                matches!(err, crate::Error::InvalidInput(_)),
                "{bad} must be refused"
            );
        }
        assert!(LossWeight::from_tenths(9).is_err());
        assert!(LossWeight::from_tenths(31).is_err());
        assert_eq!(LossWeight::from_tenths(15).unwrap().as_f64(), 1.5);
    }

    #[test]
    fn events_from_model_records() {
        let tp = Touchpoint {
            id: id(1),
            kind: TouchpointKind::Conflict,
            occurred_at: ago(2),
            duration_minutes: Some(30),
            title: "Release slip".into(),
            participants: vec![id(1000)],
            team: None,
            affected_groups: vec![
                GroupImpact {
                    group: Group::Customer,
                    impact: 2,
                },
                GroupImpact {
                    group: Group::DirectReport,
                    impact: -1,
                },
            ],
            notes: String::new(),
            tags: vec![],
            private: false,
            source: "manual".into(),
            state: crate::model::TouchpointState::Logged,
            created_at: ago(2),
        };
        let reflection = Reflection {
            id: id(2),
            touchpoint_id: id(1),
            person_id: id(1000),
            answers: vec![],
            their_side: String::new(),
            willingness: -1,
            ability: 2,
            adversarial: true,
            would_have_helped: String::new(),
            next_time: String::new(),
            created_at: ago(1),
        };
        let e = Event::from_reflection(&tp, &reflection);
        assert_eq!(
            e.source_id, tp.id,
            "a reflection event is keyed by its touchpoint"
        );
        assert_eq!((e.willingness, e.ability, e.adversarial), (-1, 2, true));
        assert_eq!((e.at, e.label.as_str()), (tp.occurred_at, "Release slip"));
        assert_eq!(e.touchpoint_kind, Some(TouchpointKind::Conflict));

        let decisions = Event::from_decision(&tp);
        assert_eq!(decisions.len(), 2);
        assert_eq!(decisions[1].group, Some(Group::DirectReport));
        assert_eq!((decisions[1].willingness, decisions[1].ability), (-1, 0));

        let mut c = Commitment {
            id: id(3),
            person_id: id(1000),
            touchpoint_id: Some(id(1)),
            what: "Send the plan".into(),
            due: None,
            status: CommitmentStatus::Open,
            created_at: ago(10),
            resolved_at: None,
        };
        assert!(Event::from_commitment(&c).is_none());
        c.status = CommitmentStatus::Broken;
        c.resolved_at = Some(ago(4));
        let e = Event::from_commitment(&c).unwrap();
        assert_eq!(
            (e.at, e.ability, e.label.as_str()),
            (ago(4), -1, "Send the plan")
        );
    }

    #[test]
    fn names_are_snake_case() {
        let json = serde_json::to_value((
            SlipReason::LastThreeNegative,
            SlipReason::SharpDrop,
            Dimension::Willingness,
            EventSource::CommitmentRenegotiated,
        ))
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                "last_three_negative",
                "sharp_drop",
                "willingness",
                "commitment_renegotiated"
            ])
        );
        for s in EventSource::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn report_round_trips_through_json() {
        let r = report(&[
            refl(1, 3, -1, 0),
            broken(2, 2),
            refl(3, 1, 0, -1).with_adversarial(true),
        ]);
        let back: BalanceReport =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn consistency_counts_one_on_ones_against_the_cadence() {
        let held: Vec<Moment> = [1, 15, 29, 43, 57, 71, 85, 95].map(ago).to_vec();
        let c = consistency(&held, Some(14), ago(400), now());
        assert_eq!(
            (c.held_90d, c.expected_90d),
            (7, 6),
            "95 days ago is outside"
        );
        assert_eq!(c.ratio, 1.0, "capped at 1");
        assert_eq!(
            (c.last_one_on_one, c.days_since_last),
            (Some(ago(1)), Some(1))
        );
        assert!(!c.overdue);

        let c = consistency(&held[4..], Some(14), ago(400), now());
        assert_eq!((c.held_90d, c.expected_90d, c.ratio), (3, 6, 0.5));
        assert_eq!(c.days_since_last, Some(57));
        assert!(c.overdue);
    }

    #[test]
    fn consistency_without_cadence_expects_nothing() {
        for cadence in [None, Some(0)] {
            let c = consistency(&[ago(200)], cadence, ago(400), now());
            assert_eq!((c.held_90d, c.expected_90d, c.ratio), (0, 0, 1.0));
            assert!(!c.overdue);
            assert_eq!(c.cadence_days, None);
            assert_eq!(c.days_since_last, Some(200));
        }
    }

    #[test]
    fn long_cadence_still_expects_one() {
        let c = consistency(&[], Some(120), ago(400), now());
        assert_eq!((c.expected_90d, c.ratio), (1, 0.0));
    }

    #[test]
    fn overdue_counts_from_known_since_when_there_was_none() {
        let c = consistency(&[], Some(14), ago(15), now());
        assert!(c.overdue);
        assert_eq!((c.last_one_on_one, c.days_since_last), (None, None));
        let c = consistency(&[], Some(14), ago(14), now());
        assert!(!c.overdue, "exactly the cadence is not yet overdue");
    }

    #[test]
    fn someone_added_recently_is_measured_from_when_they_were_added() {
        let c = consistency(&[], Some(14), ago(10), now());
        assert_eq!((c.expected_90d, c.ratio), (0, 1.0), "nothing was due yet");
        let c = consistency(&[ago(3)], Some(14), ago(30), now());
        assert_eq!((c.held_90d, c.expected_90d, c.ratio), (1, 2, 0.5));
    }

    #[test]
    fn future_one_on_ones_are_ignored() {
        let c = consistency(&[ago(20), ago(-3)], Some(14), ago(400), now());
        assert_eq!(c.held_90d, 1);
        assert_eq!(c.last_one_on_one, Some(ago(20)));
        assert!(c.overdue);
    }

    #[test]
    fn coverage_is_a_share() {
        assert_eq!(coverage(0, 0), 1.0);
        assert_eq!(coverage(3, 4), 0.75);
        assert_eq!(coverage(0, 5), 0.0);
        assert_eq!(coverage(6, 5), 1.0);
    }

    /// Any event within 200 days before and 10 days after [`now`], on an hour grid and with few
    /// distinct ids, offsets and labels so that ties are common.
    fn arb_event() -> impl Strategy<Value = Event> {
        (
            0u128..6,
            -240i64..4800,
            prop::sample::select(EventSource::ALL.to_vec()),
            (-2i32..=2, -2i32..=2),
            any::<bool>(),
            prop::option::of(0u128..3),
            prop::sample::select(vec![0, 3600, -5 * 3600]),
            "[ab]{0,1}",
        )
            .prop_map(
                |(source, hours_ago, kind, (w, a), adversarial, person, offset, label)| Event {
                    source_id: id(source),
                    at: (now() - TimeDelta::hours(hours_ago))
                        .with_timezone(&FixedOffset::east_opt(offset).unwrap()),
                    source: kind,
                    touchpoint_kind: Some(TouchpointKind::OneOnOne),
                    person_id: person.map(|p| id(1000 + p)),
                    group: person.is_none().then_some(Group::Peer),
                    willingness: w,
                    ability: a,
                    adversarial,
                    label,
                },
            )
    }

    fn arb_events() -> impl Strategy<Value = Vec<Event>> {
        prop::collection::vec(arb_event(), 0..40)
    }

    fn arb_weight() -> impl Strategy<Value = LossWeight> {
        (10u8..=30).prop_map(|t| LossWeight::from_tenths(t).unwrap())
    }

    fn tenths(x: f64) -> i64 {
        (x * 10.0).round() as i64
    }

    proptest! {
        /// The explanation is complete: its deltas sum exactly (in tenths) to the balance, and
        /// its willingness and ability deltas to the willingness and ability balances.
        #[test]
        fn explanation_sums_to_the_balance(events in arb_events(), lw in arb_weight()) {
            let r = compute(&events, lw, now());
            let sum = |f: fn(&ExplainedEvent) -> f64| r.events.iter().map(|e| tenths(f(e))).sum::<i64>();
            prop_assert_eq!(sum(|e| e.delta), tenths(r.balance));
            prop_assert_eq!(sum(|e| e.willingness_delta), tenths(r.willingness));
            prop_assert_eq!(sum(|e| e.ability_delta), tenths(r.ability));
            let tail_30: i64 = r.events[r.events.len() - r.trend_30d_events..].iter().map(|e| tenths(e.delta)).sum();
            prop_assert_eq!(tail_30, tenths(r.trend_30d));
            let tail_90: i64 = r.events[r.events.len() - r.trend_90d_events..].iter().map(|e| tenths(e.delta)).sum();
            prop_assert_eq!(tail_90, tenths(r.trend_90d));
        }
    }

    proptest! {
        /// The summary gives exactly the numbers of the full report, from events in any order
        /// and from sorted events reduced to their ratings.
        #[test]
        fn summary_equals_the_report(events in arb_events(), lw in arb_weight()) {
            let r = compute(&events, lw, now());
            let expected = r.summary();
            prop_assert_eq!(&summary(&events, lw, now()), &expected);
            let mut sorted = events;
            sort_chronologically(&mut sorted);
            let rated: Vec<Rated> = sorted.iter().map(Rated::from).collect();
            prop_assert_eq!(&summary_of_rated(&rated, lw, now()), &expected);
            prop_assert_eq!(&compute(&sorted, lw, now()), &r);
        }
    }

    proptest! {
        /// The report depends on the set of events, never on the order they are passed in.
        #[test]
        fn order_of_input_does_not_matter(
            (events, shuffled) in arb_events().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
            lw in arb_weight(),
        ) {
            prop_assert_eq!(compute(&events, lw, now()), compute(&shuffled, lw, now()));
        }
    }

    proptest! {
        /// With a loss weight of 1.0 the balance is the plain sum of willingness + ability over
        /// the events up to now.
        #[test]
        fn weight_one_is_a_plain_sum(events in arb_events()) {
            let r = compute(&events, LossWeight::MIN, now());
            let plain: i64 = events
                .iter()
                .filter(|e| e.at.to_utc() <= now())
                .map(|e| i64::from(e.willingness + e.ability))
                .sum();
            prop_assert_eq!(tenths(r.balance), plain * 10);
        }
    }

    proptest! {
        /// The chart ends where the balance is: the last series point equals the balance (and
        /// the willingness and ability balances), and there is one point per explained event.
        #[test]
        fn last_series_point_is_the_balance(events in arb_events(), lw in arb_weight()) {
            let r = compute(&events, lw, now());
            prop_assert_eq!(r.series.len(), r.events.len());
            match r.series.last() {
                Some(p) => {
                    prop_assert_eq!(p.balance, r.balance);
                    prop_assert_eq!(p.willingness, r.willingness);
                    prop_assert_eq!(p.ability, r.ability);
                }
                None => prop_assert_eq!(r.balance, 0.0),
            }
        }
    }

    proptest! {
        /// Slipping, its reasons, its window and the fallen dimension agree with each other.
        #[test]
        fn slip_fields_agree(events in arb_events(), lw in arb_weight()) {
            let r = compute(&events, lw, now());
            prop_assert_eq!(r.slipping, !r.slip_reasons.is_empty());
            prop_assert_eq!(r.slipping, r.fallen_dimension.is_some());
            prop_assert_eq!(r.slipping, r.slip_events > 0);
            prop_assert!(r.slip_events <= r.events.len());
            if let Some(last) = r.events.last().filter(|e| e.delta > 0.0) {
                // After a deposit only that very event can still be unanswered.
                prop_assert!(last.adversarial || !r.slip_reasons.contains(&SlipReason::Adversarial));
                prop_assert!(!r.slip_reasons.contains(&SlipReason::SharpDrop));
                prop_assert!(!r.slip_reasons.contains(&SlipReason::LastThreeNegative));
            }
        }
    }
}
