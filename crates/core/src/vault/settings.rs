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
