//! `touchpoint`: the journal on the command line, for power users, scripts and coaches.

/// `println!` for the command's output: a reader that closed its end of the pipe
/// (`touchpoint list | head`) ends the command quietly instead of a panic.
macro_rules! outln {
    () => {
        $crate::stdout::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the command's output, with the same care as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!($($arg)*))
    };
}

mod args;
mod calendar;
mod commands;
mod docs;
mod exchange;
mod initiative;
mod output;
mod secrets;
mod session;
mod stdout;
mod style;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use clap::Parser;
use touchpoint_core::Error;

use args::Cli;

/// Exit codes, as documented in `--help` and the README.
mod exit {
    pub const OTHER: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const WRONG_SECRET: u8 = 3;
    pub const DAMAGED: u8 = 4;
    pub const IN_USE: u8 = 5;
    pub const INVALID: u8 = 6;
    pub const NEEDS_CONFIRMATION: u8 = 7;
}

/// A command-line usage problem that clap cannot see (for example a missing passphrase).
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Builds a usage error (exit code 2).
pub(crate) fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow!(Usage(message.into()))
}

fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<Usage>().is_some() {
        return exit::USAGE;
    }
    if let Some(x) = e.downcast_ref::<touchpoint_core::exchange::ExchangeError>() {
        use touchpoint_core::exchange::ExchangeError as X;
        return match x {
            X::WrongPassphrase | X::WrongKey(_) | X::NeedsPassphrase => exit::WRONG_SECRET,
            X::Journal(inner) => code_of(inner),
            X::Cancelled => exit::OTHER,
            X::NeedsConfirmation(_) => exit::NEEDS_CONFIRMATION,
            _ => exit::INVALID,
        };
    }
    if let Some(s) = e.downcast_ref::<touchpoint_core::vault::session::SessionError>() {
        use touchpoint_core::vault::session::SessionError as S;
        return match s {
            S::Unavailable(_) => exit::OTHER,
            S::Duration(_) => exit::USAGE,
            S::Stale(_) => exit::WRONG_SECRET,
            S::Journal(inner) => code_of(inner),
        };
    }
    e.downcast_ref::<Error>().map_or(exit::OTHER, code_of)
}

fn code_of(e: &Error) -> u8 {
    match e {
        Error::WrongPassphrase | Error::WrongRecoveryCode => exit::WRONG_SECRET,
        Error::Damaged { .. } => exit::DAMAGED,
        Error::InUse { .. } => exit::IN_USE,
        Error::InvalidInput(_) | Error::WeakPassphrase { .. } | Error::NotFound(_) => exit::INVALID,
        _ => exit::OTHER,
    }
}

/// The journal folder: `--journal`, else `TOUCHPOINT_JOURNAL`, else the platform data folder.
pub(crate) fn journal_dir(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    touchpoint_core::vault::default_dir()
        .context("cannot find a home folder for the journal; pass --journal DIR")
}

fn main() -> ExitCode {
    // First of all, before any secret is read: no core dumps, not dumpable, files private to
    // the user. Refuse to run unprotected.
    if let Err(e) = touchpoint_core::harden::harden_process() {
        eprintln!("touchpoint: {e}");
        return ExitCode::from(exit::OTHER);
    }
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("touchpoint: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}
