//! CLI scenarios: the `touchpoint` binary driven as a script would drive it.
//!
//! One test binary (linked once) with a module per area; fixtures live in `util`.

mod util;

mod balance;
mod errors;
mod exchange;
mod faults;
mod hardening;
mod initiatives;
mod journal;
mod key_changes;
mod records;
mod trash;
