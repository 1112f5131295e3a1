//! Fixtures: a fresh journal in a temporary folder and a way to run commands against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The passphrase every scenario journal is created with.
pub const PASS: &str = "correct horse battery staple";

/// A journal in a temporary folder, removed when dropped.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub recovery_code: String,
}

/// What a command printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// What a finished process printed and how it ended.
    pub fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "command failed\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts success and parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(self.ok())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// The command with no journal environment of the caller leaking in.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_touchpoint"));
    for var in [
        "TOUCHPOINT_JOURNAL",
        "TOUCHPOINT_PASSPHRASE",
        "TOUCHPOINT_NEW_PASSPHRASE",
        "TOUCHPOINT_RECOVERY_CODE",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(std::process::Stdio::null());
    cmd
}

impl Sandbox {
    /// A new journal, created through `touchpoint init`.
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Run::from(
            bare()
                .args(["--journal"])
                .arg(dir.path().join("j"))
                .args(["--json", "init"])
                .env("TOUCHPOINT_PASSPHRASE", PASS)
                .output()
                .expect("run init"),
        );
        let v = out.json();
        let recovery_code = v["recovery_code"]
            .as_str()
            .expect("recovery code printed")
            .to_string();
        Sandbox { dir, recovery_code }
    }

    /// The journal folder.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("j")
    }

    /// Runs a command with the right passphrase.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[("TOUCHPOINT_PASSPHRASE", PASS)])
    }

    /// Runs a command with the given environment.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = bare();
        cmd.arg("--journal").arg(self.path()).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run touchpoint"))
    }

    /// Adds a person and returns their id.
    pub fn person(&self, name: &str) -> String {
        self.run(&["person", "add", name]).ok().trim().to_string()
    }
}

/// Every file under `dir`, recursively.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A tiny RAM file system mounted for one test, unmounted when dropped (needs root).
pub struct TinyDisk(pub PathBuf);

impl TinyDisk {
    /// Mounts a tmpfs of `kib` KiB on a new temporary folder, or `None` when not permitted.
    pub fn mount(kib: u32) -> Option<TinyDisk> {
        let dir = tempfile::tempdir().ok()?.keep();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = std::fs::remove_dir(&dir);
        }
        ok.then_some(TinyDisk(dir))
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}
