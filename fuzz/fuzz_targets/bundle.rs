//! Touchpoint files as received: an age bundle sent to the (test) journal's key, or an export
//! as plain JSON. Decryption, the document parser and its consistency check, then review
//! mode's views over whatever opened.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchpoint_core::exchange::Opened;
use touchpoint_fuzz::{identity, use_opened};

fuzz_target!(|data: &[u8]| {
    let opened = Opened::open_with_key(data, &identity());
    use_opened(&opened);
});
