#!/usr/bin/env bash
# Runs the end-to-end specs (or the script given) against the real debug app: Xvfb for a display, tauri-driver in
# front of WebKitWebDriver, and a fresh journal folder the app is pointed at.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
export TOUCHPOINT_APP="${TOUCHPOINT_APP:-$root/target/debug/touchpoint-app}"
[ -x "$TOUCHPOINT_APP" ] || { echo "e2e: build the app first ($TOUCHPOINT_APP missing)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A display of our own, so a developer's session or another run is never disturbed.
display=$((90 + RANDOM % 9))
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$display"
export WEBKIT_DISABLE_COMPOSITING_MODE=1
# The app keeps its own data (window state, demo journal) under this home, not the user's.
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config"
mkdir -p "$HOME"
export TOUCHPOINT_E2E_WORK="$work"
# The debug app answers its file dialogs from this file (WebDriver cannot reach native dialogs).
export TOUCHPOINT_E2E_PICKS="$work/picks"
: >"$TOUCHPOINT_E2E_PICKS"
# While this file exists the debug app writes its reminders into it instead of showing them (Xvfb has
# no notification service) and treats them as clicked; only the reminder spec creates it.
export TOUCHPOINT_E2E_NOTIFICATIONS="$work/notifications"
# The app opens (or offers to create) the journal here instead of the default folder.
export TOUCHPOINT_JOURNAL="$work/journal"

port=$((4444 + RANDOM % 500))
export TAURI_DRIVER_PORT=$port
tauri-driver --port "$port" --native-port $((port + 1000)) >"$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done

status=0
if [ "$#" -gt 0 ]; then
  node "$@" || status=$?          # a script of its own, e.g. screenshots.mjs
else
  node --test --test-concurrency=1 --test-reporter=spec specs/ || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "--- tauri-driver log ---"; tail -50 "$work/driver.log" || true
fi
exit "$status"
