//! Encrypted bundles in the age format, to recipients' public keys (X25519) or to a passphrase
//! (scrypt), and telling what a file is before opening it.

use std::io::{Read, Write};
use std::iter;
use std::str::FromStr;

use age::secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::document::{self, ExportDocument, Opened};
use super::{packing, ExchangeError};
use crate::secret::Passphrase;
use crate::Journal;

/// How the bundle being opened is unlocked.
#[derive(Debug, Clone, Copy)]
pub enum Unlock<'a> {
    /// With this journal's own key (bundles sent to its public key).
    Identity(&'a Journal),
    /// With the passphrase the bundle was made with.
    Passphrase(&'a Passphrase),
}

/// Who can open a bundle.
#[derive(Debug)]
pub enum Encryption {
    /// Anyone with this passphrase (scrypt). Meant for a human-chosen passphrase.
    Passphrase(Passphrase),
    /// The holders of these public keys ("age1…"), for example a coach's journal.
    Recipients(Vec<String>),
}

/// What a file is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FileKind {
    /// An encrypted bundle that needs its passphrase.
    PassphraseBundle,
    /// An encrypted bundle (or review file) sent to a public key.
    KeyBundle,
    /// A plain JSON document (an unencrypted export, or something else).
    Json,
}

/// The first bytes of every age file.
const AGE_MAGIC: &[u8] = b"age-encryption.org/";

/// The scrypt work factor (log2 N) of every passphrase bundle: N = 2^18 (with age's r = 8, 256
/// MiB and about a second on a current laptop), what `age -p` picks on such a machine. Fixed,
/// never age's calibration, which on a busy or slow machine would measure a lower figure and
/// make a bundle that is cheaper to attack (see docs/decisions.md). The core's own unit tests
/// use a low factor so the suite stays fast.
#[cfg(not(test))]
pub(crate) const WORK_FACTOR: u8 = 18;
#[cfg(test)]
pub(crate) const WORK_FACTOR: u8 = 10;

/// The highest scrypt work factor a bundle may ask for to be opened: 2^22 (4 GiB, some 16
/// seconds), age's own bound of its one-second target plus 4, taken from the fixed factor
/// rather than from a calibration, so every bundle Touchpoint makes opens on a busy machine too
/// and a crafted one cannot ask for hours of work.
pub(crate) const MAX_WORK_FACTOR: u8 = 22;

/// Tells an encrypted bundle (and which kind) from a JSON document by content, without
/// decrypting anything.
pub fn inspect(bytes: &[u8]) -> Result<FileKind, ExchangeError> {
    if bytes.starts_with(AGE_MAGIC) {
        let decryptor = age::Decryptor::new_buffered(bytes).map_err(header_error)?;
        return Ok(if decryptor.is_scrypt() {
            FileKind::PassphraseBundle
        } else {
            FileKind::KeyBundle
        });
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(FileKind::Json),
        None => Err(ExchangeError::NotTouchpoint("the file is empty".into())),
        Some(_) => Err(ExchangeError::NotTouchpoint(
            "it is neither an encrypted bundle nor a Touchpoint JSON document".into(),
        )),
    }
}

/// Checks a public key a user typed or pasted; returns it trimmed.
pub fn check_public_key(key: &str) -> Result<String, ExchangeError> {
    parse_recipient(key).map(|r| r.to_string())
}

fn parse_recipient(key: &str) -> Result<age::x25519::Recipient, ExchangeError> {
    let key = key.trim();
    age::x25519::Recipient::from_str(key).map_err(|_| {
        ExchangeError::invalid(format!(
            "{key:?} is not a Touchpoint public key: it should start with \"age1\" and be copied \
             whole from the recipient's Settings"
        ))
    })
}

/// Encrypts `plain` for whoever `to` names.
pub(crate) fn encrypt(plain: &[u8], to: &Encryption) -> Result<Vec<u8>, ExchangeError> {
    seal(to, plain.len() + 1024, &mut |w| {
        w.write_all(plain).map_err(io_error)
    })
}

/// Encrypts an export for whoever `to` names, packed (bundle version 2: compressed JSON).
pub(crate) fn encrypt_export(
    doc: &ExportDocument,
    export_id: uuid::Uuid,
    to: &Encryption,
) -> Result<Vec<u8>, ExchangeError> {
    seal(to, 1 << 20, &mut |w| packing::pack(doc, export_id, w))
}

fn io_error(e: std::io::Error) -> ExchangeError {
    ExchangeError::Journal(crate::Error::io("cannot encrypt the bundle", e))
}

/// An age file for whoever `to` names, of what `write` writes into it.
fn seal(
    to: &Encryption,
    capacity: usize,
    write: &mut dyn FnMut(&mut dyn Write) -> Result<(), ExchangeError>,
) -> Result<Vec<u8>, ExchangeError> {
    let encryptor = match to {
        Encryption::Passphrase(passphrase) => {
            if passphrase.expose().trim().is_empty() {
                return Err(ExchangeError::invalid(
                    "the bundle's passphrase must not be empty",
                ));
            }
            let secret = SecretString::from(passphrase.expose().to_owned());
            let mut recipient = age::scrypt::Recipient::new(secret);
            recipient.set_work_factor(WORK_FACTOR);
            age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        }
        Encryption::Recipients(keys) => {
            if keys.is_empty() {
                return Err(ExchangeError::invalid(
                    "name at least one recipient's public key, or use a passphrase",
                ));
            }
            let recipients = keys
                .iter()
                .map(|k| parse_recipient(k))
                .collect::<Result<Vec<_>, _>>()?;
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        }
    }
    .map_err(|e| ExchangeError::invalid(format!("cannot encrypt the bundle: {e}")))?;
    let mut out = Vec::with_capacity(capacity);
    let mut writer = encryptor.wrap_output(&mut out).map_err(io_error)?;
    write(&mut writer)?;
    writer.finish().map_err(io_error)?;
    Ok(out)
}

/// Decrypts a bundle with the key or passphrase given.
pub(crate) fn decrypt(
    bytes: &[u8],
    unlock: Unlock<'_>,
) -> Result<packing::Unpacked, ExchangeError> {
    if !bytes.starts_with(AGE_MAGIC) {
        inspect(bytes)?;
        return Err(ExchangeError::NotTouchpoint(
            "it is not an encrypted bundle".into(),
        ));
    }
    let decryptor = age::Decryptor::new_buffered(bytes).map_err(header_error)?;
    let reader =
        match (decryptor.is_scrypt(), unlock) {
            (true, Unlock::Passphrase(passphrase)) => {
                let mut identity =
                    age::scrypt::Identity::new(SecretString::from(passphrase.expose().to_owned()));
                identity.set_max_work_factor(MAX_WORK_FACTOR);
                decryptor
                    .decrypt(iter::once(&identity as &dyn age::Identity))
                    .map_err(|e| match e {
                        age::DecryptError::DecryptionFailed
                        | age::DecryptError::KeyDecryptionFailed
                        | age::DecryptError::NoMatchingKeys => ExchangeError::WrongPassphrase,
                        age::DecryptError::ExcessiveWork { required, .. } => {
                            ExchangeError::Damaged(format!(
                                "the bundle asks for far more work to open than usual \
                             (scrypt 2^{required}, Touchpoint opens up to 2^{MAX_WORK_FACTOR})"
                            ))
                        }
                        other => header_error(other),
                    })?
            }
            (true, Unlock::Identity(_)) => return Err(ExchangeError::NeedsPassphrase),
            (false, Unlock::Passphrase(_)) => return Err(ExchangeError::WrongKey(
                "this bundle is encrypted to a public key, not to a passphrase: open it in the \
                 journal it was sent to"
                    .into(),
            )),
            (false, Unlock::Identity(journal)) => {
                return decrypt_to_key(decryptor, &journal.identity()?, bytes.len())
            }
        };
    read_plain(reader, bytes.len())
}

/// Decrypts a key bundle's payload with `identity`.
fn decrypt_to_key(
    decryptor: age::Decryptor<&[u8]>,
    identity: &age::x25519::Identity,
    size: usize,
) -> Result<packing::Unpacked, ExchangeError> {
    let reader = decryptor
        .decrypt(iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys
            | age::DecryptError::DecryptionFailed
            | age::DecryptError::KeyDecryptionFailed => ExchangeError::WrongKey(
                "this bundle is encrypted to a different key: it was not sent to this \
                 journal's public key"
                    .into(),
            ),
            other => header_error(other),
        })?;
    read_plain(reader, size)
}

/// Reads a decrypted payload whole, unpacked when packed; a truncated or altered one fails
/// here, not earlier.
fn read_plain(reader: impl Read, size: usize) -> Result<packing::Unpacked, ExchangeError> {
    packing::unpack(read_payload(reader, size)?)
}

fn read_payload(mut reader: impl Read, size: usize) -> Result<Zeroizing<Vec<u8>>, ExchangeError> {
    let mut plain = Zeroizing::new(Vec::with_capacity(size));
    reader.read_to_end(&mut plain).map_err(|e| {
        ExchangeError::Damaged(format!(
            "the bundle is truncated or has been altered ({})",
            e.kind()
        ))
    })?;
    Ok(plain)
}

fn header_error(e: age::DecryptError) -> ExchangeError {
    match e {
        age::DecryptError::UnknownFormat => {
            ExchangeError::NotTouchpoint("it uses an age format this version does not know".into())
        }
        age::DecryptError::InvalidMac => {
            ExchangeError::Damaged("the bundle's header has been altered".into())
        }
        age::DecryptError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            ExchangeError::Damaged("the bundle ends too early (truncated)".into())
        }
        other => ExchangeError::Damaged(format!("the bundle's header is unreadable ({other})")),
    }
}

/// Opens a Touchpoint file, encrypted or plain JSON, export or review. `unlock` is used only
/// when the file is encrypted.
pub fn open_file(bytes: &[u8], unlock: Unlock<'_>) -> Result<Opened, ExchangeError> {
    open_sealed(bytes, unlock).map(|s| s.opened)
}

/// A Touchpoint file opened, with how it came.
pub(crate) struct Sealed {
    /// The document.
    pub opened: Opened,
    /// Whether it was age-encrypted (to a key or a passphrase), not plain JSON.
    pub encrypted: bool,
    /// The export id a version 3 bundle carries.
    pub export_id: Option<uuid::Uuid>,
}

/// [`open_file`], also telling whether the file was encrypted and its export id.
pub(crate) fn open_sealed(bytes: &[u8], unlock: Unlock<'_>) -> Result<Sealed, ExchangeError> {
    match inspect(bytes)? {
        FileKind::Json => Ok(Sealed {
            opened: document::parse(bytes)?,
            encrypted: false,
            export_id: None,
        }),
        FileKind::PassphraseBundle | FileKind::KeyBundle => {
            let plain = decrypt(bytes, unlock)?;
            Ok(Sealed {
                opened: document::parse(&plain.json)?,
                encrypted: true,
                export_id: plain.export_id,
            })
        }
    }
}

impl Opened {
    /// Opens a Touchpoint file, plain JSON or encrypted to `identity`, an age key held outside
    /// any journal. The fuzz targets (`fuzz/`) use it with a fixed test key, so that bundles
    /// and review files are read by the same code as [`open_file`] without a journal (no
    /// database, no Argon2). A passphrase bundle gives [`ExchangeError::NeedsPassphrase`].
    pub fn open_with_key(
        bytes: &[u8],
        identity: &age::x25519::Identity,
    ) -> Result<Opened, ExchangeError> {
        match inspect(bytes)? {
            FileKind::Json => document::parse(bytes),
            FileKind::PassphraseBundle => Err(ExchangeError::NeedsPassphrase),
            FileKind::KeyBundle => {
                let decryptor = age::Decryptor::new_buffered(bytes).map_err(header_error)?;
                document::parse(&decrypt_to_key(decryptor, identity, bytes.len())?.json)
            }
        }
    }
}

/// Opens an export: an encrypted bundle, or its plain JSON.
pub fn open_bundle(bytes: &[u8], unlock: Unlock<'_>) -> Result<ExportDocument, ExchangeError> {
    open_bundle_with_id(bytes, unlock).map(|(doc, _)| doc)
}

/// [`open_bundle`], with the export id the bundle carries (none for plain JSON and bundles
/// made before version 3).
pub(crate) fn open_bundle_with_id(
    bytes: &[u8],
    unlock: Unlock<'_>,
) -> Result<(ExportDocument, Option<uuid::Uuid>), ExchangeError> {
    let sealed = open_sealed(bytes, unlock)?;
    match sealed.opened {
        Opened::Export(doc) => Ok((*doc, sealed.export_id)),
        Opened::Review(_) => Err(ExchangeError::WrongDocument(
            "this is a coach's review file, not an export: import it as a review".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{ReviewDocument, REVIEW_FORMAT, REVIEW_VERSION};

    fn review_json(for_key: &str) -> Vec<u8> {
        let at = chrono::DateTime::parse_from_rfc3339("2025-05-02T18:30:00+02:00").unwrap();
        let doc = ReviewDocument {
            format: REVIEW_FORMAT.into(),
            version: REVIEW_VERSION,
            generator: document::generator(),
            reviewer: "Coach".into(),
            created_at: at,
            for_public_key: for_key.into(),
            export_exported_at: at,
            export_id: None,
            reviewer_key: None,
            annotations: Vec::new(),
        };
        serde_json::to_vec(&doc).unwrap()
    }

    /// `Opened::open_with_key` reads what `open_file` reads, with a key held outside a journal.
    #[test]
    fn opens_with_a_key_outside_a_journal() {
        let key = age::x25519::Identity::generate();
        let public = key.to_public().to_string();
        let plain = review_json(&public);
        let sealed = encrypt(&plain, &Encryption::Recipients(vec![public.clone()])).unwrap();

        let Opened::Review(review) = Opened::open_with_key(&sealed, &key).unwrap() else {
            panic!("a review file opens as a review");
        };
        assert_eq!(review.for_public_key, public);
        assert_eq!(
            Opened::open_with_key(&plain, &key).unwrap(),
            Opened::Review(review),
            "plain JSON reads the same as its encrypted file"
        );

        let other = age::x25519::Identity::generate();
        let err = Opened::open_with_key(&sealed, &other).unwrap_err();
        assert_eq!(err.code(), "wrong_key", "{err}");

        let passphrase = Passphrase::new("a bundle passphrase".into());
        let locked = encrypt(&plain, &Encryption::Passphrase(passphrase)).unwrap();
        let err = Opened::open_with_key(&locked, &key).unwrap_err();
        assert_eq!(err.code(), "needs_passphrase", "{err}");

        let err = Opened::open_with_key(&sealed[..sealed.len() - 10], &key).unwrap_err();
        assert_eq!(err.code(), "file_damaged", "a truncated file: {err}");
    }

    /// The scrypt stanza's work factor, read from an age header (`-> scrypt SALT LOG_N`).
    fn stanza_work_factor(bundle: &[u8]) -> u8 {
        let text = String::from_utf8_lossy(&bundle[..bundle.len().min(200)]).into_owned();
        let line = text
            .lines()
            .find(|l| l.starts_with("-> scrypt "))
            .expect("a scrypt stanza");
        line.rsplit(' ').next().unwrap().parse().unwrap()
    }

    /// Passphrase bundles use the fixed work factor, never a calibrated one; opening accepts
    /// other factors up to [`MAX_WORK_FACTOR`] and refuses a bundle asking for more.
    #[test]
    fn passphrase_bundles_use_the_fixed_work_factor() {
        let plain = review_json("age1whoever");
        let pass = || Passphrase::new("tundra marigold ledger quartz".into());
        let sealed = encrypt(&plain, &Encryption::Passphrase(pass())).unwrap();
        assert_eq!(stanza_work_factor(&sealed), WORK_FACTOR);
        assert!(open_file(&sealed, Unlock::Passphrase(&pass())).is_ok());

        // A bundle made elsewhere with another factor (here 12) still opens.
        let mut recipient =
            age::scrypt::Recipient::new(SecretString::from(pass().expose().to_owned()));
        recipient.set_work_factor(12);
        let encryptor =
            age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient)).unwrap();
        let mut other = Vec::new();
        let mut w = encryptor.wrap_output(&mut other).unwrap();
        w.write_all(&plain).unwrap();
        w.finish().unwrap();
        assert_eq!(stanza_work_factor(&other), 12);
        assert!(open_file(&other, Unlock::Passphrase(&pass())).is_ok());

        // One asking for more than the maximum is refused before any scrypt work is done.
        let factor = format!(" {WORK_FACTOR}\n");
        let greedy = format!(" {}\n", MAX_WORK_FACTOR + 1);
        let text = String::from_utf8_lossy(&sealed).into_owned();
        let at = text.find(&factor).expect("the factor in the header");
        let mut tampered = sealed[..at].to_vec();
        tampered.extend_from_slice(greedy.as_bytes());
        tampered.extend_from_slice(&sealed[at + factor.len()..]);
        assert_eq!(stanza_work_factor(&tampered), MAX_WORK_FACTOR + 1);
        let err = open_file(&tampered, Unlock::Passphrase(&pass())).unwrap_err();
        assert_eq!(err.code(), "file_damaged", "{err}");
        assert!(err.to_string().contains("far more work"), "{err}");
    }
}
