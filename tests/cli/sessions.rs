//! Unlock sessions: `unlock`, `lock`, `status` and every command using the key kept in the
//! kernel keyring. Each test runs again inside a new anonymous session keyring (`keyctl
//! session -`), so nothing here touches the keyring of the person running the tests.

use std::io::Write;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use crate::util::{bare, files, Run, Sandbox, PASS};

const INSIDE: &str = "TOUCHPOINT_TEST_OWN_KEYRING";

/// Runs the test `name` again inside a keyring of its own and checks it passed there; true when
/// this is that run (go on with the test), false in the outer run (stop: the inner one did it).
fn in_own_keyring(name: &str) -> bool {
    if std::env::var_os(INSIDE).is_some() {
        return true;
    }
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new("keyctl")
        .args(["session", "-"])
        .arg(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(INSIDE, "1")
        .output()
        .expect("keyctl runs (the keyutils package; `make test` installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "inside its own keyring, {name} failed:\n{stdout}\n{stderr}"
    );
    false
}

/// A command with no passphrase anywhere: only a session can open the journal.
fn without_passphrase(s: &Sandbox, args: &[&str]) -> Run {
    s.run_with(args, &[])
}

fn session_keys() -> Vec<String> {
    let out = Command::new("keyctl")
        .args(["rlist", "@s"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter(|id| {
            let d = Command::new("keyctl")
                .args(["rdescribe", id])
                .output()
                .unwrap();
            String::from_utf8_lossy(&d.stdout).contains("touchpoint:journal:")
        })
        .map(str::to_string)
        .collect()
}

fn overwrite_entry(payload: &[u8]) {
    let keys = session_keys();
    assert_eq!(keys.len(), 1, "one session entry: {keys:?}");
    let mut child = Command::new("keyctl")
        .args(["pupdate", &keys[0]])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(payload).unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn unlock_then_ten_commands_need_no_passphrase_until_lock() {
    if !in_own_keyring("sessions::unlock_then_ten_commands_need_no_passphrase_until_lock") {
        return;
    }
    let s = Sandbox::new();
    s.person("Ana Costa");
    let unlocked = s.run(&["unlock", "--for", "10m"]);
    assert!(unlocked.ok().contains("Unlocked"), "{}", unlocked.stdout);
    for args in [
        vec!["list"],
        vec!["today"],
        vec!["person", "list"],
        vec!["search", "budget"],
        vec!["balance", "Ana Costa", "--explain"],
        vec![
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana Costa",
            "--notes",
            "budget talk",
        ],
        vec!["list", "--limit", "5"],
        vec!["person", "add", "Ben Ode"],
        vec!["trash", "list"],
        vec!["status"],
    ] {
        let r = without_passphrase(&s, &args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    assert!(without_passphrase(&s, &["search", "budget"])
        .ok()
        .contains("budget"));
    // The key in the keyring is nowhere on disk: not in the journal folder, its backups or
    // anything else the commands wrote under the sandbox.
    let keys = session_keys();
    let payload = Command::new("keyctl")
        .args(["pipe", &keys[0]])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(payload.len(), 81, "a whole session payload");
    let key = &payload[payload.len() - 32..];
    let written = files(s.dir.path());
    assert!(
        written.len() >= 3,
        "the journal's files are looked at: {written:?}"
    );
    for file in written {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !bytes.windows(key.len()).any(|w| w == key),
            "the session key is in {}",
            file.display()
        );
    }
    let status = without_passphrase(&s, &["status", "--json"]).json();
    assert_eq!(status["open"], true);
    assert!(status["remaining_seconds"].as_i64().unwrap() > 500);

    assert!(s.run_with(&["lock"], &[]).ok().contains("Locked"));
    let after = without_passphrase(&s, &["list"]);
    assert_eq!(
        after.code, 2,
        "asks for the passphrase again: {}",
        after.stderr
    );
    assert!(after.stderr.contains("no passphrase"));
    assert_eq!(
        without_passphrase(&s, &["status", "--json"]).json()["open"],
        false
    );
    assert!(session_keys().is_empty(), "lock leaves no entry behind");
}

#[test]
fn every_change_of_secret_and_a_restore_revoke_the_session() {
    if !in_own_keyring("sessions::every_change_of_secret_and_a_restore_revoke_the_session") {
        return;
    }
    let s = Sandbox::new();
    let other = "a brand new passphrase nobody guesses";
    let mut pass = PASS.to_string();
    let mut code = s.recovery_code.clone();
    for what in ["passwd", "new-recovery-code", "rekey", "recover"] {
        s.run_with(&["unlock"], &[("TOUCHPOINT_PASSPHRASE", &pass)])
            .ok();
        assert_eq!(
            without_passphrase(&s, &["list"]).code,
            0,
            "{what}: open before"
        );
        let next = if pass == PASS { other } else { PASS };
        let env: Vec<(&str, &str)> = match what {
            "passwd" => vec![
                ("TOUCHPOINT_PASSPHRASE", &pass),
                ("TOUCHPOINT_NEW_PASSPHRASE", next),
            ],
            "recover" => vec![
                ("TOUCHPOINT_RECOVERY_CODE", &code),
                ("TOUCHPOINT_NEW_PASSPHRASE", next),
            ],
            _ => vec![("TOUCHPOINT_PASSPHRASE", &pass)],
        };
        let done = s.run_with(&["--json", what], &env);
        assert_eq!(done.code, 0, "{what}: {}", done.stderr);
        if let Some(c) = serde_json::from_str::<serde_json::Value>(done.stdout.trim())
            .ok()
            .and_then(|v| v["recovery_code"].as_str().map(str::to_string))
        {
            code = c;
        }
        if what == "passwd" || what == "recover" {
            pass = next.to_string();
        }
        let after = without_passphrase(&s, &["list"]);
        assert_eq!(after.code, 2, "{what} ended the session: {}", after.stderr);
        assert!(session_keys().is_empty(), "{what} left no entry");
    }

    // A restore puts another database file in place: the session does not open it.
    s.run_with(&["unlock"], &[("TOUCHPOINT_PASSPHRASE", &pass)])
        .ok();
    let backup = s.run_with(&["--json", "backup"], &[]).json();
    let file = backup["path"].as_str().expect("backup path").to_string();
    let restored = s.run_with(&["restore", &file], &[("TOUCHPOINT_PASSPHRASE", &pass)]);
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    assert_eq!(without_passphrase(&s, &["list"]).code, 2);
}

#[test]
fn a_session_never_opens_another_journal_or_a_copy() {
    if !in_own_keyring("sessions::a_session_never_opens_another_journal_or_a_copy") {
        return;
    }
    let a = Sandbox::new();
    let b = Sandbox::new();
    a.run(&["unlock"]).ok();
    assert_eq!(without_passphrase(&a, &["list"]).code, 0);
    assert_eq!(
        without_passphrase(&b, &["list"]).code,
        2,
        "another journal asks"
    );
    assert_eq!(
        without_passphrase(&b, &["status", "--json"]).json()["open"],
        false
    );

    // A copy of the folder holds the same key, but it is another journal.
    let copy = a.dir.path().join("copy");
    let status = Command::new("cp")
        .arg("-a")
        .arg(a.path())
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    let r = Run::from(
        bare()
            .arg("--journal")
            .arg(&copy)
            .arg("list")
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2, "the copy asks for the passphrase: {}", r.stderr);
}

#[test]
fn an_expired_session_is_never_used_and_says_so() {
    if !in_own_keyring("sessions::an_expired_session_is_never_used_and_says_so") {
        return;
    }
    let s = Sandbox::new();
    s.run(&["unlock", "--for", "1s"]).ok();
    sleep(Duration::from_millis(2500));
    let r = without_passphrase(&s, &["person", "add", "Late Entry"]);
    assert_eq!(
        r.code, 3,
        "off a terminal, an ended session fails: {}",
        r.stderr
    );
    assert!(r.stderr.contains("expired"), "{}", r.stderr);
    // With the passphrase at hand, the command goes on with it and says why.
    let with = s.run(&["person", "list"]);
    assert_eq!(with.code, 0);
    assert!(!with.stdout.contains("Late Entry"), "nothing was written");
}

#[test]
fn extend_starts_the_length_again_and_plain_use_does_not() {
    if !in_own_keyring("sessions::extend_starts_the_length_again_and_plain_use_does_not") {
        return;
    }
    let s = Sandbox::new();
    s.run(&["unlock", "--for", "4s"]).ok();
    let first = without_passphrase(&s, &["status", "--json"]).json();
    sleep(Duration::from_millis(2500));
    let plain = without_passphrase(&s, &["status", "--json"]).json();
    assert_eq!(plain["expires"], first["expires"], "status does not extend");
    assert_eq!(without_passphrase(&s, &["list"]).code, 0);
    assert_eq!(
        without_passphrase(&s, &["status", "--json"]).json()["expires"],
        first["expires"],
        "a command without --extend does not extend"
    );
    assert_eq!(without_passphrase(&s, &["list", "--extend"]).code, 0);
    sleep(Duration::from_millis(2500));
    let r = without_passphrase(&s, &["list"]);
    assert_eq!(r.code, 0, "extended past the first 4 s: {}", r.stderr);
}

#[test]
fn a_tampered_entry_is_never_used_to_open_or_write() {
    if !in_own_keyring("sessions::a_tampered_entry_is_never_used_to_open_or_write") {
        return;
    }
    let s = Sandbox::new();
    for payload in [vec![1u8; 10], vec![1u8; 81], vec![0u8; 200]] {
        s.run(&["unlock"]).ok();
        overwrite_entry(&payload);
        let r = without_passphrase(&s, &["person", "add", "Mallory"]);
        assert_eq!(r.code, 3, "{} bytes: {}", payload.len(), r.stderr);
        assert!(r.stderr.contains("cannot be used"), "{}", r.stderr);
        assert!(session_keys().is_empty(), "the bad entry was revoked");
    }
    assert!(!s.run(&["person", "list"]).ok().contains("Mallory"));
}

#[test]
fn bad_unlocks_create_no_session() {
    if !in_own_keyring("sessions::bad_unlocks_create_no_session") {
        return;
    }
    let s = Sandbox::new();
    let wrong = s.run_with(&["unlock"], &[("TOUCHPOINT_PASSPHRASE", "not it at all")]);
    assert_eq!(wrong.code, 3, "{}", wrong.stderr);
    for length in ["0", "9999h", "soon"] {
        let r = s.run(&["unlock", "--for", length]);
        assert_eq!(r.code, 2, "--for {length}: {}", r.stderr);
    }
    assert!(session_keys().is_empty());
    assert!(without_passphrase(&s, &["status"]).ok().contains("Locked"));

    // Two unlocks in a row: the second replaces the first, and says so.
    s.run(&["unlock"]).ok();
    let again = s.run(&["unlock", "--for", "1h"]);
    assert!(again.ok().contains("replacing"), "{}", again.stdout);
    assert_eq!(session_keys().len(), 1);

    // Lock twice: the second has nothing to do and says so, successfully.
    assert!(s.run_with(&["lock"], &[]).ok().contains("Locked"));
    assert!(s.run_with(&["lock"], &[]).ok().contains("nothing to lock"));
}

#[test]
fn an_interrupted_re_encryption_is_left_to_the_passphrase() {
    if !in_own_keyring("sessions::an_interrupted_re_encryption_is_left_to_the_passphrase") {
        return;
    }
    let s = Sandbox::new();
    s.person("Ana Costa");
    s.run(&["unlock"]).ok();
    // What a re-encryption leaves when it is killed after writing its new key file (here the
    // same key, so the journal stays whole whichever way it is settled).
    std::fs::copy(
        s.path().join("journal.key"),
        s.path().join("journal.key.next"),
    )
    .unwrap();
    let r = without_passphrase(&s, &["person", "add", "Ben Ode"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("re-encryption"), "{}", r.stderr);
    assert!(session_keys().is_empty(), "the session was revoked");
    let people = s.run(&["person", "list"]);
    assert!(people.ok().contains("Ana Costa"));
    assert!(!people.stdout.contains("Ben Ode"), "nothing was written");
}
