//! The leader's own prompt sets, stored beside the built-in ones that ship with the app.

use rusqlite::params;
use uuid::Uuid;

use super::Journal;
use crate::prompts::{self, PromptSet};
use crate::{Error, Result};

impl Journal {
    /// The built-in sets followed by the leader's own, in their saved order.
    pub fn prompt_sets(&self) -> Result<Vec<PromptSet>> {
        let mut sets = prompts::builtin_sets();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT body FROM prompt_sets ORDER BY position, id")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            // A set that no longer parses is skipped rather than hiding every other set.
            if let Ok(set) = serde_json::from_str::<PromptSet>(&body?) {
                sets.push(set);
            }
        }
        Ok(sets)
    }

    /// Adds or replaces one of the leader's sets; a built-in set is saved as an editable copy.
    pub fn save_prompt_set(&mut self, set: &PromptSet) -> Result<PromptSet> {
        let set = if set.builtin || prompts::builtin_sets().iter().any(|b| b.id == set.id) {
            set.user_copy()
        } else {
            set.clone()
        };
        prompts::validate(&set)?;
        self.write(|tx| put_set(tx, &set))?;
        Ok(set)
    }

    /// Saves the order of the leader's sets (ids not listed keep their place after these).
    pub fn reorder_prompt_sets(&mut self, ids: &[Uuid]) -> Result<()> {
        self.write(|tx| {
            for (i, id) in ids.iter().enumerate() {
                tx.execute(
                    "UPDATE prompt_sets SET position = ?2 WHERE id = ?1",
                    params![id.to_string(), i as i64],
                )?;
            }
            Ok(())
        })
    }

    /// Deletes one of the leader's sets (built-in sets cannot be deleted).
    pub fn delete_prompt_set(&mut self, id: Uuid) -> Result<()> {
        let n = self.write(|tx| {
            Ok(tx.execute("DELETE FROM prompt_sets WHERE id = ?1", [id.to_string()])?)
        })?;
        if n == 0 {
            return Err(Error::NotFound(format!(
                "no prompt set of yours with id {id}"
            )));
        }
        Ok(())
    }

    /// Imports sets from a prompt file: all of them or, if any is invalid, none.
    pub fn import_prompt_sets(&mut self, json: &str) -> Result<Vec<PromptSet>> {
        let sets = prompts::import_json(json)?;
        self.write(|tx| {
            for set in &sets {
                put_set(tx, set)?;
            }
            Ok(())
        })?;
        Ok(sets)
    }

    /// The leader's own sets (or all, built-in included) as a prompt file.
    pub fn export_prompt_sets(&self, include_builtin: bool) -> Result<String> {
        let sets: Vec<PromptSet> = self
            .prompt_sets()?
            .into_iter()
            .filter(|s| include_builtin || !s.builtin)
            .collect();
        Ok(prompts::export_json(&sets))
    }
}

fn put_set(tx: &rusqlite::Transaction<'_>, set: &PromptSet) -> Result<()> {
    let body = serde_json::to_string(set).expect("prompt sets serialise");
    tx.execute(
        "INSERT INTO prompt_sets(id, position, body)
         VALUES (?1, (SELECT coalesce(max(position), -1) + 1 FROM prompt_sets), ?2)
         ON CONFLICT(id) DO UPDATE SET body = excluded.body",
        params![set.id.to_string(), body],
    )?;
    Ok(())
}
