//! Reads that come first: after unlocking, on a journal opened just now, after a write.

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use touchpoint_core::keyfile::KeyFile;
use touchpoint_core::vault::Scope;
use touchpoint_core::Journal;
use uuid::Uuid;

use crate::dataset::passphrase;
use crate::measure::{measure, timed, Plan, Probe};
use crate::reads::{capture_variants, check_rows, Call};
use crate::report::{figure, Stat};
use crate::run::{reopen, Run};
use crate::workload;

/// Unlocking, then the first screen: the key derived (timed alone), then, timed, the journal
/// opened with that key (`Journal::open_for_bench`: the real open's connection setup,
/// migration, settings and purge) and its first Today. The baselines open the mirror with the
/// key and the plain copy with no key through the same call, then replay Today's statements.
/// Each round also unlocks as the app does, `Journal::open` with the passphrase, and renders
/// Today: shown whole, key derivation included, so the key file's housekeeping that the timed
/// open leaves out is seen too. (Subtracting a key derivation timed apart from the whole was
/// tried: the two vary by more than the open takes.)
pub fn unlock_to_today(run: &Run, target: Duration) {
    let label = "first Today after unlock, beyond key derivation";
    eprintln!("measuring: {label}");
    let now = run.now;
    run.reopen_journal();
    let set = run.capture(label, |j| {
        black_box(j.today(now).expect("today"));
    });
    let name = set.to_string();
    let pass = passphrase();
    let key_file = run.journal_dir.join("journal.key");
    let derivations = RefCell::new(Vec::new());
    let opens = RefCell::new(Vec::new());
    let todays = RefCell::new(Vec::new());
    let wholes = RefCell::new(Vec::new());
    let mut probes: Vec<Probe<'_>> = vec![
        Box::new(|_| {
            drop(run.journal.borrow_mut().take());
            let start = Instant::now();
            let key = KeyFile::read(&key_file)
                .expect("key file")
                .unlock_with_passphrase(&pass)
                .expect("unlock");
            derivations.borrow_mut().push(start.elapsed());
            let start = Instant::now();
            let j = Journal::open_for_bench(&run.journal_dir, Some(&key)).expect("open");
            let open = start.elapsed();
            let today = timed(|| j.today(now).expect("today"));
            drop(j);
            opens.borrow_mut().push(open);
            todays.borrow_mut().push(today);
            reopen(&run.journal, || {
                let start = Instant::now();
                let j = Journal::open(&run.journal_dir, &pass).expect("open");
                black_box(j.today(now).expect("today"));
                wholes.borrow_mut().push(start.elapsed());
                j
            });
            open + today
        }),
        Box::new(|_| {
            let open = run.reopen_mirror();
            run.prepare_here(set);
            open + run.replay_here(set).0
        }),
        Box::new(|_| run.remote(&["open_replay", &name])),
    ];
    let plan = Plan {
        warmup: 1,
        min_rounds: 7,
        max_rounds: 21,
        target,
    };
    let s = measure(label, &plan, &mut probes);
    drop(probes);
    run.push(figure(label, &s, Some((50.0, Stat::Median)), true));
    for (part, samples) in [
        ("  of which: open after key derivation", opens),
        ("  of which: the first Today", todays),
        ("key derivation (Argon2id m=64 MiB t=3 p=1)", derivations),
        (
            "unlock to first Today, whole (Journal::open, passphrase)",
            wholes,
        ),
    ] {
        run.push(figure(part, &[samples.into_inner()], None, false));
    }
}

/// A read on a journal opened just now (with the data key, untimed): nothing of it is in the
/// page cache. The baselines reopen the mirror and the plain copy likewise.
pub fn fresh_read(
    run: &Run,
    label: &str,
    plan: &Plan,
    variants: usize,
    call: &Call,
) -> Vec<Vec<Duration>> {
    eprintln!("measuring: {label}");
    let sets: Vec<usize> = (0..variants)
        .map(|v| {
            run.reopen_journal();
            capture_variants(run, label, 1, &|j, _| call(j, v))[0]
        })
        .collect();
    check_rows(run, label, sets[0], true);
    let names: Vec<String> = sets.iter().map(ToString::to_string).collect();
    let mut probes: Vec<Probe<'_>> = vec![
        Box::new(|r| {
            run.reopen_journal();
            let j = run.journal();
            timed(|| call(&j, r % variants))
        }),
        Box::new(|r| {
            run.reopen_mirror();
            run.prepare_here(sets[r % variants]);
            run.replay_here(sets[r % variants]).0
        }),
        Box::new(|r| run.remote(&["fresh", &names[r % variants]])),
    ];
    measure(label, plan, &mut probes)
}

pub fn today_after_opening(run: &Run, plan: &Plan) {
    let now = run.now;
    let label = "Today, first on a journal opened just now";
    let s = fresh_read(run, label, plan, 1, &|j, _| {
        black_box(j.today(now).expect("today"));
    });
    run.push(figure(label, &s, None, true));
}

pub fn balance_after_opening(run: &Run, plan: &Plan) {
    let now = run.now;
    let people = &run.people;
    let label = "person balance + explanation, nothing warm";
    let s = fresh_read(run, label, plan, people.len().min(40), &|j, v| {
        black_box(
            j.balance(&Scope::Person { id: people[v] }, now)
                .expect("balance"),
        );
    });
    run.push(figure(label, &s, Some((5.0, Stat::Median)), true));
}

/// Entries with one participant, to trash and restore (the harness's own query).
fn single_person_entries(run: &Run) -> Vec<Uuid> {
    let conn = run.mirror_connection();
    let mut stmt = conn
        .prepare(
            "SELECT touchpoint_id FROM participants
             GROUP BY touchpoint_id HAVING count(*) = 1 LIMIT 200",
        )
        .expect("one-person touchpoints");
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("one-person touchpoints");
    rows.map(|r| Uuid::parse_str(&r.expect("row")).expect("uuid"))
        .collect()
}

/// Today and the overview first after a write that is not a capture: an entry trashed and
/// restored (untimed) on each copy, then the read.
pub fn after_a_write(run: &Run, plan: &Plan, today: bool, overview: bool) {
    let now = run.now;
    let single = single_person_entries(run);
    let single = &single;
    let today_call: &Call = &|j, _| {
        black_box(j.today(now).expect("today"));
    };
    let overview_call: &Call = &|j, _| {
        black_box(j.overview(now).expect("overview"));
    };
    for (wanted, label, call) in [
        (today, "Today, first after a write", today_call),
        (
            overview,
            "team overview, first after a write",
            overview_call,
        ),
    ] {
        if !wanted {
            continue;
        }
        eprintln!("measuring: {label}");
        let set = capture_variants(run, label, 1, call)[0];
        let name = set.to_string();
        let mut probes: Vec<Probe<'_>> = vec![
            Box::new(|r| {
                let mut j = run.journal_mut();
                workload::trash_and_restore(&mut j, single[r % single.len()]);
                timed(|| call(&j, 0))
            }),
            Box::new(|r| {
                workload::trash_and_restore(&mut run.mirror_mut(), single[r % single.len()]);
                run.replay_here(set).0
            }),
            Box::new(|r| {
                let t = single[r % single.len()].to_string();
                run.remote(&["trash_restore_replay", &name, &t])
            }),
        ];
        let s = measure(label, plan, &mut probes);
        run.push(figure(label, &s, Some((20.0, Stat::Median)), true));
    }
}

/// Today right after capturing a touchpoint with its reflection (untimed), on each copy.
pub fn today_after_capture(run: &Run, plan: &Plan) {
    let now = run.now;
    let label = "Today, after capturing a touchpoint with reflection";
    eprintln!("measuring: {label}");
    let set = capture_variants(run, label, 1, &|j, _| {
        black_box(j.today(now).expect("today"));
    })[0];
    let name = set.to_string();
    let person = run.people[0];
    let person_text = person.to_string();
    let mut probes: Vec<Probe<'_>> = vec![
        Box::new(|r| {
            let mut j = run.journal_mut();
            workload::insert(&mut j, person, 50_000 + r);
            timed(|| j.today(now).expect("today"))
        }),
        Box::new(|r| {
            workload::insert(&mut run.mirror_mut(), person, 50_000 + r);
            run.replay_here(set).0
        }),
        Box::new(|r| {
            let n = (50_000 + r).to_string();
            run.remote(&["insert_replay", &name, &person_text, &n])
        }),
    ];
    let s = measure(label, plan, &mut probes);
    run.push(figure(label, &s, Some((20.0, Stat::Median)), true));
}
