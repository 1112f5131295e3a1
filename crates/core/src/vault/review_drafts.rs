//! A coach's unsent comments on a received bundle, kept in the coach's own encrypted journal
//! between sessions (a plain draft file would put the leader's words on disk unencrypted).

use rusqlite::OptionalExtension;

use super::Journal;
use crate::model::Annotation;
use crate::Result;

fn meta_key(bundle: &str) -> String {
    format!("review-drafts:{bundle}")
}

impl Journal {
    /// The unsent comments on the bundle identified by `bundle` (empty when there are none).
    pub fn review_drafts(&self, bundle: &str) -> Result<Vec<Annotation>> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [meta_key(bundle)],
                |r| r.get(0),
            )
            .optional()?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// After a review file of the bundle `bundle` is written: forgets the comments it sent and
    /// remembers `reviewer` as the name to offer next time, in one transaction. The name is
    /// kept in this (encrypted) journal's settings, never in the webview's storage. The file is
    /// already written, so a name too long to keep is simply not remembered.
    pub fn finish_review(&mut self, bundle: &str, reviewer: &str) -> Result<()> {
        let mut settings = self.settings.clone();
        let reviewer = reviewer.trim();
        if reviewer.chars().count() <= crate::model::MAX_REVIEWER_NAME {
            settings.reviewer_name = reviewer.to_string();
        }
        let key = meta_key(bundle);
        self.write(|tx| {
            tx.execute("DELETE FROM meta WHERE key = ?1", [&key])?;
            super::settings::store(tx, &settings)
        })?;
        self.settings = settings;
        Ok(())
    }

    /// Replaces the unsent comments on a bundle; an empty list forgets them.
    pub fn save_review_drafts(&mut self, bundle: &str, drafts: &[Annotation]) -> Result<()> {
        let key = meta_key(bundle);
        self.write(|tx| {
            if drafts.is_empty() {
                tx.execute("DELETE FROM meta WHERE key = ?1", [&key])?;
            } else {
                let body = serde_json::to_string(drafts).expect("annotations serialise");
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [&key, &body],
                )?;
            }
            Ok(())
        })
    }
}
