//! Unlock time and memory as the journal grows: 10,000, 100,000 and 300,000 entries.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use touchpoint_core::keyfile::KeyFile;
use touchpoint_core::Journal;

use crate::dataset::{child, dataset_dir, file_mib, is_cached, now, passphrase};
use crate::measure::{fmt_ms, stats};
use crate::report::{print_table, verdict};

/// The sizes of the curve (`BENCH_CURVE_SIZES=1000,5000` for a quick look).
pub fn sizes() -> Vec<u32> {
    std::env::var("BENCH_CURVE_SIZES").map_or_else(
        |_| vec![10_000, 100_000, 300_000],
        |v| {
            v.split(',')
                .map(|n| n.trim().replace('_', "").parse().expect("a size"))
                .collect()
        },
    )
}

/// Child processes per size (their medians are shown).
const ROUNDS: usize = 3;

/// A kibibyte figure from a /proc file's `name:   123 kB` line.
fn proc_kib(file: &str, name: &str) -> u64 {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with(name))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// The child (`--unlock-probe DIR`): unlocks as the app does (`Journal::open` with the
/// passphrase) and renders Today, then reads its memory; closes, derives the key alone, opens
/// with that key (`Journal::open_for_bench`: the same connection setup, migration and purge)
/// and renders Today again, so the time beyond the key derivation is measured directly rather
/// than as a difference of two noisy times. Prints nanoseconds and KiB:
/// `whole kdf open today pss peak_rss`.
pub fn probe(dir: &Path) {
    let pass = passphrase();
    let start = Instant::now();
    let journal = Journal::open(dir, &pass).expect("open");
    std::hint::black_box(journal.today(now()).expect("today"));
    let whole = start.elapsed();
    let pss = proc_kib("/proc/self/smaps_rollup", "Pss:");
    let peak = proc_kib("/proc/self/status", "VmHWM:");
    drop(journal);
    let start = Instant::now();
    let key = KeyFile::read(&dir.join("journal.key"))
        .expect("key file")
        .unlock_with_passphrase(&pass)
        .expect("unlock");
    let kdf = start.elapsed();
    let start = Instant::now();
    let journal = Journal::open_for_bench(dir, Some(&key)).expect("open with the key");
    let open = start.elapsed();
    let start = Instant::now();
    std::hint::black_box(journal.today(now()).expect("today"));
    let today = start.elapsed();
    drop(journal);
    println!(
        "{} {} {} {} {pss} {peak}",
        whole.as_nanos(),
        kdf.as_nanos(),
        open.as_nanos(),
        today.as_nanos(),
    );
}

/// One size's medians.
pub struct Point {
    touchpoints: u32,
    db_mib: f64,
    whole: Duration,
    kdf: Duration,
    open: Duration,
    today: Duration,
    unlock: Duration,
    pss_kib: u64,
    peak_kib: u64,
}

fn median_u64(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Builds any missing dataset (child processes; 300,000 entries take minutes the first time),
/// then runs the probe `ROUNDS` times per size.
pub fn measure_curve(data_dir: &Path, fresh_sizes: &[u32]) -> Vec<Point> {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    sizes()
        .into_iter()
        .map(|n| {
            if !is_cached(n, data_dir) {
                eprintln!("curve: building the {n}-entry journal (cached for later runs)");
            }
            if !fresh_sizes.contains(&n) {
                child(
                    &["--prepare-dataset".as_ref()],
                    &[
                        ("BENCH_TOUCHPOINTS", n.to_string()),
                        ("BENCH_FRESH", "0".into()),
                    ],
                );
            }
            let dir = dataset_dir(n, data_dir);
            eprintln!("measuring: unlock curve, {n} entries");
            let mut runs = Vec::new();
            for _ in 0..ROUNDS {
                let out = Command::new(&exe)
                    .arg("--unlock-probe")
                    .arg(&dir)
                    .output()
                    .expect("start the unlock probe");
                assert!(
                    out.status.success(),
                    "unlock probe failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let text = String::from_utf8_lossy(&out.stdout);
                let f: Vec<u64> = text
                    .split_whitespace()
                    .map(|x| x.parse().expect("a number"))
                    .collect();
                runs.push(f);
            }
            let col = |i: usize| -> Vec<u64> { runs.iter().map(|r| r[i]).collect() };
            let times = |i: usize| -> Vec<Duration> {
                col(i).into_iter().map(Duration::from_nanos).collect()
            };
            let beyond: Vec<Duration> = runs
                .iter()
                .map(|r| Duration::from_nanos(r[2] + r[3]))
                .collect();
            Point {
                touchpoints: n,
                db_mib: file_mib(&dir.join("journal.db")),
                whole: stats(&times(0)).median,
                kdf: stats(&times(1)).median,
                open: stats(&times(2)).median,
                today: stats(&times(3)).median,
                unlock: stats(&beyond).median,
                pss_kib: median_u64(col(4)),
                peak_kib: median_u64(col(5)),
            }
        })
        .collect()
}

pub fn print_curve(points: &[Point]) {
    println!();
    println!(
        "The curve (issue 16, point 5): a process of its own unlocks a cached journal of each size"
    );
    println!("with the passphrase (`Journal::open`) and renders Today (\"whole\"), then reads its memory: PSS");
    println!("from /proc/self/smaps_rollup, peak RSS its VmHWM (which includes Argon2id's 64 MiB). It then");
    println!("derives the key alone and opens with it (same connection setup, migration and purge) and renders");
    println!("Today again: the time beyond the key derivation, budget 50 ms. Median of {ROUNDS} processes.");
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            vec![
                p.touchpoints.to_string(),
                format!("{:.0} MiB", p.db_mib),
                fmt_ms(p.whole),
                fmt_ms(p.kdf),
                fmt_ms(p.open),
                fmt_ms(p.today),
                fmt_ms(p.unlock),
                verdict(p.unlock <= Duration::from_millis(50)).to_string(),
                mib(p.pss_kib),
                mib(p.peak_kib),
            ]
        })
        .collect();
    print_table(
        &[
            "entries",
            "journal.db",
            "whole unlock to Today",
            "key derivation",
            "open after key derivation",
            "first Today",
            "unlock to Today beyond key derivation",
            "≤ 50 ms",
            "PSS after Today",
            "peak RSS",
        ],
        &rows,
    );
}

/// The child (`--key-derivation DIR`, for `make bench-app`): the median of five derivations of
/// the key of the journal in `DIR` from the benchmark's passphrase, in whole milliseconds, so
/// the app's unlock to Today can be judged against "key derivation + 300 ms" on this machine.
pub fn key_derivation(dir: &Path) {
    let pass = passphrase();
    let key_file = KeyFile::read(&dir.join("journal.key")).expect("key file");
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(key_file.unlock_with_passphrase(&pass).expect("unlock"));
            start.elapsed()
        })
        .collect();
    times.sort();
    println!("{}", times[2].as_millis());
}
