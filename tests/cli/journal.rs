//! The journal as a whole: keys, recovery, backups, verification, privacy on disk, the demo.

use crate::util::{files, Sandbox};

#[test]
fn nothing_readable_is_left_on_disk() {
    let s = Sandbox::new();
    s.run(&["person", "add", "Zebediah Canary"]).ok();
    s.run(&[
        "add",
        "--kind",
        "conflict",
        "--with",
        "Zebediah Canary",
        "--notes",
        "xylophonic-secret-word",
    ])
    .ok();
    s.run(&["backup"]).ok();
    for f in files(&s.path()) {
        let bytes = std::fs::read(&f).expect("read");
        for canary in [&b"Zebediah"[..], b"xylophonic", b"SQLite format"] {
            assert!(
                !bytes.windows(canary.len()).any(|w| w == canary),
                "{} holds plaintext {:?}",
                f.display(),
                String::from_utf8_lossy(canary)
            );
        }
    }
}

#[test]
fn passwd_rewraps_the_key_and_recover_resets_it() {
    let s = Sandbox::new();
    s.person("Ana");
    let db_before = std::fs::read(s.path().join("journal.db")).expect("db");
    s.run_with(
        &["passwd"],
        &[
            ("TOUCHPOINT_PASSPHRASE", crate::util::PASS),
            ("TOUCHPOINT_NEW_PASSPHRASE", "a brand new passphrase"),
        ],
    )
    .ok();
    assert_eq!(
        db_before,
        std::fs::read(s.path().join("journal.db")).expect("db"),
        "the database is not rewritten"
    );
    assert_eq!(
        s.run(&["person", "list"]).code,
        3,
        "the old passphrase no longer works"
    );
    let new = [("TOUCHPOINT_PASSPHRASE", "a brand new passphrase")];
    assert!(s.run_with(&["person", "list"], &new).ok().contains("Ana"));

    let wrong = s.run_with(
        &["recover"],
        &[
            (
                "TOUCHPOINT_RECOVERY_CODE",
                "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA",
            ),
            ("TOUCHPOINT_NEW_PASSPHRASE", "whatever it is now"),
        ],
    );
    assert_eq!(wrong.code, 3, "{}", wrong.stderr);
    let code = s.recovery_code.to_lowercase().replace('-', " ");
    s.run_with(
        &["recover"],
        &[
            ("TOUCHPOINT_RECOVERY_CODE", &code),
            ("TOUCHPOINT_NEW_PASSPHRASE", "recovered passphrase here"),
        ],
    )
    .ok();
    let recovered = [("TOUCHPOINT_PASSPHRASE", "recovered passphrase here")];
    assert!(s
        .run_with(&["person", "list"], &recovered)
        .ok()
        .contains("Ana"));
    let short = s.run_with(
        &["passwd"],
        &[recovered[0], ("TOUCHPOINT_NEW_PASSPHRASE", "short")],
    );
    assert_eq!(
        short.code, 6,
        "too-short passphrases are refused: {}",
        short.stderr
    );
}

/// The reminder's wait after a meeting is 5 minutes unless changed, 0 to 60; more is refused
/// and changes nothing.
#[test]
fn the_reminder_wait_is_set_within_an_hour() {
    let s = Sandbox::new();
    let run = s.run(&["settings"]);
    let shown = run.ok();
    assert!(
        shown.contains("5 minutes after a calendar meeting ends"),
        "{shown}"
    );
    let json = s
        .run(&["--json", "settings", "--remind-minutes-after-end", "0"])
        .json();
    assert_eq!(json["remind_minutes_after_end"], 0);
    let refused = s.run(&["settings", "--remind-minutes-after-end", "61"]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("between 0 and 60 minutes"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        s.run(&["--json", "settings"]).json()["remind_minutes_after_end"],
        0
    );
}

#[test]
fn backup_rotates_and_restore_brings_back_the_old_state() {
    let s = Sandbox::new();
    s.run(&["settings", "--backup-keep", "2"]).ok();
    s.person("Ana");
    let first = s.run(&["--json", "backup"]).json()["path"]
        .as_str()
        .expect("path")
        .to_string();
    s.person("Ben");
    s.run(&["backup"]).ok();
    s.run(&["backup"]).ok();
    let list = s.run(&["--json", "backups"]).json();
    assert_eq!(
        list.as_array().expect("list").len(),
        2,
        "only two kept: {list}"
    );
    assert!(
        !std::path::Path::new(&first).exists(),
        "the oldest rotated out"
    );
    let keep = list[1]["path"].as_str().expect("path").to_string();
    s.person("Cleo");
    s.run(&["restore", &keep]).ok();
    let people = s.run(&["person", "list"]);
    let people = people.ok();
    assert!(
        people.contains("Ben") && !people.contains("Cleo"),
        "{people}"
    );
    assert!(s.path().join("journal.db.before-restore").exists());
    assert!(s.run(&["verify"]).ok().contains("intact"));
}

#[test]
fn erase_removes_a_person_everywhere_and_trash_restores() {
    let s = Sandbox::new();
    s.person("Ana");
    s.person("Ben");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--notes",
        "quokka plans",
        "--willingness",
        "1",
        "--ability",
        "1",
    ])
    .ok();
    s.run(&[
        "add",
        "--kind",
        "team_meeting",
        "--with",
        "Ana,Ben",
        "--notes",
        "wombat review",
    ])
    .ok();
    s.run(&[
        "commitment",
        "add",
        "--to",
        "Ana",
        "--what",
        "numbat paperwork",
    ])
    .ok();
    s.run(&["person", "remove", "Ana"]).ok();
    assert!(!s.run(&["person", "list"]).ok().contains("Ana"));
    assert!(s.run(&["trash", "list"]).ok().contains("Ana"));
    s.run(&["trash", "restore", "Ana"]).ok();
    assert!(s.run(&["person", "list"]).ok().contains("Ana"));

    s.run(&["person", "erase", "Ana"]).ok();
    for word in ["quokka", "numbat"] {
        assert!(
            s.run(&["--json", "search", word])
                .json()
                .as_array()
                .expect("hits")
                .is_empty(),
            "{word} is gone"
        );
    }
    let shared = s.run(&["--json", "search", "wombat"]).json();
    assert_eq!(
        shared.as_array().expect("hits").len(),
        1,
        "Ben's shared entry stays"
    );
    let list = s.run(&["--json", "list"]).json();
    assert_eq!(list.as_array().expect("list").len(), 1);
    assert_eq!(list[0]["participants"].as_array().expect("people").len(), 1);
    assert_eq!(s.run(&["person", "erase", "Ana"]).code, 6);
    assert!(s.run(&["verify"]).ok().contains("intact"));
}

#[test]
fn list_filters_and_drafts() {
    let s = Sandbox::new();
    s.person("Ana");
    s.person("Ben");
    s.run(&[
        "add",
        "--kind",
        "one_on_one",
        "--with",
        "Ana",
        "--at",
        "2026-01-10T09:00:00+01:00",
        "--tag",
        "AI rollout",
    ])
    .ok();
    s.run(&[
        "add",
        "--kind",
        "feedback",
        "--with",
        "Ben",
        "--at",
        "2026-02-01",
    ])
    .ok();
    s.run(&["add", "--kind", "one_on_one", "--with", "Ben", "--draft"])
        .ok();
    let all = s.run(&["--json", "list"]).json();
    assert_eq!(all.as_array().expect("list").len(), 3);
    assert_eq!(
        s.run(&["--json", "list", "--person", "Ana"])
            .json()
            .as_array()
            .expect("l")
            .len(),
        1
    );
    assert_eq!(
        s.run(&["--json", "list", "--kind", "one_on_one"])
            .json()
            .as_array()
            .expect("l")
            .len(),
        2
    );
    assert_eq!(
        s.run(&["--json", "list", "--tag", "ai-rollout"])
            .json()
            .as_array()
            .expect("l")
            .len(),
        1
    );
    assert_eq!(
        s.run(&["--json", "list", "--since", "2026-01-15"])
            .json()
            .as_array()
            .expect("l")
            .len(),
        2
    );
    assert_eq!(
        s.run(&["--json", "list", "--limit", "1"])
            .json()
            .as_array()
            .expect("l")
            .len(),
        1
    );
    let ana = s.run(&["--json", "list", "--person", "Ana"]).json();
    assert_eq!(
        ana[0]["occurred_at"], "2026-01-10T09:00:00+01:00",
        "the original offset is kept"
    );
    let today = s.run(&["--json", "today"]).json();
    assert_eq!(today["drafts"].as_array().expect("drafts").len(), 1);
}

#[test]
fn reflect_writes_one_side_and_show_reads_it_back() {
    let s = Sandbox::new();
    s.person("Ana");
    s.person("Ben");
    let id = s
        .run(&["add", "--kind", "team_meeting", "--with", "Ana,Ben"])
        .ok()
        .trim()
        .to_string();
    s.run(&[
        "reflect",
        &id,
        "--person",
        "Ben",
        "--willingness",
        "-1",
        "--ability",
        "2",
        "--their-side",
        "Nobody asked me",
    ])
    .ok();
    assert_eq!(
        s.run(&[
            "reflect",
            &id,
            "--person",
            "Zed",
            "--willingness",
            "0",
            "--ability",
            "0"
        ])
        .code,
        6
    );
    let detail = s.run(&["--json", "show", &id]).json();
    assert_eq!(detail["reflections"].as_array().expect("r").len(), 1);
    assert_eq!(detail["reflections"][0]["their_side"], "Nobody asked me");
    assert_eq!(s.run(&["--json", "balance", "Ben"]).json()["balance"], 1.0);
}

#[test]
fn demo_is_deterministic_by_seed() {
    let a = Sandbox::new();
    let b = Sandbox::new();
    for s in [&a, &b] {
        s.run(&[
            "demo",
            "--people",
            "40",
            "--touchpoints",
            "150",
            "--seed",
            "7",
            "--anchor",
            "2026-06-01",
        ])
        .ok();
    }
    let la = a.run(&["--json", "list", "--limit", "1000"]).json();
    let lb = b.run(&["--json", "list", "--limit", "1000"]).json();
    assert_eq!(la.as_array().expect("list").len(), 150);
    assert_eq!(la, lb, "same seed, same journal");
    assert_eq!(
        a.run(&["--json", "balance"]).json(),
        b.run(&["--json", "balance"]).json()
    );
    let c = Sandbox::new();
    c.run(&[
        "demo",
        "--people",
        "40",
        "--touchpoints",
        "150",
        "--seed",
        "8",
        "--anchor",
        "2026-06-01",
    ])
    .ok();
    assert_ne!(
        la,
        c.run(&["--json", "list", "--limit", "1000"]).json(),
        "another seed, another journal"
    );
    assert_eq!(
        a.run(&["demo"]).code,
        6,
        "a demo never mixes into a journal with people"
    );
}

#[test]
fn prompt_sets_export_and_import() {
    let s = Sandbox::new();
    let sets = s.run(&["--json", "prompts", "list"]).json();
    assert!(
        sets.as_array().expect("sets").len() >= 8,
        "built-in sets for every kind, the AI roll-out and recalibration"
    );
    let file = s.dir.path().join("prompts.json");
    s.run(&[
        "prompts",
        "export",
        "--all",
        "--out",
        file.to_str().expect("utf8"),
    ])
    .ok();
    let other = Sandbox::new();
    other
        .run(&["prompts", "import", file.to_str().expect("utf8")])
        .ok();
    let after = other.run(&["--json", "prompts", "list"]).json();
    let user: Vec<_> = after
        .as_array()
        .expect("sets")
        .iter()
        .filter(|s| s["builtin"] == false)
        .collect();
    assert_eq!(user.len(), sets.as_array().expect("sets").len());
    let junk = s.dir.path().join("junk.json");
    std::fs::write(&junk, "{\"format\":\"something-else\"}").expect("write");
    let out = other.run(&["prompts", "import", junk.to_str().expect("utf8")]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(
        out.stderr.contains("not a Touchpoint prompt file"),
        "{}",
        out.stderr
    );
}
