//! Erase means gone: canaries planted in every field that can hold a person's name or words
//! about them are looked for, after each kind of erase, through a raw connection to the
//! database, in the search index's vocabulary, and in a backup made afterwards.

use chrono::{Duration, Local, Utc};
use rusqlite::Connection;
use uuid::Uuid;

use super::super::exchange_store::put_annotation;
use super::super::{db_path, key_path, open_connection, Journal, TRASH_DAYS};
use super::Erased;
use crate::keyfile::KeyFile;
use crate::model::{
    Annotation, NewPerson, NewReflection, NewTouchpoint, PromptAnswer, TouchpointKind,
};
use crate::secret::Passphrase;

fn pass() -> Passphrase {
    Passphrase::new("test passphrase one".into())
}

fn fresh() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (journal, _code) = Journal::init(&dir.path().join("j"), &pass()).expect("init");
    (dir, journal)
}

/// Opens the database file (or a backup of it) on a connection of its own, with the key.
fn raw(j: &Journal, db: &std::path::Path) -> Connection {
    let key = KeyFile::read(&key_path(j.dir()))
        .expect("key file")
        .unlock_with_passphrase(&pass())
        .expect("unlock");
    open_connection(db, &key).expect("raw connection")
}

/// The canaries found anywhere in `conn`'s database: in any column of any table, the search
/// index's shadow tables included, and in the index's vocabulary.
fn found(conn: &Connection, canaries: &[String]) -> Vec<String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut hits = Vec::new();
    for table in &tables {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .expect("columns")
            .query_map([], |r| r.get(0))
            .expect("columns")
            .collect::<rusqlite::Result<_>>()
            .expect("columns");
        for column in &columns {
            for canary in canaries {
                let n: i64 = conn
                    .query_row(
                        &format!(
                            "SELECT count(*) FROM \"{table}\" WHERE
                             instr(lower(CAST(\"{column}\" AS TEXT)), ?1) > 0
                             OR instr(CAST(\"{column}\" AS BLOB), CAST(?1 AS BLOB)) > 0"
                        ),
                        [canary],
                        |r| r.get(0),
                    )
                    .expect("scan");
                if n > 0 {
                    hits.push(format!("{canary} in {table}.{column}"));
                }
            }
        }
    }
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, search, 'row');",
    )
    .expect("vocab");
    for canary in canaries {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM temp.vocab WHERE instr(term, ?1) > 0",
                [canary],
                |r| r.get(0),
            )
            .expect("vocab");
        if n > 0 {
            hits.push(format!("{canary} in the search vocabulary"));
        }
    }
    hits
}

/// Checks that each of `canaries` is somewhere in `conn`'s database (so the scan can see it).
fn assert_all_present(conn: &Connection, canaries: &[String]) {
    for canary in canaries {
        assert!(
            !found(conn, std::slice::from_ref(canary)).is_empty(),
            "{canary} should be in the database"
        );
    }
}

/// Checks that none of `canaries` is left in the database, its write-ahead log, or a backup
/// made now, while `kept` (what must survive the erase) still is.
fn assert_gone(j: &Journal, canaries: &[String], kept: &[String]) {
    let wal = j.dir().join("journal.db-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(
        wal_len, 0,
        "the erase leaves its pages in the write-ahead log"
    );
    let conn = raw(j, &db_path(j.dir()));
    assert_eq!(
        found(&conn, canaries),
        Vec::<String>::new(),
        "left in the database"
    );
    assert_all_present(&conn, kept);
    let backup = j.backup(Utc::now()).expect("backup");
    let conn = raw(j, std::path::Path::new(&backup.path));
    assert_eq!(
        found(&conn, canaries),
        Vec::<String>::new(),
        "left in a backup made afterwards"
    );
    assert!(j.verify().expect("verify").ok);
}

fn person(j: &mut Journal, name: &str, c: &str) -> Uuid {
    j.add_person(NewPerson {
        name: name.into(),
        emails: vec![format!("{c}mail@example.org")],
        role: format!("{c}role"),
        teams: vec![format!("{c}team")],
        notes: format!("{c}notes about them"),
        ..NewPerson::default()
    })
    .expect("add person")
    .id
}

fn entry(j: &mut Journal, people: Vec<Uuid>, title: &str, notes: &str, tag: &str) -> Uuid {
    j.add_touchpoint(NewTouchpoint {
        kind: TouchpointKind::OneOnOne,
        occurred_at: Some(Local::now().fixed_offset()),
        duration_minutes: None,
        title: title.into(),
        participants: people,
        team: None,
        affected_groups: Vec::new(),
        notes: notes.into(),
        tags: vec![tag.into()],
        private: false,
        source: String::new(),
        state: None,
    })
    .expect("add touchpoint")
    .id
}

fn reflect(j: &mut Journal, entry: Uuid, person: Uuid, c: &str) -> Uuid {
    j.reflect(NewReflection {
        touchpoint_id: entry,
        person_id: person,
        answers: vec![PromptAnswer {
            prompt: "What did they need?".into(),
            answer: format!("{c}answer"),
        }],
        their_side: format!("{c}side"),
        willingness: 1,
        ability: -1,
        adversarial: false,
        would_have_helped: format!("{c}helped"),
        next_time: format!("{c}next"),
    })
    .expect("reflect")
    .id
}

fn annotate(j: &mut Journal, target: Uuid, text: &str) {
    let a = Annotation {
        id: Uuid::now_v7(),
        target_id: target,
        author: "Coach".into(),
        text: text.into(),
        created_at: Local::now().fixed_offset(),
    };
    j.write(|tx| put_annotation(tx, &a, Some(Utc::now())))
        .expect("annotate");
}

/// Plants canaries prefixed `c` in an entry of `people` (title, notes, tag, the first person's
/// reflection with answers, comments on the entry and the reflection, a commitment and a topic
/// recorded in it); returns the entry's id and the canaries.
fn plant_entry(j: &mut Journal, people: Vec<Uuid>, c: &str) -> (Uuid, Vec<String>) {
    let who = people[0];
    let id = entry(
        j,
        people,
        &format!("{c}title"),
        &format!("{c}entrynotes"),
        &format!("{c}tag"),
    );
    let r = reflect(j, id, who, c);
    annotate(j, id, &format!("{c}entrycomment"));
    annotate(j, r, &format!("{c}reflectioncomment"));
    j.add_commitment(who, &format!("{c}entrypromise"), None, Some(id))
        .expect("commitment");
    j.add_topic(who, &format!("{c}entrytopic"), Some(id))
        .expect("topic");
    let canaries = [
        "title",
        "entrynotes",
        "tag",
        "answer",
        "side",
        "helped",
        "next",
        "entrycomment",
        "reflectioncomment",
        "entrypromise",
        "entrytopic",
    ];
    (id, canaries.iter().map(|s| format!("{c}{s}")).collect())
}

/// Plants canaries prefixed `c` about a new person: their details, an entry of their own
/// ([`plant_entry`]), their reflection on an entry shared with `other` and a comment on it,
/// a commitment and a topic. Returns the person and the canaries.
fn plant_person(j: &mut Journal, other: Uuid, c: &str) -> (Uuid, Vec<String>) {
    let id = person(j, &format!("{c}name Ana"), c);
    let (_, mut canaries) = plant_entry(j, vec![id], &format!("{c}own"));
    let shared = entry(
        j,
        vec![other, id],
        "shared plan",
        "both were there",
        "sharedtag",
    );
    reflect(j, shared, other, "keptbo");
    let r = reflect(j, shared, id, &format!("{c}shared"));
    annotate(j, r, &format!("{c}sharedcomment"));
    j.add_commitment(id, &format!("{c}promise"), None, None)
        .expect("commitment");
    j.add_topic(id, &format!("{c}topic"), None).expect("topic");
    // A capture typed about them and left unsaved at a lock.
    j.save_form_draft(&crate::vault::FormDraft {
        form: crate::vault::FormKind::Capture,
        touchpoint_id: None,
        label: "a new touchpoint".into(),
        state: serde_json::json!({ "selected": [id.to_string()], "notes": format!("{c}draft") })
            .to_string(),
        saved_at: Utc::now(),
    })
    .expect("unsaved form");
    for s in [
        "draft",
        "name",
        "mail",
        "role",
        "team",
        "notes",
        "promise",
        "topic",
        "sharedcomment",
    ] {
        canaries.push(format!("{c}{s}"));
    }
    for s in ["answer", "side", "helped", "next"] {
        canaries.push(format!("{c}shared{s}"));
    }
    (id, canaries)
}

/// What must survive erasing someone else: the shared entry and the other person's side.
fn kept() -> Vec<String> {
    ["shared plan", "keptboside", "keptboanswer", "bo keptname"]
        .map(String::from)
        .to_vec()
}

#[test]
fn erasing_a_person_leaves_no_canary_in_the_database_index_or_a_later_backup() {
    let (_dir, mut j) = fresh();
    let bo = person(&mut j, "Bo keptname", "keptbo");
    let (ana, canaries) = plant_person(&mut j, bo, "kanaria");
    assert_all_present(&raw(&j, &db_path(j.dir())), &canaries);
    let erased = j.erase_person(ana).expect("erase");
    assert_eq!(
        erased,
        Erased {
            people: 1,
            entries: 1,
            reflections: 2
        }
    );
    assert_gone(&j, &canaries, &kept());
}

#[test]
fn erasing_a_person_in_the_trash_works_too() {
    let (_dir, mut j) = fresh();
    let bo = person(&mut j, "Bo keptname", "keptbo");
    let (ana, canaries) = plant_person(&mut j, bo, "kanarib");
    j.trash_person(ana, Utc::now()).expect("trash");
    j.erase_person(ana).expect("erase a trashed person");
    assert_gone(&j, &canaries, &kept());
    assert!(j.trash().expect("trash").people.is_empty());
}

#[test]
fn erasing_one_entry_leaves_no_canary_and_keeps_the_person() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana keptname", "keptana");
    let (id, canaries) = plant_entry(&mut j, vec![ana], "kanaric");
    let erased = j.erase_touchpoint(id).expect("erase");
    assert_eq!(
        erased,
        Erased {
            people: 0,
            entries: 1,
            reflections: 1
        }
    );
    assert_gone(
        &j,
        &canaries,
        &["ana keptname".into(), "keptananotes".into()],
    );
    assert!(j.erase_touchpoint(id).is_err(), "gone for good");
}

#[test]
fn purging_expired_trash_leaves_no_canary() {
    let (_dir, mut j) = fresh();
    let bo = person(&mut j, "Bo keptname", "keptbo");
    let (ana, mut canaries) = plant_person(&mut j, bo, "kanarid");
    let (entry, more) = plant_entry(&mut j, vec![bo], "kanarie");
    canaries.extend(more);
    let long_ago = Utc::now() - Duration::days(TRASH_DAYS + 1);
    j.trash_person(ana, long_ago).expect("trash");
    j.trash_touchpoint(entry, long_ago).expect("trash");
    let erased = j.purge_trash(Utc::now()).expect("purge");
    assert_eq!(
        erased,
        Erased {
            people: 1,
            entries: 2,
            reflections: 3
        }
    );
    assert_gone(&j, &canaries, &kept());
}

/// The app's promise: an item in the trash is kept for [`TRASH_DAYS`] (30) days, then erased.
#[test]
fn the_trash_keeps_each_item_thirty_days_and_says_when_it_goes() {
    assert_eq!(TRASH_DAYS, 30, "the app and the CLI say 30 days");
    let (_dir, mut j) = fresh();
    let bo = person(&mut j, "Bo", "bo");
    let (ana, _) = plant_person(&mut j, bo, "ana");
    let (entry, _) = plant_entry(&mut j, vec![bo], "entry");
    let at = Utc::now() - Duration::days(3);
    j.trash_person(ana, at).expect("trash");
    j.trash_touchpoint(entry, at).expect("trash");
    let trash = j.trash().expect("trash");
    let (p, e) = (&trash.people[0], &trash.entries[0]);
    assert_eq!((p.person.id, p.entries, p.reflections), (ana, 1, 1));
    assert_eq!((e.entry.id, e.reflections), (entry, 1));
    assert_eq!(e.people[0].name, "Bo");
    let erase_after = at + Duration::days(30);
    let truncated = chrono::DateTime::from_timestamp_millis(erase_after.timestamp_millis());
    assert_eq!(Some(p.erase_after), truncated);
    assert_eq!(Some(e.erase_after), truncated);
    let just_before = p.erase_after - Duration::milliseconds(1);
    assert!(
        j.purge_trash(just_before).expect("purge").is_empty(),
        "kept 30 days"
    );
    assert_eq!(j.trash().expect("trash").people.len(), 1);
    assert_eq!(
        j.purge_trash(p.erase_after).expect("purge"),
        Erased {
            people: 1,
            entries: 2,
            reflections: 3
        }
    );
    assert_eq!(j.trash().expect("trash"), super::Trash::default());
}

#[test]
fn emptying_the_trash_erases_all_of_it_now_and_nothing_else() {
    let (_dir, mut j) = fresh();
    let bo = person(&mut j, "Bo keptname", "keptbo");
    let (ana, mut canaries) = plant_person(&mut j, bo, "kanarif");
    let (entry, more) = plant_entry(&mut j, vec![bo], "kanarig");
    canaries.extend(more);
    j.trash_person(ana, Utc::now()).expect("trash");
    j.trash_touchpoint(entry, Utc::now()).expect("trash");
    assert_eq!(
        j.empty_trash().expect("empty"),
        Erased {
            people: 1,
            entries: 2,
            reflections: 3
        }
    );
    assert_gone(&j, &canaries, &kept());
    assert!(j.empty_trash().expect("empty again").is_empty());
}

#[test]
fn comments_left_behind_by_older_erasures_go_at_the_next_erase() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "ana");
    let (id, _) = plant_entry(&mut j, vec![ana], "first");
    annotate(&mut j, Uuid::now_v7(), "kanarihorphan");
    j.erase_touchpoint(id).expect("erase");
    let conn = raw(&j, &db_path(j.dir()));
    assert!(found(&conn, &["kanarihorphan".into()]).is_empty());
}

mod initiatives;
