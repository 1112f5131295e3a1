//! Recognising a file by content, then reading it with the importer detection names, as
//! `touchpoint import` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchpoint_core::exchange::{inspect, Opened};
use touchpoint_core::import::{
    detect, parse_dayone_json, parse_dayone_zip, parse_ics, parse_jrnl_json, Detected,
};
use touchpoint_fuzz::{calendar_window, identity, use_opened, MAX_RECORDS};

fuzz_target!(|data: &[u8]| {
    match detect(data) {
        Detected::Ics => drop(parse_ics(data, calendar_window(), MAX_RECORDS)),
        Detected::DayOneZip => drop(parse_dayone_zip(data, MAX_RECORDS)),
        Detected::DayOneJson => drop(parse_dayone_json(data, MAX_RECORDS)),
        Detected::JrnlJson => drop(parse_jrnl_json(data, MAX_RECORDS)),
        Detected::TouchpointJson | Detected::AgeEncrypted => {
            let _ = inspect(data);
            use_opened(&Opened::open_with_key(data, &identity()));
        }
        Detected::Unknown => {}
    }
});
