//! Session lengths, the entry's payload and the binding to one journal, without the keyring
//! (the keyring itself is exercised by the CLI scenarios inside a session keyring of their own).

use std::time::Duration;

use super::*;

#[test]
fn lengths_are_read_in_seconds_minutes_and_hours() {
    let secs = |t: &str| parse_duration(t).unwrap().as_secs();
    assert_eq!(secs("15m"), 900);
    assert_eq!(secs("15"), 900);
    assert_eq!(secs("90s"), 90);
    assert_eq!(secs("2h"), 7200);
    assert_eq!(secs("1h30m"), 5400);
    assert_eq!(secs("8h"), 8 * 3600);
    assert_eq!(secs("1s"), 1);
}

#[test]
fn zero_too_long_and_unreadable_lengths_are_refused() {
    for bad in ["0", "0m", "8h1s", "9999h", "", "ten", "5d", "-5m", "1.5h"] {
        let e = parse_duration(bad).unwrap_err();
        assert!(matches!(e, SessionError::Duration(_)), "{bad}: {e}");
    }
    assert!(parse_duration("9999h")
        .unwrap_err()
        .to_string()
        .contains("at most 8 hours"));
    assert!(parse_duration("0")
        .unwrap_err()
        .to_string()
        .contains("touchpoint lock"));
}

#[test]
fn lengths_are_described_in_words() {
    assert_eq!(describe(Duration::from_secs(900)), "15 minutes");
    assert_eq!(describe(Duration::from_secs(5400)), "1 hour 30 minutes");
    assert_eq!(describe(Duration::from_secs(1)), "1 second");
}

fn payload() -> Payload {
    Payload {
        binding: [7; DIGEST_LEN],
        opened: 1_700_000_000,
        expires: 1_700_000_900,
        key: DataKey::generate(),
    }
}

#[test]
fn a_payload_reads_back_as_written() {
    let p = payload();
    let back = Payload::decode(&p.encode()).unwrap();
    assert_eq!(back.binding, p.binding);
    assert_eq!((back.opened, back.expires), (p.opened, p.expires));
    assert_eq!(back.key.expose(), p.key.expose());
}

#[test]
fn a_payload_of_the_wrong_length_or_version_is_refused() {
    let bytes = payload().encode();
    assert!(Payload::decode(&bytes[..bytes.len() - 1]).is_err());
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert!(Payload::decode(&longer).is_err());
    assert!(Payload::decode(&[]).is_err());
    let mut other = bytes.to_vec();
    other[0] = 9;
    assert!(Payload::decode(&other)
        .unwrap_err()
        .contains("another version"));
}

#[test]
fn the_binding_changes_with_the_passphrase_and_the_name_with_a_copy_or_a_restore() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal");
    let pass = Passphrase::new("correct horse battery staple session".into());
    let (journal, _code) = Journal::init(&path, &pass).unwrap();
    let name = entry_name(&path).unwrap();
    let before = binding(&path, &name).unwrap();
    assert_eq!(
        binding(&path, &name).unwrap(),
        before,
        "stable while nothing changes"
    );

    // A new passphrase rewrites the key file: the old session no longer matches.
    let new = Passphrase::new("a different long passphrase for the session test".into());
    journal.change_passphrase(&pass, &new).unwrap();
    assert_ne!(binding(&path, &name).unwrap(), before);
    drop(journal);

    // A copy of the folder is another journal, with another entry.
    let copy = dir.path().join("copy");
    fs::create_dir(&copy).unwrap();
    for file in fs::read_dir(&path).unwrap() {
        let file = file.unwrap();
        if file.file_type().unwrap().is_file() {
            fs::copy(file.path(), copy.join(file.file_name())).unwrap();
        }
    }
    assert_ne!(entry_name(&copy).unwrap(), name);

    // A database file put in place of the old one (as a restore does) is another journal too.
    let db = db_path(&path);
    let staged = path.join("journal.db.staged");
    fs::copy(&db, &staged).unwrap();
    fs::rename(&staged, &db).unwrap();
    assert_ne!(entry_name(&path).unwrap(), name);
}

#[test]
fn a_stale_entry_is_told_apart_from_a_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal");
    let pass = Passphrase::new("correct horse battery staple session".into());
    let (journal, _code) = Journal::init(&path, &pass).unwrap();
    let name = entry_name(&path).unwrap();
    let now = Utc::now().timestamp();
    let good = Payload {
        binding: binding(&path, &name).unwrap(),
        opened: now,
        expires: now + 60,
        key: DataKey::generate(),
    };
    assert!(check(&path, &name, &good).unwrap().is_ok());
    let expired = Payload {
        expires: now - 1,
        ..Payload::decode(&good.encode()).unwrap()
    };
    assert_eq!(
        check(&path, &name, &expired).unwrap().unwrap_err(),
        "it has expired"
    );
    let other = Payload {
        binding: [0; DIGEST_LEN],
        ..Payload::decode(&good.encode()).unwrap()
    };
    assert!(check(&path, &name, &other)
        .unwrap()
        .unwrap_err()
        .contains("key file has changed"));
    drop(journal);
}
