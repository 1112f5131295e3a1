//! Carrying out each command against the journal core.

use std::path::Path;

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use touchpoint_core::model::{
    CommitmentStatus, Group, GroupImpact, NewPerson, NewReflection, NewTouchpoint, TouchpointKind,
    TouchpointState,
};
use touchpoint_core::secret::Passphrase;
use touchpoint_core::vault::{
    Erased, OldBackups, PersonRef, PersonSide, ReflectionForm, Scope, SearchMode, TimelineFilter,
};
use touchpoint_core::{demo, names, Error, Journal};
use uuid::Uuid;

use crate::args::*;
use crate::{journal_dir, output, secrets, usage};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let dir = journal_dir(cli.journal.clone())?;
    let json = cli.json;
    crate::session::set_extend(cli.extend);
    crate::style::init(cli.color);
    // Said before any passphrase is asked: typing one for a folder that holds no journal
    // only to be told so afterwards wastes the leader's time (and a script's prompt).
    let needs_no_journal = matches!(
        cli.command,
        Command::Init | Command::Completions { .. } | Command::Manual { .. }
    );
    let restores_damaged = matches!(cli.command, Command::Restore { .. }) && dir.exists();
    if !needs_no_journal && !restores_damaged && !touchpoint_core::vault::exists(&dir) {
        return Err(Error::NoJournal(dir).into());
    }
    match cli.command {
        Command::Init => init(&dir, json),
        Command::Completions { shell } => crate::docs::completions(shell),
        Command::Manual { out } => crate::docs::manual(&out),
        Command::Unlock { length } => crate::session::unlock(&dir, &length, json),
        Command::Lock => crate::session::lock(&dir, json),
        Command::Status => crate::session::status(&dir, json),
        Command::Passwd => {
            let (journal, current) = open_keeping_passphrase(&dir)?;
            let new = secrets::new_passphrase("TOUCHPOINT_NEW_PASSPHRASE")?;
            journal.change_passphrase(&current, &new)?;
            eprintln!(
                "Passphrase changed. The old one no longer opens the journal or its backups."
            );
            Ok(())
        }
        Command::Recover => {
            let code = secrets::recovery_code()?;
            let new = secrets::new_passphrase("TOUCHPOINT_NEW_PASSPHRASE")?;
            Journal::recover(&dir, &code, &new)?;
            eprintln!("Passphrase reset with the recovery code. The recovery code still works.");
            Ok(())
        }
        Command::NewRecoveryCode => {
            let (journal, current) = open_keeping_passphrase(&dir)?;
            let code = journal.new_recovery_code(&current)?;
            output::recovery_code(&code, json);
            Ok(())
        }
        Command::Rekey { remove_backups } => {
            let (mut journal, current) = open_keeping_passphrase(&dir)?;
            let old_backups = if remove_backups {
                OldBackups::Remove
            } else {
                OldBackups::Reencrypt
            };
            let code = journal.rekey(&current, old_backups, &mut |p| {
                if p.done < p.total {
                    eprintln!("{} ({}/{})", p.step, p.done + 1, p.total);
                }
            })?;
            eprintln!(
                "The journal is re-encrypted under a new key. The passphrase is unchanged; \
                 the old recovery code no longer works."
            );
            output::recovery_code(&code, json);
            Ok(())
        }
        Command::Person(cmd) => person(&dir, cmd, json),
        Command::Initiative(cmd) => crate::initiative::run(&dir, cmd, json),
        Command::Add(args) => add(&dir, args, json),
        Command::Reflect(args) => {
            let mut journal = open(&dir)?;
            let touchpoint = parse_id(&args.id)?;
            let person = journal.person_by_name(&args.person)?;
            let saved = journal.save_reflection(ReflectionForm {
                touchpoint_id: touchpoint,
                people: vec![PersonSide {
                    reflection: NewReflection {
                        touchpoint_id: touchpoint,
                        person_id: person.id,
                        answers: Vec::new(),
                        their_side: args.their_side,
                        willingness: args.willingness,
                        ability: args.ability,
                        adversarial: args.adversarial,
                        would_have_helped: args.would_have_helped,
                        next_time: args.next_time,
                    },
                    commitments: Vec::new(),
                    topics: Vec::new(),
                }],
                group_impacts: None,
            })?;
            let r = saved
                .reflections
                .into_iter()
                .next()
                .expect("the one side saved");
            after_write(&journal);
            output::id_or_json(&r.id, &r, json)
        }
        Command::Show { id } => {
            let journal = open(&dir)?;
            let detail = journal.touchpoint_detail(parse_id(&id)?)?;
            // Coach comments on the entry and on each of its reflections.
            let comments = journal.entry_annotations(detail.touchpoint.id)?;
            if json {
                return output::json(&serde_json::json!({
                    "touchpoint": detail.touchpoint,
                    "participant_names": detail.participant_names,
                    "reflections": detail.reflections,
                    "commitments": detail.commitments,
                    "topics": detail.topics,
                    "annotations": comments,
                }));
            }
            output::touchpoint_detail(&detail);
            for c in &comments {
                let a = &c.annotation;
                let source = match &c.source {
                    Some(s) => format!(
                        ", reviewer key {}, answering export {}",
                        s.fingerprint, s.export_id
                    ),
                    None => String::new(),
                };
                outln!(
                    "\nComment from {} ({}{source}): {}",
                    a.author,
                    a.created_at.format("%Y-%m-%d"),
                    a.text
                );
            }
            Ok(())
        }
        Command::Delete { id, erase: false } => {
            let mut journal = open(&dir)?;
            journal.trash_touchpoint(parse_id(&id)?, Utc::now())?;
            eprintln!("Moved to the trash; `touchpoint trash restore {id}` brings it back within 30 days.");
            Ok(())
        }
        Command::Delete { id, erase: true } => {
            let mut journal = open(&dir)?;
            let id = parse_id(&id)?;
            let t = journal.touchpoint(id).or_else(|_| {
                journal
                    .trashed_touchpoints()?
                    .into_iter()
                    .map(|(t, _)| t)
                    .find(|t| t.id == id)
                    .ok_or_else(|| Error::NotFound(format!("no touchpoint with id {id}")))
            })?;
            let question = "Erase this entry with its reflections and comments now? This cannot be undone. Type erase to confirm:";
            if !secrets::confirm(question, "erase")? {
                return Err(usage("not confirmed; nothing was erased"));
            }
            let erased = journal.erase_touchpoint(t.id)?;
            output::print(&erased, json, |e| {
                eprintln!("Erased for good: {}.", output::erased(e));
            })
        }
        Command::Commitment(cmd) => commitment(&dir, cmd, json),
        Command::Topic(cmd) => topic(&dir, cmd, json),
        Command::Balance(args) => balance(&dir, args, json),
        Command::List(args) => {
            let journal = open(&dir)?;
            let filter = TimelineFilter {
                person: args
                    .person
                    .map(|n| journal.person_by_name(&n).map(|p| p.id))
                    .transpose()?,
                kind: args.kind.map(|k| k.parse()).transpose()?,
                tag: args.tag,
                since: args.since.map(|s| parse_start(&s)).transpose()?,
                state: args.drafts.then_some(TouchpointState::Draft),
                limit: Some(args.limit),
                ..TimelineFilter::default()
            };
            output::print(&journal.timeline(&filter)?, json, output::timeline)
        }
        Command::Search(args) => {
            let journal = open(&dir)?;
            let mode = if args.syntax {
                SearchMode::Syntax
            } else {
                SearchMode::Plain
            };
            output::print(
                &journal.search(&args.query, mode, args.limit)?,
                json,
                output::search,
            )
        }
        Command::Today => {
            let journal = open(&dir)?;
            output::print(&journal.today(Utc::now())?, json, output::today)
        }
        Command::Prompts(cmd) => prompts(&dir, cmd, json),
        Command::Settings(args) => settings(&dir, args, json),
        Command::Trash(cmd) => trash(&dir, cmd, json),
        Command::Backup => {
            let journal = open(&dir)?;
            let b = journal.backup(Utc::now())?;
            output::print(&b, json, |b| {
                outln!("Backup written: {} ({} bytes)", b.path, b.bytes)
            })
        }
        Command::Backups => {
            let journal = open(&dir)?;
            output::print(&journal.backups(), json, output::backups)
        }
        Command::Restore { file } => {
            let pass = secrets::passphrase()?;
            Journal::restore(&dir, &file, &pass)?;
            eprintln!(
                "Restored {}. The journal as it was is kept as journal.db.before-restore.",
                file.display()
            );
            Ok(())
        }
        Command::Verify => {
            let journal = open(&dir)?;
            let report = journal.verify()?;
            output::print(&report, json, output::verify)?;
            if report.ok {
                Ok(())
            } else {
                Err(Error::Damaged {
                    path: dir.join("journal.db"),
                    detail: "the integrity check found problems (listed above)".into(),
                }
                .into())
            }
        }
        Command::Key(KeyCommand::Show) => crate::exchange::key_show(&open(&dir)?, json),
        Command::Export(args) => crate::exchange::export(&open(&dir)?, args, json),
        Command::Import(args) => {
            let mut journal = open(&dir)?;
            crate::exchange::import(&mut journal, args, json)?;
            after_write(&journal);
            Ok(())
        }
        Command::Review(args) => crate::exchange::review(&mut open(&dir)?, args, json),
        Command::Calendar(cmd) => {
            let mut journal = open(&dir)?;
            crate::calendar::run(&mut journal, cmd, json)?;
            after_write(&journal);
            Ok(())
        }
        Command::Demo(args) => {
            let mut journal = open(&dir)?;
            let anchor = match args.anchor {
                Some(a) => parse_start(&a)?,
                None => demo::today_anchor(),
            };
            let summary = demo::generate(
                &mut journal,
                args.people,
                args.touchpoints,
                args.seed,
                anchor,
            )?;
            output::print(&summary, json, |s| {
                outln!(
                    "Demo journal: {} people, {} touchpoints, {} reflections, {} commitments, {} topics.",
                    s.people, s.touchpoints, s.reflections, s.commitments, s.topics
                )
            })
        }
    }
}

/// Opens the journal through its unlock session, else with the passphrase from the terminal or
/// the environment.
pub(crate) fn open(dir: &Path) -> anyhow::Result<Journal> {
    crate::session::open(dir)
}

/// Opens the journal and keeps the passphrase for a command that needs it again.
fn open_keeping_passphrase(dir: &Path) -> anyhow::Result<(Journal, Passphrase)> {
    let pass = secrets::passphrase()?;
    let journal = Journal::open(dir, &pass)?;
    Ok((journal, pass))
}

/// Writes the daily backup when one is due; a failure is reported but does not fail the command.
pub(crate) fn after_write(journal: &Journal) {
    if let Err(e) = journal.backup_if_due(Utc::now()) {
        eprintln!("touchpoint: warning: the automatic backup failed: {e}");
    }
}

fn init(dir: &Path, json: bool) -> anyhow::Result<()> {
    let pass = secrets::new_passphrase("TOUCHPOINT_PASSPHRASE")?;
    let (_journal, code) = Journal::init(dir, &pass)?;
    if !json {
        outln!("Created a journal in {}", dir.display());
    }
    output::recovery_code(&code, json);
    Ok(())
}

pub(crate) fn parse_id(text: &str) -> anyhow::Result<Uuid> {
    Uuid::parse_str(text.trim())
        .map_err(|_| Error::InvalidInput(format!("{text:?} is not an id")).into())
}

/// A moment from RFC 3339, or local "YYYY-MM-DD" / "YYYY-MM-DDTHH:MM[:SS]".
fn parse_moment(text: &str) -> anyhow::Result<DateTime<chrono::FixedOffset>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t);
    }
    let naive = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{text:?} is not a date; use YYYY-MM-DD, YYYY-MM-DDTHH:MM or RFC 3339"
            ))
        })?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.fixed_offset())
        .ok_or_else(|| {
            Error::InvalidInput(format!("{text:?} does not exist in the local time zone")).into()
        })
}

pub(crate) fn parse_start(text: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(parse_moment(text)?.with_timezone(&Utc))
}

fn parse_date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput(format!("{text:?} is not a date; use YYYY-MM-DD")).into())
}

fn parse_impact(text: &str) -> anyhow::Result<GroupImpact> {
    let (group, impact) = text.split_once('=').ok_or_else(|| {
        Error::InvalidInput(format!(
            "--impact {text:?}: write GROUP=N, e.g. customer=-1"
        ))
    })?;
    let impact: i32 = impact.trim().parse().map_err(|_| {
        Error::InvalidInput(format!(
            "--impact {text:?}: N must be a number from -2 to 2"
        ))
    })?;
    Ok(GroupImpact {
        group: group.trim().parse()?,
        impact,
    })
}

fn person(dir: &Path, cmd: PersonCommand, json: bool) -> anyhow::Result<()> {
    let mut journal = open(dir)?;
    match cmd {
        PersonCommand::Add(a) => {
            let p = journal.add_person(NewPerson {
                name: a.name,
                group: Some(a.group.parse()?),
                emails: a.email,
                role: a.role,
                teams: a.team,
                cadence_days: a.cadence,
                notes: String::new(),
            })?;
            output::id_or_json(&p.id, &p, json)
        }
        PersonCommand::List { all } => output::print(&journal.people(all)?, json, output::people),
        PersonCommand::Edit(a) => {
            let mut p = journal.person_by_name(&a.name)?;
            if let Some(n) = a.rename {
                p.name = n;
            }
            if let Some(g) = a.group {
                p.group = g.parse::<Group>()?;
            }
            if let Some(c) = a.cadence {
                p.cadence_days = (c > 0).then_some(c);
            }
            if !a.email.is_empty() {
                p.emails = a.email;
            }
            if !a.team.is_empty() {
                p.teams = a.team;
            }
            if let Some(r) = a.role {
                p.role = r;
            }
            if let Some(x) = a.archived {
                p.archived = x;
            }
            let p = journal.update_person(&p)?;
            output::id_or_json(&p.id, &p, json)
        }
        PersonCommand::Remove { name } => {
            let p = journal.person_by_name(&name)?;
            journal.trash_person(p.id, Utc::now())?;
            eprintln!("{} moved to the trash; `touchpoint trash restore {:?}` brings them back within 30 days.", p.name, p.name);
            Ok(())
        }
        PersonCommand::Erase { name } => {
            let p = match journal.person_by_name(&name) {
                // Not among the living: perhaps in the trash; if not there either, the
                // first answer (with its suggestions among everyone) is the useful one.
                Err(Error::NotFound(not_found)) => {
                    trashed_person_named(&journal, &name).map_err(|_| Error::NotFound(not_found))?
                }
                other => {
                    let p = other?;
                    PersonRef {
                        id: p.id,
                        name: p.name,
                    }
                }
            };
            let question = format!(
                "Erase {} and everything written about them, permanently? Type their name to confirm:",
                p.name
            );
            if !secrets::confirm(&question, &p.name)? {
                return Err(usage("not confirmed; nothing was erased"));
            }
            let erased = journal.erase_person(p.id)?;
            output::print(&erased, json, |e| {
                eprintln!("{} was erased for good ({}), search index included. Backups made before now still hold them until they rotate out.", p.name, output::erased(e));
            })
        }
    }
}

fn add(dir: &Path, a: AddArgs, json: bool) -> anyhow::Result<()> {
    let kind: TouchpointKind = a.kind.parse()?;
    let mut journal = open(dir)?;
    let people = journal.people_by_names(&a.with)?;
    let initiatives = a
        .initiative
        .iter()
        .map(|n| journal.find_initiative(n))
        .collect::<Result<Vec<_>, _>>()?;
    let impacts = a
        .impact
        .iter()
        .map(|i| parse_impact(i))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let rating = match (a.willingness, a.ability) {
        (Some(w), Some(b)) => Some((w, b)),
        _ => None,
    };
    if let Some((w, b)) = rating {
        touchpoint_core::model::check_rating("willingness", w)?;
        touchpoint_core::model::check_rating("ability", b)?;
        if people.is_empty() {
            return Err(usage(
                "--willingness and --ability need --with: whose side is it?",
            ));
        }
    }
    let new = NewTouchpoint {
        kind,
        occurred_at: a.at.map(|s| parse_moment(&s)).transpose()?,
        duration_minutes: a.minutes,
        title: a.title,
        participants: people.iter().map(|p| p.id).collect(),
        team: a.team,
        affected_groups: impacts,
        notes: a.notes,
        tags: a.tag,
        private: a.private,
        source: String::new(),
        state: Some(if a.draft {
            TouchpointState::Draft
        } else {
            TouchpointState::Logged
        }),
    };
    // The entry and its ratings in one transaction: one durable write.
    let reflections = match rating {
        Some((w, b)) => people
            .iter()
            .map(|p| NewReflection {
                touchpoint_id: Uuid::nil(),
                person_id: p.id,
                answers: Vec::new(),
                their_side: a.their_side.clone(),
                willingness: w,
                ability: b,
                adversarial: a.adversarial,
                would_have_helped: String::new(),
                next_time: String::new(),
            })
            .collect(),
        None => Vec::new(),
    };
    let ids: Vec<Uuid> = initiatives.iter().map(|i| i.id).collect();
    let (t, _) = journal.add_touchpoint_to_initiatives(new, reflections, &ids)?;
    after_write(&journal);
    output::id_or_json(&t.id, &t, json)
}

fn commitment(dir: &Path, cmd: CommitmentCommand, json: bool) -> anyhow::Result<()> {
    let mut journal = open(dir)?;
    match cmd {
        CommitmentCommand::Add {
            to,
            what,
            due,
            touchpoint,
        } => {
            let p = journal.person_by_name(&to)?;
            let due = due.map(|d| parse_date(&d)).transpose()?;
            let t = touchpoint.map(|t| parse_id(&t)).transpose()?;
            let c = journal.add_commitment(p.id, &what, due, t)?;
            after_write(&journal);
            output::id_or_json(&c.id, &c, json)
        }
        CommitmentCommand::Resolve { id, status } => {
            let status: CommitmentStatus = status.parse()?;
            let c = journal.resolve_commitment(parse_id(&id)?, status, Utc::now())?;
            after_write(&journal);
            output::id_or_json(&c.id, &c, json)
        }
        CommitmentCommand::List { person, all } => {
            let person = person.map(|n| journal.person_by_name(&n)).transpose()?;
            let list = journal.commitments(person.map(|p| p.id), !all)?;
            let names = output::names(&journal)?;
            output::print(&list, json, |l| output::commitments(l, &names))
        }
    }
}

fn topic(dir: &Path, cmd: TopicCommand, json: bool) -> anyhow::Result<()> {
    let mut journal = open(dir)?;
    match cmd {
        TopicCommand::Add {
            person,
            text,
            touchpoint,
        } => {
            let p = journal.person_by_name(&person)?;
            let t = touchpoint.map(|t| parse_id(&t)).transpose()?;
            let topic = journal.add_topic(p.id, &text, t)?;
            output::id_or_json(&topic.id, &topic, json)
        }
        TopicCommand::Close { id } => {
            let topic = journal.close_topic(parse_id(&id)?, true)?;
            output::id_or_json(&topic.id, &topic, json)
        }
        TopicCommand::List { person } => {
            let person = person.map(|n| journal.person_by_name(&n)).transpose()?;
            let list = journal.topics(person.map(|p| p.id), true)?;
            let names = output::names(&journal)?;
            output::print(&list, json, |l| output::topics(l, &names))
        }
    }
}

fn balance(dir: &Path, a: BalanceArgs, json: bool) -> anyhow::Result<()> {
    let journal = open(dir)?;
    let now = Utc::now();
    let (scope, label) = match (a.name, a.team, a.group) {
        (Some(name), _, _) => {
            let p = journal.person_by_name(&name)?;
            (Scope::Person { id: p.id }, p.name)
        }
        (_, Some(team), _) => (Scope::Team { name: team.clone() }, format!("team {team}")),
        (_, _, Some(group)) => {
            let group: Group = group.parse()?;
            (Scope::Group { group }, format!("group {group}"))
        }
        (None, None, None) => {
            return output::print(&journal.overview(now)?, json, output::overview);
        }
    };
    let report = journal.balance(&scope, now)?;
    if json {
        return output::json(&report);
    }
    output::balance(&label, &report, a.explain, journal.settings().loss_weight);
    Ok(())
}

fn prompts(dir: &Path, cmd: PromptsCommand, json: bool) -> anyhow::Result<()> {
    let mut journal = open(dir)?;
    match cmd {
        PromptsCommand::List => output::print(&journal.prompt_sets()?, json, output::prompt_sets),
        PromptsCommand::Export { out, all } => {
            let text = journal.export_prompt_sets(all)?;
            touchpoint_core::exchange::write_private_file(&out, text.as_bytes())?;
            eprintln!("Prompt sets written to {}", out.display());
            Ok(())
        }
        PromptsCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", file.display())))?;
            let sets = journal.import_prompt_sets(&text)?;
            output::print(&sets, json, |s| {
                outln!("Imported {} prompt set(s).", s.len())
            })
        }
        PromptsCommand::Delete { id } => {
            journal.delete_prompt_set(parse_id(&id)?)?;
            Ok(())
        }
    }
}

fn settings(dir: &Path, a: SettingsArgs, json: bool) -> anyhow::Result<()> {
    let mut journal = open(dir)?;
    let mut s = journal.settings().clone();
    let changed = a.auto_lock_minutes.is_some()
        || a.default_cadence.is_some()
        || a.loss_weight.is_some()
        || a.backup_dir.is_some()
        || a.backup_keep.is_some()
        || a.remind_minutes_after_end.is_some();
    if let Some(v) = a.auto_lock_minutes {
        s.auto_lock_minutes = v;
    }
    if let Some(v) = a.default_cadence {
        s.default_cadence_days = v;
    }
    if let Some(v) = a.loss_weight {
        s.loss_weight = v;
    }
    if let Some(v) = a.backup_dir {
        s.backup_dir = Some(v).filter(|d| !d.trim().is_empty());
    }
    if let Some(v) = a.backup_keep {
        s.backup_keep = v;
    }
    if let Some(v) = a.remind_minutes_after_end {
        s.remind_minutes_after_end = v;
    }
    if changed {
        journal.update_settings(s)?;
    }
    output::print(journal.settings(), json, output::settings)
}

/// The person in the trash called `name` (ignoring case).
fn trashed_person_named(journal: &Journal, name: &str) -> anyhow::Result<PersonRef> {
    let trashed: Vec<PersonRef> = journal
        .trashed_people()?
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let hint = names::did_you_mean(name, trashed.iter().map(|p| p.name.as_str()));
    let mut found: Vec<PersonRef> = trashed
        .iter()
        .filter(|p| p.name.eq_ignore_ascii_case(name.trim()))
        .cloned()
        .collect();
    match found.len() {
        0 => Err(Error::NotFound(format!("no one called {name:?} in the trash{hint}")).into()),
        1 => Ok(found.remove(0)),
        n => Err(Error::InvalidInput(format!(
            "{n} people called {name:?} are in the trash; restore one to tell them apart"
        ))
        .into()),
    }
}

/// What the trash holds, for `trash list`.
#[derive(Serialize)]
struct TrashListing {
    people: Vec<serde_json::Value>,
    touchpoints: Vec<serde_json::Value>,
}

fn trash(dir: &Path, cmd: TrashCommand, json: bool) -> anyhow::Result<()> {
    let mut journal = open(dir)?;
    match cmd {
        TrashCommand::List => {
            let trash = journal.trash()?;
            let listing = TrashListing {
                people: trash
                    .people
                    .iter()
                    .map(|p| {
                        serde_json::json!({"id": p.person.id, "name": p.person.name,
                        "trashed_at": p.trashed_at, "erase_after": p.erase_after})
                    })
                    .collect(),
                touchpoints: trash
                    .entries
                    .iter()
                    .map(|t| {
                        serde_json::json!({"id": t.entry.id, "title": t.entry.title,
                        "trashed_at": t.trashed_at, "erase_after": t.erase_after})
                    })
                    .collect(),
            };
            output::print(&listing, json, |l| {
                let day = |v: &serde_json::Value| {
                    v.as_str()
                        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                        .map(|d| d.with_timezone(&Local).format("%Y-%m-%d").to_string())
                        .unwrap_or_default()
                };
                for p in &l.people {
                    outln!(
                        "person      {}  {}  (erased after {})",
                        p["id"].as_str().unwrap_or(""),
                        p["name"].as_str().unwrap_or(""),
                        day(&p["erase_after"])
                    );
                }
                for t in &l.touchpoints {
                    outln!(
                        "touchpoint  {}  {}  (erased after {})",
                        t["id"].as_str().unwrap_or(""),
                        t["title"].as_str().unwrap_or(""),
                        day(&t["erase_after"])
                    );
                }
                if l.people.is_empty() && l.touchpoints.is_empty() {
                    outln!("The trash is empty.");
                }
            })
        }
        TrashCommand::Restore { what } => {
            if let Ok(id) = Uuid::parse_str(what.trim()) {
                match journal.restore_touchpoint(id) {
                    Err(Error::NotFound(_)) => journal.restore_person(id)?,
                    other => other?,
                }
            } else {
                let person = trashed_person_named(&journal, &what)?;
                journal.restore_person(person.id)?;
            }
            eprintln!("Restored from the trash.");
            Ok(())
        }
        TrashCommand::Empty => {
            let trash = journal.trash()?;
            if trash.people.is_empty() && trash.entries.is_empty() {
                eprintln!("The trash is empty; nothing was erased.");
                return output::print(&Erased::default(), json, |_| {});
            }
            let question = format!(
                "Erase everything in the trash ({} people, {} entries) now? This cannot be undone. Type empty to confirm:",
                trash.people.len(),
                trash.entries.len()
            );
            if !secrets::confirm(&question, "empty")? {
                return Err(usage("not confirmed; nothing was erased"));
            }
            let erased = journal.empty_trash()?;
            output::print(&erased, json, |e| {
                eprintln!("Erased for good: {}.", output::erased(e));
            })
        }
    }
}
