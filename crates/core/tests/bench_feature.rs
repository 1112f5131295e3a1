//! The core's `bench` feature opens journals over plain SQLite files: nothing that ships may
//! turn it on.

use std::path::Path;

/// Every manifest that can depend on the core, read as text: the workspace's, the CLI's, the
/// app's and the fuzz targets'.
fn manifests() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        "Cargo.toml",
        "crates/cli/Cargo.toml",
        "src-tauri/Cargo.toml",
        "fuzz/Cargo.toml",
    ]
    .iter()
    .map(|m| {
        let text =
            std::fs::read_to_string(root.join(m)).unwrap_or_else(|e| panic!("read {m}: {e}"));
        (m.to_string(), text)
    })
    .collect()
}

#[test]
fn nothing_that_ships_turns_on_the_bench_feature() {
    for (name, text) in manifests() {
        for line in text.lines().filter(|l| l.contains("touchpoint-core")) {
            assert!(
                !line.contains("features") && !line.contains("bench"),
                "{name} turns on a feature of the core: {line}"
            );
        }
        assert!(
            !text.contains("touchpoint-core/bench") && !text.contains("\"bench\""),
            "{name} turns on the core's bench feature"
        );
    }
}
