//! Change initiatives through IPC: each command is one call to the core; a refusal answers a
//! code the UI can act on and writes nothing; the page carries the balance of linked entries.

use serde_json::{json, Value};
use tauri::Manager;

use super::TestApp;

fn person(t: &TestApp, name: &str) -> String {
    let p = t.ok(
        "add_person",
        json!({"person": {"name": name, "teams": ["Platform"]}}),
    );
    p["id"].as_str().expect("id").to_string()
}

fn entry(t: &TestApp, who: &str, w: i32, a: i32) -> String {
    let tp = t.ok(
        "add_touchpoint",
        json!({"touchpoint": {"kind": "one_on_one", "title": "talk", "participants": [who],
            "notes": "", "tags": []}}),
    );
    let id = tp["id"].as_str().expect("id").to_string();
    t.ok(
        "save_reflection",
        json!({"form": {"touchpoint_id": id, "people": [{"reflection": {
            "touchpoint_id": id, "person_id": who, "answers": [],
            "their_side": "", "willingness": w, "ability": a,
            "adversarial": false, "would_have_helped": "", "next_time": ""
        }}]}}),
    );
    id
}

#[test]
fn an_initiative_is_recorded_linked_and_read_back_as_a_page() {
    let t = TestApp::new();
    t.create_journal();
    let ana = person(&t, "Ana");
    let i = t.ok(
        "add_initiative",
        json!({"initiative": {"name": "Copilot roll-out", "teams": ["Platform"], "status": "running"}}),
    );
    let id = i["id"].as_str().expect("id").to_string();
    assert_eq!(i["tag"], "ai-rollout");
    let linked = entry(&t, &ana, -1, -1);
    let _other = entry(&t, &ana, 2, 2);
    t.ok("link_initiative", json!({"id": id, "touchpointId": linked}));
    let of = t.ok("initiatives_of_touchpoint", json!({"touchpointId": linked}));
    assert_eq!(of[0]["id"], id.as_str());
    let s = t.ok(
        "add_statement",
        json!({"id": id, "side": "does_not", "text": "It never rates anyone", "saidOn": "2026-09-01"}),
    );
    let s = t.ok(
        "restate_statement",
        json!({"statementId": s["id"], "text": "It is never used to rate anyone", "saidOn": null}),
    );
    assert_eq!(s["history"].as_array().map(Vec::len), Some(2));
    let c = t.ok(
        "add_concern",
        json!({"id": id, "kind": "replacement", "personId": ana, "text": "Her reviews", "touchpointId": linked}),
    );
    assert_eq!(c["answered"], false);
    let c = t.ok(
        "answer_concern",
        json!({"concernId": c["id"], "answer": "Reviews stay human"}),
    );
    assert_eq!(c["answered"], true);
    t.ok(
        "add_guideline",
        json!({"id": id, "text": "Review generated code", "shapedBy": [ana], "touchpointId": null, "agreedOn": null}),
    );
    t.ok(
        "add_outcome",
        json!({"id": id, "kind": "win", "outcome": {"what": "Tests in minutes", "people": [ana]}}),
    );
    t.ok(
        "add_measure",
        json!({"id": id, "measure": {"satisfaction": 1, "collaboration": 0, "quality": 1, "confidence": -1}}),
    );
    t.ok(
        "plan_step",
        json!({"id": id, "step": "exploration", "cadence": "weekly", "hoursPerMonth": null, "since": null}),
    );
    t.ok(
        "mark_step",
        json!({"id": id, "step": "exploration", "touchpointId": linked}),
    );
    let page = t.ok("initiative_page", json!({"id": id}));
    assert_eq!(page["initiative"]["name"], "Copilot roll-out");
    assert_eq!(
        page["balance"]["total"]["balance"], -4.0,
        "only the linked entry counts"
    );
    assert_eq!(page["balance"]["teams"][0]["summary"]["balance"], -4.0);
    assert_eq!(page["plan"][1]["held"], 1);
    assert_eq!(page["measures"][0]["confidence"], -1);
    let ana_only = t.ok(
        "initiative_balance",
        json!({"id": id, "scope": {"type": "person", "id": ana}}),
    );
    assert_eq!(ana_only["events"].as_array().map(Vec::len), Some(1));
    let nudges = t.ok("initiative_nudges", json!({}));
    assert_eq!(nudges.as_array().map(Vec::len), Some(1), "{nudges}");
    assert_eq!(
        (&nudges[0]["type"], &nudges[0]["person"]["name"]),
        (&json!("slipping"), &json!("Ana")),
        "the linked entry fell 4 in 30 days"
    );
    let list = t.ok("initiatives", json!({}));
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    t.ok(
        "set_initiative_status",
        json!({"id": id, "status": "paused"}),
    );
    t.ok("delete_initiative", json!({"id": id}));
    assert_eq!(t.ok("initiatives", json!({})), json!([]));
}

#[test]
fn refusals_answer_a_code_and_write_nothing() {
    let t = TestApp::new();
    t.create_journal();
    let ana = person(&t, "Ana");
    let i = t.ok(
        "add_initiative",
        json!({"initiative": {"name": "Roll-out"}}),
    );
    let id = i["id"].as_str().expect("id").to_string();
    let unlinked = entry(&t, &ana, 1, 1);
    let before = t.ok("initiative_page", json!({"id": id}));
    let e = t.err("add_initiative", json!({"initiative": {"name": "  "}}));
    assert_eq!(e["code"], "invalid_input", "{e}");
    let e = t.err(
        "add_initiative",
        json!({"initiative": {"name": "roll-out"}}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    let e = t.err(
        "add_measure",
        json!({"id": id, "measure": {"satisfaction": 5, "collaboration": 0, "quality": 0, "confidence": 0}}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    let e = t.err(
        "add_concern",
        json!({"id": id, "kind": "workload", "personId": ana, "text": "More work", "touchpointId": unlinked}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert!(e["message"]
        .as_str()
        .expect("message")
        .contains("not linked"));
    t.ok("trash_person", json!({"id": ana}));
    let e = t.err(
        "add_initiative",
        json!({"initiative": {"name": "Another", "people": [ana]}}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    let after = t.ok("initiative_page", json!({"id": id}));
    assert_eq!(before, after);
    assert_eq!(
        t.ok("initiatives", json!({})).as_array().map(Vec::len),
        Some(1)
    );
}

/// The team page is written only where the leader picked, and holds no private text.
#[test]
fn the_team_page_goes_only_to_a_picked_file_and_holds_no_private_text() {
    let t = TestApp::new();
    t.create_journal();
    let ana = person(&t, "Ana");
    let i = t.ok(
        "add_initiative",
        json!({"initiative": {"name": "Roll-out"}}),
    );
    let id = i["id"].as_str().expect("id").to_string();
    let open = entry(&t, &ana, 1, 1);
    t.ok("link_initiative", json!({"id": id, "touchpointId": open}));
    t.ok(
        "add_statement",
        json!({"id": id, "side": "does", "text": "Drafts tests", "saidOn": null}),
    );
    t.ok(
        "add_concern",
        json!({"id": id, "kind": "privacy", "personId": ana, "text": "canaryconcern", "touchpointId": open}),
    );
    let file = t.dir.path().join("team.html");
    let path = file.to_string_lossy().to_string();
    let args = json!({"id": id, "format": "html", "path": path});
    assert_eq!(
        t.err("export_team_page", args.clone())["code"],
        "invalid_input"
    );
    assert!(!file.exists(), "nothing written to an unpicked path");
    t.app.asset_protocol_scope().allow_file(&file).unwrap();
    t.ok("export_team_page", args);
    let page = std::fs::read_to_string(&file).expect("written");
    assert!(page.contains("Drafts tests"));
    assert!(!page.contains("canary") && !page.contains("Ana"), "{page}");
}

/// Capture with initiatives is one call: the entry, its links and the initiative's tag go in
/// together; an unknown initiative refuses the capture and leaves no entry behind. The
/// reflection then asks the initiative's prompts.
#[test]
fn a_capture_links_its_initiatives_in_one_call_and_asks_their_prompts() {
    let t = TestApp::new();
    t.create_journal();
    let ana = person(&t, "Ana");
    let i = t.ok(
        "add_initiative",
        json!({"initiative": {"name": "Copilot roll-out", "status": "running"}}),
    );
    let id = i["id"].as_str().expect("id").to_string();
    let capture = |initiatives: Value| {
        t.call(
            "add_touchpoint",
            json!({"touchpoint": {"kind": "one_on_one", "title": "", "participants": [ana],
                "notes": "", "tags": []}, "initiatives": initiatives}),
        )
    };
    let e = capture(json!([id, "0190a5e0-0000-7000-8000-000000000000"])).unwrap_err();
    assert_eq!(e["code"], "not_found", "{e}");
    let timeline = t.ok("timeline", json!({"filter": {}}));
    assert_eq!(timeline, json!([]), "nothing half-written");

    let tp = capture(json!([id])).expect("capture");
    assert_eq!(tp["tags"], json!(["ai-rollout"]));
    let tp_id = tp["id"].as_str().expect("id");
    let of = t.ok("initiatives_of_touchpoint", json!({"touchpointId": tp_id}));
    assert_eq!(of[0]["id"], id.as_str());
    let sets = t.ok("prompts_for_touchpoint", json!({"touchpointId": tp_id}));
    assert_eq!(
        sets[1]["scope"],
        json!({"type": "tag", "tag": "ai-rollout"})
    );

    // Without the argument (older callers), a capture is a plain entry.
    let plain = t.ok(
        "add_touchpoint",
        json!({"touchpoint": {"kind": "one_on_one", "title": "", "participants": [ana],
            "notes": "", "tags": []}}),
    );
    let of = t.ok(
        "initiatives_of_touchpoint",
        json!({"touchpointId": plain["id"]}),
    );
    assert_eq!(of, json!([]));
}
