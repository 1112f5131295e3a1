//! Careful imports: what an import would do, shown before it changes anything, and reviews
//! accepted only when they answer a bundle this journal sent.
//!
//! A review is taken only when it is age-encrypted to this journal's key and carries back the
//! random export id of a bundle this journal recorded; it only ever adds comments (a comment id
//! already here with other content refuses the whole review). An import of an export that
//! would change records already in the journal needs the user's confirmation.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use super::document::{EXPORT_FORMAT, REVIEW_FORMAT, REVIEW_VERSION};
use super::{check_public_key, RecordCounts};
use super::{ExchangeError, ImportSummary, IncomingKind, ReviewDocument, ReviewImportSummary};
use crate::model::Annotation;
use crate::vault::exchange_store::insert_review_annotation;
use crate::vault::CalendarNotice;
use crate::{Error, Journal};

/// A short fingerprint of an age public key, for telling reviewers apart at a glance: the
/// first 8 bytes of the SHA-256 of the key, as four groups of four hex digits.
pub fn key_fingerprint(key: &str) -> String {
    let digest = Sha256::digest(key.trim().as_bytes());
    hex::encode(&digest[..8])
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Where an imported coach comment came from: the reviewer's key and the bundle it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewSource {
    /// The public key ("age1…") of the reviewer's journal.
    pub reviewer_key: String,
    /// Its short fingerprint ([`key_fingerprint`]).
    pub fingerprint: String,
    /// The id of the bundle the review answers.
    pub export_id: Uuid,
}

impl ReviewSource {
    pub(crate) fn new(reviewer_key: String, export_id: Uuid) -> ReviewSource {
        ReviewSource {
            fingerprint: key_fingerprint(&reviewer_key),
            reviewer_key,
            export_id,
        }
    }
}

/// A coach comment in the journal with where it came from (none for comments imported before
/// reviews named their reviewer and export, or brought in by an export).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CoachNote {
    /// The comment.
    #[serde(flatten)]
    pub annotation: Annotation,
    /// The review it came from.
    pub source: Option<ReviewSource>,
}

/// The kind of a record an import would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordKind {
    /// A person.
    Person,
    /// An entry.
    Touchpoint,
    /// A reflection.
    Reflection,
    /// A commitment.
    Commitment,
    /// A topic.
    Topic,
    /// A coach comment.
    Annotation,
    /// A change initiative.
    Initiative,
}

/// One record already in the journal that an import would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedChange {
    /// What kind of record.
    pub kind: RecordKind,
    /// Its id.
    pub id: Uuid,
    /// What the user knows it by: a name, a title, the start of a text.
    pub label: String,
}

/// What importing a file would do, computed without changing anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// What the file is.
    pub kind: IncomingKind,
    /// What it holds: `export`, `review`, `calendar` or `entries`.
    pub document: String,
    /// New, changed and unchanged records per kind (an export or a review; zero otherwise).
    pub counts: ImportSummary,
    /// The records already in the journal that would change.
    pub changes: Vec<PlannedChange>,
    /// Whether the import changes existing records and so waits for the user's confirmation.
    pub needs_confirmation: bool,
    /// Events or entries in a calendar or foreign file (which only adds entries and updates
    /// the drafts it made itself).
    pub records: u32,
    /// A review's signer, its key's fingerprint and the bundle it answers.
    pub reviewer: Option<String>,
    /// The fingerprint of the reviewer's key.
    pub reviewer_fingerprint: Option<String>,
    /// Comments whose entry is no longer in the journal (left out).
    pub missing_targets: u32,
    /// Events of a calendar file that would be left out, with line and reason (as the
    /// import's summary will list them); empty for other files.
    #[serde(default)]
    pub skipped_events: Vec<CalendarNotice>,
    /// Guesses a calendar import would make (time zones it cannot place); empty otherwise.
    #[serde(default)]
    pub notes: Vec<CalendarNotice>,
}

impl ImportPreview {
    /// An empty preview of a file of `kind` holding `document`.
    pub fn new(kind: IncomingKind, document: &str) -> ImportPreview {
        ImportPreview {
            kind,
            document: document.into(),
            counts: ImportSummary::default(),
            changes: Vec::new(),
            needs_confirmation: false,
            records: 0,
            reviewer: None,
            reviewer_fingerprint: None,
            missing_targets: 0,
            skipped_events: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// How many existing records the import would change.
    pub fn changed_records(&self) -> u32 {
        [
            self.counts.people,
            self.counts.touchpoints,
            self.counts.reflections,
            self.counts.commitments,
            self.counts.topics,
            self.counts.annotations,
        ]
        .iter()
        .map(|c| c.updated)
        .sum()
    }
}

/// A review checked against the journal: the comments it adds and what it says about itself.
pub(crate) struct ReviewPlan {
    writes: Vec<Annotation>,
    source: ReviewSource,
    summary: ReviewImportSummary,
}

impl ReviewPlan {
    /// The preview of this review's import.
    pub(crate) fn preview(&self, kind: IncomingKind) -> ImportPreview {
        let mut p = ImportPreview::new(kind, "review");
        p.counts.annotations = self.summary.annotations;
        p.reviewer = Some(self.summary.reviewer.clone());
        p.reviewer_fingerprint = Some(self.source.fingerprint.clone());
        p.missing_targets = self.summary.missing_targets;
        p
    }
}

impl Journal {
    /// Checks a review and decides what it adds, changing nothing. `encrypted` says whether
    /// it came age-encrypted (to this journal's key: it would not have opened otherwise).
    pub(crate) fn plan_review(
        &self,
        review: &ReviewDocument,
        encrypted: bool,
    ) -> Result<ReviewPlan, ExchangeError> {
        if review.format != REVIEW_FORMAT {
            return Err(ExchangeError::WrongDocument(
                if review.format == EXPORT_FORMAT {
                    "this is an export, not a coach's review".into()
                } else {
                    format!("unexpected format marker {:?}", review.format)
                },
            ));
        }
        if review.version > REVIEW_VERSION {
            return Err(ExchangeError::NewerVersion {
                what: "review",
                found: review.version,
                supported: REVIEW_VERSION,
            });
        }
        if !encrypted {
            return Err(ExchangeError::ReviewNotEncrypted);
        }
        if review.for_public_key.trim() != self.public_key()? {
            return Err(ExchangeError::WrongKey(
                "this review answers an export from another journal (it names a different public \
                 key); nothing was imported"
                    .into(),
            ));
        }
        let (Some(export_id), Some(reviewer_key)) = (review.export_id, &review.reviewer_key) else {
            return Err(ExchangeError::ReviewUnknownExport(
                "this review does not say which bundle it answers (it was made by an older \
                 Touchpoint); ask your coach to update Touchpoint and review a new bundle"
                    .into(),
            ));
        };
        let reviewer_key = check_public_key(reviewer_key).map_err(|_| {
            ExchangeError::Damaged("the review's reviewer key is not a public key".into())
        })?;
        let Some(recipients) = self.export_recipients(export_id)? else {
            return Err(ExchangeError::ReviewUnknownExport(
                "this review answers a bundle this journal did not send (its export id is \
                 unknown here)"
                    .into(),
            ));
        };
        let source = ReviewSource::new(reviewer_key, export_id);
        if !recipients.is_empty() && !recipients.contains(&source.reviewer_key) {
            return Err(ExchangeError::ReviewUnknownExport(format!(
                "this review is signed with a key (fingerprint {}) that bundle was not sent to",
                source.fingerprint
            )));
        }
        let mut counts = RecordCounts::default();
        let mut missing = 0;
        let mut writes: Vec<Annotation> = Vec::new();
        let mut seen: HashMap<Uuid, Annotation> = HashMap::new();
        for a in &review.annotations {
            let mut a = a.clone();
            a.text = a.text.trim().to_string();
            if a.text.is_empty() {
                continue;
            }
            if a.author.trim().is_empty() {
                a.author = review.reviewer.trim().to_string();
            }
            let existing = match seen.get(&a.id) {
                Some(earlier) => Some(earlier.clone()),
                None => self.annotation_by_id(a.id)?,
            };
            match existing {
                Some(existing) if same_note(&existing, &a) => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => {
                    return Err(ExchangeError::ReviewConflict(format!(
                        "this review reuses the id of a comment already in the journal ({}) \
                         with other content; a review only adds comments, it never changes one",
                        a.id
                    )))
                }
                None => {}
            }
            if !self.annotation_target_exists(a.target_id)? {
                missing += 1;
                continue;
            }
            seen.insert(a.id, a.clone());
            counts.added += 1;
            writes.push(a);
        }
        if missing > 0 && missing == review.annotations.len() as u32 {
            return Err(Error::NotFound(
                "none of the entries this review comments on are in this journal".into(),
            )
            .into());
        }
        Ok(ReviewPlan {
            writes,
            summary: ReviewImportSummary {
                reviewer: review.reviewer.clone(),
                reviewer_fingerprint: source.fingerprint.clone(),
                export_id,
                annotations: counts,
                missing_targets: missing,
            },
            source,
        })
    }

    /// Adds a planned review's comments, marked as imported at `now`, in one transaction.
    /// Nothing is written when the review adds nothing (it was imported before).
    pub(crate) fn apply_review(
        &mut self,
        plan: ReviewPlan,
        now: DateTime<Utc>,
    ) -> Result<ReviewImportSummary, ExchangeError> {
        if !plan.writes.is_empty() {
            self.write(|tx| {
                for a in &plan.writes {
                    insert_review_annotation(tx, a, now, &plan.source)?;
                }
                Ok(())
            })?;
        }
        Ok(plan.summary)
    }
}

/// Whether a comment from a review is the one already stored: same entry, author, text and
/// time.
fn same_note(a: &Annotation, b: &Annotation) -> bool {
    a.target_id == b.target_id
        && a.author == b.author
        && a.text == b.text
        && a.created_at == b.created_at
        && a.created_at.offset() == b.created_at.offset()
}
