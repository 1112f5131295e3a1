//! Tauri's build step: embeds the page and the capability of the hello window.

fn main() {
    tauri_build::build();
}
