//! Plaintext: canary words written through every field and feature (people, touchpoints,
//! reflections, commitments, topics, tags, prompt sets, a coach's annotations through the
//! review round trip, and imported jrnl entries) appear in no file of either journal, the
//! backup folder, the exchanged bundle and review file, or the processes' temp folder — after
//! normal use and after a process was killed in the middle of writing them.
//!
//! Files the user asked for in plain text (the jrnl export read in, the prompt file) live in
//! an `inputs` folder that is not scanned. The scan ignores case.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use super::crash::{run_trial, Trial};
use super::Rng;
use crate::util::{bare, files, Run, PASS};

/// One folder holding everything of the scenario.
struct World {
    root: tempfile::TempDir,
}

impl World {
    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// A command on the journal `who`, with the private temp folder.
    fn cmd(&self, who: &str, args: &[&str]) -> Command {
        let mut cmd = bare();
        cmd.arg("--journal")
            .arg(self.path(who))
            .args(args)
            .env("TOUCHPOINT_PASSPHRASE", PASS)
            .env("TMPDIR", self.path("tmp"));
        cmd
    }

    fn run(&self, who: &str, args: &[&str]) -> Run {
        Run::from(self.cmd(who, args).output().expect("run touchpoint"))
    }

    /// The folders that must never hold plaintext.
    fn scanned(&self) -> Vec<PathBuf> {
        ["leader", "coach", "backups", "exchange", "tmp"]
            .iter()
            .map(|d| self.path(d))
            .collect()
    }
}

/// Every canary found in any file under `dirs`, with the file.
fn leaks(dirs: &[PathBuf], canaries: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for dir in dirs.iter().filter(|d| d.exists()) {
        for f in files(dir) {
            let bytes = std::fs::read(&f).unwrap_or_default().to_ascii_lowercase();
            for c in canaries {
                if bytes.windows(c.len()).any(|w| w == c.as_bytes()) {
                    found.push(format!("{} holds {c}", f.display()));
                }
            }
        }
    }
    found
}

const CANARIES: &[&str] = &[
    "zqxname",
    "zqxrole",
    "zqxemail",
    "zqxteam",
    "zqxtitle",
    "zqxnotes",
    "zqxtag",
    "zqxtheirside",
    "zqxhelped",
    "zqxnexttime",
    "zqxcommit",
    "zqxtopic",
    "zqxpromptset",
    "zqxprompttext",
    "zqxannotation",
    "zqxauthor",
    "zqxjrnltitle",
    "zqxjrnlbody",
    "zqxjrnltag",
];

fn jrnl_export(entries: usize, word: &str) -> String {
    let list: Vec<Value> = (0..entries)
        .map(|i| {
            json!({
                "title": format!("zqxjrnltitle {word} {i}"),
                "body": format!("zqxjrnlbody {word} went well {i}"),
                "date": "2024-05-01",
                "time": format!("{:02}:{:02}", (i / 60) % 24, i % 60),
                "tags": ["@zqxjrnltag"],
                "starred": false,
            })
        })
        .collect();
    json!({"tags": {"@zqxjrnltag": entries}, "entries": list}).to_string()
}

#[test]
fn canaries_never_reach_the_disk_unencrypted() {
    let w = World {
        root: tempfile::tempdir().expect("tmp"),
    };
    for d in ["tmp", "inputs", "exchange", "backups"] {
        std::fs::create_dir_all(w.path(d)).expect("mkdir");
    }
    let backups = w.path("backups");
    w.run("leader", &["init"]).ok();
    w.run("coach", &["init"]).ok();
    w.run(
        "leader",
        &["settings", "--backup-dir", backups.to_str().expect("utf8")],
    )
    .ok();
    let name = "Quilla Zqxname";
    w.run(
        "leader",
        &[
            "person",
            "add",
            name,
            "--role",
            "zqxrole",
            "--email",
            "zqxemail@example.org",
            "--team",
            "zqxteam",
        ],
    )
    .ok();
    let id = w
        .run(
            "leader",
            &[
                "add",
                "--kind",
                "one_on_one",
                "--with",
                name,
                "--title",
                "zqxtitle",
                "--notes",
                "zqxnotes about the roadmap",
                "--tag",
                "zqxtag",
                "--team",
                "zqxteam",
                "--their-side",
                "zqxtheirside",
                "--willingness",
                "1",
                "--ability",
                "-1",
            ],
        )
        .ok()
        .trim()
        .to_string();
    w.run(
        "leader",
        &[
            "reflect",
            &id,
            "--person",
            name,
            "--willingness",
            "1",
            "--ability",
            "-1",
            "--their-side",
            "zqxtheirside again",
            "--would-have-helped",
            "zqxhelped",
            "--next-time",
            "zqxnexttime",
        ],
    )
    .ok();
    w.run(
        "leader",
        &[
            "commitment",
            "add",
            "--to",
            name,
            "--what",
            "zqxcommit",
            "--due",
            "2030-01-01",
            "--touchpoint",
            &id,
        ],
    )
    .ok();
    w.run(
        "leader",
        &[
            "topic",
            "add",
            "--person",
            name,
            "--text",
            "zqxtopic",
            "--touchpoint",
            &id,
        ],
    )
    .ok();

    // A prompt set of the leader's own, from a file they wrote.
    let prompts = w.path("inputs/prompts.json");
    let prompts_s = prompts.to_str().expect("utf8");
    w.run(
        "leader",
        &["prompts", "export", "--all", "--out", prompts_s],
    )
    .ok();
    let mut file: Value =
        serde_json::from_str(&std::fs::read_to_string(&prompts).expect("read")).expect("json");
    let set = &mut file["sets"][0];
    set["name"] = json!("zqxpromptset");
    set["prompts"][0]["text"] = json!("zqxprompttext for {name}?");
    std::fs::write(&prompts, file.to_string()).expect("write");
    w.run("leader", &["prompts", "import", prompts_s]).ok();

    // Entries imported from jrnl.
    let jrnl = w.path("inputs/jrnl.json");
    std::fs::write(&jrnl, jrnl_export(3, "calm")).expect("write");
    w.run("leader", &["import", jrnl.to_str().expect("utf8")])
        .ok();

    // The coach round trip: bundle out, annotation in the coach's journal, review file back.
    let key = w.run("coach", &["key", "show"]).ok().trim().to_string();
    let bundle = w.path("exchange/for-coach.touchpoint");
    let bundle_s = bundle.to_str().expect("utf8");
    w.run(
        "leader",
        &[
            "export",
            "--format",
            "bundle",
            "--recipient",
            &key,
            "--out",
            bundle_s,
        ],
    )
    .ok();
    w.run("coach", &["review", bundle_s, "list"]).ok();
    w.run(
        "coach",
        &[
            "review",
            bundle_s,
            "annotate",
            &id,
            "zqxannotation: ask first",
        ],
    )
    .ok();
    let review = w.path("exchange/back.touchpoint-review");
    let review_s = review.to_str().expect("utf8");
    w.run(
        "coach",
        &[
            "review",
            bundle_s,
            "export-review",
            "--author",
            "zqxauthor",
            "--out",
            review_s,
        ],
    )
    .ok();
    w.run("leader", &["import", review_s]).ok();
    w.run("leader", &["backup"]).ok();

    // Everything went in and reads back (otherwise the scan below would prove nothing).
    let shown = w
        .run("leader", &["--json", "show", &id])
        .ok()
        .to_ascii_lowercase();
    for c in [
        "zqxname",
        "zqxtitle",
        "zqxnotes",
        "zqxtag",
        "zqxhelped",
        "zqxnexttime",
        "zqxcommit",
        "zqxtopic",
        "zqxannotation",
        "zqxauthor",
    ] {
        assert!(shown.contains(c), "{c} was stored and reads back: {shown}");
    }
    assert_eq!(
        w.run("leader", &["--json", "search", "zqxjrnlbody"])
            .json()
            .as_array()
            .map(Vec::len),
        Some(3),
        "the imported entries are searchable"
    );
    let listed = w
        .run("leader", &["--json", "prompts", "list"])
        .ok()
        .to_ascii_lowercase();
    assert!(listed.contains("zqxpromptset") && listed.contains("zqxprompttext"));
    let people = w
        .run("leader", &["--json", "person", "list"])
        .ok()
        .to_ascii_lowercase();
    assert!(
        people.contains("zqxrole") && people.contains("zqxemail") && people.contains("zqxteam")
    );

    let found = leaks(&w.scanned(), CANARIES);
    assert!(
        found.is_empty(),
        "plaintext on disk after normal use:\n{}",
        found.join("\n")
    );

    // Now kill writers mid-write: an import of many entries, and a loop of touchpoints.
    let mut rng = Rng::from_env("TOUCHPOINT_PLAINTEXT_SEED");
    let big = w.path("inputs/big-jrnl.json");
    std::fs::write(&big, jrnl_export(4000, "zqxcrashimport")).expect("write");
    for _ in 0..3 {
        let mut child = w
            .cmd("leader", &["import", big.to_str().expect("utf8")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the import");
        std::thread::sleep(Duration::from_millis(300 + rng.below(900)));
        let _ = child.kill();
        child.wait().expect("reap");
    }
    let expect = w.path("inputs/none.txt");
    std::fs::write(&expect, "").expect("write");
    // The writer is killed a short while after it is ready; on a busy machine its first commit
    // can take longer than that, so the wait doubles until a killed writer had committed.
    let committed = |t: &Trial| {
        t.lines
            .iter()
            .any(|l| l.starts_with("committed touchpoint"))
    };
    let mut trials = Vec::new();
    for attempt in 0..6u32 {
        let t = run_trial(
            &w.path("leader"),
            &expect,
            Duration::from_millis((50 + rng.below(100)) << attempt),
            false,
            &[
                ("TOUCHPOINT_FAULT_WRITER_NOTE", "zqxcrashnote"),
                ("TMPDIR", w.path("tmp").to_str().expect("utf8")),
            ],
        );
        let done = committed(&t);
        trials.push(t);
        if done {
            break;
        }
    }
    assert!(
        trials.iter().any(committed),
        "no killed writer had written canary notes: {:?}",
        trials
            .iter()
            .map(|t| (t.lines.clone(), t.stderr.clone()))
            .collect::<Vec<_>>()
    );
    assert!(
        w.path("leader/journal.db-wal").exists(),
        "the kill left a write-ahead log behind to scan"
    );
    let mut after_crash: Vec<&str> = CANARIES.to_vec();
    after_crash.extend(["zqxcrashimport", "zqxcrashnote"]);
    let found = leaks(&w.scanned(), &after_crash);
    assert!(
        found.is_empty(),
        "plaintext on disk after a crash:\n{}",
        found.join("\n")
    );
    assert_eq!(
        w.run("leader", &["--json", "search", "zqxcrashnote"])
            .json()
            .as_array()
            .map(|a| a.is_empty()),
        Some(false),
        "the crashed writer's committed notes are there, encrypted"
    );
}
