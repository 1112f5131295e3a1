//! Issue 11, points 4 and 5 through the CLI: the process hardens itself at start-up, the
//! journal's files are the user's only, exports never follow a planted link, every new
//! passphrase meets the one passphrase rule, and passphrase bundles use the fixed work factor.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{bare, files, Run, Sandbox, PASS};

/// A passphrase the rule accepts (zxcvbn score 4).
const STRONG: &str = "tundra marigold ledger quartz";

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// The value of a `Name:` line of `/proc/<pid>/status`.
fn status_line(pid: u32, name: &str) -> String {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name} in {status}"))
        .trim()
        .to_string()
}

/// The soft and hard core-file limits of a process, as `/proc/<pid>/limits` prints them.
fn core_limits(pid: u32) -> (String, String) {
    let limits = fs::read_to_string(format!("/proc/{pid}/limits")).expect("limits");
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("core line");
    let mut fields = line["Max core file size".len()..].split_whitespace();
    (
        fields.next().expect("soft").to_string(),
        fields.next().expect("hard").to_string(),
    )
}

/// A shell start as permissive as a user's might be: umask 022 and the soft core-file limit
/// raised to the hard one.
const PERMISSIVE: &str = r#"umask 022; ulimit -S -c "$(ulimit -H -c)""#;

/// Runs `touchpoint ARGS` from a [`PERMISSIVE`] shell (which `exec`s it, so the pid is
/// touchpoint's), so that the checks below can only pass if the binary hardens itself.
fn permissive(args: &[&str]) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!(r#"{PERMISSIVE}; exec "$0" "$@""#))
        .arg(env!("CARGO_BIN_EXE_touchpoint"))
        .args(args)
        .stdin(Stdio::null());
    for var in [
        "TOUCHPOINT_JOURNAL",
        "TOUCHPOINT_PASSPHRASE",
        "TOUCHPOINT_NEW_PASSPHRASE",
        "TOUCHPOINT_RECOVERY_CODE",
    ] {
        sh.env_remove(var);
    }
    sh
}

/// `touchpoint` turns core dumps off and sets umask 077 as the first thing it does: seen from
/// outside, in `/proc`, while the command waits on a FIFO it was asked to import, although it
/// was started with umask 022 and core files allowed.
#[test]
fn the_cli_hardens_itself_at_start_up() {
    let s = Sandbox::new();
    // What the shell gives a command that does not harden itself.
    let probe = Command::new("sh")
        .arg("-c")
        .arg(format!(
            r#"{PERMISSIVE}; grep Umask /proc/self/status; grep "Max core" /proc/self/limits"#
        ))
        .output()
        .expect("probe");
    let probe = String::from_utf8_lossy(&probe.stdout).into_owned();
    assert!(
        probe.contains("0022"),
        "the wrapper starts with umask 022: {probe}"
    );

    let fifo = s.dir.path().join("incoming.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo")
        .success());
    let journal = s.path();
    let mut child = permissive(&[
        "--journal",
        journal.to_str().unwrap(),
        "import",
        fifo.to_str().unwrap(),
    ])
    .env("TOUCHPOINT_PASSPHRASE", PASS)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start touchpoint");
    let pid = child.id();

    // Opening the FIFO for writing succeeds only once the command has opened it for reading:
    // by then `main` has long run. O_NONBLOCK (Linux 0o4000) so a failed command cannot hang
    // the test.
    let deadline = Instant::now() + Duration::from_secs(60);
    let writer = loop {
        match fs::OpenOptions::new()
            .write(true)
            .custom_flags(0o4000)
            .open(&fifo)
        {
            Ok(w) => break w,
            Err(_) if Instant::now() < deadline => {
                if let Some(status) = child.try_wait().expect("wait") {
                    let mut err = String::new();
                    child.stderr.take().unwrap().read_to_string(&mut err).ok();
                    panic!("touchpoint ended before reading the FIFO ({status}): {err}");
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("touchpoint never opened the FIFO: {e}"),
        }
    };
    // The `sh` wrapper exec'd, so the pid is touchpoint's own.
    let name = fs::read_to_string(format!("/proc/{pid}/comm")).expect("comm");
    assert_eq!(name.trim(), "touchpoint");
    assert_eq!(
        core_limits(pid),
        ("0".to_string(), "0".to_string()),
        "Max core file size 0 0 (the wrapper allowed: {probe})"
    );
    assert_eq!(status_line(pid, "Umask"), "0077");

    drop(writer);
    let out = Run::from(child.wait_with_output().expect("wait"));
    assert_eq!(
        out.code, 6,
        "an empty file is not importable: {}",
        out.stderr
    );
}

/// The journal folder is 0700 and every file in it 0600, backups included, and a prompt-set
/// export is 0600 and never written through a link planted at its `.partial` name.
#[test]
fn journal_files_and_exports_are_the_users_only() {
    let s = Sandbox::new();
    s.person("Ana");
    s.run(&["backup"]).ok();
    assert_eq!(mode(&s.path()), 0o700, "the journal folder");
    let all = files(&s.path());
    assert!(all.iter().any(|p| p.ends_with("journal.key")), "{all:?}");
    assert!(
        all.iter()
            .any(|p| p.to_string_lossy().contains("/backups/")),
        "{all:?}"
    );
    for file in &all {
        assert_eq!(mode(file), 0o600, "{} is the owner's only", file.display());
    }
    assert_eq!(mode(&s.path().join("backups")), 0o700);

    // A journal left readable by others is tightened the next time a command opens it.
    fs::set_permissions(s.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(
        s.path().join("journal.key"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    fs::set_permissions(
        s.path().join("journal.db"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    s.run(&["person", "list"]).ok();
    assert_eq!(mode(&s.path()), 0o700);
    assert_eq!(mode(&s.path().join("journal.key")), 0o600);
    assert_eq!(mode(&s.path().join("journal.db")), 0o600);

    for format in ["json", "html", "markdown", "csv"] {
        let out = s.dir.path().join(format!("export-{format}"));
        if format == "markdown" {
            fs::create_dir(&out).unwrap();
        }
        let summary = s
            .run(&[
                "--json",
                "export",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ])
            .json();
        let written = summary["files"].as_array().expect("files");
        assert!(!written.is_empty(), "{summary}");
        for file in written {
            let file = Path::new(file.as_str().unwrap());
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
    }

    let prompts = s.dir.path().join("prompts.json");
    s.run(&["prompts", "export", "--out", prompts.to_str().unwrap()])
        .ok();
    assert_eq!(mode(&prompts), 0o600);

    let victim = s.dir.path().join("victim.txt");
    fs::write(&victim, "keep").unwrap();
    let report = s.dir.path().join("report.html");
    std::os::unix::fs::symlink(&victim, s.dir.path().join("report.html.partial")).unwrap();
    let refused = s.run(&[
        "export",
        "--format",
        "html",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, 6, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("report.html.partial"),
        "{}",
        refused.stderr
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    assert!(!report.exists());
}

/// Every new passphrase (init, passwd, recover, a bundle's) meets the one rule; a weak one is
/// refused with exit 6, the reason and a suggestion, and nothing changes.
#[test]
fn weak_new_passphrases_are_refused_everywhere() {
    let weak = ["password", "password1", "touchpoint2026", "aaaaaaaaaaaa"];
    let tmp = tempfile::tempdir().unwrap();
    for (i, p) in weak.iter().enumerate() {
        let dir = tmp.path().join(format!("j{i}"));
        let out = Run::from(
            bare()
                .arg("--journal")
                .arg(&dir)
                .arg("init")
                .env("TOUCHPOINT_PASSPHRASE", p)
                .output()
                .expect("init"),
        );
        assert_eq!(out.code, 6, "init with {p:?}: {}", out.stderr);
        assert!(out.stderr.contains("too weak"), "{}", out.stderr);
        assert!(!dir.join("journal.key").exists(), "no journal for {p:?}");
    }
    let init = Run::from(
        bare()
            .arg("--journal")
            .arg(tmp.path().join("ok"))
            .arg("init")
            .env("TOUCHPOINT_PASSPHRASE", STRONG)
            .output()
            .expect("init"),
    );
    init.ok();

    let s = Sandbox::new();
    let key_before = fs::read(s.path().join("journal.key")).unwrap();
    for p in weak {
        let out = s.run_with(
            &["passwd"],
            &[
                ("TOUCHPOINT_PASSPHRASE", PASS),
                ("TOUCHPOINT_NEW_PASSPHRASE", p),
            ],
        );
        assert_eq!(out.code, 6, "passwd to {p:?}: {}", out.stderr);
        assert!(out.stderr.contains("too weak"), "{}", out.stderr);
        let out = s.run_with(
            &["recover"],
            &[
                ("TOUCHPOINT_RECOVERY_CODE", &s.recovery_code),
                ("TOUCHPOINT_NEW_PASSPHRASE", p),
            ],
        );
        assert_eq!(out.code, 6, "recover to {p:?}: {}", out.stderr);
        let bundle = s.dir.path().join("weak.touchpoint");
        let out = s.run_with(
            &[
                "export",
                "--format",
                "bundle",
                "--out",
                bundle.to_str().unwrap(),
            ],
            &[
                ("TOUCHPOINT_PASSPHRASE", PASS),
                ("TOUCHPOINT_EXPORT_PASSPHRASE", p),
            ],
        );
        assert_eq!(out.code, 6, "bundle to {p:?}: {}", out.stderr);
        assert!(!bundle.exists());
    }
    assert_eq!(
        fs::read(s.path().join("journal.key")).unwrap(),
        key_before,
        "nothing changed"
    );
    s.run(&["person", "list"]).ok();

    // The reason and the suggestion are the core's, and never the passphrase itself.
    let out = s.run_with(
        &["passwd"],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_NEW_PASSPHRASE", "touchpoint2026"),
        ],
    );
    assert!(
        out.stderr.contains("The app's own name") && out.stderr.contains("Add another word"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("touchpoint2026"), "{}", out.stderr);

    s.run_with(
        &["passwd"],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_NEW_PASSPHRASE", STRONG),
        ],
    )
    .ok();
    s.run_with(&["person", "list"], &[("TOUCHPOINT_PASSPHRASE", STRONG)])
        .ok();
}

/// A passphrase bundle made by the CLI asks for scrypt 2^18, the fixed factor, whatever the
/// machine's load.
#[test]
fn passphrase_bundles_use_the_fixed_work_factor() {
    let s = Sandbox::new();
    s.person("Ana");
    let bundle = s.dir.path().join("out.touchpoint");
    s.run_with(
        &[
            "export",
            "--format",
            "bundle",
            "--out",
            bundle.to_str().unwrap(),
        ],
        &[
            ("TOUCHPOINT_PASSPHRASE", PASS),
            ("TOUCHPOINT_EXPORT_PASSPHRASE", STRONG),
        ],
    )
    .ok();
    let bytes = fs::read(&bundle).unwrap();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned();
    let stanza = head
        .lines()
        .find(|l| l.starts_with("-> scrypt "))
        .unwrap_or_else(|| panic!("a scrypt stanza: {head}"));
    assert_eq!(stanza.rsplit(' ').next(), Some("18"), "{stanza}");
    let other = Sandbox::new();
    other
        .run_with(
            &["import", bundle.to_str().unwrap()],
            &[
                ("TOUCHPOINT_PASSPHRASE", PASS),
                ("TOUCHPOINT_EXPORT_PASSPHRASE", STRONG),
            ],
        )
        .ok();
}
