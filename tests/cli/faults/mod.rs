//! The fault suite: crashes, tampering, a full disk, wrong secrets, plaintext on disk,
//! concurrent processes, no network and the dependency policy (docs/RELIABILITY.md).
//!
//! Every test here is part of `make test`; `make test-long` runs the crash trials 1,000 times.

mod concurrency;
mod crash;
mod disk_full;
mod network;
mod plaintext;
mod rekey;
mod secrets;
mod tamper;

use std::path::Path;

/// A small deterministic generator (xorshift64*), so a failing run can be repeated from its seed.
pub struct Rng(u64);

impl Rng {
    /// The seed from `var` when set, else one from the clock; printed so a failure can be replayed.
    pub fn from_env(var: &str) -> Rng {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        eprintln!("{var}={seed}");
        Rng(seed.max(1))
    }

    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Every file's bytes under `dir` (recursively), keyed by path, for before/after comparisons.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    crate::util::files(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read a journal file");
            (p, bytes)
        })
        .collect()
}
