//! Reading passphrases and recovery codes: a hidden prompt on a terminal, else the environment.

use std::io::IsTerminal;

use anyhow::Context;
use touchpoint_core::secret::{Passphrase, RecoveryCode};

use crate::usage;

fn on_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The value of an environment variable, taken out of the environment so children never see it.
fn take_env(name: &str) -> Option<String> {
    let value = std::env::var(name).ok().filter(|v| !v.is_empty());
    if value.is_some() {
        std::env::remove_var(name);
    }
    value
}

fn prompt(label: &str) -> anyhow::Result<String> {
    rpassword::prompt_password(label).context("cannot read from the terminal")
}

/// Whether a passphrase can be had without failing: in the environment, or from a terminal.
pub fn passphrase_at_hand() -> bool {
    std::env::var_os("TOUCHPOINT_PASSPHRASE").is_some_and(|v| !v.is_empty()) || on_terminal()
}

/// The passphrase that unlocks the journal.
pub fn passphrase() -> anyhow::Result<Passphrase> {
    passphrase_from("TOUCHPOINT_PASSPHRASE", "Passphrase: ")
}

/// An existing passphrase from `env`, else asked for with `label` on a terminal.
pub fn passphrase_from(env: &str, label: &str) -> anyhow::Result<Passphrase> {
    if let Some(p) = take_env(env) {
        return Ok(Passphrase::new(p));
    }
    if on_terminal() {
        return Ok(Passphrase::new(prompt(label)?));
    }
    Err(usage(format!(
        "no passphrase: run on a terminal or set {env}"
    )))
}

/// A new passphrase, typed twice on a terminal, else from `env`; either way held to the core's
/// passphrase rule (too short or too easy to guess is refused, with the reason and a suggestion).
pub fn new_passphrase(env: &str) -> anyhow::Result<Passphrase> {
    new_passphrase_from(env, "New passphrase: ")
}

/// A new passphrase from `env`, else typed twice after `label` on a terminal.
pub fn new_passphrase_from(env: &str, label: &str) -> anyhow::Result<Passphrase> {
    if let Some(p) = take_env(env) {
        return Ok(Passphrase::checked(p)?);
    }
    if on_terminal() {
        let first = Passphrase::checked(prompt(label)?)?;
        let second = Passphrase::new(prompt("Repeat it: ")?);
        if first.expose() != second.expose() {
            return Err(usage("the two passphrases differ; nothing was changed"));
        }
        return Ok(first);
    }
    Err(usage(format!(
        "no new passphrase: run on a terminal or set {env}"
    )))
}

/// The recovery code, from the terminal or `TOUCHPOINT_RECOVERY_CODE`.
pub fn recovery_code() -> anyhow::Result<RecoveryCode> {
    let text = match take_env("TOUCHPOINT_RECOVERY_CODE") {
        Some(t) => t,
        None if on_terminal() => prompt("Recovery code: ")?,
        None => {
            return Err(usage(
                "no recovery code: run on a terminal or set TOUCHPOINT_RECOVERY_CODE",
            ))
        }
    };
    Ok(RecoveryCode::parse(&text)?)
}

/// Asks for a yes on a terminal; scripts (no terminal) are taken to mean it.
pub fn confirm(question: &str, expected: &str) -> anyhow::Result<bool> {
    if !on_terminal() {
        return Ok(true);
    }
    eprint!("{question} ");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read from the terminal")?;
    Ok(line.trim() == expected)
}
