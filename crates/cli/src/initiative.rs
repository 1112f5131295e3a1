//! `touchpoint initiative …`: change initiatives on the command line (grammar, running, output).
//!
//! An initiative is named by its name (or a unique prefix of it) or its id everywhere.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use serde_json::json;
use touchpoint_core::initiative::{
    Cadence, ConcernKind, Initiative, InitiativeNudge, InitiativePage, InitiativeStatus,
    NewInitiative, NewMeasure, NewOutcome, OutcomeKind, PeriodMark, PlanStep, StatementSide,
    TeamPageFormat,
};
use touchpoint_core::vault::{PersonRef, Scope};
use touchpoint_core::{Error, Journal};
use uuid::Uuid;

use crate::commands::{after_write, open, parse_id};
use crate::output;

/// `initiative` subcommands.
#[derive(Debug, Subcommand)]
pub enum InitiativeCommand {
    /// Start recording an initiative; prints its id (--json: the record).
    #[command(alias = "new")]
    Add(InitiativeAddArgs),
    /// List initiatives.
    List,
    /// The initiative's page: statements, guidelines, open concerns, wins and setbacks, the
    /// plan held or missed, measures and its Trust Balance.
    Show {
        /// The initiative's name or id.
        name: String,
        /// List the events that make its balance.
        #[arg(long)]
        explain: bool,
        /// Only this person's balance within the initiative (with --explain, their events).
        #[arg(long)]
        person: Option<String>,
    },
    /// Change an initiative's name, purpose, dates, tag, teams or people.
    Edit(InitiativeEditArgs),
    /// Set the status: planned, running, paused or done.
    Status {
        /// The initiative's name or id.
        name: String,
        /// planned, running, paused or done.
        status: String,
    },
    /// Link an entry to the initiative (adds the initiative's tag); with --step, count it
    /// towards a step of the plan too.
    Link {
        /// The initiative's name or id.
        name: String,
        /// The touchpoint id.
        touchpoint: String,
        /// contribution_record, exploration, guidelines, measures or training.
        #[arg(long)]
        step: Option<String>,
    },
    /// Unlink an entry (with --step: only stop counting it towards that step).
    Unlink {
        /// The initiative's name or id.
        name: String,
        /// The touchpoint id.
        touchpoint: String,
        /// Only this step.
        #[arg(long)]
        step: Option<String>,
    },
    /// A dated statement of what the tool does; prints its id.
    Can(StatementArgs),
    /// A dated statement of what the tool does not do; prints its id.
    Cannot(StatementArgs),
    /// Reword a statement (the earlier wording and date stay in its history).
    Restate {
        /// The statement id.
        id: String,
        /// The new words.
        text: String,
        /// When the team was told, YYYY-MM-DD [default: today].
        #[arg(long)]
        on: Option<String>,
    },
    /// Withdraw a statement.
    Withdraw {
        /// The statement id.
        id: String,
        /// When, YYYY-MM-DD [default: today].
        #[arg(long)]
        on: Option<String>,
    },
    /// A guideline written with the team; prints its id.
    Guideline {
        /// The initiative's name or id.
        name: String,
        /// The guideline.
        text: String,
        /// Who shaped it (repeatable).
        #[arg(long)]
        by: Vec<String>,
        /// The linked entry where it was agreed.
        #[arg(long)]
        touchpoint: Option<String>,
        /// When it was agreed, YYYY-MM-DD [default: today].
        #[arg(long)]
        on: Option<String>,
    },
    /// A win; prints its id.
    Win(OutcomeArgs),
    /// A setback, with its lesson; prints its id.
    Setback(OutcomeArgs),
    /// A concern someone raised; prints its id. It stays open until answered.
    Concern {
        /// The initiative's name or id.
        name: String,
        /// Who raised it.
        #[arg(long)]
        person: String,
        /// replacement, purpose, consulted, workload, skills, fairness, privacy or other.
        #[arg(long)]
        kind: String,
        /// The concern.
        #[arg(long)]
        text: String,
        /// The linked entry where it was raised.
        #[arg(long)]
        touchpoint: Option<String>,
    },
    /// Answer a concern: how it was answered.
    Answer {
        /// The concern id.
        id: String,
        /// How it was answered.
        #[arg(long)]
        text: String,
    },
    /// A reading, from the team's side as you see it (-2..2 each); prints its id.
    Measure {
        /// The initiative's name or id.
        name: String,
        /// Their satisfaction with their work.
        #[arg(long, allow_hyphen_values = true)]
        satisfaction: i32,
        /// How well they work together.
        #[arg(long, allow_hyphen_values = true)]
        collaboration: i32,
        /// The quality of their work.
        #[arg(long, allow_hyphen_values = true)]
        quality: i32,
        /// Their confidence with the tool.
        #[arg(long, allow_hyphen_values = true)]
        confidence: i32,
        /// What you noticed.
        #[arg(long, default_value = "")]
        note: String,
        /// The day of the reading, YYYY-MM-DD [default: today].
        #[arg(long)]
        on: Option<String>,
    },
    /// Plan a step: how often it is held (weekly, monthly, or none to unplan).
    Plan {
        /// The initiative's name or id.
        name: String,
        /// contribution_record, exploration, guidelines, measures or training.
        step: String,
        /// weekly, monthly or none.
        #[arg(long)]
        cadence: String,
        /// Training hours per month (training only).
        #[arg(long)]
        hours: Option<u32>,
        /// From when it counts, YYYY-MM-DD [default: the initiative's start, else today].
        #[arg(long)]
        since: Option<String>,
    },
    /// Write the initiative's page for the team: what the tool does and does not do, the
    /// guidelines and who shaped them, wins and setbacks with their lessons, time to explore
    /// and learn. Never private entries, ratings, balances, measures, concerns or reflections.
    Export {
        /// The initiative's name or id.
        name: String,
        /// html or markdown.
        #[arg(long, default_value = "html")]
        format: String,
        /// Where to write it.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// What needs attention in running initiatives: concerns open over 14 days, no win or
    /// lesson in 30 days, exploration or training time missed, balances slipping.
    Nudges,
    /// Erase an initiative for good with what it keeps; its entries stay.
    Delete {
        /// The initiative's name or id.
        name: String,
    },
}

/// `initiative add`.
#[derive(Debug, Args)]
pub struct InitiativeAddArgs {
    /// Its name.
    pub name: String,
    /// Its purpose, in a sentence.
    #[arg(long, default_value = "")]
    pub purpose: String,
    /// A team it affects (repeatable).
    #[arg(long)]
    pub team: Vec<String>,
    /// A person it affects (repeatable).
    #[arg(long)]
    pub person: Vec<String>,
    /// planned, running, paused or done [default: planned].
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub when: InitiativeWhen,
}

/// The dates and tag of `initiative add` and `edit`.
#[derive(Debug, Args)]
pub struct InitiativeWhen {
    /// Start date, YYYY-MM-DD (with `edit`, "" clears it).
    #[arg(long)]
    pub start: Option<String>,
    /// Review date, YYYY-MM-DD (with `edit`, "" clears it).
    #[arg(long)]
    pub review: Option<String>,
    /// The tag linking an entry adds to it ("" for none) [default with `add`: ai-rollout].
    #[arg(long)]
    pub tag: Option<String>,
}

/// `initiative edit`.
#[derive(Debug, Args)]
pub struct InitiativeEditArgs {
    /// The initiative's name or id.
    pub name: String,
    /// A new name.
    #[arg(long)]
    pub rename: Option<String>,
    /// A new purpose.
    #[arg(long)]
    pub purpose: Option<String>,
    /// The teams it affects (replacing the list; repeatable).
    #[arg(long)]
    pub team: Vec<String>,
    /// Clear the teams.
    #[arg(long, conflicts_with = "team")]
    pub no_teams: bool,
    /// The people it affects (replacing the list; repeatable).
    #[arg(long)]
    pub person: Vec<String>,
    /// Clear the people.
    #[arg(long, conflicts_with = "person")]
    pub no_people: bool,
    #[command(flatten)]
    pub when: InitiativeWhen,
}

/// `initiative can` and `cannot`.
#[derive(Debug, Args)]
pub struct StatementArgs {
    /// The initiative's name or id.
    pub name: String,
    /// The statement.
    pub text: String,
    /// When the team was told, YYYY-MM-DD [default: today].
    #[arg(long)]
    pub on: Option<String>,
}

/// `initiative win` and `setback`.
#[derive(Debug, Args)]
pub struct OutcomeArgs {
    /// The initiative's name or id.
    pub name: String,
    /// What happened.
    pub text: String,
    /// What was learnt (required for a setback).
    #[arg(long, default_value = "")]
    pub lesson: String,
    /// Who benefited or was hurt (repeatable).
    #[arg(long)]
    pub person: Vec<String>,
    /// A linked entry (repeatable).
    #[arg(long)]
    pub touchpoint: Vec<String>,
    /// When it happened, YYYY-MM-DD [default: today].
    #[arg(long)]
    pub on: Option<String>,
}

fn date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput(format!("{text:?} is not a date; use YYYY-MM-DD")).into())
}

fn opt_date(text: Option<&str>) -> anyhow::Result<Option<NaiveDate>> {
    text.map(date).transpose()
}

/// A date given to `edit`, where "" clears it.
fn clearable_date(text: &str) -> anyhow::Result<Option<NaiveDate>> {
    opt_date(Some(text).filter(|t| !t.is_empty()))
}

fn people_ids(journal: &Journal, names: &[String]) -> anyhow::Result<Vec<Uuid>> {
    names
        .iter()
        .map(|n| Ok(journal.person_by_name(n)?.id))
        .collect()
}

fn touchpoint_ids(list: &[String]) -> anyhow::Result<Vec<Uuid>> {
    list.iter().map(|t| parse_id(t)).collect()
}

/// Runs an `initiative` subcommand.
pub fn run(dir: &Path, cmd: InitiativeCommand, json: bool) -> anyhow::Result<()> {
    let mut journal = open(dir)?;
    match cmd {
        InitiativeCommand::Add(a) => {
            let new = NewInitiative {
                name: a.name,
                purpose: a.purpose,
                status: a.status.map(|s| s.parse()).transpose()?,
                starts_on: opt_date(a.when.start.as_deref())?,
                review_on: opt_date(a.when.review.as_deref())?,
                tag: a.when.tag,
                teams: a.team,
                people: people_ids(&journal, &a.person)?,
            };
            let i = journal.add_initiative(new)?;
            saved(&journal, &i.id, &i, json)
        }
        InitiativeCommand::List => {
            let list = journal.initiatives()?;
            output::print(&list, json, |l| list_initiatives(l))
        }
        InitiativeCommand::Show {
            name,
            explain,
            person,
        } => {
            let i = journal.find_initiative(&name)?;
            let now = Utc::now();
            if let Some(person) = person {
                let p = journal.person_by_name(&person)?;
                let r = journal.initiative_balance(i.id, Some(&Scope::Person { id: p.id }), now)?;
                if json {
                    return output::json(&r);
                }
                let label = format!("{} within {}", p.name, i.name);
                output::balance(&label, &r, explain, journal.settings().loss_weight);
                return Ok(());
            }
            let page = journal.initiative_page(i.id, now)?;
            if json {
                return output::json(&page_json(&page));
            }
            print_page(&journal, &page, explain);
            Ok(())
        }
        InitiativeCommand::Edit(a) => {
            let mut i = journal.find_initiative(&a.name)?;
            if let Some(name) = a.rename {
                i.name = name;
            }
            if let Some(purpose) = a.purpose {
                i.purpose = purpose;
            }
            if a.no_teams {
                i.teams.clear();
            } else if !a.team.is_empty() {
                i.teams = a.team;
            }
            if a.no_people {
                i.people.clear();
            } else if !a.person.is_empty() {
                i.people = people_ids(&journal, &a.person)?
                    .into_iter()
                    .map(|id| PersonRef {
                        id,
                        name: String::new(),
                    })
                    .collect();
            }
            if let Some(start) = a.when.start {
                i.starts_on = clearable_date(&start)?;
            }
            if let Some(review) = a.when.review {
                i.review_on = clearable_date(&review)?;
            }
            if let Some(tag) = a.when.tag {
                i.tag = Some(tag);
            }
            let i = journal.update_initiative(&i)?;
            saved(&journal, &i.id, &i, json)
        }
        InitiativeCommand::Status { name, status } => {
            let status: InitiativeStatus = status.parse()?;
            let i = journal.find_initiative(&name)?;
            let i = journal.set_initiative_status(i.id, status)?;
            saved(&journal, &i.id, &i, json)
        }
        InitiativeCommand::Link {
            name,
            touchpoint,
            step,
        } => link(
            &mut journal,
            &name,
            &touchpoint,
            step.as_deref(),
            true,
            json,
        ),
        InitiativeCommand::Unlink {
            name,
            touchpoint,
            step,
        } => link(
            &mut journal,
            &name,
            &touchpoint,
            step.as_deref(),
            false,
            json,
        ),
        InitiativeCommand::Can(a) => statement(&mut journal, a, StatementSide::Does, json),
        InitiativeCommand::Cannot(a) => statement(&mut journal, a, StatementSide::DoesNot, json),
        InitiativeCommand::Restate { id, text, on } => {
            let s = journal.restate(parse_id(&id)?, &text, opt_date(on.as_deref())?)?;
            saved(&journal, &s.id, &s, json)
        }
        InitiativeCommand::Withdraw { id, on } => {
            let on = opt_date(on.as_deref())?.unwrap_or_else(|| chrono::Local::now().date_naive());
            let s = journal.withdraw_statement(parse_id(&id)?, Some(on))?;
            saved(&journal, &s.id, &s, json)
        }
        InitiativeCommand::Guideline {
            name,
            text,
            by,
            touchpoint,
            on,
        } => {
            let i = journal.find_initiative(&name)?;
            let by = people_ids(&journal, &by)?;
            let t = touchpoint.map(|t| parse_id(&t)).transpose()?;
            let g = journal.add_guideline(i.id, &text, &by, t, opt_date(on.as_deref())?)?;
            saved(&journal, &g.id, &g, json)
        }
        InitiativeCommand::Win(a) => outcome(&mut journal, a, OutcomeKind::Win, json),
        InitiativeCommand::Setback(a) => outcome(&mut journal, a, OutcomeKind::Setback, json),
        InitiativeCommand::Concern {
            name,
            person,
            kind,
            text,
            touchpoint,
        } => {
            let kind: ConcernKind = kind.parse()?;
            let i = journal.find_initiative(&name)?;
            let p = journal.person_by_name(&person)?;
            let t = touchpoint.map(|t| parse_id(&t)).transpose()?;
            let c = journal.add_concern(i.id, kind, p.id, &text, t)?;
            saved(&journal, &c.id, &c, json)
        }
        InitiativeCommand::Answer { id, text } => {
            let c = journal.answer_concern(parse_id(&id)?, &text, Utc::now())?;
            saved(&journal, &c.id, &c, json)
        }
        InitiativeCommand::Measure {
            name,
            satisfaction,
            collaboration,
            quality,
            confidence,
            note,
            on,
        } => {
            let i = journal.find_initiative(&name)?;
            let m = journal.add_measure(
                i.id,
                NewMeasure {
                    taken_on: opt_date(on.as_deref())?,
                    satisfaction,
                    collaboration,
                    quality,
                    confidence,
                    note,
                },
            )?;
            saved(&journal, &m.id, &m, json)
        }
        InitiativeCommand::Plan {
            name,
            step,
            cadence,
            hours,
            since,
        } => {
            let step: PlanStep = step.parse()?;
            let cadence: Option<Cadence> = match cadence.as_str() {
                "none" => None,
                other => Some(other.parse()?),
            };
            let i = journal.find_initiative(&name)?;
            let state =
                journal.plan_step(i.id, step, cadence, hours, opt_date(since.as_deref())?)?;
            after_write(&journal);
            output::print(&state, json, |s| {
                outln!(
                    "{}: {} — held {}, missed {}",
                    step_label(s.step),
                    s.cadence.map_or("not planned", |c| c.as_str()),
                    s.held,
                    s.missed
                )
            })
        }
        InitiativeCommand::Export { name, format, out } => {
            let format: TeamPageFormat = format.parse()?;
            let i = journal.find_initiative(&name)?;
            let page = journal.initiative_team_page(i.id, format, Utc::now())?;
            touchpoint_core::exchange::write_private_file(&out, page.as_bytes())?;
            if json {
                return output::json(&json!({ "path": out }));
            }
            eprintln!(
                "Wrote the team page of {} to {} (no private entry, rating, balance, measure, \
                 concern or reflection is in it).",
                i.name,
                out.display()
            );
            Ok(())
        }
        InitiativeCommand::Nudges => {
            let nudges = journal.initiative_nudges(Utc::now())?;
            output::print(&nudges, json, |n| print_nudges(n))
        }
        InitiativeCommand::Delete { name } => {
            let i = journal.find_initiative(&name)?;
            journal.delete_initiative(i.id)?;
            done(
                json,
                &format!(
                    "{} was erased for good with its statements, guidelines, wins, setbacks, \
                     concerns, plan and measures; its entries stay in the journal.",
                    i.name
                ),
            )
        }
    }
}

/// After a write: the daily backup when due, then the record's id (or the record as JSON).
fn saved<T: serde::Serialize>(
    journal: &Journal,
    id: &Uuid,
    record: &T,
    json: bool,
) -> anyhow::Result<()> {
    after_write(journal);
    output::id_or_json(id, record, json)
}

fn done(json: bool, message: &str) -> anyhow::Result<()> {
    if json {
        output::json(&json!({ "ok": true }))
    } else {
        eprintln!("{message}");
        Ok(())
    }
}

/// `initiative link` (`on`) and `unlink`: the entry to or from the initiative, or one step of
/// its plan.
fn link(
    journal: &mut Journal,
    name: &str,
    touchpoint: &str,
    step: Option<&str>,
    on: bool,
    json: bool,
) -> anyhow::Result<()> {
    let i = journal.find_initiative(name)?;
    let t = parse_id(touchpoint)?;
    let step = step.map(str::parse::<PlanStep>).transpose()?;
    match (step, on) {
        (Some(step), true) => journal.mark_step(i.id, step, t)?,
        (Some(step), false) => journal.unmark_step(i.id, step, t)?,
        (None, true) => journal.link_initiative(i.id, t)?,
        (None, false) => journal.unlink_initiative(i.id, t)?,
    }
    after_write(journal);
    let message = if on {
        format!("Linked to {}.", i.name)
    } else {
        format!("Unlinked from {}.", i.name)
    };
    done(json, &message)
}

fn statement(
    journal: &mut Journal,
    a: StatementArgs,
    side: StatementSide,
    json: bool,
) -> anyhow::Result<()> {
    let i = journal.find_initiative(&a.name)?;
    let s = journal.add_statement(i.id, side, &a.text, opt_date(a.on.as_deref())?)?;
    saved(journal, &s.id, &s, json)
}

fn outcome(
    journal: &mut Journal,
    a: OutcomeArgs,
    kind: OutcomeKind,
    json: bool,
) -> anyhow::Result<()> {
    let i = journal.find_initiative(&a.name)?;
    let new = NewOutcome {
        happened_on: opt_date(a.on.as_deref())?,
        what: a.text,
        lesson: a.lesson,
        people: people_ids(journal, &a.person)?,
        touchpoints: touchpoint_ids(&a.touchpoint)?,
    };
    let o = journal.add_outcome(i.id, kind, new)?;
    saved(journal, &o.id, &o, json)
}

/// The page as scripts read it: the initiative's fields at the top level, statements split into
/// `can` and `cannot`, outcomes into `wins` and `setbacks`, and `balance` with the fields of
/// `balance --json`.
fn page_json(page: &InitiativePage) -> serde_json::Value {
    let i = &page.initiative;
    let side =
        |s: StatementSide| -> Vec<_> { page.statements.iter().filter(|x| x.side == s).collect() };
    let kind =
        |k: OutcomeKind| -> Vec<_> { page.outcomes.iter().filter(|o| o.kind == k).collect() };
    json!({
        "id": i.id,
        "name": i.name,
        "purpose": i.purpose,
        "status": i.status,
        "starts_on": i.starts_on,
        "review_on": i.review_on,
        "tag": i.tag,
        "teams": i.teams,
        "people": i.people,
        "can": side(StatementSide::Does),
        "cannot": side(StatementSide::DoesNot),
        "guidelines": page.guidelines,
        "concerns": page.concerns,
        "wins": kind(OutcomeKind::Win),
        "setbacks": kind(OutcomeKind::Setback),
        "plan": page.plan,
        "measures": page.measures,
        "entries": page.entries,
        "balance": page.balance.total,
        "balance_by_person": page.balance.people,
        "balance_by_team": page.balance.teams,
    })
}

fn list_initiatives(list: &[Initiative]) {
    if list.is_empty() {
        outln!("No initiatives yet.");
        return;
    }
    for i in list {
        let teams = tail("  teams: ", &i.teams.join(", "));
        outln!("{:<8} {}{}  {}", i.status.as_str(), i.name, teams, i.id);
    }
}

/// `prefix` and `text`, or nothing when there is no text.
fn tail(prefix: &str, text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{prefix}{text}")
    }
}

fn step_label(step: PlanStep) -> &'static str {
    match step {
        PlanStep::ContributionRecord => "1. Shared record of what the tool contributed",
        PlanStep::Exploration => "2. Protected time to explore",
        PlanStep::Guidelines => "3. Guidelines written together",
        PlanStep::Measures => "4. Success beyond efficiency",
        PlanStep::Training => "5. Training and wins celebrated",
    }
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{x}")
    } else {
        format!("{x}")
    }
}

fn print_page(journal: &Journal, page: &InitiativePage, explain: bool) {
    let i = &page.initiative;
    outln!("{} ({})", i.name, i.status.as_str());
    if !i.purpose.is_empty() {
        outln!("  {}", i.purpose);
    }
    let dates = [
        i.starts_on.map(|d| format!("starts {d}")),
        i.review_on.map(|d| format!("review {d}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    if !dates.is_empty() {
        outln!("  {}", dates.join(", "));
    }
    if !i.teams.is_empty() {
        outln!("  Teams: {}", i.teams.join(", "));
    }
    if !i.people.is_empty() {
        let names: Vec<&str> = i.people.iter().map(|p| p.name.as_str()).collect();
        outln!("  People: {}", names.join(", "));
    }
    for (side, title) in [
        (StatementSide::Does, "What it does"),
        (StatementSide::DoesNot, "What it does not do"),
    ] {
        let list: Vec<_> = page.statements.iter().filter(|s| s.side == side).collect();
        if list.is_empty() {
            continue;
        }
        outln!("\n{title}:");
        for s in list {
            let withdrawn = s
                .withdrawn_on
                .map(|d| format!(" (withdrawn {d})"))
                .unwrap_or_default();
            outln!("  - {} [said {}]{withdrawn}  {}", s.text, s.said_on, s.id);
            for v in s.history.iter().rev().skip(1) {
                outln!("      earlier, {}: {}", v.said_on, v.text);
            }
        }
    }
    if !page.guidelines.is_empty() {
        outln!("\nGuidelines:");
        for g in &page.guidelines {
            let by: Vec<&str> = g.shaped_by.iter().map(|p| p.name.as_str()).collect();
            let by = tail(" — shaped by ", &by.join(", "));
            outln!("  - {} (agreed {}){by}", g.text, g.agreed_on);
        }
    }
    let open: Vec<_> = page.concerns.iter().filter(|c| !c.answered).collect();
    let answered = page.concerns.len() - open.len();
    outln!("\nOpen concerns ({}, {answered} answered):", open.len());
    for c in open {
        outln!(
            "  - [{}] {}: {} (raised {})  {}",
            c.kind.as_str(),
            c.person.name,
            c.text,
            c.raised_at.format("%Y-%m-%d"),
            c.id
        );
    }
    if !page.outcomes.is_empty() {
        outln!("\nWins and setbacks:");
        for o in &page.outcomes {
            let lesson = tail(" — lesson: ", &o.lesson);
            outln!(
                "  {} {:<7} {}{lesson}",
                o.happened_on,
                o.kind.as_str(),
                o.what
            );
        }
    }
    outln!("\nThe five steps:");
    for s in &page.plan {
        let marks: String = s
            .periods
            .iter()
            .map(|p| match p.mark {
                PeriodMark::Held => '+',
                PeriodMark::Missed => '-',
                PeriodMark::Pending => '.',
            })
            .collect();
        match s.cadence {
            Some(c) => {
                let hours = s
                    .hours_per_month
                    .map(|h| format!(", {h} h a month"))
                    .unwrap_or_default();
                outln!(
                    "  {} ({}{hours}): held {}, missed {}  {marks}",
                    step_label(s.step),
                    c.as_str(),
                    s.held,
                    s.missed
                );
            }
            None => outln!("  {}: not planned", step_label(s.step)),
        }
    }
    if !page.measures.is_empty() {
        outln!("\nMeasures (your reading of the team's side, not a survey):");
        outln!(
            "  {:<10} {:>12} {:>13} {:>7} {:>10}",
            "day",
            "satisfaction",
            "collaboration",
            "quality",
            "confidence"
        );
        for m in &page.measures {
            outln!(
                "  {:<10} {:>12} {:>13} {:>7} {:>10}",
                m.taken_on.to_string(),
                signed(m.satisfaction.into()),
                signed(m.collaboration.into()),
                signed(m.quality.into()),
                signed(m.confidence.into())
            );
        }
    }
    outln!("\nLinked entries: {}", page.entries.len());
    outln!();
    output::balance(
        &format!("the initiative {}", i.name),
        &page.balance.total,
        explain,
        journal.settings().loss_weight,
    );
    for share in page.balance.people.iter().chain(&page.balance.teams) {
        let who = share
            .person
            .as_ref()
            .map(|p| p.name.clone())
            .or_else(|| share.team.as_ref().map(|t| format!("team {t}")))
            .unwrap_or_default();
        let slipping = if share.summary.slipping {
            "  SLIPPING"
        } else {
            ""
        };
        outln!(
            "  {:<24} {:>6}  (willingness {}, ability {}){slipping}",
            who,
            signed(share.summary.balance),
            signed(share.summary.willingness),
            signed(share.summary.ability)
        );
    }
}

fn print_nudges(list: &[InitiativeNudge]) {
    if list.is_empty() {
        outln!("Nothing needs attention in running initiatives.");
        return;
    }
    for n in list {
        match n {
            InitiativeNudge::ConcernWaiting {
                initiative,
                concern,
                days,
            } => outln!(
                "{}: {}'s concern ({}) has waited {days} days: {}  {}",
                initiative.name,
                concern.person.name,
                concern.kind.as_str(),
                concern.text,
                concern.id
            ),
            InitiativeNudge::NothingLearnt {
                initiative, days, ..
            } => outln!(
                "{}: no win or lesson recorded for {days} days",
                initiative.name
            ),
            InitiativeNudge::SlotMissed {
                initiative,
                step,
                period,
            } => outln!(
                "{}: {} missed ({} to {})",
                initiative.name,
                step_label(*step),
                period.starts_on,
                period.ends_on
            ),
            InitiativeNudge::Slipping {
                initiative, person, ..
            } => outln!(
                "{}: trust is slipping with {} within it",
                initiative.name,
                person.name
            ),
        }
    }
}
