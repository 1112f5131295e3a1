//! What the shell lets out of its hands: folders only when picked in a dialog this run, and the
//! reviewer's name kept in the journal.

use std::path::Path;

use serde_json::json;
use tauri::Manager;
use touchpoint_core::secret::Passphrase;
use touchpoint_core::Journal;

use super::{TestApp, CHANNEL, PASSPHRASE};
use crate::files::PickedFiles;

/// Lets the commands use the folder `path` (and what is in it), as if the user had picked it.
fn pick_folder(t: &TestApp, path: &Path) -> String {
    t.app
        .state::<PickedFiles>()
        .allow(path, true)
        .expect("allowed");
    path.to_string_lossy().into_owned()
}

/// Everything in `dir` (nothing when it does not exist).
fn contents(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `create_journal` makes a journal only in the default folder or one picked this run: an
/// unpicked folder, or a picked one's `..` path to elsewhere, is `invalid_input` and nothing
/// is created there.
#[test]
fn create_journal_only_in_a_picked_folder() {
    let t = TestApp::new();
    let empty = t.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let absent = t.dir.path().join("absent");
    let picked = t.dir.path().join("picked");
    std::fs::create_dir(&picked).unwrap();
    pick_folder(&t, &picked);
    let escape = format!("{}/../escaped", picked.display());
    for dir in [
        empty.to_string_lossy().into_owned(),
        absent.to_string_lossy().into_owned(),
        escape,
        "relative/journal".to_string(),
    ] {
        let err = t.err(
            "create_journal",
            json!({"dir": dir, "passphrase": PASSPHRASE}),
        );
        assert_eq!(err["code"], "invalid_input", "{dir}: {err}");
        assert_eq!(t.ok("app_status", json!({}))["state"], "no_journal");
    }
    assert!(contents(&empty).is_empty(), "nothing created in {empty:?}");
    assert!(!absent.exists(), "{absent:?} not created");
    assert!(
        !t.dir.path().join("escaped").exists(),
        "no escape through .."
    );
    assert!(!Path::new("relative").exists());

    let inside = picked.join("journal");
    t.ok(
        "create_journal",
        json!({"dir": inside.to_string_lossy(), "passphrase": PASSPHRASE}),
    );
    let status = t.ok("app_status", json!({}));
    assert_eq!(status["state"], "unlocked");
    assert_eq!(status["journal_dir"], inside.to_string_lossy().as_ref());
}

/// `choose_journal` points the app only at a folder picked this run; an unpicked journal
/// folder is `invalid_input` and the app stays where it was.
#[test]
fn choose_journal_only_a_picked_folder() {
    let t = TestApp::new();
    let elsewhere = t.dir.path().join("elsewhere");
    let pass = Passphrase::new(PASSPHRASE.into());
    drop(Journal::init(&elsewhere, &pass).expect("a journal made outside the app"));
    let before = contents(&elsewhere);
    let err = t.err(
        "choose_journal",
        json!({"dir": elsewhere.to_string_lossy()}),
    );
    assert_eq!(err["code"], "invalid_input", "{err}");
    let status = t.ok("app_status", json!({}));
    assert_eq!(
        status["journal_dir"],
        t.dir.path().join("journal").to_string_lossy().as_ref(),
        "still pointing at the default folder"
    );
    assert_eq!(contents(&elsewhere), before);

    let dir = pick_folder(&t, &elsewhere);
    let status = t.ok("choose_journal", json!({"dir": dir}));
    assert_eq!(status["state"], "locked");
    assert_eq!(status["journal_dir"], dir.as_str());
}

/// A new backup folder must be picked this run: an unpicked one is `invalid_input`, the
/// settings stay as they were, and a backup made afterwards does not go there. A folder saved
/// in an earlier run stays usable without picking it again.
#[test]
fn backup_folder_only_a_picked_folder() {
    let t = TestApp::new();
    t.create_journal();
    let unpicked = t.dir.path().join("unpicked-backups");
    std::fs::create_dir(&unpicked).unwrap();
    let mut settings = t.ok("settings", json!({}));
    let saved = settings.clone();
    settings["backup_dir"] = json!(unpicked.to_string_lossy());
    let err = t.err("update_settings", json!({"settings": settings}));
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert_eq!(t.ok("settings", json!({})), saved, "nothing changed");
    t.ok("backup_now", json!({}));
    assert!(
        contents(&unpicked).is_empty(),
        "no backup in an unpicked folder"
    );

    let picked = t.dir.path().join("picked-backups");
    std::fs::create_dir(&picked).unwrap();
    settings["backup_dir"] = json!(pick_folder(&t, &picked));
    t.ok("update_settings", json!({"settings": settings}));
    t.ok("backup_now", json!({}));
    assert!(
        !contents(&picked).is_empty(),
        "the picked folder gets backups"
    );
    t.ok("lock", json!({}));

    // Another run of the app: the saved folder is kept when other settings change.
    let next = TestApp::new();
    let journal = pick_folder(&next, &t.dir.path().join("journal"));
    next.ok("choose_journal", json!({"dir": journal}));
    next.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let mut settings = next.ok("settings", json!({}));
    assert_eq!(settings["backup_dir"], picked.to_string_lossy().as_ref());
    settings["auto_lock_minutes"] = json!(5);
    let saved = next.ok("update_settings", json!({"settings": settings}));
    assert_eq!(saved["auto_lock_minutes"], 5);
    settings["backup_dir"] = json!(unpicked.to_string_lossy());
    let err = next.err("update_settings", json!({"settings": settings}));
    assert_eq!(
        err["code"], "invalid_input",
        "not picked in this run: {err}"
    );
}

/// The name a coach signs a review with is kept in the coach's own journal (not in the
/// webview's storage) and offered with the next review, across a lock.
#[test]
fn the_reviewer_name_is_kept_in_the_journal() {
    let leader = TestApp::new();
    let coach = TestApp::new();
    leader.create_journal();
    coach.create_journal();
    let ana = leader.ok("add_person", json!({"person": {"name": "Ana Costa"}}));
    leader.ok(
        "add_touchpoint",
        json!({"touchpoint": {"kind": "one_on_one", "title": "Roadmap talk", "participants": [ana["id"]]}}),
    );
    let coach_key = coach.ok("public_key", json!({}));
    let bundle = leader.dir.path().join("for-coach.touchpoint");
    leader
        .app
        .state::<PickedFiles>()
        .allow(&bundle, false)
        .unwrap();
    leader.ok(
        "export_journal",
        json!({
            "request": {"options": {}, "format": "bundle", "path": bundle.to_string_lossy(),
                        "recipients": [coach_key]},
            "passphrase": null,
            "onProgress": CHANNEL
        }),
    );
    coach
        .app
        .state::<PickedFiles>()
        .allow(&bundle, false)
        .unwrap();
    let open = json!({"path": bundle.to_string_lossy(), "passphrase": null});
    let info = coach.ok("open_review", open.clone());
    assert_eq!(info["reviewer"], "", "no name yet");
    let entries = coach.ok("review_timeline", json!({"personId": null}));
    coach.ok(
        "annotate",
        json!({"targetId": entries[0]["id"], "text": "Ask what she needs first."}),
    );
    std::fs::create_dir(coach.dir.path().join("out")).unwrap();
    let back = pick_folder(&coach, &coach.dir.path().join("out"));
    coach.ok(
        "export_review",
        json!({"path": format!("{back}/back.touchpoint-review"), "author": " Coach Kim "}),
    );
    assert_eq!(
        coach.ok("settings", json!({}))["reviewer_name"],
        "Coach Kim"
    );
    coach.ok("lock", json!({}));
    coach.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let info = coach.ok("open_review", open);
    assert_eq!(info["reviewer"], "Coach Kim", "offered again after a lock");
}
