//! No network: no HTTP, TLS, WebSocket or QUIC client is linked into the app or the CLI, and
//! the CLI's whole workflow runs unchanged in a network namespace with no interfaces.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Run, PASS};

/// Crates that exist to talk to other machines. The list names clients and protocol stacks
/// rather than building blocks: `tokio` is in the tree with its `net` feature (Tauri's
/// single-instance plugin talks D-Bus over a Unix socket through it), and `http`, `url` and
/// `soup3` are the webview's types for serving the app's own `tauri://` pages, so a denylist
/// of those would fail on things that never open a connection. `openssl-sys` is allowed: it is
/// SQLCipher's cipher, built from source, with no TLS crate above it (`openssl`, `native-tls`).
const NETWORK_CRATES: &[&str] = &[
    // HTTP clients and servers.
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-tls",
    "hyper-rustls",
    "h2",
    "h3",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "http-client",
    "attohttpc",
    "minreq",
    "ehttp",
    "awc",
    "actix-http",
    "axum",
    "warp",
    "tiny_http",
    // TLS: nothing offline needs a certificate store.
    "native-tls",
    "tokio-native-tls",
    "openssl",
    "rustls",
    "tokio-rustls",
    "webpki-roots",
    "rustls-webpki",
    "rustls-native-certs",
    // WebSockets, QUIC, DNS.
    "tungstenite",
    "tokio-tungstenite",
    "async-tungstenite",
    "quinn",
    "quinn-proto",
    "trust-dns-resolver",
    "hickory-resolver",
    // Tauri plugins whose purpose is the network.
    "tauri-plugin-http",
    "tauri-plugin-updater",
    "tauri-plugin-websocket",
    "tauri-plugin-upload",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn no_networking_crate_in_the_app_or_the_cli() {
    let out = Command::new(option_env!("CARGO").unwrap_or("cargo"))
        .current_dir(workspace_root())
        .args([
            "tree",
            "--offline",
            "--locked",
            "-p",
            "touchpoint-app",
            "-p",
            "touchpoint-cli",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: std::collections::BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        names.contains("touchpoint-core") && names.contains("tauri") && names.len() > 100,
        "cargo tree listed the real dependency tree ({} crates)",
        names.len()
    );
    let found: Vec<&str> = NETWORK_CRATES
        .iter()
        .copied()
        .filter(|c| names.contains(c))
        .collect();
    assert!(
        found.is_empty(),
        "networking crates in the app or CLI: {found:?}; see `cargo tree -i <crate>`"
    );
}

/// Runs the CLI inside a fresh network namespace (`unshare -n`), which has only a loopback
/// interface that is down: any attempt to reach another machine fails there.
fn offline(journal: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new("unshare");
    cmd.arg("-n")
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_touchpoint"))
        .arg("--journal")
        .arg(journal)
        .args(args)
        .env("TOUCHPOINT_PASSPHRASE", PASS)
        .env_remove("TOUCHPOINT_JOURNAL")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run unshare"))
}

#[test]
fn the_cli_workflow_runs_in_a_namespace_without_network() {
    let probe = Command::new("unshare")
        .args(["-n", "cat", "/proc/net/dev"])
        .output();
    let interfaces = match probe {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            eprintln!(
                "skipped: `unshare -n` is not permitted here (needs root or user namespaces)"
            );
            return;
        }
    };
    let names: Vec<&str> = interfaces
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .collect();
    assert_eq!(names, ["lo"], "the namespace has no interface but loopback");

    let root = tempfile::tempdir().expect("tmp");
    let j = root.path().join("j");
    let init = offline(&j, &["--json", "init"], &[]).json();
    assert!(init["recovery_code"].is_string());
    offline(
        &j,
        &["person", "add", "Ana Offline", "--email", "ana@example.com"],
        &[],
    )
    .ok();
    offline(
        &j,
        &[
            "add",
            "--kind",
            "one_on_one",
            "--with",
            "Ana Offline",
            "--notes",
            "talked about the offline roadmap",
            "--willingness",
            "1",
            "--ability",
            "-1",
        ],
        &[],
    )
    .ok();
    let hits = offline(&j, &["--json", "search", "roadmap"], &[]).json();
    assert_eq!(hits.as_array().expect("hits").len(), 1, "{hits}");
    let bundle = root.path().join("out.touchpoint");
    let bundle = bundle.to_str().expect("utf8");
    let pass = [("TOUCHPOINT_EXPORT_PASSPHRASE", "bundle passphrase here")];
    offline(
        &j,
        &["export", "--format", "bundle", "--out", bundle],
        &pass,
    )
    .ok();
    let html = root.path().join("report.html");
    offline(
        &j,
        &[
            "export",
            "--format",
            "html",
            "--out",
            html.to_str().expect("utf8"),
        ],
        &[],
    )
    .ok();
    let j2 = root.path().join("j2");
    offline(&j2, &["init"], &[]).ok();
    let imported = offline(&j2, &["--json", "import", bundle], &pass).json();
    assert_eq!(imported["touchpoints"]["added"], 1, "{imported}");
    assert_eq!(
        offline(&j2, &["--json", "balance", "Ana Offline"], &[]).json()["balance"],
        offline(&j, &["--json", "balance", "Ana Offline"], &[]).json()["balance"],
        "the imported journal tells the same story"
    );
    offline(&j, &["verify"], &[]).ok();
    offline(&j2, &["verify"], &[]).ok();
}
