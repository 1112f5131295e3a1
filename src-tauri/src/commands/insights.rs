//! The Trust Balance read out: Today, the overview, one relationship, one balance with its explanation.

use chrono::Utc;
use tauri::State;
use touchpoint_core::balance::{BalanceReport, BalanceSummary};
use touchpoint_core::vault::{PersonOverview, Scope, Today};
use uuid::Uuid;

use crate::error::AppError;
use crate::state::SessionState;

/// Drafts to reflect on, overdue one-on-ones, commitments due, slipping relationships.
#[tauri::command(async)]
pub fn today(state: State<'_, SessionState>) -> Result<Today, AppError> {
    state.with_journal(|j| j.today(Utc::now()))
}

/// Every relationship at a glance.
#[tauri::command(async)]
pub fn overview(state: State<'_, SessionState>) -> Result<Vec<PersonOverview>, AppError> {
    state.with_journal(|j| j.overview(Utc::now()))
}

/// One relationship at a glance.
#[tauri::command(async)]
pub fn person_overview(
    state: State<'_, SessionState>,
    id: Uuid,
) -> Result<PersonOverview, AppError> {
    state.with_journal(|j| j.person_overview(id, Utc::now()))
}

/// The numbers of a person's, team's or group's balance, without the explanation.
#[tauri::command(async)]
pub fn balance_summary(
    state: State<'_, SessionState>,
    scope: Scope,
) -> Result<BalanceSummary, AppError> {
    state.with_journal(|j| j.balance_summary(&scope, Utc::now()))
}

/// The balance of a person, team or group, with the events that explain it.
#[tauri::command(async)]
pub fn balance(state: State<'_, SessionState>, scope: Scope) -> Result<BalanceReport, AppError> {
    state.with_journal(|j| j.balance(&scope, Utc::now()))
}
