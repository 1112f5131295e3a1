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
    println!("{}", serde_json::to_string_pretty(value)?);
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
    print(value, as_json, |_| println!("{id}"))
}

/// Id → name of everyone, for listings that only hold ids.
pub fn names(journal: &Journal) -> anyhow::Result<HashMap<Uuid, String>> {
    Ok(journal
        .people(true)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{x}")
    } else {
        format!("{x}")
    }
}

/// The recovery code, shown once at creation.
pub fn recovery_code(code: &RecoveryCode, as_json: bool) {
    let shown = code.display();
    if as_json {
        println!("{}", serde_json::json!({ "recovery_code": shown.as_str() }));
        return;
    }
    println!();
    println!("Your recovery code (shown only now):");
    println!();
    println!("    {}", shown.as_str());
    println!();
    println!("Write it down and keep it somewhere safe, away from this computer.");
    println!("With it you can set a new passphrase if you forget yours (`touchpoint recover`).");
}

/// People, one per line.
pub fn people(list: &Vec<Person>) {
    if list.is_empty() {
        println!("No people yet. Add one with `touchpoint person add NAME`.");
    }
    for p in list {
        let cadence = p
            .cadence_days
            .map(|d| format!("every {d} days"))
            .unwrap_or_default();
        println!(
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
        println!("No touchpoints match.");
    }
    for t in items {
        let who: Vec<&str> = t.participants.iter().map(|p| p.name.as_str()).collect();
        println!(
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
    println!("{}  {}", t.title, t.id);
    println!(
        "{} · {} · {}",
        t.kind,
        t.occurred_at.format("%Y-%m-%d %H:%M %:z"),
        t.state
    );
    if !d.participant_names.is_empty() {
        println!("With: {}", d.participant_names.join(", "));
    }
    if !t.tags.is_empty() {
        println!("Tags: {}", t.tags.join(", "));
    }
    for g in &t.affected_groups {
        println!("Impact on {}: {}", g.group, signed(g.impact as f64));
    }
    if !t.notes.is_empty() {
        println!("\n{}", t.notes);
    }
    for r in &d.reflections {
        let name = t
            .participants
            .iter()
            .position(|p| *p == r.person_id)
            .and_then(|i| d.participant_names.get(i))
            .map_or("?", |s| s.as_str());
        println!(
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
            println!("  “{}”", r.their_side);
        }
        for a in &r.answers {
            println!("  {} {}", a.prompt, a.answer);
        }
    }
    for c in &d.commitments {
        println!("\nCommitment: {} ({})", c.what, c.status);
    }
    for o in &d.topics {
        println!(
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
        println!("Nothing found.");
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
        println!(
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
    println!("Trust Balance of {label}: {}", signed(r.balance));
    println!(
        "  willingness {}   ability {}",
        signed(r.willingness),
        signed(r.ability)
    );
    println!(
        "  30 days {}   90 days {}",
        signed(r.trend_30d),
        signed(r.trend_90d)
    );
    if r.slipping {
        println!(
            "  SLIPPING: {} — {}",
            reasons(&r.slip_reasons),
            dimension(r.fallen_dimension)
        );
    }
    if explain {
        println!(
            "\n  Each event: delta = (willingness + ability), times {loss_weight} when negative."
        );
        println!(
            "  {:<17} {:<24} {:>3} {:>3} {:>6} {:>6}  what",
            "when", "kind", "w", "a", "weight", "delta"
        );
        for e in &r.events {
            let kind = e
                .touchpoint_kind
                .map(|k| k.as_str())
                .unwrap_or(e.source.as_str());
            println!(
                "  {:<17} {:<24} {:>3} {:>3} {:>6} {:>6}  {}",
                e.at.format("%Y-%m-%d %H:%M"),
                kind,
                e.willingness,
                e.ability,
                e.weight,
                signed(e.delta),
                e.label
            );
        }
        println!("  Sum of deltas: {}", signed(r.balance));
    } else if !r.events.is_empty() {
        println!("  ({} events; --explain lists them)", r.events.len());
    }
}

/// Every relationship at a glance.
pub fn overview(list: &Vec<PersonOverview>) {
    if list.is_empty() {
        println!("No people yet.");
    }
    println!(
        "{:<28} {:>8} {:>8} {:>8}  {:<11} notes",
        "person", "balance", "30 days", "90 days", "last"
    );
    for o in list {
        let mut notes = Vec::new();
        if o.slipping {
            notes.push(format!("slipping ({})", reasons(&o.slip_reasons)));
        }
        if o.consistency.overdue {
            notes.push("one-on-one overdue".to_string());
        }
        println!(
            "{:<28} {:>8} {:>8} {:>8}  {:<11} {}",
            o.person.name,
            signed(o.balance),
            signed(o.trend_30d),
            signed(o.trend_90d),
            o.last_touchpoint
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "never".into()),
            notes.join(", ")
        );
    }
}

/// The Today screen as text.
pub fn today(t: &Today) {
    println!("Waiting for reflection ({}):", t.drafts.len());
    for d in &t.drafts {
        println!(
            "  {}  {}  {}",
            d.occurred_at.format("%Y-%m-%d %H:%M"),
            d.title,
            d.id
        );
    }
    println!("\nOne-on-ones overdue ({}):", t.overdue.len());
    for o in &t.overdue {
        let since = o
            .consistency
            .days_since_last
            .map(|d| format!("last one {d} days ago"))
            .unwrap_or_else(|| "none yet".into());
        println!(
            "  {} — {since}, cadence {} days",
            o.person.name,
            o.consistency.cadence_days.unwrap_or(0)
        );
    }
    println!("\nCommitments due ({}):", t.commitments_due.len());
    for c in &t.commitments_due {
        println!(
            "  {} to {}: {}{}  {}",
            c.commitment.due.map(|d| d.to_string()).unwrap_or_default(),
            c.person.name,
            c.commitment.what,
            if c.overdue { " (overdue)" } else { "" },
            c.commitment.id
        );
    }
    println!("\nSlipping relationships ({}):", t.slipping.len());
    for o in &t.slipping {
        println!(
            "  {} — {} — {}",
            o.person.name,
            reasons(&o.slip_reasons),
            dimension(o.fallen_dimension)
        );
    }
}

/// Commitments, one per line.
pub fn commitments(list: &Vec<Commitment>, names: &HashMap<Uuid, String>) {
    if list.is_empty() {
        println!("No commitments.");
    }
    for c in list {
        println!(
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
        println!("No open topics.");
    }
    for t in list {
        println!(
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
        println!(
            "{}{}  {}",
            s.name,
            if s.builtin { " (built-in)" } else { "" },
            s.id
        );
        for (i, p) in s.prompts.iter().enumerate() {
            println!("  {}. {}", i + 1, p.text);
        }
        println!();
    }
}

/// Settings, one per line.
pub fn settings(s: &Settings) {
    println!("auto-lock minutes      {}", s.auto_lock_minutes);
    println!("default cadence        {} days", s.default_cadence_days);
    println!(
        "loss weight            {} (a withdrawal counts {}x a deposit)",
        s.loss_weight, s.loss_weight
    );
    println!(
        "backup folder          {}",
        s.backup_dir.as_deref().unwrap_or("(beside the journal)")
    );
    println!("backups kept           {}", s.backup_keep);
    println!("backup every           {} days", s.backup_every_days);
    if s.remind_after_meetings {
        println!(
            "reminders              {} minutes after a calendar meeting ends",
            s.remind_minutes_after_end
        );
    } else {
        println!("reminders              off");
    }
}

/// Backups, newest first.
pub fn backups(list: &Vec<BackupInfo>) {
    if list.is_empty() {
        println!("No backups yet. Make one with `touchpoint backup`.");
    }
    for b in list {
        println!(
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
        println!("The journal is intact: every page authenticates, structure and search index are sound.");
        return;
    }
    for e in &r.cipher_errors {
        println!("page authentication: {e}");
    }
    for e in r.integrity.iter().filter(|e| *e != "ok") {
        println!("structure: {e}");
    }
    for e in &r.search_index {
        println!("search index: {e}");
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
