//! Refusals the person can fix, checked before the tracker is asked, so each gets a code of
//! its own (and the numbers its words name) instead of the tracker's `invalid_input` with an
//! English sentence the UI cannot translate.
//!
//! The rules stay where they are defined (the protocol's note rule, the generator's ranges,
//! the tracker's language tags); these functions only ask them and name the failure. What
//! they let through, the tracker checks again.

use hushlink_protocol::note::{self, NoteError};
use hushlink_tracker::generator::{GeneratorOptions, LENGTH_RANGE, WORDS_RANGE};

use crate::error::{CommandError, CommandResult, ErrorCode};

/// The note shown to the recipient: one line of plain text, at most [`note::MAX_CHARS`].
pub fn sender_note(raw: Option<&str>) -> CommandResult<()> {
    match raw.map(note::normalize) {
        Some(Err(NoteError::TooLong)) => Err(CommandError::new(
            ErrorCode::SenderNoteTooLong,
            NoteError::TooLong.to_string(),
        )
        .with_range(0, count(note::MAX_CHARS))),
        Some(Err(refused)) => Err(CommandError::new(
            ErrorCode::SenderNoteNotPlain,
            refused.to_string(),
        )),
        Some(Ok(_)) | None => Ok(()),
    }
}

/// What the password generator is asked for: a length or word count in its range, and at
/// least one kind of character.
pub fn generator(options: &GeneratorOptions) -> CommandResult<()> {
    match options {
        GeneratorOptions::Characters { length, .. } if !LENGTH_RANGE.contains(length) => {
            Err(CommandError::new(
                ErrorCode::PasswordLength,
                format!("a password of {length} characters was asked for"),
            )
            .with_range(*LENGTH_RANGE.start(), *LENGTH_RANGE.end()))
        }
        GeneratorOptions::Characters {
            lowercase: false,
            uppercase: false,
            digits: false,
            symbols: false,
            ..
        } => Err(CommandError::new(
            ErrorCode::PasswordKinds,
            "a password without any kind of character was asked for",
        )),
        GeneratorOptions::Passphrase { words, .. } if !WORDS_RANGE.contains(words) => {
            Err(CommandError::new(
                ErrorCode::PassphraseWords,
                format!("a passphrase of {words} words was asked for"),
            )
            .with_range(*WORDS_RANGE.start(), *WORDS_RANGE.end()))
        }
        _ => Ok(()),
    }
}

/// The app's language: a tag whose language has a catalogue, or none (the system's).
pub fn language(tag: Option<&str>) -> CommandResult<()> {
    match tag.and_then(hushlink_tracker::settings::language_tag_error) {
        // The tag is what the UI sent, not secret; the sentence goes to the log only.
        Some(refused) => Err(CommandError::new(ErrorCode::LanguageUnsupported, refused)),
        None => Ok(()),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: CommandResult<()>) -> Option<&'static str> {
        result.err().map(|e| e.code.as_str())
    }

    #[test]
    fn a_note_too_long_names_the_limit_and_one_with_a_line_break_is_not_plain() {
        let long = "x".repeat(note::MAX_CHARS + 1);
        let refused = sender_note(Some(&long)).expect_err("too long");
        assert_eq!(refused.code, ErrorCode::SenderNoteTooLong.as_str());
        assert_eq!(
            refused.args.and_then(|a| a.max),
            Some(count(note::MAX_CHARS))
        );
        assert_eq!(
            code(sender_note(Some("Sam\nfrom IT"))),
            Some(ErrorCode::SenderNoteNotPlain.as_str())
        );
        assert_eq!(code(sender_note(Some("  Sam from IT "))), None);
        assert_eq!(code(sender_note(Some(""))), None, "blank is no note");
        assert_eq!(code(sender_note(None)), None);
    }

    fn characters(length: u32, any: bool) -> GeneratorOptions {
        GeneratorOptions::Characters {
            length,
            lowercase: any,
            uppercase: false,
            digits: false,
            symbols: false,
            easy_to_read: true,
        }
    }

    #[test]
    fn the_generator_is_refused_with_its_range_or_for_no_kind_of_character() {
        let short = generator(&characters(LENGTH_RANGE.start() - 1, true)).expect_err("short");
        assert_eq!(short.code, ErrorCode::PasswordLength.as_str());
        let args = short.args.expect("the range");
        assert_eq!(
            (args.min, args.max),
            (Some(*LENGTH_RANGE.start()), Some(*LENGTH_RANGE.end()))
        );
        assert_eq!(
            code(generator(&characters(20, false))),
            Some(ErrorCode::PasswordKinds.as_str())
        );
        assert_eq!(code(generator(&characters(20, true))), None);
        let words = |words| GeneratorOptions::Passphrase {
            words,
            separator: "-".into(),
            capitalize: false,
            add_digit: false,
        };
        let many = generator(&words(WORDS_RANGE.end() + 1)).expect_err("too many words");
        assert_eq!(many.code, ErrorCode::PassphraseWords.as_str());
        assert_eq!(many.args.and_then(|a| a.max), Some(*WORDS_RANGE.end()));
        assert_eq!(code(generator(&words(*WORDS_RANGE.start()))), None);
        // The tracker's last refusal (too short for one of each kind) cannot follow: the
        // shortest length holds all four kinds.
        let all = GeneratorOptions::Characters {
            length: *LENGTH_RANGE.start(),
            lowercase: true,
            uppercase: true,
            digits: true,
            symbols: true,
            easy_to_read: true,
        };
        assert_eq!(code(generator(&all)), None);
        assert!(hushlink_tracker::generate(&all).is_ok());
    }

    #[test]
    fn a_language_without_a_catalogue_is_its_own_code() {
        assert_eq!(
            code(language(Some("xx"))),
            Some(ErrorCode::LanguageUnsupported.as_str())
        );
        assert_eq!(
            code(language(Some("not a tag"))),
            Some(ErrorCode::LanguageUnsupported.as_str())
        );
        assert_eq!(code(language(Some("de"))), None);
        assert_eq!(code(language(None)), None);
    }
}
