//! Review mode, coach's side: someone else's export opened read-only in memory, comments, the review file.
//!
//! The export never touches the disk: it lives in the session next to the coach's own
//! (unlocked) journal and is dropped when the journal locks. Unsent comments are saved in the
//! coach's journal (encrypted like everything else), so locking loses nothing.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use tauri::State;
use touchpoint_core::balance::BalanceReport;
use touchpoint_core::exchange::{
    self, ReviewInitiative, ReviewInitiativeSummary, ReviewPerson, ReviewSession, Unlock,
};
use touchpoint_core::model::{Annotation, Moment, TouchpointDetail};
use touchpoint_core::secret::Passphrase;
use touchpoint_core::vault::TimelineItem;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::AppError;
use crate::files::{self, PickedFiles};
use crate::state::{Review, SessionState};

/// The largest bundle review mode reads.
const MAX_BUNDLE_BYTES: u64 = 1024 * 1024 * 1024;

/// The export under review, at a glance.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewInfo {
    /// When the leader made the export.
    pub exported_at: Moment,
    /// The leader journal's public key; the review file is encrypted to it.
    pub sender_public_key: String,
    /// The bundle came from this very journal (a leader checking what a coach will see).
    pub own_export: bool,
    /// People are labels such as "Person A".
    pub pseudonymised: bool,
    /// People in the export.
    pub people: u32,
    /// Entries in the export.
    pub touchpoints: u32,
    /// Comments written so far and not sent yet.
    pub comments: u32,
    /// The name this journal last signed a review with (kept in the journal), to offer again.
    pub reviewer: String,
}

fn info(journal: &touchpoint_core::Journal, review: &Review) -> Result<ReviewInfo, AppError> {
    let doc = review.session.document();
    Ok(ReviewInfo {
        exported_at: doc.exported_at,
        sender_public_key: doc.sender_public_key.clone(),
        own_export: journal.public_key()? == doc.sender_public_key,
        pseudonymised: doc.options.pseudonymise,
        people: doc.people.len() as u32,
        touchpoints: doc.touchpoints.len() as u32,
        comments: review.session.new_annotations().len() as u32,
        reviewer: journal.settings().reviewer_name.clone(),
    })
}

/// Identifies a received bundle for keeping its unsent comments: sender and export time
/// (the same key the CLI uses, so comments started on either side continue on the other).
fn drafts_key(session: &ReviewSession) -> String {
    let doc = session.document();
    format!("{}:{}", doc.sender_public_key, doc.exported_at.to_rfc3339())
}

/// Opens a picked bundle for review, with this journal's key or the bundle's passphrase.
#[tauri::command(async)]
pub fn open_review(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    path: String,
    passphrase: Option<String>,
) -> Result<ReviewInfo, AppError> {
    let pass = passphrase.map(Passphrase::new);
    let bytes = files::read_bytes(&picked.check(&path)?, MAX_BUNDLE_BYTES)?;
    let (session, drafts) = state.with_journal(|j| {
        let mut session = match (exchange::inspect(&bytes)?, &pass) {
            (exchange::FileKind::PassphraseBundle, Some(p)) => {
                let mut s = ReviewSession::open(&bytes, Unlock::Passphrase(p))?;
                s.set_reviewer_key(&j.public_key()?)?;
                s
            }
            (exchange::FileKind::PassphraseBundle, None) => {
                return Err(exchange::ExchangeError::NeedsPassphrase.into())
            }
            _ => ReviewSession::open(&bytes, Unlock::Identity(j))?,
        };
        let key = drafts_key(&session);
        session.restore_annotations(j.review_drafts(&key)?)?;
        Ok::<_, AppError>((session, key))
    })?;
    state.start_review(Review {
        session,
        drafts_key: drafts,
    })?;
    state.with_review(|j, r| info(j, r))
}

/// The export under review, or null when none is open.
#[tauri::command(async)]
pub fn review_info(state: State<'_, SessionState>) -> Result<Option<ReviewInfo>, AppError> {
    match state.with_review(|j, r| info(j, r)) {
        Ok(i) => Ok(Some(i)),
        Err(e) if e.code == crate::error::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The people of the export with their balances over the exported events.
#[tauri::command(async)]
pub fn review_people(state: State<'_, SessionState>) -> Result<Vec<ReviewPerson>, AppError> {
    state.with_review(|_, r| Ok::<_, AppError>(r.session.people(Utc::now())))
}

/// The change initiatives of the export, by name.
#[tauri::command(async)]
pub fn review_initiatives(
    state: State<'_, SessionState>,
) -> Result<Vec<ReviewInitiativeSummary>, AppError> {
    state.with_review(|_, r| Ok::<_, AppError>(r.session.initiatives()))
}

/// One initiative of the export: its statements, guidelines, outcomes, open concerns and its
/// balance over the exported entries linked to it.
#[tauri::command(async)]
pub fn review_initiative(
    state: State<'_, SessionState>,
    id: Uuid,
) -> Result<ReviewInitiative, AppError> {
    state.with_review(|_, r| Ok::<_, AppError>(r.session.initiative(id, Utc::now())?))
}

/// The exported entries, newest first; one person's when `person_id` is given.
#[tauri::command(async)]
pub fn review_timeline(
    state: State<'_, SessionState>,
    person_id: Option<Uuid>,
) -> Result<Vec<TimelineItem>, AppError> {
    state.with_review(|_, r| Ok::<_, AppError>(r.session.timeline(person_id)))
}

/// One exported entry with every comment on it and its reflections (earlier ones and new).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewEntry {
    /// The entry as exported.
    pub detail: TouchpointDetail,
    /// Comments on the entry and its reflections, oldest first.
    pub annotations: Vec<Annotation>,
    /// Ids of the comments written in this review (editable; the rest were sent before).
    pub editable: Vec<Uuid>,
}

/// One exported entry and its comments.
#[tauri::command(async)]
pub fn review_entry(state: State<'_, SessionState>, id: Uuid) -> Result<ReviewEntry, AppError> {
    state.with_review(|_, r| {
        let detail = r.session.touchpoint_detail(id)?;
        let annotations = r.session.entry_annotations(id);
        let editable = r.session.new_annotations().iter().map(|a| a.id).collect();
        Ok::<_, AppError>(ReviewEntry {
            detail,
            annotations,
            editable,
        })
    })
}

/// A person's balance over the exported events, with its explanation.
#[tauri::command(async)]
pub fn review_balance(
    state: State<'_, SessionState>,
    person_id: Uuid,
) -> Result<BalanceReport, AppError> {
    state.with_review(|_, r| Ok::<_, AppError>(r.session.balance(person_id, Utc::now())?))
}

/// Adds a comment to an exported entry or reflection; it is kept in the coach's journal
/// until the review file is written.
#[tauri::command(async)]
pub fn annotate(
    state: State<'_, SessionState>,
    target_id: Uuid,
    text: String,
) -> Result<Annotation, AppError> {
    state.with_review(|j, r| {
        let note = r.session.annotate(target_id, &text)?;
        j.save_review_drafts(&r.drafts_key, r.session.new_annotations())?;
        Ok::<_, AppError>(note)
    })
}

/// Changes the text of a comment written in this review.
#[tauri::command(async)]
pub fn edit_annotation(
    state: State<'_, SessionState>,
    id: Uuid,
    text: String,
) -> Result<Annotation, AppError> {
    state.with_review(|j, r| {
        let note = r.session.edit_annotation(id, &text)?;
        j.save_review_drafts(&r.drafts_key, r.session.new_annotations())?;
        Ok::<_, AppError>(note)
    })
}

/// Removes a comment written in this review.
#[tauri::command(async)]
pub fn remove_annotation(state: State<'_, SessionState>, id: Uuid) -> Result<(), AppError> {
    state.with_review(|j, r| {
        r.session.remove_annotation(id)?;
        j.save_review_drafts(&r.drafts_key, r.session.new_annotations())?;
        Ok::<_, AppError>(())
    })
}

/// Writes the review file, encrypted to the leader's journal, to a picked path; answers the
/// path written. The comments sent are then cleared from the drafts, and the name is kept in
/// the journal to offer next time.
#[tauri::command(async)]
pub fn export_review(
    state: State<'_, SessionState>,
    picked: State<'_, PickedFiles>,
    path: String,
    author: String,
) -> Result<String, AppError> {
    state.with_review(|j, r| {
        let target = picked.check_writable(&path, j)?;
        let written = r.session.export_review(&author, &target)?;
        j.finish_review(&r.drafts_key, &author)?;
        Ok::<_, AppError>(written.to_string_lossy().into_owned())
    })
}

/// Leaves review mode; the export is dropped from memory (unsent comments stay saved).
#[tauri::command(async)]
pub fn close_review(state: State<'_, SessionState>) {
    state.end_review();
}
