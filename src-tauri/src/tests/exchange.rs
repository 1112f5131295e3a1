//! The coach exchange through IPC: export to a coach's key, review in a second journal, import the review.

use serde_json::{json, Value};
use tauri::Manager;

use super::{TestApp, CHANNEL};
use crate::files::PickedFiles;

/// Lets the commands use `path`, as if the user had picked it in a dialog.
fn pick(t: &TestApp, path: &std::path::Path) -> String {
    t.app
        .state::<PickedFiles>()
        .allow(path, false)
        .expect("allowed");
    path.to_string_lossy().into_owned()
}

/// A journal with Ana, a reflected one-on-one and a private entry; answers the entry's id.
fn leader_with_entry(t: &TestApp) -> String {
    t.create_journal();
    let ana = t.ok(
        "add_person",
        json!({"person": {"name": "Ana Costa", "group": "direct_report"}}),
    );
    let ana = ana["id"].as_str().unwrap().to_string();
    let tp = t.ok(
        "add_touchpoint",
        json!({"touchpoint": {"kind": "one_on_one", "title": "Roadmap talk",
               "participants": [ana], "notes": "Told Ana the roadmap slipped."}}),
    );
    let tp_id = tp["id"].as_str().unwrap().to_string();
    t.ok(
        "save_reflection",
        json!({"form": {"touchpoint_id": tp_id, "people": [{"reflection": {
            "touchpoint_id": tp_id, "person_id": ana, "answers": [],
            "their_side": "I heard it last.", "willingness": 1, "ability": -2,
            "adversarial": false, "would_have_helped": "", "next_time": ""
        }}]}}),
    );
    t.ok(
        "add_touchpoint",
        json!({"touchpoint": {"kind": "other", "title": "Private thoughts",
               "participants": [ana], "notes": "never leaves", "private": true}}),
    );
    tp_id
}

fn export_to(t: &TestApp, path: &str, key: &str) -> Value {
    t.ok(
        "export_journal",
        json!({
            "request": {"options": {}, "format": "bundle", "path": path, "recipients": [key]},
            "passphrase": null,
            "onProgress": CHANNEL
        }),
    )
}

/// The whole round trip between two journals, as the two apps do it.
#[test]
fn leader_exports_coach_reviews_leader_imports_the_comment() {
    let leader = TestApp::new();
    let coach = TestApp::new();
    let tp_id = leader_with_entry(&leader);
    coach.create_journal();
    let coach_key = coach.ok("public_key", json!({}));
    let coach_key = coach_key.as_str().unwrap();
    assert!(coach_key.starts_with("age1"), "{coach_key}");

    let bundle = pick(&leader, &leader.dir.path().join("for-coach.touchpoint"));
    let summary = export_to(&leader, &bundle, coach_key);
    assert_eq!(
        summary["touchpoints"], 1,
        "the private entry stays home: {summary}"
    );

    // The coach opens it: in memory, someone else's, one person and one entry.
    let in_coach = pick(&coach, std::path::Path::new(&bundle));
    let info = coach.ok("open_review", json!({"path": in_coach, "passphrase": null}));
    assert_eq!(info["own_export"], false);
    assert_eq!(info["touchpoints"], 1);
    assert_eq!(coach.ok("review_info", json!({}))["people"], 1);
    let people = coach.ok("review_people", json!({}));
    assert_eq!(people[0]["person"]["name"], "Ana Costa");
    assert_eq!(people[0]["balance"], -2.0, "(1 + -2) x loss weight 2");
    let entry = coach.ok("review_entry", json!({"id": tp_id}));
    assert_eq!(entry["detail"]["touchpoint"]["title"], "Roadmap talk");
    let reflection_id = entry["detail"]["reflections"][0]["id"].clone();
    let note = coach.ok(
        "annotate",
        json!({"targetId": reflection_id, "text": "What did Ana need to hear first?"}),
    );
    coach.ok(
        "edit_annotation",
        json!({"id": note["id"], "text": "What did Ana need to hear, and when?"}),
    );
    assert_eq!(coach.ok("review_info", json!({}))["comments"], 1);
    // The comment on the reflection is listed with the entry, and marked as the coach's own.
    let entry = coach.ok("review_entry", json!({"id": tp_id}));
    assert_eq!(
        entry["annotations"][0]["text"],
        "What did Ana need to hear, and when?"
    );
    assert_eq!(entry["editable"], json!([note["id"]]));

    // Locking drops the export; reopening brings the unsent comment back.
    coach.ok("lock", json!({}));
    coach.ok("unlock", json!({"passphrase": super::PASSPHRASE}));
    assert_eq!(coach.ok("review_info", json!({})), Value::Null);
    let again = coach.ok("open_review", json!({"path": in_coach, "passphrase": null}));
    assert_eq!(again["comments"], 1, "the draft survived the lock");

    let review = pick(&coach, &coach.dir.path().join("back.touchpoint-review"));
    let written = coach.ok(
        "export_review",
        json!({"path": review, "author": "Coach Kim"}),
    );
    coach.ok("close_review", json!({}));

    let in_leader = pick(&leader, std::path::Path::new(written.as_str().unwrap()));
    let what = leader.ok("inspect_import", json!({"path": in_leader}));
    assert_eq!(what["kind"], "key_bundle");
    let outcome = leader.ok(
        "import_file",
        json!({"path": in_leader, "passphrase": null, "from": null, "to": null, "onProgress": CHANNEL}),
    );
    assert_eq!(outcome["kind"], "review");
    assert_eq!(outcome["reviewer"], "Coach Kim");
    assert_eq!(outcome["annotations"]["added"], 1);
    let notes = leader.ok("annotations", json!({"touchpointId": tp_id}));
    assert_eq!(notes[0]["text"], "What did Ana need to hear, and when?");
    assert_eq!(notes[0]["author"], "Coach Kim");
    // Each comment says which reviewer key it came from and which export it answers.
    assert_eq!(notes[0]["source"]["reviewer_key"], coach_key);
    assert_eq!(
        notes[0]["source"]["fingerprint"],
        outcome["reviewer_fingerprint"]
    );
    assert_eq!(notes[0]["source"]["export_id"], outcome["export_id"]);
    let today = leader.ok("coach_comments", json!({}));
    assert_eq!(today[0]["touchpoint_title"], "Roadmap talk");
    assert_eq!(today[0]["source"], notes[0]["source"]);
    // Importing twice changes nothing.
    let twice = leader.ok(
        "import_file",
        json!({"path": in_leader, "passphrase": null, "from": null, "to": null, "onProgress": CHANNEL}),
    );
    assert_eq!(twice["annotations"]["added"], 0);
}

/// A bundle for another journal, a passphrase bundle without its passphrase, a file that is no
/// Touchpoint file and an unpicked path each give their own code; nothing is opened.
#[test]
fn wrong_files_give_clear_codes() {
    let leader = TestApp::new();
    leader_with_entry(&leader);
    let stranger = TestApp::new();
    stranger.create_journal();
    let coach = TestApp::new();
    coach.create_journal();
    let coach_key = coach.ok("public_key", json!({}));

    let bundle = pick(&leader, &leader.dir.path().join("b.touchpoint"));
    export_to(&leader, &bundle, coach_key.as_str().unwrap());
    let in_stranger = pick(&stranger, std::path::Path::new(&bundle));
    let e = stranger.err(
        "open_review",
        json!({"path": in_stranger, "passphrase": null}),
    );
    assert_eq!(e["code"], "wrong_key", "{e}");

    let sealed = pick(&leader, &leader.dir.path().join("p.touchpoint"));
    leader.ok(
        "export_journal",
        json!({
            "request": {"options": {}, "format": "bundle", "path": sealed, "recipients": []},
            "passphrase": "a long bundle passphrase",
            "onProgress": CHANNEL
        }),
    );
    let in_coach = pick(&coach, std::path::Path::new(&sealed));
    let e = coach.err("open_review", json!({"path": in_coach, "passphrase": null}));
    assert_eq!(e["code"], "needs_passphrase", "{e}");
    let e = coach.err(
        "open_review",
        json!({"path": in_coach, "passphrase": "not the passphrase"}),
    );
    assert_eq!(e["code"], "wrong_passphrase", "{e}");
    let ok = coach.ok(
        "open_review",
        json!({"path": in_coach, "passphrase": "a long bundle passphrase"}),
    );
    assert_eq!(ok["touchpoints"], 1);

    let junk = coach.dir.path().join("notes.txt");
    std::fs::write(&junk, "just some text").unwrap();
    let junk = pick(&coach, &junk);
    let e = coach.err("inspect_import", json!({"path": junk}));
    assert_eq!(e["code"], "not_touchpoint", "{e}");

    let e = coach.err(
        "import_file",
        json!({"path": "/etc/passwd", "passphrase": null, "from": null, "to": null, "onProgress": CHANNEL}),
    );
    assert_eq!(
        e["code"], "invalid_input",
        "an unpicked path is refused: {e}"
    );
    coach.ok("close_review", json!({}));
    let e = coach.err("review_people", json!({}));
    assert_eq!(e["code"], "not_found", "no review open after close: {e}");
}

/// An export must not land inside the journal folder, even when the user picked a path there.
#[test]
fn exports_stay_out_of_the_journal_folder() {
    let leader = TestApp::new();
    leader_with_entry(&leader);
    let inside = pick(&leader, &leader.dir.path().join("journal").join("x.html"));
    let e = leader.err(
        "export_journal",
        json!({
            "request": {"options": {}, "format": "html", "path": inside, "recipients": []},
            "passphrase": null,
            "onProgress": CHANNEL
        }),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
}

/// The whole journal as a JSON export (less its time), through the same command the app uses.
fn whole(t: &TestApp, name: &str) -> Value {
    let path = pick(t, &t.dir.path().join(format!("{name}.json")));
    t.ok(
        "export_journal",
        json!({
            "request": {"options": {}, "format": "json", "path": path, "recipients": []},
            "passphrase": null,
            "onProgress": CHANNEL
        }),
    );
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    doc["exported_at"] = Value::Null;
    doc
}

fn import_args(path: &str, confirmed: Option<bool>) -> Value {
    json!({"path": path, "passphrase": null, "from": null, "to": null,
           "confirmed": confirmed, "onProgress": CHANNEL})
}

/// A review as plain JSON, which anyone holding the leader's public key could write, is
/// refused at the preview and at the import, and no comment appears.
#[test]
fn a_plain_json_review_is_refused_and_no_comment_appears() {
    let leader = TestApp::new();
    let tp_id = leader_with_entry(&leader);
    let key = leader.ok("public_key", json!({}));
    let forged = json!({
        "format": "touchpoint-review", "version": 2, "generator": "forger",
        "reviewer": "Coach", "created_at": "2025-05-02T18:30:00+02:00",
        "for_public_key": key, "export_exported_at": "2025-05-01T18:30:00+02:00",
        "export_id": "0b7e3c1c-7a40-4a43-9a0e-2f2d1f7f3a11", "reviewer_key": key,
        "annotations": [{"id": "0190a8b2-0000-7000-8000-000000000001", "target_id": tp_id,
                         "author": "Coach", "text": "Forged.",
                         "created_at": "2025-05-02T18:30:00+02:00"}]
    });
    let path = leader.dir.path().join("forged.json");
    std::fs::write(&path, serde_json::to_vec(&forged).unwrap()).unwrap();
    let path = pick(&leader, &path);
    let before = whole(&leader, "before");
    let e = leader.err("preview_import", import_args(&path, None));
    assert_eq!(e["code"], "review_not_encrypted", "{e}");
    let e = leader.err("import_file", import_args(&path, Some(true)));
    assert_eq!(e["code"], "review_not_encrypted", "{e}");
    assert_eq!(whole(&leader, "after"), before);
    assert_eq!(
        leader.ok("annotations", json!({"touchpointId": tp_id})),
        json!([])
    );
}

/// Another journal's export with the same ids and other ratings: the preview counts what
/// would change, the import waits for confirmation and changes nothing until it comes.
#[test]
fn an_export_that_changes_records_is_previewed_and_waits_for_confirmation() {
    let leader = TestApp::new();
    let tp_id = leader_with_entry(&leader);
    let mut other = whole(&leader, "mine");
    other["exported_at"] = json!("2025-05-02T18:30:00+02:00");
    other["reflections"][0]["willingness"] = json!(-2);
    let path = leader.dir.path().join("foreign.json");
    std::fs::write(&path, serde_json::to_vec(&other).unwrap()).unwrap();
    let path = pick(&leader, &path);
    let before = whole(&leader, "before");

    let preview = leader.ok("preview_import", import_args(&path, None));
    assert_eq!(preview["document"], "export");
    assert_eq!(preview["needs_confirmation"], true);
    assert_eq!(preview["counts"]["reflections"]["updated"], 1, "{preview}");
    assert_eq!(preview["counts"]["touchpoints"]["unchanged"], 1);
    assert_eq!(preview["changes"][0]["kind"], "reflection");
    assert_eq!(preview["changes"][0]["label"], "reflection on Roadmap talk");

    for confirmed in [None, Some(false)] {
        let e = leader.err("import_file", import_args(&path, confirmed));
        assert_eq!(e["code"], "needs_confirmation", "{e}");
    }
    assert_eq!(whole(&leader, "after"), before, "nothing changed");

    let done = leader.ok("import_file", import_args(&path, Some(true)));
    assert_eq!(done["kind"], "export");
    assert_eq!(done["reflections"]["updated"], 1);
    let detail = leader.ok("touchpoint_detail", json!({"id": tp_id}));
    assert_eq!(detail["reflections"][0]["willingness"], -2);
}

/// A coach sees the leader's initiative in review mode: the list, then one with its open
/// concern and its balance over the exported entry; a concern raised in a private entry stays
/// home.
#[test]
fn review_mode_lists_and_shows_the_exports_initiatives() {
    let leader = TestApp::new();
    let coach = TestApp::new();
    let tp_id = leader_with_entry(&leader);
    let ana = leader.ok("people", json!({"includeArchived": true}))[0]["id"].clone();
    let private_id = leader
        .ok("timeline", json!({"filter": {}}))
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["private"] == true)
        .expect("the private entry")["id"]
        .clone();
    let i = leader.ok(
        "add_initiative",
        json!({"initiative": {"name": "Copilot roll-out", "purpose": "Faster reviews"}}),
    );
    for t in [json!(tp_id), private_id.clone()] {
        leader.ok("link_initiative", json!({"id": i["id"], "touchpointId": t}));
    }
    leader.ok(
        "add_concern",
        json!({"id": i["id"], "kind": "replacement", "personId": ana,
               "text": "Ana fears for her job", "touchpointId": tp_id}),
    );
    leader.ok(
        "add_concern",
        json!({"id": i["id"], "kind": "privacy", "personId": ana,
               "text": "HIDDEN-CONCERN", "touchpointId": private_id}),
    );
    coach.create_journal();
    let coach_key = coach.ok("public_key", json!({}));
    let bundle = pick(&leader, &leader.dir.path().join("for-coach.touchpoint"));
    export_to(&leader, &bundle, coach_key.as_str().unwrap());
    let in_coach = pick(&coach, std::path::Path::new(&bundle));
    coach.ok("open_review", json!({"path": in_coach, "passphrase": null}));

    let list = coach.ok("review_initiatives", json!({}));
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["name"], "Copilot roll-out");
    assert_eq!(list[0]["open_concerns"], 1);
    let one = coach.ok("review_initiative", json!({"id": i["id"]}));
    assert_eq!(one["open_concerns"][0]["text"], "Ana fears for her job");
    assert_eq!(one["people"][0]["name"], "Ana Costa");
    assert_eq!(
        one["balance"]["balance"], -2.0,
        "the reflection in the linked entry"
    );
    assert!(!one.to_string().contains("HIDDEN-CONCERN"));
    let e = coach.err("review_initiative", json!({"id": uuid::Uuid::nil()}));
    assert_eq!(e["code"], "not_found", "{e}");
}
