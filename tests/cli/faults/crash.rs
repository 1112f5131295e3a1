//! Crash durability: a writer killed with SIGKILL at random moments never loses a write whose
//! commit had returned, and the journal it leaves behind always opens and verifies.
//!
//! One trial is one writer process: it opens the journal (one key derivation), checks that
//! every touchpoint and reflection reported by the writers before it is there and that
//! `verify` passes, reports `ready`, then writes in a loop and prints each id once its commit
//! has returned, until the parent kills it. Most kills land in the write loop (after `ready`,
//! at a random delay); one in four lands at a random moment from the start, which includes
//! opening and recovering a journal another kill left behind. The parent finally reopens the
//! journal itself and checks everything once more. The trials are split between two tests on
//! two journals so that the test runner can run them on both cores.
//!
//! The writer is this test binary run again with `faults::crash::writer_process`, so it links
//! the core directly and needs no hidden command in the CLI.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;
use touchpoint_core::model::{NewPerson, NewReflection, NewTouchpoint};
use touchpoint_core::secret::Passphrase;
use touchpoint_core::Journal;

use super::Rng;
use crate::util::{Sandbox, PASS};

/// Where the writer finds its journal and the list of ids to check; unset in normal runs.
const WRITER_DIR: &str = "TOUCHPOINT_FAULT_WRITER_DIR";
const WRITER_EXPECT: &str = "TOUCHPOINT_FAULT_WRITER_EXPECT";
/// Set (to anything) to keep the writer from making backups.
pub(super) const WRITER_NO_BACKUP: &str = "TOUCHPOINT_FAULT_WRITER_NO_BACKUP";

/// Trials in `make test` (half per journal); `make test-long` sets TOUCHPOINT_CRASH_TRIALS=1000.
const DEFAULT_TRIALS: usize = 200;

/// A committed record the writer reported: `touchpoint <id>` or `reflection <touchpoint id>`.
fn check_record(journal: &Journal, person: uuid::Uuid, line: &str) -> Result<(), String> {
    let (what, id) = line
        .split_once(' ')
        .ok_or_else(|| format!("bad line {line:?}"))?;
    let id: uuid::Uuid = id.parse().map_err(|e| format!("bad id in {line:?}: {e}"))?;
    let found = match what {
        "touchpoint" => journal.touchpoint(id).map(|_| ()),
        "reflection" => journal.reflection(id, person).map(|_| ()),
        other => return Err(format!("unknown record kind {other:?}")),
    };
    found.map_err(|e| format!("{line} was reported committed but is gone: {e}"))
}

/// The writer: not a test of its own; the crash tests run it.
#[test]
#[ignore = "run by the crash and concurrency tests in a child process"]
fn writer_process() {
    let Some(dir) = std::env::var_os(WRITER_DIR).map(PathBuf::from) else {
        eprintln!("this is the crash test's writer process; it does nothing on its own");
        return;
    };
    // The test harness has printed "test ... " without a line end: start a fresh line.
    println!();
    let expected = std::fs::read_to_string(std::env::var_os(WRITER_EXPECT).expect("ids file"))
        .expect("read the ids to check");
    let began = std::time::Instant::now();
    let mut journal =
        Journal::open(&dir, &Passphrase::new(PASS.to_string())).expect("the journal opens");
    let opened = began.elapsed();
    let ana = journal
        .people(false)
        .expect("people")
        .first()
        .expect("the trial's person")
        .id;
    let mut checked = 0;
    for line in expected.lines() {
        if let Err(problem) = check_record(&journal, ana, line) {
            println!("FAILED {problem}");
            panic!("{problem}");
        }
        checked += 1;
    }
    let report = journal.verify().expect("verify runs");
    if !report.ok {
        println!("FAILED verify: {report:?}");
        panic!("verify failed after a crash: {report:?}");
    }
    println!(
        "timing open_ms={} check_and_verify_ms={}",
        opened.as_millis(),
        (began.elapsed() - opened).as_millis()
    );
    println!("checked {checked}");
    println!("ready");
    let note = std::env::var("TOUCHPOINT_FAULT_WRITER_NOTE").unwrap_or("crash trial entry".into());
    let mut rng = Rng(std::process::id() as u64 * 7919 + 1);
    for i in 0u64.. {
        let new: NewTouchpoint = serde_json::from_value(json!({
            "kind": "one_on_one",
            "participants": [ana],
            "notes": format!("{note} {i}: {}", "steady words ".repeat(rng.below(40) as usize)),
            "tags": ["crash"],
        }))
        .expect("a new touchpoint");
        let t = journal.add_touchpoint(new).expect("add a touchpoint");
        println!("committed touchpoint {}", t.id);
        if rng.below(2) == 0 {
            let r: NewReflection = serde_json::from_value(json!({
                "touchpoint_id": t.id,
                "person_id": ana,
                "willingness": rng.below(5) as i32 - 2,
                "ability": rng.below(5) as i32 - 2,
                "their_side": "told tonight",
            }))
            .expect("a new reflection");
            journal.reflect(r).expect("reflect");
            println!("committed reflection {}", t.id);
        }
        // A test that needs the newest backup to stay as it was turns these off.
        if rng.below(60) == 0 && std::env::var_os(WRITER_NO_BACKUP).is_none() {
            journal.backup(chrono::Utc::now()).expect("backup");
        }
    }
}

/// What one writer printed before it died, and how it died.
pub(super) struct Trial {
    pub lines: Vec<String>,
    pub killed: bool,
    pub stderr: String,
}

/// Runs one writer and kills it after `delay` (counted from `ready`, or from the start).
pub(super) fn run_trial(
    dir: &Path,
    expect: &Path,
    delay: Duration,
    from_start: bool,
    env: &[(&str, &str)],
) -> Trial {
    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "faults::crash::writer_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_DIR, dir)
        .env(WRITER_EXPECT, expect)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the writer");
    let started = Instant::now();
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut out = BufReader::new(stdout);
        loop {
            let mut line = String::new();
            match out.read_line(&mut line) {
                // Only whole lines count: a line cut by the kill was never fully printed.
                Ok(n) if n > 0 && line.ends_with('\n') => {
                    if tx.send(line.trim_end().to_string()).is_err() {
                        break;
                    }
                }
                _ => break,
            }
        }
    });
    let mut lines = Vec::new();
    if from_start {
        std::thread::sleep(delay);
    } else {
        let deadline = started + Duration::from_secs(60);
        // Until it is ready; or it died first (a failed check) or took too long: stop there.
        while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            let ready = line == "ready";
            lines.push(line);
            if ready {
                break;
            }
        }
        std::thread::sleep(delay);
    }
    let _ = child.kill();
    let status = child.wait().expect("wait for the writer");
    reader.join().expect("reader thread");
    lines.extend(rx.try_iter());
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    Trial {
        lines,
        killed: status.signal() == Some(9),
        stderr,
    }
}

/// Half of the trials on each of two journals, so the runner can give each half a core.
fn half_of_the_trials() -> usize {
    std::env::var("TOUCHPOINT_CRASH_TRIALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_TRIALS)
        .div_ceil(2)
}

#[test]
fn crash_never_loses_a_committed_write_journal_a() {
    crash_trials(half_of_the_trials());
}

#[test]
fn crash_never_loses_a_committed_write_journal_b() {
    crash_trials(half_of_the_trials());
}

/// Runs `trials` writers on one new journal, each killed at a random moment.
fn crash_trials(trials: usize) {
    let mut rng = Rng::from_env("TOUCHPOINT_CRASH_SEED");
    let s = Sandbox::new();
    let dir = s.path();
    {
        let mut j = Journal::open(&dir, &Passphrase::new(PASS.to_string())).expect("open");
        j.add_person(NewPerson {
            name: "Ana Crash".into(),
            ..Default::default()
        })
        .expect("a person");
    }
    let expect = s.dir.path().join("committed-ids.txt");
    let mut committed: Vec<String> = Vec::new();
    let began = Instant::now();
    let (mut checks, mut early_kills) = (0, 0);
    let (mut open_ms, mut verify_ms) = (Vec::new(), Vec::new());
    // A first trial measures how long a writer takes to get ready, to aim the early kills.
    let mut ready_ms = 400;
    for trial in 0..trials {
        std::fs::write(&expect, committed.join("\n")).expect("write the ids file");
        let from_start = trial > 0 && rng.below(4) == 0;
        let delay = if from_start {
            early_kills += 1;
            Duration::from_millis(rng.below(ready_ms + 50))
        } else {
            Duration::from_millis(rng.below(150))
        };
        let t0 = Instant::now();
        let t = run_trial(&dir, &expect, delay, from_start, &[]);
        if trial == 0 {
            ready_ms = (t0.elapsed().as_millis() as u64).saturating_sub(delay.as_millis() as u64);
        }
        if let Some(failed) = t.lines.iter().find(|l| l.starts_with("FAILED")) {
            panic!(
                "trial {trial}: the writer found a problem after the previous kill: {failed}\n{}",
                t.stderr
            );
        }
        assert!(
            t.killed,
            "trial {trial}: the writer ended by itself instead of being killed\nstdout: {:?}\nstderr: {}",
            t.lines, t.stderr
        );
        for line in &t.lines {
            if let Some(rec) = line.strip_prefix("committed ") {
                committed.push(rec.to_string());
            } else if line.starts_with("checked ") {
                checks += 1;
            } else if let Some(t) = line.strip_prefix("timing ") {
                let ms = |key: &str| {
                    t.split_whitespace()
                        .find_map(|kv| kv.strip_prefix(key)?.parse::<u64>().ok())
                };
                open_ms.extend(ms("open_ms="));
                verify_ms.extend(ms("check_and_verify_ms="));
            }
        }
    }
    let journal = Journal::open(&dir, &Passphrase::new(PASS.to_string()))
        .expect("the journal opens after the last kill");
    let ana = journal.people(false).expect("people")[0].id;
    for line in &committed {
        check_record(&journal, ana, line).unwrap_or_else(|p| panic!("after the last kill: {p}"));
    }
    let report = journal.verify().expect("verify runs");
    assert!(report.ok, "verify after the last kill: {report:?}");
    assert!(
        checks >= trials / 2,
        "most writers checked the previous trial's records ({checks} of {trials})"
    );
    assert!(
        committed.len() >= trials,
        "the writers got to write ({} records in {trials} trials)",
        committed.len()
    );
    let median = |v: &mut Vec<u64>| {
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    };
    eprintln!(
        "crash: {trials} SIGKILL trials ({early_kills} aimed at start-up), {} committed records \
         all present, {checks} reopen checks, verify ok, {:.1} s; per writer: open {} ms, \
         check + verify {} ms (medians)",
        committed.len(),
        began.elapsed().as_secs_f64(),
        median(&mut open_ms),
        median(&mut verify_ms)
    );
}
