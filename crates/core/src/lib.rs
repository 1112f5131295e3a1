//! Touchpoint's journal core: the domain model, the encrypted vault, the Trust Balance
//! engine, the reflection prompts and the demo generator.
//!
//! Nothing here knows about Tauri or the terminal: the desktop shell and the `touchpoint`
//! command line are both thin clients of [`Journal`].

pub mod balance;
pub mod demo;
mod error;
pub mod exchange;
pub mod harden;
pub mod import;
pub mod initiative;
pub mod keyfile;
pub mod model;
pub mod names;
pub mod prompts;
pub mod secret;
pub mod vault;

pub use error::{Error, Result};
pub use vault::Journal;
