//! The coach round trip and imports through the CLI: keys, exports, review files, calendars.

use crate::util::{Sandbox, PASS};

fn out(s: &Sandbox, name: &str) -> String {
    s.dir.path().join(name).to_string_lossy().into_owned()
}

#[test]
fn a_coach_reviews_a_bundle_and_the_leader_sees_the_comment() {
    let leader = Sandbox::new();
    let coach = Sandbox::new();
    leader.person("Ana Costa");
    let entry = leader
        .run(&[
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana Costa",
            "--notes",
            "Roadmap slip",
            "--willingness",
            "1",
            "--ability",
            "-2",
        ])
        .ok()
        .trim()
        .to_string();
    let coach_key = coach.run(&["key", "show"]).ok().trim().to_string();
    assert!(coach_key.starts_with("age1"), "{coach_key}");
    let bundle = out(&leader, "for-coach.touchpoint");
    leader
        .run(&[
            "export",
            "--format",
            "bundle",
            "--recipient",
            &coach_key,
            "--out",
            &bundle,
        ])
        .ok();

    let list = coach.run(&["--json", "review", &bundle, "list"]).json();
    assert_eq!(list["touchpoints"].as_array().expect("entries").len(), 1);
    assert_eq!(
        coach
            .run(&["--json", "review", &bundle, "balance", "Ana Costa"])
            .json()["balance"],
        -2.0
    );
    coach
        .run(&[
            "review",
            &bundle,
            "annotate",
            &entry,
            "Ask what she heard first",
        ])
        .ok();
    let review = out(&coach, "back.touchpoint-review");
    coach
        .run(&[
            "review",
            &bundle,
            "export-review",
            "--author",
            "Sam",
            "--out",
            &review,
        ])
        .ok();

    // Someone else's journal cannot open a bundle meant for the coach.
    let stranger = Sandbox::new();
    let refused = stranger.run(&["review", &bundle, "list"]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);

    leader.run(&["import", &review]).ok();
    let shown = leader.run(&["--json", "show", &entry]).json();
    assert_eq!(shown["touchpoint"]["id"], entry.as_str());
    let comments = shown["annotations"].as_array().expect("annotations");
    assert_eq!(comments.len(), 1, "{shown}");
    assert_eq!(comments[0]["text"], "Ask what she heard first");
    assert_eq!(comments[0]["author"], "Sam");
    let again = leader.run(&["--json", "import", &review]).json();
    assert_eq!(again["kind"], "review");
}

#[test]
fn a_passphrase_bundle_imports_into_an_empty_journal_once() {
    let a = Sandbox::new();
    a.person("Ana");
    a.run(&[
        "add",
        "--kind",
        "feedback",
        "--with",
        "Ana",
        "--notes",
        "kept promise",
        "--willingness",
        "2",
        "--ability",
        "1",
    ])
    .ok();
    a.run(&[
        "add",
        "--kind",
        "conflict",
        "--with",
        "Ana",
        "--notes",
        "private matter",
        "--private",
    ])
    .ok();
    let bundle = out(&a, "mine.touchpoint");
    a.run_with(
        &["export", "--format", "bundle", "--out", &bundle],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_EXPORT_PASSPHRASE", "bundle passphrase"),
        ],
    )
    .ok();
    let b = Sandbox::new();
    let wrong = b.run_with(
        &["import", &bundle],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_EXPORT_PASSPHRASE", "nope nope"),
        ],
    );
    assert_eq!(wrong.code, 3, "{}", wrong.stderr);
    let env = [
        ("TOUCHPOINT_PASSPHRASE", PASS),
        ("TOUCHPOINT_EXPORT_PASSPHRASE", "bundle passphrase"),
    ];
    b.run_with(&["import", &bundle], &env).ok();
    assert_eq!(
        b.run(&["--json", "list"])
            .json()
            .as_array()
            .expect("list")
            .len(),
        1,
        "the private entry never left"
    );
    assert_eq!(b.run(&["--json", "balance", "Ana"]).json()["balance"], 3.0);
    let second = b.run_with(&["--json", "import", &bundle], &env).json();
    assert_eq!(second["touchpoints"]["added"], 0, "{second}");
    assert_eq!(
        b.run(&["--json", "list"])
            .json()
            .as_array()
            .expect("list")
            .len(),
        1
    );
}

#[test]
fn pseudonymised_reports_hide_the_name() {
    let s = Sandbox::new();
    s.person("Zebediah Quartermaine");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Zebediah Quartermaine",
        "--notes",
        "Zebediah asked for help",
        "--willingness",
        "1",
        "--ability",
        "1",
    ])
    .ok();
    for format in ["html", "markdown", "json"] {
        let path = out(&s, &format!("report.{format}"));
        s.run(&[
            "export",
            "--format",
            format,
            "--pseudonymise",
            "--out",
            &path,
        ])
        .ok();
        let text = std::fs::read_to_string(&path).expect("report written");
        assert!(
            !text.contains("Zebediah") && !text.contains("Quartermaine"),
            "{format} leaks the name"
        );
        assert!(text.contains("Person A"), "{format} uses the label");
    }
}

#[test]
fn calendars_become_drafts_once_and_garbage_is_refused() {
    let s = Sandbox::new();
    s.run(&["person", "add", "Ana Costa", "--email", "ana@example.org"])
        .ok();
    let when = chrono::Utc::now() - chrono::Duration::days(1);
    let stamp = when.format("%Y%m%dT%H%M%SZ");
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:abc-123\r\nDTSTART:{stamp}\r\nDURATION:PT30M\r\nSUMMARY:Weekly 1:1\r\nORGANIZER;CN=Me:mailto:me@example.org\r\nATTENDEE;CN=Ana Costa:mailto:ana@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let path = out(&s, "calendar.txt");
    std::fs::write(&path, ics).expect("write");
    s.run(&["import", &path]).ok();
    let drafts = s.run(&["--json", "list", "--drafts"]).json();
    assert_eq!(drafts.as_array().expect("drafts").len(), 1);
    assert_eq!(drafts[0]["kind"], "one_on_one");
    assert_eq!(drafts[0]["participants"][0]["name"], "Ana Costa");
    s.run(&["import", &path]).ok();
    assert_eq!(
        s.run(&["--json", "list"])
            .json()
            .as_array()
            .expect("list")
            .len(),
        1,
        "no duplicate"
    );

    let junk = out(&s, "junk.bin");
    std::fs::write(&junk, b"\x00\x01 not a journal").expect("write");
    let refused = s.run(&["import", &junk]);
    assert_eq!(refused.code, 6, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("not a file Touchpoint can import"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_calendar_import_lists_the_events_it_left_out_and_its_guesses() {
    let broken = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/src/import/testdata/calendars/broken.ics"
    );
    let window = ["--from", "2024-05-01", "--to", "2024-06-30"];
    let s = Sandbox::new();
    let mut args = vec!["import", broken];
    args.extend(window);
    let text = s.run(&args).ok().to_string();
    assert!(
        text.contains("Imported: 4 added, 0 updated, 0 unchanged, 0 removed, 0 skipped."),
        "{text}"
    );
    assert!(
        text.contains(
            "Skipped 6 events:\n  line 10: Team sync — no start time\n  line 15: Thirteenth month — its repeat rule (line 18) cannot be read: RRULE BYMONTH value 13 is out of range\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Notes:\n  line 32: Rover check-in — time zone \"Mars/Olympus_Mons\" is unknown; its times were read in your own time zone\n"
        ),
        "{text}"
    );

    let fresh = Sandbox::new();
    let mut args = vec!["--json", "import", broken];
    args.extend(window);
    let json = fresh.run(&args).json();
    assert_eq!(json["kind"], "calendar");
    assert_eq!(json["added"], 4);
    let skipped = json["skipped_events"].as_array().expect("skipped_events");
    assert_eq!(skipped.len(), 6);
    assert_eq!(skipped[0]["line"], 10);
    assert_eq!(skipped[0]["summary"], "Team sync");
    assert_eq!(skipped[0]["reason"], "no start time");
    assert_eq!(json["notes"][0]["line"], 32);

    // A dry run shows the same lists and changes nothing.
    let dry = Sandbox::new();
    let mut args = vec!["import", broken, "--dry-run"];
    args.extend(window);
    let text = dry.run(&args).ok().to_string();
    assert!(
        text.contains("Skipped 6 events:\n  line 10: Team sync — no start time\n"),
        "{text}"
    );
    assert!(text.contains("Notes:\n  line 32: Rover check-in"), "{text}");
    assert_eq!(
        dry.run(&["--json", "list"]).json().as_array().map(Vec::len),
        Some(0)
    );

    // A clean file prints neither list.
    let clean = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/src/import/testdata/calendars/nextcloud.ics"
    );
    let mut args = vec!["import", clean];
    args.extend(window);
    let text = s.run(&args).ok().to_string();
    assert!(
        !text.contains("Skipped") && !text.contains("Notes"),
        "{text}"
    );
}

/// The whole journal as a JSON export, less its time of export: what a refused or stopped
/// import must leave exactly as it was.
fn whole(s: &Sandbox) -> serde_json::Value {
    let path = out(s, &format!("whole-{}.json", uuid_like()));
    s.run(&["export", "--format", "json", "--out", &path]).ok();
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("export")).expect("json");
    doc["exported_at"] = serde_json::Value::Null;
    std::fs::remove_file(&path).expect("remove");
    doc
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_nanos()
}

/// A leader with one reflected entry on Ana, and its id.
fn leader_with_entry() -> (Sandbox, String) {
    let leader = Sandbox::new();
    leader.person("Ana Costa");
    let entry = leader
        .run(&[
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana Costa",
            "--notes",
            "Roadmap slip",
            "--willingness",
            "1",
            "--ability",
            "-2",
        ])
        .ok()
        .trim()
        .to_string();
    (leader, entry)
}

#[test]
fn a_forged_plain_json_review_is_refused_and_changes_nothing() {
    let (leader, entry) = leader_with_entry();
    let coach = Sandbox::new();
    let leader_key = leader.run(&["key", "show"]).ok().trim().to_string();
    let coach_key = coach.run(&["key", "show"]).ok().trim().to_string();
    // Everything a stranger can know: the leader's public key and an entry id from an old
    // bundle. The export id is unknown to them.
    let forged = serde_json::json!({
        "format": "touchpoint-review",
        "version": 2,
        "generator": "not Touchpoint",
        "reviewer": "Coach",
        "created_at": "2025-05-02T18:30:00+02:00",
        "for_public_key": leader_key,
        "export_exported_at": "2025-05-01T18:30:00+02:00",
        "export_id": "0b7e3c1c-7a40-4a43-9a0e-2f2d1f7f3a11",
        "reviewer_key": coach_key,
        "annotations": [{
            "id": "0190a8b2-0000-7000-8000-000000000001",
            "target_id": entry,
            "author": "Coach",
            "text": "Fire her.",
            "created_at": "2025-05-02T18:30:00+02:00"
        }]
    });
    let path = out(&leader, "forged.json");
    std::fs::write(&path, serde_json::to_vec(&forged).expect("json")).expect("write");
    let before = whole(&leader);

    for args in [
        vec!["import", &path],
        vec!["import", &path, "--yes"],
        vec!["import", &path, "--dry-run"],
    ] {
        let refused = leader.run(&args);
        assert_eq!(refused.code, 6, "{args:?}: {}", refused.stderr);
        assert!(
            refused.stderr.contains("anyone could have written it"),
            "{}",
            refused.stderr
        );
    }
    assert_eq!(whole(&leader), before, "the journal is as it was");
    let shown = leader.run(&["--json", "show", &entry]).json();
    assert_eq!(shown["annotations"], serde_json::json!([]));
}

#[test]
fn an_import_that_changes_records_shows_its_preview_and_waits_for_yes() {
    let (leader, entry) = leader_with_entry();
    let mine = out(&leader, "mine.json");
    leader
        .run(&["export", "--format", "json", "--out", &mine])
        .ok();
    // Another journal's export with the same ids and other ratings.
    let mut other: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&mine).expect("read")).expect("json");
    other["reflections"][0]["willingness"] = (-2).into();
    let foreign = out(&leader, "foreign.json");
    std::fs::write(&foreign, serde_json::to_vec(&other).expect("json")).expect("write");
    let before = whole(&leader);

    let dry = leader.run(&["import", &foreign, "--dry-run"]);
    let text = dry.ok();
    assert!(text.contains("reflections"), "{text}");
    assert!(text.contains("It would change:"), "{text}");
    assert!(text.contains("Dry run: nothing was changed."), "{text}");
    let preview = leader
        .run(&["--json", "import", &foreign, "--dry-run"])
        .json();
    assert_eq!(preview["counts"]["reflections"]["updated"], 1, "{preview}");
    assert_eq!(preview["counts"]["touchpoints"]["unchanged"], 1);
    assert_eq!(preview["needs_confirmation"], true);
    assert_eq!(preview["changes"][0]["kind"], "reflection");
    assert_eq!(whole(&leader), before, "a dry run changes nothing");

    let stopped = leader.run(&["import", &foreign]);
    assert_eq!(stopped.code, 7, "{}", stopped.stderr);
    assert!(
        stopped.stdout.contains("It would change:"),
        "{}",
        stopped.stdout
    );
    assert!(stopped.stderr.contains("--yes"), "{}", stopped.stderr);
    assert_eq!(whole(&leader), before, "without --yes nothing changes");

    let done = leader.run(&["--json", "import", &foreign, "--yes"]).json();
    assert_eq!(done["reflections"]["updated"], 1, "{done}");
    let shown = leader.run(&["--json", "show", &entry]).json();
    assert_eq!(shown["reflections"][0]["willingness"], -2);

    // An export that only adds goes through without --yes.
    let fresh = Sandbox::new();
    let added = fresh.run(&["--json", "import", &mine]).json();
    assert_eq!(added["touchpoints"]["added"], 1, "{added}");
}

#[test]
fn a_review_shows_its_reviewer_key_and_a_replay_adds_nothing() {
    let (leader, entry) = leader_with_entry();
    let coach = Sandbox::new();
    let coach_key = coach.run(&["key", "show"]).ok().trim().to_string();
    let bundle = out(&leader, "for-coach.touchpoint");
    leader
        .run(&[
            "export",
            "--format",
            "bundle",
            "--recipient",
            &coach_key,
            "--out",
            &bundle,
        ])
        .ok();
    coach
        .run(&["review", &bundle, "annotate", &entry, "Ask first"])
        .ok();
    let review = out(&coach, "back.touchpoint-review");
    coach
        .run(&[
            "review",
            &bundle,
            "export-review",
            "--author",
            "Sam",
            "--out",
            &review,
        ])
        .ok();
    let preview = leader
        .run(&["--json", "import", &review, "--dry-run"])
        .json();
    assert_eq!(preview["document"], "review");
    assert_eq!(preview["counts"]["annotations"]["added"], 1);
    assert_eq!(preview["needs_confirmation"], false);
    let fingerprint = preview["reviewer_fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();
    assert_eq!(
        coach.run(&["--json", "key", "show"]).json()["fingerprint"],
        fingerprint.as_str(),
        "the coach can tell the leader which fingerprint to expect"
    );

    let imported = leader.run(&["import", &review]).ok().to_string();
    assert!(imported.contains(&fingerprint), "{imported}");
    let shown = leader.run(&["show", &entry]).ok().to_string();
    assert!(
        shown.contains(&format!("reviewer key {fingerprint}")),
        "{shown}"
    );
    let json = leader.run(&["--json", "show", &entry]).json();
    assert_eq!(
        json["annotations"][0]["source"]["fingerprint"],
        fingerprint.as_str()
    );
    assert_eq!(
        json["annotations"][0]["source"]["reviewer_key"],
        coach_key.as_str()
    );

    let before = whole(&leader);
    let again = leader.run(&["--json", "import", &review]).json();
    assert_eq!(again["annotations"]["added"], 0);
    assert_eq!(again["annotations"]["unchanged"], 1);
    assert_eq!(whole(&leader), before, "a replay changes nothing");
}
