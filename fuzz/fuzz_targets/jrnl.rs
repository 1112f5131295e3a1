//! jrnl JSON exports (`jrnl --export json`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchpoint_core::import::parse_jrnl_json;
use touchpoint_fuzz::{check_entries, MAX_RECORDS};

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = parse_jrnl_json(data, MAX_RECORDS) {
        check_entries(&entries, MAX_RECORDS, "jrnl:");
    }
});
