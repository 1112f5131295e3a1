//! Authentic reviews and careful imports: every refusal leaves the journal as it was.

use super::*;
use crate::exchange::bundle::encrypt;

/// A leader with the fixture, a coach, and the bundle the leader sent the coach.
struct Exchange {
    dir: tempfile::TempDir,
    leader: Journal,
    coach: Journal,
    _coach_dir: tempfile::TempDir,
    f: Fixture,
    bundle: Vec<u8>,
}

fn exchange() -> Exchange {
    let (dir, mut leader) = journal();
    let f = fixture(&mut leader);
    let (coach_dir, coach) = journal();
    let summary = export_to(
        &leader,
        &ExportOptions::default(),
        ExportFormat::Bundle,
        Some(&Encryption::Recipients(vec![coach
            .public_key()
            .expect("coach key")])),
        &dir.path().join("for-coach"),
    );
    let bundle = std::fs::read(&summary.files[0]).expect("read");
    Exchange {
        dir,
        leader,
        coach,
        _coach_dir: coach_dir,
        f,
        bundle,
    }
}

impl Exchange {
    /// The coach's review of the bundle, with one comment on the one-on-one.
    fn review(&self, text: &str) -> Vec<u8> {
        let mut session =
            ReviewSession::open(&self.bundle, Unlock::Identity(&self.coach)).expect("open");
        session.annotate(self.f.one_on_one, text).expect("annotate");
        let path = session
            .export_review(
                "Coach Carol",
                &self.dir.path().join(format!("r{}", text.len())),
            )
            .expect("write review");
        std::fs::read(path).expect("read review")
    }

    /// The review JSON inside a review file.
    fn review_document(&self, sealed: &[u8]) -> ReviewDocument {
        match Opened::open_with_key(sealed, &self.leader.identity().expect("key")).expect("open") {
            Opened::Review(r) => r,
            Opened::Export(_) => panic!("a review"),
        }
    }

    /// A review file made by hand, encrypted to the leader's key.
    fn seal(&self, review: &ReviewDocument) -> Vec<u8> {
        let key = self.leader.public_key().expect("key");
        encrypt(
            &serde_json::to_vec(review).expect("json"),
            &Encryption::Recipients(vec![key]),
        )
        .expect("seal")
    }

    /// Imports through the one entry point the app and CLI use.
    fn import(&mut self, bytes: &[u8], confirmed: bool) -> Result<ImportOutcome, ExchangeError> {
        import_file(
            &mut self.leader,
            bytes,
            None,
            None,
            Utc::now(),
            confirmed,
            &mut go,
        )
    }

    /// The leader's journal as a full JSON export (less its time of export), and every row.
    fn state(&self) -> (Value, Vec<String>) {
        let mut doc = value(&json_doc(&self.leader, &ExportOptions::default()));
        doc["exported_at"] = Value::Null;
        (doc, dump(&self.leader))
    }
}

/// Asserts `bytes` are refused with `code` and the journal is exactly as it was.
fn refused(x: &mut Exchange, bytes: &[u8], code: &str) -> ExchangeError {
    let before = x.state();
    let preview = preview_file(&x.leader, bytes, None, None, Utc::now(), &mut go);
    assert_eq!(
        preview.as_ref().map_err(|e| e.code()).err(),
        Some(code),
        "the preview refuses too: {preview:?}"
    );
    let err = x.import(bytes, true).expect_err("refused");
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(x.state(), before, "a refused import changes nothing");
    err
}

#[test]
fn a_review_answering_a_sent_bundle_adds_its_comments_with_their_source() {
    let mut x = exchange();
    let review = x.review("Good repair after the on-call talk.");
    let preview =
        preview_file(&x.leader, &review, None, None, Utc::now(), &mut go).expect("preview");
    assert_eq!(preview.document, "review");
    assert!(!preview.needs_confirmation, "a review only adds");
    assert_eq!(preview.counts.annotations.added, 1);
    let coach_key = x.coach.public_key().expect("key");
    assert_eq!(
        preview.reviewer_fingerprint.as_deref(),
        Some(key_fingerprint(&coach_key).as_str())
    );

    let before = json_doc(&x.leader, &ExportOptions::default());
    let Ok(ImportOutcome::Review(summary)) = x.import(&review, false) else {
        panic!("a review goes through without confirmation");
    };
    assert_eq!(summary.annotations.added, 1);
    assert_eq!(summary.reviewer_fingerprint, key_fingerprint(&coach_key));
    let after = json_doc(&x.leader, &ExportOptions::default());
    assert_eq!(
        (
            &before.people,
            &before.touchpoints,
            &before.reflections,
            &before.commitments,
            &before.topics
        ),
        (
            &after.people,
            &after.touchpoints,
            &after.reflections,
            &after.commitments,
            &after.topics
        ),
        "a review changes no entry, reflection, commitment, topic or person"
    );
    assert_eq!(after.annotations.len(), before.annotations.len() + 1);

    let notes = x.leader.entry_annotations(x.f.one_on_one).expect("notes");
    let source = notes[0].source.clone().expect("a source");
    assert_eq!(source.reviewer_key, coach_key);
    assert_eq!(source.fingerprint, key_fingerprint(&coach_key));
    assert_eq!(source.fingerprint.len(), 19, "four groups of four");
    assert_eq!(Some(source.export_id), x.review_document(&review).export_id);
    let today = x
        .leader
        .new_annotations_since(Utc::now() - Duration::minutes(1))
        .expect("today");
    assert_eq!(today[0].source.as_ref(), Some(&source));
}

#[test]
fn a_review_replayed_adds_nothing_and_changes_nothing() {
    let mut x = exchange();
    let review = x.review("Once only.");
    x.import(&review, false).expect("first");
    let before = x.state();
    let Ok(ImportOutcome::Review(again)) = x.import(&review, false) else {
        panic!("a replay is not an error");
    };
    assert_eq!(again.annotations.added, 0);
    assert_eq!(again.annotations.unchanged, 1);
    assert_eq!(x.state(), before, "the journal is as it was");
    assert_eq!(
        x.leader.entry_annotations(x.f.one_on_one).expect("n").len(),
        1
    );
}

#[test]
fn a_plain_json_review_is_refused_and_imports_nothing() {
    let mut x = exchange();
    let sealed = x.review("Looks fine.");
    let plain = serde_json::to_vec(&x.review_document(&sealed)).expect("json");
    let err = refused(&mut x, &plain, "review_not_encrypted");
    assert!(
        err.to_string().contains("anyone could have written it"),
        "{err}"
    );
    assert_eq!(
        x.leader.import_review(&plain).map_err(|e| e.code()).err(),
        Some("review_not_encrypted")
    );
}

#[test]
fn a_forged_review_for_an_unknown_or_no_export_is_refused() {
    let mut x = exchange();
    let sealed = x.review("Real comment.");
    let real = x.review_document(&sealed);

    // Anyone holding the leader's public key can encrypt to it; they cannot know the id.
    let mut forged = real.clone();
    forged.export_id = Some(Uuid::new_v7(uuid::Timestamp::now(uuid::NoContext)));
    forged.annotations[0].id = Uuid::from_u128(99);
    let sealed_forged = x.seal(&forged);
    let err = refused(&mut x, &sealed_forged, "review_unknown_export");
    assert!(err.to_string().contains("did not send"), "{err}");

    // A version 1 review names no export.
    let mut old = real.clone();
    old.version = 1;
    old.export_id = None;
    old.reviewer_key = None;
    let sealed_old = x.seal(&old);
    let err = refused(&mut x, &sealed_old, "review_unknown_export");
    assert!(err.to_string().contains("older Touchpoint"), "{err}");

    // The right id, but signed with a key the bundle was not sent to.
    let mut stranger = real.clone();
    stranger.reviewer_key = Some(age::x25519::Identity::generate().to_public().to_string());
    let sealed_stranger = x.seal(&stranger);
    refused(&mut x, &sealed_stranger, "review_unknown_export");

    // The real one still goes in.
    x.import(&sealed, false).expect("the real review");
}

#[test]
fn a_review_for_another_journal_is_refused() {
    let mut x = exchange();
    let sealed = x.review("For the leader.");
    let review = x.review_document(&sealed);
    // Encrypted to the leader but naming another journal's key.
    let mut other = review.clone();
    other.for_public_key = x.coach.public_key().expect("key");
    let sealed_other = x.seal(&other);
    refused(&mut x, &sealed_other, "wrong_key");
    // Encrypted to another journal altogether.
    let elsewhere = encrypt(
        &serde_json::to_vec(&review).expect("json"),
        &Encryption::Recipients(vec![x.coach.public_key().expect("key")]),
    )
    .expect("seal");
    refused(&mut x, &elsewhere, "wrong_key");
}

#[test]
fn a_review_reusing_a_comment_id_with_new_text_is_refused() {
    let mut x = exchange();
    let sealed = x.review("The coach's real words.");
    x.import(&sealed, false).expect("import");
    let mut rewrite = x.review_document(&sealed);
    rewrite.annotations[0].text = "Words put in the coach's mouth.".into();
    let sealed_rewrite = x.seal(&rewrite);
    let err = refused(&mut x, &sealed_rewrite, "review_conflict");
    assert!(err.to_string().contains("never changes one"), "{err}");
    assert_eq!(
        x.leader.entry_annotations(x.f.one_on_one).expect("notes")[0]
            .annotation
            .text,
        "The coach's real words."
    );
    // The same id twice in one review with different texts.
    let mut twice = x.review_document(&sealed);
    let mut second = twice.annotations[0].clone();
    second.text = "other".into();
    twice.annotations[0].id = Uuid::from_u128(5);
    second.id = Uuid::from_u128(5);
    twice.annotations.push(second);
    let sealed_twice = x.seal(&twice);
    refused(&mut x, &sealed_twice, "review_conflict");
}

#[test]
fn a_truncated_or_altered_review_is_refused() {
    let mut x = exchange();
    let sealed = x.review("Intact.");
    refused(&mut x, &sealed[..sealed.len() - 20], "file_damaged");
    let mut altered = sealed.clone();
    let n = altered.len();
    altered[n - 30] ^= 0x01;
    refused(&mut x, &altered, "file_damaged");
}

#[test]
fn an_export_changing_records_waits_for_confirmation() {
    let mut x = exchange();
    // Another journal's export with the same ids and other ratings.
    let mut foreign = json_doc(&x.leader, &ExportOptions::default());
    foreign.sender_public_key = x.coach.public_key().expect("key");
    let reflection = foreign
        .reflections
        .iter_mut()
        .find(|r| r.id == x.f.zeb_reflection)
        .expect("reflection");
    reflection.willingness = if reflection.willingness == 2 { -2 } else { 2 };
    foreign.touchpoints[0].title = "Renamed elsewhere".into();
    let bytes = serde_json::to_vec(&foreign).expect("json");

    let before = x.state();
    let preview = preview_file(&x.leader, &bytes, None, None, Utc::now(), &mut go).expect("p");
    assert_eq!(preview.document, "export");
    assert!(preview.needs_confirmation);
    assert_eq!(preview.counts.reflections.updated, 1);
    assert_eq!(preview.counts.touchpoints.updated, 1);
    assert_eq!(preview.changed_records(), 2);
    assert!(preview
        .changes
        .iter()
        .any(|c| c.kind == RecordKind::Reflection && c.id == x.f.zeb_reflection));
    assert!(preview
        .changes
        .iter()
        .any(|c| c.kind == RecordKind::Touchpoint && c.label == "Renamed elsewhere"));
    assert_eq!(x.state(), before, "a preview changes nothing");

    let err = x.import(&bytes, false).expect_err("needs confirmation");
    assert_eq!(err.code(), "needs_confirmation");
    let ExchangeError::NeedsConfirmation(shown) = &err else {
        panic!("{err}")
    };
    assert_eq!(**shown, preview, "the error carries the same preview");
    assert_eq!(x.state(), before, "an unconfirmed import changes nothing");

    let Ok(ImportOutcome::Export(done)) = x.import(&bytes, true) else {
        panic!("confirmed");
    };
    assert_eq!(
        done, preview.counts,
        "the import does what the preview said"
    );
    assert_ne!(x.state(), before);
}

#[test]
fn an_older_export_of_this_journal_waits_and_adding_only_goes_through() {
    let mut x = exchange();
    let old = serde_json::to_vec(&json_doc(&x.leader, &ExportOptions::default())).expect("json");
    // Importing it as it is changes nothing and needs nothing.
    let Ok(ImportOutcome::Export(same)) = x.import(&old, false) else {
        panic!("an unchanged export goes through");
    };
    assert_eq!(same.changed(), 0);

    // Into an empty journal everything is new: no confirmation.
    let (_d, mut empty) = journal();
    let Ok(ImportOutcome::Export(added)) =
        import_file(&mut empty, &old, None, None, Utc::now(), false, &mut go)
    else {
        panic!("adding only goes through");
    };
    assert!(added.touchpoints.added > 0);

    // After an edit here, the older export would undo it: it waits.
    let mut person = x.leader.person(x.f.zeb).expect("zeb");
    person.role = "Principal engineer".into();
    x.leader.update_person(&person).expect("update");
    let err = x.import(&old, false).expect_err("waits");
    assert_eq!(err.code(), "needs_confirmation");
    let ExchangeError::NeedsConfirmation(p) = err else {
        unreachable!()
    };
    assert_eq!(p.counts.people.updated, 1);
    assert_eq!(p.changes[0].kind, RecordKind::Person);
    assert_eq!(p.changes[0].label, "Zebediah Quartermaine");
}

#[test]
fn bundles_record_their_export_id_and_plain_exports_carry_none() {
    let x = exchange();
    let mut session = ReviewSession::open(&x.bundle, Unlock::Identity(&x.coach)).expect("open");
    let id = session.export_id().expect("a bundle carries an id");
    assert_eq!(id.get_version_num(), 4, "a random id");
    assert_eq!(
        x.leader.export_recipients(id).expect("read"),
        Some(vec![x.coach.public_key().expect("key")])
    );
    let json = std::fs::read(
        &export_to(
            &x.leader,
            &ExportOptions::default(),
            ExportFormat::Json,
            None,
            &x.dir.path().join("plain.json"),
        )
        .files[0],
    )
    .expect("read");
    assert!(!String::from_utf8_lossy(&json).contains(&id.to_string()));
    let mut plain = ReviewSession::open(&json, Unlock::Identity(&x.coach)).expect("open");
    assert_eq!(plain.export_id(), None);
    plain.annotate(x.f.one_on_one, "hi").expect("annotate");
    assert_eq!(
        plain
            .review_document("Coach", Utc::now())
            .map_err(|e| e.code())
            .err(),
        Some("wrong_document"),
        "the coach learns at once that such a review would be refused"
    );
    session.annotate(x.f.one_on_one, "hi").expect("annotate");
    assert!(session.review_document("Coach", Utc::now()).is_ok());
}
