//! Secret values — the data key, the passphrase, the recovery code — that never print, serialise or linger in memory.
//!
//! None of these types implements `Clone`, `Serialize` or a revealing `Debug`, and each one
//! wipes its bytes when dropped. Reading the secret takes an explicit `expose` call, so every
//! place that touches plaintext key material is easy to find.

use std::fmt;

use rand::rngs::OsRng;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use ts_rs::TS;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// Length in bytes of the data key (a raw 256-bit SQLCipher key).
pub const DATA_KEY_LEN: usize = 32;

/// Fewest characters a new passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Number of random bytes behind a recovery code (160 bits).
pub const RECOVERY_CODE_BYTES: usize = 20;

/// Number of base32 characters in a recovery code, not counting dashes.
const RECOVERY_CODE_CHARS: usize = RECOVERY_CODE_BYTES * 8 / 5;

/// Characters per dash-separated group of a displayed recovery code.
const RECOVERY_GROUP_CHARS: usize = 4;

/// Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// Data key

/// The random 256-bit key the journal database is encrypted with.
///
/// Lives in its own heap allocation (so moving the value never leaves copies behind) and is
/// zeroed when dropped. It is never written anywhere in the clear: the key file stores it only
/// wrapped under a passphrase or a recovery code.
pub struct DataKey(Box<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// Draws a fresh key from the operating system's random number generator.
    pub fn generate() -> Self {
        let mut key = Box::new([0u8; DATA_KEY_LEN]);
        OsRng.fill_bytes(&mut key[..]);
        DataKey(key)
    }

    /// Copies a key out of a buffer of exactly [`DATA_KEY_LEN`] bytes; `None` for any other length.
    ///
    /// The caller stays responsible for wiping `bytes`.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != DATA_KEY_LEN {
            return None;
        }
        let mut key = Box::new([0u8; DATA_KEY_LEN]);
        key.copy_from_slice(bytes);
        Some(DataKey(key))
    }

    /// The raw key bytes. Keep any copy short-lived and zeroizing.
    pub fn expose(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }

    /// The key as SQLCipher's raw-key literal, exactly `x'<64 lowercase hex digits>'`.
    ///
    /// Use it as `PRAGMA key = "x'…'"`: the single quotes are part of the returned value, the
    /// double quotes around it are the caller's.
    pub fn to_sqlcipher_pragma_value(&self) -> Zeroizing<String> {
        // Reserve the final size up front so the string never reallocates and leaves a copy.
        let mut out = Zeroizing::new(String::with_capacity(3 + 2 * DATA_KEY_LEN));
        out.push_str("x'");
        for byte in self.0.iter() {
            out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
        }
        out.push('\'');
        out
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.as_mut().zeroize();
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

// ---------------------------------------------------------------------------------------------
// Passphrase

/// A passphrase typed by the user, held in zeroizing memory.
pub struct Passphrase(SecretString);

impl Passphrase {
    /// Wraps any passphrase, as typed, for an unlock attempt. No rules are applied: a wrong
    /// passphrase is reported by the key file, not here.
    pub fn new(mut passphrase: String) -> Self {
        // `String::into_boxed_str` may reallocate and leave the old buffer unwiped; copy into an
        // exact-size box instead and wipe the original.
        let boxed: Box<str> = Box::from(passphrase.as_str());
        passphrase.zeroize();
        Passphrase(SecretString::from(boxed))
    }

    /// Wraps a *new* passphrase (journal, recovery, bundle), applying the one passphrase rule
    /// ([`check_new_passphrase`]): one that is too short or too easy to guess is refused with
    /// [`Error::WeakPassphrase`]. The rejected text is wiped and never echoed.
    pub fn checked(passphrase: String) -> Result<Self> {
        let passphrase = Passphrase::new(passphrase);
        check_new_passphrase(passphrase.expose())?;
        Ok(passphrase)
    }

    /// The passphrase text. Do not copy it into anything that is not zeroized.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

// ---------------------------------------------------------------------------------------------
// Recovery code

/// The recovery code shown once at set-up: 160 random bits, written as 32 Crockford base32
/// characters in 8 dash-separated groups of 4 (for example `7KQ2-…`).
///
/// It unlocks the journal's recovery key slot when the passphrase is forgotten.
pub struct RecoveryCode(Box<[u8; RECOVERY_CODE_BYTES]>);

impl RecoveryCode {
    /// Draws a fresh code from the operating system's random number generator.
    pub fn generate() -> Self {
        let mut bytes = Box::new([0u8; RECOVERY_CODE_BYTES]);
        OsRng.fill_bytes(&mut bytes[..]);
        RecoveryCode(bytes)
    }

    /// Reads a code as the user typed it, forgivingly: letters in either case, spaces and dashes
    /// anywhere, `O` read as `0`, and `I` or `L` read as `1`.
    ///
    /// Fails with [`Error::InvalidInput`] when the code has the wrong number of characters or a
    /// character that cannot appear in a code (the message never repeats the code itself).
    pub fn parse(text: &str) -> Result<Self> {
        let mut digits = Zeroizing::new([0u8; RECOVERY_CODE_CHARS]);
        let mut count = 0usize;
        for c in text.chars() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let Some(value) = crockford_value(c) else {
                return Err(Error::InvalidInput(format!(
                    "a recovery code uses only the digits 0–9 and the letters A–Z (without U); \
                     character {} is not one of them",
                    count + 1
                )));
            };
            if count < RECOVERY_CODE_CHARS {
                digits[count] = value;
            }
            count += 1;
        }
        if count != RECOVERY_CODE_CHARS {
            return Err(Error::InvalidInput(format!(
                "a recovery code has {RECOVERY_CODE_CHARS} characters ({} groups of \
                 {RECOVERY_GROUP_CHARS}); this one has {count}",
                RECOVERY_CODE_CHARS / RECOVERY_GROUP_CHARS
            )));
        }

        // Pack the 5-bit digits, most significant first, into 20 bytes.
        let mut bytes = Box::new([0u8; RECOVERY_CODE_BYTES]);
        let mut acc: u16 = 0;
        let mut bits = 0u32;
        let mut out = 0usize;
        for &value in digits.iter() {
            acc = (acc << 5) | u16::from(value);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes[out] = (acc >> bits) as u8;
                out += 1;
                acc &= (1 << bits) - 1;
            }
        }
        debug_assert_eq!(out, RECOVERY_CODE_BYTES);
        acc.zeroize();
        Ok(RecoveryCode(bytes))
    }

    /// The code in its grouped display form (`XXXX-XXXX-…`, 8 groups), for showing once at
    /// set-up and printing on the recovery sheet.
    pub fn display(&self) -> Zeroizing<String> {
        let groups = RECOVERY_CODE_CHARS / RECOVERY_GROUP_CHARS;
        let mut out = Zeroizing::new(String::with_capacity(RECOVERY_CODE_CHARS + groups - 1));
        let mut acc: u16 = 0;
        let mut bits = 0u32;
        let mut written = 0usize;
        for &byte in self.0.iter() {
            acc = (acc << 8) | u16::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                if written > 0 && written % RECOVERY_GROUP_CHARS == 0 {
                    out.push('-');
                }
                out.push(char::from(CROCKFORD[usize::from((acc >> bits) & 0x1f)]));
                written += 1;
                acc &= (1 << bits) - 1;
            }
        }
        debug_assert_eq!(written, RECOVERY_CODE_CHARS);
        acc.zeroize();
        out
    }

    /// The code's normalised form — its 20 decoded bytes — used as key-derivation input.
    ///
    /// Every spelling that [`RecoveryCode::parse`] accepts for a code gives the same bytes.
    pub fn normalized_bytes(&self) -> &[u8; RECOVERY_CODE_BYTES] {
        &self.0
    }
}

impl Drop for RecoveryCode {
    fn drop(&mut self) {
        self.0.as_mut().zeroize();
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

/// The value of one typed character in Crockford base32, with its forgiving aliases.
fn crockford_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    if !c.is_ascii() {
        return None;
    }
    CROCKFORD
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|i| i as u8)
}

// ---------------------------------------------------------------------------------------------
// Passphrase strength: the one rule for every new passphrase

/// The lowest score (zxcvbn's 0 to 4) a new passphrase must reach: 3, "more than 10^8 guesses".
/// Why 3 and not 4: see docs/decisions.md, "The passphrase rule".
pub const MIN_PASSPHRASE_SCORE: u8 = 3;

/// Words anyone attacking a Touchpoint journal tries first, counted by zxcvbn as a dictionary
/// of their own (as it does with a user's name or e-mail address).
const APP_WORDS: &[&str] = &["touchpoint", "journal", "trustbalance"];

/// The suggestion given when zxcvbn has none of its own.
const DEFAULT_SUGGESTION: &str = "Add another word or two. Uncommon words are better.";

/// How hard a passphrase is to guess, and whether the core accepts it as a new passphrase.
///
/// The strength meter shows it while a passphrase is chosen, and [`Passphrase::checked`]
/// refuses exactly the passphrases it calls not acceptable, so the app's button and the core
/// never disagree. Nothing in it repeats the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PassphraseStrength {
    /// 0 (guessed at once) to 4 (very hard to guess): zxcvbn's score.
    pub score: u8,
    /// The lowest score a new passphrase needs ([`MIN_PASSPHRASE_SCORE`]).
    pub min_score: u8,
    /// Whether it may be used as a new passphrase: at least [`MIN_PASSPHRASE_CHARS`] characters
    /// and a score of at least `min_score`.
    pub acceptable: bool,
    /// One sentence saying why it is, or is not, strong enough.
    pub reason: String,
    /// What would make it stronger; `None` when nothing needs to change.
    pub suggestion: Option<String>,
}

/// Estimates how hard `passphrase` is to guess with zxcvbn (dictionaries of common passwords,
/// names and words, keyboard patterns, repeats, sequences, dates and l33t spellings, plus this
/// app's own name), and says whether it is acceptable as a new passphrase.
///
/// zxcvbn reads the first 100 characters; anything longer is at least as strong.
pub fn strength(passphrase: &str) -> PassphraseStrength {
    let chars = passphrase.chars().count();
    if chars == 0 {
        return PassphraseStrength {
            score: 0,
            min_score: MIN_PASSPHRASE_SCORE,
            acceptable: false,
            reason: "Type a passphrase.".into(),
            suggestion: Some(
                "Four or five unrelated words are strong and easy to remember.".into(),
            ),
        };
    }
    let entropy = zxcvbn::zxcvbn(passphrase, APP_WORDS);
    let score = u8::from(entropy.score());
    let feedback = entropy.feedback();
    let warning = feedback.and_then(|f| f.warning()).map(|w| w.to_string());
    let suggestions: Vec<String> = feedback
        .map(|f| f.suggestions().iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    let uses_app_words = entropy.sequence().iter().any(|m| {
        matches!(
            &m.pattern,
            zxcvbn::matching::patterns::MatchPattern::Dictionary(d)
                if APP_WORDS.contains(&d.matched_word.as_str())
        )
    });
    let suggestion = || {
        Some(if suggestions.is_empty() {
            DEFAULT_SUGGESTION.to_string()
        } else {
            suggestions.join(" ")
        })
    };

    let (acceptable, reason, suggestion) = if chars < MIN_PASSPHRASE_CHARS {
        (
            false,
            format!("Too short: use at least {MIN_PASSPHRASE_CHARS} characters."),
            suggestion(),
        )
    } else if score < MIN_PASSPHRASE_SCORE {
        let reason = if let Some(warning) = warning {
            warning
        } else if uses_app_words {
            "The app's own name and words like \"journal\" are among the first guesses.".into()
        } else if score <= 1 {
            "Too easy to guess: it is likely among the first million guesses.".into()
        } else {
            "Not strong enough yet: it is likely within a hundred million guesses.".into()
        };
        (false, reason, suggestion())
    } else if score == MIN_PASSPHRASE_SCORE {
        (
            true,
            "Strong enough.".into(),
            Some("One more uncommon word would make it stronger.".into()),
        )
    } else {
        (true, "Strong.".into(), None)
    };
    PassphraseStrength {
        score,
        min_score: MIN_PASSPHRASE_SCORE,
        acceptable,
        reason,
        suggestion,
    }
}

/// The passphrase rule: `Ok` exactly when [`strength`] calls `passphrase` acceptable, else
/// [`Error::WeakPassphrase`] with its reason and suggestion.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    let s = strength(passphrase);
    if s.acceptable {
        return Ok(());
    }
    Err(Error::WeakPassphrase {
        reason: s.reason,
        suggestion: s.suggestion.unwrap_or_else(|| DEFAULT_SUGGESTION.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_key_pragma_value_is_quoted_lowercase_hex() {
        let key = DataKey::from_bytes(&[0xAB; DATA_KEY_LEN]).unwrap();
        let value = key.to_sqlcipher_pragma_value();
        assert_eq!(value.len(), 67, "x' + 64 hex digits + '");
        assert_eq!(&value[..], &format!("x'{}'", "ab".repeat(32)));

        let random = DataKey::generate();
        let value = random.to_sqlcipher_pragma_value();
        assert_eq!(
            &value[2..66],
            hex::encode(random.expose()),
            "hex of the very key bytes"
        );
        assert!(value[2..66]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }

    #[test]
    fn data_keys_are_random_and_sized() {
        let a = DataKey::generate();
        let b = DataKey::generate();
        assert_ne!(a.expose(), b.expose(), "two generated keys must differ");
        assert!(DataKey::from_bytes(&[0; 31]).is_none());
        assert!(DataKey::from_bytes(&[0; 33]).is_none());
    }

    #[test]
    fn passphrase_checked_applies_the_passphrase_rule() {
        for weak in [
            "",
            "short7!",
            "password",
            "password1",
            "P@ssw0rd",
            "touchpoint2026",
            "Touchpoint2026!",
            "aaaaaaaaaaaa",
            "qwertyuiop",
            "123456789012",
            "ééééééééé",
        ] {
            match Passphrase::checked(weak.into()) {
                Err(err @ Error::WeakPassphrase { .. }) => {
                    assert_eq!(err.code(), "weak_passphrase");
                    let Error::WeakPassphrase { reason, suggestion } = &err else {
                        unreachable!()
                    };
                    assert!(!reason.is_empty() && !suggestion.is_empty(), "{err}");
                    // ("password" itself is a word of zxcvbn's "common password" warning.)
                    assert!(
                        weak.is_empty() || weak == "password" || !err.to_string().contains(weak),
                        "errors never echo the passphrase: {err}"
                    );
                }
                other => panic!("{weak:?} must be refused, got {other:?}"),
            }
        }
        let short = Passphrase::checked("x7#Qp2".into()).unwrap_err();
        assert!(
            short.to_string().contains("at least 8 characters"),
            "{short}"
        );

        for strong in [
            "quiet harbour lantern 42",
            "violet anchor drizzle muffin",
            "k8#Vq2!mZr7$Lw3p",
            // Counted in characters, not bytes: non-ASCII passphrases are fine.
            "grüße an die möwe im hafen",
        ] {
            let ok = Passphrase::checked(strong.into()).unwrap_or_else(|e| panic!("{strong}: {e}"));
            assert_eq!(ok.expose(), strong);
        }
        // Unlock attempts accept anything.
        assert_eq!(Passphrase::new(String::new()).expose(), "");
        assert_eq!(Passphrase::new("password".into()).expose(), "password");
    }

    /// The meter's verdict and the check are one rule: whatever the meter calls acceptable is
    /// accepted, whatever it does not is refused with the meter's own reason and suggestion.
    #[test]
    fn the_meter_and_the_check_never_disagree() {
        for text in [
            "",
            "a",
            "password",
            "touchpoint",
            "touchpoint2026",
            "journal journal",
            "aaaaaaaaaaaa",
            "abcdefghijkl",
            "correct horse",
            "Tr0ub4dor&3",
            "quiet harbour lantern 42",
            "k8#Vq2!mZr7$Lw3p",
            "1qaz2wsx3edc",
            "summer2024!",
            "my journal passphrase",
        ] {
            let meter = strength(text);
            assert_eq!(meter.min_score, MIN_PASSPHRASE_SCORE);
            assert!(meter.score <= 4);
            assert_eq!(
                meter.acceptable,
                meter.score >= MIN_PASSPHRASE_SCORE && text.chars().count() >= MIN_PASSPHRASE_CHARS,
                "{text:?}: {meter:?}"
            );
            match check_new_passphrase(text) {
                Ok(()) => assert!(meter.acceptable, "{text:?}"),
                Err(Error::WeakPassphrase { reason, suggestion }) => {
                    assert!(!meter.acceptable, "{text:?}");
                    assert_eq!(reason, meter.reason);
                    assert_eq!(Some(suggestion), meter.suggestion);
                }
                Err(other) => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_meter_says_why_and_what_to_do() {
        let empty = strength("");
        assert_eq!((empty.score, empty.acceptable), (0, false));
        assert_eq!(empty.reason, "Type a passphrase.");

        let common = strength("password");
        assert_eq!(common.score, 0);
        assert!(common.reason.contains("common password"), "{common:?}");
        assert!(common.suggestion.is_some());

        let repeated = strength("aaaaaaaaaaaa");
        assert!(repeated.reason.contains("Repeats"), "{repeated:?}");

        // The app's own name is one of the first guesses, though zxcvbn's lists lack it.
        let app = strength("touchpoint2026");
        assert!(!app.acceptable);
        assert!(app.reason.contains("app's own name"), "{app:?}");

        let good = strength("quiet harbour lantern 42");
        assert!(
            good.acceptable && good.score >= MIN_PASSPHRASE_SCORE,
            "{good:?}"
        );
        if good.score == 4 {
            assert_eq!(
                (good.reason.as_str(), good.suggestion.as_deref()),
                ("Strong.", None)
            );
        }

        for text in ["Password123", "hunter2hunter2", "quiet harbour lantern 42"] {
            let s = strength(text);
            let shown = format!("{s:?} {}", serde_json::to_string(&s).unwrap());
            assert!(
                !shown.contains(text),
                "the meter never repeats the passphrase: {shown}"
            );
        }
    }

    #[test]
    fn strength_serialises_for_the_ui() {
        let json = serde_json::to_value(strength("password")).unwrap();
        assert_eq!(json["score"], 0);
        assert_eq!(json["min_score"], MIN_PASSPHRASE_SCORE);
        assert_eq!(json["acceptable"], false);
        assert!(json["reason"].is_string());
        assert!(json["suggestion"].is_string());
        let strong = serde_json::to_value(strength("k8#Vq2!mZr7$Lw3p violet")).unwrap();
        assert_eq!(strong["acceptable"], true);
    }

    #[test]
    fn recovery_code_display_is_eight_groups_of_four() {
        let code = RecoveryCode::generate();
        let shown = code.display();
        let groups: Vec<&str> = shown.split('-').collect();
        assert_eq!(groups.len(), 8);
        for group in groups {
            assert_eq!(group.len(), 4);
            assert!(
                group.bytes().all(|b| CROCKFORD.contains(&b)),
                "only Crockford characters"
            );
        }
        let again = RecoveryCode::parse(&shown).unwrap();
        assert_eq!(
            again.normalized_bytes(),
            code.normalized_bytes(),
            "display then parse round-trips"
        );
    }

    #[test]
    fn recovery_code_known_vector() {
        let mut bytes = [0u8; RECOVERY_CODE_BYTES];
        bytes[0] = 0b0000_0010; // bits 00000 01000…: first digit 0, second digit 8
        bytes[19] = 0x1f; // last digit 31 = Z
        let code = RecoveryCode(Box::new(bytes));
        assert_eq!(
            &code.display()[..],
            "0800-0000-0000-0000-0000-0000-0000-000Z"
        );
        let all_ones = RecoveryCode(Box::new([0xff; RECOVERY_CODE_BYTES]));
        assert_eq!(
            &all_ones.display()[..],
            "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"
        );
    }

    #[test]
    fn recovery_code_parse_is_forgiving() {
        let code = RecoveryCode::generate();
        let shown = code.display().to_string();
        let variants = [
            shown.to_lowercase(),
            shown.replace('-', ""),
            shown.replace('-', " "),
            format!("  {}  ", shown.replace('-', " - ")),
            shown.replace('0', "O").replace('1', "l"),
            shown.replace('1', "I").to_lowercase(),
        ];
        for variant in &variants {
            let parsed = RecoveryCode::parse(variant).expect("forgiving parse");
            assert_eq!(
                parsed.normalized_bytes(),
                code.normalized_bytes(),
                "same code when typed as {variant:?}"
            );
        }
    }

    #[test]
    fn recovery_code_parse_rejects_bad_input() {
        let shown = RecoveryCode::generate().display().to_string();
        for bad in [
            String::new(),
            shown[..shown.len() - 1].to_string(),
            format!("{shown}A"),
            format!("U{}", &shown[1..]),
            format!("*{}", &shown[1..]),
            format!("é{}", &shown[1..]),
        ] {
            match RecoveryCode::parse(&bad) {
                Err(Error::InvalidInput(msg)) => {
                    assert!(
                        !msg.contains(&shown[5..9]),
                        "errors never echo the code: {msg}"
                    );
                }
                other => panic!("{bad:?} should be rejected, got {other:?}"),
            }
        }
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let key = DataKey::generate();
        let debug = format!("{key:?} {key:#?}");
        assert_eq!(format!("{key:?}"), "DataKey(<redacted>)");
        assert!(!debug.contains(&hex::encode(key.expose())));
        assert!(!debug.contains(&format!("{:?}", key.expose())));

        let pass = Passphrase::new("correct horse battery staple".into());
        let debug = format!("{pass:?} {pass:#?}");
        assert_eq!(format!("{pass:?}"), "Passphrase(<redacted>)");
        assert!(!debug.contains("horse"));

        let code = RecoveryCode::generate();
        let debug = format!("{code:?} {code:#?}");
        assert_eq!(format!("{code:?}"), "RecoveryCode(<redacted>)");
        let shown = code.display();
        assert!(shown.split('-').all(|group| !debug.contains(group)));
        assert!(!debug.contains(&hex::encode(code.normalized_bytes())));

        let meter = strength("correct horse battery staple");
        assert!(
            !format!("{meter:?}").contains("horse"),
            "strength never repeats the passphrase"
        );
    }
}
