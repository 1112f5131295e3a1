#!/usr/bin/env bash
# Fuzzes every importer (or the targets named) for SECONDS each and says, per target, how many
# inputs it ran and that none crashed. Usage: scripts/fuzz.sh SECONDS [TARGET...]
# `make fuzz-smoke` runs it for seconds per target in `make test`, `make fuzz` for longer.
# A crash fails the run; libFuzzer's reproducer is then in fuzz/artifacts/<target>/ and
# `RUSTC_BOOTSTRAP=1 cargo fuzz run <target> <file>` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
# cargo-fuzz passes nightly-only flags (sanitizer coverage); the stable compiler takes them
# with RUSTC_BOOTSTRAP=1, so no second toolchain is needed.
export RUSTC_BOOTSTRAP=1
# The dev profile (the parsers optimised, see fuzz/Cargo.toml) with debug assertions and
# overflow checks, and no sanitizer: our crates forbid unsafe code and the C code (SQLCipher,
# OpenSSL) is linked but never run here, so AddressSanitizer and cargo-fuzz's default
# whole-tree release build (twice the CPU time for a cold build) would buy nothing.
build=(--dev --sanitizer none)

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || mapfile -t targets < <(cargo fuzz list)

start=$(date +%s)
cargo fuzz build "${build[@]}"
echo "fuzz: targets built in $(($(date +%s) - start)) s"

failed=()
for t in "${targets[@]}"; do
  # New inputs go to a scratch corpus beside the build, never into the committed seeds.
  work="fuzz/target/corpus/$t"
  log="fuzz/target/logs/$t.log"
  mkdir -p "$work" "$(dirname "$log")"
  if cargo fuzz run "${build[@]}" "$t" "$work" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -timeout=60 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz $t: ${runs:-?} runs in ${seconds} s, no crash ($(find "$work" -type f | wc -l) inputs in its corpus)"
  else
    tail -n 60 "$log"
    echo "fuzz $t: CRASH (log: $log; reproducer: fuzz/artifacts/$t/)"
    failed+=("$t")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}" >&2
  exit 1
fi
