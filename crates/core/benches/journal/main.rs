//! The performance budgets of DESIGN.md section 9 and issue 16, each printed beside its baseline.
//!
//! Run with `make bench` (`cargo bench -p touchpoint-core --features bench --bench journal`).
//! It is a benchmark, not a test: nothing here runs in `make test`.
//!
//! What it does:
//!
//! 1. Builds (once, cached under `target/bench-data/`, keyed by its parameters) a synthetic
//!    journal with the demo generator: 200 people and 100,000 touchpoints with reflections
//!    (`BENCH_TOUCHPOINTS=10000` for a quick run), plus a few entries holding rare words for the
//!    search figures (`dataset`).
//! 2. Copies it into a scratch folder for this run (so writes never touch the cache): the
//!    journal under test, an encrypted mirror, and a plain SQLite export of the same data,
//!    deleted with the scratch folder at the end of the run.
//! 3. Times every figure three ways, interleaved round by round so a busy machine slows all of
//!    them alike: the core's API on the encrypted journal; the statements the core ran for that
//!    call, captured with SQLite's statement trace (the core's `bench` feature), replayed raw on
//!    the mirror; and the same statements replayed on the plain copy, opened by the core without
//!    a key in a process of its own (`baseline`). Nothing of the core's SQL is copied here, so
//!    the comparison follows the core as it changes. Writes and opening compare the core's API
//!    on the journal with the core's API on the plain copy.
//! 4. Compares the release CLI with jrnl as whole processes (`peer`), and draws the unlock
//!    and memory curve over journal sizes (`curve`).
//!
//! Environment: `BENCH_TOUCHPOINTS` (default 100000), `BENCH_SECONDS` (time per figure,
//! default 2), `BENCH_FRESH=1` (rebuild the cached journal), `BENCH_PLANS=1` (print each
//! captured statement and its query plan), `BENCH_PROFILE=1` (time each captured statement
//! alone), `BENCH_PEER=0` (no jrnl table), `BENCH_CURVE=0` (no curve), `BENCH_CURVE_SIZES`
//! (default 10000,100000,300000). Arguments after `--` pick figures by name:
//! `cargo bench -p touchpoint-core --features bench --bench journal -- search`.

mod baseline;
mod config;
mod curve;
mod dataset;
mod first;
mod measure;
mod peer;
mod reads;
mod report;
mod run;
mod workload;
mod writes;

use std::fs;
use std::path::Path;

use chrono::Utc;
use touchpoint_core::keyfile::KeyFile;

use crate::baseline::Baseline;
use crate::config::{
    cpu_model, filesystem_of, load_average, memory_gib, rustc_version, target_dir, Config,
};
use crate::dataset::{
    ballast, child, copy_journal, counts_of, dataset_dir, file_mib, passphrase, Scratch, COUNTED,
    PEOPLE, RARE_WORDS,
};
use crate::measure::Plan;
use crate::peer::{prepare_peer, PeerFigure, JRNL_VERSION};
use crate::report::{ratio, report, Figure};
use crate::run::Run;

fn main() {
    // `cargo bench` passes `--bench`; a filter or `--list` from the harness protocol is ignored.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let cfg = Config::from_env();
    let data_dir = target_dir().join("bench-data");
    fs::create_dir_all(&data_dir).expect("create target/bench-data");
    let data_dir = fs::canonicalize(&data_dir).unwrap_or(data_dir);
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--prepare-dataset" => {
            return dataset::prepare_dataset(cfg.touchpoints, cfg.fresh, &data_dir)
        }
        [flag, encrypted_dir, plain_db] if flag == "--export-plain" => {
            return dataset::export_plain(Path::new(encrypted_dir), Path::new(plain_db))
        }
        [flag, plain_dir] if flag == "--baseline" => return baseline::serve(Path::new(plain_dir)),
        [flag, dir] if flag == "--unlock-probe" => return curve::probe(Path::new(dir)),
        [flag, dir] if flag == "--key-derivation" => return curve::key_derivation(Path::new(dir)),
        _ => {}
    }
    // `cargo bench ... -- today search` measures only the figures named.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let selected =
        |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));

    println!(
        "Touchpoint benchmarks: DESIGN.md section 9 and issue 16, each figure beside its baseline"
    );
    println!(
        "date: {}; machine: {} cores ({}), {} GiB RAM, {}, load average {} at start",
        Utc::now().format("%Y-%m-%d %H:%M UTC"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        memory_gib(),
        rustc_version(),
        load_average()
    );
    println!("bench data: {}", data_dir.display());
    println!("file system: {}", filesystem_of(&data_dir));

    let cached = dataset_dir(cfg.touchpoints, &data_dir);
    let was_cached = dataset::is_cached(cfg.touchpoints, &data_dir) && !cfg.fresh;
    child(&["--prepare-dataset".as_ref()], &[]);
    println!(
        "synthetic journal: {} ({})",
        if was_cached { "cached" } else { "built now" },
        cached.display()
    );

    // Scratch copies for this run, so the cache is never written to.
    dataset::remove_stale_scratch(&data_dir);
    let scratch = Scratch(data_dir.join(format!("run-{}", std::process::id())));
    let dir = scratch.0.clone();
    let _ = fs::remove_dir_all(&dir);
    let journal_dir = dir.join("journal");
    let mirror_dir = dir.join("mirror");
    let plain_dir = dir.join("plain");
    copy_journal(&cached, &journal_dir);
    copy_journal(&cached, &mirror_dir);
    fs::create_dir_all(&plain_dir).expect("create the plain folder");
    let plain_db = plain_dir.join("journal.db");
    child(
        &[
            "--export-plain".as_ref(),
            mirror_dir.as_os_str(),
            plain_db.as_os_str(),
        ],
        &[],
    );
    let key = KeyFile::read(&journal_dir.join("journal.key"))
        .expect("read key file")
        .unlock_with_passphrase(&passphrase())
        .expect("unlock");
    let base = Baseline::start(&plain_dir);
    let ballast = ballast(&plain_db);
    let run = Run::new(
        cfg,
        dataset::now(),
        dir.clone(),
        journal_dir,
        mirror_dir.clone(),
        key,
        base,
    );
    describe(&run, &cached, &mirror_dir, &plain_db);

    let cfg = &run.cfg;
    let per_figure = cfg.per_figure;
    let quick = Plan {
        warmup: 5,
        min_rounds: 30,
        max_rounds: 2000,
        target: per_figure,
    };
    let heavy = Plan {
        warmup: 2,
        min_rounds: 11,
        max_rounds: 2000,
        target: per_figure,
    };
    let slow = Plan {
        warmup: 1,
        min_rounds: 3,
        max_rounds: 5,
        target: per_figure,
    };

    // The figure groups, in an order where writes come after the reads they would disturb.
    if selected("unlock") || selected("today") {
        first::unlock_to_today(&run, per_figure * 3);
    }
    if selected("today") {
        reads::today(&run, &heavy);
        first::today_after_opening(&run, &heavy);
    }
    if selected("timeline") {
        reads::timeline(&run, &quick);
    }
    if selected("search") {
        reads::search(&run, per_figure);
    }
    if selected("balance") {
        reads::balance(&run, &quick);
        first::balance_after_opening(&run, &quick);
    }
    if selected("overview") {
        reads::overview(&run, &heavy);
    }
    if selected("today") || selected("overview") {
        first::after_a_write(&run, &heavy, selected("today"), selected("overview"));
    }
    if selected("export") || selected("import") {
        writes::export_import(&run, &slow);
    }
    if selected("today") {
        first::today_after_capture(&run, &heavy);
    }
    if selected("insert") {
        writes::fsync_floor(&run, &quick);
        writes::insert(&run, &quick);
    }

    let peer_figures = if cfg.peer && selected("peer") {
        peer(&run, &data_dir, &cached, &plain_db)
    } else {
        Vec::new()
    };

    let figures = std::mem::take(&mut *run.figures.borrow_mut());
    let per_word = std::mem::take(&mut *run.per_word.borrow_mut());
    report(&figures, &per_word, &peer_figures);
    println!("load average {} at end", load_average());
    let (curve, touchpoints) = (run.cfg.curve && selected("curve"), run.cfg.touchpoints);
    drop(run);
    drop(ballast);
    drop(scratch);
    println!(
        "scratch copies deleted (plain copy included): {}",
        dir.display()
    );
    if curve {
        let points = curve::measure_curve(&data_dir, &[touchpoints]);
        curve::print_curve(&points);
    }
    summary(&figures, &peer_figures);
}

/// The dataset, counted on the mirror and the plain copy (they must agree), and the setup.
fn describe(run: &Run, cached: &Path, mirror_dir: &Path, plain_db: &Path) {
    let here = counts_of(&run.mirror_connection());
    let there: Vec<i64> = run
        .base
        .borrow_mut()
        .ask(&["counts"])
        .join("")
        .split(',')
        .map(|n| n.parse().expect("a count"))
        .collect();
    assert_eq!(here, there, "the plain copy differs from the journal");
    println!(
        "dataset: {}",
        COUNTED
            .iter()
            .zip(&here)
            .map(|((name, _), n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Ok(text) = fs::read_to_string(cached.join("bench-dataset.json")) {
        let built: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        println!(
            "generator summary: {} (+{} entries with planted rare words; built in {:.0} s)",
            built["generator"],
            RARE_WORDS.len() * (RARE_WORDS.len() + 1) / 2,
            built["build_seconds"].as_f64().unwrap_or(0.0)
        );
    }
    let pragma_text = |sql: &str| -> String {
        run.mirror_connection()
            .query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap_or_default()
    };
    let sqlite = run.base.borrow_mut().ask(&["info"]).join("");
    println!(
        "SQLite {sqlite}, SQLCipher {} ({}); journal.db {:.1} MiB encrypted, plain copy {:.1} MiB; {PEOPLE} people",
        pragma_text("PRAGMA cipher_version"),
        pragma_text("PRAGMA cipher_provider"),
        file_mib(&mirror_dir.join("journal.db")),
        file_mib(plain_db)
    );
    println!(
        "cipher_memory_security: {} (BENCH_MEMORY_SECURITY=1 turns it on in this process to \
         measure what it costs; the core leaves it off, docs/decisions.md)",
        if run.cfg.memory_security {
            "ON"
        } else {
            "off, as in the core"
        }
    );
    println!(
        "plain copy: {} — synthetic data only, deleted at the end of this run",
        plain_db.display()
    );
    println!(
        "method: median and p95 per figure over interleaved rounds after a warm-up (~{:.0} s a figure); \
         budgets are judged on the median, search on its p95 over its word set",
        run.cfg.per_figure.as_secs_f64()
    );
}

/// The peer: whole processes on copies of their own.
fn peer(run: &Run, data_dir: &Path, cached: &Path, plain_db: &Path) -> Vec<PeerFigure> {
    eprintln!("measuring: the touchpoint CLI against jrnl");
    let cli = target_dir().join("release/touchpoint");
    if !cli.exists() {
        println!(
            "peer: skipped, no release CLI at {} (make bench builds it: cargo build \
             --release -p touchpoint-cli)",
            cli.display()
        );
        return Vec::new();
    }
    match prepare_peer(data_dir, cached, &run.dir, plain_db) {
        Err(e) => {
            println!("peer: skipped, jrnl is not available: {e}");
            Vec::new()
        }
        Ok(peer) => {
            let cli_journal = run.dir.join("cli-journal");
            copy_journal(cached, &cli_journal);
            let session_journal = run.dir.join("cli-session-journal");
            copy_journal(cached, &session_journal);
            let entries = fs::read_to_string(peer.home.join("entries")).unwrap_or_default();
            println!(
                "peer: jrnl {JRNL_VERSION} (PyPI, venv {}), {entries} entries encrypted \
                 (jrnl v3 format: Fernet, PBKDF2-SHA256 100,000 rounds); CLI {}",
                peer.venv.display(),
                cli.display()
            );
            peer::measure_peer(
                &run.cfg,
                &cli,
                [&cli_journal, &session_journal],
                &peer,
                &run.dir,
            )
        }
    }
}

/// The last line: how many budgets and goals were met.
fn summary(figures: &[Figure], peer_figures: &[PeerFigure]) {
    let budgeted: Vec<&Figure> = figures.iter().filter(|f| f.budget.is_some()).collect();
    let met = budgeted
        .iter()
        .filter(|f| f.meets_budget() == Some(true))
        .count();
    let reads: Vec<f64> = figures
        .iter()
        .filter(|f| f.read)
        .filter_map(Figure::encryption_ratio)
        .collect();
    let overhead_ok = reads.iter().filter(|r| **r <= 1.25).count();
    let goal: Vec<f64> = figures.iter().filter_map(Figure::app_ratio).collect();
    let goal_ok = goal.iter().filter(|r| **r <= 2.0).count();
    let compared: Vec<&PeerFigure> = peer_figures.iter().filter(|p| p.jrnl.is_some()).collect();
    let peer_ok = compared
        .iter()
        .filter(|p| {
            p.jrnl
                .as_ref()
                .is_some_and(|j| ratio(j.median, p.touchpoint.median) >= 15.0)
        })
        .count();
    println!(
        "SUMMARY: budgets met {met} of {}; encryption overhead <= 1.25x on {overhead_ok} of {} reads; \
         within 2x of plain SQL (real goal) {goal_ok} of {}; at least 15x faster than jrnl {peer_ok} of {}",
        budgeted.len(),
        reads.len(),
        goal.len(),
        compared.len()
    );
}
