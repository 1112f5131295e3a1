//! People and teams, what the leader promised them, and the topics they raised.

use chrono::{NaiveDate, Utc};
use tauri::State;
use touchpoint_core::model::{Commitment, CommitmentStatus, NewPerson, OpenTopic, Person, Team};
use touchpoint_core::vault::Erased;
use uuid::Uuid;

use crate::error::AppError;
use crate::state::SessionState;

/// Everyone, archived people too when asked.
#[tauri::command(async)]
pub fn people(
    state: State<'_, SessionState>,
    include_archived: bool,
) -> Result<Vec<Person>, AppError> {
    state.with_journal(|j| j.people(include_archived))
}

/// The teams and their members.
#[tauri::command(async)]
pub fn teams(state: State<'_, SessionState>) -> Result<Vec<Team>, AppError> {
    state.with_journal(|j| j.teams())
}

/// Adds a person.
#[tauri::command(async)]
pub fn add_person(state: State<'_, SessionState>, person: NewPerson) -> Result<Person, AppError> {
    state.with_journal(|j| j.add_person(person))
}

/// Saves changes to a person.
#[tauri::command(async)]
pub fn update_person(state: State<'_, SessionState>, person: Person) -> Result<Person, AppError> {
    state.with_journal(|j| j.update_person(&person))
}

/// Moves a person to the trash (kept 30 days).
#[tauri::command(async)]
pub fn trash_person(state: State<'_, SessionState>, id: Uuid) -> Result<(), AppError> {
    state.with_journal(|j| j.trash_person(id, Utc::now()))
}

/// Erases a person and everything written about them, search index included (in the trash or
/// not); answers what went.
#[tauri::command(async)]
pub fn erase_person(state: State<'_, SessionState>, id: Uuid) -> Result<Erased, AppError> {
    state.with_journal(|j| j.erase_person(id))
}

/// Commitments, of one person or everyone, open ones only when asked.
#[tauri::command(async)]
pub fn commitments(
    state: State<'_, SessionState>,
    person_id: Option<Uuid>,
    open_only: bool,
) -> Result<Vec<Commitment>, AppError> {
    state.with_journal(|j| j.commitments(person_id, open_only))
}

/// Records a promise made to a person.
#[tauri::command(async)]
pub fn add_commitment(
    state: State<'_, SessionState>,
    person_id: Uuid,
    what: String,
    due: Option<NaiveDate>,
    touchpoint_id: Option<Uuid>,
) -> Result<Commitment, AppError> {
    state.with_journal(|j| j.add_commitment(person_id, &what, due, touchpoint_id))
}

/// Marks a promise kept, broken or renegotiated (or open again).
#[tauri::command(async)]
pub fn resolve_commitment(
    state: State<'_, SessionState>,
    id: Uuid,
    status: CommitmentStatus,
) -> Result<Commitment, AppError> {
    state.with_journal(|j| j.resolve_commitment(id, status, Utc::now()))
}

/// Open topics, of one person or everyone.
#[tauri::command(async)]
pub fn topics(
    state: State<'_, SessionState>,
    person_id: Option<Uuid>,
    open_only: bool,
) -> Result<Vec<OpenTopic>, AppError> {
    state.with_journal(|j| j.topics(person_id, open_only))
}

/// Records something a person raised that is not settled yet.
#[tauri::command(async)]
pub fn add_topic(
    state: State<'_, SessionState>,
    person_id: Uuid,
    text: String,
    touchpoint_id: Option<Uuid>,
) -> Result<OpenTopic, AppError> {
    state.with_journal(|j| j.add_topic(person_id, &text, touchpoint_id))
}

/// Closes (or reopens) a topic.
#[tauri::command(async)]
pub fn close_topic(
    state: State<'_, SessionState>,
    id: Uuid,
    closed: bool,
) -> Result<OpenTopic, AppError> {
    state.with_journal(|j| j.close_topic(id, closed))
}
