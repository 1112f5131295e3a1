//! The one unsaved form (a capture or a reflection) the app keeps inside the encrypted journal,
//! so that text typed before an auto-lock is still there after unlock.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::Journal;
use crate::{Error, Result};

const META_KEY: &str = "form-draft";

/// The most a form's state may hold: far above any reflection typed by hand, low enough that
/// a runaway caller cannot bloat the journal.
pub const FORM_DRAFT_MAX_BYTES: usize = 512 * 1024;

/// Which form a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FormKind {
    /// The quick-capture dialog (a touchpoint not yet recorded).
    Capture,
    /// The reflection on a recorded touchpoint.
    Reflection,
}

/// An unsaved form. The state is the form's own fields as the app wrote them (a JSON object):
/// the journal keeps it whole and hands it back; it never becomes a record until the leader
/// saves the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FormDraft {
    /// The form.
    pub form: FormKind,
    /// The touchpoint a reflection is about (none for a capture).
    pub touchpoint_id: Option<Uuid>,
    /// What the leader sees in the offer to continue, such as the touchpoint's title.
    pub label: String,
    /// The form's fields, a JSON object.
    pub state: String,
    /// When the app last saved it.
    pub saved_at: DateTime<Utc>,
}

impl FormDraft {
    fn validate(&self) -> Result<()> {
        if self.state.len() + self.label.len() > FORM_DRAFT_MAX_BYTES {
            return Err(Error::InvalidInput(format!(
                "an unsaved form may hold at most {} KiB",
                FORM_DRAFT_MAX_BYTES / 1024
            )));
        }
        let parsed: serde_json::Value = serde_json::from_str(&self.state).map_err(|e| {
            Error::InvalidInput(format!("an unsaved form's state is not JSON: {e}"))
        })?;
        if !parsed.is_object() {
            return Err(Error::InvalidInput(
                "an unsaved form's state must be a JSON object".into(),
            ));
        }
        match (self.form, self.touchpoint_id) {
            (FormKind::Reflection, None) => Err(Error::InvalidInput(
                "an unsaved reflection names its touchpoint".into(),
            )),
            (FormKind::Capture, Some(_)) => Err(Error::InvalidInput(
                "an unsaved capture has no touchpoint yet".into(),
            )),
            _ => Ok(()),
        }
    }

    /// Whether the draft mentions `id` (a person or touchpoint): erasing them must take the
    /// draft too, or their words would outlive them.
    pub(crate) fn mentions(&self, id: &str) -> bool {
        self.touchpoint_id.is_some_and(|t| t.to_string() == id) || self.state.contains(id)
    }
}

/// The saved draft, if any. A value this version cannot read is treated as none: losing a
/// draft is better than a journal that cannot open.
pub(crate) fn load(conn: &rusqlite::Connection) -> Result<Option<FormDraft>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [META_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Removes the draft when it mentions any of `ids`; part of every erase, inside its transaction.
pub(crate) fn forget_mentions(tx: &rusqlite::Transaction<'_>, ids: &[&str]) -> Result<()> {
    if let Some(draft) = load(tx)? {
        if ids.iter().any(|id| draft.mentions(id)) {
            tx.execute("DELETE FROM meta WHERE key = ?1", [META_KEY])?;
        }
    }
    Ok(())
}

impl Journal {
    /// The unsaved form kept by [`Journal::save_form_draft`], if any.
    pub fn form_draft(&self) -> Result<Option<FormDraft>> {
        load(self.conn())
    }

    /// Keeps `draft` as the one unsaved form, replacing any earlier one.
    pub fn save_form_draft(&mut self, draft: &FormDraft) -> Result<()> {
        draft.validate()?;
        let body = serde_json::to_string(draft).expect("a form draft serialises");
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [META_KEY, body.as_str()],
            )?;
            Ok(())
        })
    }

    /// Forgets the unsaved form (it was saved, or the leader discarded it).
    pub fn discard_form_draft(&mut self) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM meta WHERE key = ?1", [META_KEY])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Passphrase;

    const PASS: &str = "a draft survives the lock";

    fn new_journal() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (journal, _code) =
            Journal::init(&dir.path().join("j"), &Passphrase::new(PASS.into())).expect("init");
        (dir, journal)
    }

    fn reflection(tp: Uuid, text: &str) -> FormDraft {
        FormDraft {
            form: FormKind::Reflection,
            touchpoint_id: Some(tp),
            label: "One-on-one with Ana".into(),
            state: serde_json::json!({ "their_side": text }).to_string(),
            saved_at: Utc::now(),
        }
    }

    #[test]
    fn a_draft_outlives_the_lock() {
        let (dir, mut j) = new_journal();
        let draft = reflection(Uuid::now_v7(), "she heard the plan second-hand");
        j.save_form_draft(&draft).unwrap();
        drop(j);
        let j = Journal::open(&dir.path().join("j"), &Passphrase::new(PASS.into())).unwrap();
        assert_eq!(j.form_draft().unwrap(), Some(draft));
    }

    /// "Kept, encrypted in the journal": no byte of the typed text is on disk in the clear.
    #[test]
    fn a_kept_draft_is_never_on_disk_in_the_clear() {
        let (dir, mut j) = new_journal();
        let canary = "quokkacanary reflection text";
        j.save_form_draft(&reflection(Uuid::now_v7(), canary))
            .unwrap();
        let check = |when: &str| {
            for entry in walk(dir.path()) {
                let bytes = std::fs::read(&entry).unwrap_or_default();
                assert!(
                    !bytes.windows(12).any(|w| w == &canary.as_bytes()[..12]),
                    "{when}: the draft's text is in the clear in {}",
                    entry.display()
                );
            }
        };
        check("unlocked");
        drop(j);
        check("locked");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }

    /// "It never becomes a record until the leader saves the form": keeping a draft writes no
    /// touchpoint, reflection or person.
    #[test]
    fn a_kept_draft_is_no_record() {
        let (_dir, mut j) = new_journal();
        j.save_form_draft(&reflection(Uuid::now_v7(), "not yet a reflection"))
            .unwrap();
        let count = |table: &str| -> i64 {
            j.conn()
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        for table in [
            "touchpoints",
            "reflections",
            "people",
            "commitments",
            "topics",
        ] {
            assert_eq!(count(table), 0, "{table}");
        }
    }

    #[test]
    fn a_new_draft_replaces_the_old_and_discard_forgets_it() {
        let (_dir, mut j) = new_journal();
        j.save_form_draft(&reflection(Uuid::now_v7(), "first"))
            .unwrap();
        let second = reflection(Uuid::now_v7(), "second");
        j.save_form_draft(&second).unwrap();
        assert_eq!(j.form_draft().unwrap(), Some(second));
        j.discard_form_draft().unwrap();
        assert_eq!(j.form_draft().unwrap(), None);
    }

    #[test]
    fn malformed_drafts_are_refused_and_keep_the_saved_one() {
        let (_dir, mut j) = new_journal();
        let kept = reflection(Uuid::now_v7(), "kept");
        j.save_form_draft(&kept).unwrap();
        let mut not_json = reflection(Uuid::now_v7(), "x");
        not_json.state = "{ cut off".into();
        let mut not_object = reflection(Uuid::now_v7(), "x");
        not_object.state = "[1, 2]".into();
        let mut huge = reflection(Uuid::now_v7(), &"a".repeat(FORM_DRAFT_MAX_BYTES));
        huge.label = "big".into();
        let mut capture_with_entry = reflection(Uuid::now_v7(), "x");
        capture_with_entry.form = FormKind::Capture;
        let mut reflection_without_entry = reflection(Uuid::now_v7(), "x");
        reflection_without_entry.touchpoint_id = None;
        for bad in [
            not_json,
            not_object,
            huge,
            capture_with_entry,
            reflection_without_entry,
        ] {
            let err = j.save_form_draft(&bad).unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{bad:?}");
        }
        assert_eq!(j.form_draft().unwrap(), Some(kept));
    }

    #[test]
    fn erasing_what_a_draft_mentions_takes_the_draft() {
        let (_dir, mut j) = new_journal();
        let add = |j: &mut Journal, name: &str| {
            j.add_person(crate::model::NewPerson {
                name: name.into(),
                ..Default::default()
            })
            .unwrap()
            .id
        };
        let ana = add(&mut j, "Ana");
        let ben = add(&mut j, "Ben");
        let mut draft = reflection(Uuid::now_v7(), "x");
        draft.form = FormKind::Capture;
        draft.touchpoint_id = None;
        draft.state = serde_json::json!({ "selected": [ana.to_string()] }).to_string();
        j.save_form_draft(&draft).unwrap();
        j.erase_person(ben).unwrap();
        assert!(
            j.form_draft().unwrap().is_some(),
            "an unrelated erase keeps it"
        );
        j.erase_person(ana).unwrap();
        assert_eq!(j.form_draft().unwrap(), None);
    }
}
