//! Declares the app's own commands to Tauri's access control, so capabilities/default.json
//! decides which of them the window may call, and checks the built UI is there to embed.

use std::path::Path;

include!("src/commands/names.rs");

/// The built UI that `tauri::generate_context!` embeds (`build.frontendDist`).
const UI_DIST: &str = "../ui/dist";

fn main() {
    println!("cargo:rerun-if-changed=src/commands/names.rs");
    // `generate_context!` embeds the UI only when this crate compiles: rerun (and so recompile)
    // whenever the built UI changes, or the app would ship a stale one.
    println!("cargo:rerun-if-changed={UI_DIST}");
    if !Path::new(UI_DIST).join("index.html").is_file() {
        panic!(
            "ui/dist/index.html is missing: the app embeds the built UI, so build it first \
             (`cd ui && npm ci && npm run build`, or `make ui-build`)"
        );
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
