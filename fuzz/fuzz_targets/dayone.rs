//! Day One exports: the zip as downloaded and the journal JSON inside it. Each input is tried
//! as both; each parser rejects the other's format at once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchpoint_core::import::{parse_dayone_json, parse_dayone_zip};
use touchpoint_fuzz::{check_entries, MAX_RECORDS};

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = parse_dayone_zip(data, MAX_RECORDS) {
        check_entries(&entries, MAX_RECORDS, "dayone:");
    }
    if let Ok(entries) = parse_dayone_json(data, MAX_RECORDS) {
        check_entries(&entries, MAX_RECORDS, "dayone:");
    }
});
