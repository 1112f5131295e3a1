//! iCalendar files from any calendar: unfolding, components, time zones, recurrence expansion.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchpoint_core::import::parse_ics;
use touchpoint_fuzz::{calendar_window, check_events, MAX_RECORDS};

fuzz_target!(|data: &[u8]| {
    if let Ok(calendar) = parse_ics(data, calendar_window(), MAX_RECORDS) {
        check_events(&calendar.events, MAX_RECORDS);
    }
});
