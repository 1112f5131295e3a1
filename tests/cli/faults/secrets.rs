//! Wrong secrets: 100 wrong passphrases and 100 wrong recovery codes are refused with the
//! right error and leave the key file and the database byte-identical.
//!
//! The attempts go through the core's own `Journal::open` and `Journal::recover` (the same
//! calls the CLI and the app make) in this process, so each one costs a key derivation and
//! nothing else. Passphrases and codes run as two tests so the runner can use both cores.

use std::path::Path;

use touchpoint_core::secret::{Passphrase, RecoveryCode};
use touchpoint_core::{Error, Journal};

use super::snapshot;
use crate::util::{Sandbox, PASS};

const ATTEMPTS: usize = 100;

/// A journal with something in it, closed, and its files' bytes.
fn journal_with_content() -> (
    Sandbox,
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) {
    let s = Sandbox::new();
    s.person("Ana Secret");
    s.run(&[
        "add",
        "--kind",
        "feedback",
        "--with",
        "Ana Secret",
        "--notes",
        "kept between us",
        "--willingness",
        "1",
        "--ability",
        "1",
    ])
    .ok();
    let before = snapshot(&s.path());
    (s, before)
}

/// Asserts the folder holds exactly the bytes it held before.
#[track_caller]
fn assert_unchanged(dir: &Path, before: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>) {
    let after = snapshot(dir);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "no file appeared or vanished"
    );
    for (path, bytes) in before {
        assert!(
            after[path] == *bytes,
            "{} changed after wrong secrets",
            path.display()
        );
    }
}

/// Near misses first (case, spacing, one character off), then assorted wrong ones.
fn wrong_passphrases() -> Vec<String> {
    let mut out = vec![
        String::new(),
        " ".into(),
        PASS.to_uppercase(),
        format!("{PASS} "),
        format!(" {PASS}"),
        PASS[..PASS.len() - 1].to_string(),
        format!("{PASS}\n"),
        PASS.replace(' ', ""),
        format!("{PASS}\0"),
        "x".repeat(10_000),
        "correct horse battery stapIe".into(),
        "çorrect hörse battery staple".into(),
        "🐴🔋📎".into(),
    ];
    for (i, c) in PASS.char_indices() {
        if out.len() >= ATTEMPTS {
            break;
        }
        let other = if c == 'z' { 'a' } else { 'z' };
        out.push(format!(
            "{}{other}{}",
            &PASS[..i],
            &PASS[i + c.len_utf8()..]
        ));
    }
    let mut n = 0;
    while out.len() < ATTEMPTS {
        out.push(format!("wrong passphrase number {n}"));
        n += 1;
    }
    out
}

#[test]
fn a_hundred_wrong_passphrases_change_nothing() {
    let (s, before) = journal_with_content();
    let guesses = wrong_passphrases();
    assert_eq!(guesses.len(), ATTEMPTS);
    for guess in guesses {
        let shown = format!("{:?}", guess.chars().take(40).collect::<String>());
        match Journal::open(&s.path(), &Passphrase::new(guess)) {
            Err(Error::WrongPassphrase) => {}
            other => panic!("passphrase {shown}: expected wrong passphrase, got {other:?}"),
        }
    }
    assert_unchanged(&s.path(), &before);
    Journal::open(&s.path(), &Passphrase::new(PASS.to_string()))
        .expect("the right passphrase still opens it");
}

#[test]
fn a_hundred_wrong_recovery_codes_change_nothing() {
    let (s, before) = journal_with_content();
    let right: Vec<char> = s.recovery_code.chars().filter(|c| *c != '-').collect();
    let mut codes: Vec<RecoveryCode> = Vec::new();
    // The right code with one character changed, at every position.
    for i in 0..right.len() {
        let mut near = right.clone();
        near[i] = if near[i] == 'Z' { 'Y' } else { 'Z' };
        codes.push(RecoveryCode::parse(&near.iter().collect::<String>()).expect("well formed"));
    }
    while codes.len() < ATTEMPTS {
        codes.push(RecoveryCode::generate());
    }
    let new_pass = Passphrase::new("an attacker's new passphrase".into());
    for (i, code) in codes.iter().enumerate() {
        match Journal::recover(&s.path(), code, &new_pass) {
            Err(Error::WrongRecoveryCode) => {}
            other => panic!("wrong code {i}: expected wrong recovery code, got {other:?}"),
        }
    }
    // Malformed ones are refused before any key derivation, also changing nothing.
    for text in ["", "0000", &format!("{}!", s.recovery_code), "UUUU-UUUU"] {
        assert!(
            matches!(RecoveryCode::parse(text), Err(Error::InvalidInput(_))),
            "{text:?} is not a recovery code"
        );
    }
    assert_unchanged(&s.path(), &before);
    Journal::open(&s.path(), &Passphrase::new(PASS.to_string()))
        .expect("the passphrase still opens it");
}
