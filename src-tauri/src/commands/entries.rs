//! Touchpoints and reflections: capture, edit, read back, list and search.

use chrono::Utc;
use tauri::State;
use touchpoint_core::model::{NewTouchpoint, Touchpoint, TouchpointDetail};
use touchpoint_core::vault::{
    ReflectionForm, SavedReflection, SearchHit, SearchMode, TimelineFilter, TimelineItem,
};
use uuid::Uuid;

use crate::error::AppError;
use crate::state::SessionState;

/// Logs a touchpoint, linked to the given initiatives (with their tags) in the same
/// transaction: an unknown initiative records nothing.
#[tauri::command(async)]
pub fn add_touchpoint(
    state: State<'_, SessionState>,
    touchpoint: NewTouchpoint,
    initiatives: Option<Vec<Uuid>>,
) -> Result<Touchpoint, AppError> {
    state.with_journal(|j| match initiatives.as_deref() {
        None | Some([]) => j.add_touchpoint(touchpoint),
        Some(ids) => j
            .add_touchpoint_to_initiatives(touchpoint, Vec::new(), ids)
            .map(|(t, _)| t),
    })
}

/// Saves changes to a touchpoint.
#[tauri::command(async)]
pub fn update_touchpoint(
    state: State<'_, SessionState>,
    touchpoint: Touchpoint,
) -> Result<Touchpoint, AppError> {
    state.with_journal(|j| j.update_touchpoint(&touchpoint))
}

/// A touchpoint with its reflections, commitments, topics and annotations.
#[tauri::command(async)]
pub fn touchpoint_detail(
    state: State<'_, SessionState>,
    id: Uuid,
) -> Result<TouchpointDetail, AppError> {
    state.with_journal(|j| j.touchpoint_detail(id))
}

/// Moves a touchpoint to the trash (kept 30 days).
#[tauri::command(async)]
pub fn trash_touchpoint(state: State<'_, SessionState>, id: Uuid) -> Result<(), AppError> {
    state.with_journal(|j| j.trash_touchpoint(id, Utc::now()))
}

/// Saves the whole reflection form (every side, its commitments and topics, a decision's
/// group impacts) in one transaction; saving the same form again adds nothing.
#[tauri::command(async)]
pub fn save_reflection(
    state: State<'_, SessionState>,
    form: ReflectionForm,
) -> Result<SavedReflection, AppError> {
    state.with_journal(|j| j.save_reflection(form))
}

/// One page of the timeline, newest first.
#[tauri::command(async)]
pub fn timeline(
    state: State<'_, SessionState>,
    filter: TimelineFilter,
) -> Result<Vec<TimelineItem>, AppError> {
    state.with_journal(|j| j.timeline(&filter))
}

/// Full-text search over notes, reflections and commitments.
#[tauri::command(async)]
pub fn search(
    state: State<'_, SessionState>,
    query: String,
    mode: SearchMode,
    limit: u32,
) -> Result<Vec<SearchHit>, AppError> {
    state.with_journal(|j| j.search(&query, mode, limit))
}

/// Every tag with the number of touchpoints carrying it.
#[tauri::command(async)]
pub fn tags(state: State<'_, SessionState>) -> Result<Vec<(String, u32)>, AppError> {
    state.with_journal(|j| j.tags())
}
