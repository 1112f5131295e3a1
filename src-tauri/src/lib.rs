//! Touchpoint's desktop shell: Tauri commands over the journal core, the session, and the auto-lock timer.
//!
//! Everything the journal knows and decides lives in `touchpoint-core`; this crate only holds
//! the session (which folder, unlocked or not, idle since when), turns IPC calls into core
//! calls and core errors into [`AppError`]s, and locks the journal when it sits idle.
//! The IPC contract is `docs/ipc.md`.

pub mod calendars;
pub mod commands;
pub mod error;
pub mod files;
pub mod lock;
pub mod reminders;
pub mod state;

#[cfg(test)]
mod tests;

use tauri::{AppHandle, Builder, Manager, RunEvent, Runtime};

pub use error::{AppError, ErrorCode};
pub use state::{AppStatus, ClockReading, JournalState, Paths, SessionState};

/// Runs the app until its window closes.
pub fn run() {
    // First of all, before any secret is read: no core dumps (the webview's processes inherit
    // the limit), not dumpable, files private to the user. Refuse to run unprotected.
    if let Err(e) = touchpoint_core::harden::harden_process() {
        eprintln!("Touchpoint cannot start: {e}");
        std::process::exit(1);
    }
    let builder = tauri::Builder::default()
        // First, so a second launch hands over to the running app before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main_window(app)
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(
            tauri_plugin_window_state::Builder::default()
                // A window closed while hidden must still open visible next time.
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all()
                        - tauri_plugin_window_state::StateFlags::VISIBLE,
                )
                .build(),
        );
    let app = configure(builder, |app| {
        Ok(Paths::from_env(&app.path().app_data_dir()?))
    })
    .build(context())
    .expect("Touchpoint cannot start");
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            // Close the database and wipe the key before the process ends.
            if let Some(session) = app.try_state::<SessionState>() {
                session.lock();
            }
        }
    });
}

/// The app's configuration, icons and embedded UI (from `tauri.conf.json` and `ui/dist`).
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Adds the commands to `builder`, and at start-up the session, the picked-files scope and the
/// auto-lock timer (see [`install`]). `paths` says where journals live; the app reads it from
/// the environment.
pub fn configure<R: Runtime>(
    builder: Builder<R>,
    paths: impl FnOnce(&AppHandle<R>) -> Result<Paths, Box<dyn std::error::Error>> + Send + 'static,
) -> Builder<R> {
    builder
        .invoke_handler(commands::handler())
        .setup(move |app| {
            let paths = paths(app.handle())?;
            install(app.handle(), paths);
            // Notifications need the desktop plugin, which the mock runtime in tests lacks.
            app.manage(reminders::start(app.handle().clone()));
            Ok(())
        })
}

/// Gives the app its session (pointing at `paths`, locked), the picked-files scope the file
/// commands check, and the auto-lock timer. Tests call this directly: the mock runtime never
/// runs the setup hook.
pub fn install<R: Runtime>(app: &AppHandle<R>, paths: Paths) {
    app.manage(SessionState::new(paths));
    app.manage(files::PickedFiles::new(app.asset_protocol_scope()));
    app.manage(commands::exchange::ExchangeControl::default());
    app.manage(reminders::ReminderClicks::default());
    app.manage(lock::start(
        app.clone(),
        lock::CHECK_EVERY,
        ClockReading::now,
    ));
    app.manage(calendars::start(app.clone()));
}

/// Brings the window forward (a second launch calls this in the first).
pub(crate) fn focus_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
