#!/usr/bin/env bash
# `make bench-app`: the app's figures of DESIGN.md section 9 beside a bare Tauri window built
# here in the same run. Builds both in release with their .deb, prepares the 100,000-entry
# journal (the core benchmark's cache) with one person holding 5,000 more entries, then drives
# both apps under Xvfb through tauri-driver (tests/e2e/bench-app.mjs prints the table).
#
# Environment: BENCH_APP_ROUNDS (launches of each app, default 5), BENCH_TOUCHPOINTS (default
# 100000), CARGO_TARGET_DIR (default ./target).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$CARGO_TARGET_DIR"
target=$(cd "$CARGO_TARGET_DIR" && pwd)
export CARGO_TARGET_DIR="$target"
tauri="$root/ui/node_modules/.bin/tauri"

scripts/deps.sh test
(cd ui && npm run build --silent)

echo "== release builds (the app, then the bare window with the same Cargo.lock)"
"$tauri" build --bundles deb
scripts/deb-xz.sh "$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/Touchpoint_*.deb | head -1)"
# The bare window is its own workspace; the app's lock file makes it resolve the same Tauri.
cp Cargo.lock bench/hello/Cargo.lock
(cd bench/hello && "$tauri" build --bundles deb)
scripts/deb-xz.sh "$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/Touchpoint?Hello_*.deb | head -1)"

echo "== the 100,000-entry journal"
touchpoints="${BENCH_TOUCHPOINTS:-100000}"
export BENCH_TOUCHPOINTS="$touchpoints"
bench_exe=$(cargo bench -p touchpoint-core --features bench --bench journal --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
[ -x "$bench_exe" ] || { echo "bench-app: could not build the core benchmark" >&2; exit 1; }
"$bench_exe" --prepare-dataset
data="$target/bench-data"
cached=$(ls -td "$data"/journal-p200-t"$touchpoints"-*/ | head -1)
cached=${cached%/}
[ -f "$cached/bench-dataset.json" ] || { echo "bench-app: no cached journal in $data" >&2; exit 1; }
# The key derivation on this machine now: unlock to Today is judged against it + 300 ms.
BENCH_APP_KDF_MS=$("$bench_exe" --key-derivation "$cached")
export BENCH_APP_KDF_MS

# The same journal with one person brought to 5,000 entries: a one-person demo journal exported
# to JSON and imported (the import matches people by id, else by name, and the demo's first name
# is one of the big journal's people, so its entries join someone already there). Built once next
# to the core's cache; each launch then opens a copy.
export TOUCHPOINT_PASSPHRASE="bench passphrase: correct horse battery staple"
cli="$target/release/touchpoint"
cargo build --release -p touchpoint-cli
# The recipe number is part of the name: a change to how it is made rebuilds it.
app_journal="$data/app2-$(basename "$cached")"
# How many entries (not private: the JSON export leaves those out) `person` has in journal `$1`.
entries_of() { "$cli" --journal "$1" export --format json --person "$2" --out "$1.count.json" | grep -o '[0-9]\+' | head -1; rm -f "$1.count.json"; }
if [ ! -f "$app_journal/bench-app.json" ] || [ "$cached/journal.db" -nt "$app_journal/bench-app.json" ]; then
  rm -rf "$app_journal" "$app_journal.building"
  work="$app_journal.building"
  mkdir -p "$work"
  cp "$cached"/journal.key "$cached"/journal.db "$work/"
  "$cli" --journal "$work/one" init >/dev/null
  "$cli" --journal "$work/one" demo --people 1 --touchpoints 10 --anchor 2026-01-15 >/dev/null
  person=$("$cli" --journal "$work/one" --json person list | sed -n 's/^    "name": "\(.*\)",$/\1/p' | head -1)
  has=$(entries_of "$work" "$person")
  # About 3% of demo entries are private; ask for enough that the rest make up the difference.
  more=$(( (5000 - has) * 100 / 97 ))
  rm -rf "$work/one"
  "$cli" --journal "$work/one" init >/dev/null
  "$cli" --journal "$work/one" demo --people 1 --touchpoints "$more" --anchor 2026-01-15 >/dev/null
  "$cli" --journal "$work/one" export --format json --out "$work/one.json" >/dev/null
  # --yes: the demo's initiative merges by name into the big journal's, a change the import
  # otherwise stops to ask about.
  "$cli" --journal "$work" import --yes "$work/one.json"
  rm -rf "$work/one" "$work/one.json"
  printf '{"person":"%s","touchpoints":%s}\n' "$person" "$(entries_of "$work" "$person")" >"$work/bench-app.json"
  mv "$work" "$app_journal"
fi
BENCH_APP_PERSON=$(sed -n 's/.*"person":"\([^"]*\)".*/\1/p' "$app_journal/bench-app.json")
BENCH_APP_PERSON_TOUCHPOINTS=$(sed -n 's/.*"touchpoints":\([0-9]*\).*/\1/p' "$app_journal/bench-app.json")
export BENCH_APP_PERSON BENCH_APP_PERSON_TOUCHPOINTS

# Each launch opens a fresh copy (unlocking runs the journal's housekeeping, which writes).
export BENCH_APP_JOURNAL="$app_journal"
export BENCH_APP_TOUCHPOINTS="$touchpoints"
export BENCH_APP_HELLO="$target/release/touchpoint-hello"
export BENCH_APP_DEB=$(ls -t "$target"/release/bundle/deb/Touchpoint_*.deb | head -1)
export BENCH_APP_HELLO_DEB=$(ls -t "$target"/release/bundle/deb/Touchpoint?Hello_*.deb | head -1)
export TOUCHPOINT_APP="$target/release/touchpoint-app"
echo "== measuring"
tests/e2e/run.sh bench-app.mjs
