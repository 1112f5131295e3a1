//! jrnl import: the output of `jrnl --export json`, one [`ForeignEntry`] per entry.
//!
//! jrnl writes `{"tags": {"@work": 2}, "entries": [{"title", "body", "date": "2024-05-01",
//! "time": "08:00", "tags": ["@work"], "starred": false}]}`. Its dates carry no time zone:
//! they are read in the machine's own zone, where jrnl wrote them. Tags lose their `@`
//! (or `#`). The id of an entry is `jrnl:` and the SHA-256 of its date, time and title, so
//! re-importing the same export changes nothing; two entries with the same date, time and
//! title get `#2`, `#3`... appended, in export order.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::tz::Zone;
use super::{ForeignEntry, ImportError};

#[derive(Deserialize)]
struct Export {
    entries: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    title: Option<String>,
    body: Option<String>,
    date: Option<String>,
    time: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

const EXPECTED: &str = "a jrnl JSON export (jrnl --export json)";

/// Reads a jrnl JSON export; dates are read in the machine's time zone.
///
/// Fails when the JSON is not jrnl's shape, when an entry's date or time is unreadable, or
/// when there are more than `max_entries` entries.
pub fn parse_jrnl_json(bytes: &[u8], max_entries: usize) -> Result<Vec<ForeignEntry>, ImportError> {
    parse_jrnl_in(bytes, max_entries, &Zone::Machine)
}

/// [`parse_jrnl_json`] with dates read in `zone`.
pub(crate) fn parse_jrnl_in(
    bytes: &[u8],
    max_entries: usize,
    zone: &Zone,
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
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        let bad = |message: String| ImportError::Entry {
            source_name: "jrnl",
            index: i + 1,
            message,
        };
        let date_text = e.date.unwrap_or_default();
        let date = NaiveDate::parse_from_str(date_text.trim(), "%Y-%m-%d").map_err(|_| {
            bad(format!(
                "date {date_text:?} is not a date such as 2024-05-01"
            ))
        })?;
        let time_text = e.time.unwrap_or_else(|| "00:00".into());
        let time = NaiveTime::parse_from_str(time_text.trim(), "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(time_text.trim(), "%H:%M:%S"))
            .map_err(|_| bad(format!("time {time_text:?} is not a time such as 08:00")))?;
        let occurred_at = zone
            .at(date.and_time(time))
            .ok_or_else(|| bad(format!("{date_text} {time_text} cannot be placed in time")))?;
        let title = e.title.unwrap_or_default().trim().to_string();
        let mut hash = Sha256::new();
        hash.update(format!("{}\n{}\n{}", date_text.trim(), time_text.trim(), title).as_bytes());
        let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let mut source_uid = format!("jrnl:{digest}");
        let n = seen.entry(source_uid.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            source_uid = format!("{source_uid}#{n}");
        }
        let mut tags: Vec<String> = Vec::new();
        for t in &e.tags {
            let t = t.trim().trim_start_matches(['@', '#']).trim();
            if !t.is_empty() && !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                tags.push(t.to_string());
            }
        }
        out.push(ForeignEntry {
            source_uid,
            occurred_at,
            title,
            text: e.body.unwrap_or_default().trim().to_string(),
            tags,
            starred: e.starred,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const EXPORT: &str = r#"{
  "tags": {"@work": 2, "@team": 1},
  "entries": [
    {
      "title": "Talked with Ana about the reorg.",
      "body": "She worries the new tool replaces her role.\nPromised a clear answer by Friday.",
      "date": "2024-05-01",
      "time": "08:00",
      "tags": ["@work", "@team", "@Work"],
      "starred": true
    },
    {
      "title": "Retro went well.",
      "body": "",
      "date": "2024-10-28",
      "time": "17:45",
      "tags": ["@work"],
      "starred": false
    }
  ]
}"#;

    fn berlin() -> Zone {
        Zone::Named(chrono_tz::Europe::Berlin)
    }

    #[test]
    fn reads_entries_in_local_time() {
        let entries = parse_jrnl_in(EXPORT.as_bytes(), 100, &berlin()).unwrap();
        assert_eq!(entries.len(), 2);
        let first = &entries[0];
        assert_eq!(first.title, "Talked with Ana about the reorg.");
        assert!(first.text.starts_with("She worries"));
        assert_eq!(first.tags, ["work", "team"]);
        assert!(first.starred);
        assert_eq!(first.occurred_at.to_rfc3339(), "2024-05-01T08:00:00+02:00");
        assert_eq!(
            entries[1].occurred_at.to_rfc3339(),
            "2024-10-28T17:45:00+01:00"
        );
        assert!(first.source_uid.starts_with("jrnl:"));
        assert_eq!(first.source_uid.len(), 5 + 64);
        // Stable across imports.
        let again = parse_jrnl_in(EXPORT.as_bytes(), 100, &berlin()).unwrap();
        assert_eq!(again[0].source_uid, first.source_uid);
        assert_ne!(entries[1].source_uid, first.source_uid);
        // The public entry point reads the machine's zone.
        assert_eq!(parse_jrnl_json(EXPORT.as_bytes(), 100).unwrap().len(), 2);
    }

    #[test]
    fn same_minute_and_title_stay_distinct() {
        let json = r#"{"tags":{},"entries":[
            {"title":"Note.","body":"a","date":"2024-05-01","time":"08:00","tags":[],"starred":false},
            {"title":"Note.","body":"b","date":"2024-05-01","time":"08:00","tags":[],"starred":false}]}"#;
        let entries = parse_jrnl_in(json.as_bytes(), 10, &berlin()).unwrap();
        assert_eq!(
            entries[1].source_uid,
            format!("{}#2", entries[0].source_uid)
        );
    }

    #[test]
    fn wrong_shapes_and_values_are_explained() {
        let err = |json: &str| {
            parse_jrnl_in(json.as_bytes(), 10, &berlin())
                .unwrap_err()
                .to_string()
        };
        assert!(err(r#"{"metadata":{},"items":[]}"#).contains("no \"entries\" list"));
        assert!(err("[1, 2]").contains("not a jrnl JSON export"));
        assert!(err(r#"{"entries": [{"title": 3}]}"#).contains("unreadable JSON"));
        assert!(err("{\"entries\": [").contains("unreadable JSON"));
        let bad_date =
            r#"{"entries":[{"title":"x","body":"","date":"01/05/2024","time":"08:00"}]}"#;
        assert_eq!(
            err(bad_date),
            "jrnl entry 1: date \"01/05/2024\" is not a date such as 2024-05-01"
        );
        let bad_time = r#"{"entries":[{"title":"x","date":"2024-05-01","time":"8 o'clock"}]}"#;
        assert!(err(bad_time).contains("entry 1: time"));
        let two = r#"{"entries":[{"date":"2024-05-01"},{"date":"2024-05-02"}]}"#;
        assert_eq!(
            parse_jrnl_in(two.as_bytes(), 1, &berlin()).unwrap_err(),
            ImportError::TooManyEntries { max: 1 }
        );
        assert_eq!(
            parse_jrnl_in(two.as_bytes(), 2, &berlin()).unwrap()[0].title,
            ""
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn never_panics(
            bytes in proptest::collection::vec(any::<u8>(), 0..500),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        ) {
            let _ = parse_jrnl_json(&bytes, 100);
            let mut export = EXPORT.as_bytes().to_vec();
            for (pos, byte) in edits {
                let at = pos % export.len();
                export[at] = byte;
            }
            let _ = parse_jrnl_in(&export, 100, &berlin());
        }
    }
}
