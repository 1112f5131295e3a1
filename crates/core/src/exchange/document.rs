//! The exchanged documents: the leader's export and the coach's review, as versioned JSON.
//!
//! Their JSON Schemas are committed in `docs/schema/`; a test checks every document the code
//! writes against them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::initiatives::{self, ExportedInitiative};
use super::{ExchangeError, ExportOptions};
use crate::balance::{self, BalanceReport, Event, LossWeight};
use crate::model::{
    check_rating, Annotation, Commitment, CommitmentStatus, Moment, OpenTopic, Person, Reflection,
    Touchpoint,
};

/// The `format` marker of an export.
pub const EXPORT_FORMAT: &str = "touchpoint-export";
/// The export version this build writes and the highest it reads. Version 2 adds change
/// initiatives; version 1 exports (without them) are still read.
pub const EXPORT_VERSION: u32 = 2;
/// The `format` marker of a review file.
pub const REVIEW_FORMAT: &str = "touchpoint-review";
/// The review version this build writes and the highest it reads. Version 2 names the export
/// it answers and the reviewer's key; version 1 reviews are read, then refused on import.
pub const REVIEW_VERSION: u32 = 2;

/// A chosen part of a journal, as sent to a coach or kept as a portable copy.
///
/// Ids are the journal's own, so a review can point at entries and an import can merge.
/// Private entries are never in it. See `docs/schema/touchpoint-export-v2.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportDocument {
    /// Always `touchpoint-export`.
    pub format: String,
    /// The document version: 2 (1 has no initiatives).
    pub version: u32,
    /// The program that wrote it, for example `Touchpoint 0.1.0`.
    pub generator: String,
    /// When it was made, in the leader's offset.
    pub exported_at: Moment,
    /// The leader journal's public key ("age1…"), so a coach can encrypt a review back.
    pub sender_public_key: String,
    /// What was asked for (the people, when pseudonymised, only as ids).
    pub options: ExportOptions,
    /// The people in it (labels such as "Person A" when pseudonymised).
    pub people: Vec<Person>,
    /// The entries, oldest first.
    pub touchpoints: Vec<Touchpoint>,
    /// The reflections on those entries by the people in the export.
    pub reflections: Vec<Reflection>,
    /// Commitments to the people in it.
    pub commitments: Vec<Commitment>,
    /// Topics the people in it raised.
    pub topics: Vec<OpenTopic>,
    /// Earlier coach comments on these entries.
    pub annotations: Vec<Annotation>,
    /// The loss weight the leader's balances use.
    pub settings_loss_weight: f64,
    /// Change initiatives with linked entries in it (none in version 1 documents); see
    /// [`initiatives`](super::initiatives) for what of each goes.
    #[serde(default)]
    pub initiatives: Vec<ExportedInitiative>,
}

/// A coach's comments on an export, encrypted back to the leader who sent it.
/// See `docs/schema/touchpoint-review-v2.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewDocument {
    /// Always `touchpoint-review`.
    pub format: String,
    /// The document version, 1.
    pub version: u32,
    /// The program that wrote it.
    pub generator: String,
    /// Who reviewed.
    pub reviewer: String,
    /// When the review file was made.
    pub created_at: Moment,
    /// The public key of the journal the reviewed export came from.
    pub for_public_key: String,
    /// When the reviewed export was made.
    pub export_exported_at: Moment,
    /// The id of the bundle reviewed (none in version 1 reviews).
    #[serde(default)]
    pub export_id: Option<Uuid>,
    /// The public key ("age1…") of the reviewer's journal (none in version 1 reviews).
    #[serde(default)]
    pub reviewer_key: Option<String>,
    /// The comments, each on a touchpoint or reflection of the export.
    pub annotations: Vec<Annotation>,
}

/// What a decrypted Touchpoint document turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// A leader's export.
    Export(Box<ExportDocument>),
    /// A coach's review.
    Review(ReviewDocument),
}

/// The program name written into documents.
pub(crate) fn generator() -> String {
    format!("Touchpoint {}", env!("CARGO_PKG_VERSION"))
}

/// Reads a decrypted document, telling apart exports, reviews, newer versions and other JSON.
pub(crate) fn parse(bytes: &[u8]) -> Result<Opened, ExchangeError> {
    let trimmed = trim_start(bytes);
    if !trimmed.starts_with(b"{") {
        return Err(ExchangeError::NotTouchpoint(
            "it is neither an encrypted bundle nor a Touchpoint JSON document".into(),
        ));
    }
    // A first pass reads only the markers (skipping the rest), so a file of another kind or a
    // newer version is recognised before its body is interpreted.
    let header: Header = serde_json::from_slice(trimmed).map_err(|e| {
        if e.is_eof() {
            ExchangeError::Damaged("the document ends too early (truncated)".into())
        } else if e.is_data() {
            ExchangeError::NotTouchpoint("the JSON is not a Touchpoint document".into())
        } else {
            ExchangeError::Damaged(format!("the document is not valid JSON ({e})"))
        }
    })?;
    let format = header.format.as_ref().and_then(|f| f.as_str());
    let (what, supported) = match format {
        Some(EXPORT_FORMAT) => ("export", EXPORT_VERSION),
        Some(REVIEW_FORMAT) => ("review", REVIEW_VERSION),
        _ => {
            return Err(ExchangeError::NotTouchpoint(
                "the JSON has no Touchpoint format marker".into(),
            ))
        }
    };
    let version = header
        .version
        .as_ref()
        .and_then(|v| v.as_u64())
        .ok_or_else(|| ExchangeError::Damaged(format!("the {what} has no version number")))?;
    let found = u32::try_from(version).unwrap_or(u32::MAX);
    if found > supported {
        return Err(ExchangeError::NewerVersion {
            what,
            found,
            supported,
        });
    }
    if found == 0 {
        return Err(ExchangeError::Damaged(format!(
            "the {what} has version 0, which no Touchpoint writes"
        )));
    }
    let shape = |e: serde_json::Error| {
        ExchangeError::Damaged(format!(
            "the {what} does not match the Touchpoint {what} format ({e})"
        ))
    };
    if what == "export" {
        let doc: ExportDocument = serde_json::from_slice(trimmed).map_err(shape)?;
        doc.check()?;
        Ok(Opened::Export(Box::new(doc)))
    } else {
        let doc: ReviewDocument = serde_json::from_slice(trimmed).map_err(shape)?;
        Ok(Opened::Review(doc))
    }
}

/// The markers of a document, read before anything else.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    format: Option<serde_json::Value>,
    #[serde(default)]
    version: Option<serde_json::Value>,
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

impl ExportDocument {
    /// Checks the document hangs together: known markers, ratings in range, and every
    /// reference (participants, reflections, commitments, topics, annotations) resolving
    /// inside it.
    pub fn check(&self) -> Result<(), ExchangeError> {
        let bad = |m: String| Err(ExchangeError::Damaged(m));
        if self.format != EXPORT_FORMAT {
            return bad(format!("unexpected format marker {:?}", self.format));
        }
        if self.version > EXPORT_VERSION {
            return Err(ExchangeError::NewerVersion {
                what: "export",
                found: self.version,
                supported: EXPORT_VERSION,
            });
        }
        if LossWeight::from_f64(self.settings_loss_weight).is_err() {
            return bad(format!(
                "the loss weight {} is outside 1.0 to 3.0",
                self.settings_loss_weight
            ));
        }
        let people: HashSet<Uuid> = self.people.iter().map(|p| p.id).collect();
        if people.len() != self.people.len() {
            return bad("a person is listed twice".into());
        }
        let mut touchpoints: HashMap<Uuid, &Touchpoint> = HashMap::new();
        for t in &self.touchpoints {
            if touchpoints.insert(t.id, t).is_some() {
                return bad(format!("entry {} is listed twice", t.id));
            }
            if let Some(p) = t.participants.iter().find(|p| !people.contains(p)) {
                return bad(format!(
                    "entry {} names a person ({p}) who is not in it",
                    t.id
                ));
            }
            for g in &t.affected_groups {
                check_rating("impact", g.impact).map_err(ExchangeError::from)?;
            }
        }
        let mut pairs = HashSet::new();
        let mut ids = HashSet::new();
        for r in &self.reflections {
            let Some(t) = touchpoints.get(&r.touchpoint_id) else {
                return bad(format!(
                    "reflection {} is on an entry that is not in it",
                    r.id
                ));
            };
            if !t.participants.contains(&r.person_id) {
                return bad(format!(
                    "reflection {} is by someone who was not in its entry",
                    r.id
                ));
            }
            check_rating("willingness", r.willingness).map_err(ExchangeError::from)?;
            check_rating("ability", r.ability).map_err(ExchangeError::from)?;
            if !pairs.insert((r.touchpoint_id, r.person_id)) || !ids.insert(r.id) {
                return bad(format!("reflection {} is listed twice", r.id));
            }
        }
        let linked = |t: Option<Uuid>| t.is_none_or(|t| touchpoints.contains_key(&t));
        for c in &self.commitments {
            if !people.contains(&c.person_id) || !linked(c.touchpoint_id) {
                return bad(format!("commitment {} refers to records not in it", c.id));
            }
        }
        for t in &self.topics {
            if !people.contains(&t.person_id) || !linked(t.touchpoint_id) {
                return bad(format!("topic {} refers to records not in it", t.id));
            }
        }
        for a in &self.annotations {
            if !touchpoints.contains_key(&a.target_id) && !ids.contains(&a.target_id) {
                return bad(format!("comment {} is on an entry that is not in it", a.id));
            }
        }
        let exported: HashSet<Uuid> = touchpoints.keys().copied().collect();
        initiatives::check(&self.initiatives, &people, &exported)
    }

    /// Whether `id` is a touchpoint or reflection of this document.
    pub fn is_annotation_target(&self, id: Uuid) -> bool {
        self.touchpoints.iter().any(|t| t.id == id) || self.reflections.iter().any(|r| r.id == id)
    }

    /// The loss weight of the document, or the default when out of range.
    pub fn loss_weight(&self) -> LossWeight {
        LossWeight::from_f64(self.settings_loss_weight).unwrap_or_default()
    }

    /// The Trust Balance events of one person in this document: their reflections and their
    /// resolved commitments, by the same rules as the journal (a renegotiation after the due
    /// date counts as broken).
    pub fn balance_events(&self, person: Uuid) -> Vec<Event> {
        let touchpoints: HashMap<Uuid, &Touchpoint> =
            self.touchpoints.iter().map(|t| (t.id, t)).collect();
        let mut events: Vec<Event> = self
            .reflections
            .iter()
            .filter(|r| r.person_id == person)
            .filter_map(|r| {
                touchpoints
                    .get(&r.touchpoint_id)
                    .map(|t| Event::from_reflection(t, r))
            })
            .collect();
        events.extend(
            self.commitments
                .iter()
                .filter(|c| c.person_id == person)
                .filter_map(commitment_event),
        );
        events
    }

    /// The balance of one person over this document's events only, as of `now`.
    pub fn balance(&self, person: Uuid, now: DateTime<Utc>) -> BalanceReport {
        balance::compute(&self.balance_events(person), self.loss_weight(), now)
    }

    /// The balance of every person of the document over its events, as of `now`, in one pass.
    pub fn balances(&self, now: DateTime<Utc>) -> HashMap<Uuid, BalanceReport> {
        let touchpoints: HashMap<Uuid, &Touchpoint> =
            self.touchpoints.iter().map(|t| (t.id, t)).collect();
        let mut events: HashMap<Uuid, Vec<Event>> = HashMap::new();
        for r in &self.reflections {
            if let Some(t) = touchpoints.get(&r.touchpoint_id) {
                events
                    .entry(r.person_id)
                    .or_default()
                    .push(Event::from_reflection(t, r));
            }
        }
        for c in &self.commitments {
            if let Some(e) = commitment_event(c) {
                events.entry(c.person_id).or_default().push(e);
            }
        }
        let weight = self.loss_weight();
        self.people
            .iter()
            .map(|p| {
                let mine = events.remove(&p.id).unwrap_or_default();
                (p.id, balance::compute(&mine, weight, now))
            })
            .collect()
    }
}

/// A resolved commitment as the journal counts it: kept +1 ability, broken -1, renegotiated 0
/// in time and as broken when resolved after the due date.
pub(crate) fn commitment_event(c: &Commitment) -> Option<Event> {
    let at = c.resolved_at?;
    let late = c.due.is_some_and(|d: NaiveDate| at.date_naive() > d);
    let status = match c.status {
        CommitmentStatus::Open => return None,
        CommitmentStatus::Renegotiated if late => CommitmentStatus::Broken,
        s => s,
    };
    Event::commitment(c.id, c.person_id, at, status).map(|e| e.with_label(c.what.clone()))
}
