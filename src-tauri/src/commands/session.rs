//! Session commands: they work while the journal is locked.

use std::path::PathBuf;

use tauri::State;
use touchpoint_core::demo::DemoSummary;
use touchpoint_core::secret::{self, Passphrase, PassphraseStrength};

use crate::error::AppError;
use crate::files::PickedFiles;
use crate::state::{AppStatus, SessionState};

/// Where the app stands: no journal, locked or unlocked.
#[tauri::command(async)]
pub fn app_status(state: State<'_, SessionState>) -> Result<AppStatus, AppError> {
    Ok(state.status())
}

/// How hard a passphrase being chosen is to guess.
#[tauri::command(async)]
pub fn passphrase_strength(passphrase: String) -> Result<PassphraseStrength, AppError> {
    let passphrase = Passphrase::new(passphrase);
    Ok(secret::strength(passphrase.expose()))
}

/// Creates a journal (in the default folder when `dir` is null, else in a folder the user
/// picked in a dialog this run), leaves it unlocked and answers the recovery code to show once.
#[tauri::command(async)]
pub fn create_journal(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    dir: Option<String>,
    passphrase: String,
) -> Result<String, AppError> {
    let dir: Option<PathBuf> = dir.map(|d| picked.check(&d)).transpose()?;
    let passphrase = Passphrase::checked(passphrase)?;
    let code = state.create(dir, &passphrase)?;
    Ok(code.display().to_string())
}

/// Points the app at another existing journal folder, picked in a dialog this run, locked.
#[tauri::command(async)]
pub fn choose_journal(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    dir: String,
) -> Result<AppStatus, AppError> {
    state.choose(picked.check(&dir)?)
}

/// A fresh sample journal, unlocked.
#[tauri::command(async)]
pub fn create_demo_journal(state: State<'_, SessionState>) -> Result<DemoSummary, AppError> {
    state.create_demo()
}

/// Opens the journal with its passphrase.
#[tauri::command(async)]
pub fn unlock(state: State<'_, SessionState>, passphrase: String) -> Result<AppStatus, AppError> {
    let passphrase = Passphrase::new(passphrase);
    state.unlock(&passphrase)
}

/// Opens the journal with the recovery code and sets a new passphrase.
#[tauri::command(async)]
pub fn recover(
    state: State<'_, SessionState>,
    code: String,
    new_passphrase: String,
) -> Result<AppStatus, AppError> {
    let new_passphrase = Passphrase::checked(new_passphrase);
    let code = super::recovery_code(code)?;
    state.recover(&code, &new_passphrase?)
}

/// Locks the journal now.
#[tauri::command(async)]
pub fn lock(state: State<'_, SessionState>) -> Result<AppStatus, AppError> {
    Ok(state.lock())
}
