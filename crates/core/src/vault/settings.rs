//! Journal settings, kept as one JSON value in the encrypted `meta` table.

use rusqlite::{Connection, OptionalExtension};

use super::Journal;
use crate::model::Settings;
use crate::Result;

const KEY: &str = "settings";

/// Reads the settings, filling any field a newer or older version left out with its default.
pub(super) fn load(conn: &Connection) -> Result<Settings> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
        .optional()?;
    let Some(text) = text else {
        return Ok(Settings::default());
    };
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let defaults = serde_json::to_value(Settings::default()).unwrap_or_default();
    if let (Some(obj), Some(def)) = (value.as_object_mut(), defaults.as_object()) {
        for (k, v) in def {
            obj.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// Writes the settings.
pub(super) fn store(conn: &Connection, settings: &Settings) -> Result<()> {
    let text = serde_json::to_string(settings).expect("settings serialise");
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [KEY, text.as_str()],
    )?;
    Ok(())
}

impl Journal {
    /// The current settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Validates and saves new settings.
    pub fn update_settings(&mut self, settings: Settings) -> Result<()> {
        settings.validate()?;
        store(&self.conn, &settings)?;
        self.settings = settings;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Passphrase;

    fn fresh() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().expect("temp dir");
        let pass = Passphrase::new("settings test passphrase".into());
        let (journal, _code) = Journal::init(&dir.path().join("j"), &pass).expect("init");
        (dir, journal)
    }

    /// Reminders name no meeting and no person until the leader turns that on: off in a new
    /// journal, and off in one whose settings were saved before the setting existed.
    #[test]
    fn reminder_details_are_off_by_default_and_in_older_journals() {
        assert!(!Settings::default().reminders_show_details);
        let (_dir, j) = fresh();
        assert!(!j.settings().reminders_show_details);
        let mut older = serde_json::to_value(Settings::default()).expect("json");
        let fields = older.as_object_mut().expect("an object");
        fields.remove("reminders_show_details");
        fields.remove("reviewer_name");
        j.conn()
            .execute(
                "UPDATE meta SET value = ?1 WHERE key = 'settings'",
                [older.to_string()],
            )
            .expect("older settings");
        let loaded = load(j.conn()).expect("load");
        assert!(!loaded.reminders_show_details);
        assert_eq!(loaded.reviewer_name, "");
    }

    /// A reminder comes a few minutes after the meeting ends unless the leader chose otherwise,
    /// in a new journal and in one saved before the setting existed; 0..=60 minutes is kept,
    /// more is refused and changes nothing.
    #[test]
    fn reminder_delay_is_defaulted_in_older_journals_and_bounded() {
        use crate::model::{DEFAULT_REMIND_MINUTES_AFTER_END, MAX_REMIND_MINUTES_AFTER_END};
        assert_eq!(DEFAULT_REMIND_MINUTES_AFTER_END, 5);
        let (_dir, mut j) = fresh();
        assert_eq!(j.settings().remind_minutes_after_end, 5);
        let mut older = serde_json::to_value(Settings::default()).expect("json");
        older
            .as_object_mut()
            .expect("an object")
            .remove("remind_minutes_after_end");
        j.conn()
            .execute(
                "UPDATE meta SET value = ?1 WHERE key = 'settings'",
                [older.to_string()],
            )
            .expect("older settings");
        assert_eq!(load(j.conn()).expect("load").remind_minutes_after_end, 5);
        let parsed: Settings = serde_json::from_value(older).expect("parse without the field");
        assert_eq!(parsed.remind_minutes_after_end, 5);

        for minutes in [0, 30, MAX_REMIND_MINUTES_AFTER_END] {
            let mut s = j.settings().clone();
            s.remind_minutes_after_end = minutes;
            j.update_settings(s).expect("within range");
            assert_eq!(
                load(j.conn()).expect("load").remind_minutes_after_end,
                minutes
            );
        }
        let mut s = j.settings().clone();
        s.remind_minutes_after_end = MAX_REMIND_MINUTES_AFTER_END + 1;
        assert!(matches!(
            j.update_settings(s),
            Err(crate::Error::InvalidInput(_))
        ));
        assert_eq!(
            j.settings().remind_minutes_after_end,
            MAX_REMIND_MINUTES_AFTER_END
        );
        assert_eq!(
            load(j.conn()).expect("load").remind_minutes_after_end,
            MAX_REMIND_MINUTES_AFTER_END,
            "nothing saved"
        );
    }

    /// The reviewer's name is kept in the journal, trimmed; one too long to keep is not.
    #[test]
    fn finishing_a_review_remembers_the_reviewer_and_forgets_the_drafts() {
        let (_dir, mut j) = fresh();
        let note = crate::model::Annotation {
            id: crate::model::new_id(),
            target_id: crate::model::new_id(),
            author: String::new(),
            text: "a thought".into(),
            created_at: chrono::Utc::now().fixed_offset(),
        };
        j.save_review_drafts("bundle-1", &[note]).expect("draft");
        j.finish_review("bundle-1", "  Coach Kim ").expect("finish");
        assert_eq!(j.settings().reviewer_name, "Coach Kim");
        assert_eq!(load(j.conn()).expect("load").reviewer_name, "Coach Kim");
        assert!(j.review_drafts("bundle-1").expect("drafts").is_empty());
        let long = "k".repeat(crate::model::MAX_REVIEWER_NAME + 1);
        j.finish_review("bundle-1", &long).expect("finish");
        assert_eq!(j.settings().reviewer_name, "Coach Kim", "not remembered");
        let mut settings = j.settings().clone();
        settings.reviewer_name = long;
        assert!(matches!(
            j.update_settings(settings),
            Err(crate::Error::InvalidInput(_))
        ));
    }
}
