//! The key file beside the journal database (`journal.key`): the random data key, wrapped under a passphrase slot and a recovery-code slot.
//!
//! The file is small, versioned JSON:
//!
//! ```json
//! { "format": "touchpoint-keyfile", "version": 2, "generation": 4,
//!   "slots": [ { "kind": "passphrase", "scheme": 2,
//!                "kdf": { "algorithm": "argon2id", "m_kib": 65536, "t": 3, "p": 1, "salt": "<hex>" },
//!                "nonce": "<hex, 24 bytes>", "wrapped_key": "<hex, 32 + 16 bytes>" },
//!              { "kind": "recovery", … } ],
//!   "checksum": "sha256:<hex of the SHA-256 of the compact JSON of format, version and slots>" }
//! ```
//!
//! Each slot derives a 32-byte key from its secret with Argon2id and wraps the data key with
//! XChaCha20-Poly1305. A slot sealed under scheme 2 binds every field that is not itself secret
//! into the associated data — the format, the slot kind, the key derivation's name, its
//! parameters and its salt — so none of them can be changed without the unwrap failing; scheme
//! 1 (key files of version 1) bound the format, version and kind only. The checksum covers the
//! whole file, so damage (a flipped bit, a cut-off write, an edit) is reported as damage and
//! never as a wrong passphrase. The generation counts the writes since the data key was made
//! (a new data key continues the count), so an older copy of the file can be told from the
//! current one. Version 1 files, which have no checksum, still open; the next
//! write upgrades the file to version 2, and each slot to scheme 2 as it is rewrapped (the slot
//! not rewrapped keeps scheme 1, named in the file, until its secret next changes).
//!
//! Every write uses a fresh salt and nonce. Argon2 parameters below [`KdfParams::MINIMUM`] are
//! refused when reading, so a tampered file cannot downgrade the derivation. Changing the
//! passphrase rewraps the same data key; the database is untouched.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::{DataKey, Passphrase, RecoveryCode, DATA_KEY_LEN};

/// The key file's name inside a journal folder.
pub const FILE_NAME: &str = "journal.key";

/// The `format` field every key file carries.
pub const FORMAT: &str = "touchpoint-keyfile";

/// The key file version this build writes. It reads this one and version 1.
pub const VERSION: u32 = 2;

/// The oldest key file version this build reads.
const OLDEST_VERSION: u32 = 1;

/// The slot scheme this build seals with (see the module documentation).
const SCHEME: u32 = 2;

/// The prefix of the checksum's text.
const CHECKSUM_PREFIX: &str = "sha256:";

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
}

/// One wrapped copy of the data key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    /// Which associated data the key was sealed with: 1 (format, version 1, kind) or 2 (every
    /// field of the slot).
    scheme: u32,
    kdf: KdfParams,
    salt: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    wrapped_key: Vec<u8>,
}

impl Slot {
    /// Wraps `key` under `secret` with a fresh salt and nonce, sealed under the current scheme.
    fn seal(kind: SlotKind, secret: &[u8], key: &DataKey, kdf: KdfParams) -> Result<Slot> {
        let mut salt = vec![0u8; SALT_LEN];
        OsRng.fill_bytes(&mut salt);
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let mut slot = Slot {
            scheme: SCHEME,
            kdf,
            salt,
            nonce,
            wrapped_key: Vec::new(),
        };
        let wrapping_key = derive(secret, &slot.salt, kdf)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&wrapping_key[..]));
        let aad = slot.aad(kind);
        slot.wrapped_key = cipher
            .encrypt(
                XNonce::from_slice(&slot.nonce),
                Payload {
                    msg: &key.expose()[..],
                    aad: &aad,
                },
            )
            .map_err(|_| Error::InvalidInput("could not wrap the data key".into()))?;
        Ok(slot)
    }

    /// The associated data the wrapped key is bound to. Scheme 2 names every field that is not
    /// secret, so changing any of them (a raised or lowered cost, another salt, the slot's
    /// kind) makes the unwrap fail even where the derived key would not change.
    fn aad(&self, kind: SlotKind) -> Vec<u8> {
        match self.scheme {
            1 => format!("{FORMAT}/v1/{}", kind.as_str()).into_bytes(),
            _ => format!(
                "{FORMAT}/scheme{}/{}/{KDF_ALGORITHM}/m={}/t={}/p={}/salt={}",
                self.scheme,
                kind.as_str(),
                self.kdf.m_kib,
                self.kdf.t,
                self.kdf.p,
                hex::encode(&self.salt)
            )
            .into_bytes(),
        }
    }

    /// Unwraps the data key with `secret`; `Ok(None)` when the secret (or the slot) is wrong.
    fn open(&self, kind: SlotKind, secret: &[u8]) -> Result<Option<DataKey>> {
        let wrapping_key = derive(secret, &self.salt, self.kdf)?;
        Ok(self.unwrap_with(kind, &wrapping_key))
    }

    /// Unwraps the data key with an already derived wrapping key.
    fn unwrap_with(&self, kind: SlotKind, wrapping_key: &[u8; 32]) -> Option<DataKey> {
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&wrapping_key[..]));
        let aad = self.aad(kind);
        let plain = cipher
            .decrypt(
                XNonce::from_slice(&self.nonce),
                Payload {
                    msg: &self.wrapped_key,
                    aad: &aad,
                },
            )
            .ok()?;
        let plain = Zeroizing::new(plain);
        DataKey::from_bytes(&plain)
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
    /// Counts the changes of this file (0 for a version 1 file, which had no counter).
    generation: u64,
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
        KeyFile::new(key, pass, code)?.write(path, WriteMode::CreateNew)
    }

    /// A key file, not written yet, holding `key` wrapped under `pass` and under `code`.
    pub fn new(key: &DataKey, pass: &Passphrase, code: &RecoveryCode) -> Result<KeyFile> {
        Ok(KeyFile {
            generation: 1,
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
        })
    }

    /// Reads and checks the key file at `path`.
    ///
    /// A missing or unreadable file is an I/O error; a file that is not a well-formed key file
    /// (truncated, not JSON, another format, a checksum that does not match, weakened key
    /// derivation, a slot missing or doubled) is [`Error::Damaged`] with the reason; a file from
    /// a newer Touchpoint is [`Error::NewerFormat`].
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
        self.generation += 1;
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
        self.generation += 1;
        self.recovery = Slot::seal(
            SlotKind::Recovery,
            code.normalized_bytes(),
            key,
            KdfParams::DEFAULT,
        )?;
        Ok(())
    }

    /// How many times the file has changed; a higher number is a later file of the same journal.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// This file numbered as the one that follows `previous` (for a file made anew, as a new
    /// data key is, to replace an existing one).
    pub fn following(mut self, previous: &KeyFile) -> KeyFile {
        self.generation = previous.generation + 1;
        self
    }

    /// Writes the key file to `path`, replacing any file there, atomically: a temporary file in
    /// the same folder is written and synced, then renamed over `path`, then the folder is
    /// synced. On failure the old file is untouched and the temporary file removed. On Unix the
    /// file is readable by its owner only (0600).
    pub fn write_atomic(&self, path: &Path) -> Result<()> {
        self.write(path, WriteMode::Replace)
    }

    /// Writes the key file beside `path` under a temporary name and syncs it, without touching
    /// `path`; [`StagedKeyFile::commit`] then renames it into place. Staging every file of a
    /// change first lets a change that must reach several files fail before any of them moved.
    pub fn stage(&self, path: &Path) -> Result<StagedKeyFile> {
        let (temp, dir) = self.write_temp(path)?;
        Ok(StagedKeyFile {
            temp,
            dir,
            target: path.to_owned(),
        })
    }

    /// The file's JSON text: always the current version, each slot with its scheme, and the
    /// checksum over the rest.
    pub fn to_bytes(&self) -> Vec<u8> {
        let slot = |kind: SlotKind, slot: &Slot| SlotJson {
            kind,
            scheme: slot.scheme,
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
        let body = BodyJson {
            format: FORMAT.into(),
            version: VERSION,
            generation: self.generation,
            slots: vec![
                slot(SlotKind::Passphrase, &self.passphrase),
                slot(SlotKind::Recovery, &self.recovery),
            ],
        };
        let checksum = body.checksum();
        let json = FileJson {
            format: body.format,
            version: body.version,
            generation: body.generation,
            slots: body.slots,
            checksum,
        };
        let mut bytes = serde_json::to_vec_pretty(&json).expect("a key file always serialises");
        bytes.push(b'\n');
        bytes
    }

    fn write(&self, path: &Path, mode: WriteMode) -> Result<()> {
        let write_context = || format!("writing the key file {}", path.display());
        let (mut temp, dir) = self.write_temp(path)?;
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

    /// Writes the file under a fresh temporary name beside `path` and syncs it; answers the
    /// temporary file (removed when dropped unless disarmed) and the folder.
    fn write_temp(&self, path: &Path) -> Result<(TempFile, PathBuf)> {
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
        temp_name.push(format!("{TEMP_MARK}{}", hex::encode(suffix)));
        let temp = TempFile {
            path: dir.join(temp_name),
            armed: true,
        };

        let mut file = open_private_new(&temp.path).map_err(|e| Error::io(write_context(), e))?;
        file.write_all(&self.to_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(write_context(), e))?;
        drop(file);
        Ok((temp, dir))
    }
}

/// What marks a key file's temporary name (`.<name>.tmp-<random>`), so leftovers of a crash can
/// be recognised and removed.
pub const TEMP_MARK: &str = ".tmp-";

/// A key file written and synced under a temporary name beside its target, not yet in place.
/// Dropping it without [`StagedKeyFile::commit`] removes the temporary file.
pub struct StagedKeyFile {
    temp: TempFile,
    dir: PathBuf,
    target: PathBuf,
}

impl StagedKeyFile {
    /// Where the file goes.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the staged file over its target and syncs the folder.
    pub fn commit(mut self) -> Result<()> {
        fs::rename(&self.temp.path, &self.target)
            .map_err(|e| Error::io(format!("writing the key file {}", self.target.display()), e))?;
        self.temp.armed = false;
        sync_dir(&self.dir);
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

/// A version 2 file as written: the body and its checksum.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileJson {
    format: String,
    version: u32,
    generation: u64,
    slots: Vec<SlotJson>,
    checksum: String,
}

/// What the checksum covers: everything but the checksum, in this order, as compact JSON.
#[derive(Serialize)]
struct BodyJson {
    format: String,
    version: u32,
    generation: u64,
    slots: Vec<SlotJson>,
}

impl BodyJson {
    fn checksum(&self) -> String {
        let bytes = serde_json::to_vec(self).expect("a key file always serialises");
        format!("{CHECKSUM_PREFIX}{}", hex::encode(Sha256::digest(&bytes)))
    }
}

/// A version 1 file: no checksum, slots without a scheme.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileJsonV1 {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    slots: Vec<SlotJsonV1>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotJson {
    kind: SlotKind,
    scheme: u32,
    kdf: KdfJson,
    nonce: String,
    wrapped_key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotJsonV1 {
    kind: SlotKind,
    kdf: KdfJson,
    nonce: String,
    wrapped_key: String,
}

impl From<SlotJsonV1> for SlotJson {
    fn from(v1: SlotJsonV1) -> Self {
        SlotJson {
            kind: v1.kind,
            scheme: 1,
            kdf: v1.kdf,
            nonce: v1.nonce,
            wrapped_key: v1.wrapped_key,
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
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
    let (generation, slots): (u64, Vec<SlotJson>) = if version == u64::from(OLDEST_VERSION) {
        let json: FileJsonV1 =
            serde_json::from_value(value).map_err(|e| format!("unexpected contents: {e}"))?;
        (0, json.slots.into_iter().map(SlotJson::from).collect())
    } else if version >= u64::from(VERSION) {
        match serde_json::from_value::<FileJson>(value) {
            Ok(json) => {
                let body = BodyJson {
                    format: json.format,
                    version: json.version,
                    generation: json.generation,
                    slots: json.slots,
                };
                // A version digit changed by damage must not pass for a newer file: a file
                // shaped like this version is checked first, and only a good checksum makes
                // a higher number a newer file.
                if body.checksum() != json.checksum {
                    return Err(
                        "its checksum does not match its contents: the file was changed or \
                         damaged after it was written"
                            .to_string()
                            .into(),
                    );
                }
                if version > u64::from(VERSION) {
                    return Err(Problem::Newer(u32::try_from(version).unwrap_or(u32::MAX)));
                }
                (body.generation, body.slots)
            }
            Err(_) if version > u64::from(VERSION) => {
                return Err(Problem::Newer(u32::try_from(version).unwrap_or(u32::MAX)));
            }
            Err(e) => return Err(format!("unexpected contents: {e}").into()),
        }
    } else {
        return Err(format!("unknown key file version {version}").into());
    };

    let mut passphrase = None;
    let mut recovery = None;
    for (index, slot) in slots.into_iter().enumerate() {
        let kind = slot.kind;
        let parsed = parse_slot(slot, version)
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
            generation,
            passphrase,
            recovery,
        }),
        (None, _) => Err("its passphrase key slot is missing".to_string().into()),
        (_, None) => Err("its recovery key slot is missing".to_string().into()),
    }
}

fn parse_slot(slot: SlotJson, file_version: u64) -> std::result::Result<Slot, String> {
    // Version 1 files hold scheme 1 slots only; a version 2 file may still carry one
    // (a slot not rewrapped since the upgrade).
    let schemes = if file_version == u64::from(OLDEST_VERSION) {
        1..=1
    } else {
        1..=SCHEME
    };
    if !schemes.contains(&slot.scheme) {
        return Err(format!("unknown slot scheme {}", slot.scheme));
    }
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
        scheme: slot.scheme,
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

    /// The fixture's JSON, changed by `edit`, with its checksum computed anew: what someone
    /// who knows the format would write, so the checks behind the checksum are reached.
    fn read_resealed(edit: impl FnOnce(&mut Value)) -> Result<KeyFile> {
        read_bytes(&resealed(edit)).2
    }

    fn resealed(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut value: Value = serde_json::from_slice(&fixture().json).unwrap();
        edit(&mut value);
        let mut file: FileJson = serde_json::from_value(value).unwrap();
        file.checksum = BodyJson {
            format: file.format.clone(),
            version: file.version,
            generation: file.generation,
            slots: file.slots.clone(),
        }
        .checksum();
        serde_json::to_vec_pretty(&file).unwrap()
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
        assert_eq!(value["version"], 2);
        let checksum = value["checksum"].as_str().unwrap();
        assert!(checksum.starts_with("sha256:") && checksum.len() == 7 + 64);
        let slots = value["slots"].as_array().unwrap();
        assert_eq!(slots.len(), 2);
        assert_eq!(slots[0]["kind"], "passphrase");
        assert_eq!(slots[1]["kind"], "recovery");
        for slot in slots {
            assert_eq!(slot["scheme"], 2, "new slots bind every field");
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
    fn every_flipped_byte_is_damage_never_a_wrong_passphrase() {
        // A bit flipped anywhere: key names, punctuation, white space, numbers, hex, checksum.
        let json = &fixture().json;
        for at in 0..json.len() {
            let mut bytes = json.clone();
            bytes[at] ^= 1;
            let (_dir, _path, result) = read_bytes(&bytes);
            assert!(
                matches!(result, Err(Error::Damaged { .. })),
                "byte {at} ({:?}) flipped gave {result:?}",
                char::from(json[at])
            );
        }
    }

    #[test]
    fn tampered_key_material_is_damage() {
        for field in ["wrapped_key", "nonce", "salt"] {
            for slot in 0..2 {
                let result = read_edited(|v| {
                    let slot = &mut v["slots"][slot];
                    let target = if field == "salt" {
                        &mut slot["kdf"]["salt"]
                    } else {
                        &mut slot[field]
                    };
                    flip_hex(target);
                });
                assert_damaged(result, "checksum");
            }
        }
    }

    #[test]
    fn tampering_with_the_checksum_redone_still_opens_nothing() {
        // Someone who recomputes the checksum gets past it, but every field of a slot is in
        // its associated data: the unwrap fails, and no wrong key ever comes out.
        for field in ["wrapped_key", "nonce", "salt"] {
            let file = read_resealed(|v| {
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
    fn every_slot_field_is_bound_to_the_wrapped_key() {
        // With the wrapping key derived once, changing any non-secret field of the slot, even
        // one the derivation would not see again, makes the unwrap fail.
        let file = fixture_file();
        let slot = &file.passphrase;
        let wrapping = derive(PASS.as_bytes(), &slot.salt, slot.kdf).unwrap();
        assert!(slot.unwrap_with(SlotKind::Passphrase, &wrapping).is_some());
        assert!(
            slot.unwrap_with(SlotKind::Recovery, &wrapping).is_none(),
            "kind"
        );
        type Change = fn(&mut Slot);
        let changes: [(&str, Change); 5] = [
            ("m_kib", |s| s.kdf.m_kib *= 2),
            ("t", |s| s.kdf.t += 1),
            ("p", |s| s.kdf.p += 1),
            ("salt", |s| s.salt[3] ^= 1),
            ("scheme", |s| s.scheme = 1),
        ];
        for (name, change) in changes {
            let mut changed = slot.clone();
            change(&mut changed);
            assert!(
                changed
                    .unwrap_with(SlotKind::Passphrase, &wrapping)
                    .is_none(),
                "{name} is not bound to the wrapped key"
            );
        }
    }

    #[test]
    fn raised_kdf_settings_are_damage() {
        // The cost raised towards the maximum, by hand: the checksum no longer matches.
        assert_damaged(
            read_edited(|v| {
                v["slots"][0]["kdf"]["m_kib"] = json!(1_048_576);
                v["slots"][0]["kdf"]["t"] = json!(32);
            }),
            "checksum",
        );
    }

    /// A key file written by Touchpoint before version 2 (`touchpoint init`, 2026-12-02), with
    /// the passphrase and recovery code it was made with.
    const V1_FILE: &[u8] = include_bytes!("../tests/fixtures/journal-v1.key");
    const V1_PASSPHRASE: &str = "version one passphrase for a fixture";
    const V1_RECOVERY: &str = include_str!("../tests/fixtures/journal-v1.recovery");

    #[test]
    fn a_version_1_file_opens_and_is_upgraded_on_its_next_write() {
        let (_dir, path, result) = read_bytes(V1_FILE);
        let mut file = result.unwrap();
        assert_eq!(file.passphrase.scheme, 1);
        let key = file.unlock_with_passphrase(&pass(V1_PASSPHRASE)).unwrap();
        let code = RecoveryCode::parse(V1_RECOVERY.trim()).unwrap();
        assert_eq!(
            file.unlock_with_recovery(&code).unwrap().expose(),
            key.expose()
        );

        // The next write (here a new passphrase) makes it version 2; the recovery slot keeps
        // scheme 1 until its code changes, and still opens.
        file.set_passphrase(&key, &pass("the passphrase after the upgrade"))
            .unwrap();
        file.write_atomic(&path).unwrap();
        let value: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(value["version"], 2);
        assert_eq!(value["slots"][0]["scheme"], 2);
        assert_eq!(value["slots"][1]["scheme"], 1);
        let reread = KeyFile::read(&path).unwrap();
        assert_eq!(
            reread
                .unlock_with_passphrase(&pass("the passphrase after the upgrade"))
                .unwrap()
                .expose(),
            key.expose()
        );
        assert_eq!(
            reread.unlock_with_recovery(&code).unwrap().expose(),
            key.expose()
        );
        assert!(matches!(
            reread.unlock_with_passphrase(&pass(V1_PASSPHRASE)),
            Err(Error::WrongPassphrase)
        ));

        // A version 1 file holds scheme 1 slots only.
        let mut bad: Value = serde_json::from_slice(V1_FILE).unwrap();
        bad["slots"][0]["scheme"] = json!(2);
        assert_damaged(
            read_bytes(&serde_json::to_vec(&bad).unwrap()).2,
            "unexpected contents",
        );
    }

    #[test]
    fn weakened_or_absurd_kdf_settings_are_damage() {
        assert_damaged(
            read_resealed(|v| v["slots"][0]["kdf"]["m_kib"] = json!(32768)),
            "weaker",
        );
        assert_damaged(
            read_resealed(|v| v["slots"][1]["kdf"]["t"] = json!(2)),
            "weaker",
        );
        assert_damaged(
            read_resealed(|v| v["slots"][0]["kdf"]["p"] = json!(0)),
            "weaker",
        );
        assert_damaged(
            read_resealed(|v| v["slots"][0]["kdf"]["m_kib"] = json!(u32::MAX)),
            "maximum",
        );
        assert_damaged(
            read_resealed(|v| v["slots"][0]["kdf"]["algorithm"] = json!("argon2i")),
            "argon2i",
        );
        assert_damaged(
            read_resealed(|v| v["slots"][0]["kdf"]["salt"] = json!("00112233")),
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
            read_resealed(|v| v["slots"][0]["nonce"] = json!("zz")),
            "nonce",
        );
        assert_damaged(
            read_resealed(|v| v["slots"][0]["nonce"] = json!("0011")),
            "nonce has 2 bytes",
        );
        assert_damaged(
            read_resealed(|v| v["slots"][0]["wrapped_key"] = json!(hex::encode([0u8; 32]))),
            "wrapped key has 32 bytes",
        );
        assert_damaged(
            read_resealed(|v| {
                v["slots"].as_array_mut().unwrap().pop();
            }),
            "recovery key slot is missing",
        );
        assert_damaged(
            read_resealed(|v| {
                let first = v["slots"][0].clone();
                v["slots"][1] = first;
            }),
            "more than one passphrase",
        );
    }

    #[test]
    fn newer_versions_ask_for_an_update() {
        // A newer file with a sound checksum, and one shaped differently.
        assert!(matches!(
            read_resealed(|v| v["version"] = json!(3)),
            Err(Error::NewerFormat {
                found: 3,
                supported: 2
            })
        ));
        assert!(matches!(
            read_edited(|v| {
                v["version"] = json!(7);
                v["something_new"] = json!(true);
            }),
            Err(Error::NewerFormat {
                found: 7,
                supported: 2
            })
        ));
        // The version digit changed by damage is damage, not a newer file.
        assert_damaged(read_edited(|v| v["version"] = json!(3)), "checksum");
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
        let swapped = read_resealed(|v| {
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
