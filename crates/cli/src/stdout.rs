//! The command's output, written so that a closed pipe ends the command quietly.
//!
//! `println!` panics when the reader has gone (`touchpoint today | head`: "failed printing to
//! stdout: Broken pipe", exit 101). Like `git log | head`, the command should simply stop: the
//! reader has all it wanted. Every line of output goes through [`write`] (the `outln!` and `out!`
//! macros); clippy refuses `println!` and `print!` in this crate so none slips past.

use std::fmt;
use std::io::{self, Write};

/// Exit status when the reader closed the pipe: success, as ripgrep and jrnl answer, since
/// nothing went wrong that the reader did not ask for.
const READER_GONE: i32 = 0;

/// Writes `args` to stdout. When the reader has closed the pipe the process ends at once,
/// quietly; any other failure to write (a full disk behind a redirection) is reported and ends
/// the command with status 1. Nothing of the journal is mid-write here: commands print after
/// their transaction has committed.
pub fn write(args: fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(READER_GONE);
        }
        eprintln!("touchpoint: cannot write the output: {e}");
        std::process::exit(1);
    }
}
