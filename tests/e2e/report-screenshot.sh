#!/usr/bin/env bash
# Renders the HTML report of a small demo journal in headless Chromium: the screenshot shows what
# a coach sees when they open an exported report in any browser. Usage: report-screenshot.sh OUT.png
set -euo pipefail
out=${1:?usage: report-screenshot.sh OUT.png}
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/target/debug/touchpoint"
[ -x "$cli" ] || { echo "build the CLI first ($cli missing)" >&2; exit 1; }
if ! command -v chromium >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TOUCHPOINT_PASSPHRASE="report screenshot passphrase"
"$cli" --journal "$work/journal" init >/dev/null
"$cli" --journal "$work/journal" demo --people 12 --touchpoints 400 --seed 3 >/dev/null
"$cli" --journal "$work/journal" export --format html --out "$work/report.html" \
  --person "Ana Alvarez" --person "Chidi Okafor" --pseudonymise >/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 \
  --screenshot="$out" "file://$work/report.html" 2>/dev/null
echo "saved $out"
