//! The command line as a well-made Unix tool: a closed pipe ends a command quietly, and a
//! folder without a journal is named before any passphrase is asked.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::util::{bare, Sandbox, PASS};

/// Every command that lists something, as a script would pipe it into `head`.
const LISTINGS: &[&[&str]] = &[
    &["list", "--limit", "5000"],
    &["search", "migration", "--limit", "500"],
    &["today"],
    &["balance"],
    &["person", "list"],
    &["commitment", "list"],
    &["topic", "list"],
    &["prompts", "list"],
    &["trash", "list"],
    &["backups"],
    &["key", "show"],
    &["calendar", "list"],
    &["initiative", "list"],
    &["--json", "list", "--limit", "5000"],
];

/// A journal with enough in it that every listing has lines to print.
fn filled() -> Sandbox {
    let s = Sandbox::new();
    s.run(&["demo", "--touchpoints", "1500"]).ok();
    s.run(&["backup"]).ok();
    s
}

/// Runs `args` with stdout into a pipe whose reader takes `lines` lines (none: closed before
/// the command writes anything) and then closes; answers the exit status and stderr.
fn piped(s: &Sandbox, args: &[&str], lines: usize) -> (std::process::ExitStatus, String) {
    let mut child = bare()
        .arg("--journal")
        .arg(s.path())
        .args(args)
        .env("TOUCHPOINT_PASSPHRASE", PASS)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn touchpoint");
    let stdout = child.stdout.take().expect("stdout piped");
    let mut reader = BufReader::new(stdout);
    for _ in 0..lines {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read a line");
    }
    // The read end is closed now, with the command still writing (or not yet begun).
    drop(reader);
    let out = child.wait_with_output().expect("wait for touchpoint");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_reader_that_closes_the_pipe_ends_every_listing_quietly() {
    let s = filled();
    for args in LISTINGS {
        for lines in [0, 1] {
            let (status, stderr) = piped(&s, args, lines);
            assert_eq!(
                status.code(),
                Some(0),
                "`touchpoint {}` with the reader gone after {lines} line(s): {status}, stderr: {stderr}",
                args.join(" ")
            );
            assert!(
                stderr.is_empty(),
                "`touchpoint {}` printed on stderr: {stderr}",
                args.join(" ")
            );
        }
    }
}

#[test]
fn a_long_listing_stops_at_once_when_the_reader_has_enough() {
    let s = filled();
    // More than a pipe holds (64 KiB), so the command is still writing when the reader goes.
    let args = ["--json", "list", "--limit", "5000"];
    let full = s.run(&args);
    assert!(
        full.ok().len() > 256 * 1024,
        "the listing is long enough to fill the pipe"
    );
    let (status, stderr) = piped(&s, &args, 1);
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_folder_without_a_journal_is_named_before_any_passphrase_is_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no").join("such").join("folder");
    for args in [&["list"][..], &["today"], &["passwd"], &["restore", "x.db"]] {
        // No passphrase in the environment: asking for one would fail with exit 2 instead.
        let out = bare()
            .arg("--journal")
            .arg(&missing)
            .args(args)
            .output()
            .expect("run touchpoint");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("no journal at {}", missing.display()))
                && stderr.contains("touchpoint init"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("TOUCHPOINT_PASSPHRASE"), "{stderr}");
    }
    assert!(!missing.exists(), "nothing was created at the path");
}

#[test]
fn a_mistyped_name_is_answered_with_the_names_it_may_mean() {
    let s = Sandbox::new();
    s.person("Ana Costa");
    s.person("Ben Okafor");
    let typo = s.run(&["balance", "Ana Cotsa"]);
    assert_eq!(typo.code, 6, "{}", typo.stderr);
    assert!(
        typo.stderr
            .contains("no person called \"Ana Cotsa\"; did you mean Ana Costa?"),
        "{}",
        typo.stderr
    );
    let far = s.run(&["balance", "Zoe Quartermain"]);
    assert!(!far.stderr.contains("did you mean"), "{}", far.stderr);
    // In the trash, the names there are the ones offered.
    s.run(&["person", "remove", "Ben Okafor"]).ok();
    let trashed = s.run(&["trash", "restore", "Ben Okafr"]);
    assert!(
        trashed
            .stderr
            .contains("in the trash; did you mean Ben Okafor?"),
        "{}",
        trashed.stderr
    );
}

#[test]
fn completions_for_bash_zsh_and_fish_know_every_command_and_need_no_journal() {
    let nowhere = tempfile::tempdir().expect("temp dir");
    for shell in ["bash", "zsh", "fish"] {
        let out = bare()
            .arg("--journal")
            .arg(nowhere.path().join("none"))
            .args(["completions", shell])
            .output()
            .expect("run touchpoint");
        let script = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for command in ["calendar", "initiative", "balance", "completions"] {
            assert!(
                script.contains(command),
                "{shell} completions lack {command}"
            );
        }
    }
    let bad = bare().args(["completions", "tcsh"]).output().expect("run");
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

/// The commands `touchpoint --help` lists (without `help`).
fn listed_commands() -> Vec<String> {
    let out = bare()
        .arg("--help")
        .output()
        .expect("run touchpoint --help");
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn the_manual_has_a_page_for_every_command_the_help_lists() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("man1");
    let run = bare()
        .args(["manual", "--out"])
        .arg(&out)
        .output()
        .expect("run touchpoint manual");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let commands = listed_commands();
    assert!(commands.len() > 20, "{commands:?}");
    // roff writes a hyphen as `\-`.
    let main = std::fs::read_to_string(out.join("touchpoint.1"))
        .expect("touchpoint.1")
        .replace("\\-", "-");
    assert!(
        main.starts_with(".ie") || main.contains(".TH touchpoint 1"),
        "{main:.200}"
    );
    for command in &commands {
        let page = out.join(format!("touchpoint-{command}.1"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|_| panic!("no page {}", page.display()));
        assert!(
            text.contains(".TH"),
            "{} is not a manual page",
            page.display()
        );
        assert!(
            main.contains(command.as_str()),
            "touchpoint.1 does not name {command}"
        );
    }
    // Subcommands get their own pages, named as git names them.
    for page in [
        "touchpoint-person-add.1",
        "touchpoint-calendar-link.1",
        "touchpoint-trash-empty.1",
    ] {
        assert!(out.join(page).is_file(), "no {page}");
    }
    assert!(
        !out.join("touchpoint-manual.1").exists(),
        "the hidden generator has no page"
    );
}

/// Runs a command on a pseudo-terminal (util-linux `script`), as a person at a terminal would.
fn on_terminal(s: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut line = format!(
        "{} --journal {}",
        env!("CARGO_BIN_EXE_touchpoint"),
        s.path().display()
    );
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env("TOUCHPOINT_PASSPHRASE", PASS)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_shows_on_a_terminal_only_and_follows_no_color_and_the_flag() {
    let s = filled();
    const ESC: char = '\u{1b}';
    // On a terminal: emphasis by default; none with NO_COLOR or --color never.
    assert!(on_terminal(&s, &["today"], &[]).contains(ESC));
    assert!(!on_terminal(&s, &["today"], &[("NO_COLOR", "1")]).contains(ESC));
    assert!(!on_terminal(&s, &["--color", "never", "today"], &[]).contains(ESC));
    assert!(!on_terminal(&s, &["today"], &[("TERM", "dumb")]).contains(ESC));
    // Into a pipe: none, unless asked for.
    assert!(!s.run(&["today"]).ok().contains(ESC));
    assert!(!s.run(&["balance"]).ok().contains(ESC));
    assert!(s.run(&["--color", "always", "today"]).ok().contains(ESC));
    // JSON never carries it.
    assert!(!s
        .run(&["--color", "always", "--json", "today"])
        .ok()
        .contains(ESC));
}
