//! Change initiatives as scripts drive them: the names the issue promises, the page as JSON,
//! the initiative's balance from its linked entries only, and bad input refused.

use serde_json::Value;

use crate::util::{Run, Sandbox};

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
    let mut args = vec!["--json", "add", "--kind", "one_on_one", "--with", "Ana"];
    args.extend(rated("-1", "-1"));
    args.extend(["--initiative", "Copilot roll-out"]);
    let entry = s.run(&args).json();
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

/// `add` of a one-on-one with `who`, with `extra` flags (ratings, an initiative, privacy…).
fn one_on_one(s: &Sandbox, who: &str, extra: &[&str]) -> Run {
    let mut args = vec!["add", "--kind", "one_on_one", "--with", who];
    args.extend_from_slice(extra);
    s.run(&args)
}

/// The ratings flags of a capture.
fn rated<'a>(willingness: &'a str, ability: &'a str) -> [&'a str; 4] {
    ["--willingness", willingness, "--ability", ability]
}

/// `initiative concern` on the roll-out, in `touchpoint` when given.
fn concern(s: &Sandbox, person: &str, kind: &str, text: &str, touchpoint: Option<&str>) -> Run {
    let mut args = vec![
        "initiative",
        "concern",
        "Copilot roll-out",
        "--person",
        person,
        "--kind",
        kind,
        "--text",
        text,
    ];
    args.extend(
        touchpoint
            .map(|t| ["--touchpoint", t])
            .into_iter()
            .flatten(),
    );
    s.run(&args)
}

/// Checks `r` (what `what` tried) was refused as bad input, exit code 6, saying `says`.
fn refused_as(r: &Run, what: &str, says: &str) {
    assert_eq!(r.code, 6, "{what}: {}", r.stderr);
    assert!(
        r.stderr.contains(says),
        "{what} should say {says:?}: {}",
        r.stderr
    );
}

/// The arguments of `initiative measure` on the roll-out with these four readings.
fn measure(readings: [&str; 4]) -> Vec<&str> {
    let mut args = vec!["initiative", "measure", "Copilot roll-out"];
    for (flag, value) in [
        "--satisfaction",
        "--collaboration",
        "--quality",
        "--confidence",
    ]
    .into_iter()
    .zip(readings)
    {
        args.extend([flag, value]);
    }
    args
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
    let concern = concern(
        &s,
        "Ana",
        "replacement",
        "Worried it replaces her reviews",
        Some(&entry),
    )
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
    s.run(&measure(["1", "0", "1", "-1"])).ok();

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
    one_on_one(&s, "Ana", &rated("2", "2")).ok();
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
    let other = one_on_one(&s, "Bo", &[]).ok().trim().to_string();
    let before = show(&s);
    let refused = |args: &[&str], says: &str| refused_as(&s.run(args), &format!("{args:?}"), says);
    refused(&["initiative", "add", "  "], "must not be empty");
    refused(&["initiative", "add", "copilot roll-out"], "already");
    refused(
        &["initiative", "add", "Other", "--team", "Nobody"],
        "no team",
    );
    refused(&measure(["3", "0", "0", "0"]), "between -2 and 2");
    refused_as(
        &concern(&s, "Bo", "workload", "More work", Some(&other)),
        "concern in an unlinked entry",
        "not linked",
    );
    refused_as(
        &concern(&s, "Bo", "boredom", "x", None),
        "concern of an unknown kind",
        "unknown",
    );
    refused(&["initiative", "setback", "Copilot", "It broke"], "lesson");
    refused(&["initiative", "show", "Nothing"], "no initiative");
    refused_as(
        &one_on_one(&s, "Bo", &["--initiative", "Nothing"]),
        "capture into an unknown initiative",
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
        let mut extra = rated("-1", "0").to_vec();
        extra.extend(["--initiative", "Copilot"]);
        one_on_one(&s, "Ana", &extra).ok();
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
    one_on_one(
        &s,
        "Bo",
        &[
            "--private",
            "--notes",
            "canaryprivate notes",
            "--title",
            "canaryprivate title",
            "--initiative",
            "Copilot",
        ],
    )
    .ok();
    s.run(&["initiative", "can", "Copilot", "Drafts unit tests"])
        .ok();
    concern(&s, "Ana", "skills", "canaryconcern", Some(&entry)).ok();
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
    one_on_one(&s, "Ana", &["--private", "--initiative", "Quiet pilot"]).ok();
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
