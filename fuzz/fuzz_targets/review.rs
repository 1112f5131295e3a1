//! A coach's review file. Anyone who has a leader's public key can write one, so the input is
//! the decrypted content: it is read as the plain JSON it is, and whenever that opens, it is
//! also encrypted to the test key and opened as an import opens a review file, and must read
//! exactly the same. (Encrypting every input would spend most of the run in X25519.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchpoint_core::exchange::Opened;
use touchpoint_fuzz::{encrypt_to_test_key, identity, use_opened};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"age-encryption.org/") {
        return; // the bundle target reads encrypted files as received
    }
    let key = identity();
    let plain = Opened::open_with_key(data, &key);
    use_opened(&plain);
    if let Ok(plain) = plain {
        match Opened::open_with_key(&encrypt_to_test_key(data), &key) {
            Ok(sealed) => assert_eq!(sealed, plain, "encrypted and plain read differently"),
            Err(e) => panic!("opens as plain JSON but not encrypted: {e}"),
        }
    }
});
