//! CSV exports: one row per touchpoint and one per reflection.

use std::collections::HashMap;

use uuid::Uuid;

use super::text::{csv_text, name_of, names};
use super::{ExchangeError, ExportDocument};

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ExchangeError> {
    w.into_inner()
        .map_err(|e| ExchangeError::invalid(format!("cannot write CSV: {e}")))
}

fn csv_error(e: csv::Error) -> ExchangeError {
    ExchangeError::invalid(format!("cannot write CSV: {e}"))
}

/// `touchpoints.csv`.
pub(crate) fn touchpoints(doc: &ExportDocument) -> Result<Vec<u8>, ExchangeError> {
    let names = names(doc);
    let mut reflected: HashMap<Uuid, usize> = HashMap::new();
    for r in &doc.reflections {
        *reflected.entry(r.touchpoint_id).or_default() += 1;
    }
    let mut w = writer();
    w.write_record([
        "id",
        "occurred_at",
        "kind",
        "title",
        "people",
        "team",
        "tags",
        "state",
        "duration_minutes",
        "affected_groups",
        "reflections",
        "notes",
    ])
    .map_err(csv_error)?;
    for t in &doc.touchpoints {
        let people: Vec<String> = t.participants.iter().map(|p| name_of(&names, *p)).collect();
        let groups: Vec<String> = t
            .affected_groups
            .iter()
            .map(|g| format!("{}:{}", g.group, g.impact))
            .collect();
        w.write_record([
            t.id.to_string(),
            t.occurred_at.to_rfc3339(),
            t.kind.to_string(),
            csv_text(&t.title),
            csv_text(&people.join("; ")),
            csv_text(t.team.as_deref().unwrap_or_default()),
            csv_text(&t.tags.join(", ")),
            t.state.to_string(),
            t.duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            groups.join("; "),
            reflected.get(&t.id).copied().unwrap_or(0).to_string(),
            csv_text(&t.notes),
        ])
        .map_err(csv_error)?;
    }
    finish(w)
}

/// `reflections.csv`.
pub(crate) fn reflections(doc: &ExportDocument) -> Result<Vec<u8>, ExchangeError> {
    let names = names(doc);
    let touchpoints: HashMap<Uuid, _> = doc.touchpoints.iter().map(|t| (t.id, t)).collect();
    let mut w = writer();
    w.write_record([
        "id",
        "touchpoint_id",
        "occurred_at",
        "kind",
        "touchpoint_title",
        "person_id",
        "person",
        "willingness",
        "ability",
        "adversarial",
        "their_side",
        "would_have_helped",
        "next_time",
        "answers",
    ])
    .map_err(csv_error)?;
    for r in &doc.reflections {
        let t = touchpoints.get(&r.touchpoint_id);
        let answers: Vec<String> = r
            .answers
            .iter()
            .filter(|a| !a.answer.trim().is_empty())
            .map(|a| format!("{}\n{}", a.prompt.trim(), a.answer.trim()))
            .collect();
        w.write_record([
            r.id.to_string(),
            r.touchpoint_id.to_string(),
            t.map(|t| t.occurred_at.to_rfc3339()).unwrap_or_default(),
            t.map(|t| t.kind.to_string()).unwrap_or_default(),
            csv_text(t.map(|t| t.title.as_str()).unwrap_or_default()),
            r.person_id.to_string(),
            csv_text(&name_of(&names, r.person_id)),
            r.willingness.to_string(),
            r.ability.to_string(),
            r.adversarial.to_string(),
            csv_text(&r.their_side),
            csv_text(&r.would_have_helped),
            csv_text(&r.next_time),
            csv_text(&answers.join("\n\n")),
        ])
        .map_err(csv_error)?;
    }
    finish(w)
}
