//! Change initiatives: reading an initiative's page and balance, and each single change to one.

use chrono::{NaiveDate, Utc};
use tauri::State;
use touchpoint_core::balance::BalanceReport;
use touchpoint_core::initiative::TeamPageFormat;
use touchpoint_core::initiative::{
    Cadence, Concern, ConcernKind, Guideline, Initiative, InitiativeNudge, InitiativePage,
    InitiativeStatus, Measure, NewInitiative, NewMeasure, NewOutcome, Outcome, OutcomeKind,
    PlanStep, PlanStepState, Statement, StatementSide,
};
use touchpoint_core::prompts::PromptSet;
use touchpoint_core::vault::Scope;
use uuid::Uuid;

use crate::error::AppError;
use crate::files::{self, PickedFiles};
use crate::state::SessionState;

/// Every initiative, by name.
#[tauri::command(async)]
pub fn initiatives(state: State<'_, SessionState>) -> Result<Vec<Initiative>, AppError> {
    state.with_journal(|j| j.initiatives())
}

/// Everything the initiative's page shows, as of now.
#[tauri::command(async)]
pub fn initiative_page(
    state: State<'_, SessionState>,
    id: Uuid,
) -> Result<InitiativePage, AppError> {
    state.with_journal(|j| j.initiative_page(id, Utc::now()))
}

/// The initiative's balance for a person, team or group (everyone for `null`), explained.
#[tauri::command(async)]
pub fn initiative_balance(
    state: State<'_, SessionState>,
    id: Uuid,
    scope: Option<Scope>,
) -> Result<BalanceReport, AppError> {
    state.with_journal(|j| j.initiative_balance(id, scope.as_ref(), Utc::now()))
}

/// What needs attention in running initiatives today (Today's initiative nudges).
#[tauri::command(async)]
pub fn initiative_nudges(state: State<'_, SessionState>) -> Result<Vec<InitiativeNudge>, AppError> {
    state.with_journal(|j| j.initiative_nudges(Utc::now()))
}

/// The initiatives an entry is linked to.
#[tauri::command(async)]
pub fn initiatives_of_touchpoint(
    state: State<'_, SessionState>,
    touchpoint_id: Uuid,
) -> Result<Vec<Initiative>, AppError> {
    state.with_journal(|j| j.initiatives_of_touchpoint(touchpoint_id))
}

/// The prompt sets an entry's reflection asks: its kind's, its tags', then those of the
/// initiatives it is linked to (through their tags).
#[tauri::command(async)]
pub fn prompts_for_touchpoint(
    state: State<'_, SessionState>,
    touchpoint_id: Uuid,
) -> Result<Vec<PromptSet>, AppError> {
    state.with_journal(|j| j.prompts_for_touchpoint(touchpoint_id))
}

/// Records a new initiative.
#[tauri::command(async)]
pub fn add_initiative(
    state: State<'_, SessionState>,
    initiative: NewInitiative,
) -> Result<Initiative, AppError> {
    state.with_journal(|j| j.add_initiative(initiative))
}

/// Saves edits to an initiative's name, purpose, status, dates, tag, teams and people.
#[tauri::command(async)]
pub fn update_initiative(
    state: State<'_, SessionState>,
    initiative: Initiative,
) -> Result<Initiative, AppError> {
    state.with_journal(|j| j.update_initiative(&initiative))
}

/// Sets an initiative's status.
#[tauri::command(async)]
pub fn set_initiative_status(
    state: State<'_, SessionState>,
    id: Uuid,
    status: InitiativeStatus,
) -> Result<Initiative, AppError> {
    state.with_journal(|j| j.set_initiative_status(id, status))
}

/// Erases an initiative for good with what it keeps; its entries stay.
#[tauri::command(async)]
pub fn delete_initiative(state: State<'_, SessionState>, id: Uuid) -> Result<(), AppError> {
    state.with_journal(|j| j.delete_initiative(id))
}

/// Links an entry to an initiative (adding the initiative's tag to it).
#[tauri::command(async)]
pub fn link_initiative(
    state: State<'_, SessionState>,
    id: Uuid,
    touchpoint_id: Uuid,
) -> Result<(), AppError> {
    state.with_journal(|j| j.link_initiative(id, touchpoint_id))
}

/// Unlinks an entry from an initiative (refused while a concern raised in it is kept).
#[tauri::command(async)]
pub fn unlink_initiative(
    state: State<'_, SessionState>,
    id: Uuid,
    touchpoint_id: Uuid,
) -> Result<(), AppError> {
    state.with_journal(|j| j.unlink_initiative(id, touchpoint_id))
}

/// Adds a dated statement of what the tool does or does not do.
#[tauri::command(async)]
pub fn add_statement(
    state: State<'_, SessionState>,
    id: Uuid,
    side: StatementSide,
    text: String,
    said_on: Option<NaiveDate>,
) -> Result<Statement, AppError> {
    state.with_journal(|j| j.add_statement(id, side, &text, said_on))
}

/// Rewords a statement; the earlier wording stays in its history.
#[tauri::command(async)]
pub fn restate_statement(
    state: State<'_, SessionState>,
    statement_id: Uuid,
    text: String,
    said_on: Option<NaiveDate>,
) -> Result<Statement, AppError> {
    state.with_journal(|j| j.restate(statement_id, &text, said_on))
}

/// Withdraws a statement on a day, or brings it back with `null`.
#[tauri::command(async)]
pub fn withdraw_statement(
    state: State<'_, SessionState>,
    statement_id: Uuid,
    on: Option<NaiveDate>,
) -> Result<Statement, AppError> {
    state.with_journal(|j| j.withdraw_statement(statement_id, on))
}

/// Adds a guideline written with the team.
#[tauri::command(async)]
pub fn add_guideline(
    state: State<'_, SessionState>,
    id: Uuid,
    text: String,
    shaped_by: Vec<Uuid>,
    touchpoint_id: Option<Uuid>,
    agreed_on: Option<NaiveDate>,
) -> Result<Guideline, AppError> {
    state.with_journal(|j| j.add_guideline(id, &text, &shaped_by, touchpoint_id, agreed_on))
}

/// Records a win or a setback.
#[tauri::command(async)]
pub fn add_outcome(
    state: State<'_, SessionState>,
    id: Uuid,
    kind: OutcomeKind,
    outcome: NewOutcome,
) -> Result<Outcome, AppError> {
    state.with_journal(|j| j.add_outcome(id, kind, outcome))
}

/// Records a concern someone raised.
#[tauri::command(async)]
pub fn add_concern(
    state: State<'_, SessionState>,
    id: Uuid,
    kind: ConcernKind,
    person_id: Uuid,
    text: String,
    touchpoint_id: Option<Uuid>,
) -> Result<Concern, AppError> {
    state.with_journal(|j| j.add_concern(id, kind, person_id, &text, touchpoint_id))
}

/// Answers a concern.
#[tauri::command(async)]
pub fn answer_concern(
    state: State<'_, SessionState>,
    concern_id: Uuid,
    answer: String,
) -> Result<Concern, AppError> {
    state.with_journal(|j| j.answer_concern(concern_id, &answer, Utc::now()))
}

/// Reopens an answered concern.
#[tauri::command(async)]
pub fn reopen_concern(
    state: State<'_, SessionState>,
    concern_id: Uuid,
) -> Result<Concern, AppError> {
    state.with_journal(|j| j.reopen_concern(concern_id))
}

/// Plans a step of the five: its cadence (or `null` to unplan), training hours, from when.
#[tauri::command(async)]
pub fn plan_step(
    state: State<'_, SessionState>,
    id: Uuid,
    step: PlanStep,
    cadence: Option<Cadence>,
    hours_per_month: Option<u32>,
    since: Option<NaiveDate>,
) -> Result<PlanStepState, AppError> {
    state.with_journal(|j| j.plan_step(id, step, cadence, hours_per_month, since))
}

/// Counts an entry towards a step (linking it to the initiative too).
#[tauri::command(async)]
pub fn mark_step(
    state: State<'_, SessionState>,
    id: Uuid,
    step: PlanStep,
    touchpoint_id: Uuid,
) -> Result<(), AppError> {
    state.with_journal(|j| j.mark_step(id, step, touchpoint_id))
}

/// Stops counting an entry towards a step.
#[tauri::command(async)]
pub fn unmark_step(
    state: State<'_, SessionState>,
    id: Uuid,
    step: PlanStep,
    touchpoint_id: Uuid,
) -> Result<(), AppError> {
    state.with_journal(|j| j.unmark_step(id, step, touchpoint_id))
}

/// Records a reading of satisfaction, collaboration, quality and confidence.
#[tauri::command(async)]
pub fn add_measure(
    state: State<'_, SessionState>,
    id: Uuid,
    measure: NewMeasure,
) -> Result<Measure, AppError> {
    state.with_journal(|j| j.add_measure(id, measure))
}

/// Writes the initiative's page for the team to a file the leader picked (never private
/// entries, ratings, balances, measures, concerns or reflections).
#[tauri::command(async)]
pub fn export_team_page(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    id: Uuid,
    format: TeamPageFormat,
    path: String,
) -> Result<(), AppError> {
    state.with_journal(|j| {
        let target = picked.check_writable(&path, j)?;
        files::write_text(&target, &j.initiative_team_page(id, format, Utc::now())?)
    })
}
