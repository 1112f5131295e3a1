//! `calendar`: linked calendar files, synced again and again from the command line.

use crate::util::Sandbox;

fn ics(events: &[(&str, chrono::DateTime<chrono::Utc>, &str)]) -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n");
    for (uid, when, title) in events {
        let stamp = when.format("%Y%m%dT%H%M%SZ");
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{stamp}\r\nDURATION:PT30M\r\nSUMMARY:{title}\r\nORGANIZER;CN=Me:mailto:me@example.org\r\nATTENDEE;CN=Ana Costa:mailto:ana@example.org\r\nEND:VEVENT\r\n"
        ));
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

fn drafts(s: &Sandbox) -> Vec<String> {
    s.run(&["--json", "list", "--drafts"])
        .json()
        .as_array()
        .expect("drafts")
        .iter()
        .map(|d| d["title"].as_str().expect("title").to_string())
        .collect()
}

#[test]
fn a_linked_calendar_is_imported_synced_and_reported() {
    let s = Sandbox::new();
    let now = chrono::Utc::now();
    let file = s.dir.path().join("work.ics");
    let path = file.to_str().expect("utf-8").to_string();
    std::fs::write(&file, ics(&[("a-1", now, "Weekly 1:1")])).expect("write");

    let linked = s.run(&["calendar", "link", &path]);
    assert!(linked.ok().contains("Linked"), "{}", linked.stdout);
    assert!(linked.stdout.contains("1 added"), "{}", linked.stdout);
    assert_eq!(drafts(&s), ["Weekly 1:1"]);

    // Syncing the same file again changes nothing.
    let again = s.run(&["--json", "calendar", "sync"]).json();
    assert_eq!(again[0]["status"], "ok");
    assert_eq!(again[0]["last_import"]["unchanged"], 1);
    assert_eq!(again[0]["last_import"]["added"], 0);

    // A new meeting in the file is picked up by the next sync.
    std::fs::write(
        &file,
        ics(&[
            ("a-1", now, "Weekly 1:1"),
            ("b-2", now + chrono::Duration::hours(2), "Planning"),
        ]),
    )
    .expect("rewrite");
    s.run(&["calendar", "sync"]).ok();
    let mut titles = drafts(&s);
    titles.sort();
    assert_eq!(titles, ["Planning", "Weekly 1:1"]);

    // A deleted file is a status, not a failure, and its meetings stay.
    std::fs::remove_file(&file).expect("remove");
    let gone = s.run(&["calendar", "sync"]);
    assert!(gone.ok().contains("missing"), "{}", gone.stdout);
    assert!(
        gone.stderr.contains("could not be synced"),
        "{}",
        gone.stderr
    );
    let list = s.run(&["--json", "calendar", "list"]).json();
    assert_eq!(list[0]["status"], "missing");
    assert_eq!(list[0]["path"].as_str(), Some(path.as_str()));
    assert_eq!(drafts(&s).len(), 2);

    let unlinked = s.run(&["calendar", "unlink", &path]);
    assert!(unlinked.ok().contains("Unlinked"), "{}", unlinked.stdout);
    // "The meetings it brought in stay in the journal."
    assert_eq!(drafts(&s).len(), 2);
    assert!(s
        .run(&["calendar", "list"])
        .ok()
        .contains("No calendar file is linked"));
    assert_eq!(s.run(&["calendar", "unlink", &path]).code, 6);
}

#[test]
fn linking_what_is_not_a_calendar_is_refused() {
    let s = Sandbox::new();
    let missing = s.dir.path().join("nowhere.ics");
    let refused = s.run(&["calendar", "link", missing.to_str().expect("utf-8")]);
    assert_eq!(refused.code, 6, "{}", refused.stderr);
    assert!(refused.stderr.contains("no file"), "{}", refused.stderr);

    let export = s.dir.path().join("export.json");
    s.run(&[
        "export",
        "--format",
        "json",
        "--out",
        export.to_str().expect("utf-8"),
    ])
    .ok();
    let refused = s.run(&["calendar", "link", export.to_str().expect("utf-8")]);
    assert_eq!(refused.code, 6, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("not an iCalendar (.ics) file"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        s.run(&["--json", "calendar", "list"]).json(),
        serde_json::json!([])
    );
}
