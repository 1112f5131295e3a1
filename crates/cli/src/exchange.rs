//! The coach exchange on the command line: key, export, import and review.

use std::ops::ControlFlow;
use std::path::Path;

use anyhow::Context;
use chrono::{Duration, Utc};
use serde::Serialize;
use touchpoint_core::exchange::{
    self, Encryption, ExportFormat, ExportOptions, FileKind, Opened, ReviewSession, Unlock,
};
use touchpoint_core::import::{self, Detected};
use touchpoint_core::model::TouchpointKind;
use touchpoint_core::secret::Passphrase;
use touchpoint_core::{Error, Journal};
use uuid::Uuid;

use crate::args::{ExportArgs, ImportArgs, ReviewArgs, ReviewCommand};
use crate::commands::{parse_id, parse_start};
use crate::{output, secrets};

/// Most events or entries one import takes; beyond that the file is refused, not truncated.
const MAX_RECORDS: usize = 200_000;

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
        println!(
            "Exported {} touchpoints to {}",
            s.touchpoints,
            s.files.join(", ")
        );
    })
}

/// What `import` did, for `--json`.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Imported {
    Export(exchange::ImportSummary),
    Review(exchange::ReviewImportSummary),
    Calendar(touchpoint_core::vault::ForeignImportSummary),
    Entries(touchpoint_core::vault::ForeignImportSummary),
}

/// `import`: the kind of file is recognised by its content, never by its name.
pub fn import(journal: &mut Journal, a: ImportArgs, json: bool) -> anyhow::Result<()> {
    let bytes = read(&a.path)?;
    let done = match import::detect(&bytes) {
        Detected::AgeEncrypted | Detected::TouchpointJson => {
            let opened = match exchange::inspect(&bytes)? {
                FileKind::PassphraseBundle => {
                    let pass = bundle_passphrase(false)?;
                    exchange::open_file(&bytes, Unlock::Passphrase(&pass))?
                }
                FileKind::KeyBundle | FileKind::Json => {
                    exchange::open_file(&bytes, Unlock::Identity(journal))?
                }
            };
            match opened {
                Opened::Export(doc) => {
                    Imported::Export(journal.import_document(&doc, &mut no_progress)?)
                }
                Opened::Review(review) => {
                    Imported::Review(journal.import_review_document(&review, Utc::now())?)
                }
            }
        }
        Detected::Ics => {
            let from = match a.from {
                Some(d) => parse_start(&d)?,
                None => Utc::now() - Duration::days(30),
            };
            let to = match a.to {
                Some(d) => parse_start(&d)? + Duration::days(1),
                None => Utc::now() + Duration::days(7),
            };
            if to <= from {
                return Err(Error::InvalidInput("--to must be after --from".into()).into());
            }
            let events = import::parse_ics(&bytes, (from, to), MAX_RECORDS).map_err(invalid)?;
            Imported::Calendar(journal.import_calendar(&events, &mut no_progress)?)
        }
        Detected::DayOneZip => {
            let entries = import::parse_dayone_zip(&bytes, MAX_RECORDS).map_err(invalid)?;
            Imported::Entries(journal.import_entries(&entries, "dayone", &mut no_progress)?)
        }
        Detected::DayOneJson => {
            let entries = import::parse_dayone_json(&bytes, MAX_RECORDS).map_err(invalid)?;
            Imported::Entries(journal.import_entries(&entries, "dayone", &mut no_progress)?)
        }
        Detected::JrnlJson => {
            let entries = import::parse_jrnl_json(&bytes, MAX_RECORDS).map_err(invalid)?;
            Imported::Entries(journal.import_entries(&entries, "jrnl", &mut no_progress)?)
        }
        Detected::Unknown => {
            return Err(Error::InvalidInput(format!(
                "{} is not a file Touchpoint can import: expected a bundle, a review file, a JSON \
                 export, a Day One export, a jrnl JSON export or an iCalendar (.ics) file",
                a.path.display()
            ))
            .into())
        }
    };
    output::print(&done, json, |d| match d {
        Imported::Export(s) => println!(
            "Imported: {} added, {} updated, {} unchanged.",
            s.touchpoints.added
                + s.people.added
                + s.reflections.added
                + s.commitments.added
                + s.topics.added,
            s.changed().saturating_sub(
                s.touchpoints.added
                    + s.people.added
                    + s.reflections.added
                    + s.commitments.added
                    + s.topics.added
            ),
            s.touchpoints.unchanged
                + s.people.unchanged
                + s.reflections.unchanged
                + s.commitments.unchanged
                + s.topics.unchanged
        ),
        Imported::Review(s) => println!("{s:?}"),
        Imported::Calendar(s) | Imported::Entries(s) => {
            println!(
                "Imported: {} added, {} updated, {} unchanged, {} removed, {} skipped.",
                s.added, s.updated, s.unchanged, s.removed, s.skipped
            );
            if !s.unmatched_attendees.is_empty() {
                println!(
                    "Not matched to anyone: {}",
                    s.unmatched_attendees.join(", ")
                );
            }
        }
    })
}

fn invalid(e: import::ImportError) -> anyhow::Error {
    Error::InvalidInput(e.to_string()).into()
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
            ReviewSession::open(&bytes, Unlock::Passphrase(&bundle_passphrase(false)?))?
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
            println!(
                "Someone else's journal (read-only), exported {}.",
                session.document().exported_at
            );
            for p in &people {
                println!("{}", serde_json::to_string(p)?);
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
            let notes = session.annotations_for(id);
            if json {
                return output::json(
                    &serde_json::json!({ "detail": detail, "annotations": notes }),
                );
            }
            output::touchpoint_detail(&detail);
            for n in notes {
                println!("\nComment by {}: {}", n.author, n.text);
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
            journal.save_review_drafts(&key, &[])?;
            let sent: Vec<Uuid> = session.new_annotations().iter().map(|n| n.id).collect();
            output::print(
                &serde_json::json!({ "path": path, "annotations": sent }),
                json,
                |_| {
                    println!(
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
    output::print(&serde_json::json!({ "public_key": key }), json, |_| {
        println!("{key}")
    })
}

/// Reads a whole file with a clear message when it cannot be read.
fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())).into())
}
