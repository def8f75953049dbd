//! The sender's note: Hushlink's extension field `sender_note` on `POST /api/v1/share`.
//!
//! One line the sender chooses to show the recipient on the click-to-reveal page, so the
//! page can say who the secret is from ("Sam from IT, about your new laptop"). The Onetime
//! API has no such field and its servers ignore form fields they do not know, so a client
//! sends it only to a Hushlink relay (a profile marked as one). A relay seals it under the
//! secret key like the value (nothing readable without the link), shows it, escaped, on the
//! page of a live secret, and deletes it with the value.
//!
//! The rule is defined once, here: trimmed, empty means none, at most [`MAX_CHARS`]
//! characters, no control or bidirectional-override characters (the page shows it as one
//! line, and an override could make it read as something else).

/// The form field's name.
pub const FIELD: &str = "sender_note";

/// Longest note, in characters (Unicode scalar values).
pub const MAX_CHARS: usize = 120;

/// Why a note cannot be shown to the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteError {
    /// Longer than [`MAX_CHARS`] characters.
    #[error("The note for the recipient may have at most {MAX_CHARS} characters.")]
    TooLong,
    /// Holds a line break, another control character or a bidirectional override.
    #[error("The note for the recipient must be one line of plain text.")]
    NotPlainText,
}

/// The note as it is sent, stored and shown: trimmed, `None` when nothing is left.
pub fn normalize(raw: &str) -> Result<Option<&str>, NoteError> {
    let note = raw.trim();
    if note.is_empty() {
        return Ok(None);
    }
    if note.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(NoteError::NotPlainText);
    }
    if note.chars().count() > MAX_CHARS {
        return Err(NoteError::TooLong);
    }
    Ok(Some(note))
}

/// Characters that reorder the text around them (Unicode bidi embeddings, overrides and
/// isolates, and the marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_one_trimmed_line_of_limited_length() {
        assert_eq!(normalize("  Sam from IT "), Ok(Some("Sam from IT")));
        assert_eq!(normalize(" \t "), Ok(None), "blank is no note");
        assert_eq!(normalize(""), Ok(None));
        let longest = "é".repeat(MAX_CHARS);
        assert_eq!(
            normalize(&longest),
            Ok(Some(longest.as_str())),
            "characters, not bytes"
        );
        assert_eq!(
            normalize(&"x".repeat(MAX_CHARS + 1)),
            Err(NoteError::TooLong)
        );
        assert_eq!(normalize("Sam\nfrom IT"), Err(NoteError::NotPlainText));
        assert_eq!(normalize("Sam\u{7}"), Err(NoteError::NotPlainText));
        assert_eq!(
            normalize("IT \u{202E}gnp.exe"),
            Err(NoteError::NotPlainText)
        );
        assert_eq!(
            normalize("<b>Sam</b> & co"),
            Ok(Some("<b>Sam</b> & co")),
            "escaping is the page's job"
        );
    }
}
