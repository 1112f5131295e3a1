//! The trash from the command line: emptying it, erasing an entry now, erasing a trashed person.

use crate::util::{bare, Sandbox};

fn hits(s: &Sandbox, word: &str) -> usize {
    s.run(&["--json", "search", word])
        .json()
        .as_array()
        .expect("hits")
        .len()
}

fn entry(s: &Sandbox, with: &str, notes: &str) -> String {
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        with,
        "--notes",
        notes,
        "--willingness",
        "1",
        "--ability",
        "0",
    ])
    .ok()
    .trim()
    .to_string()
}

#[test]
fn trash_empty_erases_everything_in_the_trash_and_says_what_went() {
    let s = Sandbox::new();
    s.person("Ana");
    s.person("Ben");
    entry(&s, "Ana", "quokka plans");
    let bens = entry(&s, "Ben", "wombat review");
    entry(&s, "Ben", "numbat kept");
    s.run(&["person", "remove", "Ana"]).ok();
    s.run(&["delete", &bens]).ok();
    let run = s.run(&["trash", "empty"]);
    run.ok();
    assert!(
        run.stderr
            .contains("Erased for good: 1 person, 2 entries and 2 reflections."),
        "{}",
        run.stderr
    );
    assert!(s
        .run(&["trash", "list"])
        .ok()
        .contains("The trash is empty."));
    assert_eq!(hits(&s, "quokka"), 0);
    assert_eq!(hits(&s, "wombat"), 0);
    assert_eq!(hits(&s, "numbat"), 1, "what was not in the trash stays");
    assert!(
        s.run(&["trash", "restore", "Ana"]).code != 0,
        "gone for good"
    );
    assert!(
        s.run(&["trash", "restore", &bens]).code != 0,
        "gone for good"
    );
    let again = s.run(&["--json", "trash", "empty"]).json();
    assert_eq!(again["entries"], 0);
    assert!(s.run(&["verify"]).ok().contains("intact"));
}

#[test]
fn delete_with_erase_skips_the_trash() {
    let s = Sandbox::new();
    s.person("Ana");
    let id = entry(&s, "Ana", "pangolin secrets");
    let erased = s.run(&["--json", "delete", &id, "--erase"]).json();
    assert_eq!(
        (erased["entries"].as_u64(), erased["reflections"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(hits(&s, "pangolin"), 0);
    assert!(s
        .run(&["trash", "list"])
        .ok()
        .contains("The trash is empty."));
    assert!(s.run(&["show", &id]).code != 0);
    assert!(
        s.run(&["person", "list"]).ok().contains("Ana"),
        "the person stays"
    );
    // An entry already in the trash can be erased the same way.
    let other = entry(&s, "Ana", "aardvark");
    s.run(&["delete", &other]).ok();
    s.run(&["delete", &other, "--erase"]).ok();
    assert!(s
        .run(&["trash", "list"])
        .ok()
        .contains("The trash is empty."));
    assert_eq!(hits(&s, "aardvark"), 0);
    assert!(
        s.run(&["delete", &other, "--erase"]).code != 0,
        "nothing left to erase"
    );
}

#[test]
fn a_person_in_the_trash_can_be_erased() {
    let s = Sandbox::new();
    s.person("Ana");
    entry(&s, "Ana", "quokka plans");
    s.run(&["person", "remove", "Ana"]).ok();
    let run = s.run(&["person", "erase", "ana"]);
    run.ok();
    assert!(
        run.stderr
            .contains("Ana was erased for good (1 person, 1 entry and 1 reflection)"),
        "{}",
        run.stderr
    );
    assert!(s
        .run(&["trash", "list"])
        .ok()
        .contains("The trash is empty."));
    assert_eq!(hits(&s, "quokka"), 0);
    assert!(s.run(&["person", "erase", "Ana"]).code != 0);
}

#[test]
fn trash_list_says_when_each_item_is_erased() {
    let s = Sandbox::new();
    s.person("Ana");
    s.run(&["person", "remove", "Ana"]).ok();
    let list = s.run(&["--json", "trash", "list"]).json();
    let at =
        chrono::DateTime::parse_from_rfc3339(list["people"][0]["trashed_at"].as_str().expect("at"))
            .expect("date");
    let after = chrono::DateTime::parse_from_rfc3339(
        list["people"][0]["erase_after"].as_str().expect("after"),
    )
    .expect("date");
    assert_eq!(after - at, chrono::Duration::days(30), "kept 30 days");
    assert!(s.run(&["trash", "list"]).ok().contains("(erased after "));
}

/// The help promises `trash list, restore, empty`: each is a command that runs.
#[test]
fn the_trash_help_promises_only_commands_that_exist() {
    let top = crate::util::Run::from(bare().arg("--help").output().expect("help"));
    let line = top
        .ok()
        .lines()
        .find(|l| l.trim_start().starts_with("trash "))
        .expect("trash in the help")
        .to_string();
    let promised: Vec<&str> = line
        .split_once(':')
        .expect("a list after the colon")
        .1
        .trim()
        .trim_end_matches('.')
        .split(", ")
        .collect();
    assert_eq!(promised, ["list", "restore", "empty"]);
    let sub = crate::util::Run::from(bare().args(["trash", "--help"]).output().expect("help"));
    let commands: Vec<&str> = sub
        .ok()
        .split("Commands:")
        .nth(1)
        .expect("commands")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .take_while(|w| !w.ends_with(':'))
        .filter(|w| *w != "help")
        .collect();
    assert_eq!(commands, promised);
}
