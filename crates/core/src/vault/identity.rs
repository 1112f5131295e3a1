//! The journal's own age identity: the key a coach encrypts review files to.
//!
//! An X25519 identity is generated the first time it is needed and kept as its secret-key
//! string in the encrypted `meta` table. It never leaves the database in the clear: only its
//! public key ("age1…") is shown, exported and sent.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use rusqlite::OptionalExtension;
use zeroize::Zeroizing;

use super::Journal;
use crate::{Error, Result};

/// The `meta` key under which the secret key string is kept.
const KEY: &str = "identity";

impl Journal {
    /// The journal's public key ("age1…"), to give to a coach so they can send reviews back.
    ///
    /// The key pair is created on first use.
    pub fn public_key(&self) -> Result<String> {
        Ok(self.identity()?.to_public().to_string())
    }

    /// The journal's secret identity, created and stored on first use.
    pub(crate) fn identity(&self) -> Result<age::x25519::Identity> {
        let stored: Option<Zeroizing<String>> = self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .map(Zeroizing::new);
        if let Some(text) = stored {
            return age::x25519::Identity::from_str(text.trim()).map_err(|e| Error::Damaged {
                path: self.dir().join("journal.db"),
                detail: format!("the journal's exchange key is unreadable ({e})"),
            });
        }
        let identity = age::x25519::Identity::generate();
        let secret = identity.to_string();
        // `INSERT OR IGNORE` then read back: whoever stored first wins, so there is only ever one.
        self.conn().execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)",
            [KEY, secret.expose_secret()],
        )?;
        drop(secret);
        let text: Zeroizing<String> = Zeroizing::new(self.conn().query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [KEY],
            |r| r.get(0),
        )?);
        age::x25519::Identity::from_str(text.trim())
            .map_err(|e| Error::InvalidInput(format!("could not store the exchange key: {e}")))
    }
}
