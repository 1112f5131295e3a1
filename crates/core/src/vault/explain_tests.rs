//! Every number explains itself: for a person, a team and a group, the explanation's rows add up
//! to the balance, and its willingness and ability deltas to those two balances.

use std::cell::{Cell, RefCell};

use chrono::{Duration, Utc};
use proptest::prelude::*;

use super::{Journal, Scope};
use crate::model::{Group, GroupImpact, NewPerson, NewReflection, NewTouchpoint, TouchpointKind};
use crate::secret::Passphrase;

thread_local! {
    /// One journal for every case: a new one per case would spend its time deriving keys.
    static JOURNAL: RefCell<(tempfile::TempDir, Journal)> = RefCell::new({
        let dir = tempfile::tempdir().expect("temp dir");
        let (j, _code) = Journal::init(
            &dir.path().join("j"),
            &Passphrase::new("every number explains itself".into()),
        )
        .expect("init");
        (dir, j)
    });
    static CASE: Cell<u32> = const { Cell::new(0) };
}

#[derive(Debug, Clone)]
enum Step {
    /// A one-on-one with member `who` (0..3), rated.
    Meeting { who: usize, w: i32, a: i32 },
    /// A decision hitting one group.
    Decision { peers: bool, impact: i32 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0usize..3, -2i32..=2, -2i32..=2).prop_map(|(who, w, a)| Step::Meeting { who, w, a }),
        1 => (any::<bool>(), -2i32..=2).prop_map(|(peers, impact)| Step::Decision { peers, impact }),
    ]
}

/// A balance to a tenth, for comparing sums of weighted deltas.
pub(crate) fn tenths(x: f64) -> i64 {
    (x * 10.0).round() as i64
}

/// A public touchpoint `days` ago with these people and group impacts.
pub(crate) fn touchpoint(
    kind: TouchpointKind,
    who: Vec<uuid::Uuid>,
    groups: Vec<GroupImpact>,
    days: i64,
) -> NewTouchpoint {
    NewTouchpoint {
        kind,
        occurred_at: Some((Utc::now() - Duration::days(days)).fixed_offset()),
        duration_minutes: None,
        title: String::new(),
        participants: who,
        team: None,
        affected_groups: groups,
        notes: String::new(),
        tags: Vec::new(),
        private: false,
        source: String::new(),
        state: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn every_scope_is_the_sum_of_its_rows(steps in proptest::collection::vec(step(), 1..10)) {
        JOURNAL.with(|cell| {
            let (_, j) = &mut *cell.borrow_mut();
            let case = CASE.with(|c| { c.set(c.get() + 1); c.get() });
            let team = format!("Team {case}");
            let people: Vec<_> = ["A", "B", "C"].iter().enumerate().map(|(i, n)| {
                j.add_person(NewPerson {
                    name: format!("{n} {case}"),
                    group: Some(if i == 2 { Group::Peer } else { Group::DirectReport }),
                    teams: if i < 2 { vec![team.clone()] } else { Vec::new() },
                    ..NewPerson::default()
                }).expect("person").id
            }).collect();
            for (i, s) in steps.iter().enumerate() {
                let days = (steps.len() - i) as i64;
                match s {
                    Step::Meeting { who, w, a } => {
                        let p = people[*who];
                        let t = j.add_touchpoint(touchpoint(TouchpointKind::OneOnOne, vec![p], Vec::new(), days)).expect("meeting");
                        j.reflect(NewReflection {
                            touchpoint_id: t.id, person_id: p, answers: Vec::new(),
                            their_side: String::new(), willingness: *w, ability: *a,
                            adversarial: false, would_have_helped: String::new(), next_time: String::new(),
                        }).expect("reflect");
                    }
                    Step::Decision { peers, impact } => {
                        let group = if *peers { Group::Peer } else { Group::DirectReport };
                        j.add_touchpoint(touchpoint(TouchpointKind::Decision, Vec::new(), vec![GroupImpact { group, impact: *impact }], days)).expect("decision");
                    }
                }
            }
            let scopes = [
                Scope::Person { id: people[0] },
                Scope::Team { name: team },
                Scope::Group { group: Group::DirectReport },
                Scope::Group { group: Group::Peer },
            ];
            for scope in scopes {
                let r = j.balance(&scope, Utc::now()).expect("balance");
                let sum = |f: fn(&crate::balance::ExplainedEvent) -> f64| r.events.iter().map(|e| tenths(f(e))).sum::<i64>();
                prop_assert_eq!(sum(|e| e.delta), tenths(r.balance), "{:?}", scope);
                prop_assert_eq!(sum(|e| e.willingness_delta), tenths(r.willingness), "{:?}", scope);
                prop_assert_eq!(sum(|e| e.ability_delta), tenths(r.ability), "{:?}", scope);
                for e in &r.events {
                    prop_assert!(e.person_id.is_some() || e.group.is_some(), "a row names where it came from: {:?}", e);
                }
            }
            Ok(())
        })?;
    }
}
