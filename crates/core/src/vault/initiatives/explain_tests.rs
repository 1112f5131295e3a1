//! An initiative's numbers explain themselves as everywhere else: in total, per person, per
//! team and per group, the explanation's rows add up to the balances; every row comes from an
//! entry linked to the initiative (or a commitment made in one); and the per-person summaries
//! of the page are the person's initiative balance.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use chrono::{Duration, Utc};
use proptest::prelude::*;

use super::super::explain_tests::{tenths, touchpoint};
use super::super::{Journal, Scope};
use crate::balance::EventSource;
use crate::initiative::NewInitiative;
use crate::model::{
    CommitmentStatus, Group, GroupImpact, NewPerson, NewReflection, TouchpointKind,
};
use crate::secret::Passphrase;

thread_local! {
    /// One journal for every case: a new one per case would spend its time deriving keys.
    static JOURNAL: RefCell<(tempfile::TempDir, Journal)> = RefCell::new({
        let dir = tempfile::tempdir().expect("temp dir");
        let (j, _code) = Journal::init(
            &dir.path().join("j"),
            &Passphrase::new("initiatives explain themselves".into()),
        )
        .expect("init");
        (dir, j)
    });
    static CASE: Cell<u32> = const { Cell::new(0) };
}

#[derive(Debug, Clone)]
enum Step {
    /// A one-on-one with member `who` (0..3), rated, linked or not, with a commitment resolved.
    Meeting {
        who: usize,
        w: i32,
        a: i32,
        linked: bool,
        promise: Option<bool>,
    },
    /// A decision hitting one group, linked or not.
    Decision {
        peers: bool,
        impact: i32,
        linked: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0usize..3, -2i32..=2, -2i32..=2, any::<bool>(), proptest::option::of(any::<bool>()))
            .prop_map(|(who, w, a, linked, promise)| Step::Meeting { who, w, a, linked, promise }),
        1 => (any::<bool>(), -2i32..=2, any::<bool>())
            .prop_map(|(peers, impact, linked)| Step::Decision { peers, impact, linked }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn every_initiative_scope_is_the_sum_of_its_rows(steps in proptest::collection::vec(step(), 1..10)) {
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
            let initiative = j.add_initiative(NewInitiative {
                name: format!("Roll-out {case}"),
                teams: vec![team.clone()],
                ..NewInitiative::default()
            }).expect("initiative").id;
            let mut linked_sources = HashSet::new();
            for (i, s) in steps.iter().enumerate() {
                let days = (steps.len() - i) as i64;
                match s {
                    Step::Meeting { who, w, a, linked, promise } => {
                        let p = people[*who];
                        let t = j.add_touchpoint(touchpoint(TouchpointKind::OneOnOne, vec![p], Vec::new(), days)).expect("meeting");
                        j.reflect(NewReflection {
                            touchpoint_id: t.id, person_id: p, answers: Vec::new(),
                            their_side: String::new(), willingness: *w, ability: *a,
                            adversarial: false, would_have_helped: String::new(), next_time: String::new(),
                        }).expect("reflect");
                        if let Some(kept) = promise {
                            let c = j.add_commitment(p, "a promise", None, Some(t.id)).expect("commitment");
                            let status = if *kept { CommitmentStatus::Kept } else { CommitmentStatus::Broken };
                            j.resolve_commitment(c.id, status, Utc::now() - Duration::days(days)).expect("resolve");
                            if *linked { linked_sources.insert(c.id); }
                        }
                        if *linked {
                            j.link_initiative(initiative, t.id).expect("link");
                            linked_sources.insert(t.id);
                        }
                    }
                    Step::Decision { peers, impact, linked } => {
                        let group = if *peers { Group::Peer } else { Group::DirectReport };
                        let t = j.add_touchpoint(touchpoint(TouchpointKind::Decision, Vec::new(), vec![GroupImpact { group, impact: *impact }], days)).expect("decision");
                        if *linked {
                            j.link_initiative(initiative, t.id).expect("link");
                            linked_sources.insert(t.id);
                        }
                    }
                }
            }
            let now = Utc::now();
            let scopes = [
                None,
                Some(Scope::Person { id: people[0] }),
                Some(Scope::Team { name: team }),
                Some(Scope::Group { group: Group::DirectReport }),
                Some(Scope::Group { group: Group::Peer }),
            ];
            for scope in &scopes {
                let r = j.initiative_balance(initiative, scope.as_ref(), now).expect("balance");
                let sum = |f: fn(&crate::balance::ExplainedEvent) -> f64| r.events.iter().map(|e| tenths(f(e))).sum::<i64>();
                prop_assert_eq!(sum(|e| e.delta), tenths(r.balance), "{:?}", scope);
                prop_assert_eq!(sum(|e| e.willingness_delta), tenths(r.willingness), "{:?}", scope);
                prop_assert_eq!(sum(|e| e.ability_delta), tenths(r.ability), "{:?}", scope);
                for e in &r.events {
                    prop_assert!(linked_sources.contains(&e.source_id), "a row from an entry not linked: {:?}", e);
                    prop_assert!(e.person_id.is_some() || e.group.is_some(), "a row names where it came from: {:?}", e);
                }
            }
            let total = j.initiative_balance(initiative, None, now).expect("total");
            let reflections = total.events.iter().filter(|e| e.source == EventSource::Reflection).count();
            let linked_meetings = steps.iter().filter(|s| matches!(s, Step::Meeting { linked: true, .. })).count();
            prop_assert_eq!(reflections, linked_meetings, "every linked reflection counts, once");
            let page = j.initiative_balances(initiative, now).expect("page balances");
            for share in &page.people {
                let id = share.person.as_ref().expect("a person").id;
                let own = j.initiative_balance(initiative, Some(&Scope::Person { id }), now).expect("own");
                prop_assert_eq!(&share.summary, &own.summary());
            }
            Ok(())
        })?;
    }
}
