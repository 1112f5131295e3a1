//! The payload of a version 2 bundle: the export's JSON, compressed, behind a versioned header.
//!
//! A version 1 bundle holds the pretty-printed JSON document itself (169 MiB for 100,000
//! entries), so writing, encrypting, syncing and reading it back took seconds. Version 2 holds
//! `touchpoint-bundle/2` and a line feed, then the compact JSON as a raw deflate stream (about
//! a sixth of the size). Decryption tells the two apart by their first bytes: a JSON document
//! starts with `{`, a byte order mark or white space. Version 3 adds a second header line,
//! `export <id>`, the random id the sending journal recorded for this bundle: a coach's review
//! must carry it back. It is bundle data, not part of the export document, so a plain JSON
//! export never holds one.

use std::io::{Read, Write};
use std::sync::mpsc;

use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use zeroize::Zeroizing;

use uuid::Uuid;

use super::{ExchangeError, ExportDocument};

/// A decrypted payload: the document's JSON and, from version 3, the bundle's export id.
pub(crate) struct Unpacked {
    /// The JSON document.
    pub json: Zeroizing<Vec<u8>>,
    /// The export id the sending journal recorded, when the bundle carries one.
    pub export_id: Option<Uuid>,
}

/// The first bytes of a packed payload, before its version number.
const MAGIC: &[u8] = b"touchpoint-bundle/";
/// The payload version this build writes and the highest it reads.
pub(crate) const BUNDLE_VERSION: u32 = 3;
/// The largest JSON a payload may unpack to: a bundle several times the 100,000-entry one,
/// and a refusal rather than an exhausted memory for a crafted one.
const MAX_JSON: u64 = 4 << 30;
/// The JSON is handed from the thread writing it to the one compressing it in pieces this big.
const CHUNK: usize = 1 << 20;

/// Writes `doc` as a packed payload into `out`. The JSON is written on a second thread while
/// this one compresses it, so the two costs overlap; it never exists whole in memory.
pub(crate) fn pack(
    doc: &ExportDocument,
    export_id: Uuid,
    out: &mut dyn Write,
) -> Result<(), ExchangeError> {
    let (send, receive) = mpsc::sync_channel::<Zeroizing<Vec<u8>>>(4);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let mut chunks = Chunks {
                buf: Zeroizing::new(Vec::with_capacity(CHUNK)),
                send,
            };
            serde_json::to_writer(&mut chunks, doc)
                .and_then(|()| chunks.flush().map_err(serde_json::Error::io))
                .map_err(|e| ExchangeError::invalid(format!("cannot write the document: {e}")))
        });
        let packed = (|| -> std::io::Result<()> {
            out.write_all(MAGIC)?;
            out.write_all(format!("{BUNDLE_VERSION}\nexport {export_id}\n").as_bytes())?;
            let mut deflate = DeflateEncoder::new(out, Compression::fast());
            for chunk in receive.iter() {
                deflate.write_all(&chunk)?;
            }
            deflate.finish()?;
            Ok(())
        })();
        let written = writer
            .join()
            .map_err(|_| ExchangeError::invalid("the document writer failed"))?;
        // The writer's own error says more than the compressor's "stopped" that follows it.
        written?;
        packed
            .map_err(|e| ExchangeError::Journal(crate::Error::io("cannot compress the bundle", e)))
    })
}

/// The JSON of a decrypted payload: a packed one is unpacked, a version 1 one (the JSON
/// itself) returned as it is.
pub(crate) fn unpack(plain: Zeroizing<Vec<u8>>) -> Result<Unpacked, ExchangeError> {
    let Some(rest) = plain.strip_prefix(MAGIC) else {
        return Ok(Unpacked {
            json: plain,
            export_id: None,
        });
    };
    let damaged = |why: &str| ExchangeError::Damaged(format!("the bundle's content {why}"));
    let line = rest
        .iter()
        .position(|b| *b == b'\n')
        .filter(|n| *n <= 10)
        .ok_or_else(|| damaged("has an unreadable header"))?;
    let version: u32 = std::str::from_utf8(&rest[..line])
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| damaged("has an unreadable version"))?;
    if version > BUNDLE_VERSION {
        return Err(ExchangeError::NewerVersion {
            what: "bundle",
            found: version,
            supported: BUNDLE_VERSION,
        });
    }
    if version < 2 {
        return Err(damaged(&format!(
            "claims version {version}, which is never packed"
        )));
    }
    let mut compressed = &rest[line + 1..];
    let mut export_id = None;
    if version >= 3 {
        let end = compressed
            .iter()
            .position(|b| *b == b'\n')
            .filter(|n| *n <= 60)
            .ok_or_else(|| damaged("has an unreadable export id"))?;
        let id = std::str::from_utf8(&compressed[..end])
            .ok()
            .and_then(|l| l.strip_prefix("export "))
            .and_then(|id| Uuid::parse_str(id).ok())
            .ok_or_else(|| damaged("has an unreadable export id"))?;
        export_id = Some(id);
        compressed = &compressed[end + 1..];
    }
    let json = read_zeroized(DeflateDecoder::new(compressed), compressed.len() * 8)
        .map_err(|e| damaged(&format!("does not unpack ({e})")))?;
    Ok(Unpacked { json, export_id })
}

/// Reads `from` to its end into memory that is wiped when dropped, growing by copies whose
/// old buffers are wiped too (a `Vec` growing by itself would leave copies behind).
fn read_zeroized(mut from: impl Read, estimate: usize) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let limit = MAX_JSON as usize;
    let mut buf = Zeroizing::new(vec![0u8; estimate.clamp(4096, limit)]);
    let mut len = 0;
    loop {
        if len == buf.len() {
            if len >= limit {
                return Err(std::io::Error::other("it is larger than 4 GiB"));
            }
            let mut bigger = Zeroizing::new(vec![0u8; (len * 2).min(limit)]);
            bigger[..len].copy_from_slice(&buf[..len]);
            buf = bigger;
        }
        match from.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(len);
    Ok(buf)
}

/// Collects the JSON in pieces and sends each full one to the compressing thread.
struct Chunks {
    buf: Zeroizing<Vec<u8>>,
    send: mpsc::SyncSender<Zeroizing<Vec<u8>>>,
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.buf, Zeroizing::new(Vec::with_capacity(CHUNK)));
        self.send.send(full).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the compressor stopped")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::bundle::{encrypt, encrypt_export, Encryption};
    use crate::exchange::{ExportOptions, Opened, EXPORT_FORMAT, EXPORT_VERSION};

    fn doc() -> ExportDocument {
        ExportDocument {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            generator: "Touchpoint test".into(),
            exported_at: chrono::DateTime::parse_from_rfc3339("2025-05-02T18:30:00+02:00")
                .expect("time"),
            sender_public_key: "age1test".into(),
            options: ExportOptions::default(),
            people: Vec::new(),
            touchpoints: Vec::new(),
            reflections: Vec::new(),
            commitments: Vec::new(),
            topics: Vec::new(),
            annotations: Vec::new(),
            settings_loss_weight: 2.0,
            initiatives: Vec::new(),
        }
    }

    fn open(sealed: &[u8], key: &age::x25519::Identity) -> Result<ExportDocument, ExchangeError> {
        match Opened::open_with_key(sealed, key)? {
            Opened::Export(doc) => Ok(*doc),
            Opened::Review(_) => panic!("an export opens as an export"),
        }
    }

    /// Version 2 bundles are packed and open to the same document; version 1 bundles (the
    /// pretty JSON itself, as earlier builds wrote them) still open.
    #[test]
    fn packed_and_version_1_bundles_open_alike() {
        let key = age::x25519::Identity::generate();
        let to = Encryption::Recipients(vec![key.to_public().to_string()]);
        let doc = doc();

        let packed = encrypt_export(&doc, Uuid::nil(), &to).expect("packed");
        assert_eq!(open(&packed, &key).expect("open packed"), doc);

        let v1 = encrypt(&serde_json::to_vec_pretty(&doc).expect("json"), &to).expect("v1");
        assert_eq!(open(&v1, &key).expect("open version 1"), doc);
    }

    #[test]
    fn a_newer_or_damaged_payload_is_refused() {
        let key = age::x25519::Identity::generate();
        let to = Encryption::Recipients(vec![key.to_public().to_string()]);

        let newer = encrypt(b"touchpoint-bundle/4\nwhatever comes next", &to).expect("seal");
        let err = open(&newer, &key).expect_err("newer");
        assert_eq!(err.code(), "newer_format", "{err}");

        for payload in [
            &b"touchpoint-bundle/2\nnot deflate at all"[..],
            b"touchpoint-bundle/two\n",
            b"touchpoint-bundle/1\n{}",
            b"touchpoint-bundle/2",
            b"touchpoint-bundle/3\nexport not-an-id\n",
            b"touchpoint-bundle/3\n",
        ] {
            let sealed = encrypt(payload, &to).expect("seal");
            let err = open(&sealed, &key).expect_err("damaged");
            assert_eq!(err.code(), "file_damaged", "{err}");
        }
    }

    /// A payload grows past its first estimate by copies, to its exact length.
    #[test]
    fn unpacking_grows_past_the_estimate() {
        let json = vec![b' '; 100_000];
        let mut packed = Vec::new();
        {
            let mut deflate = DeflateEncoder::new(&mut packed, Compression::fast());
            deflate.write_all(&json).expect("compress");
            deflate.finish().expect("finish");
        }
        let read = read_zeroized(DeflateDecoder::new(&packed[..]), 10).expect("read");
        assert_eq!(&read[..], &json[..]);
    }
}
