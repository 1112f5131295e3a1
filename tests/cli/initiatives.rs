//! Change initiatives as scripts drive them: the names the issue promises, the page as JSON,
//! the initiative's balance from its linked entries only, and bad input refused.

use serde_json::Value;

use crate::util::Sandbox;

/// A journal with Ana and Bo in Platform, a running roll-out affecting the team, and an entry
/// with Ana captured straight into it. Returns the sandbox and the entry's id.
fn rollout() -> (Sandbox, String) {
    let s = Sandbox::new();
    s.run(&["person", "add", "Ana", "--team", "Platform"]).ok();
    s.run(&["person", "add", "Bo", "--team", "Platform"]).ok();
    s.run(&[
        "initiative",
        "add",
        "Copilot roll-out",
        "--purpose",
        "Help the team write and review code faster without losing craft.",
        "--team",
        "Platform",
        "--status",
        "running",
        "--start",
        "2026-09-01",
    ])
    .ok();
    let entry = s
        .run(&[
            "--json",
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana",
            "--willingness",
            "-1",
            "--ability",
            "-1",
            "--initiative",
            "Copilot roll-out",
        ])
        .json();
    assert_eq!(
        entry["tags"],
        serde_json::json!(["ai-rollout"]),
        "linking adds the initiative's tag"
    );
    (s, entry["id"].as_str().expect("id").to_string())
}

fn show(s: &Sandbox) -> Value {
    s.run(&["--json", "initiative", "show", "Copilot roll-out"])
        .json()
}

#[test]
fn a_roll_out_keeps_what_was_said_feared_and_won_and_shows_it_as_json() {
    let (s, entry) = rollout();
    let can = s.run(&[
        "initiative",
        "can",
        "Copilot",
        "Drafts unit tests for review",
    ]);
    assert_eq!(can.ok().trim().len(), 36, "prints the statement's id");
    let cannot = s
        .run(&[
            "initiative",
            "cannot",
            "Copilot",
            "It does not rate anyone",
            "--on",
            "2026-09-01",
        ])
        .ok()
        .trim()
        .to_string();
    s.run(&[
        "initiative",
        "restate",
        &cannot,
        "It is never used to rate or rank anyone's work",
        "--on",
        "2026-10-01",
    ])
    .ok();
    let concern = s
        .run(&[
            "initiative",
            "concern",
            "Copilot roll-out",
            "--person",
            "Ana",
            "--kind",
            "replacement",
            "--text",
            "Worried it replaces her reviews",
            "--touchpoint",
            &entry,
        ])
        .ok()
        .trim()
        .to_string();
    s.run(&[
        "initiative",
        "guideline",
        "Copilot roll-out",
        "Generated code is reviewed like any other",
        "--by",
        "Ana",
        "--by",
        "Bo",
    ])
    .ok();
    s.run(&[
        "initiative",
        "win",
        "Copilot roll-out",
        "Test scaffolding in minutes",
        "--person",
        "Bo",
    ])
    .ok();
    s.run(&[
        "initiative",
        "setback",
        "Copilot roll-out",
        "A suggestion logged a customer name",
        "--lesson",
        "Check generated logging before merging",
    ])
    .ok();
    s.run(&[
        "initiative",
        "measure",
        "Copilot roll-out",
        "--satisfaction",
        "1",
        "--collaboration",
        "0",
        "--quality",
        "1",
        "--confidence",
        "-1",
    ])
    .ok();

    let v = show(&s);
    assert_eq!(v["name"], "Copilot roll-out");
    assert_eq!(v["status"], "running");
    assert_eq!(v["can"][0]["text"], "Drafts unit tests for review");
    let told = &v["cannot"][0];
    assert_eq!(
        told["text"],
        "It is never used to rate or rank anyone's work"
    );
    assert_eq!(
        told["history"][0]["said_on"], "2026-09-01",
        "what the team was told when"
    );
    let c = &v["concerns"][0];
    assert_eq!(
        (c["id"].as_str(), &c["kind"], &c["answered"]),
        (
            Some(concern.as_str()),
            &Value::from("replacement"),
            &Value::from(false)
        )
    );
    assert_eq!(v["wins"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        v["setbacks"][0]["lesson"],
        "Check generated logging before merging"
    );
    assert_eq!(
        v["guidelines"][0]["shaped_by"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(v["measures"][0]["confidence"], -1);
    for field in ["balance", "willingness", "ability", "slipping", "events"] {
        assert!(
            !v["balance"][field].is_null(),
            "balance lacks {field}: {}",
            v["balance"]
        );
    }

    s.run(&[
        "initiative",
        "answer",
        &concern,
        "--text",
        "Reviews stay human; the tool drafts",
    ])
    .ok();
    assert_eq!(show(&s)["concerns"][0]["answered"], true);
    let text = s
        .run(&["initiative", "show", "Copilot roll-out"])
        .ok()
        .to_string();
    for part in [
        "What it does not do",
        "earlier, 2026-09-01: It does not rate anyone",
        "Open concerns (0, 1 answered)",
        "The five steps",
        "Trust Balance of the initiative Copilot roll-out",
    ] {
        assert!(text.contains(part), "the page lacks {part:?}:\n{text}");
    }
    let list = s.run(&["--json", "initiative", "list"]).json();
    assert_eq!(list[0]["name"], "Copilot roll-out");
}

#[test]
fn the_initiatives_balance_counts_its_linked_entries_only() {
    let (s, entry) = rollout();
    // An entry outside the initiative moves Ana's overall balance, not the initiative's.
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--willingness",
        "2",
        "--ability",
        "2",
    ])
    .ok();
    let v = show(&s);
    assert_eq!(v["balance"]["balance"], -4.0, "(-1 + -1) x 2");
    assert_eq!(v["balance"]["events"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["balance_by_team"][0]["summary"]["balance"], -4.0);
    assert_eq!(s.run(&["--json", "balance", "Ana"]).json()["balance"], 0.0);
    let ana = s
        .run(&["--json", "initiative", "show", "Copilot", "--person", "Ana"])
        .json();
    assert_eq!(ana["balance"], -4.0);
    s.run(&["initiative", "unlink", "Copilot", &entry]).ok();
    assert_eq!(show(&s)["balance"]["balance"], 0.0);
    s.run(&[
        "initiative",
        "link",
        "Copilot",
        &entry,
        "--step",
        "exploration",
    ])
    .ok();
    s.run(&[
        "initiative",
        "plan",
        "Copilot",
        "exploration",
        "--cadence",
        "weekly",
    ])
    .ok();
    let v = show(&s);
    assert_eq!(
        v["balance"]["balance"], -4.0,
        "marking a step links the entry"
    );
    let step = &v["plan"][1];
    assert_eq!(step["step"], "exploration");
    assert!(step["held"].as_u64().expect("held") >= 1, "{step}");
}

#[test]
fn bad_input_is_refused_with_exit_code_6_and_changes_nothing() {
    let (s, entry) = rollout();
    let other = s
        .run(&["add", "--kind", "one_on_one", "--with", "Bo"])
        .ok()
        .trim()
        .to_string();
    let before = show(&s);
    let refused = |args: &[&str], says: &str| {
        let r = s.run(args);
        assert_eq!(r.code, 6, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(says),
            "{args:?} should say {says:?}: {}",
            r.stderr
        );
    };
    refused(&["initiative", "add", "  "], "must not be empty");
    refused(&["initiative", "add", "copilot roll-out"], "already");
    refused(
        &["initiative", "add", "Other", "--team", "Nobody"],
        "no team",
    );
    refused(
        &[
            "initiative",
            "measure",
            "Copilot",
            "--satisfaction",
            "3",
            "--collaboration",
            "0",
            "--quality",
            "0",
            "--confidence",
            "0",
        ],
        "between -2 and 2",
    );
    refused(
        &[
            "initiative",
            "concern",
            "Copilot",
            "--person",
            "Bo",
            "--kind",
            "workload",
            "--text",
            "More work",
            "--touchpoint",
            &other,
        ],
        "not linked",
    );
    refused(
        &[
            "initiative",
            "concern",
            "Copilot",
            "--person",
            "Bo",
            "--kind",
            "boredom",
            "--text",
            "x",
        ],
        "unknown",
    );
    refused(&["initiative", "setback", "Copilot", "It broke"], "lesson");
    refused(&["initiative", "show", "Nothing"], "no initiative");
    refused(
        &[
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Bo",
            "--initiative",
            "Nothing",
        ],
        "no initiative",
    );
    s.run(&["person", "remove", "Bo"]).ok();
    refused(
        &["initiative", "edit", "Copilot", "--person", "Bo"],
        "no person",
    );
    let after = show(&s);
    assert_eq!(
        before["entries"], after["entries"],
        "no entry was linked or added to it"
    );
    assert_eq!(before["concerns"], after["concerns"]);
    assert_eq!(before["measures"], after["measures"]);
    assert_eq!(before["setbacks"], after["setbacks"]);
    let all = s.run(&["--json", "list"]).json();
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(2),
        "the refused capture wrote nothing"
    );
    let _ = entry;
}

#[test]
fn nudges_list_what_needs_attention_in_running_initiatives() {
    let (s, _entry) = rollout();
    // Ana's linked entry was a withdrawal; one more makes three in a row, and she is slipping.
    for _ in 0..2 {
        s.run(&[
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana",
            "--willingness",
            "-1",
            "--ability",
            "0",
            "--initiative",
            "Copilot",
        ])
        .ok();
    }
    let v = s.run(&["--json", "initiative", "nudges"]).json();
    let kinds: Vec<&str> = v
        .as_array()
        .expect("nudges")
        .iter()
        .filter_map(|n| n["type"].as_str())
        .collect();
    assert!(kinds.contains(&"slipping"), "{v}");
    assert!(
        kinds.contains(&"nothing_learnt"),
        "started 2026-09-01 with no win yet: {v}"
    );
    let text = s.run(&["initiative", "nudges"]).ok().to_string();
    assert!(text.contains("trust is slipping with Ana"), "{text}");
    s.run(&["initiative", "status", "Copilot", "paused"]).ok();
    assert_eq!(
        s.run(&["--json", "initiative", "nudges"]).json(),
        serde_json::json!([])
    );
}

#[test]
fn the_team_page_is_written_without_private_text_and_refused_when_all_is_private() {
    let (s, entry) = rollout();
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Bo",
        "--private",
        "--notes",
        "canaryprivate notes",
        "--title",
        "canaryprivate title",
        "--initiative",
        "Copilot",
    ])
    .ok();
    s.run(&["initiative", "can", "Copilot", "Drafts unit tests"])
        .ok();
    s.run(&[
        "initiative",
        "concern",
        "Copilot",
        "--person",
        "Ana",
        "--kind",
        "skills",
        "--text",
        "canaryconcern",
        "--touchpoint",
        &entry,
    ])
    .ok();
    s.run(&["initiative", "win", "Copilot", "Release notes in minutes"])
        .ok();
    for (format, file) in [("html", "team.html"), ("markdown", "team.md")] {
        let out = s.dir.path().join(file);
        s.run(&[
            "initiative",
            "export",
            "Copilot",
            "--format",
            format,
            "--out",
            out.to_str().expect("path"),
        ])
        .ok();
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.contains("Drafts unit tests") && text.contains("Release notes in minutes"));
        for canary in ["canary", "balance", "willingness"] {
            assert!(!text.contains(canary), "{format} holds {canary}: {text}");
        }
    }
    s.run(&["initiative", "add", "Quiet pilot"]).ok();
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--private",
        "--initiative",
        "Quiet pilot",
    ])
    .ok();
    let out = s.dir.path().join("quiet.html");
    let r = s.run(&[
        "initiative",
        "export",
        "Quiet pilot",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("private"), "{}", r.stderr);
    assert!(!out.exists(), "nothing written");
}
