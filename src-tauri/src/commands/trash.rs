//! The trash: what it holds, restoring, erasing one item now, and emptying it.

use tauri::State;
use touchpoint_core::vault::{Erased, Trash};
use uuid::Uuid;

use crate::error::AppError;
use crate::state::SessionState;

/// Everything in the trash, with when each item is erased for good and what goes with it.
#[tauri::command(async)]
pub fn trash(state: State<'_, SessionState>) -> Result<Trash, AppError> {
    state.with_journal(|j| j.trash())
}

/// Brings a person back from the trash.
#[tauri::command(async)]
pub fn restore_person(state: State<'_, SessionState>, id: Uuid) -> Result<(), AppError> {
    state.with_journal(|j| j.restore_person(id))
}

/// Brings an entry back from the trash.
#[tauri::command(async)]
pub fn restore_touchpoint(state: State<'_, SessionState>, id: Uuid) -> Result<(), AppError> {
    state.with_journal(|j| j.restore_touchpoint(id))
}

/// Erases an entry for good now, with its reflections and comments.
#[tauri::command(async)]
pub fn erase_touchpoint(state: State<'_, SessionState>, id: Uuid) -> Result<Erased, AppError> {
    state.with_journal(|j| j.erase_touchpoint(id))
}

/// Erases everything in the trash now.
#[tauri::command(async)]
pub fn empty_trash(state: State<'_, SessionState>) -> Result<Erased, AppError> {
    state.with_journal(|j| j.empty_trash())
}
