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
