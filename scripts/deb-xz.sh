#!/usr/bin/env bash
# Repacks each .deb given, which the Tauri bundler writes with its files in gzip, with xz
# (Debian's own default) at level 9, whose 64 MiB window finds what the app and the command
# line share: the .deb carries both and must stay under 15 MB (DESIGN.md section 9). Same
# files, modes and control data; owned by root.
set -euo pipefail
for deb in "$@"; do
  work=$(mktemp -d)
  dpkg-deb -R "$deb" "$work/root"
  dpkg-deb --root-owner-group -Zxz -z9 -b "$work/root" "$work/repacked.deb" >/dev/null
  mv "$work/repacked.deb" "$deb"
  rm -rf "$work"
done
