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

    /// Wraps a *new* passphrase, rejecting one shorter than [`MIN_PASSPHRASE_CHARS`] characters
    /// with [`Error::InvalidInput`]. The rejected text is wiped and never echoed.
    pub fn checked(passphrase: String) -> Result<Self> {
        let passphrase = Passphrase::new(passphrase);
        let chars = passphrase.expose().chars().count();
        if chars == 0 {
            return Err(Error::InvalidInput(
                "the passphrase must not be empty".into(),
            ));
        }
        if chars < MIN_PASSPHRASE_CHARS {
            return Err(Error::InvalidInput(format!(
                "the passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters"
            )));
        }
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
// Passphrase strength

/// A rough, deliberately conservative estimate of how hard a passphrase is to guess, for the
/// strength meter shown while choosing one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PassphraseStrength {
    /// 0 (very weak) to 4 (strong).
    pub score: u8,
    /// Estimated entropy in bits, rounded to one decimal.
    pub bits: f64,
    /// One short sentence of advice; never contains the passphrase.
    pub advice: String,
}

/// Passwords and fragments attackers try first. Compared after lower-casing and undoing common
/// letter-for-digit swaps (`p4ssw0rd` counts as `password`).
#[rustfmt::skip]
const COMMON: &[&str] = &[
    "password", "passwort", "motdepasse", "contraseña", "123456", "1234567", "12345678",
    "123456789", "1234567890", "987654321", "qwerty", "qwertz", "azerty", "asdf", "zxcv", "qazwsx",
    "letmein", "welcome", "iloveyou", "admin", "administrator", "monkey", "dragon", "football",
    "baseball", "soccer", "hockey", "sunshine", "princess", "starwars", "trustno", "master",
    "shadow", "superman", "batman", "michael", "jennifer", "jordan", "hunter", "freedom",
    "whatever", "secret", "summer", "winter", "spring", "autumn", "flower", "cheese", "computer",
    "internet", "login", "access", "changeme", "default", "hello", "love", "god", "jesus", "abc",
    "abcd", "abcdef", "aaaa", "0000", "1111", "1212", "6969", "charlie", "pokemon", "liverpool",
    "chelsea", "arsenal", "ginger", "pepper", "killer", "mustang", "matrix", "orange", "banana",
    "purple", "journal", "touchpoint", "diary", "manager", "team", "company", "work",
    "correcthorsebatterystaple",
];

/// Bits credited for a fragment found in [`COMMON`] (it is one guess among a few hundred).
const COMMON_FRAGMENT_BITS: f64 = 8.0;

/// Bits credited per word of a passphrase made of ordinary words: a person picks from a
/// vocabulary of a few thousand words, not from random letters.
const WORD_BITS: f64 = 11.0;

/// Estimates the strength of a passphrase: character classes times length, discounting repeats,
/// sequences, repeated blocks and common passwords, and counting a phrase of ordinary words
/// per word rather than per letter. Short passphrases are capped however varied they are.
pub fn strength(passphrase: &str) -> PassphraseStrength {
    let chars = secret_chars(passphrase);
    if chars.is_empty() {
        return PassphraseStrength {
            score: 0,
            bits: 0.0,
            advice: "Type a passphrase.".into(),
        };
    }

    let estimate = estimate(&chars);
    // A phrase of ordinary words is judged per word when that is the lower estimate; then
    // advice about fragments and repeats inside the words does not apply.
    let word_bits = word_phrase_bits(passphrase).filter(|&w| w < estimate.bits);
    let bits = word_bits.unwrap_or(estimate.bits);
    let bits = (bits * 10.0).round() / 10.0;
    let per_char = word_bits.is_none();

    let mut score: u8 = match bits {
        b if b < 28.0 => 0,
        b if b < 40.0 => 1,
        b if b < 52.0 => 2,
        b if b < 64.0 => 3,
        _ => 4,
    };
    // However mixed the characters, a short passphrase is only so strong.
    let len = chars.len();
    if len < MIN_PASSPHRASE_CHARS {
        score = score.min(1);
    } else if len < 10 {
        score = score.min(2);
    } else if len < 14 {
        score = score.min(3);
    }

    let advice = if estimate.is_common {
        "This is one of the most common passwords; attackers try it first."
    } else if len < MIN_PASSPHRASE_CHARS {
        "Too short: use at least 8 characters; a few unrelated words work well."
    } else if per_char && estimate.has_common_fragment && score < 4 {
        "Avoid well-known passwords and words inside your passphrase."
    } else if per_char && estimate.has_patterns && score < 4 {
        "Repeats and sequences like \"aaa\" or \"123\" add little strength."
    } else {
        match score {
            0..=2 => "Add another word or two; length helps more than symbols.",
            3 => "Good. One more word would make it strong.",
            _ => "Strong passphrase.",
        }
    };

    PassphraseStrength {
        score,
        bits,
        advice: advice.into(),
    }
}

/// The characters of a secret text in a zeroizing buffer, allocated once (a growing `Vec` would
/// leave unwiped copies behind).
fn secret_chars(text: &str) -> Zeroizing<Vec<char>> {
    let mut chars = Zeroizing::new(Vec::with_capacity(text.len()));
    chars.extend(text.chars());
    chars
}

/// The character-level estimate and what lowered it.
struct Estimate {
    bits: f64,
    is_common: bool,
    has_common_fragment: bool,
    has_patterns: bool,
}

fn estimate(chars: &[char]) -> Estimate {
    // A passphrase that is one block repeated ("abcabcabc") is worth one block and a little.
    if let Some(period) = smallest_period(chars) {
        let inner = estimate(&chars[..period]);
        return Estimate {
            bits: inner.bits + 2.0,
            has_patterns: true,
            ..inner
        };
    }

    let pool = pool_size(chars);
    let per_char = pool.log2();

    // Common passwords and fragments, compared in a normalised form.
    let normal: Zeroizing<Vec<char>> = Zeroizing::new(chars.iter().map(|&c| unleet(c)).collect());
    let mut covered = vec![false; chars.len()];
    let mut fragments = 0usize;
    while let Some((start, len)) = longest_common_match(&normal, &covered) {
        covered[start..start + len]
            .iter_mut()
            .for_each(|c| *c = true);
        fragments += 1;
    }
    let uncovered: Vec<usize> = (0..chars.len()).filter(|&i| !covered[i]).collect();
    // Whole thing is a common password, possibly with a few digits or symbols around it.
    let is_common = fragments > 0
        && uncovered.iter().all(|&i| !chars[i].is_alphabetic())
        && uncovered.len() <= 4;

    // Per-character weights: repeats and sequences add little.
    let mut pattern_chars = 0usize;
    let mut effective = 0.0;
    let mut prev: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        if covered[i] {
            prev = None;
            continue;
        }
        let weight = match prev {
            Some(p) if p == c => {
                pattern_chars += 1;
                0.1
            }
            Some(p)
                if c.is_alphanumeric()
                    && p.is_alphanumeric()
                    && (c as i64 - p as i64).abs() == 1 =>
            {
                pattern_chars += 1;
                0.3
            }
            _ => 1.0,
        };
        effective += weight;
        prev = Some(c);
    }

    let bits = effective * per_char + fragments as f64 * COMMON_FRAGMENT_BITS;
    Estimate {
        bits,
        is_common,
        has_common_fragment: fragments > 0,
        // Worth mentioning only when they make up a good part of the passphrase.
        has_patterns: pattern_chars * 4 >= chars.len(),
    }
}

/// The smallest block length that, repeated at least twice, makes up the whole passphrase.
fn smallest_period(chars: &[char]) -> Option<usize> {
    let n = chars.len();
    (1..=n / 2).find(|&p| n % p == 0 && chars.chunks(p).all(|chunk| chunk == &chars[..p]))
}

/// The size of the alphabet the passphrase seems to draw from.
fn pool_size(chars: &[char]) -> f64 {
    let (mut lower, mut upper, mut digit, mut symbol, mut other) =
        (false, false, false, false, false);
    for &c in chars {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            c if c.is_ascii() => symbol = true,
            _ => other = true,
        }
    }
    let mut pool = 0.0;
    for (present, size) in [
        (lower, 26.0),
        (upper, 26.0),
        (digit, 10.0),
        (symbol, 33.0),
        (other, 100.0),
    ] {
        if present {
            pool += size;
        }
    }
    pool
}

/// Lower-cases a character and undoes the usual digit-for-letter swaps.
fn unleet(c: char) -> char {
    match c.to_ascii_lowercase() {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        other => other,
    }
}

/// The longest entry of [`COMMON`] found in a not yet covered stretch, as (start, length).
fn longest_common_match(normal: &[char], covered: &[bool]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for word in COMMON {
        // Entries go through the same normalisation, so digit entries like "123456" still match.
        let pattern: Vec<char> = word.chars().map(unleet).collect();
        let len = pattern.len();
        if len < 3 || len > normal.len() || best.is_some_and(|(_, l)| l >= len) {
            continue;
        }
        for start in 0..=normal.len() - len {
            if normal[start..start + len] == pattern[..]
                && !covered[start..start + len].contains(&true)
            {
                best = Some((start, len));
                break;
            }
        }
    }
    best
}

/// Case-insensitive equality that makes no (unwiped) lower-cased copies.
fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Bits of a passphrase made mostly of ordinary words, counted per word (a repeated word adds
/// almost nothing); `None` when it does not look like such a phrase.
fn word_phrase_bits(passphrase: &str) -> Option<f64> {
    let tokens: Vec<&str> = passphrase
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.' | ',' | '+' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let is_word = |t: &str| t.chars().all(char::is_alphabetic);
    let words = tokens.iter().filter(|t| is_word(t)).count();
    if words < 2 || words * 2 < tokens.len() {
        return None;
    }
    let mut bits = 0.0;
    for (i, token) in tokens.iter().enumerate() {
        bits += if !is_word(token) {
            estimate(&secret_chars(token)).bits
        } else if tokens[..i].iter().any(|t| same_ignoring_case(t, token)) {
            1.0
        } else if token.chars().any(char::is_uppercase) {
            WORD_BITS + 1.0
        } else {
            WORD_BITS
        };
    }
    Some(bits)
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
    fn passphrase_checked_enforces_minimum_length() {
        assert!(matches!(
            Passphrase::checked(String::new()),
            Err(Error::InvalidInput(_))
        ));
        let err = Passphrase::checked("short7!".into()).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)));
        assert!(
            !err.to_string().contains("short7!"),
            "errors never echo the passphrase"
        );
        // Eight characters, counted as characters, not bytes.
        assert!(
            Passphrase::checked("ééééééé".into()).is_err(),
            "7 characters, 14 bytes"
        );
        let ok = Passphrase::checked("éééééééé".into()).unwrap();
        assert_eq!(ok.expose(), "éééééééé");
        // Unlock attempts accept anything.
        assert_eq!(Passphrase::new(String::new()).expose(), "");
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

    #[test]
    fn strength_scores_are_monotone_in_sense() {
        let empty = strength("");
        assert_eq!((empty.score, empty.bits), (0, 0.0));

        for weak in [
            "password",
            "P@ssw0rd",
            "password123",
            "123456789",
            "qwerty12",
            "aaaaaaaaaaaaaaaaaaaa",
            "abcabcabcabcabcabc",
        ] {
            let s = strength(weak);
            assert!(s.score <= 1, "{weak:?} should be weak, got {s:?}");
            // ("password" itself is a word of the advice, "common passwords".)
            assert!(
                weak == "password" || !s.advice.contains(weak),
                "advice never repeats the passphrase"
            );
        }
        let common = strength("P@ssw0rd1");
        assert!(common.advice.contains("common"), "{common:?}");

        let short = strength("x7#Qp2");
        assert!(short.score <= 1, "{short:?}");

        let words4 = strength("correct horse battery staple");
        assert_eq!(
            words4.bits, 44.0,
            "four ordinary words count per word, not per letter"
        );
        assert_eq!(words4.score, 2);
        let words6 = strength("violet anchor drizzle muffin quarry lantern");
        assert_eq!(words6.score, 4, "{words6:?}");

        let random = strength("k8#Vq2!mZr7$Lw3p");
        assert_eq!(random.score, 4, "{random:?}");
        assert!(random.bits > 90.0);

        assert!(
            strength("Tr0ub4dor&3").score <= 3,
            "11 characters cannot score strong"
        );
        let repeated = strength("cat cat cat cat cat");
        assert!(
            repeated.score == 0,
            "a repeated word counts once: {repeated:?}"
        );
        let mixed = strength("Felix-Garden-Rain-7");
        assert!(mixed.score <= 2, "three words and a digit: {mixed:?}");
        assert!(
            !words4.advice.contains("Repeats"),
            "double letters inside words are not patterns"
        );
    }

    #[test]
    fn strength_serialises_for_the_ui() {
        let json = serde_json::to_value(strength("correct horse battery staple")).unwrap();
        assert_eq!(json["score"], 2);
        assert_eq!(json["bits"], 44.0);
        assert!(json["advice"].is_string());
    }
}
