//! Day One import: the JSON export zip (or its `Journal.json` alone), one [`ForeignEntry`] per entry.
//!
//! Day One's "JSON" export is a zip holding one `<Journal name>.json` per journal (plus
//! photo folders) of the shape `{"metadata": {...}, "entries": [{"uuid", "creationDate":
//! "2024-05-01T08:00:00Z", "timeZone": "Europe/Berlin", "text", "tags", "starred", ...}]}`.
//! An entry's time is shown in its own `timeZone` when that is a known IANA name, in UTC
//! otherwise. Its first line (without Markdown `#`) is the title and the rest the text;
//! Day One's references to photos and videos (`![](dayone-moment://...)`) are dropped, as
//! the media are not imported. Ids are `dayone:<uuid>`.
//!
//! The zip is read defensively: at most 200,000 files, JSON files unpacked to at most
//! 200 MB in all (counting bytes actually inflated, not the sizes the archive claims), and
//! only deflated or stored files.

use std::io::{Cursor, Read};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{ForeignEntry, ImportError};

/// Most files a Day One archive may hold (photos included).
pub(crate) const MAX_ZIP_FILES: usize = 200_000;
/// Most bytes the JSON files of an archive may unpack to.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;

#[derive(Deserialize)]
struct Export {
    entries: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    uuid: Option<String>,
    creation_date: Option<String>,
    time_zone: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

const EXPECTED: &str = "a Day One JSON export";

/// The JSON files of a zip archive worth reading: not folders, not macOS metadata.
pub(crate) fn json_files(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Vec<usize> {
    (0..archive.len())
        .filter(|&i| {
            archive.name_for_index(i).is_some_and(|name| {
                let base = name.rsplit('/').next().unwrap_or(name);
                name.to_ascii_lowercase().ends_with(".json")
                    && !name.starts_with("__MACOSX/")
                    && !base.starts_with('.')
            })
        })
        .collect()
}

fn zip_error(e: zip::result::ZipError) -> ImportError {
    ImportError::Zip(e.to_string())
}

/// Reads a Day One JSON export zip: every journal in it, in archive order.
///
/// Fails when the archive is damaged, holds no Day One journal, unpacks to more than
/// 200 MB of JSON, or holds more than `max_entries` entries in all.
pub fn parse_dayone_zip(
    bytes: &[u8],
    max_entries: usize,
) -> Result<Vec<ForeignEntry>, ImportError> {
    parse_zip_capped(bytes, max_entries, MAX_UNPACKED_BYTES)
}

/// [`parse_dayone_zip`] with `limit` bytes of JSON unpacked at most.
fn parse_zip_capped(
    bytes: &[u8],
    max_entries: usize,
    limit: u64,
) -> Result<Vec<ForeignEntry>, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if archive.len() > MAX_ZIP_FILES {
        return Err(ImportError::Zip(format!(
            "it holds {} files, more than the {MAX_ZIP_FILES} a Day One export may hold",
            archive.len()
        )));
    }
    let candidates = json_files(&mut archive);
    if candidates.is_empty() {
        return Err(ImportError::WrongFormat {
            expected: EXPECTED,
            detail: "the zip archive holds no journal (.json) file".into(),
        });
    }
    let mut budget = limit;
    let mut out = Vec::new();
    let mut first_error = None;
    let mut journals = 0;
    for i in candidates {
        let file = archive.by_index(i).map_err(zip_error)?;
        let name = file.name().to_string();
        let mut data = Vec::new();
        file.take(budget + 1)
            .read_to_end(&mut data)
            .map_err(|e| ImportError::Zip(format!("{name}: {e}")))?;
        if data.len() as u64 > budget {
            return Err(ImportError::ZipTooLarge {
                limit_mb: limit / (1024 * 1024),
            });
        }
        budget -= data.len() as u64;
        match parse_dayone_json(&data, max_entries.saturating_sub(out.len())) {
            Ok(entries) => {
                journals += 1;
                out.extend(entries);
            }
            Err(ImportError::TooManyEntries { .. }) => {
                return Err(ImportError::TooManyEntries { max: max_entries })
            }
            Err(ImportError::WrongFormat { detail, .. }) => {
                // Another JSON file beside the journals: skipped, remembered in case none is one.
                first_error.get_or_insert(ImportError::WrongFormat {
                    expected: EXPECTED,
                    detail: format!("{name}: {detail}"),
                });
            }
            Err(other) => return Err(other),
        }
    }
    match (journals, first_error) {
        (0, Some(e)) => Err(e),
        _ => Ok(out),
    }
}

/// Reads one Day One journal file (the `.json` inside the export zip).
pub fn parse_dayone_json(
    bytes: &[u8],
    max_entries: usize,
) -> Result<Vec<ForeignEntry>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let export: Export = serde_json::from_slice(bytes).map_err(|e| ImportError::WrongFormat {
        expected: EXPECTED,
        detail: format!("unreadable JSON ({e})"),
    })?;
    let entries = export.entries.ok_or(ImportError::WrongFormat {
        expected: EXPECTED,
        detail: "it has no \"entries\" list".into(),
    })?;
    if entries.len() > max_entries {
        return Err(ImportError::TooManyEntries { max: max_entries });
    }
    entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| entry(i, e))
        .collect()
}

fn entry(i: usize, e: Entry) -> Result<ForeignEntry, ImportError> {
    let bad = |message: String| ImportError::Entry {
        source_name: "Day One",
        index: i + 1,
        message,
    };
    let uuid = e
        .uuid
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| bad("it has no uuid".into()))?;
    let created = e.creation_date.unwrap_or_default();
    let utc: DateTime<Utc> = DateTime::parse_from_rfc3339(created.trim())
        .map_err(|_| {
            bad(format!(
                "creationDate {created:?} is not a date-time such as 2024-05-01T08:00:00Z"
            ))
        })?
        .with_timezone(&Utc);
    let occurred_at = match e
        .time_zone
        .as_deref()
        .and_then(|z| chrono_tz::Tz::from_str(z.trim()).ok())
    {
        Some(tz) => utc.with_timezone(&tz).fixed_offset(),
        None => utc.fixed_offset(),
    };
    let (title, text) = split_title(&drop_media(&e.text.replace("\r\n", "\n")));
    let mut tags: Vec<String> = Vec::new();
    for t in &e.tags {
        let t = t.trim();
        if !t.is_empty() && !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            tags.push(t.to_string());
        }
    }
    Ok(ForeignEntry {
        source_uid: format!("dayone:{uuid}"),
        occurred_at,
        title,
        text,
        tags,
        starred: e.starred,
    })
}

/// Removes Day One's photo, video and audio references.
fn drop_media(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("![](dayone-moment:") {
        out.push_str(&rest[..at]);
        rest = match rest[at..].find(')') {
            Some(close) => &rest[at + close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Removes Markdown backslash escapes (`\.` → `.`), which Day One adds generously.
fn unescape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The first non-blank line (without heading marks or escapes) and the rest.
fn split_title(text: &str) -> (String, String) {
    let trimmed = text.trim_start_matches(|c: char| c == '\n' || c.is_whitespace());
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    let title = unescape_markdown(first.trim().trim_start_matches('#').trim());
    (title, rest.trim().to_string())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;
    use zip::write::SimpleFileOptions;

    use super::*;

    const JOURNAL: &str = r###"{
  "metadata" : { "version" : "1.0" },
  "entries" : [
    {
      "uuid" : "1B6E7E4B1C7B4C3E9F1A2B3C4D5E6F70",
      "creationDate" : "2024-05-01T08:00:00Z",
      "modifiedDate" : "2024-05-01T08:10:00Z",
      "timeZone" : "Europe\/Berlin",
      "starred" : true,
      "tags" : [ "leadership", "1:1", "Leadership" ],
      "text" : "# One-on-one with Ana\n\nShe asked whether the AI pilot changes her role\\. I said I would find out\\.\n![](dayone-moment:\/\/3F2A9C)\nFollow up Friday\\.",
      "richText" : "{\"meta\":{\"version\":1}}",
      "location" : { "placeName" : "Office" },
      "weather" : { "temperatureCelsius" : 14 }
    },
    {
      "uuid" : "2C7F8F5C2D8C5D4FA02B3C4D5E6F7081",
      "creationDate" : "2024-11-03T19:30:00Z",
      "timeZone" : "America\/New_York",
      "text" : "Quiet day\\."
    },
    {
      "uuid" : "3D808A6D3E9D6E50B13C4D5E6F708192",
      "creationDate" : "2024-11-04T07:00:00Z",
      "timeZone" : "Mars\/Olympus",
      "text" : ""
    }
  ]
}"###;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in files {
            writer.start_file(*name, options).unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn zip_round_trip() {
        let zip = zip_of(&[
            ("Journal.json", JOURNAL.as_bytes()),
            ("photos/3f2a9c.jpeg", b"\xFF\xD8\xFF not really"),
            ("__MACOSX/._Journal.json", b"junk"),
        ]);
        let entries = parse_dayone_zip(&zip, 100).unwrap();
        assert_eq!(entries.len(), 3);
        let ana = &entries[0];
        assert_eq!(ana.source_uid, "dayone:1B6E7E4B1C7B4C3E9F1A2B3C4D5E6F70");
        assert_eq!(ana.title, "One-on-one with Ana");
        assert_eq!(
            ana.text,
            "She asked whether the AI pilot changes her role\\. I said I would find out\\.\n\nFollow up Friday\\."
        );
        assert_eq!(ana.tags, ["leadership", "1:1"]);
        assert!(ana.starred);
        assert_eq!(ana.occurred_at.to_rfc3339(), "2024-05-01T10:00:00+02:00");
        let quiet = &entries[1];
        assert_eq!(quiet.title, "Quiet day.");
        assert_eq!(quiet.text, "");
        assert_eq!(quiet.occurred_at.to_rfc3339(), "2024-11-03T14:30:00-05:00");
        assert!(!quiet.starred);
        assert_eq!(
            entries[2].occurred_at.to_rfc3339(),
            "2024-11-04T07:00:00+00:00",
            "unknown zone: UTC"
        );
        assert_eq!(parse_dayone_json(JOURNAL.as_bytes(), 100).unwrap(), entries);
    }

    #[test]
    fn several_journals_and_the_entry_cap() {
        let zip = zip_of(&[
            ("Work.json", JOURNAL.as_bytes()),
            ("Home.json", JOURNAL.as_bytes()),
        ]);
        assert_eq!(parse_dayone_zip(&zip, 6).unwrap().len(), 6);
        assert_eq!(
            parse_dayone_zip(&zip, 5).unwrap_err(),
            ImportError::TooManyEntries { max: 5 }
        );
    }

    #[test]
    fn damaged_and_foreign_archives_are_refused() {
        let zip = zip_of(&[("Journal.json", JOURNAL.as_bytes())]);
        let truncated = &zip[..zip.len() / 2];
        assert!(matches!(
            parse_dayone_zip(truncated, 100),
            Err(ImportError::Zip(_))
        ));
        assert!(matches!(
            parse_dayone_zip(b"PK\x03\x04garbage", 100),
            Err(ImportError::Zip(_))
        ));
        assert!(matches!(
            parse_dayone_zip(b"", 100),
            Err(ImportError::Zip(_))
        ));
        let mut corrupt = zip.clone();
        // Damage the compressed data of the journal (just after the local header and name).
        for b in &mut corrupt[45..80] {
            *b ^= 0x5A;
        }
        let err = parse_dayone_zip(&corrupt, 100).unwrap_err();
        assert!(
            matches!(err, ImportError::Zip(_) | ImportError::WrongFormat { .. }),
            "{err}"
        );

        let photos_only = zip_of(&[("photos/a.jpeg", b"x")]);
        assert!(parse_dayone_zip(&photos_only, 100)
            .unwrap_err()
            .to_string()
            .contains("no journal"));
        let other_json = zip_of(&[("package.json", br#"{"name":"x"}"#)]);
        let err = parse_dayone_zip(&other_json, 100).unwrap_err().to_string();
        assert!(
            err.contains("package.json") && err.contains("no \"entries\""),
            "{err}"
        );
    }

    #[test]
    fn zip_bombs_are_capped() {
        // 3 MB of spaces deflate to a few KB; the cap under test is 2 MB (200 MB in the app).
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("Journal.json", options).unwrap();
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..3 {
            writer.write_all(&chunk).unwrap();
        }
        let zip = writer.finish().unwrap().into_inner();
        assert!(zip.len() < 64 * 1024);
        assert_eq!(
            parse_zip_capped(&zip, 100, 2 * 1024 * 1024).unwrap_err(),
            ImportError::ZipTooLarge { limit_mb: 2 }
        );
        assert_eq!(MAX_UNPACKED_BYTES, 200 * 1024 * 1024);
    }

    #[test]
    fn bad_entries_name_their_position() {
        let no_uuid = r#"{"entries":[{"creationDate":"2024-05-01T08:00:00Z","text":"x"}]}"#;
        assert_eq!(
            parse_dayone_json(no_uuid.as_bytes(), 10)
                .unwrap_err()
                .to_string(),
            "Day One entry 1: it has no uuid"
        );
        let bad_date = r#"{"entries":[{"uuid":"A","creationDate":"yesterday"}]}"#;
        assert!(parse_dayone_json(bad_date.as_bytes(), 10)
            .unwrap_err()
            .to_string()
            .contains("creationDate \"yesterday\""));
        assert!(matches!(
            parse_dayone_json(b"{\"entries\": 3}", 10),
            Err(ImportError::WrongFormat { .. })
        ));
    }

    #[test]
    fn titles() {
        assert_eq!(
            split_title("\n\n## Big day\\!\nrest\n"),
            ("Big day!".into(), "rest".into())
        );
        assert_eq!(
            split_title("single line"),
            ("single line".into(), String::new())
        );
        assert_eq!(
            drop_media("a ![](dayone-moment://X) b ![](dayone-moment:/video/Y"),
            "a  b "
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_on_damaged_archives(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
            cut in proptest::option::of(any::<usize>()),
        ) {
            let mut zip = zip_of(&[("Journal.json", JOURNAL.as_bytes()), ("photos/a.jpeg", b"xyz")]);
            for (pos, byte) in edits {
                let at = pos % zip.len();
                zip[at] = byte;
            }
            if let Some(cut) = cut {
                zip.truncate(cut % (zip.len() + 1));
            }
            let _ = parse_dayone_zip(&zip, 100);
            let _ = crate::import::detect(&zip);
        }

        #[test]
        fn never_panics_on_arbitrary_json(bytes in proptest::collection::vec(any::<u8>(), 0..500)) {
            let _ = parse_dayone_json(&bytes, 100);
        }
    }
}
