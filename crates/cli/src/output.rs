//! Printing results: plain text for people, JSON (`--json`) for scripts.

use std::collections::HashMap;

use serde::Serialize;
use touchpoint_core::balance::{BalanceReport, Dimension, SlipReason};
use touchpoint_core::model::{Commitment, OpenTopic, Person, Settings, TouchpointDetail};
use touchpoint_core::prompts::PromptSet;
use touchpoint_core::secret::RecoveryCode;
use touchpoint_core::vault::{
    BackupInfo, PersonOverview, SearchHit, TimelineItem, Today, VerifyReport,
};
use touchpoint_core::Journal;
use uuid::Uuid;

/// Prints `value` as pretty JSON.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints `value` as JSON when asked, else with the human formatter.
pub fn print<T: Serialize + ?Sized>(
    value: &T,
    as_json: bool,
    human: impl FnOnce(&T),
) -> anyhow::Result<()> {
    if as_json {
        json(value)
    } else {
        human(value);
        Ok(())
    }
}

/// Prints a new record's id (what scripts capture), or the whole record as JSON.
pub fn id_or_json<T: Serialize>(id: &Uuid, value: &T, as_json: bool) -> anyhow::Result<()> {
    print(value, as_json, |_| outln!("{id}"))
}

/// Id → name of everyone, for listings that only hold ids.
pub fn names(journal: &Journal) -> anyhow::Result<HashMap<Uuid, String>> {
    Ok(journal
        .people(true)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

use crate::style::{self, signed};

/// The recovery code, shown once at creation.
pub fn recovery_code(code: &RecoveryCode, as_json: bool) {
    let shown = code.display();
    if as_json {
        outln!("{}", serde_json::json!({ "recovery_code": shown.as_str() }));
        return;
    }
    outln!();
    outln!("Your recovery code (shown only now):");
    outln!();
    outln!("    {}", shown.as_str());
    outln!();
    outln!("Write it down and keep it somewhere safe, away from this computer.");
    outln!("With it you can set a new passphrase if you forget yours (`touchpoint recover`).");
}

/// People, one per line.
pub fn people(list: &Vec<Person>) {
    if list.is_empty() {
        outln!("No people yet. Add one with `touchpoint person add NAME`.");
    }
    for p in list {
        let cadence = p
            .cadence_days
            .map(|d| format!("every {d} days"))
            .unwrap_or_default();
        outln!(
            "{:<28} {:<13} {:<16} {}{}",
            p.name,
            p.group.as_str(),
            cadence,
            p.teams.join(", "),
            if p.archived { " (archived)" } else { "" }
        );
    }
}

/// Timeline items, one per line.
pub fn timeline(items: &Vec<TimelineItem>) {
    if items.is_empty() {
        outln!("No touchpoints match.");
    }
    for t in items {
        let who: Vec<&str> = t.participants.iter().map(|p| p.name.as_str()).collect();
        outln!(
            "{}  {}  {:<12} {}{}{}  [{}]",
            t.id,
            t.occurred_at.format("%Y-%m-%d %H:%M"),
            t.kind.as_str(),
            t.title,
            if t.state == touchpoint_core::model::TouchpointState::Draft {
                " (draft)"
            } else {
                ""
            },
            if t.private { " (private)" } else { "" },
            who.join(", ")
        );
    }
}

/// One touchpoint with everything about it.
pub fn touchpoint_detail(d: &TouchpointDetail) {
    let t = &d.touchpoint;
    outln!("{}  {}", t.title, t.id);
    outln!(
        "{} · {} · {}",
        t.kind,
        t.occurred_at.format("%Y-%m-%d %H:%M %:z"),
        t.state
    );
    if !d.participant_names.is_empty() {
        outln!("With: {}", d.participant_names.join(", "));
    }
    if !t.tags.is_empty() {
        outln!("Tags: {}", t.tags.join(", "));
    }
    for g in &t.affected_groups {
        outln!("Impact on {}: {}", g.group, signed(g.impact as f64));
    }
    if !t.notes.is_empty() {
        outln!("\n{}", t.notes);
    }
    for r in &d.reflections {
        let name = t
            .participants
            .iter()
            .position(|p| *p == r.person_id)
            .and_then(|i| d.participant_names.get(i))
            .map_or("?", |s| s.as_str());
        outln!(
            "\n{name}: willingness {}, ability {}{}",
            signed(r.willingness as f64),
            signed(r.ability as f64),
            if r.adversarial {
                ", felt adversarial"
            } else {
                ""
            }
        );
        if !r.their_side.is_empty() {
            outln!("  “{}”", r.their_side);
        }
        for a in &r.answers {
            outln!("  {} {}", a.prompt, a.answer);
        }
    }
    for c in &d.commitments {
        outln!("\nCommitment: {} ({})", c.what, c.status);
    }
    for o in &d.topics {
        outln!(
            "\nTopic: {}{}",
            o.text,
            if o.closed_at.is_some() {
                " (closed)"
            } else {
                ""
            }
        );
    }
}

/// Search hits with the matched words in brackets.
pub fn search(hits: &Vec<SearchHit>) {
    if hits.is_empty() {
        outln!("Nothing found.");
    }
    for h in hits {
        let snippet: String = h
            .snippet
            .iter()
            .map(|s| {
                if s.hit {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect::<String>()
            .replace('\n', " ");
        let title = h
            .title
            .clone()
            .or_else(|| h.person.as_ref().map(|p| p.name.clone()))
            .unwrap_or_default();
        let id = h.touchpoint_id.map(|i| i.to_string()).unwrap_or_default();
        outln!(
            "{}  {:<10} {}  {}\n    {}",
            h.at.format("%Y-%m-%d"),
            h.source,
            title,
            id,
            snippet
        );
    }
}

fn reasons(r: &[SlipReason]) -> String {
    r.iter()
        .map(|r| match r {
            SlipReason::LastThreeNegative => "last three events negative",
            SlipReason::SharpDrop => "fell 4 or more in 30 days",
            SlipReason::Adversarial => "felt adversarial",
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn dimension(d: Option<Dimension>) -> &'static str {
    match d {
        Some(Dimension::Willingness) => {
            "willingness fell: show it with a visible, structural commitment"
        }
        Some(Dimension::Ability) => "ability fell: own the lapse and fix it",
        None => "",
    }
}

/// A balance with its trend and, when asked, the events that make it.
pub fn balance(label: &str, r: &BalanceReport, explain: bool, loss_weight: f64) {
    outln!(
        "{} {}",
        style::heading(&format!("Trust Balance of {label}:")),
        signed(r.balance)
    );
    outln!(
        "  willingness {}   ability {}",
        signed(r.willingness),
        signed(r.ability)
    );
    outln!(
        "  30 days {}   90 days {}",
        signed(r.trend_30d),
        signed(r.trend_90d)
    );
    if r.slipping {
        outln!(
            "  {} {} — {}",
            style::alert("SLIPPING:"),
            reasons(&r.slip_reasons),
            dimension(r.fallen_dimension)
        );
    }
    if explain {
        outln!(
            "\n  Each event: delta = (willingness + ability), times {loss_weight} when negative."
        );
        outln!(
            "  {:<17} {:<24} {:>3} {:>3} {:>6} {:>6}  what",
            "when",
            "kind",
            "w",
            "a",
            "weight",
            "delta"
        );
        for e in &r.events {
            let kind = e
                .touchpoint_kind
                .map(|k| k.as_str())
                .unwrap_or(e.source.as_str());
            outln!(
                "  {:<17} {:<24} {:>3} {:>3} {:>6} {}  {}",
                e.at.format("%Y-%m-%d %H:%M"),
                kind,
                e.willingness,
                e.ability,
                e.weight,
                padded_signed(e.delta, 6),
                e.label
            );
        }
        outln!("  Sum of deltas: {}", signed(r.balance));
    } else if !r.events.is_empty() {
        outln!("  ({} events; --explain lists them)", r.events.len());
    }
}

/// A signed number right-aligned in `width` columns, padded before it is coloured so the
/// colour codes do not count as width.
fn padded_signed(x: f64, width: usize) -> String {
    let plain = if x > 0.0 {
        format!("+{x}")
    } else {
        format!("{x}")
    };
    let pad = " ".repeat(width.saturating_sub(plain.chars().count()));
    format!("{pad}{}", signed(x))
}

/// Every relationship at a glance.
pub fn overview(list: &Vec<PersonOverview>) {
    if list.is_empty() {
        outln!("No people yet.");
    }
    outln!(
        "{:<28} {:>8} {:>8} {:>8}  {:<11} notes",
        "person",
        "balance",
        "30 days",
        "90 days",
        "last"
    );
    for o in list {
        let mut notes = Vec::new();
        if o.slipping {
            notes.push(format!("slipping ({})", reasons(&o.slip_reasons)));
        }
        if o.consistency.overdue {
            notes.push("one-on-one overdue".to_string());
        }
        outln!(
            "{:<28} {} {} {}  {:<11} {}",
            o.person.name,
            padded_signed(o.balance, 8),
            padded_signed(o.trend_30d, 8),
            padded_signed(o.trend_90d, 8),
            o.last_touchpoint
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "never".into()),
            notes.join(", ")
        );
    }
}

/// The Today screen as text.
pub fn today(t: &Today) {
    outln!(
        "{}",
        style::heading(&format!("Waiting for reflection ({}):", t.drafts.len()))
    );
    for d in &t.drafts {
        outln!(
            "  {}  {}  {}",
            d.occurred_at.format("%Y-%m-%d %H:%M"),
            d.title,
            style::quiet(&d.id.to_string())
        );
    }
    outln!(
        "\n{}",
        style::heading(&format!("One-on-ones overdue ({}):", t.overdue.len()))
    );
    for o in &t.overdue {
        let since = o
            .consistency
            .days_since_last
            .map(|d| format!("last one {d} days ago"))
            .unwrap_or_else(|| "none yet".into());
        outln!(
            "  {} — {since}, cadence {} days",
            o.person.name,
            o.consistency.cadence_days.unwrap_or(0)
        );
    }
    outln!(
        "\n{}",
        style::heading(&format!("Commitments due ({}):", t.commitments_due.len()))
    );
    for c in &t.commitments_due {
        outln!(
            "  {} to {}: {}{}  {}",
            c.commitment.due.map(|d| d.to_string()).unwrap_or_default(),
            c.person.name,
            c.commitment.what,
            if c.overdue {
                style::alert(" (overdue)")
            } else {
                String::new()
            },
            style::quiet(&c.commitment.id.to_string())
        );
    }
    outln!(
        "\n{}",
        style::heading(&format!("Slipping relationships ({}):", t.slipping.len()))
    );
    for o in &t.slipping {
        outln!(
            "  {} — {} — {}",
            style::alert(&o.person.name),
            reasons(&o.slip_reasons),
            dimension(o.fallen_dimension)
        );
    }
}

/// Commitments, one per line.
pub fn commitments(list: &Vec<Commitment>, names: &HashMap<Uuid, String>) {
    if list.is_empty() {
        outln!("No commitments.");
    }
    for c in list {
        outln!(
            "{}  {:<12} {:<10} {:<20} {}",
            c.id,
            c.status.as_str(),
            c.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            names.get(&c.person_id).map_or("?", |s| s.as_str()),
            c.what
        );
    }
}

/// Topics, one per line.
pub fn topics(list: &Vec<OpenTopic>, names: &HashMap<Uuid, String>) {
    if list.is_empty() {
        outln!("No open topics.");
    }
    for t in list {
        outln!(
            "{}  {:<20} {}",
            t.id,
            names.get(&t.person_id).map_or("?", |s| s.as_str()),
            t.text
        );
    }
}

/// Prompt sets with their prompts.
pub fn prompt_sets(sets: &Vec<PromptSet>) {
    for s in sets {
        outln!(
            "{}{}  {}",
            s.name,
            if s.builtin { " (built-in)" } else { "" },
            s.id
        );
        for (i, p) in s.prompts.iter().enumerate() {
            outln!("  {}. {}", i + 1, p.text);
        }
        outln!();
    }
}

/// Settings, one per line.
pub fn settings(s: &Settings) {
    outln!("auto-lock minutes      {}", s.auto_lock_minutes);
    outln!("default cadence        {} days", s.default_cadence_days);
    outln!(
        "loss weight            {} (a withdrawal counts {}x a deposit)",
        s.loss_weight,
        s.loss_weight
    );
    outln!(
        "backup folder          {}",
        s.backup_dir.as_deref().unwrap_or("(beside the journal)")
    );
    outln!("backups kept           {}", s.backup_keep);
    outln!("backup every           {} days", s.backup_every_days);
    if s.remind_after_meetings {
        outln!(
            "reminders              {} minutes after a calendar meeting ends",
            s.remind_minutes_after_end
        );
    } else {
        outln!("reminders              off");
    }
}

/// Backups, newest first.
pub fn backups(list: &Vec<BackupInfo>) {
    if list.is_empty() {
        outln!("No backups yet. Make one with `touchpoint backup`.");
    }
    for b in list {
        outln!(
            "{}  {:>10} bytes  {}",
            b.made_at.format("%Y-%m-%d %H:%M:%S UTC"),
            b.bytes,
            b.path
        );
    }
}

/// The integrity check's outcome.
pub fn verify(r: &VerifyReport) {
    if r.ok {
        outln!("The journal is intact: every page authenticates, structure and search index are sound.");
        return;
    }
    for e in &r.cipher_errors {
        outln!("page authentication: {e}");
    }
    for e in r.integrity.iter().filter(|e| *e != "ok") {
        outln!("structure: {e}");
    }
    for e in &r.search_index {
        outln!("search index: {e}");
    }
}

/// "1 person, 2 entries and 3 reflections": what an erase removed.
pub fn erased(e: &touchpoint_core::vault::Erased) -> String {
    let count = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if e.people > 0 {
        parts.push(count(e.people, "person", "people"));
    }
    parts.push(count(e.entries, "entry", "entries"));
    parts.push(count(e.reflections, "reflection", "reflections"));
    let last = parts.pop().expect("two parts at least");
    format!("{} and {last}", parts.join(", "))
}
