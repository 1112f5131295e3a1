//! Recognises what a file to import is by its content, never by its name.

use std::collections::HashMap;
use std::fmt;
use std::io::{Cursor, Read};

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::dayone::json_files;

/// What a file to import turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// An iCalendar file (`BEGIN:VCALENDAR`).
    Ics,
    /// A zip archive holding a Day One journal (`Journal.json`).
    DayOneZip,
    /// A Day One journal file on its own (the `.json` unpacked from the export zip).
    DayOneJson,
    /// The output of `jrnl --export json`.
    JrnlJson,
    /// Touchpoint's own JSON export (`"format": "touchpoint-..."`).
    TouchpointJson,
    /// An `age`-encrypted file: a Touchpoint bundle or a coach's review file.
    AgeEncrypted,
    /// None of the above.
    Unknown,
}

/// Looks at the content of a file and says which importer reads it. Cheap: JSON is
/// scanned without being kept, and of a zip only the listing and the start of one file are
/// read.
pub fn detect(bytes: &[u8]) -> Detected {
    if bytes.starts_with(b"PK\x03\x04") {
        return if is_dayone_zip(bytes) {
            Detected::DayOneZip
        } else {
            Detected::Unknown
        };
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = &body[start..];
    if body.starts_with(b"age-encryption.org/v1")
        || body.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
    {
        return Detected::AgeEncrypted;
    }
    if body.len() >= 15 && body[..15].eq_ignore_ascii_case(b"BEGIN:VCALENDAR") {
        return Detected::Ics;
    }
    if body.first() == Some(&b'{') {
        if let Ok(probe) = serde_json::from_slice::<Probe>(body) {
            return probe.verdict();
        }
    }
    Detected::Unknown
}

fn is_dayone_zip(bytes: &[u8]) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    for i in json_files(&mut archive) {
        let Ok(file) = archive.by_index(i) else {
            continue;
        };
        let mut head = Vec::new();
        if file.take(64 * 1024).read_to_end(&mut head).is_err() {
            continue;
        }
        let head = String::from_utf8_lossy(&head);
        if head.contains("\"entries\"")
            && (head.contains("\"creationDate\"") || head.contains("\"metadata\""))
        {
            return true;
        }
    }
    false
}

/// The few top-level facts of a JSON document that tell the formats apart.
#[derive(Default)]
struct Probe {
    format: Option<String>,
    metadata: bool,
    tags: bool,
    /// Present when there is an `entries` list: the keys of its first entry.
    entries: Option<Vec<String>>,
}

impl Probe {
    fn verdict(&self) -> Detected {
        if self
            .format
            .as_deref()
            .is_some_and(|f| f.starts_with("touchpoint-"))
        {
            return Detected::TouchpointJson;
        }
        let Some(keys) = &self.entries else {
            return Detected::Unknown;
        };
        let has = |k: &str| keys.iter().any(|x| x == k);
        if keys.is_empty() {
            // An empty export: jrnl writes tags, Day One metadata.
            return match (self.tags, self.metadata) {
                (true, false) => Detected::JrnlJson,
                (false, true) => Detected::DayOneJson,
                _ => Detected::Unknown,
            };
        }
        if has("date") && has("body") && (has("title") || has("time")) {
            Detected::JrnlJson
        } else if has("uuid") && has("creationDate") {
            Detected::DayOneJson
        } else {
            Detected::Unknown
        }
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut probe = Probe::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => {
                    probe.format = map
                        .next_value::<serde_json::Value>()?
                        .as_str()
                        .map(String::from)
                }
                "metadata" => {
                    map.next_value::<IgnoredAny>()?;
                    probe.metadata = true;
                }
                "tags" => {
                    map.next_value::<IgnoredAny>()?;
                    probe.tags = true;
                }
                "entries" => probe.entries = Some(map.next_value::<FirstKeys>()?.0),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(probe)
    }
}

/// The keys of the first element of a list of objects; the rest is skipped.
struct FirstKeys(Vec<String>);

impl<'de> Deserialize<'de> for FirstKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FirstKeys;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of objects")
            }

            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<FirstKeys, S::Error> {
                let first = seq.next_element::<HashMap<String, IgnoredAny>>()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FirstKeys(
                    first.map(|m| m.into_keys().collect()).unwrap_or_default(),
                ))
            }
        }
        d.deserialize_seq(V)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;
    use zip::write::SimpleFileOptions;

    use super::*;

    #[test]
    fn each_format_by_content() {
        assert_eq!(
            detect(b"\xEF\xBB\xBF\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            Detected::Ics
        );
        assert_eq!(detect(b"begin:vcalendar\n"), Detected::Ics);
        assert_eq!(
            detect(b"age-encryption.org/v1\n-> scrypt abc 18\n"),
            Detected::AgeEncrypted
        );
        assert_eq!(
            detect(b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"),
            Detected::AgeEncrypted
        );
        let jrnl = br#"{"tags": {"@work": 1}, "entries": [{"title": "T", "body": "B", "date": "2024-05-01", "time": "08:00", "tags": ["@work"], "starred": false}, {"x": 1}]}"#;
        assert_eq!(detect(jrnl), Detected::JrnlJson);
        assert_eq!(
            detect(br#"{"tags": {}, "entries": []}"#),
            Detected::JrnlJson
        );
        let dayone = br#"{"metadata": {"version": "1.0"}, "entries": [{"uuid": "A", "creationDate": "2024-05-01T08:00:00Z", "text": "x"}]}"#;
        assert_eq!(detect(dayone), Detected::DayOneJson);
        let own = br#"{"format": "touchpoint-export", "version": 1, "people": []}"#;
        assert_eq!(detect(own), Detected::TouchpointJson);
        let review = br#"{"version": 1, "format": "touchpoint-review", "annotations": []}"#;
        assert_eq!(detect(review), Detected::TouchpointJson);
    }

    #[test]
    fn day_one_zip_by_content() {
        let build = |name: &str, data: &[u8]| {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            w.start_file(name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
            w.finish().unwrap().into_inner()
        };
        let journal = br#"{"metadata":{"version":"1.0"},"entries":[{"uuid":"A","creationDate":"2024-05-01T08:00:00Z"}]}"#;
        assert_eq!(
            detect(&build("My Journal.json", journal)),
            Detected::DayOneZip
        );
        assert_eq!(detect(&build("notes.txt", journal)), Detected::Unknown);
        assert_eq!(
            detect(&build("package.json", br#"{"name":"x"}"#)),
            Detected::Unknown
        );
        assert_eq!(detect(b"PK\x03\x04 truncated"), Detected::Unknown);
    }

    #[test]
    fn garbage_is_unknown() {
        for bytes in [
            &b""[..],
            b"   \n\t",
            b"\x00\x01\x02\xff",
            b"{",
            b"{\"entries\": 3}",
            b"{\"entries\": [1, 2]}",
            b"[{\"date\": \"2024-05-01\"}]",
            b"{\"format\": 7}",
            b"BEGIN:VCARD\nEND:VCARD\n",
            b"\xEF\xBB\xBF",
            b"{\"entries\":[{\"title\":\"x\"}]}",
        ] {
            assert_eq!(
                detect(bytes),
                Detected::Unknown,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = detect(&bytes);
            let mut zip = b"PK\x03\x04".to_vec();
            zip.extend_from_slice(&bytes);
            let _ = detect(&zip);
            let mut json = b"{\"entries\":[".to_vec();
            json.extend_from_slice(&bytes);
            let _ = detect(&json);
        }
    }
}
