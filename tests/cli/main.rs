//! CLI scenarios: the `touchpoint` binary driven as a script would drive it.
//!
//! One test binary (linked once) with a module per area; fixtures live in `util`.

// The tests report to the test runner; the binary's own output rule (src/stdout.rs) is not theirs.
#![allow(clippy::disallowed_macros)]

mod util;

mod balance;
mod calendar;
mod errors;
mod exchange;
mod faults;
mod hardening;
mod initiatives;
mod journal;
mod key_changes;
mod records;
mod sessions;
mod trash;
mod unix;
