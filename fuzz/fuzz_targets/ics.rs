//! iCalendar files from any calendar: unfolding, components, time zones, recurrence expansion.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchpoint_core::import::parse_ics;
use touchpoint_fuzz::{calendar_window, check_events, MAX_RECORDS};

fuzz_target!(|data: &[u8]| {
    if let Ok(calendar) = parse_ics(data, calendar_window(), MAX_RECORDS) {
        check_events(&calendar.events, MAX_RECORDS);
        // What was left out or guessed names a line of the file and says why, in line order.
        let lines = data.iter().filter(|b| **b == b'\n').count() + 1;
        for list in [&calendar.skipped, &calendar.notes] {
            assert!(
                list.windows(2).all(|w| w[0].line <= w[1].line),
                "notices not sorted"
            );
            for n in list.iter() {
                assert!(
                    n.line >= 1 && n.line as usize <= lines,
                    "notice line {}",
                    n.line
                );
                assert!(!n.reason.is_empty(), "notice without a reason");
            }
        }
    }
});
