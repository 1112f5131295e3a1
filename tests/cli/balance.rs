//! The Trust Balance as scripts read it: numbers, explanation, slipping, teams and groups.

use crate::util::Sandbox;

#[test]
fn one_reflection_gives_the_spec_balance_with_its_explanation() {
    let s = Sandbox::new();
    s.person("Ana");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--willingness",
        "1",
        "--ability",
        "-2",
        "--notes",
        "Roadmap slip",
    ])
    .ok();
    let v = s.run(&["--json", "balance", "Ana", "--explain"]).json();
    // d = 1 + (-2) = -1, a withdrawal, times the default loss weight 2.0.
    assert_eq!(v["balance"], -2.0);
    assert_eq!(v["willingness"], 1.0);
    assert_eq!(v["ability"], -4.0);
    assert_eq!(v["trend_30d"], -2.0);
    assert_eq!(v["trend_90d"], -2.0);
    let events = v["events"].as_array().expect("events");
    assert_eq!(events.len(), 1);
    let e = &events[0];
    for field in ["at", "willingness", "ability", "weight", "delta"] {
        assert!(!e[field].is_null(), "event lacks {field}: {e}");
    }
    assert_eq!(e["weight"], 2.0);
    assert_eq!(e["delta"], -2.0);
    assert_eq!(e["touchpoint_kind"], "one_on_one");
}

#[test]
fn loss_weight_setting_changes_the_weight_of_withdrawals() {
    let s = Sandbox::new();
    s.person("Ana");
    s.run(&[
        "add",
        "--kind",
        "feedback",
        "--with",
        "Ana",
        "--willingness",
        "-1",
        "--ability",
        "-1",
    ])
    .ok();
    s.run(&["settings", "--loss-weight", "1.0"]).ok();
    assert_eq!(s.run(&["--json", "balance", "Ana"]).json()["balance"], -2.0);
    s.run(&["settings", "--loss-weight", "3.0"]).ok();
    assert_eq!(s.run(&["--json", "balance", "Ana"]).json()["balance"], -6.0);
    let bad = s.run(&["settings", "--loss-weight", "5"]);
    assert_eq!(
        bad.code, 6,
        "out-of-range loss weight is invalid input: {}",
        bad.stderr
    );
}

#[test]
fn an_adversarial_entry_puts_the_person_on_today_as_slipping() {
    let s = Sandbox::new();
    s.person("Ana");
    s.person("Ben");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--willingness",
        "2",
        "--ability",
        "1",
    ])
    .ok();
    let today = s.run(&["--json", "today"]).json();
    assert!(today["slipping"].as_array().expect("list").is_empty());
    s.run(&[
        "add",
        "--kind",
        "conflict",
        "--with",
        "Ana",
        "--willingness",
        "-1",
        "--ability",
        "0",
        "--adversarial",
    ])
    .ok();
    let today = s.run(&["--json", "today"]).json();
    let slipping = today["slipping"].as_array().expect("list");
    assert_eq!(slipping.len(), 1, "only Ana slips: {today}");
    assert_eq!(slipping[0]["person"]["name"], "Ana");
    assert!(slipping[0]["slip_reasons"]
        .as_array()
        .expect("reasons")
        .contains(&"adversarial".into()));
    // A positive event afterwards ends the slip.
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--willingness",
        "1",
        "--ability",
        "1",
    ])
    .ok();
    let today = s.run(&["--json", "today"]).json();
    assert!(
        today["slipping"].as_array().expect("list").is_empty(),
        "{today}"
    );
}

#[test]
fn commitments_count_as_ability_events() {
    let s = Sandbox::new();
    s.person("Ana");
    let kept = s.run(&[
        "commitment",
        "add",
        "--to",
        "Ana",
        "--what",
        "Send the promo case",
        "--due",
        "2099-01-01",
    ]);
    let kept = kept.ok().trim().to_string();
    let broken = s
        .run(&[
            "commitment",
            "add",
            "--to",
            "Ana",
            "--what",
            "Fix the on-call rota",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(
        s.run(&["--json", "commitment", "list"])
            .json()
            .as_array()
            .expect("list")
            .len(),
        2
    );
    s.run(&["commitment", "resolve", &kept, "kept"]).ok();
    s.run(&["commitment", "resolve", &broken, "broken"]).ok();
    let v = s.run(&["--json", "balance", "Ana"]).json();
    // kept +1, broken -1 weighted by 2.0.
    assert_eq!(v["balance"], -1.0);
    assert_eq!(v["ability"], -1.0);
    assert_eq!(v["willingness"], 0.0);
    assert!(s
        .run(&["--json", "commitment", "list"])
        .json()
        .as_array()
        .expect("list")
        .is_empty());
    assert_eq!(
        s.run(&["--json", "commitment", "list", "--all"])
            .json()
            .as_array()
            .expect("list")
            .len(),
        2
    );
}

#[test]
fn team_and_group_balances_add_up_members_and_decisions() {
    let s = Sandbox::new();
    s.run(&["person", "add", "Ana", "--team", "Platform"]).ok();
    s.run(&["person", "add", "Ben", "--team", "Platform"]).ok();
    s.run(&["person", "add", "Cleo", "--group", "customer"])
        .ok();
    s.run(&[
        "add",
        "--kind",
        "team_meeting",
        "--with",
        "Ana,Ben",
        "--willingness",
        "1",
        "--ability",
        "1",
    ])
    .ok();
    let team = s.run(&["--json", "balance", "--team", "Platform"]).json();
    assert_eq!(team["balance"], 4.0, "two reflections of +2: {team}");
    s.run(&[
        "add",
        "--kind",
        "decision",
        "--title",
        "Raise prices",
        "--impact",
        "customer=-2",
        "--impact",
        "direct_report=1",
    ])
    .ok();
    let customers = s.run(&["--json", "balance", "--group", "customer"]).json();
    assert_eq!(
        customers["balance"], -4.0,
        "decision impact -2 weighted: {customers}"
    );
    assert_eq!(customers["willingness"], -4.0);
    let reports = s
        .run(&["--json", "balance", "--group", "direct_report"])
        .json();
    assert_eq!(
        reports["balance"], 5.0,
        "members' +4 and the decision's +1: {reports}"
    );
}

#[test]
fn overview_lists_everyone_and_human_output_explains() {
    let s = Sandbox::new();
    s.person("Ana");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--willingness",
        "1",
        "--ability",
        "-2",
    ])
    .ok();
    let all = s.run(&["--json", "balance"]).json();
    assert_eq!(all.as_array().expect("list").len(), 1);
    let text = s.run(&["balance", "Ana", "--explain"]);
    let text = text.ok();
    assert!(text.contains("Trust Balance of Ana: -2"), "{text}");
    assert!(text.contains("one_on_one"), "{text}");
}
