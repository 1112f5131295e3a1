//! The key file beside the journal database (`journal.key`): the random data key, wrapped under a passphrase slot and a recovery-code slot.
//!
//! The file is small, versioned JSON:
//!
//! ```json
//! { "format": "touchpoint-keyfile", "version": 1,
//!   "slots": [ { "kind": "passphrase",
//!                "kdf": { "algorithm": "argon2id", "m_kib": 65536, "t": 3, "p": 1, "salt": "<hex>" },
//!                "nonce": "<hex, 24 bytes>", "wrapped_key": "<hex, 32 + 16 bytes>" },
//!              { "kind": "recovery", … } ] }
//! ```
//!
//! Each slot derives a 32-byte key from its secret with Argon2id and wraps the data key with
//! XChaCha20-Poly1305. The associated data binds the format, the version and the slot kind, so
//! slots cannot be swapped. Every write uses a fresh salt and nonce. Argon2 parameters below
//! [`KdfParams::MINIMUM`] are refused when reading, so a tampered file cannot downgrade the
//! derivation. Changing the passphrase rewraps the same data key; the database is untouched.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::{DataKey, Passphrase, RecoveryCode, DATA_KEY_LEN};

/// The key file's name inside a journal folder.
pub const FILE_NAME: &str = "journal.key";

/// The `format` field every key file carries.
pub const FORMAT: &str = "touchpoint-keyfile";

/// The key file version this build writes and reads.
pub const VERSION: u32 = 1;

/// The only key-derivation algorithm a slot may name.
const KDF_ALGORITHM: &str = "argon2id";

/// Salt length written for each slot.
const SALT_LEN: usize = 16;
/// Salt lengths accepted when reading.
const SALT_LEN_RANGE: std::ops::RangeInclusive<usize> = 16..=64;
/// XChaCha20-Poly1305 nonce length.
const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
const TAG_LEN: usize = 16;
/// A key file is a few hundred bytes; anything much larger is not one.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// Argon2id cost parameters of one key slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Number of passes.
    pub t: u32,
    /// Degree of parallelism.
    pub p: u32,
}

impl KdfParams {
    /// The parameters every slot is written with: 64 MiB, 3 passes, 1 lane.
    pub const DEFAULT: KdfParams = KdfParams {
        m_kib: 65_536,
        t: 3,
        p: 1,
    };

    /// The weakest parameters accepted when reading; a file asking for less is treated as
    /// tampered with.
    pub const MINIMUM: KdfParams = KdfParams {
        m_kib: 65_536,
        t: 3,
        p: 1,
    };

    /// The costliest parameters accepted when reading (1 GiB, 32 passes, 16 lanes), so a
    /// tampered file cannot make unlocking exhaust memory or run for hours.
    pub const MAXIMUM: KdfParams = KdfParams {
        m_kib: 1_048_576,
        t: 32,
        p: 16,
    };

    /// Why these parameters are not acceptable for reading, if they are not.
    fn problem(self) -> Option<String> {
        let (min, max) = (Self::MINIMUM, Self::MAXIMUM);
        if self.m_kib < min.m_kib || self.t < min.t || self.p < min.p {
            return Some(format!(
                "its key derivation settings (m_kib={}, t={}, p={}) are weaker than Touchpoint \
                 ever writes (at least m_kib={}, t={}, p={}); the file may have been tampered with",
                self.m_kib, self.t, self.p, min.m_kib, min.t, min.p
            ));
        }
        if self.m_kib > max.m_kib || self.t > max.t || self.p > max.p {
            return Some(format!(
                "its key derivation settings (m_kib={}, t={}, p={}) exceed the supported maximum \
                 (m_kib={}, t={}, p={})",
                self.m_kib, self.t, self.p, max.m_kib, max.t, max.p
            ));
        }
        None
    }
}

/// Which secret a slot is unlocked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SlotKind {
    Passphrase,
    Recovery,
}

impl SlotKind {
    fn as_str(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "passphrase",
            SlotKind::Recovery => "recovery",
        }
    }

    /// The associated data of this kind of slot: format, version and kind.
    fn aad(self) -> Vec<u8> {
        format!("{FORMAT}/v{VERSION}/{}", self.as_str()).into_bytes()
    }
}

/// One wrapped copy of the data key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    kdf: KdfParams,
    salt: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    wrapped_key: Vec<u8>,
}

impl Slot {
    /// Wraps `key` under `secret` with a fresh salt and nonce.
    fn seal(kind: SlotKind, secret: &[u8], key: &DataKey, kdf: KdfParams) -> Result<Slot> {
        let mut salt = vec![0u8; SALT_LEN];
        OsRng.fill_bytes(&mut salt);
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);

        let wrapping_key = derive(secret, &salt, kdf)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&wrapping_key[..]));
        let aad = kind.aad();
        let wrapped_key = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &key.expose()[..],
                    aad: &aad,
                },
            )
            .map_err(|_| Error::InvalidInput("could not wrap the data key".into()))?;
        Ok(Slot {
            kdf,
            salt,
            nonce,
            wrapped_key,
        })
    }

    /// Unwraps the data key with `secret`; `Ok(None)` when the secret (or the slot) is wrong.
    fn open(&self, kind: SlotKind, secret: &[u8]) -> Result<Option<DataKey>> {
        let wrapping_key = derive(secret, &self.salt, self.kdf)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&wrapping_key[..]));
        let aad = kind.aad();
        let plain = cipher.decrypt(
            XNonce::from_slice(&self.nonce),
            Payload {
                msg: &self.wrapped_key,
                aad: &aad,
            },
        );
        match plain {
            Ok(plain) => {
                let plain = Zeroizing::new(plain);
                Ok(DataKey::from_bytes(&plain))
            }
            Err(_) => Ok(None),
        }
    }
}

/// Derives a slot's 32-byte wrapping key from its secret with Argon2id.
fn derive(secret: &[u8], salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(kdf.m_kib, kdf.t, kdf.p, Some(32))
        .map_err(|e| Error::InvalidInput(format!("unusable key derivation settings: {e}")))?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon2
        .hash_password_into(secret, salt, &mut out[..])
        .map_err(|e| Error::InvalidInput(format!("key derivation failed: {e}")))?;
    Ok(out)
}

/// The key file of one journal: the data key wrapped under the passphrase and under the
/// recovery code. Holds no plaintext secret, so it may be cloned; still keep it out of logs,
/// since salts and wrapped keys are what an offline guessing attack starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    passphrase: Slot,
    recovery: Slot,
}

impl KeyFile {
    /// Writes a new key file at `path` holding `key` wrapped under `pass` and under `code`.
    ///
    /// Refuses with [`Error::AlreadyExists`] when anything already exists at `path`: a key file
    /// is never silently replaced by one for a different data key. The write is atomic, so a
    /// crash leaves either no file or a complete one.
    pub fn create(
        path: &Path,
        key: &DataKey,
        pass: &Passphrase,
        code: &RecoveryCode,
    ) -> Result<()> {
        if fs::symlink_metadata(path).is_ok() {
            return Err(Error::AlreadyExists(path.to_owned()));
        }
        let file = KeyFile {
            passphrase: Slot::seal(
                SlotKind::Passphrase,
                pass.expose().as_bytes(),
                key,
                KdfParams::DEFAULT,
            )?,
            recovery: Slot::seal(
                SlotKind::Recovery,
                code.normalized_bytes(),
                key,
                KdfParams::DEFAULT,
            )?,
        };
        file.write(path, WriteMode::CreateNew)
    }

    /// Reads and checks the key file at `path`.
    ///
    /// A missing or unreadable file is an I/O error; a file that is not a well-formed version-1
    /// key file (truncated, not JSON, another format, weakened key derivation, a slot missing or
    /// doubled) is [`Error::Damaged`] with the reason; a file from a newer Touchpoint is
    /// [`Error::NewerFormat`].
    pub fn read(path: &Path) -> Result<KeyFile> {
        let context = || format!("reading the key file {}", path.display());
        let file = File::open(path).map_err(|e| Error::io(context(), e))?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(damaged(path, "it is far too large to be a key file"));
        }
        parse(&bytes).map_err(|problem| match problem {
            Problem::Newer(found) => Error::NewerFormat {
                found,
                supported: VERSION,
            },
            Problem::Damaged(detail) => damaged(path, detail),
        })
    }

    /// Unwraps the data key with the passphrase; [`Error::WrongPassphrase`] if it does not fit.
    pub fn unlock_with_passphrase(&self, pass: &Passphrase) -> Result<DataKey> {
        self.passphrase
            .open(SlotKind::Passphrase, pass.expose().as_bytes())?
            .ok_or(Error::WrongPassphrase)
    }

    /// Unwraps the data key with the recovery code; [`Error::WrongRecoveryCode`] if it does not fit.
    pub fn unlock_with_recovery(&self, code: &RecoveryCode) -> Result<DataKey> {
        self.recovery
            .open(SlotKind::Recovery, code.normalized_bytes())?
            .ok_or(Error::WrongRecoveryCode)
    }

    /// Replaces the passphrase slot with `key` wrapped under `pass` (fresh salt and nonce).
    ///
    /// `key` must be the journal's data key as returned by an unlock: this only rewraps, it
    /// cannot check the key against the other slot. Nothing is written until
    /// [`KeyFile::write_atomic`].
    pub fn set_passphrase(&mut self, key: &DataKey, pass: &Passphrase) -> Result<()> {
        self.passphrase = Slot::seal(
            SlotKind::Passphrase,
            pass.expose().as_bytes(),
            key,
            KdfParams::DEFAULT,
        )?;
        Ok(())
    }

    /// Replaces the recovery slot with `key` wrapped under `code` (fresh salt and nonce).
    ///
    /// The same caveats as [`KeyFile::set_passphrase`] apply.
    pub fn set_recovery(&mut self, key: &DataKey, code: &RecoveryCode) -> Result<()> {
        self.recovery = Slot::seal(
            SlotKind::Recovery,
            code.normalized_bytes(),
            key,
            KdfParams::DEFAULT,
        )?;
        Ok(())
    }

    /// Writes the key file to `path`, replacing any file there, atomically: a temporary file in
    /// the same folder is written and synced, then renamed over `path`, then the folder is
    /// synced. On failure the old file is untouched and the temporary file removed. On Unix the
    /// file is readable by its owner only (0600).
    pub fn write_atomic(&self, path: &Path) -> Result<()> {
        self.write(path, WriteMode::Replace)
    }

    /// The file's JSON text.
    fn to_json(&self) -> Vec<u8> {
        let slot = |kind: SlotKind, slot: &Slot| SlotJson {
            kind,
            kdf: KdfJson {
                algorithm: KDF_ALGORITHM.into(),
                m_kib: slot.kdf.m_kib,
                t: slot.kdf.t,
                p: slot.kdf.p,
                salt: hex::encode(&slot.salt),
            },
            nonce: hex::encode(slot.nonce),
            wrapped_key: hex::encode(&slot.wrapped_key),
        };
        let json = FileJson {
            format: FORMAT.into(),
            version: VERSION,
            slots: vec![
                slot(SlotKind::Passphrase, &self.passphrase),
                slot(SlotKind::Recovery, &self.recovery),
            ],
        };
        let mut bytes = serde_json::to_vec_pretty(&json).expect("a key file always serialises");
        bytes.push(b'\n');
        bytes
    }

    fn write(&self, path: &Path, mode: WriteMode) -> Result<()> {
        let file_name = path
            .file_name()
            .ok_or_else(|| Error::InvalidInput(format!("{} is not a file path", path.display())))?;
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let write_context = || format!("writing the key file {}", path.display());

        let mut suffix = [0u8; 6];
        OsRng.fill_bytes(&mut suffix);
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(file_name);
        temp_name.push(format!(".tmp-{}", hex::encode(suffix)));
        let mut temp = TempFile {
            path: dir.join(temp_name),
            armed: true,
        };

        let mut file = open_private_new(&temp.path).map_err(|e| Error::io(write_context(), e))?;
        file.write_all(&self.to_json())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(write_context(), e))?;
        drop(file);

        match mode {
            WriteMode::Replace => {
                fs::rename(&temp.path, path).map_err(|e| Error::io(write_context(), e))?;
                temp.armed = false;
            }
            WriteMode::CreateNew => match fs::hard_link(&temp.path, path) {
                // The temporary name is removed by the guard; the new name stays.
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::AlreadyExists(path.to_owned()));
                }
                Err(_) => {
                    // Some file systems have no hard links: check, then rename.
                    if fs::symlink_metadata(path).is_ok() {
                        return Err(Error::AlreadyExists(path.to_owned()));
                    }
                    fs::rename(&temp.path, path).map_err(|e| Error::io(write_context(), e))?;
                    temp.armed = false;
                }
            },
        }
        drop(temp);
        sync_dir(&dir);
        Ok(())
    }
}

/// Whether a write may replace an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WriteMode {
    Replace,
    CreateNew,
}

/// A temporary file that is removed when dropped unless disarmed.
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Creates a new file readable and writable by its owner only.
fn open_private_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Makes a rename in `dir` durable. Best effort: some file systems cannot sync a folder, and
/// both the old and the new key file wrap the same data key, so losing the rename in a crash
/// loses nothing but the change itself.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn damaged(path: &Path, detail: impl Into<String>) -> Error {
    Error::Damaged {
        path: path.to_owned(),
        detail: detail.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// On-disk form

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileJson {
    format: String,
    version: u32,
    slots: Vec<SlotJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotJson {
    kind: SlotKind,
    kdf: KdfJson,
    nonce: String,
    wrapped_key: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KdfJson {
    algorithm: String,
    m_kib: u32,
    t: u32,
    p: u32,
    salt: String,
}

/// Why a key file could not be read.
enum Problem {
    /// Written by a newer Touchpoint (the version found).
    Newer(u32),
    /// Not a valid key file (what is wrong with it).
    Damaged(String),
}

impl From<String> for Problem {
    fn from(detail: String) -> Self {
        Problem::Damaged(detail)
    }
}

fn parse(bytes: &[u8]) -> std::result::Result<KeyFile, Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".to_string().into());
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            format!("it is cut short ({e})")
        } else {
            format!("it is not a key file: {e}")
        }
    })?;

    // Check format and version before the rest, so a newer file is recognised as such.
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(
            "it is not a Touchpoint key file (its \"format\" is missing or different)"
                .to_string()
                .into(),
        );
    }
    let version = value
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| "it has no valid \"version\"".to_string())?;
    if version > u64::from(VERSION) {
        return Err(Problem::Newer(u32::try_from(version).unwrap_or(u32::MAX)));
    }
    if version != u64::from(VERSION) {
        return Err(format!("unknown key file version {version}").into());
    }

    let json: FileJson =
        serde_json::from_value(value).map_err(|e| format!("unexpected contents: {e}"))?;

    let mut passphrase = None;
    let mut recovery = None;
    for (index, slot) in json.slots.into_iter().enumerate() {
        let kind = slot.kind;
        let parsed = parse_slot(slot)
            .map_err(|detail| format!("key slot {} ({}): {detail}", index + 1, kind.as_str()))?;
        let place = match kind {
            SlotKind::Passphrase => &mut passphrase,
            SlotKind::Recovery => &mut recovery,
        };
        if place.replace(parsed).is_some() {
            return Err(format!("it has more than one {} key slot", kind.as_str()).into());
        }
    }
    match (passphrase, recovery) {
        (Some(passphrase), Some(recovery)) => Ok(KeyFile {
            passphrase,
            recovery,
        }),
        (None, _) => Err("its passphrase key slot is missing".to_string().into()),
        (_, None) => Err("its recovery key slot is missing".to_string().into()),
    }
}

fn parse_slot(slot: SlotJson) -> std::result::Result<Slot, String> {
    if slot.kdf.algorithm != KDF_ALGORITHM {
        return Err(format!(
            "unsupported key derivation {:?} (expected {KDF_ALGORITHM})",
            slot.kdf.algorithm
        ));
    }
    let kdf = KdfParams {
        m_kib: slot.kdf.m_kib,
        t: slot.kdf.t,
        p: slot.kdf.p,
    };
    if let Some(problem) = kdf.problem() {
        return Err(problem);
    }
    let salt =
        hex::decode(&slot.kdf.salt).map_err(|e| format!("the salt is not valid hex: {e}"))?;
    if !SALT_LEN_RANGE.contains(&salt.len()) {
        return Err(format!(
            "the salt has {} bytes (expected {} to {})",
            salt.len(),
            SALT_LEN_RANGE.start(),
            SALT_LEN_RANGE.end()
        ));
    }
    let nonce = hex::decode(&slot.nonce).map_err(|e| format!("the nonce is not valid hex: {e}"))?;
    let nonce: [u8; NONCE_LEN] = nonce
        .try_into()
        .map_err(|n: Vec<u8>| format!("the nonce has {} bytes (expected {NONCE_LEN})", n.len()))?;
    let wrapped_key = hex::decode(&slot.wrapped_key)
        .map_err(|e| format!("the wrapped key is not valid hex: {e}"))?;
    if wrapped_key.len() != DATA_KEY_LEN + TAG_LEN {
        return Err(format!(
            "the wrapped key has {} bytes (expected {})",
            wrapped_key.len(),
            DATA_KEY_LEN + TAG_LEN
        ));
    }
    Ok(Slot {
        kdf,
        salt,
        nonce,
        wrapped_key,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use serde_json::{json, Value};

    use super::*;

    const PASS: &str = "correct horse battery staple";

    /// One key file created once (two Argon2 derivations) and shared by the tests.
    struct Fixture {
        json: Vec<u8>,
        key: [u8; DATA_KEY_LEN],
        code: String,
    }

    fn fixture() -> &'static Fixture {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        FIXTURE.get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(FILE_NAME);
            let key = DataKey::generate();
            let code = RecoveryCode::generate();
            KeyFile::create(&path, &key, &Passphrase::new(PASS.into()), &code).unwrap();
            Fixture {
                json: fs::read(&path).unwrap(),
                key: *key.expose(),
                code: code.display().to_string(),
            }
        })
    }

    fn pass(text: &str) -> Passphrase {
        Passphrase::new(text.into())
    }

    fn code() -> RecoveryCode {
        RecoveryCode::parse(&fixture().code).unwrap()
    }

    /// Writes `json` as a key file in a fresh folder and reads it back.
    fn read_bytes(bytes: &[u8]) -> (tempfile::TempDir, PathBuf, Result<KeyFile>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, bytes).unwrap();
        let result = KeyFile::read(&path);
        (dir, path, result)
    }

    /// The fixture's JSON, changed by `edit`, read back as a key file.
    fn read_edited(edit: impl FnOnce(&mut Value)) -> Result<KeyFile> {
        let mut value: Value = serde_json::from_slice(&fixture().json).unwrap();
        edit(&mut value);
        read_bytes(&serde_json::to_vec(&value).unwrap()).2
    }

    fn fixture_file() -> KeyFile {
        read_bytes(&fixture().json).2.unwrap()
    }

    /// Flips the lowest bit of the first byte of a hex string.
    fn flip_hex(value: &mut Value) {
        let mut bytes = hex::decode(value.as_str().unwrap()).unwrap();
        bytes[0] ^= 1;
        *value = Value::String(hex::encode(bytes));
    }

    fn assert_damaged(result: Result<KeyFile>, expect_in_detail: &str) {
        match result {
            Err(Error::Damaged { path, detail }) => {
                assert!(path.ends_with(FILE_NAME), "names the file: {path:?}");
                assert!(
                    detail.contains(expect_in_detail),
                    "detail {detail:?} should mention {expect_in_detail:?}"
                );
            }
            other => panic!("expected Damaged mentioning {expect_in_detail:?}, got {other:?}"),
        }
    }

    #[test]
    fn create_writes_the_documented_format() {
        let value: Value = serde_json::from_slice(&fixture().json).unwrap();
        assert_eq!(value["format"], FORMAT);
        assert_eq!(value["version"], 1);
        let slots = value["slots"].as_array().unwrap();
        assert_eq!(slots.len(), 2);
        assert_eq!(slots[0]["kind"], "passphrase");
        assert_eq!(slots[1]["kind"], "recovery");
        for slot in slots {
            assert_eq!(
                slot["kdf"],
                json!({"algorithm": "argon2id", "m_kib": 65536, "t": 3, "p": 1, "salt": slot["kdf"]["salt"]})
            );
            assert_eq!(slot["kdf"]["salt"].as_str().unwrap().len(), 2 * SALT_LEN);
            assert_eq!(slot["nonce"].as_str().unwrap().len(), 2 * NONCE_LEN);
            assert_eq!(
                slot["wrapped_key"].as_str().unwrap().len(),
                2 * (DATA_KEY_LEN + TAG_LEN)
            );
        }
        assert_ne!(
            slots[0]["kdf"]["salt"], slots[1]["kdf"]["salt"],
            "every slot gets its own salt"
        );
        assert_ne!(
            slots[0]["nonce"], slots[1]["nonce"],
            "every slot gets its own nonce"
        );

        let text = String::from_utf8(fixture().json.clone()).unwrap();
        assert!(
            !text.contains(&hex::encode(fixture().key)),
            "the data key is never stored in the clear"
        );
        assert!(!text.contains(PASS) && !text.contains(&fixture().code));
    }

    #[test]
    fn round_trip_unlocks_with_passphrase_and_recovery_code() {
        let file = fixture_file();
        let by_pass = file.unlock_with_passphrase(&pass(PASS)).unwrap();
        assert_eq!(by_pass.expose(), &fixture().key);
        let by_code = file.unlock_with_recovery(&code()).unwrap();
        assert_eq!(by_code.expose(), &fixture().key);
    }

    #[test]
    fn wrong_secrets_are_reported_as_such() {
        let file = fixture_file();
        assert!(matches!(
            file.unlock_with_passphrase(&pass("correct horse battery stapler")),
            Err(Error::WrongPassphrase)
        ));
        assert!(matches!(
            file.unlock_with_recovery(&RecoveryCode::generate()),
            Err(Error::WrongRecoveryCode)
        ));
    }

    #[test]
    fn recovery_then_new_passphrase_keeps_the_same_data_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, &fixture().json).unwrap();

        let mut file = KeyFile::read(&path).unwrap();
        let key = file.unlock_with_recovery(&code()).unwrap();
        file.set_passphrase(&key, &pass("a brand new passphrase"))
            .unwrap();
        file.write_atomic(&path).unwrap();

        let reread = KeyFile::read(&path).unwrap();
        assert_eq!(reread, file, "what was written is what is read");
        assert_eq!(
            reread.recovery,
            fixture_file().recovery,
            "the recovery slot is untouched"
        );
        assert!(matches!(
            reread.unlock_with_passphrase(&pass(PASS)),
            Err(Error::WrongPassphrase)
        ));
        let unlocked = reread
            .unlock_with_passphrase(&pass("a brand new passphrase"))
            .unwrap();
        assert_eq!(
            unlocked.expose(),
            &fixture().key,
            "rewrapping never changes the data key"
        );
    }

    #[test]
    fn set_recovery_rewraps_with_fresh_salt_and_nonce() {
        let mut file = fixture_file();
        let key = DataKey::from_bytes(&fixture().key).unwrap();
        let before = file.recovery.clone();
        let new_code = RecoveryCode::generate();
        file.set_recovery(&key, &new_code).unwrap();
        assert_ne!(file.recovery.salt, before.salt);
        assert_ne!(file.recovery.nonce, before.nonce);
        assert_eq!(
            file.passphrase,
            fixture_file().passphrase,
            "the passphrase slot is untouched"
        );
        assert_eq!(
            file.unlock_with_recovery(&new_code).unwrap().expose(),
            &fixture().key
        );
    }

    #[test]
    fn tampered_key_material_fails_authentication() {
        for field in ["wrapped_key", "nonce", "salt"] {
            let file = read_edited(|v| {
                let slot = &mut v["slots"][0];
                let target = if field == "salt" {
                    &mut slot["kdf"]["salt"]
                } else {
                    &mut slot[field]
                };
                flip_hex(target);
            })
            .unwrap();
            assert!(
                matches!(
                    file.unlock_with_passphrase(&pass(PASS)),
                    Err(Error::WrongPassphrase)
                ),
                "a flipped bit in {field} must fail authentication"
            );
        }
    }

    #[test]
    fn weakened_or_absurd_kdf_settings_are_damage() {
        assert_damaged(
            read_edited(|v| v["slots"][0]["kdf"]["m_kib"] = json!(32768)),
            "weaker",
        );
        assert_damaged(
            read_edited(|v| v["slots"][1]["kdf"]["t"] = json!(2)),
            "weaker",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["kdf"]["p"] = json!(0)),
            "weaker",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["kdf"]["m_kib"] = json!(u32::MAX)),
            "maximum",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["kdf"]["algorithm"] = json!("argon2i")),
            "argon2i",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["kdf"]["salt"] = json!("00112233")),
            "salt",
        );
    }

    #[test]
    fn malformed_files_are_damage() {
        let json = &fixture().json;
        assert_damaged(read_bytes(b"").2, "empty");
        assert_damaged(read_bytes(&json[..json.len() / 2]).2, "cut short");
        assert_damaged(read_bytes(b"\x00\x01garbage\xff").2, "not a key file");
        assert_damaged(read_bytes(b"[1, 2, 3]").2, "not a Touchpoint key file");
        assert_damaged(
            read_bytes(&vec![b' '; MAX_FILE_BYTES as usize + 10]).2,
            "too large",
        );
        assert_damaged(
            read_edited(|v| v["format"] = json!("something-else")),
            "not a Touchpoint key file",
        );
        assert_damaged(read_edited(|v| v["version"] = json!(0)), "version 0");
        assert_damaged(read_edited(|v| v["version"] = json!("1")), "version");
        assert_damaged(
            read_edited(|v| v["extra"] = json!(true)),
            "unexpected contents",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["kind"] = json!("fingerprint")),
            "unexpected contents",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["nonce"] = json!("zz")),
            "nonce",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["nonce"] = json!("0011")),
            "nonce has 2 bytes",
        );
        assert_damaged(
            read_edited(|v| v["slots"][0]["wrapped_key"] = json!(hex::encode([0u8; 32]))),
            "wrapped key has 32 bytes",
        );
        assert_damaged(
            read_edited(|v| {
                v["slots"].as_array_mut().unwrap().pop();
            }),
            "recovery key slot is missing",
        );
        assert_damaged(
            read_edited(|v| {
                let first = v["slots"][0].clone();
                v["slots"][1] = first;
            }),
            "more than one passphrase",
        );
    }

    #[test]
    fn newer_versions_ask_for_an_update() {
        assert!(matches!(
            read_edited(|v| v["version"] = json!(2)),
            Err(Error::NewerFormat {
                found: 2,
                supported: 1
            })
        ));
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        match KeyFile::read(&dir.path().join(FILE_NAME)) {
            Err(Error::Io { source, .. }) => {
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound)
            }
            other => panic!("expected Io(NotFound), got {other:?}"),
        }
    }

    #[test]
    fn slots_cannot_be_swapped() {
        // Swapping the kind labels: each secret now meets the other slot.
        let swapped = read_edited(|v| {
            v["slots"][0]["kind"] = json!("recovery");
            v["slots"][1]["kind"] = json!("passphrase");
        })
        .unwrap();
        assert!(matches!(
            swapped.unlock_with_passphrase(&pass(PASS)),
            Err(Error::WrongPassphrase)
        ));
        assert!(matches!(
            swapped.unlock_with_recovery(&code()),
            Err(Error::WrongRecoveryCode)
        ));

        // Even a slot wrapped under the right secret fails when its kind is relabelled: the
        // associated data names the kind.
        let key = DataKey::from_bytes(&fixture().key).unwrap();
        let mut file = fixture_file();
        file.passphrase = Slot::seal(
            SlotKind::Recovery,
            PASS.as_bytes(),
            &key,
            KdfParams::DEFAULT,
        )
        .unwrap();
        assert!(matches!(
            file.unlock_with_passphrase(&pass(PASS)),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn create_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"precious").unwrap();
        let result = KeyFile::create(
            &path,
            &DataKey::generate(),
            &pass(PASS),
            &RecoveryCode::generate(),
        );
        assert!(matches!(result, Err(Error::AlreadyExists(p)) if p == path));
        assert_eq!(
            fs::read(&path).unwrap(),
            b"precious",
            "the existing file is untouched"
        );
    }

    #[test]
    fn create_new_write_refuses_an_existing_target() {
        // The race-free check inside the write itself (hard link), not just the early check.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"precious").unwrap();
        let result = fixture_file().write(&path, WriteMode::CreateNew);
        assert!(matches!(result, Err(Error::AlreadyExists(_))));
        assert_eq!(fs::read(&path).unwrap(), b"precious");
        assert_eq!(
            entries(dir.path()),
            vec![FILE_NAME.to_string()],
            "no temporary file is left"
        );
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_atomic_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"old contents").unwrap();
        fixture_file().write_atomic(&path).unwrap();
        assert_eq!(fs::read(&path).unwrap(), fixture().json);
        assert_eq!(entries(dir.path()), vec![FILE_NAME.to_string()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the key file is private to its owner");
        }
    }

    #[test]
    fn failed_rename_keeps_the_target_and_removes_the_temporary() {
        // The target is a non-empty folder: the temporary file is written, the rename fails.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), b"x").unwrap();
        let result = fixture_file().write_atomic(&path);
        assert!(matches!(result, Err(Error::Io { .. })), "got {result:?}");
        assert_eq!(
            entries(dir.path()),
            vec![FILE_NAME.to_string()],
            "no temporary file is left"
        );
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"x");
    }

    #[test]
    fn write_into_a_file_instead_of_a_folder_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_dir = dir.path().join("plain-file");
        fs::write(&not_a_dir, b"x").unwrap();
        let result = fixture_file().write_atomic(&not_a_dir.join(FILE_NAME));
        assert!(matches!(result, Err(Error::Io { .. })), "got {result:?}");
        assert_eq!(entries(dir.path()), vec!["plain-file".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn write_into_a_read_only_folder_keeps_the_old_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"old contents").unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
        // Root (and some CI sandboxes) ignore folder permissions; then this test proves nothing.
        let probe = dir.path().join("probe");
        if fs::write(&probe, b"").is_ok() {
            let _ = fs::remove_file(&probe);
            fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
            eprintln!("skipped: folder permissions are not enforced for this user");
            return;
        }
        let result = fixture_file().write_atomic(&path);
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
        assert!(matches!(result, Err(Error::Io { .. })), "got {result:?}");
        assert_eq!(fs::read(&path).unwrap(), b"old contents");
        assert_eq!(entries(dir.path()), vec![FILE_NAME.to_string()]);
    }

    #[test]
    fn a_path_without_a_file_name_is_rejected() {
        let file = fixture_file();
        assert!(matches!(
            file.write_atomic(Path::new("/")),
            Err(Error::InvalidInput(_))
        ));
    }

    #[test]
    fn debug_output_holds_no_secret() {
        let file = fixture_file();
        let debug = format!("{file:?}");
        assert!(!debug.contains(&hex::encode(fixture().key)));
        assert!(!debug.contains(&format!("{:?}", fixture().key)));
        assert!(!debug.contains(PASS));
        let key = DataKey::from_bytes(&fixture().key).unwrap();
        assert_eq!(format!("{key:?}"), "DataKey(<redacted>)");
    }
}
