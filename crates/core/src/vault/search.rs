//! Full-text search over notes, reflections, commitments and topics, safe for any typed query.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::entries::parse_moment;
use super::{get_opt_id, Journal, PersonRef};
use crate::model::{Moment, TouchpointKind};
use crate::{Error, Result};

/// How a query is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SearchMode {
    /// Every word must appear; quotes, `*`, `-`, `NEAR(` and the like are plain text.
    /// The last word also matches as a prefix, as in a search box.
    #[default]
    Plain,
    /// The query is SQLite FTS5 syntax, for users who ask for it.
    Syntax,
}

/// A piece of a snippet, either matched text or the text around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// Whether this piece matched the query.
    pub hit: bool,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    /// The touchpoint the match belongs to, if any (a commitment or topic may have none).
    pub touchpoint_id: Option<Uuid>,
    /// Its title.
    pub title: Option<String>,
    /// Its kind.
    pub kind: Option<TouchpointKind>,
    /// When it happened (or when the commitment or topic was made).
    pub at: Moment,
    /// The person the matched text is about, if it is a reflection, commitment or topic.
    pub person: Option<PersonRef>,
    /// `note`, `reflection`, `commitment` or `topic`.
    pub source: String,
    /// The matched text around the hit, split into highlighted and plain pieces.
    pub snippet: Vec<Segment>,
}

/// Turns typed text into an FTS5 query that matches every word and never fails to parse.
pub fn plain_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last {
                    format!("{w}*")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';

/// Splits a snippet marked with the hit delimiters into segments.
fn segments(marked: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut hit = false;
    let mut current = String::new();
    for c in marked.chars() {
        if c == HIT_START || c == HIT_END {
            if !current.is_empty() {
                out.push(Segment {
                    text: std::mem::take(&mut current),
                    hit,
                });
            }
            hit = c == HIT_START;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(Segment { text: current, hit });
    }
    out
}

impl Journal {
    /// Finds entries whose text matches: best matches first, or, when more than 250 entries
    /// match (a word found everywhere), the most recently written first.
    pub fn search(&self, query: &str, mode: SearchMode, limit: u32) -> Result<Vec<SearchHit>> {
        let fts = match mode {
            SearchMode::Plain => match plain_query(query) {
                Some(q) => q,
                None => return Ok(Vec::new()),
            },
            SearchMode::Syntax => query.to_string(),
        };
        let limit = limit.clamp(1, 500);
        // Ranking (bm25) reads every match, and a common word matches most of the journal. So
        // matches are ranked only when there are at most RANKED_MATCHES of them; beyond that
        // the most recently written come first, which FTS5 finds by walking its index
        // backwards and stopping.
        let many = |fts: &str| -> Result<bool> {
            self.conn()
                .prepare_cached(
                    "SELECT 1 FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
                )
                .and_then(|mut stmt| stmt.exists(rusqlite::params![fts, RANKED_MATCHES]))
                .map_err(|e| search_error(e, mode))
        };
        // The last word of a plain query is also a prefix, and FTS5 (without a prefix index)
        // merges the whole list of every word it starts before the first row: 25 ms for a word
        // in every entry. When the words as typed already match more than RANKED_MATCHES
        // entries, the page is the newest of those and the prefix is never expanded.
        let exact = (mode == SearchMode::Plain)
            .then(|| fts.strip_suffix('*'))
            .flatten()
            .map(str::to_string);
        let (fts, order) = match exact {
            Some(exact) if many(&exact)? => (exact, "s.rowid DESC"),
            _ if many(&fts)? => (fts, "s.rowid DESC"),
            _ => (fts, "rank"),
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT s.rowid % 4, s.touchpoint_id, t.title, t.kind, t.occurred_at,
                    p.id, p.name, snippet(search, 2, char(2), char(3), '…', 16),
                    coalesce(c.created_at, o.created_at)
             FROM search s
             LEFT JOIN touchpoints t ON t.id = s.touchpoint_id
             LEFT JOIN people p ON p.id = s.person_id
             LEFT JOIN commitments c ON s.rowid % 4 = 2 AND c.rid = s.rowid / 4
             LEFT JOIN topics o ON s.rowid % 4 = 3 AND o.rid = s.rowid / 4
             WHERE search MATCH ?1
               AND (s.touchpoint_id IS NULL OR t.deleted_at IS NULL)
               AND (s.person_id IS NULL OR p.deleted_at IS NULL)
               AND (s.touchpoint_id IS NOT NULL OR s.person_id IS NOT NULL)
             ORDER BY {order}
             LIMIT ?2"
        ))?;
        let rows = stmt.query_map(rusqlite::params![fts, limit], |r| {
            let tag: i64 = r.get(0)?;
            let kind: Option<String> = r.get(3)?;
            let at: Option<String> = r.get(4)?;
            let made: Option<String> = r.get(8)?;
            let person = match (get_opt_id(r, 5)?, r.get::<_, Option<String>>(6)?) {
                (Some(id), Some(name)) => Some(PersonRef { id, name }),
                _ => None,
            };
            let snippet: String = r.get(7)?;
            Ok(SearchHit {
                touchpoint_id: get_opt_id(r, 1)?,
                title: r.get(2)?,
                kind: kind.and_then(|k| k.parse().ok()),
                at: parse_moment(at.or(made).as_deref().unwrap_or_default()),
                person,
                source: ["note", "reflection", "commitment", "topic"][tag as usize % 4].to_string(),
                snippet: segments(&snippet),
            })
        });
        let collected = rows.and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        collected.map_err(|e| search_error(e, mode))
    }
}

/// Up to this many matches are ranked by relevance; more are listed newest first (see
/// [`Journal::search`]).
const RANKED_MATCHES: i64 = 250;

/// Only a user-written FTS5 expression can fail to parse; say so plainly.
fn search_error(e: rusqlite::Error, mode: SearchMode) -> Error {
    match mode {
        SearchMode::Syntax => Error::InvalidInput(format!(
            "the search expression is not valid FTS5 syntax: {e}"
        )),
        SearchMode::Plain => e.into(),
    }
}
