//! Writes: a durable insert beside the disk's fsync floor, encrypted export and import.

use std::fs;
use std::ops::ControlFlow;

use touchpoint_core::exchange::{self, Encryption, ExportFormat, ExportOptions};
use touchpoint_core::Journal;

use crate::dataset::{copy_journal, passphrase};
use crate::measure::{measure, timed, Plan, Probe};
use crate::report::{figure, write_figure, Stat};
use crate::run::Run;
use crate::workload;

/// The floor of any durable commit on this disk: one 4 KiB write made durable.
pub fn fsync_floor(run: &Run, plan: &Plan) {
    let probe_file = run.dir.join("fsync-probe");
    let mut file = fs::File::create(&probe_file).expect("fsync probe");
    let page = [0x5a_u8; 4096];
    let mut probes: Vec<Probe<'_>> = vec![Box::new(|_| {
        use std::io::Write;
        timed(|| {
            file.write_all(&page).expect("write");
            file.sync_data().expect("fdatasync")
        })
    })];
    let s = measure("fsync", plan, &mut probes);
    drop(probes);
    drop(file);
    let _ = fs::remove_file(&probe_file);
    run.push(figure(
        "(floor) one 4 KiB write + fdatasync on this disk",
        &s,
        None,
        false,
    ));
}

/// A touchpoint with its reflection, made durable: the core on the journal and on the plain
/// copy.
pub fn insert(run: &Run, plan: &Plan) {
    let label = "durable insert of a touchpoint with reflection";
    eprintln!("measuring: {label}");
    let person = run.people[0];
    let person_text = person.to_string();
    let mut probes: Vec<Probe<'_>> = vec![
        Box::new(|r| {
            let mut j = run.journal_mut();
            timed(|| workload::insert(&mut j, person, r))
        }),
        Box::new(|r| run.remote(&["insert", &person_text, &r.to_string()])),
    ];
    let s = measure(label, plan, &mut probes);
    run.push(write_figure(
        label,
        &s[0],
        Some(&s[1]),
        Some((5.0, Stat::Median)),
    ));
}

/// Encrypted export (a bundle to a key) and its import into an empty journal.
pub fn export_import(run: &Run, plan: &Plan) {
    eprintln!("measuring: encrypted export and import");
    let pass = passphrase();
    let template = run.dir.join("import-template");
    let target_key = {
        let (j, _code) = Journal::init(&template, &pass).expect("init the import journal");
        j.public_key().expect("public key")
    };
    let bundle = run.dir.join("export.tpbundle");
    let encryption = Encryption::Recipients(vec![target_key]);
    let export_once = || {
        let _ = fs::remove_file(&bundle);
        let j = run.journal();
        timed(|| {
            exchange::export(
                &j,
                &ExportOptions::default(),
                ExportFormat::Bundle,
                Some(&encryption),
                &bundle,
                &mut |_| ControlFlow::Continue(()),
            )
            .expect("export")
        })
    };
    let mut probes: Vec<Probe<'_>> = vec![Box::new(|_| export_once())];
    let s = measure("export", plan, &mut probes);
    drop(probes);
    run.push(figure(
        "encrypted export (age bundle, everything)",
        &s,
        Some((3000.0, Stat::Median)),
        true,
    ));
    if !bundle.exists() {
        export_once();
    }
    let bytes = fs::read(&bundle).expect("read the bundle");
    eprintln!(
        "  bundle: {:.1} MiB",
        bytes.len() as f64 / (1024.0 * 1024.0)
    );
    let mut probes: Vec<Probe<'_>> = vec![Box::new(|r| {
        let dir = run.dir.join(format!("import-{r}"));
        copy_journal(&template, &dir);
        let mut target = Journal::open(&dir, &pass).expect("open the import journal");
        // What `touchpoint import` does with a bundle: decrypt with the journal's key, check,
        // merge in one transaction.
        let took = timed(|| {
            let doc = exchange::open_bundle(&bytes, exchange::Unlock::Identity(&target))
                .expect("open the bundle");
            target
                .import_document(&doc, &mut |_| ControlFlow::Continue(()))
                .expect("import")
        });
        drop(target);
        let _ = fs::remove_dir_all(&dir);
        took
    })];
    let s = measure("import", plan, &mut probes);
    run.push(write_figure(
        "import of that bundle into an empty journal",
        &s[0],
        None,
        Some((5000.0, Stat::Median)),
    ));
    let _ = fs::remove_file(&bundle);
}
