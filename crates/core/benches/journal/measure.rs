//! Timing probes round by round, interleaved, and their median and p95.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// One way of doing a figure, called once per round with the round number; returns the time
/// it measured (so setup and teardown can stay outside it).
pub type Probe<'a> = Box<dyn FnMut(usize) -> Duration + 'a>;

pub fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

pub struct Plan {
    pub warmup: usize,
    pub min_rounds: usize,
    pub max_rounds: usize,
    pub target: Duration,
}

/// Runs every probe once per round, rotating their order, after a warm-up; returns the
/// samples of each probe (index = round). Stops after `min_rounds` once `target` time has
/// passed, or after any round that ends past ten times `target` (for very slow figures).
pub fn measure(name: &str, plan: &Plan, probes: &mut [Probe<'_>]) -> Vec<Vec<Duration>> {
    let n = probes.len();
    // The first call of each probe is part of the warm-up, and shown as progress.
    let first: Vec<Duration> = probes.iter_mut().map(|p| p(0)).collect();
    eprintln!(
        "  {name}: first calls {}",
        first
            .iter()
            .map(|d| fmt_ms(*d))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let slow = first.iter().sum::<Duration>() > plan.target;
    if !slow {
        for round in 1..plan.warmup {
            for p in probes.iter_mut() {
                p(round);
            }
        }
    }
    let mut samples = vec![Vec::new(); n];
    let start = Instant::now();
    let cap = plan.target * 10;
    let mut round = 0;
    while round < plan.max_rounds
        && (round < plan.min_rounds || start.elapsed() < plan.target)
        && !(round >= 1 && start.elapsed() >= cap)
    {
        for k in 0..n {
            let i = (k + round) % n;
            samples[i].push(probes[i](round));
        }
        round += 1;
    }
    samples
}

#[derive(Clone, Copy)]
pub struct Stats {
    pub median: Duration,
    pub p95: Duration,
    pub n: usize,
}

pub fn stats(samples: &[Duration]) -> Stats {
    let mut s = samples.to_vec();
    s.sort();
    let n = s.len();
    assert!(n > 0, "no samples");
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2
    };
    let p95 = s[(n * 95).div_ceil(100) - 1];
    Stats { median, p95, n }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn fmt_ms(d: Duration) -> String {
    let v = ms(d);
    if v < 10.0 {
        format!("{v:.3} ms")
    } else if v < 1000.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.0} ms")
    }
}

pub fn fmt_stats(s: &Stats) -> String {
    format!("{} / {}", fmt_ms(s.median), fmt_ms(s.p95))
}
