//! Choosing what an export contains, and building its document.
//!
//! The rules, in order:
//! - Private entries and anything in the trash never leave, nor does anything made inside them
//!   (notes, reflections, commitments, topics, coach comments, tags), in any format: every
//!   writer (bundle, JSON, HTML, Markdown, CSV) and review mode read only this document.
//! - Entries must fall in `[since, until)`, be of one of `kinds` and carry one of `tags` (each
//!   when given).
//! - With a people filter, an entry goes only when a selected person took part, and it loses
//!   its other participants (with their reflections). Without one, entries with no people at
//!   all (decisions, notes) go too.
//! - Reflections, commitments and topics go only for selected people. With a date range,
//!   commitments and topics go when made or resolved in it (or made in an exported entry);
//!   with a kind or tag filter, only those made in an exported entry. A link to an entry that
//!   is not exported is dropped.
//! - Earlier coach comments go with the entries and reflections they are on.
//! - People go when selected and named by something exported; a full export (no date, kind or
//!   tag filter) takes every selected person.
//! - Change initiatives go with their exported entries, by the rules in
//!   [`initiatives`](super::initiatives); they bring no one into the export.

use std::collections::HashSet;
use std::ops::ControlFlow;

use chrono::{DateTime, Local, Utc};
use uuid::Uuid;

use super::document::{generator, ExportDocument, EXPORT_FORMAT, EXPORT_VERSION};
use super::initiatives::{self, Selection};
use super::pseudonym::Pseudonymiser;
use super::{ExchangeError, ExportOptions, Progress};
use crate::model::{Moment, Person};
use crate::Journal;

/// Normalises tags the way the journal stores them: trimmed, lower case, spaces as dashes.
pub(crate) fn clean_tag(tag: &str) -> String {
    tag.trim().to_lowercase().replace(char::is_whitespace, "-")
}

/// Checks and normalises export options: known people, a sensible range, clean tags.
fn normalise(journal: &Journal, options: &ExportOptions) -> Result<ExportOptions, ExchangeError> {
    if let (Some(since), Some(until)) = (options.since, options.until) {
        if since >= until {
            return Err(ExchangeError::invalid(
                "the start of the export range must come before its end",
            ));
        }
    }
    let mut people = options.people.clone();
    people.sort();
    people.dedup();
    for id in &people {
        journal.person(*id)?;
    }
    let mut kinds = options.kinds.clone();
    kinds.sort();
    kinds.dedup();
    let mut tags: Vec<String> = options
        .tags
        .iter()
        .map(|t| clean_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    Ok(ExportOptions {
        since: options.since,
        until: options.until,
        people,
        kinds,
        tags,
        pseudonymise: options.pseudonymise,
    })
}

/// Reports progress; `Err(Cancelled)` when the callback asks to stop.
pub(crate) fn tick(
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    done: usize,
    total: usize,
    stage: &str,
) -> Result<(), ExchangeError> {
    match progress(Progress {
        done: done as u64,
        total: total as u64,
        stage: stage.to_string(),
    }) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(ExchangeError::Cancelled),
    }
}

/// Builds the export document of `journal` for `options`, as of `now`.
pub(crate) fn build(
    journal: &Journal,
    options: &ExportOptions,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ExportDocument, ExchangeError> {
    let options = normalise(journal, options)?;
    let since = options.since.map(|d| d.timestamp_millis());
    let until = options.until.map(|d| d.timestamp_millis());
    tick(progress, 0, 1, "reading")?;
    let rows = journal.export_rows(since, until)?;
    let live: Vec<Person> = journal.people(true)?;
    let people_filter = !options.people.is_empty();
    let selected: HashSet<Uuid> = if people_filter {
        options.people.iter().copied().collect()
    } else {
        live.iter().map(|p| p.id).collect()
    };
    let entry_filter = !options.kinds.is_empty() || !options.tags.is_empty();
    let narrowed = entry_filter || options.since.is_some() || options.until.is_some();
    let in_range = |at: &Moment| {
        let ms = at.timestamp_millis();
        since.is_none_or(|s| ms >= s) && until.is_none_or(|u| ms < u)
    };

    let total = rows.touchpoints.len();
    let mut touchpoints = Vec::new();
    for (i, mut t) in rows.touchpoints.into_iter().enumerate() {
        if i % 500 == 0 {
            tick(progress, i, total, "reading")?;
        }
        if !options.kinds.is_empty() && !options.kinds.contains(&t.kind) {
            continue;
        }
        if !options.tags.is_empty() && !t.tags.iter().any(|g| options.tags.contains(g)) {
            continue;
        }
        let had_people = !t.participants.is_empty();
        t.participants.retain(|p| selected.contains(p));
        if t.participants.is_empty() && (people_filter || had_people) {
            continue;
        }
        touchpoints.push(t);
    }
    tick(progress, total, total, "reading")?;
    let exported: HashSet<Uuid> = touchpoints.iter().map(|t| t.id).collect();
    let took_part: HashSet<(Uuid, Uuid)> = touchpoints
        .iter()
        .flat_map(|t| t.participants.iter().map(move |p| (t.id, *p)))
        .collect();
    let reflections: Vec<_> = rows
        .reflections
        .into_iter()
        .filter(|r| took_part.contains(&(r.touchpoint_id, r.person_id)))
        .collect();

    let withheld = &rows.withheld;
    let keep_linked = |person: Uuid, link: Option<Uuid>, times: [Option<&Moment>; 2]| {
        if !selected.contains(&person) || link.is_some_and(|t| withheld.contains(&t)) {
            return false;
        }
        let linked = link.is_some_and(|t| exported.contains(&t));
        if entry_filter {
            linked
        } else {
            linked || times.iter().flatten().any(|at| in_range(at))
        }
    };
    let commitments: Vec<_> = journal
        .commitments(None, false)?
        .into_iter()
        .filter(|c| {
            keep_linked(
                c.person_id,
                c.touchpoint_id,
                [Some(&c.created_at), c.resolved_at.as_ref()],
            )
        })
        .map(|mut c| {
            c.touchpoint_id = c.touchpoint_id.filter(|t| exported.contains(t));
            c
        })
        .collect();
    let topics: Vec<_> = rows
        .topics
        .into_iter()
        .filter(|t| {
            keep_linked(
                t.person_id,
                t.touchpoint_id,
                [Some(&t.created_at), t.closed_at.as_ref()],
            )
        })
        .map(|mut t| {
            t.touchpoint_id = t.touchpoint_id.filter(|x| exported.contains(x));
            t
        })
        .collect();
    let reflection_ids: HashSet<Uuid> = reflections.iter().map(|r| r.id).collect();
    let annotations: Vec<_> = rows
        .annotations
        .into_iter()
        .filter(|a| exported.contains(&a.target_id) || reflection_ids.contains(&a.target_id))
        .collect();

    let mut named: HashSet<Uuid> = took_part.iter().map(|(_, p)| *p).collect();
    named.extend(reflections.iter().map(|r| r.person_id));
    named.extend(commitments.iter().map(|c| c.person_id));
    named.extend(topics.iter().map(|t| t.person_id));
    let mut people: Vec<Person> = live
        .into_iter()
        .filter(|p| selected.contains(&p.id) && (named.contains(&p.id) || !narrowed))
        .collect();
    people.sort_by_key(|p| p.id);
    let in_export: HashSet<Uuid> = people.iter().map(|p| p.id).collect();
    let keep_concern = |person: Uuid, link: Option<Uuid>, times: [Option<&Moment>; 2]| {
        in_export.contains(&person) && keep_linked(person, link, times)
    };
    let initiatives = initiatives::select(
        journal.initiative_records()?,
        &Selection {
            exported: &exported,
            withheld,
            people: &in_export,
            full: !narrowed && !people_filter,
            keep: &keep_concern,
        },
    );

    let mut options = options;
    options.tags.retain(|tag| {
        !rows.withheld_tags.contains(tag) || touchpoints.iter().any(|t| t.tags.contains(tag))
    });

    let mut doc = ExportDocument {
        format: EXPORT_FORMAT.into(),
        version: EXPORT_VERSION,
        generator: generator(),
        exported_at: now.with_timezone(&Local).fixed_offset(),
        sender_public_key: journal.public_key()?,
        options,
        people,
        touchpoints,
        reflections,
        commitments,
        topics,
        annotations,
        settings_loss_weight: journal.settings().loss_weight,
        initiatives,
    };
    if doc.options.pseudonymise {
        let order: Vec<Uuid> = doc.people.iter().map(|p| p.id).collect();
        pseudonymise(
            &mut doc,
            &Pseudonymiser::new(&order, &journal.known_names()?),
        );
    } else {
        doc.people.sort_by_key(|p| p.name.to_lowercase());
    }
    Ok(doc)
}

/// Replaces people by their labels and scrubs names and addresses from every free text.
fn pseudonymise(doc: &mut ExportDocument, p: &Pseudonymiser) {
    let tags = |tags: &mut Vec<String>| {
        let mut cleaned: Vec<String> = Vec::new();
        for t in tags.iter() {
            let t = clean_tag(&p.text(t));
            if !t.is_empty() && !cleaned.contains(&t) {
                cleaned.push(t);
            }
        }
        *tags = cleaned;
    };
    tags(&mut doc.options.tags);
    for person in &mut doc.people {
        person.name = p.label_of(person.id);
        person.emails.clear();
        person.role = p.text(&person.role);
        person.notes = p.text(&person.notes);
        for team in &mut person.teams {
            *team = p.text(team);
        }
    }
    for t in &mut doc.touchpoints {
        t.title = p.text(&t.title);
        t.notes = p.text(&t.notes);
        t.team = t.team.as_deref().map(|team| p.text(team));
        tags(&mut t.tags);
        if t.source != "manual" {
            t.source = "imported".into();
        }
    }
    for r in &mut doc.reflections {
        for a in &mut r.answers {
            a.prompt = p.text(&a.prompt);
            a.answer = p.text(&a.answer);
        }
        r.their_side = p.text(&r.their_side);
        r.would_have_helped = p.text(&r.would_have_helped);
        r.next_time = p.text(&r.next_time);
    }
    for c in &mut doc.commitments {
        c.what = p.text(&c.what);
    }
    for t in &mut doc.topics {
        t.text = p.text(&t.text);
    }
    for a in &mut doc.annotations {
        a.author = p.text(&a.author);
        a.text = p.text(&a.text);
    }
    initiatives::pseudonymise(&mut doc.initiatives, p);
}
