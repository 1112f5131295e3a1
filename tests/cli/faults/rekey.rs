//! Re-encryption under SIGKILL: `touchpoint rekey` killed at random moments always leaves a
//! journal that opens with the current passphrase, holds every entry, verifies, and whose
//! backups open through the journal's key file and nothing else.
//!
//! Each trial copies one prepared journal (entries and its backups), starts `touchpoint
//! rekey` on the copy and kills it after a random delay within the time a whole re-encryption
//! takes; then the journal is opened in this process (which finishes or undoes what the kill
//! interrupted) and checked. The trials are split between two tests so both cores are used.

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
    // The newest backup restores through the journal's key file.
    let newest = std::path::PathBuf::from(&backups[0].path);
    Journal::restore(dir, &newest, &Passphrase::new(PASS.to_string()))
        .map_err(|e| format!("trial {trial}: the newest backup does not restore: {e}"))?;
    Ok(())
}

/// Runs `touchpoint rekey` on `dir` and kills it after `delay`; whether it was killed.
fn rekey_killed_after(dir: &Path, delay: Duration) -> bool {
    let mut child = bare()
        .arg("--journal")
        .arg(dir)
        .arg("rekey")
        .env("TOUCHPOINT_PASSPHRASE", PASS)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rekey");
    let deadline = Instant::now() + delay;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
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

    // One whole re-encryption, timed, to aim the kills across all of it.
    let timed = work.path().join("timed");
    copy_journal(&template.path(), &timed);
    let began = Instant::now();
    assert!(!rekey_killed_after(&timed, Duration::from_secs(120)));
    let whole = began.elapsed();
    check(&timed, 0, backups).expect("an uninterrupted re-encryption leaves a good journal");

    let (mut killed, began) = (0, Instant::now());
    for trial in 1..=trials {
        let dir = work.path().join(format!("trial-{trial}"));
        copy_journal(&template.path(), &dir);
        let delay = Duration::from_micros(rng.below(whole.as_micros() as u64 * 11 / 10 + 1));
        if rekey_killed_after(&dir, delay) {
            killed += 1;
        }
        if let Err(problem) = check(&dir, trial, backups) {
            panic!("{problem} (killed after {delay:?} of {whole:?})");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        killed >= trials / 2,
        "most trials killed the re-encryption part way ({killed} of {trials})"
    );
    eprintln!(
        "rekey: {trials} trials, {killed} killed part way through a {:.0} ms re-encryption; \
         every journal opened with the passphrase, whole, verified, its backups restorable; \
         {:.1} s",
        whole.as_secs_f64() * 1000.0,
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
