//! Settings from the environment, and the machine the figures were taken on.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub struct Config {
    pub touchpoints: u32,
    pub per_figure: Duration,
    pub fresh: bool,
    pub plans: bool,
    pub profile: bool,
    /// `BENCH_MEMORY_SECURITY=1`: SQLCipher's memory security on in this process (off in the core).
    pub memory_security: bool,
    /// `BENCH_CURVE=0` skips the unlock and memory curve over journal sizes.
    pub curve: bool,
    /// `BENCH_PEER=0` skips the jrnl comparison.
    pub peer: bool,
    /// Rounds of the jrnl comparison (`BENCH_PEER_ROUNDS`, default 5).
    pub peer_rounds: usize,
}

impl Config {
    pub fn from_env() -> Config {
        let touchpoints = std::env::var("BENCH_TOUCHPOINTS")
            .ok()
            .map(|v| {
                v.replace('_', "")
                    .parse()
                    .expect("BENCH_TOUCHPOINTS is a number")
            })
            .unwrap_or(100_000);
        let seconds: f64 = std::env::var("BENCH_SECONDS")
            .ok()
            .map(|v| v.parse().expect("BENCH_SECONDS is a number"))
            .unwrap_or(2.0);
        let flag = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0");
        Config {
            touchpoints,
            per_figure: Duration::from_secs_f64(seconds.max(0.1)),
            fresh: flag("BENCH_FRESH"),
            plans: flag("BENCH_PLANS"),
            profile: flag("BENCH_PROFILE"),
            memory_security: flag("BENCH_MEMORY_SECURITY"),
            curve: std::env::var("BENCH_CURVE").map_or(true, |v| v != "0"),
            peer: std::env::var("BENCH_PEER").map_or(true, |v| v != "0"),
            peer_rounds: std::env::var("BENCH_PEER_ROUNDS")
                .ok()
                .map(|v| v.parse().expect("BENCH_PEER_ROUNDS is a number"))
                .unwrap_or(5)
                .max(1),
        }
    }
}

/// The cargo target folder: `CARGO_TARGET_DIR` when set, else the workspace's `target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

pub fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

pub fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|o| first_line(&String::from_utf8_lossy(&o.stdout)))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

pub fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

pub fn memory_gib() -> String {
    fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            let kb: f64 = t
                .lines()
                .find(|l| l.starts_with("MemTotal:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some(format!("{:.0}", kb / (1024.0 * 1024.0)))
        })
        .unwrap_or_else(|| "unknown".into())
}

pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The file system type holding `path` (durable inserts depend on it), from /proc/mounts.
pub fn filesystem_of(path: &Path) -> String {
    let path = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let Ok(mounts) = fs::read_to_string("/proc/mounts") else {
        return "unknown".into();
    };
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (dev, mount, kind) = (f.next()?, f.next()?, f.next()?);
            path.starts_with(mount)
                .then(|| (mount.len(), format!("{kind} ({dev} on {mount})")))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "unknown".into(), |(_, s)| s)
}
