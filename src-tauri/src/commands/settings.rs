//! Settings, the passphrase and recovery code, and backups.

use chrono::Utc;
use tauri::ipc::Channel;
use tauri::State;
use touchpoint_core::model::Settings;
use touchpoint_core::secret::Passphrase;
use touchpoint_core::vault::{BackupInfo, OldBackups, RekeyProgress};

use crate::error::AppError;
use crate::files::PickedFiles;
use crate::state::{AppStatus, SessionState};

/// The journal's settings.
#[tauri::command(async)]
pub fn settings(state: State<'_, SessionState>) -> Result<Settings, AppError> {
    state.with_journal(|j| Ok::<_, AppError>(j.settings().clone()))
}

/// Validates and saves the settings; a new auto-lock time applies at once. A new backup
/// folder must be one the user picked in a dialog this run (the saved one stays allowed).
#[tauri::command(async)]
pub fn update_settings(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    settings: Settings,
) -> Result<Settings, AppError> {
    state.with_journal(|j| {
        if let Some(dir) = &settings.backup_dir {
            if j.settings().backup_dir.as_ref() != Some(dir) {
                picked.check(dir)?;
            }
        }
        j.update_settings(settings)?;
        Ok::<_, AppError>(j.settings().clone())
    })
}

/// Rewraps the journal's key under a new passphrase.
#[tauri::command(async)]
pub fn change_passphrase(
    state: State<'_, SessionState>,
    current: String,
    new: String,
) -> Result<(), AppError> {
    let current = Passphrase::new(current);
    let new = Passphrase::checked(new)?;
    state.with_journal(|j| j.change_passphrase(&current, &new))
}

/// Replaces the recovery code and answers the new one, to show once.
#[tauri::command(async)]
pub fn new_recovery_code(
    state: State<'_, SessionState>,
    current: String,
) -> Result<String, AppError> {
    let current = Passphrase::new(current);
    state.with_journal(|j| {
        let code = j.new_recovery_code(&current)?;
        Ok::<_, AppError>(code.display().to_string())
    })
}

/// Re-encrypts the journal under a new data key (the backups re-encrypted or, when the leader
/// confirmed it, removed), reporting each step on `on_progress`; answers the new recovery code,
/// to show once. The passphrase stays the same.
#[tauri::command(async)]
pub fn rekey_journal(
    state: State<'_, SessionState>,
    current: String,
    old_backups: OldBackups,
    on_progress: Channel<RekeyProgress>,
) -> Result<String, AppError> {
    let current = Passphrase::new(current);
    state.with_journal(|j| {
        // The page may have gone (reload, lock): the work goes on without a listener.
        let mut progress = |p: &RekeyProgress| {
            let _ = on_progress.send(p.clone());
        };
        let code = j.rekey(&current, old_backups, &mut progress)?;
        Ok::<_, AppError>(code.display().to_string())
    })
}

/// The journal's backups, newest first.
#[tauri::command(async)]
pub fn backups(state: State<'_, SessionState>) -> Result<Vec<BackupInfo>, AppError> {
    state.with_journal(|j| Ok::<_, AppError>(j.backups()))
}

/// Makes a backup now.
#[tauri::command(async)]
pub fn backup_now(state: State<'_, SessionState>) -> Result<BackupInfo, AppError> {
    state.with_journal(|j| j.backup(Utc::now()))
}

/// Replaces the journal with a backup (one of its own, or a file the leader picked) that
/// `passphrase` unlocks; the journal is locked afterwards and opens with that passphrase.
#[tauri::command(async)]
pub fn restore_backup(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    path: String,
    passphrase: String,
) -> Result<AppStatus, AppError> {
    let passphrase = Passphrase::new(passphrase);
    state.restore(|j| picked.check_backup(&path, &j.backups()), &passphrase)
}
