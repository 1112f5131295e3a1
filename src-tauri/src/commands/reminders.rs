//! The reminder the leader clicked: which meeting's reflection to open, once unlocked.

use tauri::State;
use uuid::Uuid;

use crate::error::AppError;
use crate::reminders::ReminderClicks;
use crate::state::SessionState;

/// The meeting of the reminder clicked last, taken so it opens once; `null` when none was
/// clicked or the meeting is gone (trashed or erased) since. The UI asks after unlock and when
/// it hears `reminder-clicked`.
#[tauri::command(async)]
pub fn take_reminder_open(
    state: State<'_, SessionState>,
    clicks: State<'_, ReminderClicks>,
) -> Result<Option<Uuid>, AppError> {
    state.with_journal(|j| Ok::<_, AppError>(clicks.take(j)))
}
