//! The unsaved form kept inside the journal, and typing that counts as activity, so nothing
//! typed is lost to an auto-lock.

use tauri::State;
use touchpoint_core::vault::FormDraft;

use crate::error::AppError;
use crate::state::SessionState;

/// The unsaved form kept before the last lock, if any, to offer after unlock.
#[tauri::command(async)]
pub fn form_draft(state: State<'_, SessionState>) -> Result<Option<FormDraft>, AppError> {
    state.with_journal(|j| j.form_draft())
}

/// Keeps the form being typed as the one unsaved draft (the UI sends it a moment after the
/// leader stops typing, not on every key).
#[tauri::command(async)]
pub fn save_form_draft(state: State<'_, SessionState>, draft: FormDraft) -> Result<(), AppError> {
    state.with_journal(|j| j.save_form_draft(&draft))
}

/// Forgets the unsaved form: it was saved, or the leader discarded it.
#[tauri::command(async)]
pub fn discard_form_draft(state: State<'_, SessionState>) -> Result<(), AppError> {
    state.with_journal(|j| j.discard_form_draft())
}

/// The leader is typing or pointing in the window: restarts the idle clock of the auto-lock.
/// The UI sends it at most every few seconds, never per key.
#[tauri::command(async)]
pub fn note_activity(state: State<'_, SessionState>) -> Result<(), AppError> {
    state.with_journal(|_| Ok::<_, AppError>(()))
}
