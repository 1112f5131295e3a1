//! The Trash screen's commands through IPC: listing with erase dates, restoring, erasing one item
//! now, emptying; each is one call to the core.

use chrono::{DateTime, Duration};
use serde_json::{json, Value};

use super::TestApp;

fn person(t: &TestApp, name: &str) -> String {
    let p = t.ok("add_person", json!({"person": {"name": name}}));
    p["id"].as_str().expect("id").to_string()
}

fn entry(t: &TestApp, who: &str, notes: &str) -> String {
    let tp = t.ok(
        "add_touchpoint",
        json!({"touchpoint": {"kind": "one_on_one", "title": notes, "participants": [who],
            "notes": notes, "tags": []}}),
    );
    let id = tp["id"].as_str().expect("id").to_string();
    t.ok(
        "save_reflection",
        json!({"form": {"touchpoint_id": id, "people": [{"reflection": {
            "touchpoint_id": id, "person_id": who, "answers": [],
            "their_side": "", "willingness": 1, "ability": 1,
            "adversarial": false, "would_have_helped": "", "next_time": ""
        }}]}}),
    );
    id
}

fn hits(t: &TestApp, word: &str) -> usize {
    t.ok(
        "search",
        json!({"query": word, "mode": "plain", "limit": 10}),
    )
    .as_array()
    .expect("hits")
    .len()
}

fn date(v: &Value) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(v.as_str().expect("a date")).expect("rfc 3339")
}

#[test]
fn the_trash_lists_restores_erases_and_empties() {
    let t = TestApp::new();
    t.create_journal();
    assert_eq!(
        t.ok("trash", json!({})),
        json!({"people": [], "entries": []})
    );
    let ana = person(&t, "Ana");
    let ben = person(&t, "Ben");
    entry(&t, &ana, "quokka");
    let bens = entry(&t, &ben, "wombat");
    let kept = entry(&t, &ben, "numbat");
    t.ok("trash_person", json!({"id": ana}));
    t.ok("trash_touchpoint", json!({"id": bens}));
    t.ok("trash_touchpoint", json!({"id": kept}));

    let trash = t.ok("trash", json!({}));
    let p = &trash["people"][0];
    assert_eq!(
        (p["person"]["name"].as_str(), p["entries"].as_u64()),
        (Some("Ana"), Some(1))
    );
    assert_eq!(
        date(&p["erase_after"]) - date(&p["trashed_at"]),
        Duration::days(30)
    );
    let entries = trash["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["people"][0]["name"], "Ben");
    assert_eq!(
        date(&entries[0]["erase_after"]) - date(&entries[0]["trashed_at"]),
        Duration::days(30)
    );

    t.ok("restore_person", json!({"id": ana}));
    assert_eq!(
        t.ok("people", json!({"includeArchived": false}))
            .as_array()
            .expect("people")
            .len(),
        2
    );
    assert_eq!(
        t.err("restore_person", json!({"id": ana}))["code"],
        "not_found"
    );

    let erased = t.ok("erase_touchpoint", json!({"id": bens}));
    assert_eq!(erased, json!({"people": 0, "entries": 1, "reflections": 1}));
    assert_eq!(hits(&t, "wombat"), 0);
    assert_eq!(
        t.err("restore_touchpoint", json!({"id": bens}))["code"],
        "not_found"
    );

    t.ok("restore_touchpoint", json!({"id": kept}));
    assert_eq!(hits(&t, "numbat"), 1);
    t.ok("trash_person", json!({"id": ana}));
    let erased = t.ok("empty_trash", json!({}));
    assert_eq!(erased, json!({"people": 1, "entries": 1, "reflections": 1}));
    assert_eq!(
        t.ok("trash", json!({})),
        json!({"people": [], "entries": []})
    );
    assert_eq!(hits(&t, "quokka"), 0);
    assert_eq!(hits(&t, "numbat"), 1, "only the trash was emptied");
}

#[test]
fn a_trashed_person_can_be_erased_now() {
    let t = TestApp::new();
    t.create_journal();
    let ana = person(&t, "Ana");
    entry(&t, &ana, "pangolin");
    t.ok("trash_person", json!({"id": ana}));
    let erased = t.ok("erase_person", json!({"id": ana}));
    assert_eq!(erased, json!({"people": 1, "entries": 1, "reflections": 1}));
    assert_eq!(hits(&t, "pangolin"), 0);
    assert_eq!(t.ok("trash", json!({}))["people"], json!([]));
    assert_eq!(
        t.err("erase_person", json!({"id": ana}))["code"],
        "not_found"
    );
    assert_eq!(
        t.err("erase_touchpoint", json!({"id": ana}))["code"],
        "not_found"
    );
}
