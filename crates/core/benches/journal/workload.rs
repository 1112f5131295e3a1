//! The writes the figures make, shared by this process and the baseline process.

use std::hint::black_box;

use touchpoint_core::model::{NewReflection, NewTouchpoint, PromptAnswer, TouchpointKind};
use touchpoint_core::Journal;
use uuid::Uuid;

use crate::dataset::{anchor, now};

/// Captures a one-on-one with `person` and its reflection (the app's "log and reflect"), the
/// `n`th of this run (it sets the entry's time, so every insert is new).
pub fn insert(journal: &mut Journal, person: Uuid, n: usize) {
    let at = (anchor() - chrono::Duration::minutes(n as i64)).fixed_offset();
    let done = journal
        .add_reflected_touchpoint(
            NewTouchpoint {
                kind: TouchpointKind::OneOnOne,
                occurred_at: Some(at),
                duration_minutes: Some(30),
                title: String::new(),
                participants: vec![person],
                team: None,
                affected_groups: Vec::new(),
                notes: format!(
                    "Bench insert {n}: we talked about the roadmap and the hiring plan."
                ),
                tags: Vec::new(),
                private: false,
                source: String::new(),
                state: None,
            },
            vec![NewReflection {
                touchpoint_id: Uuid::nil(),
                person_id: person,
                answers: vec![PromptAnswer {
                    prompt: "What would they say I did well, and what would they say I missed?"
                        .into(),
                    answer: "They would say I listened first.".into(),
                }],
                their_side: "My manager actually heard me on the roadmap.".into(),
                willingness: 1,
                ability: 0,
                adversarial: false,
                would_have_helped: String::new(),
                next_time: String::new(),
            }],
        )
        .expect("add_reflected_touchpoint");
    black_box(done);
}

/// A write that is not a capture: trashes an entry and restores it (its people's balances
/// change twice and end as they were).
pub fn trash_and_restore(journal: &mut Journal, touchpoint: Uuid) {
    journal.trash_touchpoint(touchpoint, now()).expect("trash");
    journal.restore_touchpoint(touchpoint).expect("restore");
}
