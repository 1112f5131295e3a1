#!/usr/bin/env bash
# Installs what `make run` and `make test` need on a fresh Debian/Ubuntu machine, skipping
# whatever is already there. Usage: scripts/deps.sh run|test|screenshots
set -euo pipefail

want="${1:-test}"
extra=()
# `make screenshots` drives the app like the tests and pictures the X screen with ImageMagick.
if [ "$want" = screenshots ]; then
  want=test
  extra=(imagemagick)
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# System packages: the SQLCipher build needs a C toolchain and perl (vendored OpenSSL);
# the desktop app needs WebKitGTK; its end-to-end tests need Xvfb and WebKitWebDriver.
apt_pkgs=(build-essential pkg-config perl file)
case "$want" in
  run|test) apt_pkgs+=(libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev) ;;
esac
# keyutils: `keyctl session` gives the unlock-session scenarios a keyring of their own.
[ "$want" = test ] && apt_pkgs+=(xvfb webkit2gtk-driver xauth dbus-x11 keyutils)
apt_pkgs+=("${extra[@]}")

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "deps: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
if [ "$want" = test ]; then
  cargo nextest --version >/dev/null 2>&1 || cargo install cargo-nextest --locked
  # The importers' fuzz targets (make fuzz-smoke); run on stable with RUSTC_BOOTSTRAP=1.
  cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked --version '^0.13'
  # Crates.io also serves Tauri 3 alphas; the driver must match Tauri 2.
  command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version '^2'
  # Licence and ban checks (make deny); 0.20.2 builds with rustc 1.95 and checks offline.
  cargo deny --version >/dev/null 2>&1 || cargo install cargo-deny --locked --version 0.20.2
fi

# The UI is built with the machine's Node.js (20 or newer).
if ! command -v npm >/dev/null; then
  echo "deps: installing Node.js"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi
install_npm() { # folder: install exactly the locked packages when node_modules is missing or stale
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
install_npm ui
[ "$want" = test ] && install_npm tests/e2e
true
