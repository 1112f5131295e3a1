//! Tests of the exchange against real encrypted journals: what an export selects, that
//! pseudonyms hold in every format, bundles and their failures, imports (idempotent,
//! cancellable, all or nothing), the review round trip, and the committed JSON Schemas.

use std::ops::ControlFlow;
use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use super::*;
use crate::model::{
    CommitmentStatus, Group, GroupImpact, NewPerson, NewReflection, NewTouchpoint, PromptAnswer,
    TouchpointKind,
};
use crate::secret::Passphrase;
use crate::vault::{Scope, TimelineFilter};
use crate::Journal;

// ---------------------------------------------------------------------------------------------
// Fixtures

/// Gives a session opened without a bundle an export id and a reviewer key, as a bundle opened
/// in a coach's journal has.
fn sign(session: &mut ReviewSession) {
    session.set_export_id(Uuid::from_u128(7));
    session
        .set_reviewer_key(&age::x25519::Identity::generate().to_public().to_string())
        .expect("key");
}

fn go(_: Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

fn pass() -> Passphrase {
    Passphrase::new("exchange test passphrase".into())
}

fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (j, _code) = Journal::init(&dir.path().join("journal"), &pass()).expect("init");
    (dir, j)
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("time")
}

fn person(j: &mut Journal, name: &str, new: NewPerson) -> Uuid {
    j.add_person(NewPerson {
        name: name.into(),
        ..new
    })
    .expect("add person")
    .id
}

fn entry(j: &mut Journal, new: NewTouchpoint) -> Uuid {
    j.add_touchpoint(new).expect("add touchpoint").id
}

fn touchpoint(kind: TouchpointKind, when: &str, participants: Vec<Uuid>) -> NewTouchpoint {
    NewTouchpoint {
        kind,
        occurred_at: Some(at(when)),
        duration_minutes: Some(30),
        title: String::new(),
        participants,
        team: None,
        affected_groups: Vec::new(),
        notes: String::new(),
        tags: Vec::new(),
        private: false,
        source: String::new(),
        state: None,
    }
}

fn reflect(j: &mut Journal, t: Uuid, p: Uuid, w: i32, a: i32, their_side: &str) -> Uuid {
    j.reflect(NewReflection {
        touchpoint_id: t,
        person_id: p,
        answers: Vec::new(),
        their_side: their_side.into(),
        willingness: w,
        ability: a,
        adversarial: false,
        would_have_helped: String::new(),
        next_time: String::new(),
    })
    .expect("reflect")
    .id
}

/// A small journal with a canary name, an unselected person, a private entry and a decision.
struct Fixture {
    zeb: Uuid,
    ana: Uuid,
    ursula: Uuid,
    one_on_one: Uuid,
    shared: Uuid,
    private: Uuid,
    decision: Uuid,
    zeb_reflection: Uuid,
}

fn fixture(j: &mut Journal) -> Fixture {
    let zeb = person(
        j,
        "Zebediah Quartermaine",
        NewPerson {
            emails: vec!["zeb.q@example.com".into()],
            role: "Staff engineer".into(),
            teams: vec!["Zebediah's squad".into(), "Platform".into()],
            notes: "Zebediah prefers written agendas.".into(),
            ..NewPerson::default()
        },
    );
    let ana = person(
        j,
        "Ana Lima",
        NewPerson {
            teams: vec!["Platform".into()],
            ..NewPerson::default()
        },
    );
    let ursula = person(
        j,
        "Ursula Unselected",
        NewPerson {
            notes: "URSULA-NOTES".into(),
            group: Some(Group::Peer),
            ..NewPerson::default()
        },
    );
    let one_on_one = entry(
        j,
        NewTouchpoint {
            notes: "Zebediah raised the on-call load. QUARTERMAINE wants fewer pages; \
                    mail zeb.q@example.com. <script>alert(\"x\")</script>"
                .into(),
            tags: vec!["AI rollout".into()],
            ..touchpoint(
                TouchpointKind::OneOnOne,
                "2024-03-04T09:30:00+05:30",
                vec![zeb],
            )
        },
    );
    let zeb_reflection = j
        .reflect(NewReflection {
            touchpoint_id: one_on_one,
            person_id: zeb,
            answers: vec![PromptAnswer {
                prompt: "What would Zebediah tell a friend tonight?".into(),
                answer: "That Quartermaine was heard, \"finally\": nothing changed yet.".into(),
            }],
            their_side: "Zebediah's view: I was heard.".into(),
            willingness: 1,
            ability: -1,
            adversarial: false,
            would_have_helped: "A date for the fix".into(),
            next_time: "Bring the rota".into(),
        })
        .expect("reflect")
        .id;
    let shared = entry(
        j,
        NewTouchpoint {
            title: "Weekly sync".into(),
            notes: "Team sync about the roadmap".into(),
            ..touchpoint(
                TouchpointKind::TeamMeeting,
                "2024-03-06T17:00:00-08:00",
                vec![zeb, ursula, ana],
            )
        },
    );
    reflect(j, shared, zeb, 2, 1, "Good meeting");
    reflect(j, shared, ursula, -2, -2, "URSULA-REFLECTION");
    reflect(j, shared, ana, 0, 1, "Fine");
    let private = entry(
        j,
        NewTouchpoint {
            title: "PRIVATE-TITLE".into(),
            notes: "PRIVATE-CANARY".into(),
            private: true,
            ..touchpoint(
                TouchpointKind::Conflict,
                "2024-03-08T12:00:00+00:00",
                vec![zeb],
            )
        },
    );
    reflect(j, private, zeb, -2, -1, "PRIVATE-REFLECTION");
    let decision = entry(
        j,
        NewTouchpoint {
            title: "Move the release".into(),
            affected_groups: vec![
                GroupImpact {
                    group: Group::DirectReport,
                    impact: -1,
                },
                GroupImpact {
                    group: Group::Customer,
                    impact: 2,
                },
            ],
            ..touchpoint(
                TouchpointKind::Decision,
                "2024-03-10T08:00:00+01:00",
                vec![],
            )
        },
    );
    let kept = j
        .add_commitment(
            zeb,
            "Send Zebediah the on-call plan",
            NaiveDate::from_ymd_opt(2024, 3, 20),
            Some(one_on_one),
        )
        .expect("commitment")
        .id;
    j.resolve_commitment(
        kept,
        CommitmentStatus::Kept,
        at("2024-03-15T10:00:00Z").to_utc(),
    )
    .expect("resolve");
    j.add_commitment(zeb, "Follow up in private", None, Some(private))
        .expect("commitment");
    j.add_commitment(ursula, "URSULA-COMMITMENT", None, None)
        .expect("commitment");
    j.add_topic(zeb, "Quartermaine wants a career talk", Some(one_on_one))
        .expect("topic");
    j.add_topic(ursula, "URSULA-TOPIC", None).expect("topic");
    Fixture {
        zeb,
        ana,
        ursula,
        one_on_one,
        shared,
        private,
        decision,
        zeb_reflection,
    }
}

/// Every row of every table, to prove an operation changed nothing.
fn dump(j: &Journal) -> Vec<String> {
    let mut out = Vec::new();
    for table in [
        "meta",
        "people",
        "teams",
        "team_members",
        "touchpoints",
        "touchpoint_tags",
        "participants",
        "reflections",
        "commitments",
        "topics",
        "annotations",
        "exports",
        "initiatives",
        "initiative_people",
        "initiative_touchpoints",
        "initiative_statements",
        "initiative_statement_versions",
        "initiative_guidelines",
        "initiative_guideline_people",
        "initiative_outcomes",
        "initiative_outcome_people",
        "initiative_outcome_touchpoints",
        "initiative_concerns",
        "initiative_plan",
        "initiative_step_touchpoints",
        "initiative_measures",
    ] {
        let mut stmt = j
            .conn()
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .expect("prepare");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..columns)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).expect("cell")))
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .expect("query");
        out.extend(rows.map(|r| r.expect("row")));
    }
    out
}

fn export_to(
    j: &Journal,
    options: &ExportOptions,
    format: ExportFormat,
    encryption: Option<&Encryption>,
    out: &Path,
) -> ExportSummary {
    export(j, options, format, encryption, out, &mut go).expect("export")
}

/// Every file an export wrote, as text (bundles decrypted with `unlock`).
fn read_all(summary: &ExportSummary, unlock: Option<Unlock<'_>>) -> String {
    let mut text = String::new();
    for file in &summary.files {
        let bytes = std::fs::read(file).expect("read export");
        match unlock {
            Some(unlock) if summary.format == ExportFormat::Bundle => {
                let doc = open_bundle(&bytes, unlock).expect("open bundle");
                text.push_str(&serde_json::to_string(&doc).expect("json"));
            }
            _ => text.push_str(&String::from_utf8(bytes).expect("utf-8")),
        }
        text.push('\n');
    }
    text
}

fn json_doc(j: &Journal, options: &ExportOptions) -> ExportDocument {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = export_to(
        j,
        options,
        ExportFormat::Json,
        None,
        &dir.path().join("x.json"),
    );
    open_bundle(
        &std::fs::read(&summary.files[0]).expect("read"),
        Unlock::Passphrase(&pass()),
    )
    .expect("open json")
}

// ---------------------------------------------------------------------------------------------
// Identity

#[test]
fn the_journal_key_is_made_once_and_kept_inside_the_encrypted_database() {
    let (dir, j) = journal();
    let key = j.public_key().expect("public key");
    assert!(key.starts_with("age1"), "an age public key: {key}");
    assert_eq!(j.public_key().expect("again"), key, "made once, then kept");
    assert_eq!(check_public_key(&format!("  {key}\n")).expect("valid"), key);
    assert_eq!(
        check_public_key("age1nonsense").map_err(|e| e.code()),
        Err("invalid_input")
    );
    let secret: String = j
        .conn()
        .query_row("SELECT value FROM meta WHERE key = 'identity'", [], |r| {
            r.get(0)
        })
        .expect("stored");
    assert!(secret.starts_with("AGE-SECRET-KEY-1"));
    drop(j);
    let raw = std::fs::read(dir.path().join("journal").join("journal.db")).expect("db file");
    assert!(
        !raw.windows(16).any(|w| w == b"AGE-SECRET-KEY-1"),
        "the secret key is never on disk in the clear"
    );
    let j = Journal::open(&dir.path().join("journal"), &pass()).expect("reopen");
    assert_eq!(j.public_key().expect("after reopening"), key);
}

// ---------------------------------------------------------------------------------------------
// Selection

#[test]
fn private_entries_and_unselected_people_appear_in_no_format() {
    let (dir, mut j) = journal();
    let f = fixture(&mut j);
    let options = ExportOptions {
        people: vec![f.zeb],
        ..ExportOptions::default()
    };
    let doc = json_doc(&j, &options);
    assert_eq!(
        doc.people.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![f.zeb],
        "only the selected person"
    );
    let ids: Vec<Uuid> = doc.touchpoints.iter().map(|t| t.id).collect();
    assert_eq!(
        ids,
        vec![f.one_on_one, f.shared],
        "no private entry, no decision"
    );
    let shared = doc
        .touchpoints
        .iter()
        .find(|t| t.id == f.shared)
        .expect("shared");
    assert_eq!(
        shared.participants,
        vec![f.zeb],
        "unselected participants dropped"
    );
    assert!(doc.reflections.iter().all(|r| r.person_id == f.zeb));
    assert_eq!(doc.reflections.len(), 2);
    assert!(
        !doc.commitments
            .iter()
            .any(|c| c.what == "Follow up in private"),
        "a commitment made in a private entry stays with it"
    );
    assert!(
        doc.commitments
            .iter()
            .any(|c| c.what == "Send Zebediah the on-call plan"),
        "one made in a shared entry goes"
    );

    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out dir");
    let md_dir = out.join("md");
    let csv_dir = out.join("csv");
    std::fs::create_dir(&md_dir).expect("md dir");
    std::fs::create_dir(&csv_dir).expect("csv dir");
    let bundle_pass = Encryption::Passphrase(Passphrase::new("coach passphrase".into()));
    let coach_pass = Passphrase::new("coach passphrase".into());
    let mut all = String::new();
    for (format, encryption, path) in [
        (ExportFormat::Bundle, Some(&bundle_pass), out.join("coach")),
        (ExportFormat::Json, None, out.join("x.json")),
        (ExportFormat::Html, None, out.join("x.html")),
        (ExportFormat::Markdown, None, out.join("x.md")),
        (ExportFormat::Markdown, None, md_dir.clone()),
        (ExportFormat::Csv, None, csv_dir.clone()),
    ] {
        let summary = export_to(&j, &options, format, encryption, &path);
        assert_eq!(summary.touchpoints, 2);
        all.push_str(&read_all(&summary, Some(Unlock::Passphrase(&coach_pass))));
    }
    assert!(
        out.join("coach.touchpoint").exists(),
        "bundles get their extension"
    );
    assert!(csv_dir.join("touchpoints.csv").exists() && csv_dir.join("reflections.csv").exists());
    for banned in [
        "PRIVATE-CANARY".to_string(),
        "Follow up in private".into(),
        "PRIVATE-TITLE".into(),
        "PRIVATE-REFLECTION".into(),
        "Ursula".into(),
        "URSULA".into(),
        "Ana Lima".into(),
        f.private.to_string(),
        f.ursula.to_string(),
        f.ana.to_string(),
        f.decision.to_string(),
    ] {
        assert!(
            !all.contains(&banned),
            "{banned} must not leave the journal"
        );
    }
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "no partial files: {leftovers:?}");

    // Without a people filter: everyone, and the decision, but still nothing private.
    let doc = json_doc(&j, &ExportOptions::default());
    assert_eq!(doc.people.len(), 3);
    assert_eq!(doc.touchpoints.len(), 3);
    assert!(doc.touchpoints.iter().any(|t| t.id == f.decision));
    assert!(!doc.touchpoints.iter().any(|t| t.id == f.private));
    assert!(!serde_json::to_string(&doc)
        .expect("json")
        .contains("PRIVATE"));

    // Kinds, tags and dates narrow entries; tags match as the journal stores them.
    let doc = json_doc(
        &j,
        &ExportOptions {
            tags: vec!["AI Rollout".into()],
            ..ExportOptions::default()
        },
    );
    assert_eq!(
        doc.touchpoints.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![f.one_on_one]
    );
    assert_eq!(
        doc.people.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![f.zeb]
    );
    let doc = json_doc(
        &j,
        &ExportOptions {
            kinds: vec![TouchpointKind::Decision],
            ..ExportOptions::default()
        },
    );
    assert_eq!(doc.touchpoints.len(), 1);
    assert!(doc.people.is_empty() && doc.commitments.is_empty());
    let doc = json_doc(
        &j,
        &ExportOptions {
            since: Some(at("2024-03-05T00:00:00Z").to_utc()),
            until: Some(at("2024-03-09T00:00:00Z").to_utc()),
            ..ExportOptions::default()
        },
    );
    assert_eq!(
        doc.touchpoints.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![f.shared]
    );
    let bad = export(
        &j,
        &ExportOptions {
            since: Some(at("2024-03-09T00:00:00Z").to_utc()),
            until: Some(at("2024-03-05T00:00:00Z").to_utc()),
            ..ExportOptions::default()
        },
        ExportFormat::Json,
        None,
        &out.join("never.json"),
        &mut go,
    );
    assert_eq!(bad.map_err(|e| e.code()).err(), Some("invalid_input"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_html_report_is_self_contained_escaped_and_explains_balances() {
    let (dir, mut j) = journal();
    let f = fixture(&mut j);
    let path = dir.path().join("report.html");
    let summary = export_to(
        &j,
        &ExportOptions::default(),
        ExportFormat::Html,
        None,
        &path,
    );
    let html = std::fs::read_to_string(&summary.files[0]).expect("read");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("<script"),
        "no scripts, and notes are escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    for external in ["src=", "href=\"http", "url(", "@import", "<link"] {
        assert!(
            !html.contains(external),
            "no external resource ({external})"
        );
    }
    assert!(html.contains("<svg class=\"chart\""), "a balance chart");
    assert!(
        html.contains("How the balance was made"),
        "the explanation table"
    );
    assert!(
        html.contains("balance of what was shared"),
        "says what the balance covers"
    );
    assert!(html.contains(&format!("id=\"p-{}\"", f.zeb)));
    assert!(html.contains(&format!("id=\"r-{}\"", f.zeb_reflection)));
    assert!(html.contains("@media print"));
    assert!(!html.contains("PRIVATE"));
}

#[test]
fn markdown_and_csv_hold_one_entry_per_file_or_row_with_safe_quoting() {
    let (dir, mut j) = journal();
    let f = fixture(&mut j);
    let folder = dir.path().join("md");
    std::fs::create_dir(&folder).expect("dir");
    let summary = export_to(
        &j,
        &ExportOptions::default(),
        ExportFormat::Markdown,
        None,
        &folder,
    );
    assert_eq!(summary.files.len(), 4, "three entries and an index");
    let entry = summary
        .files
        .iter()
        .find(|p| p.contains("one-on-one"))
        .expect("the one-on-one");
    let text = std::fs::read_to_string(entry).expect("read");
    let front: Vec<&str> = text.lines().skip(1).take_while(|l| *l != "---").collect();
    assert!(text.starts_with("---\n"));
    assert!(front.contains(&format!("id: \"{}\"", f.one_on_one).as_str()));
    assert!(front.contains(&"occurred_at: \"2024-03-04T09:30:00+05:30\""));
    assert!(front.contains(&"  - \"Zebediah Quartermaine\""));
    assert!(front.contains(&"    willingness: 1") && front.contains(&"    ability: -1"));
    for line in &front {
        if let Some((_, value)) = line.split_once(": ") {
            if value.starts_with('"') {
                serde_json::from_str::<String>(value)
                    .unwrap_or_else(|e| panic!("{line:?} is not a safely quoted string: {e}"));
            }
        }
    }

    let summary = export_to(
        &j,
        &ExportOptions::default(),
        ExportFormat::Csv,
        None,
        &dir.path().join("journal.csv"),
    );
    assert!(summary.files[0].ends_with("journal-touchpoints.csv"));
    assert!(summary.files[1].ends_with("journal-reflections.csv"));
    let mut touchpoints = csv::Reader::from_path(&summary.files[0]).expect("csv");
    let rows: Vec<csv::StringRecord> = touchpoints.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&touchpoints.headers().expect("headers")[0], "id");
    let mut reflections = csv::Reader::from_path(&summary.files[1]).expect("csv");
    let rows: Vec<csv::StringRecord> = reflections.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4, "one row per exported reflection");
    assert!(rows
        .iter()
        .any(|r| r.iter().any(|c| c.contains("\"finally\""))));
}

// ---------------------------------------------------------------------------------------------
// Pseudonymisation

#[test]
fn a_pseudonymised_export_never_names_the_person_in_any_format() {
    let (dir, mut j) = journal();
    let f = fixture(&mut j);
    let options = ExportOptions {
        pseudonymise: true,
        ..ExportOptions::default()
    };
    let doc = json_doc(&j, &options);
    let zeb = doc.people.iter().find(|p| p.id == f.zeb).expect("zeb");
    assert_eq!(
        zeb.name, "Person A",
        "labels follow the people's creation order"
    );
    assert!(zeb.emails.is_empty());
    assert!(
        zeb.teams.contains(&"Person A's squad".to_string()),
        "{:?}",
        zeb.teams
    );
    assert!(
        zeb.teams.contains(&"Platform".to_string()),
        "other team names are kept"
    );
    let one = doc
        .touchpoints
        .iter()
        .find(|t| t.id == f.one_on_one)
        .expect("entry");
    assert_eq!(one.title, "One-on-one with Person A");
    assert!(one
        .notes
        .starts_with("Person A raised the on-call load. Person A wants"));

    let own = Encryption::Recipients(vec![j.public_key().expect("key")]);
    let folder = dir.path().join("md");
    std::fs::create_dir(&folder).expect("dir");
    let mut all = String::new();
    for (format, encryption, path) in [
        (
            ExportFormat::Bundle,
            Some(&own),
            dir.path().join("x.touchpoint"),
        ),
        (ExportFormat::Json, None, dir.path().join("x.json")),
        (ExportFormat::Html, None, dir.path().join("x.html")),
        (ExportFormat::Markdown, None, dir.path().join("x.md")),
        (ExportFormat::Markdown, None, folder.clone()),
        (ExportFormat::Csv, None, dir.path().join("x")),
    ] {
        let summary = export_to(&j, &options, format, encryption, &path);
        assert!(summary.pseudonymised);
        for file in &summary.files {
            assert!(
                !file.to_lowercase().contains("zebediah"),
                "file name {file}"
            );
        }
        all.push_str(&read_all(&summary, Some(Unlock::Identity(&j))));
    }
    let lower = all.to_lowercase();
    for canary in [
        "zebediah",
        "quartermaine",
        "zeb.q@",
        "ursula",
        "ana lima",
        "example.com",
    ] {
        assert!(
            !lower.contains(canary),
            "{canary} leaked into a pseudonymised export"
        );
    }
    assert!(all.contains("Person A"));
    assert!(
        import_refused(&mut j, &doc),
        "a pseudonymised export cannot be imported over real names"
    );
}

fn import_refused(j: &mut Journal, doc: &ExportDocument) -> bool {
    let before = dump(j);
    let refused = matches!(
        j.import_document(doc, &mut go),
        Err(ExchangeError::WrongDocument(_))
    );
    refused && dump(j) == before
}

// ---------------------------------------------------------------------------------------------
// Import

#[test]
fn an_export_imports_into_an_empty_journal_and_a_second_import_changes_nothing() {
    let (_d1, mut source) = journal();
    let f = fixture(&mut source);
    let doc = json_doc(&source, &ExportOptions::default());
    let (_d2, mut target) = journal();
    let summary = target.import_document(&doc, &mut go).expect("import");
    assert_eq!(summary.people.added, 3);
    assert_eq!(summary.touchpoints.added, 3);
    assert_eq!(summary.reflections.added, 4);
    assert_eq!(
        summary.commitments.added, 2,
        "the one made in the private entry stays behind"
    );
    assert_eq!(summary.topics.added, 2);
    let imported = target.touchpoint(f.one_on_one).expect("entry");
    assert_eq!(
        imported.occurred_at.to_rfc3339(),
        "2024-03-04T09:30:00+05:30"
    );
    assert_eq!(imported.tags, vec!["ai-rollout"]);
    assert_eq!(
        target.person(f.zeb).expect("zeb"),
        source.person(f.zeb).expect("zeb")
    );
    let now = at("2024-04-01T00:00:00Z").to_utc();
    let scope = Scope::Person { id: f.zeb };
    assert_eq!(
        target.balance(&scope, now).expect("balance").events,
        doc.balance(f.zeb, now).events
    );

    let before = dump(&target);
    let again = target.import_document(&doc, &mut go).expect("again");
    assert_eq!(again.changed(), 0, "{again:?}");
    assert_eq!(again.touchpoints.unchanged, 3);
    assert_eq!(
        dump(&target),
        before,
        "the second import leaves the database identical"
    );

    // Back into the journal it came from, even filtered: nothing changes, nothing is lost.
    let before = dump(&source);
    let filtered = json_doc(
        &source,
        &ExportOptions {
            people: vec![f.zeb],
            ..ExportOptions::default()
        },
    );
    let summary = source
        .import_document(&filtered, &mut go)
        .expect("into source");
    assert_eq!(summary.changed(), 0, "{summary:?}");
    assert_eq!(dump(&source), before);
    assert_eq!(
        source
            .touchpoint(f.shared)
            .expect("shared")
            .participants
            .len(),
        3,
        "participants the export left out are kept"
    );

    // A person matched by name keeps their id; the entries follow them.
    let (_d3, mut other) = journal();
    let local_zeb = person(&mut other, "zebediah quartermaine", NewPerson::default());
    let summary = other.import_document(&doc, &mut go).expect("by name");
    assert_eq!(summary.people.added, 2);
    assert_eq!(summary.people.unchanged, 1);
    assert_eq!(
        other.touchpoint(f.one_on_one).expect("entry").participants,
        vec![local_zeb]
    );
    assert_eq!(
        other
            .reflection(f.one_on_one, local_zeb)
            .expect("reflection")
            .willingness,
        1
    );
}

#[test]
fn a_cancelled_import_or_export_changes_and_leaves_nothing() {
    let (dir, mut source) = journal();
    fixture(&mut source);
    let doc = json_doc(&source, &ExportOptions::default());
    let (_d2, mut target) = journal();
    person(&mut target, "Already Here", NewPerson::default());
    let before = dump(&target);
    for stop_at in ["checking", "writing"] {
        let mut stop = |p: Progress| {
            if p.stage == stop_at {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let result = target.import_document(&doc, &mut stop);
        assert!(
            matches!(result, Err(ExchangeError::Cancelled)),
            "{stop_at}: {result:?}"
        );
        assert_eq!(result.err().map(|e| e.code()), Some("cancelled"));
        assert_eq!(
            dump(&target),
            before,
            "cancelled while {stop_at}: nothing changed"
        );
    }
    let mut seen = Vec::new();
    target
        .import_document(&doc, &mut |p| {
            seen.push(p);
            ControlFlow::Continue(())
        })
        .expect("import");
    let last = seen.last().expect("progress reported");
    assert_eq!(
        (last.stage.as_str(), last.done, last.total),
        ("writing", 14, 14),
        "3 people, 3 entries, 4 reflections, 2 commitments (not the one made in the private \
         entry), 2 topics"
    );

    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    let mut stop = |p: Progress| {
        if p.stage == "writing" && p.done == 1 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let result = export(
        &source,
        &ExportOptions::default(),
        ExportFormat::Csv,
        None,
        &out,
        &mut stop,
    );
    assert!(matches!(result, Err(ExchangeError::Cancelled)));
    assert!(
        walk(&out).is_empty(),
        "a cancelled export leaves no file behind"
    );
}

#[test]
fn damaged_foreign_and_newer_files_are_refused_clearly_and_import_nothing() {
    let (dir, mut source) = journal();
    let f = fixture(&mut source);
    let (_d2, mut target) = journal();
    let target_key = target.public_key().expect("key");
    let before = dump(&target);
    let write = |name: &str, format, encryption: Option<&Encryption>| {
        let summary = export_to(
            &source,
            &ExportOptions::default(),
            format,
            encryption,
            &dir.path().join(name),
        );
        std::fs::read(&summary.files[0]).expect("read")
    };
    let to_target = write(
        "to-target.touchpoint",
        ExportFormat::Bundle,
        Some(&Encryption::Recipients(vec![target_key.clone()])),
    );
    let to_source = write(
        "to-source.touchpoint",
        ExportFormat::Bundle,
        Some(&Encryption::Recipients(vec![source
            .public_key()
            .expect("key")])),
    );
    let with_pass = write(
        "pass.touchpoint",
        ExportFormat::Bundle,
        Some(&Encryption::Passphrase(Passphrase::new("right one".into()))),
    );
    let json = write("plain.json", ExportFormat::Json, None);
    assert_eq!(inspect(&to_target).expect("kind"), FileKind::KeyBundle);
    assert_eq!(
        inspect(&with_pass).expect("kind"),
        FileKind::PassphraseBundle
    );
    assert_eq!(inspect(&json).expect("kind"), FileKind::Json);

    let right = Passphrase::new("right one".into());
    let wrong = Passphrase::new("wrong one".into());
    let mut newer: Value = serde_json::from_slice(&json).expect("json");
    newer["version"] = 99.into();
    let newer = serde_json::to_vec(&newer).expect("json");
    let newer_bundle = bundle::encrypt(&newer, &Encryption::Recipients(vec![target_key.clone()]))
        .expect("encrypt");
    let mut tampered = to_target.clone();
    let n = tampered.len();
    tampered[n - 20] ^= 0x01;
    let mut dangling: Value = serde_json::from_slice(&json).expect("json");
    dangling["people"] = Value::Array(Vec::new());
    let dangling = serde_json::to_vec(&dangling).expect("json");
    let review = ReviewSession::new(open_bundle(&json, Unlock::Identity(&target)).expect("open"))
        .and_then(|mut s| {
            s.annotate(f.one_on_one, "hello")?;
            sign(&mut s);
            s.review_document("Coach", Utc::now())
        })
        .expect("review");
    let review = serde_json::to_vec(&review).expect("json");

    let cases: Vec<(&str, Vec<u8>, Unlock<'_>, &str, &str)> = vec![
        (
            "truncated bundle",
            to_target[..to_target.len() / 2].to_vec(),
            Unlock::Identity(&target),
            "file_damaged",
            "truncated",
        ),
        (
            "bundle cut in its header",
            to_target[..60].to_vec(),
            Unlock::Identity(&target),
            "file_damaged",
            "",
        ),
        (
            "altered bundle",
            tampered,
            Unlock::Identity(&target),
            "file_damaged",
            "altered",
        ),
        (
            "bundle to another key",
            to_source,
            Unlock::Identity(&target),
            "wrong_key",
            "encrypted to a different key",
        ),
        (
            "wrong passphrase",
            with_pass.clone(),
            Unlock::Passphrase(&wrong),
            "wrong_passphrase",
            "wrong passphrase",
        ),
        (
            "passphrase bundle opened with a key",
            with_pass.clone(),
            Unlock::Identity(&target),
            "needs_passphrase",
            "passphrase",
        ),
        (
            "key bundle opened with a passphrase",
            to_target.clone(),
            Unlock::Passphrase(&right),
            "wrong_key",
            "not to a passphrase",
        ),
        (
            "JSON of version 99",
            newer,
            Unlock::Identity(&target),
            "newer_format",
            "made by a newer Touchpoint (version 99",
        ),
        (
            "bundle of version 99",
            newer_bundle,
            Unlock::Identity(&target),
            "newer_format",
            "version 99",
        ),
        (
            "truncated JSON",
            json[..json.len() / 2].to_vec(),
            Unlock::Identity(&target),
            "file_damaged",
            "truncated",
        ),
        (
            "JSON naming people it lacks",
            dangling,
            Unlock::Identity(&target),
            "file_damaged",
            "not in it",
        ),
        (
            "other JSON",
            br#"{"hello": "world"}"#.to_vec(),
            Unlock::Identity(&target),
            "not_touchpoint",
            "not a Touchpoint file",
        ),
        (
            "plain text",
            b"Dear diary".to_vec(),
            Unlock::Identity(&target),
            "not_touchpoint",
            "not a Touchpoint file",
        ),
        (
            "an image",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            Unlock::Identity(&target),
            "not_touchpoint",
            "",
        ),
        (
            "an empty file",
            Vec::new(),
            Unlock::Identity(&target),
            "not_touchpoint",
            "empty",
        ),
        (
            "a review where an export belongs",
            review,
            Unlock::Identity(&target),
            "wrong_document",
            "review",
        ),
    ];
    for (what, bytes, unlock, code, message) in cases {
        let err = open_bundle(&bytes, unlock).expect_err(what);
        assert_eq!(err.code(), code, "{what}: {err}");
        assert!(
            err.to_string().contains(message),
            "{what}: {err:?} should say {message:?}"
        );
    }
    assert_eq!(dump(&target), before, "nothing was imported");

    // The good ones open, and only then import.
    let doc = open_bundle(&with_pass, Unlock::Passphrase(&right)).expect("right passphrase");
    let same = open_bundle(&to_target, Unlock::Identity(&target)).expect("right key");
    assert_eq!(doc.touchpoints, same.touchpoints);
    target.import_document(&doc, &mut go).expect("import");
    assert_eq!(target.people(true).expect("people").len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Review

#[test]
fn a_coach_review_travels_back_to_the_leader_and_shows_once() {
    let (dir, mut leader) = journal();
    let f = fixture(&mut leader);
    let (_d2, coach) = journal();
    let bundle = export_to(
        &leader,
        &ExportOptions::default(),
        ExportFormat::Bundle,
        Some(&Encryption::Recipients(vec![coach
            .public_key()
            .expect("coach key")])),
        &dir.path().join("for-coach"),
    );
    let bytes = std::fs::read(&bundle.files[0]).expect("read");
    assert!(
        matches!(
            ReviewSession::open(&bytes, Unlock::Identity(&leader)),
            Err(ExchangeError::WrongKey(_))
        ),
        "only the coach can open it"
    );
    let mut session = ReviewSession::open(&bytes, Unlock::Identity(&coach)).expect("open");
    let now = at("2024-04-01T00:00:00Z").to_utc();
    let people = session.people(now);
    let zeb = people.iter().find(|p| p.person.id == f.zeb).expect("zeb");
    assert_eq!(zeb.touchpoints, 2);
    assert_eq!(
        zeb.balance,
        session.balance(f.zeb, now).expect("balance").balance
    );
    let deltas = |events: Vec<crate::balance::ExplainedEvent>| -> Vec<(Uuid, f64)> {
        events.into_iter().map(|e| (e.source_id, e.delta)).collect()
    };
    let leader_report = leader
        .balance(&Scope::Person { id: f.zeb }, now)
        .expect("leader balance");
    assert_eq!(
        deltas(session.balance(f.zeb, now).expect("balance").events),
        deltas(leader_report.events)
            .into_iter()
            .filter(|(id, _)| *id != f.private)
            .collect::<Vec<_>>(),
        "the coach sees the balance of what was shared"
    );
    assert_ne!(
        zeb.balance, leader_report.balance,
        "which leaves out the private entry"
    );
    let timeline = session.timeline(None);
    assert_eq!(
        timeline.first().map(|t| t.id),
        Some(f.decision),
        "newest first"
    );
    assert_eq!(session.timeline(Some(f.ana)).len(), 1);
    assert_eq!(session.person_by_name("zeb").expect("prefix").id, f.zeb);
    let detail = session.touchpoint_detail(f.one_on_one).expect("detail");
    assert_eq!(detail.reflections.len(), 1);
    assert_eq!(detail.commitments.len(), 1);
    assert_eq!(detail.participant_names, vec!["Zebediah Quartermaine"]);

    session
        .annotate(f.one_on_one, "Good repair after the on-call talk.")
        .expect("annotate");
    session
        .annotate(f.zeb_reflection, "Ask what 'heard' meant.")
        .expect("annotate");
    let dropped = session.annotate(f.shared, "draft").expect("annotate");
    session.remove_annotation(dropped.id).expect("remove");
    assert_eq!(
        session
            .annotate(Uuid::nil(), "nowhere")
            .map_err(|e| e.code())
            .err(),
        Some("not_found")
    );
    assert_eq!(
        session.annotate(f.shared, "  ").map_err(|e| e.code()).err(),
        Some("invalid_input")
    );
    assert_eq!(session.annotations_for(f.one_on_one).len(), 1);
    let mut resumed = ReviewSession::new(session.document().clone()).expect("session");
    resumed
        .restore_annotations(session.new_annotations().to_vec())
        .expect("drafts come back");
    assert_eq!(resumed.new_annotations(), session.new_annotations());
    let mut stray = session.new_annotations()[0].clone();
    stray.target_id = Uuid::nil();
    assert_eq!(
        resumed
            .restore_annotations(vec![stray])
            .map_err(|e| e.code())
            .err(),
        Some("not_found")
    );
    let review_path = session
        .export_review("Coach Carol", &dir.path().join("review"))
        .expect("export review");
    assert_eq!(
        review_path.extension().and_then(|e| e.to_str()),
        Some(REVIEW_EXTENSION)
    );
    let review = std::fs::read(&review_path).expect("read");
    assert_eq!(inspect(&review).expect("kind"), FileKind::KeyBundle);

    let before = Utc::now() - Duration::seconds(1);
    let summary = leader.import_review(&review).expect("import review");
    assert_eq!(summary.reviewer, "Coach Carol");
    assert_eq!(summary.annotations.added, 2);
    let comments = leader.annotations_for(f.one_on_one).expect("comments");
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].author, "Coach Carol");
    assert_eq!(comments[0].text, "Good repair after the on-call talk.");
    assert_eq!(
        leader
            .annotations_for(f.zeb_reflection)
            .expect("comments")
            .len(),
        1
    );
    let fresh = leader.new_annotations_since(before).expect("new");
    assert_eq!(fresh.len(), 2);
    assert!(fresh.iter().all(|c| c.touchpoint_id == f.one_on_one));
    assert_eq!(
        fresh[0].touchpoint_title,
        "One-on-one with Zebediah Quartermaine"
    );
    assert!(leader
        .new_annotations_since(Utc::now() + Duration::seconds(5))
        .expect("none")
        .is_empty());

    let again = leader.import_review(&review).expect("again");
    assert_eq!(again.annotations.unchanged, 2);
    assert_eq!(again.annotations.added + again.annotations.updated, 0);
    assert_eq!(leader.new_annotations_since(before).expect("new").len(), 2);
    assert!(matches!(
        leader.import_document(&open_bundle(&bytes, Unlock::Identity(&coach)).expect("open"), &mut go),
        Ok(s) if s.changed() == 0
    ));

    // The comments travel with the next export, beside their entries.
    let doc = json_doc(&leader, &ExportOptions::default());
    assert_eq!(doc.annotations.len(), 2);
    let html = std::fs::read_to_string(
        &export_to(
            &leader,
            &ExportOptions::default(),
            ExportFormat::Html,
            None,
            &dir.path().join("r.html"),
        )
        .files[0],
    )
    .expect("html");
    assert!(html.contains("Good repair after the on-call talk."));

    // A review is for the leader only; nor is an export a review.
    let mut coach = coach;
    assert_eq!(
        coach.import_review(&review).map_err(|e| e.code()).err(),
        Some("wrong_key")
    );
    assert_eq!(
        leader
            .import_review(&std::fs::read(&bundle.files[0]).expect("read"))
            .map_err(|e| e.code())
            .err(),
        Some("wrong_key"),
        "the leader cannot even open the coach's bundle"
    );
}

// ---------------------------------------------------------------------------------------------
// Round trip, for any small journal

/// A small random journal: people, entries in several offsets with reflections, commitments,
/// topics, and which people and dates to export.
#[derive(Debug, Clone)]
struct Plan {
    people: Vec<usize>,
    entries: Vec<EntryPlan>,
    commitments: Vec<(usize, usize, Option<usize>, i64)>,
    topics: Vec<(usize, bool, Option<usize>)>,
    select: Vec<bool>,
    since_day: Option<i64>,
    bundle: bool,
}

#[derive(Debug, Clone)]
struct EntryPlan {
    kind: usize,
    offset_minutes: i32,
    day: i64,
    minute: i64,
    members: Vec<bool>,
    private: bool,
    tagged: bool,
    ratings: Vec<Option<(i32, i32, bool)>>,
    impact: i32,
}

fn entry_plan() -> impl Strategy<Value = EntryPlan> {
    (
        0usize..6,
        prop::sample::select(vec![330, -480, 0, 585, -210, 60]),
        0i64..120,
        0i64..1440,
        prop::collection::vec(any::<bool>(), 4),
        prop::bool::weighted(0.2),
        any::<bool>(),
        prop::collection::vec(prop::option::of((-2i32..=2, -2i32..=2, any::<bool>())), 4),
        -2i32..=2,
    )
        .prop_map(
            |(kind, offset_minutes, day, minute, members, private, tagged, ratings, impact)| {
                EntryPlan {
                    kind,
                    offset_minutes,
                    day,
                    minute,
                    members,
                    private,
                    tagged,
                    ratings,
                    impact,
                }
            },
        )
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec(0usize..6, 1..4),
        prop::collection::vec(entry_plan(), 0..6),
        prop::collection::vec(
            (0usize..4, 0usize..4, prop::option::of(0usize..6), 0i64..120),
            0..4,
        ),
        prop::collection::vec(
            (0usize..4, any::<bool>(), prop::option::of(0usize..6)),
            0..3,
        ),
        prop::collection::vec(any::<bool>(), 4),
        prop::option::of(0i64..120),
        any::<bool>(),
    )
        .prop_map(
            |(people, entries, commitments, topics, select, since_day, bundle)| Plan {
                people,
                entries,
                commitments,
                topics,
                select,
                since_day,
                bundle,
            },
        )
}

fn base() -> DateTime<Utc> {
    at("2024-01-01T00:00:00Z").to_utc()
}

/// Builds the planned journal; returns the people's and entries' ids.
fn build(j: &mut Journal, plan: &Plan) -> (Vec<Uuid>, Vec<Uuid>) {
    let groups = Group::ALL;
    let people: Vec<Uuid> = plan
        .people
        .iter()
        .enumerate()
        .map(|(i, g)| {
            person(
                j,
                &format!("Member{i} Tester"),
                NewPerson {
                    group: Some(groups[*g]),
                    teams: if i % 2 == 0 {
                        vec!["Core".into()]
                    } else {
                        Vec::new()
                    },
                    emails: vec![format!("m{i}@example.org")],
                    ..NewPerson::default()
                },
            )
        })
        .collect();
    let mut entries = Vec::new();
    for (n, e) in plan.entries.iter().enumerate() {
        let kind = TouchpointKind::ALL[e.kind];
        let offset = FixedOffset::east_opt(e.offset_minutes * 60).expect("offset");
        let when = offset.from_utc_datetime(
            &(base() + Duration::days(e.day) + Duration::minutes(e.minute)).naive_utc(),
        );
        let members: Vec<Uuid> = people
            .iter()
            .zip(&e.members)
            .filter(|(_, m)| **m)
            .map(|(p, _)| *p)
            .collect();
        let id = entry(
            j,
            NewTouchpoint {
                kind,
                occurred_at: Some(when),
                duration_minutes: Some(15 + n as u32),
                title: format!("Entry {n}"),
                participants: members.clone(),
                team: (n % 3 == 0).then(|| "Core".to_string()),
                affected_groups: if kind == TouchpointKind::Decision {
                    vec![GroupImpact {
                        group: Group::Customer,
                        impact: e.impact,
                    }]
                } else {
                    Vec::new()
                },
                notes: format!("Notes of entry {n}"),
                tags: if e.tagged {
                    vec!["focus".into()]
                } else {
                    Vec::new()
                },
                private: e.private,
                source: String::new(),
                state: None,
            },
        );
        for (p, rating) in members.iter().zip(&e.ratings) {
            if let Some((w, a, adversarial)) = rating {
                j.reflect(NewReflection {
                    touchpoint_id: id,
                    person_id: *p,
                    answers: vec![PromptAnswer {
                        prompt: "How did it land?".into(),
                        answer: format!("Answer {n}"),
                    }],
                    their_side: format!("Side {n}"),
                    willingness: *w,
                    ability: *a,
                    adversarial: *adversarial,
                    would_have_helped: String::new(),
                    next_time: "More time".into(),
                })
                .expect("reflect");
            }
        }
        entries.push(id);
    }
    for (i, (p, status, link, day)) in plan.commitments.iter().enumerate() {
        let person = people[p % people.len()];
        let link = link.and_then(|l| entries.get(l).copied());
        let c = j
            .add_commitment(
                person,
                &format!("Promise {i}"),
                NaiveDate::from_ymd_opt(2024, 2, 1),
                link,
            )
            .expect("commitment");
        let status = [
            CommitmentStatus::Open,
            CommitmentStatus::Kept,
            CommitmentStatus::Broken,
            CommitmentStatus::Renegotiated,
        ][*status];
        if status != CommitmentStatus::Open {
            j.resolve_commitment(c.id, status, base() + Duration::days(*day))
                .expect("resolve");
        }
    }
    for (i, (p, closed, link)) in plan.topics.iter().enumerate() {
        let person = people[p % people.len()];
        let link = link.and_then(|l| entries.get(l).copied());
        let t = j
            .add_topic(person, &format!("Topic {i}"), link)
            .expect("topic");
        if *closed {
            j.close_topic(t.id, true).expect("close");
        }
    }
    initiatives::rollout_over(j, &people, &entries);
    (people, entries)
}

fn value<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("serialise")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Whatever a small journal holds and whatever part of it is chosen, exporting (as JSON or
    /// as a bundle) and importing into an empty journal gives back exactly the chosen records:
    /// same ids, same times in the same offsets, same ratings and so the same balances; and a
    /// second import changes nothing.
    #[test]
    fn exported_data_comes_back_identical_in_an_empty_journal(plan in plan()) {
        let (dir, mut source) = journal();
        let (people, _entries) = build(&mut source, &plan);
        let (_d2, mut target) = journal();
        let selected: Vec<Uuid> = people
            .iter()
            .zip(&plan.select)
            .filter(|(_, s)| **s)
            .map(|(p, _)| *p)
            .collect();
        let options = ExportOptions {
            people: selected.clone(),
            since: plan.since_day.map(|d| base() + Duration::days(d)),
            ..ExportOptions::default()
        };
        let (format, encryption, name) = if plan.bundle {
            (
                ExportFormat::Bundle,
                Some(Encryption::Recipients(vec![target.public_key().expect("key")])),
                "x.touchpoint",
            )
        } else {
            (ExportFormat::Json, None, "x.json")
        };
        let summary = export_to(&source, &options, format, encryption.as_ref(), &dir.path().join(name));
        let bytes = std::fs::read(&summary.files[0]).expect("read");
        let doc = open_bundle(&bytes, Unlock::Identity(&target)).expect("open");
        prop_assert!(!doc.touchpoints.iter().any(|t| t.private));
        target.import_document(&doc, &mut go).expect("import");

        let full = selected.is_empty() && plan.since_day.is_none();
        let keep = |p: &Uuid| selected.is_empty() || selected.contains(p);
        for t in &doc.touchpoints {
            let mut original = source.touchpoint(t.id).expect("source entry");
            original.participants.retain(keep);
            prop_assert_eq!(value(&target.touchpoint(t.id).expect("imported")), value(&original));
            prop_assert_eq!(value(t), value(&original));
        }
        for r in &doc.reflections {
            let original = source.reflection(r.touchpoint_id, r.person_id).expect("source");
            prop_assert_eq!(value(&target.reflection(r.touchpoint_id, r.person_id).expect("imported")), value(&original));
        }
        for c in &doc.commitments {
            let mut original = source.commitment(c.id).expect("source");
            original.touchpoint_id = c.touchpoint_id;
            prop_assert_eq!(value(&target.commitment(c.id).expect("imported")), value(&original));
        }
        let mut topics = target.topics(None, false).expect("topics");
        topics.sort_by_key(|t| t.id);
        let mut expected = doc.topics.clone();
        expected.sort_by_key(|t| t.id);
        prop_assert_eq!(value(&topics), value(&expected));
        for p in &doc.people {
            prop_assert_eq!(value(&target.person(p.id).expect("imported")), value(&source.person(p.id).expect("source")));
        }
        prop_assert_eq!(target.people(true).expect("people").len(), doc.people.len());
        let all = TimelineFilter { limit: Some(1000), ..TimelineFilter::default() };
        prop_assert_eq!(target.timeline(&all).expect("timeline").len(), doc.touchpoints.len());
        if full {
            let public = source.timeline(&all).expect("timeline").iter().filter(|t| !t.private).count();
            prop_assert_eq!(doc.touchpoints.len(), public, "a full export has every shareable entry");
        }

        let now = base() + Duration::days(400);
        let nothing_private = !plan.entries.iter().any(|e| e.private);
        for p in &doc.people {
            let scope = Scope::Person { id: p.id };
            let imported = target.balance(&scope, now).expect("balance");
            prop_assert_eq!(value(&imported), value(&doc.balance(p.id, now)));
            if full && nothing_private {
                prop_assert_eq!(value(&imported), value(&source.balance(&scope, now).expect("source balance")));
            }
        }

        for i in &doc.initiatives {
            let got = target.initiative_record(i.id).expect("read").expect("imported");
            prop_assert_eq!(value(&initiatives::whole(got)), value(&initiatives::whole(i.clone())));
            if full && nothing_private {
                let original = source.initiative_record(i.id).expect("read").expect("source");
                prop_assert_eq!(value(&initiatives::whole(original)), value(&initiatives::whole(i.clone())));
            }
        }
        if !doc.touchpoints.is_empty() {
            prop_assert_eq!(doc.initiatives.len(), 1, "every entry is linked to the roll-out");
        }

        let before = dump(&target);
        let again = target.import_document(&doc, &mut go).expect("again");
        prop_assert_eq!(again.changed(), 0);
        prop_assert_eq!(dump(&target), before);
    }
}

// ---------------------------------------------------------------------------------------------
// The committed JSON Schemas

/// A validator for the part of JSON Schema the committed schemas use. It refuses keywords it
/// does not know, so the schemas cannot say more than this test checks.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    const KNOWN: &[&str] = &[
        "$schema",
        "$id",
        "title",
        "description",
        "$defs",
        "$ref",
        "type",
        "const",
        "enum",
        "anyOf",
        "format",
        "pattern",
        "minimum",
        "maximum",
        "minLength",
        "properties",
        "required",
        "additionalProperties",
        "items",
    ];
    let schema = schema.as_object().expect("a schema is an object");
    for key in schema.keys() {
        assert!(
            KNOWN.contains(&key.as_str()),
            "unknown schema keyword {key} at {path}"
        );
    }
    let mut fail = |m: String| errors.push(format!("{path}: {m}"));
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local reference");
        let target = root["$defs"]
            .get(name)
            .unwrap_or_else(|| panic!("no definition {name}"));
        validate(root, target, value, path, errors);
        return;
    }
    if let Some(c) = schema.get("const") {
        if value != c {
            fail(format!("{value} is not {c}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            fail(format!("{value} is not one of {e:?}"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type at {path}"),
        };
        let ok = types.iter().any(|t| match *t {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            other => panic!("unknown type {other}"),
        });
        if !ok {
            fail(format!("{value} is not of type {types:?}"));
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let ok = any.iter().any(|s| {
            let mut e = Vec::new();
            validate(root, s, value, path, &mut e);
            e.is_empty()
        });
        if !ok {
            errors.push(format!("{path}: {value} matches none of anyOf"));
        }
    }
    if let (Some(format), Some(s)) = (schema.get("format").and_then(Value::as_str), value.as_str())
    {
        let ok = match format {
            "uuid" => Uuid::parse_str(s).is_ok() && s == s.to_lowercase(),
            "date-time" => DateTime::parse_from_rfc3339(s).is_ok(),
            "date" => s.parse::<NaiveDate>().is_ok(),
            other => panic!("unknown format {other}"),
        };
        if !ok {
            errors.push(format!("{path}: {s:?} is not a {format}"));
        }
    }
    if let (Some(pattern), Some(s)) = (
        schema.get("pattern").and_then(Value::as_str),
        value.as_str(),
    ) {
        let ok = match pattern {
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" => {
                s.len() == 36 && Uuid::parse_str(s).is_ok() && s == s.to_lowercase()
            }
            "^age1[02-9ac-hj-np-z]+$" => {
                s.len() > 4
                    && s.starts_with("age1")
                    && s[4..]
                        .chars()
                        .all(|c| "qpzry9x8gf2tvdw0s3jn54khce6mua7l".contains(c))
            }
            other => panic!("the test knows no pattern {other}"),
        };
        if !ok {
            errors.push(format!("{path}: {s:?} does not match {pattern}"));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            errors.push(format!("{path}: {n} is below the minimum"));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            errors.push(format!("{path}: {n} is above the maximum"));
        }
    }
    if let (Some(min), Some(s)) = (
        schema.get("minLength").and_then(Value::as_u64),
        value.as_str(),
    ) {
        if (s.chars().count() as u64) < min {
            errors.push(format!("{path}: {s:?} is too short"));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = required.as_str().expect("name");
            if !object.contains_key(key) {
                errors.push(format!("{path}: missing {key}"));
            }
        }
        for (key, v) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => validate(root, s, v, &format!("{path}.{key}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: unexpected property {key}"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            validate(root, items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("a schema is JSON")
}

fn check_against(schema: &Value, doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(schema, schema, doc, "$", &mut errors);
    errors
}

/// Every object in a schema requires all its properties (the documents always write every
/// field) and forbids others, so schema and code cannot drift apart silently.
fn assert_closed_objects(node: &Value, path: &str) {
    match node {
        Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(Value::as_object) {
                let mut required: Vec<&str> = map["required"]
                    .as_array()
                    .expect("required list")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
                required.sort_unstable();
                names.sort_unstable();
                assert_eq!(required, names, "{path} requires every property");
                assert_eq!(
                    map.get("additionalProperties"),
                    Some(&Value::Bool(false)),
                    "{path} is closed"
                );
            }
            for (k, v) in map {
                assert_closed_objects(v, &format!("{path}/{k}"));
            }
        }
        Value::Array(items) => items.iter().for_each(|v| assert_closed_objects(v, path)),
        _ => {}
    }
}

#[test]
fn the_committed_schemas_describe_exactly_what_is_written() {
    let export_schema = schema("touchpoint-export-v2.schema.json");
    let review_schema = schema("touchpoint-review-v2.schema.json");
    assert_closed_objects(&schema("touchpoint-export-v1.schema.json"), "export v1");
    assert_closed_objects(&export_schema, "export");
    assert_closed_objects(&review_schema, "review");
    assert_eq!(
        export_schema["properties"]["version"]["const"],
        EXPORT_VERSION
    );
    assert_eq!(
        review_schema["properties"]["version"]["const"],
        REVIEW_VERSION
    );

    let (_dir, mut j) = journal();
    let f = fixture(&mut j);
    initiatives::rollout(&mut j, &f);
    for options in [
        ExportOptions::default(),
        ExportOptions {
            pseudonymise: true,
            people: vec![f.zeb],
            kinds: vec![TouchpointKind::OneOnOne],
            tags: vec!["ai-rollout".into()],
            since: Some(base()),
            until: Some(base() + Duration::days(365)),
        },
    ] {
        let doc = value(&json_doc(&j, &options));
        let errors = check_against(&export_schema, &doc);
        assert!(
            errors.is_empty(),
            "export does not match its schema: {errors:#?}"
        );
    }
    let doc = json_doc(&j, &ExportOptions::default());
    let mut session = ReviewSession::new(doc).expect("session");
    session
        .annotate(f.one_on_one, "Well handled.")
        .expect("annotate");
    sign(&mut session);
    let review = value(
        &session
            .review_document("Coach", Utc::now())
            .expect("review"),
    );
    let errors = check_against(&review_schema, &review);
    assert!(
        errors.is_empty(),
        "review does not match its schema: {errors:#?}"
    );

    // The validator is not a pushover.
    let mut extra = value(&json_doc(&j, &ExportOptions::default()));
    extra["surprise"] = Value::Bool(true);
    extra["touchpoints"][0]["kind"] = "party".into();
    extra["reflections"][0]["willingness"] = 3.into();
    let errors = check_against(&export_schema, &extra);
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn export_formats_parse_from_their_names() {
    for f in ExportFormat::ALL {
        assert_eq!(f.as_str().parse::<ExportFormat>().expect("parse"), *f);
    }
    assert_eq!(
        "md".parse::<ExportFormat>().expect("alias"),
        ExportFormat::Markdown
    );
    assert!("pdf".parse::<ExportFormat>().is_err());
}

#[test]
fn a_bundle_needs_a_key_and_other_formats_refuse_one() {
    let (dir, j) = journal();
    let out = dir.path().join("x.touchpoint");
    let no_key = export(
        &j,
        &ExportOptions::default(),
        ExportFormat::Bundle,
        None,
        &out,
        &mut go,
    );
    assert_eq!(no_key.map_err(|e| e.code()).err(), Some("invalid_input"));
    let key = Encryption::Recipients(vec!["age1notakey".into()]);
    let bad = export(
        &j,
        &ExportOptions::default(),
        ExportFormat::Bundle,
        Some(&key),
        &out,
        &mut go,
    );
    assert_eq!(bad.map_err(|e| e.code()).err(), Some("invalid_input"));
    let plain = export(
        &j,
        &ExportOptions::default(),
        ExportFormat::Html,
        Some(&key),
        &out,
        &mut go,
    );
    assert_eq!(plain.map_err(|e| e.code()).err(), Some("invalid_input"));
    let missing = export(
        &j,
        &ExportOptions::default(),
        ExportFormat::Json,
        None,
        &dir.path().join("no/such/folder/x.json"),
        &mut go,
    );
    assert_eq!(missing.map_err(|e| e.code()).err(), Some("not_found"));
    assert!(walk(dir.path())
        .iter()
        .all(|p| !p.starts_with(dir.path().join("x"))));
    let unknown = export(
        &j,
        &ExportOptions {
            people: vec![Uuid::nil()],
            ..ExportOptions::default()
        },
        ExportFormat::Json,
        None,
        &dir.path().join("x.json"),
        &mut go,
    );
    assert_eq!(unknown.map_err(|e| e.code()).err(), Some("not_found"));
}

/// A plaintext export is the user's only (0600), and a symbolic link planted at its
/// `.partial` name is refused, not followed: the file it points to is never written.
#[test]
fn plaintext_exports_are_private_and_never_written_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let (dir, mut j) = journal();
    let _ = fixture(&mut j);

    for (format, name) in [
        (ExportFormat::Json, "x.json"),
        (ExportFormat::Html, "x.html"),
        (ExportFormat::Csv, "x.csv"),
    ] {
        let summary = export_to(
            &j,
            &ExportOptions::default(),
            format,
            None,
            &dir.path().join(name),
        );
        for file in &summary.files {
            assert_eq!(mode(Path::new(file)), 0o600, "{file} is the owner's only");
        }
    }
    let folder = dir.path().join("markdown");
    std::fs::create_dir(&folder).unwrap();
    let summary = export_to(
        &j,
        &ExportOptions::default(),
        ExportFormat::Markdown,
        None,
        &folder,
    );
    assert!(!summary.files.is_empty());
    for file in &summary.files {
        assert_eq!(mode(Path::new(file)), 0o600, "{file} is the owner's only");
    }

    // Someone who can write the folder plants a link where the export stages its file.
    let target = dir.path().join("victim.txt");
    std::fs::write(&target, b"not yours to overwrite").unwrap();
    let out = dir.path().join("report.html");
    let partial = dir.path().join("report.html.partial");
    std::os::unix::fs::symlink(&target, &partial).unwrap();
    let err = export(
        &j,
        &ExportOptions::default(),
        ExportFormat::Html,
        None,
        &out,
        &mut go,
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(err.to_string().contains("report.html.partial"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"not yours to overwrite");
    assert!(
        std::fs::symlink_metadata(&partial)
            .unwrap()
            .file_type()
            .is_symlink(),
        "what was there is left as it was"
    );
    assert!(!out.exists(), "nothing is written");

    // A dangling link is refused too, and its target is not created.
    std::fs::remove_file(&partial).unwrap();
    let nowhere = dir.path().join("created-through-the-link.html");
    std::os::unix::fs::symlink(&nowhere, &partial).unwrap();
    assert!(export(
        &j,
        &ExportOptions::default(),
        ExportFormat::Html,
        None,
        &out,
        &mut go
    )
    .is_err());
    assert!(!nowhere.exists() && !out.exists());
}

mod guard;
mod initiatives;
