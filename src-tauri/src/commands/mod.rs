//! The commands the UI invokes (docs/ipc.md): each takes the session, calls the core, maps the error.
//!
//! Commands run off the main thread (`async`), so key derivation never freezes the window.
//! Secrets arrive as `String` and are wrapped in zeroizing types on the first line.

pub mod calendars;
pub mod drafts;
pub mod entries;
pub mod exchange;
pub mod initiatives;
pub mod insights;
pub mod people;
pub mod prompts;
pub mod reminders;
pub mod review;
pub mod session;
pub mod settings;
pub mod trash;

use tauri::ipc::Invoke;
use tauri::Runtime;
use touchpoint_core::secret::RecoveryCode;
use zeroize::Zeroize;

use crate::error::AppError;

include!("names.rs");

/// The invoke handler with every command, for any runtime (the app's, or the mock one in tests).
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::app_status,
        session::passphrase_strength,
        session::create_journal,
        session::choose_journal,
        session::create_demo_journal,
        session::unlock,
        session::recover,
        session::lock,
        insights::today,
        insights::overview,
        insights::person_overview,
        insights::balance,
        insights::balance_summary,
        people::people,
        people::teams,
        people::add_person,
        people::update_person,
        people::trash_person,
        people::erase_person,
        people::commitments,
        people::add_commitment,
        people::resolve_commitment,
        people::topics,
        people::add_topic,
        people::close_topic,
        entries::add_touchpoint,
        entries::update_touchpoint,
        entries::touchpoint_detail,
        entries::trash_touchpoint,
        entries::save_reflection,
        entries::timeline,
        entries::search,
        entries::tags,
        drafts::form_draft,
        drafts::save_form_draft,
        drafts::discard_form_draft,
        drafts::note_activity,
        reminders::take_reminder_open,
        trash::trash,
        trash::restore_person,
        trash::restore_touchpoint,
        trash::erase_touchpoint,
        trash::empty_trash,
        prompts::prompts_for,
        prompts::recalibrate_prompts,
        prompts::prompt_sets,
        prompts::save_prompt_set,
        prompts::delete_prompt_set,
        prompts::reorder_prompt_sets,
        prompts::import_prompt_sets,
        prompts::export_prompt_sets,
        settings::settings,
        settings::update_settings,
        settings::change_passphrase,
        settings::new_recovery_code,
        settings::rekey_journal,
        settings::backups,
        settings::backup_now,
        settings::restore_backup,
        exchange::pick_path,
        exchange::public_key,
        exchange::check_public_key,
        exchange::export_journal,
        exchange::inspect_import,
        exchange::preview_import,
        exchange::import_file,
        exchange::cancel_exchange,
        exchange::coach_comments,
        exchange::annotations,
        calendars::linked_calendars,
        calendars::link_calendar,
        calendars::unlink_calendar,
        calendars::sync_calendars,
        review::open_review,
        review::review_info,
        review::review_people,
        review::review_initiatives,
        review::review_initiative,
        review::review_timeline,
        review::review_entry,
        review::review_balance,
        review::annotate,
        review::edit_annotation,
        review::remove_annotation,
        review::export_review,
        review::close_review,
        initiatives::initiatives,
        initiatives::initiative_page,
        initiatives::initiative_balance,
        initiatives::initiative_nudges,
        initiatives::initiatives_of_touchpoint,
        initiatives::prompts_for_touchpoint,
        initiatives::add_initiative,
        initiatives::update_initiative,
        initiatives::set_initiative_status,
        initiatives::delete_initiative,
        initiatives::link_initiative,
        initiatives::unlink_initiative,
        initiatives::add_statement,
        initiatives::restate_statement,
        initiatives::withdraw_statement,
        initiatives::add_guideline,
        initiatives::add_outcome,
        initiatives::add_concern,
        initiatives::answer_concern,
        initiatives::reopen_concern,
        initiatives::plan_step,
        initiatives::mark_step,
        initiatives::unmark_step,
        initiatives::add_measure,
        initiatives::export_team_page,
    ]
}

/// Parses a recovery code as typed and wipes the typed text.
fn recovery_code(mut text: String) -> Result<RecoveryCode, AppError> {
    let code = RecoveryCode::parse(&text);
    text.zeroize();
    Ok(code?)
}
