//! Process and file hardening: no core dumps, files private to the user, journal folders tightened.
//!
//! The app and the CLI call [`harden_process`] first thing at start-up, before any secret is
//! read. The journal calls [`tighten_journal_folder`] when it creates or opens a folder, so that
//! a journal made by an older version (or copied in with loose permissions) is private too.

use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use rustix::fs::Mode;
use rustix::process::{self, DumpableBehavior, Resource, Rlimit};

use crate::{Error, Result};

/// Permission bits a folder of the journal keeps: the owner's only.
const PRIVATE_DIR: u32 = 0o700;

/// Permission bits every file the journal writes is created with.
pub(crate) const PRIVATE_FILE: u32 = 0o600;

/// The umask set by [`harden_process`]: nothing for the group or others.
const PRIVATE_UMASK: u32 = 0o077;

/// Files of a journal folder that [`tighten_journal_folder`] makes private when present.
const JOURNAL_FILES: &[&str] = &[
    "journal.db",
    "journal.db-wal",
    "journal.db-shm",
    "journal.db-journal",
    "journal.db.before-restore",
    "journal.key",
    "journal.lock",
];

/// Turns core dumps off and makes every file the process creates private to its user:
///
/// - `RLIMIT_CORE` soft and hard limits 0, so no core file is written on a crash, by this process
///   or by anything it starts (the webview's helper processes inherit the limit);
/// - `PR_SET_DUMPABLE` 0, so the process is neither dumped nor attachable by a debugger or
///   another process of the same user (`/proc/<pid>/mem`);
/// - umask 077, so SQLite's `-wal` and `-shm` files, backups and exports are created for the
///   user alone.
///
/// Call it once, first thing in `main`, before any secret is read. It fails only when the
/// kernel refuses one of the three; the caller should then refuse to start rather than run
/// unprotected.
pub fn harden_process() -> Result<()> {
    process::umask(Mode::from_bits_truncate(PRIVATE_UMASK));
    let none = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    process::setrlimit(Resource::Core, none)
        .map_err(|e| Error::io("cannot turn core dumps off (RLIMIT_CORE)", e.into()))?;
    process::set_dumpable_behavior(DumpableBehavior::NotDumpable)
        .map_err(|e| Error::io("cannot turn core dumps off (PR_SET_DUMPABLE)", e.into()))?;
    Ok(())
}

/// Makes a journal folder private to its owner: the folder itself 0700, its database, key,
/// lock and write-ahead files 0600, and the default backup folder and the files in it likewise.
/// Group and other permission bits are removed; the owner's are kept (a read-only key file
/// stays read-only).
///
/// Best effort: a file that is missing is skipped, a symbolic link is never followed (nor
/// changed), and a file system that cannot hold Unix permissions (a FAT memory stick) leaves
/// them as they are rather than making the journal impossible to open.
pub(crate) fn tighten_journal_folder(dir: &Path) {
    tighten(dir, PRIVATE_DIR);
    for name in JOURNAL_FILES {
        tighten(&dir.join(name), PRIVATE_FILE);
    }
    let backups = crate::vault::default_backup_dir(dir);
    tighten(&backups, PRIVATE_DIR);
    if let Ok(entries) = fs::read_dir(&backups) {
        for entry in entries.flatten() {
            tighten(&entry.path(), PRIVATE_FILE);
        }
    }
}

/// Removes the permission bits of `path` outside `allowed`, unless it is a symbolic link or
/// missing, or already private.
fn tighten(path: &Path, allowed: u32) {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & !allowed == 0 {
        return;
    }
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & allowed));
}

/// Creates an empty file private to its owner (0600) at `path` when nothing is there, so that a
/// file another library then opens (SQLite, which also gives its `-wal` and `-shm` files the
/// database's mode) never exists with wider permissions, whatever the process umask.
///
/// Nothing happens when something, a symbolic link included, is already at `path`; other
/// failures are left for the library that opens the file to report.
pub(crate) fn create_private_file(path: &Path) {
    let _ = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE_FILE)
        .open(path);
}

/// Opens a new file for writing, private to its owner (0600), refusing to reuse anything
/// already at `path`: a file, or a symbolic link (never followed, even a dangling one).
pub(crate) fn create_new_private(path: &Path) -> io::Result<fs::File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE_FILE)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// nextest runs each test in a process of its own, so this changes nothing for the others
    /// (under `cargo test` the whole test binary is then hardened, which harms no other test).
    #[test]
    fn harden_process_turns_core_dumps_off_and_sets_a_private_umask() {
        harden_process().expect("hardening succeeds");
        let core = process::getrlimit(Resource::Core);
        assert_eq!(
            (core.current, core.maximum),
            (Some(0), Some(0)),
            "no core file, and the limit cannot be raised again"
        );
        assert_eq!(
            process::dumpable_behavior().expect("PR_GET_DUMPABLE"),
            DumpableBehavior::NotDumpable
        );
        // umask(2) only reads by setting: put the value back at once.
        let umask = process::umask(Mode::from_bits_truncate(PRIVATE_UMASK));
        assert_eq!(umask.bits() & 0o777, 0o077);

        // What it means for files: a new file and folder are the owner's only.
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("plain"), b"x").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(mode(&dir.path().join("plain")), 0o600);
        assert_eq!(mode(&dir.path().join("sub")), 0o700);

        // Calling it again is harmless.
        harden_process().expect("hardening twice succeeds");
    }

    #[test]
    fn tightening_removes_group_and_other_bits_and_keeps_the_owners() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal");
        fs::create_dir(&journal).unwrap();
        fs::set_permissions(&journal, fs::Permissions::from_mode(0o755)).unwrap();
        for (name, m) in [
            ("journal.db", 0o644),
            ("journal.db-wal", 0o666),
            ("journal.key", 0o444),
            ("journal.lock", 0o640),
            ("notes.txt", 0o644),
        ] {
            let path = journal.join(name);
            fs::write(&path, b"x").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(m)).unwrap();
        }
        let backups = journal.join("backups");
        fs::create_dir(&backups).unwrap();
        fs::set_permissions(&backups, fs::Permissions::from_mode(0o775)).unwrap();
        let backup = backups.join("journal-20250101T000000000Z.db");
        fs::write(&backup, b"x").unwrap();
        fs::set_permissions(&backup, fs::Permissions::from_mode(0o644)).unwrap();
        // A link inside the folder is neither followed nor changed.
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, b"x").unwrap();
        fs::set_permissions(&outside, fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink(&outside, journal.join("journal.db-shm")).unwrap();

        tighten_journal_folder(&journal);

        assert_eq!(mode(&journal), 0o700);
        assert_eq!(mode(&journal.join("journal.db")), 0o600);
        assert_eq!(mode(&journal.join("journal.db-wal")), 0o600);
        assert_eq!(
            mode(&journal.join("journal.key")),
            0o400,
            "read-only stays read-only"
        );
        assert_eq!(mode(&journal.join("journal.lock")), 0o600);
        assert_eq!(mode(&backups), 0o700);
        assert_eq!(mode(&backup), 0o600);
        assert_eq!(
            mode(&journal.join("notes.txt")),
            0o644,
            "only the journal's own files are touched"
        );
        assert_eq!(mode(&outside), 0o644, "a symbolic link is not followed");

        // A missing folder is not an error.
        tighten_journal_folder(&dir.path().join("nowhere"));
    }

    #[test]
    fn private_files_are_created_0600_and_never_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        // Under the usual umask (022) a plain `File::create` would give 0644.
        let path = dir.path().join("new.db");
        create_private_file(&path);
        let made = create_new_private(&dir.path().join("export.partial"));
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("export.partial")), 0o600);
        drop(made.unwrap());

        // Something already there is left alone.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        create_private_file(&path);
        assert_eq!(mode(&path), 0o640);

        let target = dir.path().join("target.txt");
        fs::write(&target, b"keep me").unwrap();
        let link = dir.path().join("link.partial");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = create_new_private(&link).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        let dangling = dir.path().join("dangling.partial");
        std::os::unix::fs::symlink(dir.path().join("not-there"), &dangling).unwrap();
        assert!(create_new_private(&dangling).is_err());
        assert!(
            !dir.path().join("not-there").exists(),
            "a dangling link's target is not created"
        );
        assert_eq!(fs::read(&target).unwrap(), b"keep me");
    }

    // -----------------------------------------------------------------------------------------
    // The journal's own files

    fn journal_pass() -> crate::secret::Passphrase {
        crate::secret::Passphrase::new("harbour quietly lantern mosaic".into())
    }

    /// Every file of a journal folder (and of its backup folder) with its mode, links skipped.
    fn modes(dir: &Path) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let name = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((name, mode(&path)));
            if path.is_dir() {
                for inner in fs::read_dir(&path).unwrap().flatten() {
                    let name = inner
                        .path()
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.push((name, mode(&inner.path())));
                }
            }
        }
        out.sort();
        out
    }

    /// A new journal is private even in a process that never called [`harden_process`] and
    /// has the usual umask (022), as a library user or a test would.
    #[test]
    fn a_new_journal_is_private_whatever_the_umask() {
        process::umask(Mode::from_bits_truncate(0o022));
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("journal");
        let (journal, _code) = crate::Journal::init(&dir, &journal_pass()).unwrap();

        assert_eq!(mode(&dir), 0o700, "the journal folder");
        let files = modes(&dir);
        for name in [
            "journal.db",
            "journal.db-wal",
            "journal.db-shm",
            "journal.key",
            "journal.lock",
        ] {
            assert!(
                files.iter().any(|(n, _)| n == name),
                "{name} exists while the journal is open: {files:?}"
            );
        }
        for (name, m) in &files {
            assert_eq!(*m, 0o600, "{name} is the owner's only");
        }
        drop(journal);
    }

    /// A journal whose files were left readable by others (an older version, a copy) is made
    /// private when it is opened, its backups included.
    #[test]
    fn opening_a_journal_tightens_loose_permissions() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("journal");
        let (journal, _code) = crate::Journal::init(&dir, &journal_pass()).unwrap();
        journal.backup(chrono::Utc::now()).unwrap();
        drop(journal);

        let loosen = |path: &Path| {
            let m = if path.is_dir() { 0o755 } else { 0o644 };
            fs::set_permissions(path, fs::Permissions::from_mode(m)).unwrap();
        };
        loosen(&dir);
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            loosen(&entry.path());
        }
        let backups = crate::vault::default_backup_dir(&dir);
        for entry in fs::read_dir(&backups).unwrap().flatten() {
            loosen(&entry.path());
        }
        let before = modes(&dir);
        assert!(before
            .iter()
            .any(|(n, m)| n == "journal.key" && *m == 0o644));
        assert!(before
            .iter()
            .any(|(n, m)| n.starts_with("backups/") && *m == 0o644));

        let journal = crate::Journal::open(&dir, &journal_pass()).unwrap();
        assert_eq!(mode(&dir), 0o700, "the journal folder");
        let after = modes(&dir);
        assert!(
            after.iter().any(|(n, _)| n == "journal.db-wal"),
            "{after:?}"
        );
        for (name, m) in &after {
            let want = if dir.join(name).is_dir() {
                0o700
            } else {
                0o600
            };
            assert_eq!(*m, want, "{name} after opening");
        }
        drop(journal);
    }

    #[test]
    fn the_key_statement_is_exact_and_made_in_one_allocation() {
        let key = crate::secret::DataKey::generate();
        let sql = crate::vault::key_statement(&key);
        let expected = format!("PRAGMA key = \"x'{}'\";", hex::encode(key.expose()));
        assert_eq!(sql.as_str(), expected);
        assert_eq!(
            sql.capacity(),
            sql.len(),
            "exactly sized: the string never grew and left a copy behind"
        );
    }
}
