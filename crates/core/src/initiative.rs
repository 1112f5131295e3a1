//! Change initiatives (an AI roll-out, say): what the leader promised, what the team feared and
//! won, the five practices as a plan, and the rules that check them; storage is in the vault.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::balance::{BalanceReport, BalanceSummary};
use crate::model::{name_enum, Moment};
use crate::vault::PersonRef;

name_enum! {
    /// Where an initiative stands.
    InitiativeStatus {
        /// Announced or prepared, not started.
        Planned => "planned",
        /// Under way.
        Running => "running",
        /// Stopped for now.
        Paused => "paused",
        /// Finished.
        Done => "done",
    }
}

name_enum! {
    /// Which list a statement belongs to: what the tool does, or what it does not do.
    StatementSide {
        /// What the tool does.
        Does => "does",
        /// What the tool does not do (and will not be used for).
        DoesNot => "does_not",
    }
}

name_enum! {
    /// What a concern someone raised is about.
    ConcernKind {
        /// Fear of being replaced by the tool.
        Replacement => "replacement",
        /// The purpose of the change is unclear.
        Purpose => "purpose",
        /// They were not consulted.
        Consulted => "consulted",
        /// More work, not less.
        Workload => "workload",
        /// Lacking the skills the tool asks for.
        Skills => "skills",
        /// The change is unfair to some.
        Fairness => "fairness",
        /// What the tool sees or keeps about them.
        Privacy => "privacy",
        /// Anything else.
        Other => "other",
    }
}

name_enum! {
    /// A win or a setback of the initiative.
    OutcomeKind {
        /// Something the tool helped with.
        Win => "win",
        /// Something that went wrong.
        Setback => "setback",
    }
}

name_enum! {
    /// The five practices of a change that keeps trust, as steps of a plan.
    PlanStep {
        /// A shared record of what the tool contributed, failures included.
        ContributionRecord => "contribution_record",
        /// Regular protected time to explore the tool without pressure.
        Exploration => "exploration",
        /// Guidelines for the tool's use written together with the team.
        Guidelines => "guidelines",
        /// Success measured by more than efficiency.
        Measures => "measures",
        /// Training time every month, and wins reviewed and celebrated.
        Training => "training",
    }
}

name_enum! {
    /// How often a step of the plan is to be held.
    Cadence {
        /// Every calendar week (Monday to Sunday).
        Weekly => "weekly",
        /// Every calendar month.
        Monthly => "monthly",
    }
}

name_enum! {
    /// How a period of a plan step went.
    PeriodMark {
        /// A linked entry falls in it.
        Held => "held",
        /// It is over and no linked entry falls in it.
        Missed => "missed",
        /// It is the current period and nothing is linked yet.
        Pending => "pending",
    }
}

name_enum! {
    /// The form of the page the leader shares with the team.
    TeamPageFormat {
        /// One self-contained, printable HTML file.
        Html => "html",
        /// Markdown.
        Markdown => "markdown",
    }
}

/// Why an initiative change was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitiativeError {
    /// A required text is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A text is too long.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        /// Which text.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// Another initiative has the name.
    #[error("there is already an initiative called {0:?}")]
    NameTaken(String),
    /// A reading is outside -2..=+2.
    #[error("{what} must be between -2 and 2, got {value}")]
    OutOfRange {
        /// Which reading.
        what: &'static str,
        /// The value given.
        value: i32,
    },
    /// The review date comes before the start.
    #[error("the review date {review} is before the start {start}")]
    ReviewBeforeStart {
        /// Start date.
        start: NaiveDate,
        /// Review date.
        review: NaiveDate,
    },
    /// A person named is in the trash.
    #[error("{0} is in the trash; restore them first")]
    PersonTrashed(String),
    /// A team named does not exist.
    #[error("no team called {0:?}")]
    NoSuchTeam(String),
    /// A concern names an entry that is not linked to the initiative.
    #[error("the entry {0} is not linked to this initiative; link it first")]
    NotLinked(Uuid),
    /// An entry cannot be unlinked while a concern raised in it belongs to the initiative.
    #[error("a concern was raised in the entry {0}; it stays linked while the concern is kept")]
    HasConcerns(Uuid),
    /// Training hours per month are out of range.
    #[error("training hours per month must be between 1 and 200, got {0}")]
    Hours(u32),
    /// A statement was withdrawn and can no longer be reworded.
    #[error("the statement was withdrawn on {0}; add a new one instead")]
    Withdrawn(NaiveDate),
    /// A cadence was given for a step whose held/missed marks need one, or hours without training.
    #[error("{0}")]
    Plan(&'static str),
    /// Every entry linked to the initiative is private, so it has no page for the team.
    #[error("every entry linked to this initiative is private; its page for the team would rest on private entries")]
    OnlyPrivate,
}

impl From<InitiativeError> for crate::Error {
    fn from(e: InitiativeError) -> Self {
        match e {
            InitiativeError::NoSuchTeam(_) => crate::Error::NotFound(e.to_string()),
            other => crate::Error::InvalidInput(other.to_string()),
        }
    }
}

/// The most characters of an initiative's name.
pub const NAME_MAX: usize = 120;
/// The most characters of any other initiative text.
pub const TEXT_MAX: usize = 2000;

/// Trims `text` and checks it is neither empty nor longer than `max`.
pub fn clean(text: &str, what: &'static str, max: usize) -> Result<String, InitiativeError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InitiativeError::Empty(what));
    }
    if text.chars().count() > max {
        return Err(InitiativeError::TooLong { what, max });
    }
    Ok(text.to_string())
}

/// Trims an optional text (empty is allowed) and checks its length.
pub fn clean_optional(text: &str, what: &'static str) -> Result<String, InitiativeError> {
    let text = text.trim();
    if text.chars().count() > TEXT_MAX {
        return Err(InitiativeError::TooLong {
            what,
            max: TEXT_MAX,
        });
    }
    Ok(text.to_string())
}

/// Checks a measure's reading is in -2..=+2.
pub fn check_reading(what: &'static str, value: i32) -> Result<(), InitiativeError> {
    if (-2..=2).contains(&value) {
        Ok(())
    } else {
        Err(InitiativeError::OutOfRange { what, value })
    }
}

/// A change the leader is leading the team through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Initiative {
    /// Identifier.
    pub id: Uuid,
    /// Name, unique among initiatives.
    pub name: String,
    /// Its purpose in a sentence.
    pub purpose: String,
    /// Where it stands.
    pub status: InitiativeStatus,
    /// When it starts (or started).
    pub starts_on: Option<NaiveDate>,
    /// When the leader means to review it with the team.
    pub review_on: Option<NaiveDate>,
    /// The tag linking an entry adds to it (for its prompts and the timeline's filter), if any.
    pub tag: Option<String>,
    /// Names of the teams it affects.
    pub teams: Vec<String>,
    /// People it affects beyond those teams.
    pub people: Vec<PersonRef>,
    /// When it was recorded.
    pub created_at: Moment,
}

/// What a new initiative is made of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewInitiative {
    /// Name.
    pub name: String,
    /// Purpose in a sentence.
    #[serde(default)]
    pub purpose: String,
    /// Status; planned when left out.
    #[serde(default)]
    pub status: Option<InitiativeStatus>,
    /// Start date.
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    /// Review date.
    #[serde(default)]
    pub review_on: Option<NaiveDate>,
    /// The tag linking adds; `ai-rollout` when left out, none when empty.
    #[serde(default)]
    pub tag: Option<String>,
    /// Names of the teams it affects (existing teams).
    #[serde(default)]
    pub teams: Vec<String>,
    /// Ids of the people it affects.
    #[serde(default)]
    pub people: Vec<Uuid>,
}

/// The built-in tag of AI roll-outs, whose prompts ask about fear, clarity, involvement and wins.
pub const DEFAULT_TAG: &str = "ai-rollout";

/// One wording of a statement, with the day the team was told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementVersion {
    /// The words.
    pub text: String,
    /// When the team was told.
    pub said_on: NaiveDate,
    /// When the leader recorded it.
    pub recorded_at: Moment,
}

/// A statement of what the tool does or does not do, with every earlier wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Statement {
    /// Identifier.
    pub id: Uuid,
    /// Does or does not.
    pub side: StatementSide,
    /// The current words.
    pub text: String,
    /// When the team was told the current words.
    pub said_on: NaiveDate,
    /// When it was withdrawn, if it was.
    pub withdrawn_on: Option<NaiveDate>,
    /// Every wording, oldest first (the last is the current one).
    pub history: Vec<StatementVersion>,
}

/// A guideline for the tool's use, written with the team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Guideline {
    /// Identifier.
    pub id: Uuid,
    /// The guideline.
    pub text: String,
    /// The people who shaped it.
    pub shaped_by: Vec<PersonRef>,
    /// The entry where it was agreed, if any.
    pub touchpoint_id: Option<Uuid>,
    /// When it was agreed.
    pub agreed_on: NaiveDate,
}

/// A win or a setback, with its lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Outcome {
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
    /// Who benefited (a win) or was hurt (a setback).
    pub people: Vec<PersonRef>,
    /// Entries it is linked to.
    pub touchpoints: Vec<Uuid>,
}

/// What a new win or setback is made of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewOutcome {
    /// When it happened; today when left out.
    #[serde(default)]
    pub happened_on: Option<NaiveDate>,
    /// What happened.
    pub what: String,
    /// What was learnt (required for a setback).
    #[serde(default)]
    pub lesson: String,
    /// Who benefited or was hurt.
    #[serde(default)]
    pub people: Vec<Uuid>,
    /// Entries it is linked to.
    #[serde(default)]
    pub touchpoints: Vec<Uuid>,
}

/// A concern someone raised; open until answered, like a commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Concern {
    /// Identifier.
    pub id: Uuid,
    /// What it is about.
    pub kind: ConcernKind,
    /// Who raised it.
    pub person: PersonRef,
    /// The entry where it was raised, if any (linked to the initiative).
    pub touchpoint_id: Option<Uuid>,
    /// The concern in the leader's words.
    pub text: String,
    /// When it was recorded.
    pub raised_at: Moment,
    /// Whether it has been answered.
    pub answered: bool,
    /// How it was answered.
    pub answer: Option<String>,
    /// When it was answered.
    pub answered_at: Option<Moment>,
}

/// One period of a plan step and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanPeriod {
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Held, missed, or pending (the current one).
    pub mark: PeriodMark,
    /// Linked entries that fall in it.
    pub entries: u32,
}

/// A step of the plan with its periods marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanStepState {
    /// Which practice.
    pub step: PlanStep,
    /// How often it is to be held; `None` when not planned yet.
    pub cadence: Option<Cadence>,
    /// Training hours per month (the training step only).
    pub hours_per_month: Option<u32>,
    /// From when the cadence counts.
    pub since: Option<NaiveDate>,
    /// Entries linked to the step.
    pub touchpoints: Vec<Uuid>,
    /// Every period from `since` to today, oldest first.
    pub periods: Vec<PlanPeriod>,
    /// Periods held.
    pub held: u32,
    /// Periods missed.
    pub missed: u32,
}

/// A reading, from the team's side as the leader sees it, of what efficiency leaves out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Measure {
    /// Identifier.
    pub id: Uuid,
    /// The day of the reading.
    pub taken_on: NaiveDate,
    /// How satisfied the team is with their work (-2..=+2).
    pub satisfaction: i32,
    /// How well they work together (-2..=+2).
    pub collaboration: i32,
    /// The quality of their work (-2..=+2).
    pub quality: i32,
    /// Their confidence with the tool (-2..=+2).
    pub confidence: i32,
    /// What the leader noticed.
    pub note: String,
}

/// What a new reading is made of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewMeasure {
    /// The day; today when left out.
    #[serde(default)]
    pub taken_on: Option<NaiveDate>,
    /// Satisfaction.
    pub satisfaction: i32,
    /// Collaboration.
    pub collaboration: i32,
    /// Quality of work.
    pub quality: i32,
    /// Confidence with the tool.
    pub confidence: i32,
    /// A note.
    #[serde(default)]
    pub note: String,
}

impl NewMeasure {
    /// Checks every reading is in -2..=+2.
    pub fn validate(&self) -> Result<(), InitiativeError> {
        check_reading("satisfaction", self.satisfaction)?;
        check_reading("collaboration", self.collaboration)?;
        check_reading("quality", self.quality)?;
        check_reading("confidence", self.confidence)
    }
}

/// An entry linked to an initiative, as its page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LinkedEntry {
    /// The entry.
    pub id: Uuid,
    /// When it happened.
    pub occurred_at: Moment,
    /// Its title.
    pub title: String,
    /// Whether it is private (never exported, never on the team page).
    pub private: bool,
}

/// The balance of one person or team within an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InitiativeShare {
    /// The person (for a team: `None`).
    pub person: Option<PersonRef>,
    /// The team's name (for a person: `None`).
    pub team: Option<String>,
    /// The numbers, from the initiative's entries only.
    pub summary: BalanceSummary,
}

/// The initiative's Trust Balance: the events of its linked entries only, by the same rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InitiativeBalance {
    /// Every event of the linked entries, with its explanation.
    pub total: BalanceReport,
    /// Per person with events in the linked entries (or affected), by name.
    pub people: Vec<InitiativeShare>,
    /// Per affected team.
    pub teams: Vec<InitiativeShare>,
}

/// Everything the initiative's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InitiativePage {
    /// The initiative.
    pub initiative: Initiative,
    /// Statements of what the tool does and does not do, withdrawn ones included.
    pub statements: Vec<Statement>,
    /// Guidelines, oldest first.
    pub guidelines: Vec<Guideline>,
    /// Concerns, open ones first, then by when they were raised.
    pub concerns: Vec<Concern>,
    /// Wins and setbacks, oldest first.
    pub outcomes: Vec<Outcome>,
    /// The five steps, in order.
    pub plan: Vec<PlanStepState>,
    /// Readings, oldest first.
    pub measures: Vec<Measure>,
    /// Linked entries, oldest first.
    pub entries: Vec<LinkedEntry>,
    /// Its Trust Balance.
    pub balance: InitiativeBalance,
}

/// Days an open concern waits before Today reminds the leader of it.
pub const CONCERN_NUDGE_DAYS: i64 = 14;
/// Days without a win or a lesson recorded before Today asks for one.
pub const QUIET_NUDGE_DAYS: i64 = 30;

/// An initiative by id and name, for lists that point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InitiativeRef {
    /// Identifier.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// Something about a running initiative that needs the leader's attention today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum InitiativeNudge {
    /// A concern open for more than [`CONCERN_NUDGE_DAYS`] days.
    ConcernWaiting {
        /// Which initiative.
        initiative: InitiativeRef,
        /// The concern.
        concern: Concern,
        /// Days since it was raised.
        days: u32,
    },
    /// No win or setback (with its lesson) recorded in [`QUIET_NUDGE_DAYS`] days.
    NothingLearnt {
        /// Which initiative.
        initiative: InitiativeRef,
        /// When the last one happened, if any.
        last: Option<NaiveDate>,
        /// Days since the last one (or since the start).
        days: u32,
    },
    /// The last finished period of exploration or training time passed without a session.
    SlotMissed {
        /// Which initiative.
        initiative: InitiativeRef,
        /// Exploration or training.
        step: PlanStep,
        /// The period missed.
        period: PlanPeriod,
    },
    /// The initiative's balance is slipping with someone.
    Slipping {
        /// Which initiative.
        initiative: InitiativeRef,
        /// With whom.
        person: PersonRef,
        /// Why, by the engine's rules.
        reasons: Vec<crate::balance::SlipReason>,
    },
}

/// The first day of the period of `cadence` that holds `day`.
pub fn period_start(cadence: Cadence, day: NaiveDate) -> NaiveDate {
    match cadence {
        Cadence::Weekly => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
        Cadence::Monthly => day.with_day(1).expect("every month has a first day"),
    }
}

fn next_period(cadence: Cadence, start: NaiveDate) -> NaiveDate {
    match cadence {
        Cadence::Weekly => start + Days::new(7),
        Cadence::Monthly => start + Months::new(1),
    }
}

/// Marks each period of `cadence` from the one holding `since` to the one holding `today`:
/// held when one of `days` (the linked entries' dates) falls in it, pending for the current
/// period when none does yet, missed otherwise. Nothing before `since` or after `today` counts.
pub fn mark_periods(
    cadence: Cadence,
    since: NaiveDate,
    today: NaiveDate,
    days: &[NaiveDate],
) -> Vec<PlanPeriod> {
    let mut out = Vec::new();
    if since > today {
        return out;
    }
    let mut start = period_start(cadence, since);
    while start <= today {
        let next = next_period(cadence, start);
        let ends_on = next.pred_opt().expect("a day before");
        let entries = days
            .iter()
            .filter(|d| **d >= start.max(since) && **d <= ends_on.min(today))
            .count() as u32;
        let current = ends_on >= today;
        let mark = match (entries > 0, current) {
            (true, _) => PeriodMark::Held,
            (false, true) => PeriodMark::Pending,
            (false, false) => PeriodMark::Missed,
        };
        out.push(PlanPeriod {
            starts_on: start,
            ends_on,
            mark,
            entries,
        });
        start = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn weekly_periods_are_held_missed_or_pending() {
        // 2026-11-02 is a Monday.
        let marks = mark_periods(
            Cadence::Weekly,
            d("2026-11-04"),
            d("2026-11-25"),
            &[d("2026-11-06"), d("2026-11-24"), d("2026-10-30")],
        );
        let got: Vec<_> = marks.iter().map(|p| (p.starts_on, p.mark)).collect();
        assert_eq!(
            got,
            vec![
                (d("2026-11-02"), PeriodMark::Held),
                (d("2026-11-09"), PeriodMark::Missed),
                (d("2026-11-16"), PeriodMark::Missed),
                (d("2026-11-23"), PeriodMark::Held),
            ],
            "an entry before `since` does not hold the first week"
        );
    }

    #[test]
    fn the_current_month_without_an_entry_is_pending_not_missed() {
        let marks = mark_periods(Cadence::Monthly, d("2026-10-15"), d("2026-12-03"), &[]);
        let got: Vec<_> = marks.iter().map(|p| p.mark).collect();
        assert_eq!(
            got,
            vec![PeriodMark::Missed, PeriodMark::Missed, PeriodMark::Pending]
        );
        assert_eq!(marks[1].ends_on, d("2026-11-30"));
        assert!(mark_periods(Cadence::Monthly, d("2027-01-01"), d("2026-12-03"), &[]).is_empty());
    }

    #[test]
    fn readings_outside_minus_two_to_two_are_refused_by_name() {
        let m = NewMeasure {
            satisfaction: 1,
            collaboration: 0,
            quality: 3,
            confidence: -2,
            ..NewMeasure::default()
        };
        assert_eq!(
            m.validate(),
            Err(InitiativeError::OutOfRange {
                what: "quality",
                value: 3
            })
        );
        assert_eq!(
            clean("  ", "the name", NAME_MAX),
            Err(InitiativeError::Empty("the name"))
        );
    }
}
