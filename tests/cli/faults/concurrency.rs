//! Concurrency: while one process has the journal open, a second one is refused with "in use"
//! (exit code 5) and changes nothing; once the first is gone, the second gets in.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use touchpoint_core::model::NewPerson;
use touchpoint_core::secret::Passphrase;
use touchpoint_core::Journal;

use crate::util::{Sandbox, PASS};

#[test]
fn a_second_process_is_refused_while_the_first_writes() {
    let s = Sandbox::new();
    {
        let mut j = Journal::open(&s.path(), &Passphrase::new(PASS.to_string())).expect("open");
        j.add_person(NewPerson {
            name: "Ana Busy".into(),
            ..Default::default()
        })
        .expect("person");
    }
    let expect = s.dir.path().join("none.txt");
    std::fs::write(&expect, "").expect("ids file");
    // The first process: the crash test's writer, writing in a loop until killed.
    let mut first = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "faults::crash::writer_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TOUCHPOINT_FAULT_WRITER_DIR", s.path())
        .env("TOUCHPOINT_FAULT_WRITER_EXPECT", &expect)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the first process");
    let mut out = BufReader::new(first.stdout.take().expect("stdout"));
    let mut line = String::new();
    while line.trim_end() != "ready" {
        line.clear();
        assert!(
            out.read_line(&mut line).expect("read") > 0,
            "the first process stopped before it was ready"
        );
    }
    for args in [
        &["person", "list"][..],
        &["person", "add", "Bo Second"],
        &["backup"],
        &["verify"],
    ] {
        let second = s.run(args);
        assert_eq!(second.code, 5, "{args:?}: {}", second.stderr);
        assert!(
            second.stderr.contains("journal is open elsewhere"),
            "{args:?}: {}",
            second.stderr
        );
    }
    let in_process = Journal::open(&s.path(), &Passphrase::new(PASS.to_string()));
    assert!(
        matches!(in_process, Err(touchpoint_core::Error::InUse { .. })),
        "the app's open call is refused too: {in_process:?}"
    );
    first.kill().expect("stop the first process");
    first.wait().expect("reap");
    let people = s.run(&["person", "list"]);
    assert!(
        people.ok().contains("Ana Busy") && !people.stdout.contains("Bo Second"),
        "the refused command wrote nothing: {}",
        people.stdout
    );
}
