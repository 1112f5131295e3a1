//! People, touchpoints, topics and settings through the CLI's record commands.

use crate::util::Sandbox;

#[test]
fn people_have_groups_cadences_teams_and_emails() {
    let s = Sandbox::new();
    s.run(&[
        "person",
        "add",
        "Ana",
        "--email",
        "Ana@Example.org",
        "--team",
        "Platform",
    ])
    .ok();
    s.run(&["person", "add", "Ben", "--group", "peer"]).ok();
    s.run(&["person", "add", "Cleo", "--cadence", "7"]).ok();
    let list = s.run(&["--json", "person", "list"]).json();
    let list = list.as_array().expect("people");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["name"], "Ana");
    assert_eq!(
        list[0]["cadence_days"], 14,
        "direct reports get the default cadence"
    );
    assert_eq!(list[0]["emails"][0], "ana@example.org");
    assert_eq!(list[0]["teams"][0], "Platform");
    assert!(list[1]["cadence_days"].is_null(), "peers have none");
    assert_eq!(list[2]["cadence_days"], 7);
    assert_eq!(s.run(&["person", "add", "Dee", "--group", "boss"]).code, 6);
    s.run(&[
        "person",
        "edit",
        "Ben",
        "--rename",
        "Benedikt",
        "--group",
        "leader_above",
    ])
    .ok();
    let ben = s.run(&["--json", "person", "list"]).json();
    assert_eq!(ben[1]["name"], "Benedikt");
    assert_eq!(ben[1]["group"], "leader_above");
}

#[test]
fn overdue_one_on_ones_show_on_today() {
    let s = Sandbox::new();
    s.run(&["person", "add", "Ana", "--cadence", "7"]).ok();
    s.run(&["person", "add", "Ben", "--cadence", "7"]).ok();
    let old = (chrono::Utc::now() - chrono::Duration::days(20)).to_rfc3339();
    let recent = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
    s.run(&["add", "--kind", "one_on_one", "--with", "Ana", "--at", &old])
        .ok();
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ben",
        "--at",
        &recent,
    ])
    .ok();
    let today = s.run(&["--json", "today"]).json();
    let overdue = today["overdue"].as_array().expect("overdue");
    assert_eq!(overdue.len(), 1, "{today}");
    assert_eq!(overdue[0]["person"]["name"], "Ana");
    assert_eq!(overdue[0]["consistency"]["days_since_last"], 20);
}

#[test]
fn commitments_due_soon_show_on_today() {
    let s = Sandbox::new();
    s.person("Ana");
    let soon = (chrono::Local::now().date_naive() + chrono::Duration::days(2)).to_string();
    let later = (chrono::Local::now().date_naive() + chrono::Duration::days(40)).to_string();
    s.run(&[
        "commitment",
        "add",
        "--to",
        "Ana",
        "--what",
        "Promo case",
        "--due",
        &soon,
    ])
    .ok();
    s.run(&[
        "commitment",
        "add",
        "--to",
        "Ana",
        "--what",
        "Team offsite",
        "--due",
        &later,
    ])
    .ok();
    let today = s.run(&["--json", "today"]).json();
    let due = today["commitments_due"].as_array().expect("due");
    assert_eq!(due.len(), 1, "{today}");
    assert_eq!(due[0]["commitment"]["what"], "Promo case");
    assert!(s.run(&["today"]).ok().contains("Promo case"));
}

#[test]
fn topics_carry_forward_until_closed() {
    let s = Sandbox::new();
    s.person("Ana");
    let id = s
        .run(&[
            "topic",
            "add",
            "--person",
            "Ana",
            "--text",
            "Wants a mentor",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(
        s.run(&["--json", "topic", "list", "--person", "Ana"])
            .json()
            .as_array()
            .expect("t")
            .len(),
        1
    );
    s.run(&["topic", "close", &id]).ok();
    assert!(s
        .run(&["--json", "topic", "list"])
        .json()
        .as_array()
        .expect("t")
        .is_empty());
}

#[test]
fn deleted_touchpoints_leave_lists_and_search_until_restored() {
    let s = Sandbox::new();
    s.person("Ana");
    let id = s
        .run(&[
            "add", "--kind", "feedback", "--with", "Ana", "--notes", "pangolin",
        ])
        .ok()
        .trim()
        .to_string();
    s.run(&["delete", &id]).ok();
    assert!(s
        .run(&["--json", "search", "pangolin"])
        .json()
        .as_array()
        .expect("h")
        .is_empty());
    assert!(s
        .run(&["--json", "list"])
        .json()
        .as_array()
        .expect("l")
        .is_empty());
    s.run(&["trash", "restore", &id]).ok();
    assert_eq!(
        s.run(&["--json", "search", "pangolin"])
            .json()
            .as_array()
            .expect("h")
            .len(),
        1
    );
}

#[test]
fn decisions_carry_impacts_and_private_entries_are_marked() {
    let s = Sandbox::new();
    let id = s
        .run(&[
            "add",
            "--kind",
            "decision",
            "--title",
            "Freeze hiring",
            "--impact",
            "direct_report=-1",
            "--private",
        ])
        .ok()
        .trim()
        .to_string();
    let detail = s.run(&["--json", "show", &id]).json();
    assert_eq!(
        detail["touchpoint"]["affected_groups"][0]["group"],
        "direct_report"
    );
    assert_eq!(detail["touchpoint"]["affected_groups"][0]["impact"], -1);
    assert_eq!(detail["touchpoint"]["private"], true);
    assert_eq!(
        s.run(&["add", "--kind", "feedback", "--impact", "peer=1"])
            .code,
        6,
        "only decisions have impacts"
    );
}
