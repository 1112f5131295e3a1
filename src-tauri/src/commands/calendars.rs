//! Linked calendar files: list, link (a file picked in a dialog this run), unlink and sync now.

use std::path::Path;

use chrono::Utc;
use tauri::State;
use touchpoint_core::exchange;
use touchpoint_core::vault::LinkedCalendar;

use crate::calendars::CalendarWatch;
use crate::error::AppError;
use crate::files::PickedFiles;
use crate::state::SessionState;

/// The linked calendar files with what their last sync found.
#[tauri::command(async)]
pub fn linked_calendars(state: State<'_, SessionState>) -> Result<Vec<LinkedCalendar>, AppError> {
    state.with_journal(|j| j.linked_calendars())
}

/// Links a calendar file the leader picked in a dialog this run and imports it at once;
/// refused for a file not picked, missing, or not a calendar. Its folder is watched from now on.
#[tauri::command(async)]
pub fn link_calendar(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    watch: State<'_, CalendarWatch>,
    path: String,
) -> Result<LinkedCalendar, AppError> {
    let path = picked.check(&path)?;
    let linked = state.with_journal(|j| exchange::link_calendar(j, &path, Utc::now()))?;
    watch.relinked();
    Ok(linked)
}

/// Stops syncing a linked file; the meetings it brought in stay.
#[tauri::command(async)]
pub fn unlink_calendar(
    state: State<'_, SessionState>,
    watch: State<'_, CalendarWatch>,
    path: String,
) -> Result<(), AppError> {
    state.with_journal(|j| j.unlink_calendar(Path::new(&path)))?;
    watch.relinked();
    Ok(())
}

/// Syncs every linked file now; a missing or broken file is a status on its link.
#[tauri::command(async)]
pub fn sync_calendars(state: State<'_, SessionState>) -> Result<Vec<LinkedCalendar>, AppError> {
    state.with_journal(|j| exchange::sync_calendars(j, Utc::now()))
}
