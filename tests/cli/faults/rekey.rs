//! Re-encryption under SIGKILL: `touchpoint rekey` killed at random moments always leaves a
//! journal that opens with the current passphrase, holds every entry, verifies, and whose
//! backups open through the journal's key file and nothing else.
//!
//! Each trial copies one prepared journal (entries and its backups), starts `touchpoint
//! rekey` on the copy and kills it after a random delay: four in five within the time it
//! spends writing files (after its first progress line), one in five anywhere from the start; then the journal is opened in this process (which finishes or undoes what the kill
//! interrupted) and checked. The trials are split between two tests so both cores are used.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use touchpoint_core::secret::Passphrase;
use touchpoint_core::vault::TimelineFilter;
use touchpoint_core::Journal;

use super::Rng;
use crate::util::{bare, files, Sandbox, PASS};

/// Trials in `make test`, half per test; TOUCHPOINT_REKEY_TRIALS changes it.
const DEFAULT_TRIALS: usize = 100;

/// Touchpoints in the prepared journal.
const ENTRIES: usize = 12;

fn trials() -> usize {
    std::env::var("TOUCHPOINT_REKEY_TRIALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_TRIALS)
        .div_ceil(2)
}

/// A journal with entries and at least three backups, closed.
fn prepared() -> Sandbox {
    let s = Sandbox::new();
    s.person("Ana Rekey");
    for i in 0..ENTRIES {
        s.run(&[
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana Rekey",
            "--notes",
            &format!("entry {i} before the new key"),
            "--willingness",
            "1",
            "--ability",
            "0",
        ])
        .ok();
        if i % 4 == 3 {
            s.run(&["backup"]).ok();
            // Backups are named by the millisecond.
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    s
}

/// Copies a journal folder (flat, plus its backups folder) into `to`.
fn copy_journal(from: &Path, to: &Path) {
    for file in files(from) {
        let target = to.join(file.strip_prefix(from).expect("inside"));
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("folders");
        std::fs::copy(&file, &target).expect("copy a journal file");
    }
}

/// Opens the journal as a user would and checks everything a kill could have broken.
fn check(dir: &Path, trial: usize, expected_backups: usize) -> Result<(), String> {
    let journal = Journal::open(dir, &Passphrase::new(PASS.to_string()))
        .map_err(|e| format!("trial {trial}: the journal does not open: {e}"))?;
    let people = journal.people(false).map_err(|e| e.to_string())?;
    let entries = journal
        .timeline(&TimelineFilter {
            limit: Some(1000),
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    if people.len() != 1 || entries.len() != ENTRIES {
        return Err(format!(
            "trial {trial}: {} people and {} entries after the kill",
            people.len(),
            entries.len()
        ));
    }
    let report = journal.verify().map_err(|e| e.to_string())?;
    if !report.ok {
        return Err(format!("trial {trial}: verify failed: {report:?}"));
    }
    let key = std::fs::read(dir.join("journal.key")).map_err(|e| e.to_string())?;
    let backups = journal.backups();
    if backups.len() != expected_backups {
        return Err(format!(
            "trial {trial}: {} backups left of {expected_backups}",
            backups.len()
        ));
    }
    drop(journal);
    for name in files(dir) {
        let n = name.file_name().unwrap().to_string_lossy().into_owned();
        if n.ends_with(".rekey") || n == "journal.key.next" || n.contains(".tmp-") {
            return Err(format!("trial {trial}: {n} was left behind"));
        }
        if n.starts_with("touchpoint-backup-") && n.ends_with(".key") {
            let copy = std::fs::read(&name).map_err(|e| e.to_string())?;
            if copy != key {
                return Err(format!("trial {trial}: {n} differs from journal.key"));
            }
        }
    }
    // The newest backup restores through the journal's key file (every fourth trial: it
    // costs a key derivation).
    if trial % 4 == 0 {
        let newest = std::path::PathBuf::from(&backups[0].path);
        Journal::restore(dir, &newest, &Passphrase::new(PASS.to_string()))
            .map_err(|e| format!("trial {trial}: the newest backup does not restore: {e}"))?;
    }
    Ok(())
}

/// When a kill lands: counted from the start of the process, or from its first progress line
/// (after the key derivations, when files start being written).
#[derive(Clone, Copy)]
enum Aim {
    FromStart(Duration),
    FromFirstProgress(Duration),
}

/// Runs `touchpoint rekey` on `dir`, killing it as `aim` says; answers whether it was killed
/// and, for a run left alone, how long it wrote after its first progress line.
fn rekey_run(dir: &Path, aim: Option<Aim>) -> (bool, Duration) {
    let mut child = bare()
        .arg("--journal")
        .arg(dir)
        .arg("rekey")
        .env("TOUCHPOINT_PASSPHRASE", PASS)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rekey");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<Instant>();
    let reader = std::thread::spawn(move || {
        let mut lines = BufReader::new(stderr).lines();
        if let Some(Ok(_)) = lines.next() {
            let _ = tx.send(Instant::now());
        }
        for _ in lines {}
    });
    let started = Instant::now();
    let deadline = match aim {
        Some(Aim::FromStart(delay)) => Some(started + delay),
        Some(Aim::FromFirstProgress(delay)) => rx
            .recv_timeout(Duration::from_secs(120))
            .ok()
            .map(|first| first + delay),
        None => None,
    };
    let mut first_progress = None;
    let killed = loop {
        if let Ok(Some(_)) = child.try_wait() {
            break false;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            let _ = child.kill();
            let _ = child.wait();
            break true;
        }
        if first_progress.is_none() {
            first_progress = rx.try_recv().ok();
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    reader.join().expect("the reader ends with the process");
    let writing = first_progress.map_or(Duration::ZERO, |first| first.elapsed());
    (killed, writing)
}

fn rekey_trials(trials: usize) {
    let mut rng = Rng::from_env("TOUCHPOINT_REKEY_SEED");
    let template = prepared();
    let backups = files(&template.path().join("backups"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .count();
    assert!(
        backups >= 3,
        "the prepared journal has backups to re-encrypt"
    );
    let work = tempfile::tempdir().expect("work folder");

    // One whole re-encryption, timed, to aim the kills: most at the part that writes files,
    // one in five anywhere from the start (the key derivations included).
    let timed = work.path().join("timed");
    copy_journal(&template.path(), &timed);
    let began = Instant::now();
    let (_, mut writing) = rekey_run(&timed, None);
    let mut whole = began.elapsed();
    check(&timed, 0, backups).expect("an uninterrupted re-encryption leaves a good journal");

    let (mut killed, began) = (0, Instant::now());
    for trial in 1..=trials {
        let dir = work.path().join(format!("trial-{trial}"));
        copy_journal(&template.path(), &dir);
        let aim = if rng.below(5) == 0 {
            Aim::FromStart(Duration::from_micros(
                rng.below(whole.as_micros() as u64 * 11 / 10 + 1),
            ))
        } else {
            Aim::FromFirstProgress(Duration::from_micros(
                rng.below(writing.as_micros() as u64 * 11 / 10 + 1),
            ))
        };
        let run_began = Instant::now();
        let (was_killed, wrote_for) = rekey_run(&dir, Some(aim));
        if was_killed {
            killed += 1;
        } else {
            // It finished before the kill: the timing run was slower than this one (a busy
            // moment), so aim the next kills by the faster figure.
            writing = writing.min(wrote_for);
            whole = whole.min(run_began.elapsed());
        }
        if let Err(problem) = check(&dir, trial, backups) {
            let at = match aim {
                Aim::FromStart(d) => format!("{d:?} after the start"),
                Aim::FromFirstProgress(d) => format!("{d:?} after the first progress line"),
            };
            panic!("{problem} (killed {at}; a whole run takes {whole:?}, writing {writing:?})");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        killed >= trials / 2,
        "most trials killed the re-encryption part way ({killed} of {trials})"
    );
    eprintln!(
        "rekey: {trials} trials, {killed} killed part way through a {:.0} ms re-encryption \
         ({:.0} ms of it writing files); every journal opened with the passphrase, whole, \
         verified, its backups restorable; {:.1} s",
        whole.as_secs_f64() * 1000.0,
        writing.as_secs_f64() * 1000.0,
        began.elapsed().as_secs_f64()
    );
}

#[test]
fn rekey_killed_at_any_moment_leaves_a_journal_that_opens_a() {
    rekey_trials(trials());
}

#[test]
fn rekey_killed_at_any_moment_leaves_a_journal_that_opens_b() {
    rekey_trials(trials());
}
