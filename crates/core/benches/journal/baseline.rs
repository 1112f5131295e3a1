//! The baseline process: the core's statements replayed, and its writes, on the plain copy.
//!
//! Nothing of the measuring process (SQLCipher's state, its connections and their page cache)
//! touches it. It times each request itself and answers with the time and the rows read.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use touchpoint_core::Journal;
use uuid::Uuid;

use crate::dataset::{ballast, counts_of};
use crate::workload;

fn open_plain(dir: &Path) -> Journal {
    Journal::open_for_bench(dir, None).expect("open the plain copy")
}

fn timed_rows(f: impl FnOnce() -> usize) -> Vec<String> {
    let start = Instant::now();
    let rows = f();
    vec![format!("{}\t{rows}", start.elapsed().as_nanos())]
}

fn number(text: &str) -> usize {
    text.parse().expect("a number")
}

/// The child's loop (`--baseline PLAIN_DIR`): one request a line on stdin, `verb<TAB>arguments`;
/// each answer ends with a line `.`. The plain journal is opened by the core without a key.
pub fn serve(plain_dir: &Path) {
    let ballast = ballast(&plain_dir.join("journal.db"));
    let mut journal = Some(open_plain(plain_dir));
    let mut sets: HashMap<String, Vec<String>> = HashMap::new();
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read a request");
        let f: Vec<&str> = line.split('\t').collect();
        let arg = |i: usize| f.get(i).copied().expect("request argument");
        let set = |i: usize| sets.get(arg(i)).expect("a defined statement set");
        let reply: Vec<String> = match f[0] {
            "quit" => break,
            "define" => {
                let statements: Vec<String> =
                    serde_json::from_str(arg(2)).expect("statements as JSON");
                sets.insert(arg(1).to_string(), statements);
                Vec::new()
            }
            // The statements on the open journal.
            "replay" => {
                let j = journal.as_ref().expect("open");
                timed_rows(|| j.replay(set(1)).expect("replay"))
            }
            // The statements on a journal opened just now (untimed).
            "fresh" => {
                journal = None;
                let j = journal.insert(open_plain(plain_dir));
                j.prepare_replay(set(1)).expect("prepare");
                timed_rows(|| j.replay(set(1)).expect("replay"))
            }
            // Opening, then the statements: both timed (their preparing is not).
            "open_replay" => {
                journal = None;
                let start = Instant::now();
                let j = journal.insert(open_plain(plain_dir));
                let open = start.elapsed();
                j.prepare_replay(set(1)).expect("prepare");
                let start = Instant::now();
                let rows = j.replay(set(1)).expect("replay");
                vec![format!("{}\t{rows}", (open + start.elapsed()).as_nanos())]
            }
            "trash_restore_replay" => {
                let j = journal.as_mut().expect("open");
                workload::trash_and_restore(j, Uuid::parse_str(arg(2)).expect("uuid"));
                timed_rows(|| j.replay(set(1)).expect("replay"))
            }
            "insert" => {
                let j = journal.as_mut().expect("open");
                let person = Uuid::parse_str(arg(1)).expect("uuid");
                timed_rows(|| {
                    workload::insert(j, person, number(arg(2)));
                    1
                })
            }
            "insert_replay" => {
                let j = journal.as_mut().expect("open");
                workload::insert(j, Uuid::parse_str(arg(2)).expect("uuid"), number(arg(3)));
                timed_rows(|| j.replay(set(1)).expect("replay"))
            }
            "counts" => {
                let j = journal.as_ref().expect("open");
                vec![counts_of(j.connection_for_bench())
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(",")]
            }
            "info" => {
                let j = journal.as_ref().expect("open");
                let version: String = j
                    .connection_for_bench()
                    .query_row("SELECT sqlite_version()", [], |r| r.get(0))
                    .expect("version");
                vec![version]
            }
            other => panic!("unknown request {other:?}"),
        };
        for l in reply {
            writeln!(out, "{l}").expect("answer");
        }
        writeln!(out, ".").expect("answer");
        out.flush().expect("answer");
    }
    drop(journal);
    drop(ballast);
}

/// The parent's side of the baseline process.
pub struct Baseline {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl Baseline {
    pub fn start(plain_dir: &Path) -> Baseline {
        let mut child = Command::new(std::env::current_exe().expect("the benchmark's own path"))
            .arg("--baseline")
            .arg(plain_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the baseline process");
        let input = child.stdin.take().expect("child stdin");
        let output = std::io::BufReader::new(child.stdout.take().expect("child stdout"));
        Baseline {
            child,
            input,
            output,
        }
    }

    /// Sends one request and returns the lines of its answer.
    pub fn ask(&mut self, request: &[&str]) -> Vec<String> {
        writeln!(self.input, "{}", request.join("\t")).expect("send a request");
        self.input.flush().expect("send a request");
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let n = self.output.read_line(&mut line).expect("read an answer");
            assert!(n > 0, "the baseline process stopped (request {request:?})");
            let line = line.trim_end_matches('\n').to_string();
            if line == "." {
                return lines;
            }
            lines.push(line);
        }
    }

    /// Hands the baseline a set of captured statements under `name`.
    pub fn define(&mut self, name: &str, statements: &[String]) {
        let json = serde_json::to_string(statements).expect("statements as JSON");
        self.ask(&["define", name, &json]);
    }

    /// Sends a timed request; returns the time the child measured and the rows it read.
    pub fn time(&mut self, request: &[&str]) -> (Duration, usize) {
        let answer = self.ask(request);
        let (nanos, rows) = answer
            .first()
            .and_then(|l| l.split_once('\t'))
            .expect("a timed answer");
        (
            Duration::from_nanos(nanos.parse().expect("nanoseconds")),
            rows.parse().expect("rows"),
        )
    }
}

impl Drop for Baseline {
    fn drop(&mut self) {
        let _ = writeln!(self.input, "quit");
        let _ = self.input.flush();
        let _ = self.child.wait();
    }
}
