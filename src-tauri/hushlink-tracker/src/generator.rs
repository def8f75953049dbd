//! Password generator: random characters or passphrase words, drawn from the OS RNG.
//!
//! Every draw uses [`rand::rngs::OsRng`] through `rand`'s unbiased range sampling, so each
//! symbol of the alphabet (or each word of the list) is equally likely. When several
//! character classes are asked for, a draw that misses one is thrown away and drawn again:
//! this keeps the result uniform over all passwords that satisfy the rules, and the entropy
//! figure counts exactly those passwords (inclusion–exclusion), not the looser `L·log2(A)`.

use std::fmt;

use rand::rngs::OsRng;
use rand::{Rng, TryRngCore};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroize;

use crate::error::{Result, TrackerError};

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const SYMBOLS: &str = "!#$%&()*+,-./:;<=>?@[]^_{|}~'\"`\\";

/// Characters easy to confuse with another one in common fonts or when read aloud:
/// `0 O o`, `1 l I i | !`, `5 S`, `2 Z`, `8 B`, `6 b`, `9 g q`, and quote/punctuation marks
/// that vanish at the end of a sentence or in a chat bubble.
pub const LOOK_ALIKES: &str = "0Oo1lIi|!5S2Z8B6b9gq'\"`,.;:";

/// Passphrase word list: one lowercase word per line, written for Hushlink.
const WORDS: &str = include_str!("words.txt");

/// Shortest and longest password the UI may ask for.
pub const LENGTH_RANGE: std::ops::RangeInclusive<u32> = 4..=128;
/// Fewest and most words in a passphrase.
pub const WORDS_RANGE: std::ops::RangeInclusive<u32> = 3..=12;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum GeneratorOptions {
    /// Random characters.
    #[serde(rename_all = "camelCase")]
    Characters {
        /// Number of characters, within [`LENGTH_RANGE`].
        length: u32,
        /// Include `a–z`.
        lowercase: bool,
        /// Include `A–Z`.
        uppercase: bool,
        /// Include `0–9`.
        digits: bool,
        /// Include punctuation.
        symbols: bool,
        /// Leave out [`LOOK_ALIKES`], for passwords read aloud or typed from a phone.
        easy_to_read: bool,
    },
    /// Words from the bundled list.
    #[serde(rename_all = "camelCase")]
    Passphrase {
        /// Number of words, within [`WORDS_RANGE`].
        words: u32,
        /// Put between words, e.g. `-`.
        separator: String,
        /// Capitalize each word (adds no entropy; some sites demand an upper-case letter).
        capitalize: bool,
        /// Append one random digit 0–9 (some sites demand one).
        add_digit: bool,
    },
}

/// The least strength the default password may have, in bits: the UI's "Very strong" (its
/// `strengthOf` thresholds), far beyond offline guessing of a secret that lives for days.
pub const DEFAULT_MIN_BITS: f64 = 80.0;

/// The default is a password a person can read out and type on a phone: letters and digits
/// without [`LOOK_ALIKES`], no symbols, 16 characters (about 87 bits, see
/// [`DEFAULT_MIN_BITS`]). The UI's "Easy to read" style asks for exactly this; its "Strong"
/// style (symbols, 20 characters) is one click away.
impl Default for GeneratorOptions {
    fn default() -> Self {
        Self::Characters {
            length: 16,
            lowercase: true,
            uppercase: true,
            digits: true,
            symbols: false,
            easy_to_read: true,
        }
    }
}

/// A generated password and its strength. `Debug` never prints the password; it is zeroed
/// on drop. It is serialized on purpose: the UI must show it.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GeneratedPassword {
    /// The password.
    pub password: String,
    /// log2 of the number of passwords these options could have produced.
    pub entropy_bits: f64,
}

impl fmt::Debug for GeneratedPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedPassword")
            .field("password", &"[redacted]")
            .field("entropy_bits", &self.entropy_bits)
            .finish()
    }
}

impl Drop for GeneratedPassword {
    fn drop(&mut self) {
        self.password.zeroize();
    }
}

/// Generates one password.
pub fn generate(options: &GeneratorOptions) -> Result<GeneratedPassword> {
    match options {
        GeneratorOptions::Characters {
            length,
            lowercase,
            uppercase,
            digits,
            symbols,
            easy_to_read,
        } => {
            if !LENGTH_RANGE.contains(length) {
                return Err(TrackerError::InvalidInput(format!(
                    "The length must be between {} and {} characters.",
                    LENGTH_RANGE.start(),
                    LENGTH_RANGE.end()
                )));
            }
            let wanted = [
                (*lowercase, LOWER),
                (*uppercase, UPPER),
                (*digits, DIGITS),
                (*symbols, SYMBOLS),
            ];
            let classes: Vec<Vec<char>> = wanted
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, set)| {
                    set.chars()
                        .filter(|c| !*easy_to_read || !LOOK_ALIKES.contains(*c))
                        .collect()
                })
                .collect();
            if classes.is_empty() {
                return Err(TrackerError::InvalidInput(
                    "Choose at least one kind of character.".into(),
                ));
            }
            characters(*length as usize, &classes)
        }
        GeneratorOptions::Passphrase {
            words,
            separator,
            capitalize,
            add_digit,
        } => {
            if !WORDS_RANGE.contains(words) {
                return Err(TrackerError::InvalidInput(format!(
                    "A passphrase has between {} and {} words.",
                    WORDS_RANGE.start(),
                    WORDS_RANGE.end()
                )));
            }
            Ok(passphrase(
                *words as usize,
                separator,
                *capitalize,
                *add_digit,
            ))
        }
    }
}

/// The bundled word list.
pub fn word_list() -> impl Iterator<Item = &'static str> {
    WORDS.lines().map(str::trim).filter(|w| !w.is_empty())
}

fn characters(length: usize, classes: &[Vec<char>]) -> Result<GeneratedPassword> {
    if length < classes.len() {
        return Err(TrackerError::PasswordTooShort {
            length,
            kinds: classes.len(),
        });
    }
    let alphabet: Vec<char> = classes.iter().flatten().copied().collect();
    let mut rng = OsRng.unwrap_err();
    // Rejection sampling: the chance that a draw misses a class is small for any length the
    // UI allows (worst case length 4 with 4 classes: about 1 in 10 succeeds), so this ends fast.
    loop {
        let mut password: String = (0..length)
            .map(|_| alphabet[rng.random_range(0..alphabet.len())])
            .collect();
        if classes
            .iter()
            .all(|class| password.chars().any(|c| class.contains(&c)))
        {
            return Ok(GeneratedPassword {
                password,
                entropy_bits: class_entropy(length, classes),
            });
        }
        password.zeroize();
    }
}

/// log2 of the number of strings of `length` over the union of `classes` that contain at
/// least one character of every class (the classes are disjoint).
fn class_entropy(length: usize, classes: &[Vec<char>]) -> f64 {
    let total: usize = classes.iter().map(Vec::len).sum();
    let n = classes.len();
    // count = Σ over subsets S of classes left out: (-1)^|S| (total - |S chars|)^L,
    // computed as total^L · Σ (-1)^|S| ((total - s)/total)^L to stay within f64 range.
    let mut fraction = 0.0;
    for mask in 0u32..(1 << n) {
        let left_out: usize = (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| classes[i].len())
            .sum();
        let sign = if mask.count_ones() % 2 == 0 {
            1.0
        } else {
            -1.0
        };
        fraction += sign * ((total - left_out) as f64 / total as f64).powi(length as i32);
    }
    length as f64 * (total as f64).log2() + fraction.log2()
}

fn passphrase(
    words: usize,
    separator: &str,
    capitalize: bool,
    add_digit: bool,
) -> GeneratedPassword {
    let list: Vec<&str> = word_list().collect();
    let mut rng = OsRng.unwrap_err();
    let mut password = String::new();
    for i in 0..words {
        if i > 0 {
            password.push_str(separator);
        }
        let word = list[rng.random_range(0..list.len())];
        let mut chars = word.chars();
        if capitalize {
            if let Some(first) = chars.next() {
                password.extend(first.to_uppercase());
            }
        }
        password.push_str(chars.as_str());
    }
    let mut entropy_bits = words as f64 * (list.len() as f64).log2();
    if add_digit {
        password.push(char::from(b'0' + rng.random_range(0..10u8)));
        entropy_bits += 10f64.log2();
    }
    GeneratedPassword {
        password,
        entropy_bits,
    }
}

#[cfg(test)]
#[path = "generator_tests.rs"]
mod tests;
