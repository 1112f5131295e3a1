//! The peer table: the release `touchpoint` CLI against jrnl as whole processes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::dataset::{PASSPHRASE, RARE_WORDS};
use chrono::DateTime;
use rusqlite::{Connection, OpenFlags};

use crate::measure::{stats, Stats};

// The peer: jrnl, from PyPI, on the same entries, against the `touchpoint` CLI as a whole
// process. Both derive their key from a passphrase on every command (jrnl reads it from a
// plaintext keyring file set up here, the CLI from TOUCHPOINT_PASSPHRASE), as neither would
// prompt in a benchmark.

/// The jrnl release measured (pinned so figures compare across runs).
pub const JRNL_VERSION: &str = "4.6";
/// The keyring backend that lets jrnl read its password without a prompt.
pub const KEYRINGS_ALT_VERSION: &str = "5.0.2";

/// Writes a jrnl v3 encrypted journal with jrnl's own code and stores its password in the
/// keyring jrnl reads. Arguments: plaintext journal, encrypted journal, password.
pub const JRNL_ENCRYPT_PY: &str = r#"
import sys, keyring
from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption
src, dst, pw = sys.argv[1:4]
enc = Jrnlv3Encryption("default", {})
enc.password = pw
with open(src, encoding="utf-8") as f:
    text = f.read()
with open(dst, "wb") as f:
    f.write(enc._encrypt(text))
keyring.set_password("jrnl", "default", pw)
"#;

pub fn run_ok(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The virtual environment with jrnl, made on first use (`pip` reaches PyPI once).
pub fn jrnl_venv(data_dir: &Path) -> Result<PathBuf, String> {
    let venv = data_dir.join(format!("jrnl-venv-{JRNL_VERSION}"));
    if venv.join("bin/jrnl").exists() {
        return Ok(venv);
    }
    eprintln!(
        "installing jrnl {JRNL_VERSION} from PyPI into {} ...",
        venv.display()
    );
    let _ = fs::remove_dir_all(&venv);
    run_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_ok(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("jrnl=={JRNL_VERSION}"))
            .arg(format!("keyrings.alt=={KEYRINGS_ALT_VERSION}")),
    )
    .inspect_err(|_| {
        let _ = fs::remove_dir_all(&venv);
    })?;
    Ok(venv)
}

/// The peer's files: its venv, its encrypted journal (cached per dataset) and its keyring.
pub struct Peer {
    pub venv: PathBuf,
    /// Holds the cached encrypted journal and the keyring (`data/`).
    pub home: PathBuf,
}

impl Peer {
    fn encrypted(&self) -> PathBuf {
        self.home.join("journal.txt")
    }

    /// jrnl with its keyring and a config file of this run's.
    fn jrnl(&self, config: &Path) -> Command {
        let mut cmd = Command::new(self.venv.join("bin/jrnl"));
        cmd.arg("--config-file")
            .arg(config)
            .env(
                "PYTHON_KEYRING_BACKEND",
                "keyrings.alt.file.PlaintextKeyring",
            )
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .stdin(std::process::Stdio::null());
        cmd
    }
}

/// The entries of the plain copy as a jrnl text journal: one entry per touchpoint, its time,
/// title and notes.
pub fn jrnl_text(plain_db: &Path) -> (String, usize) {
    let conn = Connection::open_with_flags(plain_db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the plain copy");
    let mut stmt = conn
        .prepare(
            "SELECT occurred_at, title, notes FROM touchpoints WHERE deleted_at IS NULL
             ORDER BY occurred_ms",
        )
        .expect("entries");
    let mut rows = stmt.query([]).expect("entries");
    let mut text = String::new();
    let mut n = 0;
    while let Some(r) = rows.next().expect("entry") {
        let at: String = r.get(0).expect("time");
        let title: String = r.get(1).expect("title");
        let notes: String = r.get(2).expect("notes");
        let at = DateTime::parse_from_rfc3339(&at).expect("an RFC 3339 time");
        let stop = if title.ends_with(['.', '!', '?']) {
            ""
        } else {
            "."
        };
        text.push_str(&format!(
            "[{}] {title}{stop}\n{}\n\n",
            at.format("%Y-%m-%d %H:%M"),
            notes.trim()
        ));
        n += 1;
    }
    (text, n)
}

/// Makes the peer ready: the venv, and the same entries in a jrnl journal encrypted by jrnl's
/// code (cached beside the synthetic journal). The plaintext exists only in this run's scratch
/// folder, for the moment jrnl's encryption reads it.
pub fn prepare_peer(
    data_dir: &Path,
    dataset: &Path,
    run: &Path,
    plain_db: &Path,
) -> Result<Peer, String> {
    let venv = jrnl_venv(data_dir)?;
    let name = dataset
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let home = data_dir.join(format!("jrnl-{JRNL_VERSION}-{name}"));
    let peer = Peer { venv, home };
    let marker = peer.home.join("entries");
    if marker.exists() {
        return Ok(peer);
    }
    let _ = fs::remove_dir_all(&peer.home);
    fs::create_dir_all(peer.home.join("data")).map_err(|e| e.to_string())?;
    let (text, n) = jrnl_text(plain_db);
    let plain = run.join("jrnl-plaintext.txt");
    fs::write(&plain, text).map_err(|e| e.to_string())?;
    let script = run.join("jrnl-encrypt.py");
    fs::write(&script, JRNL_ENCRYPT_PY).map_err(|e| e.to_string())?;
    let made = run_ok(
        Command::new(peer.venv.join("bin/python"))
            .arg(&script)
            .arg(&plain)
            .arg(peer.encrypted())
            .arg(PASSPHRASE)
            .env(
                "PYTHON_KEYRING_BACKEND",
                "keyrings.alt.file.PlaintextKeyring",
            )
            .env("XDG_DATA_HOME", peer.home.join("data")),
    );
    let _ = fs::remove_file(&plain);
    made?;
    fs::write(&marker, n.to_string()).map_err(|e| e.to_string())?;
    Ok(peer)
}

/// A jrnl config for this run's copy of the journal.
pub fn jrnl_config(journal: &Path) -> String {
    format!(
        "colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: true
highlight: false
indent_character: '|'
journals:
  default:
    journal: {}
    encrypt: true
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v{JRNL_VERSION}
",
        journal.display()
    )
}

/// Runs a whole process and returns its wall time; a failure stops the benchmark.
pub fn time_process(cmd: &mut Command) -> Duration {
    cmd.stdout(std::process::Stdio::null());
    let start = Instant::now();
    let out = cmd.output().expect("start a process");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

/// One line of the peer table.
pub struct PeerFigure {
    pub operation: &'static str,
    /// The CLI deriving its key from the passphrase, as every command does without a session.
    pub touchpoint: Stats,
    /// The CLI inside an unlock session (`touchpoint unlock`): no key derivation.
    pub session: Option<Stats>,
    /// jrnl, where it has the operation.
    pub jrnl: Option<Stats>,
}

/// A `touchpoint` process on `journal`, with the passphrase in its environment or without.
pub fn touchpoint_cmd(cli: &Path, journal: &Path, args: &[&str], passphrase: bool) -> Command {
    let mut cmd = Command::new(cli);
    cmd.arg("--journal")
        .arg(journal)
        .args(args)
        .env_remove("TOUCHPOINT_PASSPHRASE")
        .stdin(std::process::Stdio::null());
    if passphrase {
        cmd.env("TOUCHPOINT_PASSPHRASE", PASSPHRASE);
    }
    cmd
}

/// Opens an unlock session on `journal` for the measurement; false when the kernel keyring is
/// not available here (the session column is then left empty).
pub fn open_session(cli: &Path, journal: &Path) -> bool {
    let out = touchpoint_cmd(cli, journal, &["unlock", "--for", "2h"], true)
        .output()
        .expect("run touchpoint unlock");
    if !out.status.success() {
        println!(
            "session: not measured: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    out.status.success()
}

/// The CLI commands of the issues, each as a whole `touchpoint` process (with the passphrase,
/// and inside an unlock session on a second copy of the journal) and a whole `jrnl` process
/// where jrnl has the operation, interleaved round by round.
pub fn measure_peer(
    cfg: &Config,
    cli: &Path,
    cli_journals: [&Path; 2],
    peer: &Peer,
    run: &Path,
) -> Vec<PeerFigure> {
    let [cli_journal, session_journal] = cli_journals;
    let jrnl_dir = run.join("jrnl");
    fs::create_dir_all(&jrnl_dir).expect("jrnl scratch");
    let journal = jrnl_dir.join("journal.txt");
    fs::copy(peer.encrypted(), &journal).expect("copy the jrnl journal");
    let config = jrnl_dir.join("jrnl.yaml");
    fs::write(&config, jrnl_config(&journal)).expect("jrnl config");
    let with_session = open_session(cli, session_journal);
    let person = first_person(cli, cli_journal);
    let rare = RARE_WORDS[0];
    let tp_export = run.join("touchpoint-export.json");
    let jrnl_export = jrnl_dir.join("jrnl-export.json");
    type Args = Box<dyn Fn(usize) -> Vec<String>>;
    type PeerCmd<'a> = Option<Box<dyn Fn(usize) -> Command + 'a>>;
    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }
    let export_path = tp_export.to_str().expect("utf-8 path").to_string();
    let ops: Vec<(&'static str, Args, PeerCmd<'_>)> = vec![
        (
            "add one entry",
            Box::new(move |r| {
                strings(&[
                    "add",
                    "--kind",
                    "other",
                    "--notes",
                    &format!("Bench entry {r}: we talked about the roadmap."),
                ])
            }),
            Some(Box::new(|r| {
                let mut c = peer.jrnl(&config);
                c.arg(format!("Bench entry {r}: we talked about the roadmap."));
                c
            })),
        ),
        (
            "search a rare word",
            Box::new(move |_| strings(&["search", rare])),
            Some(Box::new(|_| {
                let mut c = peer.jrnl(&config);
                c.args(["-contains", rare]);
                c
            })),
        ),
        (
            "newest 50",
            Box::new(|_| strings(&["list", "--limit", "50"])),
            Some(Box::new(|_| {
                let mut c = peer.jrnl(&config);
                c.args(["-n", "50"]);
                c
            })),
        ),
        (
            "balance NAME --explain",
            Box::new(move |_| strings(&["balance", &person, "--explain"])),
            None,
        ),
        ("today", Box::new(|_| strings(&["today"])), None),
        (
            "export all to JSON",
            Box::new(move |_| strings(&["export", "--format", "json", "--out", &export_path])),
            Some(Box::new(|_| {
                let _ = fs::remove_file(&jrnl_export);
                let mut c = peer.jrnl(&config);
                c.args(["--format", "json", "--file"]).arg(&jrnl_export);
                c
            })),
        ),
    ];
    let time_tp = |args: &[String], session: bool| {
        let _ = fs::remove_file(&tp_export);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let journal = if session {
            session_journal
        } else {
            cli_journal
        };
        time_process(&mut touchpoint_cmd(cli, journal, &args, !session))
    };
    // One round to warm up: the CLI makes its daily backup after the first write, jrnl
    // rewrites its config; neither is counted.
    eprintln!("  peer: warm-up round");
    for (_, t, j) in &ops {
        time_tp(&t(0), false);
        if with_session {
            time_tp(&t(0), true);
        }
        if let Some(j) = j {
            time_process(&mut j(0));
        }
    }
    let mut samples = vec![(Vec::new(), Vec::new(), Vec::new()); ops.len()];
    for round in 1..=cfg.peer_rounds {
        eprintln!("  peer: round {round} of {}", cfg.peer_rounds);
        for (i, (_, t, j)) in ops.iter().enumerate() {
            let args = t(round);
            let jrnl = |sample: &mut Vec<Duration>| {
                if let Some(j) = j {
                    sample.push(time_process(&mut j(round)));
                }
            };
            // Alternate who goes first, so a busy moment hits all alike.
            if round % 2 == 1 {
                jrnl(&mut samples[i].2);
            }
            samples[i].0.push(time_tp(&args, false));
            if with_session {
                samples[i].1.push(time_tp(&args, true));
            }
            if round % 2 == 0 {
                jrnl(&mut samples[i].2);
            }
        }
    }
    if with_session {
        let _ = touchpoint_cmd(cli, session_journal, &["lock"], false).output();
    }
    let _ = fs::remove_file(&tp_export);
    let _ = fs::remove_file(&jrnl_export);
    ops.iter()
        .zip(samples)
        .map(|((name, _, _), (t, s, j))| PeerFigure {
            operation: name,
            touchpoint: stats(&t),
            session: (!s.is_empty()).then(|| stats(&s)),
            jrnl: (!j.is_empty()).then(|| stats(&j)),
        })
        .collect()
}

/// The name of the first person in the journal, for `balance NAME`.
pub fn first_person(cli: &Path, journal: &Path) -> String {
    let out = touchpoint_cmd(cli, journal, &["--json", "person", "list"], true)
        .output()
        .expect("run touchpoint person list");
    let people: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("person list --json");
    people[0]["name"]
        .as_str()
        .expect("a person with a name")
        .to_string()
}
