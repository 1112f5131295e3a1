//! Review mode: a coach reads a leader's export from memory, read-only, adds comments and
//! sends them back in a review file encrypted to the leader's journal.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::bundle::{check_public_key, encrypt, open_bundle_with_id, Encryption, Unlock};
use super::document::{generator, REVIEW_FORMAT, REVIEW_VERSION};
use super::initiatives::{self, ReviewInitiative, ReviewInitiativeSummary};
use super::text::Staged;
use super::{ExchangeError, ExportDocument, ReviewDocument};
use crate::balance::{self, BalanceReport};
use crate::model::{new_id, Annotation, CommitmentStatus, Person, TouchpointDetail};
use crate::vault::{PersonRef, TimelineCursor, TimelineItem};
use crate::Error;

/// The usual extension of a review file.
pub const REVIEW_EXTENSION: &str = "touchpoint-review";

/// One person of a reviewed export at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewPerson {
    /// The person as exported (a label such as "Person A" when pseudonymised).
    pub person: Person,
    /// Balance over the exported events.
    pub balance: f64,
    /// Willingness balance over the exported events.
    pub willingness: f64,
    /// Ability balance over the exported events.
    pub ability: f64,
    /// Change over the last 30 days.
    pub trend_30d: f64,
    /// Change over the last 90 days.
    pub trend_90d: f64,
    /// Whether the relationship is slipping, as far as the export shows.
    pub slipping: bool,
    /// Exported entries they took part in.
    pub touchpoints: u32,
    /// Their open commitments in the export.
    pub open_commitments: u32,
}

/// A received export opened for review: read-only views over it, plus the coach's comments.
///
/// Everything lives in memory; nothing of the export is written anywhere unless the coach
/// asks for a report.
#[derive(Debug, Clone)]
pub struct ReviewSession {
    document: ExportDocument,
    comments: Vec<Annotation>,
    /// The id the bundle carries, which the review must carry back (none for plain JSON and
    /// older bundles, whose reviews no journal takes).
    export_id: Option<Uuid>,
    /// The public key of the reviewer's journal, written into the review.
    reviewer_key: Option<String>,
}

impl ReviewSession {
    /// Opens a bundle (with the coach journal's key or the passphrase) or plain JSON export.
    /// Opened with a journal's key, that key signs the review; otherwise call
    /// [`ReviewSession::set_reviewer_key`].
    pub fn open(bytes: &[u8], unlock: Unlock<'_>) -> Result<ReviewSession, ExchangeError> {
        let (document, export_id) = open_bundle_with_id(bytes, unlock)?;
        let mut session = ReviewSession::new(document)?;
        session.export_id = export_id;
        if let Unlock::Identity(journal) = unlock {
            session.reviewer_key = Some(journal.public_key()?);
        }
        Ok(session)
    }

    /// Reviews an export already read (it has no export id, so its review cannot be sent).
    pub fn new(document: ExportDocument) -> Result<ReviewSession, ExchangeError> {
        document.check()?;
        Ok(ReviewSession {
            document,
            comments: Vec::new(),
            export_id: None,
            reviewer_key: None,
        })
    }

    /// The public key of the reviewer's journal, written into the review so the leader sees
    /// whose it is.
    pub fn set_reviewer_key(&mut self, key: &str) -> Result<(), ExchangeError> {
        self.reviewer_key = Some(check_public_key(key)?);
        Ok(())
    }

    /// The id of the bundle under review, which its review carries back.
    pub fn export_id(&self) -> Option<Uuid> {
        self.export_id
    }

    #[cfg(test)]
    pub(crate) fn set_export_id(&mut self, id: Uuid) {
        self.export_id = Some(id);
    }

    /// The export under review.
    pub fn document(&self) -> &ExportDocument {
        &self.document
    }

    /// The people of the export with their balances over the exported events, by name.
    pub fn people(&self, now: DateTime<Utc>) -> Vec<ReviewPerson> {
        let doc = &self.document;
        let mut balances = doc.balances(now);
        doc.people
            .iter()
            .map(|p| {
                let report = balances
                    .remove(&p.id)
                    .unwrap_or_else(|| doc.balance(p.id, now));
                ReviewPerson {
                    person: p.clone(),
                    balance: report.balance,
                    willingness: report.willingness,
                    ability: report.ability,
                    trend_30d: report.trend_30d,
                    trend_90d: report.trend_90d,
                    slipping: report.slipping,
                    touchpoints: doc
                        .touchpoints
                        .iter()
                        .filter(|t| t.participants.contains(&p.id))
                        .count() as u32,
                    open_commitments: doc
                        .commitments
                        .iter()
                        .filter(|c| c.person_id == p.id && c.status == CommitmentStatus::Open)
                        .count() as u32,
                }
            })
            .collect()
    }

    /// The initiatives of the export, by name.
    pub fn initiatives(&self) -> Vec<ReviewInitiativeSummary> {
        let mut out: Vec<_> = self
            .document
            .initiatives
            .iter()
            .map(initiatives::summary)
            .collect();
        out.sort_by_key(|i| i.name.to_lowercase());
        out
    }

    /// One initiative of the export: what it holds, its open concerns, and its balance over
    /// the exported entries linked to it, as of `now`.
    pub fn initiative(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<ReviewInitiative, ExchangeError> {
        let doc = &self.document;
        let i =
            doc.initiatives.iter().find(|i| i.id == id).ok_or_else(|| {
                Error::NotFound(format!("no initiative with id {id} in this export"))
            })?;
        let named: HashSet<Uuid> = i
            .people
            .iter()
            .chain(i.guidelines.iter().flat_map(|g| &g.shaped_by))
            .chain(i.outcomes.iter().flat_map(|o| &o.people))
            .chain(i.concerns.iter().map(|c| &c.person_id))
            .copied()
            .collect();
        let mut people: Vec<PersonRef> = doc
            .people
            .iter()
            .filter(|p| named.contains(&p.id))
            .map(|p| PersonRef {
                id: p.id,
                name: p.name.clone(),
            })
            .collect();
        people.sort_by_key(|p| p.name.to_lowercase());
        let mut open_concerns: Vec<_> = i
            .concerns
            .iter()
            .filter(|c| c.answered_at.is_none())
            .cloned()
            .collect();
        open_concerns.sort_by_key(|c| c.raised_at);
        let events = initiatives::events(i, &doc.touchpoints, &doc.reflections, &doc.commitments);
        Ok(ReviewInitiative {
            initiative: i.clone(),
            people,
            open_concerns,
            balance: balance::compute(&events, doc.loss_weight(), now),
        })
    }

    /// One person of the export.
    pub fn person(&self, id: Uuid) -> Result<&Person, ExchangeError> {
        self.document
            .people
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::NotFound(format!("no person with id {id} in this export")).into())
    }

    /// A person by name, ignoring case; a unique prefix also matches.
    pub fn person_by_name(&self, name: &str) -> Result<&Person, ExchangeError> {
        let name = name.trim().to_lowercase();
        let people = &self.document.people;
        if let Some(p) = people.iter().find(|p| p.name.to_lowercase() == name) {
            return Ok(p);
        }
        let found: Vec<&Person> = people
            .iter()
            .filter(|p| p.name.to_lowercase().starts_with(&name))
            .collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => {
                let hint =
                    crate::names::did_you_mean(&name, people.iter().map(|p| p.name.as_str()));
                Err(Error::NotFound(format!("no one called {name:?} in this export{hint}")).into())
            }
            many => Err(ExchangeError::invalid(format!(
                "{name:?} matches several people: {}",
                many.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The exported entries, newest first, optionally only those with one person.
    pub fn timeline(&self, person: Option<Uuid>) -> Vec<TimelineItem> {
        let doc = &self.document;
        let names: HashMap<Uuid, &str> =
            doc.people.iter().map(|p| (p.id, p.name.as_str())).collect();
        let mut reflections: HashMap<Uuid, u32> = HashMap::new();
        for r in &doc.reflections {
            *reflections.entry(r.touchpoint_id).or_default() += 1;
        }
        let mut items: Vec<TimelineItem> = doc
            .touchpoints
            .iter()
            .filter(|t| person.is_none_or(|p| t.participants.contains(&p)))
            .map(|t| TimelineItem {
                id: t.id,
                kind: t.kind,
                occurred_at: t.occurred_at,
                title: t.title.clone(),
                participants: t
                    .participants
                    .iter()
                    .map(|p| PersonRef {
                        id: *p,
                        name: names.get(p).copied().unwrap_or_default().to_string(),
                    })
                    .collect(),
                tags: t.tags.clone(),
                state: t.state,
                private: false,
                reflections: reflections.get(&t.id).copied().unwrap_or(0),
                cursor: TimelineCursor {
                    occurred_ms: t.occurred_at.timestamp_millis(),
                    id: t.id,
                },
            })
            .collect();
        items.sort_by(|a, b| {
            b.cursor
                .occurred_ms
                .cmp(&a.cursor.occurred_ms)
                .then(b.id.cmp(&a.id))
        });
        items
    }

    /// One entry with its reflections, commitments and topics.
    pub fn touchpoint_detail(&self, id: Uuid) -> Result<TouchpointDetail, ExchangeError> {
        let doc = &self.document;
        let touchpoint = doc
            .touchpoints
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| Error::NotFound(format!("no entry with id {id} in this export")))?
            .clone();
        let participant_names = touchpoint
            .participants
            .iter()
            .map(|p| self.person(*p).map(|p| p.name.clone()))
            .collect::<Result<_, _>>()?;
        Ok(TouchpointDetail {
            participant_names,
            reflections: doc
                .reflections
                .iter()
                .filter(|r| r.touchpoint_id == id)
                .cloned()
                .collect(),
            commitments: doc
                .commitments
                .iter()
                .filter(|c| c.touchpoint_id == Some(id))
                .cloned()
                .collect(),
            topics: doc
                .topics
                .iter()
                .filter(|t| t.touchpoint_id == Some(id))
                .cloned()
                .collect(),
            touchpoint,
        })
    }

    /// A person's balance over the exported events, with its explanation.
    pub fn balance(
        &self,
        person: Uuid,
        now: DateTime<Utc>,
    ) -> Result<BalanceReport, ExchangeError> {
        self.person(person)?;
        Ok(self.document.balance(person, now))
    }

    /// Comments on an entry or reflection: earlier ones that came with the export, then this
    /// session's.
    pub fn annotations_for(&self, target_id: Uuid) -> Vec<Annotation> {
        self.document
            .annotations
            .iter()
            .chain(&self.comments)
            .filter(|a| a.target_id == target_id)
            .cloned()
            .collect()
    }

    /// Comments on an entry and on its reflections, oldest first.
    pub fn entry_annotations(&self, touchpoint_id: Uuid) -> Vec<Annotation> {
        let reflections: Vec<Uuid> = self
            .document
            .reflections
            .iter()
            .filter(|r| r.touchpoint_id == touchpoint_id)
            .map(|r| r.id)
            .collect();
        let mut notes: Vec<Annotation> = self
            .document
            .annotations
            .iter()
            .chain(&self.comments)
            .filter(|a| a.target_id == touchpoint_id || reflections.contains(&a.target_id))
            .cloned()
            .collect();
        notes.sort_by_key(|a| a.created_at);
        notes
    }

    /// The comments written in this session, oldest first.
    pub fn new_annotations(&self) -> &[Annotation] {
        &self.comments
    }

    /// Adds a comment on an entry or a reflection of the export.
    pub fn annotate(&mut self, target_id: Uuid, text: &str) -> Result<Annotation, ExchangeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ExchangeError::invalid("a comment must not be empty"));
        }
        if text.chars().count() > 10_000 {
            return Err(ExchangeError::invalid(
                "a comment is limited to 10,000 characters",
            ));
        }
        if !self.document.is_annotation_target(target_id) {
            return Err(Error::NotFound(format!(
                "no entry or reflection with id {target_id} in this export"
            ))
            .into());
        }
        let annotation = Annotation {
            id: new_id(),
            target_id,
            author: String::new(),
            text: text.to_string(),
            created_at: Local::now().fixed_offset(),
        };
        self.comments.push(annotation.clone());
        Ok(annotation)
    }

    /// Brings back comments drafted earlier on this export (kept by the caller between runs),
    /// after checking each one's entry is in the export. Comments already here are skipped.
    pub fn restore_annotations(&mut self, drafts: Vec<Annotation>) -> Result<(), ExchangeError> {
        if let Some(a) = drafts
            .iter()
            .find(|a| !self.document.is_annotation_target(a.target_id))
        {
            return Err(Error::NotFound(format!(
                "comment {} is on an entry that is not in this export",
                a.id
            ))
            .into());
        }
        for a in drafts {
            if !self.comments.iter().any(|c| c.id == a.id) && !a.text.trim().is_empty() {
                self.comments.push(a);
            }
        }
        Ok(())
    }

    /// Changes the text of a comment written in this session.
    pub fn edit_annotation(&mut self, id: Uuid, text: &str) -> Result<Annotation, ExchangeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ExchangeError::invalid("a comment must not be empty"));
        }
        let a = self
            .comments
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| Error::NotFound(format!("no comment with id {id} in this review")))?;
        a.text = text.to_string();
        Ok(a.clone())
    }

    /// Removes a comment written in this session.
    pub fn remove_annotation(&mut self, id: Uuid) -> Result<(), ExchangeError> {
        let before = self.comments.len();
        self.comments.retain(|a| a.id != id);
        if self.comments.len() == before {
            return Err(Error::NotFound(format!("no comment with id {id} in this review")).into());
        }
        Ok(())
    }

    /// The review document of this session's comments, signed with `reviewer`'s name.
    pub fn review_document(
        &self,
        reviewer: &str,
        now: DateTime<Utc>,
    ) -> Result<ReviewDocument, ExchangeError> {
        let reviewer = reviewer.trim();
        if reviewer.is_empty() {
            return Err(ExchangeError::invalid("say who the review is from"));
        }
        if self.comments.is_empty() {
            return Err(ExchangeError::invalid("there are no comments to send yet"));
        }
        let Some(export_id) = self.export_id else {
            return Err(ExchangeError::WrongDocument(
                "this export carries no export id (it is a plain JSON export or a bundle from an \
                 older Touchpoint), so the leader's journal would refuse a review of it; ask for \
                 a new bundle"
                    .into(),
            ));
        };
        let Some(reviewer_key) = self.reviewer_key.clone() else {
            return Err(ExchangeError::invalid(
                "the review needs the public key of your journal to say who wrote it",
            ));
        };
        Ok(ReviewDocument {
            format: REVIEW_FORMAT.into(),
            version: REVIEW_VERSION,
            generator: generator(),
            reviewer: reviewer.to_string(),
            created_at: now.with_timezone(&Local).fixed_offset(),
            for_public_key: self.document.sender_public_key.clone(),
            export_exported_at: self.document.exported_at,
            export_id: Some(export_id),
            reviewer_key: Some(reviewer_key),
            annotations: self
                .comments
                .iter()
                .map(|a| Annotation {
                    author: reviewer.to_string(),
                    ..a.clone()
                })
                .collect(),
        })
    }

    /// Writes the review file, encrypted to the journal the export came from, to `path`
    /// (`.touchpoint-review` is added when it has no extension). Returns the path written.
    pub fn export_review(&self, reviewer: &str, path: &Path) -> Result<PathBuf, ExchangeError> {
        let review = self.review_document(reviewer, Utc::now())?;
        let json = zeroize::Zeroizing::new(
            serde_json::to_vec(&review)
                .map_err(|e| ExchangeError::invalid(format!("cannot write the review: {e}")))?,
        );
        let to = Encryption::Recipients(vec![self.document.sender_public_key.clone()]);
        let bytes = encrypt(&json, &to)?;
        let path = if path.extension().is_none() {
            path.with_extension(REVIEW_EXTENSION)
        } else {
            path.to_path_buf()
        };
        let mut staged = Staged::new();
        staged.write(&path, &bytes)?;
        staged.commit()?;
        Ok(path)
    }
}
