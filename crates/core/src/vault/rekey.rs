//! Re-encrypting the journal under a new data key, for when a secret or an old key file may have leaked.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Journal;
use crate::secret::{Passphrase, RecoveryCode};
use crate::{Error, Result};

/// What happens to the backups made under the old data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OldBackups {
    /// Each backup is re-encrypted under the new key and keeps its place (the default).
    Reencrypt,
    /// The backups are removed; the user confirmed it.
    Remove,
}

/// How far a re-encryption has come, for a progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RekeyProgress {
    /// Steps finished so far.
    pub done: u32,
    /// Steps in all: the journal, each backup, the key file.
    pub total: u32,
    /// What is being done now, in plain words.
    pub step: String,
}

impl Journal {
    /// Re-encrypts the journal (and, per `old_backups`, its backups) under a new random data
    /// key, writes a new key file for it with the same passphrase and a new recovery code, and
    /// returns that code to show once. A crash at any point leaves a journal that opens with
    /// `current`.
    pub fn rekey(
        &mut self,
        current: &Passphrase,
        old_backups: OldBackups,
        progress: &mut dyn FnMut(&RekeyProgress),
    ) -> Result<RecoveryCode> {
        let _ = (current, old_backups, progress);
        Err(Error::InvalidInput("re-encryption is not built yet".into()))
    }
}
