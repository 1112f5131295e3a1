//! The coach exchange on the command line: key, export, import and review.

use std::ops::ControlFlow;
use std::path::Path;

use anyhow::Context;
use chrono::{Duration, Utc};
use touchpoint_core::exchange::{
    self, Encryption, ExchangeError, ExportFormat, ExportOptions, FileKind, ImportOutcome,
    ImportPreview, IncomingKind, ReviewSession, Unlock,
};
use touchpoint_core::model::TouchpointKind;
use touchpoint_core::secret::Passphrase;
use touchpoint_core::vault::CalendarNotice;
use touchpoint_core::{Error, Journal};
use uuid::Uuid;

use crate::args::{ExportArgs, ImportArgs, ReviewArgs, ReviewCommand};
use crate::commands::{parse_id, parse_start};
use crate::{output, secrets};

/// Progress is not shown on the terminal; nothing cancels.
fn no_progress(_: exchange::Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// The passphrase of a passphrase bundle: `TOUCHPOINT_EXPORT_PASSPHRASE` or the terminal.
fn bundle_passphrase(new: bool) -> anyhow::Result<Passphrase> {
    if new {
        secrets::new_passphrase_from("TOUCHPOINT_EXPORT_PASSPHRASE", "Bundle passphrase: ")
    } else {
        secrets::passphrase_from("TOUCHPOINT_EXPORT_PASSPHRASE", "Bundle passphrase: ")
    }
}

/// `export`.
pub fn export(journal: &Journal, a: ExportArgs, json: bool) -> anyhow::Result<()> {
    let format: ExportFormat = a.format.parse()?;
    let options = ExportOptions {
        since: a.since.map(|s| parse_start(&s)).transpose()?,
        // An end date includes its whole day.
        until: a
            .until
            .map(|s| parse_start(&s).map(|d| d + Duration::days(1)))
            .transpose()?,
        people: journal
            .people_by_names(&a.person)?
            .into_iter()
            .map(|p| p.id)
            .collect(),
        kinds: a
            .kind
            .iter()
            .map(|k| k.parse())
            .collect::<Result<Vec<TouchpointKind>, _>>()?,
        tags: a.tag,
        pseudonymise: a.pseudonymise,
    };
    let encryption = match format {
        ExportFormat::Bundle if a.recipient.is_empty() => {
            Some(Encryption::Passphrase(bundle_passphrase(true)?))
        }
        ExportFormat::Bundle => Some(Encryption::Recipients(a.recipient)),
        _ if !a.recipient.is_empty() => {
            return Err(
                Error::InvalidInput("--recipient only applies to --format bundle".into()).into(),
            )
        }
        _ => None,
    };
    let summary = exchange::export(
        journal,
        &options,
        format,
        encryption.as_ref(),
        &a.out,
        &mut no_progress,
    )?;
    output::print(&summary, json, |s| {
        outln!(
            "Exported {} touchpoints to {}",
            s.touchpoints,
            s.files.join(", ")
        );
    })
}

/// `import`: the kind of file is recognised by its content, never by its name.
pub fn import(journal: &mut Journal, a: ImportArgs, json: bool) -> anyhow::Result<()> {
    let bytes = read(&a.path)?;
    let kind = exchange::describe(&bytes).map_err(|e| match e {
        ExchangeError::NotTouchpoint(why) => anyhow::Error::from(Error::InvalidInput(format!(
            "{} is not a file Touchpoint can import: {why}",
            a.path.display()
        ))),
        other => other.into(),
    })?;
    let pass = match kind {
        IncomingKind::PassphraseBundle => Some(bundle_passphrase(false)?),
        _ => None,
    };
    let now = Utc::now();
    let window = if a.from.is_some() || a.to.is_some() {
        let (default_from, default_to) = exchange::default_calendar_window(now);
        let from = a.from.as_deref().map(parse_start).transpose()?;
        // An end date includes its whole day.
        let to =
            a.to.as_deref()
                .map(|d| parse_start(d).map(|d| d + Duration::days(1)))
                .transpose()?;
        let window = (from.unwrap_or(default_from), to.unwrap_or(default_to));
        if window.1 <= window.0 {
            return Err(Error::InvalidInput("--to must be after --from".into()).into());
        }
        Some(window)
    } else {
        None
    };
    if a.dry_run {
        let preview = exchange::preview_file(
            journal,
            &bytes,
            pass.as_ref(),
            window,
            now,
            &mut no_progress,
        )?;
        return output::print(&preview, json, |p| {
            print_preview(p);
            outln!("Dry run: nothing was changed.");
        });
    }
    let done = match exchange::import_file(
        journal,
        &bytes,
        pass.as_ref(),
        window,
        now,
        a.yes,
        &mut no_progress,
    ) {
        Err(ExchangeError::NeedsConfirmation(preview)) => {
            output::print(&*preview, json, print_preview)?;
            return Err(ExchangeError::NeedsConfirmation(preview)).with_context(|| {
                format!(
                    "run `touchpoint import {} --yes` to apply it",
                    a.path.display()
                )
            });
        }
        other => other?,
    };
    output::print(&done, json, |d| match d {
        ImportOutcome::Export(s) => {
            let added = s.touchpoints.added
                + s.people.added
                + s.reflections.added
                + s.commitments.added
                + s.topics.added
                + s.initiatives.added;
            outln!(
                "Imported: {} added, {} updated, {} unchanged.",
                added,
                s.changed().saturating_sub(added),
                s.touchpoints.unchanged
                    + s.people.unchanged
                    + s.reflections.unchanged
                    + s.commitments.unchanged
                    + s.topics.unchanged
                    + s.initiatives.unchanged
            )
        }
        ImportOutcome::Review(s) => outln!(
            "Imported {} new comment(s) from {} (reviewer key {}, answering export {}; {} already \
             here{}).",
            s.annotations.added + s.annotations.updated,
            s.reviewer,
            s.reviewer_fingerprint,
            s.export_id,
            s.annotations.unchanged,
            if s.missing_targets > 0 {
                format!(
                    "; {} left out: their entries are no longer in the journal",
                    s.missing_targets
                )
            } else {
                String::new()
            }
        ),
        ImportOutcome::Calendar(s) | ImportOutcome::Entries(s) => {
            outln!(
                "Imported: {} added, {} updated, {} unchanged, {} removed, {} skipped.",
                s.added,
                s.updated,
                s.unchanged,
                s.removed,
                s.skipped
            );
            if !s.unmatched_attendees.is_empty() {
                outln!(
                    "Not matched to anyone: {}",
                    s.unmatched_attendees.join(", ")
                );
            }
            out!("{}", calendar_notices(&s.skipped_events, &s.notes));
        }
    })
}

/// The events a calendar file left out and the guesses it made, one line each:
/// `  line 42: Team sync — no start time`. Empty when there are none.
fn calendar_notices(skipped: &[CalendarNotice], notes: &[CalendarNotice]) -> String {
    let line = |n: &CalendarNotice| {
        let title = if n.summary.trim().is_empty() {
            "(no title)"
        } else {
            n.summary.trim()
        };
        format!("  line {}: {title} — {}\n", n.line, n.reason)
    };
    let mut out = String::new();
    if !skipped.is_empty() {
        let events = if skipped.len() == 1 {
            "event"
        } else {
            "events"
        };
        out.push_str(&format!("Skipped {} {events}:\n", skipped.len()));
        out.extend(skipped.iter().map(line));
    }
    if !notes.is_empty() {
        out.push_str("Notes:\n");
        out.extend(notes.iter().map(line));
    }
    out
}

/// Prints what an import would do: counts per kind, then the records it would change.
fn print_preview(p: &ImportPreview) {
    match p.document.as_str() {
        "export" | "review" => {
            if let (Some(who), Some(fp)) = (&p.reviewer, &p.reviewer_fingerprint) {
                outln!("A review by {who} (reviewer key {fp}).");
            } else {
                outln!("An export.");
            }
            outln!(
                "{:<12} {:>6} {:>8} {:>10}",
                "",
                "new",
                "changed",
                "unchanged"
            );
            let c = &p.counts;
            for (name, n) in [
                ("people", c.people),
                ("entries", c.touchpoints),
                ("reflections", c.reflections),
                ("commitments", c.commitments),
                ("topics", c.topics),
                ("comments", c.annotations),
            ] {
                if n.added + n.updated + n.unchanged > 0 {
                    outln!(
                        "{name:<12} {:>6} {:>8} {:>10}",
                        n.added,
                        n.updated,
                        n.unchanged
                    );
                }
            }
            if !p.changes.is_empty() {
                outln!("It would change:");
                for change in &p.changes {
                    let kind = serde_json::to_value(change.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    outln!("  {kind} {} {}", change.id, change.label);
                }
            }
            if p.missing_targets > 0 {
                outln!(
                    "{} comment(s) left out: their entries are no longer in the journal.",
                    p.missing_targets
                );
            }
        }
        _ => {
            outln!(
                "{} record(s) in the file; it only adds entries and updates the drafts it made \
                 itself.",
                p.records
            );
            out!("{}", calendar_notices(&p.skipped_events, &p.notes));
        }
    }
}

/// Identifies a received bundle for keeping its draft comments: sender and export time.
fn bundle_key(session: &ReviewSession) -> String {
    let doc = session.document();
    format!("{}:{}", doc.sender_public_key, doc.exported_at.to_rfc3339())
}

/// `review BUNDLE …`: the bundle is opened in memory only; comments wait in the reviewer's
/// own journal until the review file is written.
pub fn review(journal: &mut Journal, a: ReviewArgs, json: bool) -> anyhow::Result<()> {
    let bytes = read(&a.bundle)?;
    let mut session = match exchange::inspect(&bytes)? {
        FileKind::PassphraseBundle => {
            let mut s =
                ReviewSession::open(&bytes, Unlock::Passphrase(&bundle_passphrase(false)?))?;
            s.set_reviewer_key(&journal.public_key()?)?;
            s
        }
        _ => ReviewSession::open(&bytes, Unlock::Identity(journal))?,
    };
    let key = bundle_key(&session);
    session.restore_annotations(journal.review_drafts(&key)?)?;
    let now = Utc::now();
    match a.action {
        ReviewCommand::List => {
            let people = session.people(now);
            let timeline = session.timeline(None);
            if json {
                return output::json(
                    &serde_json::json!({ "people": people, "touchpoints": timeline }),
                );
            }
            outln!(
                "Someone else's journal (read-only), exported {}.",
                session.document().exported_at
            );
            for p in &people {
                outln!("{}", serde_json::to_string(p)?);
            }
            output::timeline(&timeline);
            Ok(())
        }
        ReviewCommand::Person { name } => {
            let id = session.person_by_name(&name)?.id;
            output::print(&session.timeline(Some(id)), json, output::timeline)
        }
        ReviewCommand::Balance { name } => {
            let person = session.person_by_name(&name)?.clone();
            let report = session.balance(person.id, now)?;
            if json {
                return output::json(&report);
            }
            output::balance(
                &person.name,
                &report,
                true,
                session.document().loss_weight().as_f64(),
            );
            Ok(())
        }
        ReviewCommand::Show { id } => {
            let id = parse_id(&id)?;
            let detail = session.touchpoint_detail(id)?;
            let notes = session.entry_annotations(id);
            if json {
                return output::json(
                    &serde_json::json!({ "detail": detail, "annotations": notes }),
                );
            }
            output::touchpoint_detail(&detail);
            for n in notes {
                outln!("\nComment by {}: {}", n.author, n.text);
            }
            Ok(())
        }
        ReviewCommand::Annotate { id, text } => {
            let note = session.annotate(parse_id(&id)?, &text)?;
            journal.save_review_drafts(&key, session.new_annotations())?;
            output::id_or_json(&note.id, &note, json)
        }
        ReviewCommand::ExportReview { out, author } => {
            let path = session.export_review(&author, &out)?;
            journal.finish_review(&key, &author)?;
            let sent: Vec<Uuid> = session.new_annotations().iter().map(|n| n.id).collect();
            output::print(
                &serde_json::json!({ "path": path, "annotations": sent }),
                json,
                |_| {
                    outln!(
                        "Review with {} comment(s) written to {}",
                        sent.len(),
                        path.display()
                    )
                },
            )
        }
    }
}

/// `key show`.
pub fn key_show(journal: &Journal, json: bool) -> anyhow::Result<()> {
    let key = journal
        .public_key()
        .context("cannot read the journal's key")?;
    // The fingerprint is what a leader sees beside the comments of a review signed with it.
    let fingerprint = exchange::key_fingerprint(&key);
    output::print(
        &serde_json::json!({ "public_key": key, "fingerprint": fingerprint }),
        json,
        |_| outln!("{key}"),
    )
}

/// Reads a whole file with a clear message when it cannot be read.
fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())).into())
}
