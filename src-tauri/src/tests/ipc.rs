//! One scenario per screen, through IPC exactly as the UI calls it (camelCase arguments).

use serde_json::{json, Value};
use tauri::Manager;

use super::{TestApp, PASSPHRASE};
use crate::commands::COMMANDS;

/// Every command in the list is registered and granted to the main window: called with no
/// arguments while no journal exists, none answers "not found" or "not allowed".
#[test]
fn every_command_is_registered_and_allowed() {
    let t = TestApp::new();
    // The demo takes seconds to fill; `demo_journal_is_filled_and_replaces_the_last_one` calls it.
    for cmd in COMMANDS.iter().filter(|c| **c != "create_demo_journal") {
        if let Err(e) = t.call(cmd, json!({})) {
            let text = e.to_string();
            assert!(
                !text.contains("not found") && !text.contains("not allowed"),
                "{cmd}: {text}"
            );
        }
    }
    let unknown = t.err("drop_everything", json!({})).to_string();
    assert!(unknown.contains("not found"), "{unknown}");
}

/// The capability grants exactly the app's commands plus the few plugin and core permissions
/// the UI needs; anything else there widens what a compromised page could do.
#[test]
fn capability_grants_exactly_what_the_ui_needs() {
    let text = include_str!("../../capabilities/default.json");
    let cap: Value = serde_json::from_str(text).unwrap();
    assert_eq!(cap["windows"], json!(["main"]));
    let granted: Vec<&str> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("permissions are plain identifiers"))
        .collect();
    let mut expected: Vec<String> = [
        "core:event:allow-listen",
        "core:event:allow-unlisten",
        "core:window:default",
        "notification:default",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    expected.extend(
        COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-"))),
    );
    assert_eq!(granted, expected);
}

/// First run: no journal; creating one answers a recovery code in 8 groups of 4 and leaves it open.
#[test]
fn first_run_creates_an_unlocked_journal() {
    let t = TestApp::new();
    let status = t.ok("app_status", json!({}));
    assert_eq!(status["state"], "no_journal");
    assert_eq!(status["demo"], false);
    assert_eq!(status["auto_lock_minutes"], 10);
    assert_eq!(
        status["journal_dir"],
        t.dir.path().join("journal").to_string_lossy().as_ref()
    );
    let code = t.create_journal();
    let groups: Vec<&str> = code.split('-').collect();
    assert_eq!(groups.len(), 8, "{code}");
    assert!(groups.iter().all(|g| g.len() == 4), "{code}");
    assert_eq!(t.ok("app_status", json!({}))["state"], "unlocked");
    let again = t.err(
        "create_journal",
        json!({"dir": null, "passphrase": PASSPHRASE}),
    );
    assert_eq!(again["code"], "already_exists");
}

/// A weak new passphrase is refused with `weak_passphrase`, the core's reason and suggestion
/// (exactly those `passphrase_strength` gives the meter), and no journal is made.
#[test]
fn a_weak_new_passphrase_is_refused() {
    let t = TestApp::new();
    for weak in [
        "short",
        "password",
        "password1",
        "touchpoint2026",
        "aaaaaaaaaaaa",
    ] {
        let meter = t.ok("passphrase_strength", json!({"passphrase": weak}));
        assert_eq!(meter["acceptable"], false, "{weak}: {meter}");
        let err = t.err("create_journal", json!({"dir": null, "passphrase": weak}));
        assert_eq!(err["code"], "weak_passphrase", "{weak}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(
            message.contains(meter["reason"].as_str().unwrap())
                && message.contains(meter["suggestion"].as_str().unwrap()),
            "the meter's reason and suggestion: {message} / {meter}"
        );
        assert_eq!(t.ok("app_status", json!({}))["state"], "no_journal");
    }
}

/// The meter and the commands agree: what `passphrase_strength` accepts, `create_journal`
/// accepts; what it refuses, every command taking a new passphrase refuses.
#[test]
fn passphrase_strength_is_the_rule_the_commands_apply() {
    let t = TestApp::new();
    let weak = t.ok("passphrase_strength", json!({"passphrase": "password1"}));
    let strong = t.ok(
        "passphrase_strength",
        json!({"passphrase": "harbour quietly lantern mosaic 1987 thistle"}),
    );
    assert!(weak["score"].as_u64() < strong["score"].as_u64());
    assert_eq!(weak["acceptable"], false);
    assert_eq!(strong["acceptable"], true);
    assert_eq!(strong["min_score"], 3);
    assert!(weak["reason"].is_string() && weak["suggestion"].is_string());

    let code = t.create_journal();
    let refused = t.err(
        "change_passphrase",
        json!({"current": PASSPHRASE, "new": "password1"}),
    );
    assert_eq!(refused["code"], "weak_passphrase");
    let refused = t.err(
        "export_journal",
        json!({
            "request": {"options": {}, "format": "bundle", "path": "/tmp/never.touchpoint", "recipients": []},
            "passphrase": "password1",
            "onProgress": "__CHANNEL__:1"
        }),
    );
    assert_eq!(refused["code"], "weak_passphrase", "{refused}");
    t.ok("lock", json!({}));
    let refused = t.err(
        "recover",
        json!({"code": code, "newPassphrase": "password1"}),
    );
    assert_eq!(refused["code"], "weak_passphrase");
    // Nothing changed: the passphrase still opens the journal.
    assert_eq!(
        t.ok("unlock", json!({"passphrase": PASSPHRASE}))["state"],
        "unlocked"
    );
}

/// Unlock screen: a wrong passphrase is the exact error object the UI matches on.
#[test]
fn unlock_with_a_wrong_passphrase_is_refused_exactly() {
    let t = TestApp::new();
    t.create_journal();
    assert_eq!(t.ok("lock", json!({}))["state"], "locked");
    let err = t.err("unlock", json!({"passphrase": "not the passphrase"}));
    assert_eq!(
        err,
        json!({"code": "wrong_passphrase", "message": "wrong passphrase"})
    );
    assert_eq!(t.ok("app_status", json!({}))["state"], "locked");
    assert_eq!(
        t.ok("unlock", json!({"passphrase": PASSPHRASE}))["state"],
        "unlocked"
    );
}

/// Every journal command answers journal_locked while locked, before looking at its arguments' meaning.
#[test]
fn journal_commands_answer_journal_locked_while_locked() {
    let t = TestApp::new();
    t.create_journal();
    t.ok("lock", json!({}));
    let expected = json!({"code": "journal_locked", "message": "the journal is locked; unlock it to continue"});
    assert_eq!(t.err("today", json!({})), expected);
    assert_eq!(t.err("settings", json!({})), expected);
    assert_eq!(t.err("prompt_sets", json!({})), expected);
    assert_eq!(
        t.err("search", json!({"query": "x", "mode": "plain", "limit": 5})),
        expected
    );
}

/// Forgotten passphrase: the recovery code sets a new one and opens the journal.
#[test]
fn recovery_code_sets_a_new_passphrase() {
    let t = TestApp::new();
    let code = t.create_journal();
    t.ok("lock", json!({}));
    let wrong = t.err(
        "recover",
        json!({"code": "0000-0000-0000-0000-0000-0000-0000-0000", "newPassphrase": "a brand new passphrase"}),
    );
    assert_eq!(wrong["code"], "wrong_passphrase");
    let status = t.ok(
        "recover",
        json!({"code": code.to_lowercase(), "newPassphrase": "a brand new passphrase"}),
    );
    assert_eq!(status["state"], "unlocked");
    t.ok("lock", json!({}));
    t.ok("unlock", json!({"passphrase": "a brand new passphrase"}));
}

/// People, Today, the balance and its explanation, the timeline and search, as one leader's session.
#[test]
fn leader_logs_a_one_on_one_and_sees_it_everywhere() {
    let t = TestApp::new();
    t.create_journal();
    let ana = t.ok(
        "add_person",
        json!({"person": {"name": "Ana Costa", "group": "direct_report", "teams": ["Platform"]}}),
    );
    assert_eq!(ana["name"], "Ana Costa");
    assert_eq!(ana["cadence_days"], 14);
    let id = ana["id"].as_str().unwrap().to_string();
    let people = t.ok("people", json!({"includeArchived": false}));
    assert_eq!(people.as_array().unwrap().len(), 1);
    assert_eq!(t.ok("teams", json!({}))[0]["name"], "Platform");

    let tp = t.ok(
        "add_touchpoint",
        json!({"touchpoint": {
            "kind": "one_on_one",
            "title": "Weekly one-on-one",
            "participants": [id],
            "notes": "Talked about the migration deadline and the on-call rotation.",
            "tags": ["q3-planning"]
        }}),
    );
    let tp_id = tp["id"].as_str().unwrap().to_string();
    t.ok(
        "save_reflection",
        json!({"form": {"touchpoint_id": tp_id, "people": [{"reflection": {
            "touchpoint_id": tp_id, "person_id": id, "answers": [],
            "their_side": "They felt heard.", "willingness": 2, "ability": 1,
            "adversarial": false, "would_have_helped": "", "next_time": ""
        }}]}}),
    );
    let detail = t.ok("touchpoint_detail", json!({"id": tp_id}));
    assert_eq!(detail["reflections"].as_array().unwrap().len(), 1);

    let today = t.ok("today", json!({}));
    for key in ["drafts", "overdue", "commitments_due", "slipping"] {
        assert!(today.get(key).is_some(), "Today has {key}: {today}");
    }
    let balance = t.ok("balance", json!({"scope": {"type": "person", "id": id}}));
    assert_eq!(balance["balance"], 3.0, "{balance}");
    let overview = t.ok("person_overview", json!({"id": id}));
    assert_eq!(overview["balance"], 3.0);
    assert_eq!(t.ok("overview", json!({})).as_array().unwrap().len(), 1);

    let timeline = t.ok("timeline", json!({"filter": {"person": id, "limit": 10}}));
    assert_eq!(timeline.as_array().unwrap().len(), 1);
    assert_eq!(timeline[0]["title"], "Weekly one-on-one");
    let hits = t.ok(
        "search",
        json!({"query": "migration", "mode": "plain", "limit": 10}),
    );
    assert_eq!(hits[0]["touchpoint_id"], tp_id.as_str());
    assert_eq!(t.ok("tags", json!({})), json!([["q3-planning", 1]]));

    let c = t.ok(
        "add_commitment",
        json!({"personId": id, "what": "Share the on-call plan", "due": "2030-01-15", "touchpointId": tp_id}),
    );
    let kept = t.ok(
        "resolve_commitment",
        json!({"id": c["id"], "status": "kept"}),
    );
    assert_eq!(kept["status"], "kept");
    assert_eq!(
        t.ok("commitments", json!({"personId": id, "openOnly": true})),
        json!([])
    );
    let topic = t.ok(
        "add_topic",
        json!({"personId": id, "text": "Promotion criteria", "touchpointId": null}),
    );
    t.ok("close_topic", json!({"id": topic["id"], "closed": true}));
    assert_eq!(
        t.ok("topics", json!({"personId": null, "openOnly": true})),
        json!([])
    );

    t.ok("trash_touchpoint", json!({"id": tp_id}));
    let missing = t.err(
        "person_overview",
        json!({"id": "018f0000-0000-7000-8000-000000000000"}),
    );
    assert_eq!(missing["code"], "not_found");
}

/// Prompt library: the built-in sets, the sets for a touchpoint, and recalibrate prompts.
#[test]
fn prompt_library_answers_sets_for_a_touchpoint() {
    let t = TestApp::new();
    t.create_journal();
    let sets = t.ok("prompt_sets", json!({}));
    assert!(sets
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["builtin"] == true));
    let for_meeting = t.ok(
        "prompts_for",
        json!({"kind": "one_on_one", "tags": ["ai-rollout"]}),
    );
    assert_eq!(
        for_meeting[0]["scope"]["kind"], "one_on_one",
        "{for_meeting}"
    );
    let recal = t.ok("recalibrate_prompts", json!({"dimension": "ability"}));
    assert!(recal.is_object(), "{recal}");

    let mut copy = sets[0].clone();
    copy["name"] = json!("My one-on-one questions");
    let saved = t.ok("save_prompt_set", json!({"set": copy}));
    assert_eq!(saved["builtin"], false);
    assert_ne!(saved["id"], sets[0]["id"]);
    t.ok("reorder_prompt_sets", json!({"ids": [saved["id"]]}));
    t.ok("delete_prompt_set", json!({"id": saved["id"]}));
}

/// Files are read and written only where the user picked them in a dialog.
#[test]
fn prompt_files_only_at_paths_picked_in_a_dialog() {
    let t = TestApp::new();
    t.create_journal();
    let set = t.ok("prompt_sets", json!({}))[0].clone();
    t.ok("save_prompt_set", json!({"set": set}));
    let file = t.dir.path().join("prompts.json");
    let path = file.to_string_lossy().to_string();

    let refused = t.err(
        "export_prompt_sets",
        json!({"path": path, "includeBuiltin": false}),
    );
    assert_eq!(refused["code"], "invalid_input");
    assert!(!file.exists(), "nothing written to an unpicked path");

    // What the dialog plugin does when the user picks the file.
    t.app.asset_protocol_scope().allow_file(&file).unwrap();
    t.ok(
        "export_prompt_sets",
        json!({"path": path, "includeBuiltin": false}),
    );
    let imported = t.ok("import_prompt_sets", json!({"path": path}));
    assert_eq!(imported.as_array().unwrap().len(), 1);

    let elsewhere = t.dir.path().join("journal").join("journal.key");
    let err = t.err(
        "import_prompt_sets",
        json!({"path": elsewhere.to_string_lossy()}),
    );
    assert_eq!(err["code"], "invalid_input");

    // Picking the journal folder (to open it) allows everything under it; an export there
    // would overwrite the key file, so it is refused.
    let key = std::fs::read(&elsewhere).unwrap();
    t.app
        .asset_protocol_scope()
        .allow_directory(t.dir.path().join("journal"), true)
        .unwrap();
    let err = t.err(
        "export_prompt_sets",
        json!({"path": elsewhere.to_string_lossy(), "includeBuiltin": true}),
    );
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(
        std::fs::read(&elsewhere).unwrap(),
        key,
        "the key file is untouched"
    );
}

/// Settings round-trip, and an invalid value is refused with nothing changed.
#[test]
fn settings_are_validated_and_saved() {
    let t = TestApp::new();
    t.create_journal();
    let mut settings = t.ok("settings", json!({}));
    assert_eq!(settings["auto_lock_minutes"], 10);
    settings["loss_weight"] = json!(9.0);
    let err = t.err("update_settings", json!({"settings": settings}));
    assert_eq!(err["code"], "invalid_input");
    settings["loss_weight"] = json!(1.5);
    let saved = t.ok("update_settings", json!({"settings": settings}));
    assert_eq!(saved["loss_weight"], 1.5);
    assert_eq!(t.ok("settings", json!({}))["loss_weight"], 1.5);
}

/// Changing the passphrase needs the current one; a new recovery code replaces the old one.
#[test]
fn passphrase_and_recovery_code_can_be_replaced() {
    let t = TestApp::new();
    let first_code = t.create_journal();
    let wrong = t.err(
        "change_passphrase",
        json!({"current": "nope nope nope", "new": "another fine passphrase"}),
    );
    assert_eq!(wrong["code"], "wrong_passphrase");
    t.ok(
        "change_passphrase",
        json!({"current": PASSPHRASE, "new": "another fine passphrase"}),
    );
    let code = t.ok(
        "new_recovery_code",
        json!({"current": "another fine passphrase"}),
    );
    assert_ne!(code.as_str().unwrap(), first_code);
    t.ok("lock", json!({}));
    let old = t.err(
        "recover",
        json!({"code": first_code, "newPassphrase": "yet another passphrase"}),
    );
    assert_eq!(old["code"], "wrong_passphrase");
    t.ok("unlock", json!({"passphrase": "another fine passphrase"}));
}

/// Backups: one made now is listed and restores; the journal is locked afterwards.
#[test]
fn a_backup_restores_and_leaves_the_journal_locked() {
    let t = TestApp::new();
    t.create_journal();
    let backup = t.ok("backup_now", json!({}));
    t.ok("add_person", json!({"person": {"name": "After Backup"}}));
    let listed = t.ok("backups", json!({}));
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["path"] == backup["path"]));

    let outside = t.err(
        "restore_backup",
        json!({"path": "/etc/passwd", "passphrase": PASSPHRASE}),
    );
    assert_eq!(outside["code"], "invalid_input");
    assert_eq!(t.ok("app_status", json!({}))["state"], "unlocked");

    // A wrong passphrase restores nothing and leaves the journal open as it was.
    let wrong = t.err(
        "restore_backup",
        json!({"path": backup["path"], "passphrase": "not the passphrase at all"}),
    );
    assert_eq!(wrong["code"], "wrong_passphrase");
    assert_eq!(t.ok("app_status", json!({}))["state"], "unlocked");
    assert_eq!(
        t.ok("people", json!({"includeArchived": true}))[0]["name"],
        "After Backup"
    );

    let status = t.ok(
        "restore_backup",
        json!({"path": backup["path"], "passphrase": PASSPHRASE}),
    );
    assert_eq!(status["state"], "locked");
    t.ok("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(t.ok("people", json!({"includeArchived": true})), json!([]));
}

/// Lets the commands use the folder `path`, as if the user had picked it in a dialog.
fn pick_folder(t: &TestApp, path: &std::path::Path) {
    t.app
        .state::<crate::files::PickedFiles>()
        .allow(path, true)
        .expect("allowed");
}

/// Open an existing journal elsewhere: it must be a journal; the app points at it, locked.
#[test]
fn choose_journal_points_at_an_existing_journal() {
    let t = TestApp::new();
    let empty = t.dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    pick_folder(&t, &empty);
    let err = t.err("choose_journal", json!({"dir": empty.to_string_lossy()}));
    assert_eq!(err["code"], "no_journal");

    let other = t.dir.path().join("other");
    pick_folder(&t, &other);
    t.ok(
        "create_journal",
        json!({"dir": other.to_string_lossy(), "passphrase": PASSPHRASE}),
    );
    let status = t.ok("choose_journal", json!({"dir": other.to_string_lossy()}));
    assert_eq!(status["state"], "locked");
    assert_eq!(status["journal_dir"], other.to_string_lossy().as_ref());
}

/// Demo: a filled sample journal replacing the last one, unlocked; locking it returns to the
/// leader's own folder.
#[test]
fn demo_journal_is_filled_and_replaces_the_last_one() {
    let t = TestApp::new();
    let stale = t.dir.path().join("demo-journal").join("left-over");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "an old demo").unwrap();
    let summary = t.ok("create_demo_journal", json!({}));
    assert_eq!(summary["people"], 24);
    assert_eq!(summary["touchpoints"], 1500);
    assert!(!stale.exists(), "the previous demo folder is removed first");
    let status = t.ok("app_status", json!({}));
    assert_eq!(status["state"], "unlocked");
    assert_eq!(status["demo"], true);
    assert_eq!(
        t.ok("people", json!({"includeArchived": false}))
            .as_array()
            .unwrap()
            .len(),
        24
    );
    let status = t.ok("lock", json!({}));
    assert_eq!(status["demo"], false);
    assert_eq!(status["state"], "no_journal");
    assert_eq!(
        status["journal_dir"],
        t.dir.path().join("journal").to_string_lossy().as_ref()
    );
}
