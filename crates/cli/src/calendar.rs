//! `calendar`: calendar files the journal keeps current (link, unlink, list, sync).

use chrono::{DateTime, Local, Utc};
use touchpoint_core::exchange;
use touchpoint_core::vault::{CalendarStatus, LinkedCalendar};
use touchpoint_core::Journal;

use crate::args::CalendarCommand;
use crate::output;

/// Runs a `calendar` subcommand against an open journal.
pub fn run(journal: &mut Journal, cmd: CalendarCommand, json: bool) -> anyhow::Result<()> {
    let now = Utc::now();
    match cmd {
        CalendarCommand::Link { path } => {
            let linked = exchange::link_calendar(journal, &path, now)?;
            output::print(&linked, json, |l| {
                outln!("Linked {}.", l.path);
                print_one(l);
            })
        }
        CalendarCommand::Unlink { path } => {
            journal.unlink_calendar(&path)?;
            if !json {
                outln!(
                    "Unlinked {}. The meetings it brought in stay in the journal.",
                    path.display()
                );
            } else {
                output::json(&serde_json::json!({ "unlinked": path }))?;
            }
            Ok(())
        }
        CalendarCommand::List => {
            output::print(&journal.linked_calendars()?, json, |l| print_all(l))
        }
        CalendarCommand::Sync { path } => {
            let synced = match path {
                Some(p) => vec![exchange::sync_calendar(journal, &p, now, &mut |_| {
                    std::ops::ControlFlow::Continue(())
                })?],
                None => exchange::sync_calendars(journal, now)?,
            };
            output::print(&synced, json, |l| print_all(l))?;
            if !json {
                let problems = synced.iter().filter(|l| l.status.is_problem()).count();
                if problems > 0 {
                    eprintln!(
                        "touchpoint: {problems} calendar file(s) could not be synced; the \
                         meetings they brought in before are kept"
                    );
                }
            }
            Ok(())
        }
    }
}

fn print_all(list: &[LinkedCalendar]) {
    if list.is_empty() {
        outln!("No calendar file is linked. Link one with `touchpoint calendar link FILE.ics`.");
    }
    for (i, l) in list.iter().enumerate() {
        if i > 0 {
            outln!();
        }
        outln!("{}", l.path);
        print_one(l);
    }
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// What one link's last sync found, indented under its path.
fn print_one(l: &LinkedCalendar) {
    let when = l
        .synced_at
        .map(|t| format!(" (last sync {})", local(t)))
        .unwrap_or_default();
    let status = match l.status {
        CalendarStatus::Pending => "not synced yet".to_string(),
        CalendarStatus::Ok => "ok".to_string(),
        CalendarStatus::Missing => format!("missing: {}", l.message),
        CalendarStatus::Unreadable => format!("unreadable: {}", l.message),
        CalendarStatus::NotCalendar => format!("not a calendar: {}", l.message),
        CalendarStatus::Refused => format!("refused: {}", l.message),
    };
    outln!("  status: {status}{when}");
    if let Some(s) = &l.last_import {
        outln!(
            "  last import: {} added, {} updated, {} unchanged, {} removed, {} skipped",
            s.added,
            s.updated,
            s.unchanged,
            s.removed,
            s.skipped
        );
        for n in &s.skipped_events {
            outln!(
                "  left out (line {}): {} - {}",
                n.line,
                title(&n.summary),
                n.reason
            );
        }
        for n in &s.notes {
            outln!(
                "  note (line {}): {} - {}",
                n.line,
                title(&n.summary),
                n.reason
            );
        }
        if !s.unmatched_attendees.is_empty() {
            outln!(
                "  not matched to anyone: {}",
                s.unmatched_attendees.join(", ")
            );
        }
    }
}

fn title(summary: &str) -> &str {
    if summary.trim().is_empty() {
        "(untitled)"
    } else {
        summary
    }
}
