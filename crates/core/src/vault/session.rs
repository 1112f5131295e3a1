//! Unlock sessions: the journal's data key kept for a while in the kernel's session keyring, so
//! a run of commands pays for the passphrase's key derivation once.
//!
//! A session is bound to one journal file and one key file. Its keyring entry is named after the
//! journal (its folder and the identity of its database file, so a copy or a restored file is
//! another journal) and holds, besides the key, a digest of the key file it was opened with: a
//! change of passphrase, of recovery code or of key, and a restore, revoke the entry, and an
//! entry that survives one anyway (another program changed the file) no longer matches and is
//! never used. The key is never written to disk nor put in the environment; in this process it
//! lives in zeroizing memory.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{db_path, exists, key_opens, key_path, Journal};
use crate::keyfile::KeyFile;
use crate::secret::{DataKey, Passphrase, DATA_KEY_LEN};
use crate::Error;

/// How long `touchpoint unlock` keeps the key when no length is given.
pub const DEFAULT_SESSION: Duration = Duration::from_secs(15 * 60);
/// The longest session: a working day.
pub const MAX_SESSION: Duration = Duration::from_secs(8 * 60 * 60);

const PAYLOAD_VERSION: u8 = 1;
const DIGEST_LEN: usize = 32;
/// Version, key-file digest, opened and expiry (seconds since the epoch), data key.
const PAYLOAD_LEN: usize = 1 + DIGEST_LEN + 8 + 8 + DATA_KEY_LEN;

/// What went wrong with an unlock session.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The kernel keyring cannot be used here (some containers, or not Linux).
    #[error(
        "the kernel keyring is not available here ({0}), so no session can be kept; \
         every command asks for the passphrase instead"
    )]
    Unavailable(String),
    /// A session length out of range or unreadable.
    #[error("{0}")]
    Duration(String),
    /// A session entry exists but may not be used: expired, revoked, damaged, or for a key
    /// file or database that has changed since.
    #[error("the unlock session for this journal cannot be used: {0}")]
    Stale(String),
    /// The journal itself refused (wrong passphrase, damage, in use…).
    #[error(transparent)]
    Journal(#[from] Error),
}

/// An open session, as `touchpoint status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// The journal folder the session opens.
    pub journal: PathBuf,
    /// When `unlock` opened it.
    pub opened: DateTime<Utc>,
    /// When the kernel drops the key.
    pub expires: DateTime<Utc>,
}

/// Whether a session is open for a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionStatus {
    /// No session (never opened, locked, or expired and collected).
    None,
    /// A session that later commands use.
    Open(SessionInfo),
    /// An entry that will not be used, and why (it is revoked when found).
    Stale(String),
}

/// Reads a session length: a number with `s`, `m` or `h` (minutes when bare), or several
/// such parts (`1h30m`). Zero and more than eight hours are refused.
pub fn parse_duration(text: &str) -> Result<Duration, SessionError> {
    let bad = || {
        SessionError::Duration(format!(
            "{text:?} is not a session length; write for example 15m, 90s, 2h or 1h30m"
        ))
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = total.saturating_add(n.saturating_mul(unit));
        number.clear();
    }
    if !number.is_empty() {
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = total.saturating_add(n.saturating_mul(60));
    }
    let length = Duration::from_secs(total);
    check_length(length)?;
    Ok(length)
}

fn check_length(length: Duration) -> Result<(), SessionError> {
    if length.is_zero() {
        return Err(SessionError::Duration(
            "a session must last at least one second; use `touchpoint lock` to end one".into(),
        ));
    }
    if length > MAX_SESSION {
        return Err(SessionError::Duration(format!(
            "a session lasts at most 8 hours (asked for {})",
            describe(length)
        )));
    }
    Ok(())
}

/// "15 minutes", "2 hours", "1 hour 30 minutes", "45 seconds".
pub fn describe(length: Duration) -> String {
    let secs = length.as_secs();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let part = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let parts: Vec<String> = [(h, "hour"), (m, "minute"), (s, "second")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| part(n, unit))
        .collect();
    if parts.is_empty() {
        "0 seconds".into()
    } else {
        parts.join(" ")
    }
}

/// The keyring entry's name for the journal in `dir`: its canonical folder and the identity
/// (device and inode) of its database file, hashed so the name shows nothing of either.
fn entry_name(dir: &Path) -> Result<String, Error> {
    let folder = fs::canonicalize(dir)
        .map_err(|e| Error::io(format!("cannot resolve {}", dir.display()), e))?;
    let db = fs::metadata(db_path(dir))
        .map_err(|e| Error::io(format!("cannot read {}", db_path(dir).display()), e))?;
    let mut hash = Sha256::new();
    hash.update(b"touchpoint unlock session name v1\0");
    hash.update(folder.as_os_str().as_encoded_bytes());
    hash.update(b"\0");
    hash.update(file_identity(&db));
    let digest = hash.finalize();
    Ok(format!("touchpoint:journal:{}", hex::encode(&digest[..16])))
}

#[cfg(unix)]
fn file_identity(meta: &fs::Metadata) -> [u8; 16] {
    use std::os::unix::fs::MetadataExt;
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&meta.dev().to_le_bytes());
    out[8..].copy_from_slice(&meta.ino().to_le_bytes());
    out
}

#[cfg(not(unix))]
fn file_identity(_meta: &fs::Metadata) -> [u8; 16] {
    [0u8; 16]
}

/// A digest of the key file as it is now, and of the entry's name: what a session must match.
fn binding(dir: &Path, name: &str) -> Result<[u8; DIGEST_LEN], Error> {
    let bytes = fs::read(key_path(dir))
        .map_err(|e| Error::io(format!("cannot read {}", key_path(dir).display()), e))?;
    let mut hash = Sha256::new();
    hash.update(b"touchpoint unlock session binding v1\0");
    hash.update(name.as_bytes());
    hash.update(b"\0");
    hash.update(&bytes);
    Ok(hash.finalize().into())
}

/// The entry's payload, read back.
struct Payload {
    binding: [u8; DIGEST_LEN],
    opened: i64,
    expires: i64,
    key: DataKey,
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Payload")
            .field("opened", &self.opened)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

impl Payload {
    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(PAYLOAD_LEN));
        out.push(PAYLOAD_VERSION);
        out.extend_from_slice(&self.binding);
        out.extend_from_slice(&self.opened.to_be_bytes());
        out.extend_from_slice(&self.expires.to_be_bytes());
        out.extend_from_slice(self.key.expose());
        out
    }

    fn decode(bytes: &[u8]) -> Result<Payload, String> {
        if bytes.len() != PAYLOAD_LEN {
            return Err(format!(
                "its keyring entry has {} bytes where a session has {PAYLOAD_LEN}",
                bytes.len()
            ));
        }
        if bytes[0] != PAYLOAD_VERSION {
            return Err("its keyring entry was written by another version".into());
        }
        let mut binding = [0u8; DIGEST_LEN];
        binding.copy_from_slice(&bytes[1..1 + DIGEST_LEN]);
        let at = 1 + DIGEST_LEN;
        let number = |from: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[from..from + 8]);
            i64::from_be_bytes(b)
        };
        let (opened, expires) = (number(at), number(at + 8));
        let key = DataKey::from_bytes(&bytes[at + 16..]).ok_or("its key has the wrong length")?;
        Ok(Payload {
            binding,
            opened,
            expires,
            key,
        })
    }

    fn info(&self, dir: &Path) -> SessionInfo {
        SessionInfo {
            journal: dir.to_path_buf(),
            opened: moment(self.opened),
            expires: moment(self.expires),
        }
    }
}

fn moment(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Checks a found entry against the journal as it is now; the reason it cannot be used if not.
fn check(dir: &Path, name: &str, payload: &Payload) -> Result<Result<(), String>, Error> {
    if payload.expires <= Utc::now().timestamp() {
        return Ok(Err("it has expired".into()));
    }
    if binding(dir, name)? != payload.binding {
        return Ok(Err(
            "the journal's key file has changed since it was unlocked (a new passphrase, \
             recovery code or key)"
                .into(),
        ));
    }
    Ok(Ok(()))
}

/// What the keyring holds for `name`, or why it holds nothing usable.
enum Found {
    Nothing,
    Entry(keyring::Entry, Zeroizing<Vec<u8>>),
    Unusable(String),
}

fn find(name: &str) -> Result<Found, SessionError> {
    match keyring::find(name)? {
        keyring::Lookup::Missing => Ok(Found::Nothing),
        keyring::Lookup::Gone(reason) => Ok(Found::Unusable(reason.into())),
        keyring::Lookup::Found(entry) => {
            let bytes = entry.read()?;
            Ok(Found::Entry(entry, bytes))
        }
    }
}

impl Journal {
    /// Opens the journal with `passphrase` and keeps its data key in the kernel session keyring
    /// for `length`, replacing any session this journal had. A wrong passphrase creates nothing.
    pub fn unlock_session(
        dir: &Path,
        passphrase: &Passphrase,
        length: Duration,
    ) -> Result<(Journal, SessionInfo), SessionError> {
        check_length(length)?;
        keyring::available()?;
        if !exists(dir) {
            return Err(Error::NoJournal(dir.to_path_buf()).into());
        }
        // The passphrase opens the journal first, so an interrupted re-encryption is settled
        // with each key file unlocked on its own; the key kept is then the settled one's.
        let journal = Journal::open(dir, passphrase)?;
        let key = KeyFile::read(&key_path(dir))?.unlock_with_passphrase(passphrase)?;
        let name = entry_name(dir)?;
        let opened = Utc::now().timestamp();
        let secs = i64::try_from(length.as_secs()).unwrap_or(i64::MAX);
        let payload = Payload {
            binding: binding(dir, &name)?,
            opened,
            expires: opened.saturating_add(secs),
            key,
        };
        keyring::revoke(&name);
        keyring::store(&name, &payload.encode(), length)?;
        Ok((journal, payload.info(dir)))
    }

    /// Opens the journal with its session, if one is open. `None` when there is none (or the
    /// keyring is not available: the caller asks for the passphrase as always). An entry that
    /// cannot be used is revoked and reported as [`SessionError::Stale`]; it never opens, and
    /// so never writes, anything. With `extend`, the session's expiry starts again from now.
    pub fn open_session(dir: &Path, extend: bool) -> Result<Option<Journal>, SessionError> {
        if !exists(dir) || !db_path(dir).exists() {
            return Ok(None);
        }
        let name = entry_name(dir)?;
        let (entry, bytes) = match find(&name) {
            Ok(Found::Nothing) | Err(SessionError::Unavailable(_)) => return Ok(None),
            Ok(Found::Unusable(reason)) => return Err(SessionError::Stale(reason)),
            Ok(Found::Entry(entry, bytes)) => (entry, bytes),
            Err(e) => return Err(e),
        };
        let payload = match Payload::decode(&bytes) {
            Ok(p) => p,
            Err(reason) => {
                entry.revoke();
                return Err(SessionError::Stale(reason));
            }
        };
        if let Err(reason) = check(dir, &name, &payload)? {
            entry.revoke();
            return Err(SessionError::Stale(reason));
        }
        if super::rekey::interrupted(dir) {
            // Settling it needs each key file unlocked on its own, which one kept key cannot do.
            entry.revoke();
            return Err(SessionError::Stale(
                "a re-encryption of the journal was interrupted; the passphrase finishes it".into(),
            ));
        }
        if !key_opens(&db_path(dir), &payload.key)? {
            entry.revoke();
            return Err(SessionError::Stale(
                "its key does not open this journal's database".into(),
            ));
        }
        let journal = Journal::open_with(dir, &|_| copy_key(&payload.key))?;
        if extend {
            let length = payload.expires.saturating_sub(payload.opened).max(1);
            let now = Utc::now().timestamp();
            let renewed = Payload {
                expires: now.saturating_add(length),
                opened: now,
                ..payload
            };
            entry.renew(
                &renewed.encode(),
                Duration::from_secs(u64::try_from(length).unwrap_or(1)),
            )?;
        }
        Ok(Some(journal))
    }

    /// Whether a session is open for the journal in `dir`, without opening it. A stale entry
    /// is revoked on the way.
    pub fn session_status(dir: &Path) -> Result<SessionStatus, SessionError> {
        if !exists(dir) {
            return Err(Error::NoJournal(dir.to_path_buf()).into());
        }
        let name = entry_name(dir)?;
        let (entry, bytes) = match find(&name)? {
            Found::Nothing => return Ok(SessionStatus::None),
            Found::Unusable(reason) => return Ok(SessionStatus::Stale(reason)),
            Found::Entry(entry, bytes) => (entry, bytes),
        };
        let payload = match Payload::decode(&bytes) {
            Ok(p) => p,
            Err(reason) => {
                entry.revoke();
                return Ok(SessionStatus::Stale(reason));
            }
        };
        if let Err(reason) = check(dir, &name, &payload)? {
            entry.revoke();
            return Ok(SessionStatus::Stale(reason));
        }
        Ok(SessionStatus::Open(payload.info(dir)))
    }

    /// Ends the journal's session at once; whether there was one to end.
    pub fn lock_session(dir: &Path) -> Result<bool, SessionError> {
        if !exists(dir) {
            return Err(Error::NoJournal(dir.to_path_buf()).into());
        }
        keyring::available()?;
        Ok(keyring::revoke(&entry_name(dir)?))
    }
}

/// Ends any session of the journal in `dir`, quietly: called before every change of secret and
/// every restore, so the old key file's session cannot outlive it.
pub(crate) fn revoke_quietly(dir: &Path) {
    if let Ok(name) = entry_name(dir) {
        keyring::revoke(&name);
    }
}

fn copy_key(key: &DataKey) -> crate::Result<DataKey> {
    DataKey::from_bytes(key.expose()).ok_or_else(|| Error::InvalidInput("bad key length".into()))
}

/// The kernel keyring, through `linux-keyutils`.
#[cfg(target_os = "linux")]
mod keyring {
    use std::time::Duration;

    use linux_keyutils::{
        Key, KeyError, KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission,
    };
    use zeroize::Zeroizing;

    use super::{SessionError, PAYLOAD_LEN};

    /// A session entry found in the keyring.
    pub(super) struct Entry(Key);

    pub(super) enum Lookup {
        Missing,
        Gone(&'static str),
        Found(Entry),
    }

    fn unavailable(e: KeyError) -> SessionError {
        SessionError::Unavailable(format!("{e:?}"))
    }

    /// The session keyring of this login; the user's session keyring when the process has none.
    fn ring() -> Result<KeyRing, SessionError> {
        KeyRing::from_special_id(KeyRingIdentifier::Session, false).map_err(unavailable)
    }

    pub(super) fn available() -> Result<(), SessionError> {
        ring().map(drop)
    }

    pub(super) fn find(name: &str) -> Result<Lookup, SessionError> {
        match ring()?.search(name) {
            Ok(key) => Ok(Lookup::Found(Entry(key))),
            Err(KeyError::KeyDoesNotExist) => Ok(Lookup::Missing),
            Err(KeyError::KeyExpired) => Ok(Lookup::Gone("it has expired")),
            Err(KeyError::KeyRevoked) => Ok(Lookup::Gone("it was revoked")),
            Err(e) => Err(unavailable(e)),
        }
    }

    pub(super) fn store(name: &str, payload: &[u8], length: Duration) -> Result<(), SessionError> {
        let key = ring()?.add_key(name, payload).map_err(unavailable)?;
        let set = (|| {
            // The possessor (processes of this login session) may use it; nobody else may even see it.
            key.set_perms(
                KeyPermissionsBuilder::builder()
                    .posessor(Permission::ALL)
                    .build(),
            )?;
            key.set_timeout(usize::try_from(length.as_secs()).unwrap_or(usize::MAX))
        })();
        if let Err(e) = set {
            let _ = key.revoke();
            return Err(unavailable(e));
        }
        Ok(())
    }

    /// Revokes the entry called `name`; whether there was one.
    pub(super) fn revoke(name: &str) -> bool {
        let Ok(ring) = ring() else { return false };
        let mut any = false;
        // `add_key` replaces an entry of the same name, but revoke every match to be sure.
        while let Ok(key) = ring.search(name) {
            if key.revoke().is_err() {
                break;
            }
            let _ = ring.unlink_key(key);
            any = true;
        }
        any
    }

    impl Entry {
        /// The payload, read into zeroizing memory (one byte more than a session has, so a
        /// longer entry is seen as such).
        pub(super) fn read(&self) -> Result<Zeroizing<Vec<u8>>, SessionError> {
            let mut buffer = Zeroizing::new(vec![0u8; PAYLOAD_LEN + 1]);
            let n = self.0.read(&mut *buffer).map_err(unavailable)?;
            buffer.truncate(n.min(PAYLOAD_LEN + 1));
            Ok(buffer)
        }

        pub(super) fn revoke(&self) {
            let _ = self.0.revoke();
        }

        pub(super) fn renew(&self, payload: &[u8], length: Duration) -> Result<(), SessionError> {
            self.0.update(&payload).map_err(unavailable)?;
            self.0
                .set_timeout(usize::try_from(length.as_secs()).unwrap_or(usize::MAX))
                .map_err(unavailable)
        }
    }
}

/// No kernel keyring off Linux: sessions are refused and commands ask for the passphrase.
#[cfg(not(target_os = "linux"))]
mod keyring {
    use std::time::Duration;

    use zeroize::Zeroizing;

    use super::SessionError;

    pub(super) struct Entry;

    pub(super) enum Lookup {
        Missing,
        #[allow(dead_code)]
        Gone(&'static str),
        #[allow(dead_code)]
        Found(Entry),
    }

    fn unavailable() -> SessionError {
        SessionError::Unavailable("sessions use the Linux kernel keyring".into())
    }

    pub(super) fn available() -> Result<(), SessionError> {
        Err(unavailable())
    }

    pub(super) fn find(_name: &str) -> Result<Lookup, SessionError> {
        Ok(Lookup::Missing)
    }

    pub(super) fn store(_: &str, _: &[u8], _: Duration) -> Result<(), SessionError> {
        Err(unavailable())
    }

    pub(super) fn revoke(_name: &str) -> bool {
        false
    }

    impl Entry {
        pub(super) fn read(&self) -> Result<Zeroizing<Vec<u8>>, SessionError> {
            Err(unavailable())
        }
        pub(super) fn revoke(&self) {}
        pub(super) fn renew(&self, _: &[u8], _: Duration) -> Result<(), SessionError> {
            Err(unavailable())
        }
    }
}

#[cfg(test)]
mod tests;
