//! The prompt library: the sets to ask after a touchpoint, the recalibrate sets, editing and exchange.

use tauri::State;
use touchpoint_core::balance::Dimension;
use touchpoint_core::model::TouchpointKind;
use touchpoint_core::prompts::{self, PromptSet};
use uuid::Uuid;

use crate::error::AppError;
use crate::files::{self, PickedFiles};
use crate::state::SessionState;

/// The sets to ask for a touchpoint: the kind's set, then one per matching tag.
#[tauri::command(async)]
pub fn prompts_for(
    state: State<'_, SessionState>,
    kind: TouchpointKind,
    tags: Vec<String>,
) -> Result<Vec<PromptSet>, AppError> {
    state.with_journal(|j| {
        let sets = j.prompt_sets()?;
        Ok::<_, AppError>(
            prompts::sets_for(&sets, kind, &tags)
                .into_iter()
                .cloned()
                .collect(),
        )
    })
}

/// The recalibrate set for the trust dimension that fell, if the library has one.
#[tauri::command(async)]
pub fn recalibrate_prompts(
    state: State<'_, SessionState>,
    dimension: Dimension,
) -> Result<Option<PromptSet>, AppError> {
    let dimension = match dimension {
        Dimension::Willingness => "willingness",
        Dimension::Ability => "ability",
    };
    state.with_journal(|j| {
        let sets = j.prompt_sets()?;
        Ok::<_, AppError>(prompts::recalibrate_set(&sets, dimension).cloned())
    })
}

/// The whole library: built-in sets, then the leader's own.
#[tauri::command(async)]
pub fn prompt_sets(state: State<'_, SessionState>) -> Result<Vec<PromptSet>, AppError> {
    state.with_journal(|j| j.prompt_sets())
}

/// Saves one of the leader's sets (a built-in set becomes an editable copy).
#[tauri::command(async)]
pub fn save_prompt_set(
    state: State<'_, SessionState>,
    set: PromptSet,
) -> Result<PromptSet, AppError> {
    state.with_journal(|j| j.save_prompt_set(&set))
}

/// Deletes one of the leader's sets.
#[tauri::command(async)]
pub fn delete_prompt_set(state: State<'_, SessionState>, id: Uuid) -> Result<(), AppError> {
    state.with_journal(|j| j.delete_prompt_set(id))
}

/// Saves the order of the leader's sets.
#[tauri::command(async)]
pub fn reorder_prompt_sets(state: State<'_, SessionState>, ids: Vec<Uuid>) -> Result<(), AppError> {
    state.with_journal(|j| j.reorder_prompt_sets(&ids))
}

/// Imports a prompt file the leader picked: all of its sets, or none if any is invalid.
#[tauri::command(async)]
pub fn import_prompt_sets(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    path: String,
) -> Result<Vec<PromptSet>, AppError> {
    state.with_journal(|j| {
        let text = files::read_text(&picked.check(&path)?)?;
        Ok::<_, AppError>(j.import_prompt_sets(&text)?)
    })
}

/// Writes the leader's sets (or all, built-in included) to a file the leader picked.
#[tauri::command(async)]
pub fn export_prompt_sets(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    path: String,
    include_builtin: bool,
) -> Result<(), AppError> {
    state.with_journal(|j| {
        let target = picked.check_writable(&path, j)?;
        files::write_text(&target, &j.export_prompt_sets(include_builtin)?)
    })
}
