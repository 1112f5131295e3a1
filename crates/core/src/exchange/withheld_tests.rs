//! Property tests of the promise "private entries never leave": nothing of a private entry, or
//! made inside it (initiatives' concerns, guidelines and setbacks tied to it included), appears
//! in any export format, bundle, review file or file name.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::model::{new_id, NewPerson, NewReflection, NewTouchpoint, PromptAnswer, TouchpointKind};
use crate::secret::Passphrase;
use crate::vault::exchange_store::put_annotation;
use crate::Journal;

fn go(_: Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

fn base() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
        .expect("time")
        .to_utc()
}

/// One planned entry and what hangs on it.
#[derive(Debug, Clone)]
struct Entry {
    private: bool,
    kind: usize,
    day: i64,
    members: Vec<bool>,
    reflected: Vec<bool>,
    /// A commitment made in the entry: to whom (index into people), resolved or not.
    commitment: Option<(usize, bool)>,
    /// A topic raised in the entry, to whom.
    topic: Option<usize>,
    tagged: bool,
    /// A coach's comment on the entry, and one on its first reflection.
    comment: bool,
    comment_on_reflection: bool,
}

/// One export the leader might make.
#[derive(Debug, Clone)]
struct Choice {
    /// Index into [`FORMATS`].
    format: usize,
    since_day: Option<i64>,
    days: Option<i64>,
    people: Vec<bool>,
    pseudonymise: bool,
    /// A tag filter: index into every tag of the journal (private ones included).
    tag: Option<usize>,
}

#[derive(Debug, Clone)]
struct Plan {
    people: usize,
    entries: Vec<Entry>,
    exports: Vec<Choice>,
}

/// Every way an export is written: format, bundle encryption, and file or folder.
const FORMATS: &[&str] = &[
    "bundle-key",
    "bundle-passphrase",
    "json",
    "html",
    "markdown-file",
    "markdown-folder",
    "csv-file",
    "csv-folder",
];

fn entry() -> impl Strategy<Value = Entry> {
    (
        (any::<bool>(), 0usize..6, 0i64..60),
        prop::collection::vec(any::<bool>(), 3),
        prop::collection::vec(any::<bool>(), 3),
        prop::option::of((0usize..3, any::<bool>())),
        prop::option::of(0usize..3),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |((private, kind, day), members, reflected, commitment, topic, (tagged, c, cr))| {
                Entry {
                    private,
                    kind,
                    day,
                    members,
                    reflected,
                    commitment,
                    topic,
                    tagged,
                    comment: c,
                    comment_on_reflection: cr,
                }
            },
        )
}

fn choice() -> impl Strategy<Value = Choice> {
    (
        0usize..FORMATS.len(),
        prop::option::of(0i64..60),
        prop::option::of(1i64..60),
        prop::collection::vec(any::<bool>(), 3),
        any::<bool>(),
        prop::option::of(0usize..8),
    )
        .prop_map(
            |(format, since_day, days, people, pseudonymise, tag)| Choice {
                format,
                since_day,
                days,
                people,
                pseudonymise,
                tag,
            },
        )
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        1usize..=3,
        prop::collection::vec(entry(), 1..6),
        prop::collection::vec(choice(), 1..4),
    )
        .prop_map(|(people, mut entries, exports)| {
            // At least one private entry, or there is nothing to keep in.
            entries[0].private = true;
            Plan {
                people,
                entries,
                exports,
            }
        })
}

/// A marker unique to one field of one private entry; lower case without spaces, so it reads
/// the same as a tag, in HTML, in CSV and in YAML.
fn marker(what: &str, n: usize, extra: usize) -> String {
    format!("zqx{what}{n}x{extra}q")
}

/// What must never leave (marker texts and the ids of private records), and every tag of the
/// journal for the exports' tag filters.
#[derive(Default)]
struct Secrets {
    texts: Vec<String>,
    all_tags: Vec<String>,
}

/// Builds the planned journal.
fn build(j: &mut Journal, plan: &Plan) -> Secrets {
    let people: Vec<Uuid> = (0..plan.people)
        .map(|i| {
            j.add_person(NewPerson {
                name: format!("Member{i} Tester"),
                ..NewPerson::default()
            })
            .expect("person")
            .id
        })
        .collect();
    let mut secrets = Secrets::default();
    let mut tags = vec!["shared".to_string()];
    // One initiative over every entry: what is tied to a private entry never leaves.
    let rollout = j
        .add_initiative(crate::initiative::NewInitiative {
            name: "Roll-out".into(),
            people: people.clone(),
            ..Default::default()
        })
        .expect("initiative")
        .id;
    for (n, e) in plan.entries.iter().enumerate() {
        let text = |what: &str, extra: usize| {
            if e.private {
                marker(what, n, extra)
            } else {
                format!("public {what} {n} {extra}")
            }
        };
        let members: Vec<Uuid> = people
            .iter()
            .zip(&e.members)
            .filter(|(_, m)| **m)
            .map(|(p, _)| *p)
            .collect();
        let kind = TouchpointKind::ALL[e.kind];
        let tag = if e.private {
            text("tag", 0)
        } else {
            "shared".into()
        };
        if e.private {
            tags.push(tag.clone());
        }
        let offset = FixedOffset::east_opt(3600).expect("offset");
        let id = j
            .add_touchpoint(NewTouchpoint {
                kind,
                occurred_at: Some(
                    offset.from_utc_datetime(&(base() + Duration::days(e.day)).naive_utc()),
                ),
                duration_minutes: Some(30),
                title: text("title", 0),
                participants: members.clone(),
                team: None,
                affected_groups: Vec::new(),
                notes: text("notes", 0),
                tags: if e.tagged || e.private {
                    vec![tag]
                } else {
                    Vec::new()
                },
                private: e.private,
                source: String::new(),
                state: None,
            })
            .expect("entry")
            .id;
        j.link_initiative(rollout, id).expect("link");
        j.add_guideline(rollout, &text("guideline", 0), &members, Some(id), None)
            .expect("guideline");
        j.add_outcome(
            rollout,
            crate::initiative::OutcomeKind::Setback,
            crate::initiative::NewOutcome {
                what: text("outcome", 0),
                lesson: text("lesson", 0),
                people: members.clone(),
                touchpoints: vec![id],
                ..Default::default()
            },
        )
        .expect("outcome");
        for (i, p) in members.iter().enumerate() {
            let c = j
                .add_concern(
                    rollout,
                    crate::initiative::ConcernKind::Other,
                    *p,
                    &text("concern", i),
                    Some(id),
                )
                .expect("concern");
            if e.private {
                secrets.texts.push(c.id.to_string());
            }
        }
        let mut first_reflection = None;
        for (i, (p, reflected)) in members.iter().zip(&e.reflected).enumerate() {
            if !reflected {
                continue;
            }
            let r = j
                .reflect(NewReflection {
                    touchpoint_id: id,
                    person_id: *p,
                    answers: vec![PromptAnswer {
                        prompt: text("prompt", i),
                        answer: text("answer", i),
                    }],
                    their_side: text("side", i),
                    willingness: -1,
                    ability: 1,
                    adversarial: false,
                    would_have_helped: text("helped", i),
                    next_time: text("next", i),
                })
                .expect("reflect");
            first_reflection.get_or_insert(r.id);
            if e.private {
                secrets.texts.push(r.id.to_string());
            }
        }
        if let Some((p, resolved)) = e.commitment {
            let c = j
                .add_commitment(
                    people[p % people.len()],
                    &text("promise", 0),
                    None,
                    Some(id),
                )
                .expect("commitment");
            if resolved {
                j.resolve_commitment(
                    c.id,
                    crate::model::CommitmentStatus::Kept,
                    base() + Duration::days(e.day + 1),
                )
                .expect("resolve");
            }
            if e.private {
                secrets.texts.push(c.id.to_string());
            }
        }
        if let Some(p) = e.topic {
            let t = j
                .add_topic(people[p % people.len()], &text("topic", 0), Some(id))
                .expect("topic");
            if e.private {
                secrets.texts.push(t.id.to_string());
            }
        }
        let targets = [
            e.comment.then_some(id),
            first_reflection.filter(|_| e.comment_on_reflection),
        ];
        for (i, target) in targets.into_iter().flatten().enumerate() {
            let note = Annotation {
                id: new_id(),
                target_id: target,
                author: text("author", i),
                text: text("comment", i),
                created_at: Utc::now().fixed_offset(),
            };
            j.write(|tx| put_annotation(tx, &note, Some(Utc::now())))
                .expect("comment");
            if e.private {
                secrets.texts.push(note.id.to_string());
            }
        }
        if e.private {
            secrets.texts.push(id.to_string());
            for what in [
                "title",
                "notes",
                "tag",
                "prompt",
                "answer",
                "side",
                "helped",
                "next",
                "promise",
                "topic",
                "author",
                "comment",
                "guideline",
                "outcome",
                "lesson",
                "concern",
            ] {
                // Every extra index a field above may use.
                for extra in 0..3 {
                    secrets.texts.push(marker(what, n, extra));
                }
            }
        }
    }
    secrets.all_tags = tags;
    secrets
}

/// Every file under `path` (or `path` itself), with its name.
fn files_under(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path).expect("read dir") {
            out.extend(files_under(&entry.expect("entry").path()));
        }
        out
    } else {
        vec![path.to_path_buf()]
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Whatever a journal holds and however it is exported (any format, range, people,
    /// pseudonymised or not, a tag filter naming a private entry's tag), no text of a private
    /// entry or of anything attached to it (reflections, commitments, topics, tags, coach
    /// comments), and no id of theirs, is in any byte or file name written; bundles are read
    /// decrypted, and a coach's review written from a bundle holds none of it either.
    #[test]
    fn nothing_of_a_private_entry_leaves_in_any_format(plan in plan()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let leader_pass = Passphrase::new("withheld test passphrase".into());
        let (mut j, _code) = Journal::init(&dir.path().join("journal"), &leader_pass).expect("init");
        let secrets = build(&mut j, &plan);
        let people = j.people(true).expect("people");
        let coach = age::x25519::Identity::generate();
        let coach_pass = Passphrase::new("coach passphrase".into());

        for (k, choice) in plan.exports.iter().enumerate() {
            let since = choice.since_day.map(|d| base() + Duration::days(d));
            let options = ExportOptions {
                since,
                until: choice
                    .days
                    .map(|d| since.unwrap_or(base()) + Duration::days(d)),
                people: people
                    .iter()
                    .zip(&choice.people)
                    .filter(|(_, s)| **s)
                    .map(|(p, _)| p.id)
                    .collect(),
                kinds: Vec::new(),
                tags: choice
                    .tag
                    .map(|t| vec![secrets.all_tags[t % secrets.all_tags.len()].clone()])
                    .unwrap_or_default(),
                pseudonymise: choice.pseudonymise,
            };
            let out = dir.path().join(format!("export-{k}"));
            std::fs::create_dir(&out).expect("out");
            let name = FORMATS[choice.format];
            let (format, encryption, target) = match name {
                "bundle-key" => (
                    ExportFormat::Bundle,
                    Some(Encryption::Recipients(vec![coach.to_public().to_string()])),
                    out.join("coach.touchpoint"),
                ),
                "bundle-passphrase" => (
                    ExportFormat::Bundle,
                    Some(Encryption::Passphrase(Passphrase::new("coach passphrase".into()))),
                    out.join("coach.touchpoint"),
                ),
                "json" => (ExportFormat::Json, None, out.join("x.json")),
                "html" => (ExportFormat::Html, None, out.join("x.html")),
                "markdown-file" => (ExportFormat::Markdown, None, out.join("x.md")),
                "markdown-folder" => (ExportFormat::Markdown, None, out.clone()),
                "csv-file" => (ExportFormat::Csv, None, out.join("x.csv")),
                _ => (ExportFormat::Csv, None, out.clone()),
            };
            export(&j, &options, format, encryption.as_ref(), &target, &mut go).expect("export");

            let mut written: Vec<(String, Vec<u8>)> = Vec::new();
            for file in files_under(&out) {
                let bytes = std::fs::read(&file).expect("read");
                written.push((file.display().to_string(), bytes.clone()));
                if format == ExportFormat::Bundle {
                    let opened = if name == "bundle-key" {
                        Opened::open_with_key(&bytes, &coach).expect("open with the coach's key")
                    } else {
                        open_file(&bytes, Unlock::Passphrase(&coach_pass)).expect("open")
                    };
                    let Opened::Export(doc) = opened else {
                        panic!("a bundle holds an export");
                    };
                    let plain = serde_json::to_vec(&doc).expect("json");
                    written.push((format!("{} (decrypted)", file.display()), plain));
                    // The coach comments on everything and sends a review back.
                    let mut review = ReviewSession::new(*doc).expect("review");
                    // What matters here is the review's text, not which bundle it answers.
                    review.set_export_id(Uuid::now_v7());
                    review
                        .set_reviewer_key(&coach.to_public().to_string())
                        .expect("reviewer key");
                    let targets: Vec<Uuid> = review.document().touchpoints.iter().map(|t| t.id)
                        .chain(review.document().reflections.iter().map(|r| r.id))
                        .collect();
                    if targets.is_empty() {
                        continue;
                    }
                    for t in targets {
                        review.annotate(t, "A coach's thought").expect("annotate");
                    }
                    let back = out.join("back.touchpoint-review");
                    let back = review.export_review("Coach", &back).expect("review file");
                    let sealed = std::fs::read(&back).expect("read review");
                    let Opened::Review(r) = open_file(&sealed, Unlock::Identity(&j)).expect("open review") else {
                        panic!("a review file holds a review");
                    };
                    written.push((
                        format!("{} (decrypted)", back.display()),
                        serde_json::to_vec(&r).expect("json"),
                    ));
                    std::fs::remove_file(&back).expect("remove review");
                }
            }
            for (file, bytes) in &written {
                let text = String::from_utf8_lossy(bytes);
                for secret in &secrets.texts {
                    prop_assert!(
                        !text.contains(secret.as_str()) && !file.contains(secret.as_str()),
                        "{} of a private entry left in {} ({:?})", secret, file, choice
                    );
                }
            }
        }
    }
}
