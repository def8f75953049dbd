//! The vocabulary's words for human output, from the app's English catalogue
//! (`ui/src/lib/i18n/en.json`, see `docs/vocabulary.md`), so the terminal says "opened" and
//! "destroyed" as the app does. Only words: `--json` output and exit codes keep their codes.
//! English only, as the CLI's other text is.

use std::collections::HashMap;
use std::sync::OnceLock;

use hushlink_protocol::Phase;

const EN: &str = include_str!("../../../ui/src/lib/i18n/en.json");

/// The English message `key`; the key itself if the catalogue lacks it (a test guards this).
pub fn word(key: &str) -> &'static str {
    static WORDS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let words = WORDS.get_or_init(|| serde_json::from_str(EN).unwrap_or_default());
    match words.get(key) {
        Some(text) => text,
        None => {
            // Leaked once per unknown key at most: only a build with a broken catalogue gets here.
            Box::leak(key.to_owned().into_boxed_str())
        }
    }
}

/// What a receipt's phase means for the sender ("not opened yet").
pub fn phase(phase: Phase) -> &'static str {
    word(match phase {
        Phase::Unread => "cli.phase.unread",
        Phase::Read => "cli.phase.read",
        Phase::Gone => "cli.phase.gone",
        Phase::Unknown => "cli.phase.unknown",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_the_cli_uses_is_in_the_catalogue() {
        for key in [
            "cli.phase.unread",
            "cli.phase.read",
            "cli.phase.gone",
            "cli.phase.unknown",
            "cli.destroyed",
            "state.viewed",
        ] {
            assert_ne!(word(key), key, "{key} is missing from en.json");
        }
        assert_eq!(phase(Phase::Read), word("cli.phase.read"));
        assert_ne!(phase(Phase::Read), phase(Phase::Gone));
    }
}
