//! Tests of the generator: classes, look-alikes, uniform spread, entropy, the default.

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

#[test]
fn a_length_shorter_than_the_kinds_chosen_is_refused_with_its_own_code() {
    let kinds: Vec<Vec<char>> = [LOWER, UPPER, DIGITS, SYMBOLS]
        .iter()
        .map(|set| set.chars().collect())
        .collect();
    let refused = characters(3, &kinds).expect_err("four kinds in three characters");
    assert_eq!(refused.code(), "password_too_short");
    assert!(matches!(
        refused,
        TrackerError::PasswordTooShort {
            length: 3,
            kinds: 4
        }
    ));
    assert_eq!(
        characters(4, &kinds)
            .expect("fits")
            .password
            .chars()
            .count(),
        4
    );
}
