//! Reads on a warm journal: Today, timeline pages, search, a balance, the team overview.

use std::hint::black_box;
use std::time::Duration;

use touchpoint_core::vault::{plain_query, Scope, SearchMode, TimelineFilter};
use touchpoint_core::Journal;

use crate::dataset::{RARE_WORDS, SEARCH_WORDS};
use crate::measure::{measure, stats, timed, Plan, Probe, Stats};
use crate::report::{figure, Stat};
use crate::run::Run;

/// One call of the core, for variant `v` of a figure (a person, a word).
pub type Call<'a> = dyn Fn(&Journal, usize) + 'a;

/// Captures the statements of each variant of `call` on the journal under test.
pub fn capture_variants(run: &Run, label: &str, variants: usize, call: &Call) -> Vec<usize> {
    (0..variants)
        .map(|v| run.capture(label, |j| call(j, v)))
        .collect()
}

/// The replays here and in the baseline read the same rows (the copies agree).
pub fn check_rows(run: &Run, label: &str, set: usize, fresh: bool) {
    let (_, here) = run.replay_here(set);
    let verb = if fresh { "fresh" } else { "replay" };
    let (_, there) = run.base.borrow_mut().time(&[verb, &set.to_string()]);
    assert_eq!(here, there, "{label}: the copies read different rows");
}

/// A read on the warm journal: the API, and its captured statements replayed on the mirror
/// and on the plain copy. Returns the samples of the three probes.
pub fn warm_read(
    run: &Run,
    label: &str,
    plan: &Plan,
    variants: usize,
    call: &Call,
) -> Vec<Vec<Duration>> {
    eprintln!("measuring: {label}");
    let sets = capture_variants(run, label, variants, call);
    eprintln!("  {label}: {} statements a call", run.set_len(sets[0]));
    check_rows(run, label, sets[0], false);
    let names: Vec<String> = sets.iter().map(ToString::to_string).collect();
    let mut probes: Vec<Probe<'_>> = vec![
        Box::new(|r| {
            let j = run.journal();
            timed(|| call(&j, r % variants))
        }),
        Box::new(|r| run.replay_here(sets[r % variants]).0),
        Box::new(|r| run.remote(&["replay", &names[r % variants]])),
    ];
    measure(label, plan, &mut probes)
}

pub fn today(run: &Run, plan: &Plan) {
    let now = run.now;
    let t = run.journal().today(now).expect("today");
    eprintln!(
        "  today: {} drafts, {} overdue, {} commitments due, {} slipping",
        t.drafts.len(),
        t.overdue.len(),
        t.commitments_due.len(),
        t.slipping.len()
    );
    let label = "Today screen data";
    let s = warm_read(run, label, plan, 1, &|j, _| {
        black_box(j.today(now).expect("today"));
    });
    run.push(figure(label, &s, Some((20.0, Stat::Median)), true));
}

pub fn timeline(run: &Run, plan: &Plan) {
    let label = "timeline page, newest 50";
    let s = warm_read(run, label, plan, 1, &|j, _| {
        let filter = TimelineFilter {
            limit: Some(50),
            ..TimelineFilter::default()
        };
        black_box(j.timeline(&filter).expect("timeline"));
    });
    run.push(figure(label, &s, Some((5.0, Stat::Median)), true));

    let label = "timeline page, one person's newest 50";
    let people = &run.people;
    let s = warm_read(run, label, plan, people.len(), &|j, v| {
        let filter = TimelineFilter {
            person: Some(people[v]),
            limit: Some(50),
            ..TimelineFilter::default()
        };
        black_box(j.timeline(&filter).expect("timeline"));
    });
    run.push(figure(label, &s, Some((5.0, Stat::Median)), true));
}

pub fn search(run: &Run, per_figure: Duration) {
    let common: Vec<&'static str> = SEARCH_WORDS
        .iter()
        .copied()
        .filter(|w| !RARE_WORDS.contains(w))
        .collect();
    for (label, words) in [
        ("full-text search, rare words (p95)", RARE_WORDS.to_vec()),
        ("full-text search, common words (p95)", common),
    ] {
        let n = words.len();
        // How many entries each word matches before the page's limit (the harness's own
        // count, for the table).
        let matches: Vec<i64> = words
            .iter()
            .map(|w| {
                run.mirror_connection()
                    .query_row(
                        "SELECT count(*) FROM search WHERE search MATCH ?1",
                        [plain_query(w).expect("query")],
                        |r| r.get(0),
                    )
                    .expect("count matches")
            })
            .collect();
        let plan = Plan {
            warmup: n,
            min_rounds: n * 5,
            max_rounds: n * 500,
            target: per_figure,
        };
        let s = warm_read(run, label, &plan, n, &|j, v| {
            black_box(j.search(words[v], SearchMode::Plain, 50).expect("search"));
        });
        for (w, word) in words.iter().enumerate() {
            let of = |k: usize| -> Stats {
                let samples: Vec<Duration> = s[k]
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| r % n == w)
                    .map(|(_, d)| *d)
                    .collect();
                stats(&samples)
            };
            run.per_word
                .borrow_mut()
                .push((*word, matches[w], [of(0), of(1), of(2)]));
        }
        run.push(figure(label, &s, Some((10.0, Stat::P95)), true));
    }
}

pub fn balance(run: &Run, plan: &Plan) {
    let now = run.now;
    let people = &run.people;
    let report = run
        .journal()
        .balance(&Scope::Person { id: people[0] }, now)
        .expect("balance");
    eprintln!(
        "  balance of the first person: {} events",
        report.events.len()
    );
    let label = "person balance + explanation";
    let s = warm_read(run, label, plan, people.len(), &|j, v| {
        black_box(
            j.balance(&Scope::Person { id: people[v] }, now)
                .expect("balance"),
        );
    });
    run.push(figure(label, &s, Some((5.0, Stat::Median)), true));
}

pub fn overview(run: &Run, plan: &Plan) {
    let now = run.now;
    let people = run.journal().overview(now).expect("overview").len();
    let label = format!("team overview, {people} people");
    let s = warm_read(run, &label, plan, 1, &|j, _| {
        black_box(j.overview(now).expect("overview"));
    });
    run.push(figure(label, &s, Some((20.0, Stat::Median)), true));
}
