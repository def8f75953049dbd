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
        return Err(TrackerError::InvalidInput(
            "The password is too short to hold one character of each chosen kind.".into(),
        ));
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
mod tests {
    use super::*;

    fn chars(length: u32, easy: bool) -> GeneratorOptions {
        GeneratorOptions::Characters {
            length,
            lowercase: true,
            uppercase: true,
            digits: true,
            symbols: true,
            easy_to_read: easy,
        }
    }

    #[test]
    fn every_chosen_class_appears_and_length_holds_over_many_draws() {
        for length in [4, 5, 8, 20, 64] {
            for _ in 0..500 {
                let generated = generate(&chars(length, false)).expect("valid options");
                let p = &generated.password;
                assert_eq!(p.chars().count(), length as usize);
                assert!(
                    p.chars().any(|c| c.is_ascii_lowercase()),
                    "no lowercase in a draw"
                );
                assert!(
                    p.chars().any(|c| c.is_ascii_uppercase()),
                    "no uppercase in a draw"
                );
                assert!(p.chars().any(|c| c.is_ascii_digit()), "no digit in a draw");
                assert!(
                    p.chars().any(|c| SYMBOLS.contains(c)),
                    "no symbol in a draw"
                );
            }
        }
    }

    #[test]
    fn unchosen_classes_never_appear() {
        let options = GeneratorOptions::Characters {
            length: 32,
            lowercase: true,
            uppercase: false,
            digits: true,
            symbols: false,
            easy_to_read: false,
        };
        for _ in 0..1000 {
            let generated = generate(&options).expect("valid options");
            assert!(
                generated
                    .password
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                "only lowercase and digits were asked for"
            );
        }
    }

    #[test]
    fn easy_mode_has_no_look_alikes_over_many_draws() {
        for _ in 0..2000 {
            let generated = generate(&chars(24, true)).expect("valid options");
            let bad: Vec<char> = generated
                .password
                .chars()
                .filter(|c| LOOK_ALIKES.contains(*c))
                .collect();
            assert!(bad.is_empty(), "look-alikes {bad:?} in easy mode");
        }
    }

    #[test]
    fn draws_spread_over_the_whole_alphabet() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..400 {
            seen.extend(generate(&chars(20, false)).expect("valid").password.chars());
        }
        let alphabet = LOWER.len() + UPPER.len() + DIGITS.len() + SYMBOLS.len();
        assert_eq!(
            seen.len(),
            alphabet,
            "8,000 draws should hit every one of {alphabet} characters"
        );
    }

    #[test]
    fn entropy_matches_a_brute_force_count() {
        // Two classes {a,b} and {1}, length 3: strings over {a,b,1} with at least one letter
        // and one digit = 27 - 8 (no digit) - 1 (no letter) = 18.
        let classes = vec![vec!['a', 'b'], vec!['1']];
        assert!((class_entropy(3, &classes) - 18f64.log2()).abs() < 1e-9);
        // One class: plain L·log2(A).
        assert!((class_entropy(10, &[LOWER.chars().collect()]) - 10.0 * 26f64.log2()).abs() < 1e-9);
    }

    #[test]
    fn passphrases_use_the_word_list() {
        let list: std::collections::HashSet<&str> = word_list().collect();
        assert!(list.len() >= 2048, "the list has {} words", list.len());
        let options = GeneratorOptions::Passphrase {
            words: 5,
            separator: "-".into(),
            capitalize: false,
            add_digit: false,
        };
        for _ in 0..200 {
            let generated = generate(&options).expect("valid options");
            let words: Vec<&str> = generated.password.split('-').collect();
            assert_eq!(words.len(), 5);
            assert!(
                words.iter().all(|w| list.contains(w)),
                "{words:?} not all from the list"
            );
            assert!((generated.entropy_bits - 5.0 * (list.len() as f64).log2()).abs() < 1e-9);
        }
    }

    #[test]
    fn word_list_is_clean() {
        let words: Vec<&str> = word_list().collect();
        let unique: std::collections::HashSet<&&str> = words.iter().collect();
        assert_eq!(
            unique.len(),
            words.len(),
            "duplicate words shrink the real entropy"
        );
        assert!(
            words
                .iter()
                .all(|w| (3..=8).contains(&w.len()) && w.chars().all(|c| c.is_ascii_lowercase())),
            "words are 3-8 lowercase ASCII letters"
        );
    }

    #[test]
    fn out_of_range_options_are_refused() {
        assert_eq!(
            generate(&chars(3, false)).expect_err("too short").code(),
            "invalid_input"
        );
        let none = GeneratorOptions::Characters {
            length: 10,
            lowercase: false,
            uppercase: false,
            digits: false,
            symbols: false,
            easy_to_read: false,
        };
        assert_eq!(
            generate(&none).expect_err("no classes").code(),
            "invalid_input"
        );
    }

    #[test]
    fn the_default_has_no_look_alikes_and_keeps_every_class() {
        for _ in 0..2000 {
            let generated = generate(&GeneratorOptions::default()).expect("valid options");
            let p = &generated.password;
            assert_eq!(p.chars().count(), 16);
            let bad: Vec<char> = p.chars().filter(|c| LOOK_ALIKES.contains(*c)).collect();
            assert!(bad.is_empty(), "look-alikes {bad:?} in the default");
            assert!(
                p.chars().all(|c| c.is_ascii_alphanumeric()),
                "no symbols by default"
            );
            assert!(
                p.chars().any(|c| c.is_ascii_digit()),
                "a digit in each draw"
            );
        }
    }

    #[test]
    fn the_default_is_as_strong_as_the_policy_requires() {
        let generated = generate(&GeneratorOptions::default()).expect("valid options");
        assert!(
            generated.entropy_bits >= DEFAULT_MIN_BITS,
            "{} bits < {DEFAULT_MIN_BITS}",
            generated.entropy_bits
        );
        // The same count by hand: 20 lower + 21 upper + 3 digits without look-alikes.
        let classes: Vec<Vec<char>> = [LOWER, UPPER, DIGITS]
            .iter()
            .map(|set| set.chars().filter(|c| !LOOK_ALIKES.contains(*c)).collect())
            .collect();
        assert_eq!(
            classes.iter().map(Vec::len).collect::<Vec<_>>(),
            [20, 21, 3]
        );
        assert!((generated.entropy_bits - class_entropy(16, &classes)).abs() < 1e-9);
    }

    #[test]
    fn debug_hides_the_password() {
        let generated = generate(&chars(16, false)).expect("valid");
        assert!(!format!("{generated:?}").contains(&generated.password));
    }
}
