//! The shell's language: the words of the tray menu and of desktop notifications.
//!
//! The words are the app's catalogues (`ui/src/lib/i18n/<lang>.json`), embedded by
//! [`hushlink_tracker::notify::catalog`] so the tracker's notifications and the tray read the
//! same files as the Svelte UI. Messages read here are plural-free by design: they fill `{name}`
//! placeholders only, and counting words live in the UI (ICU plural rules there).
//!
//! The language is the user's choice when one is saved, else the system's (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`, `LANGUAGE`), else English. [`crate::tray::apply_language`] sets it
//! for the whole process and redraws the tray.

use hushlink_tracker::SecretState;

pub use hushlink_tracker::notify::catalog::{fill, language, text, Lang};

/// The language for a saved choice ("de", "pt-BR"), or the system's when there is none or it
/// is not one Hushlink speaks.
pub fn resolve(choice: Option<&str>) -> Lang {
    choice.and_then(Lang::parse).unwrap_or_else(Lang::from_env)
}

/// The one word for a state (the vocabulary: `docs/vocabulary.md`).
pub fn state_word(lang: Lang, state: SecretState) -> &'static str {
    text(
        lang,
        match state {
            SecretState::Unread => "state.unread",
            SecretState::Opened => "state.viewed",
            SecretState::Expired => "state.expired",
            SecretState::Burned => "state.burned",
            SecretState::Orphaned => "state.orphaned",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [SecretState; 5] = [
        SecretState::Unread,
        SecretState::Opened,
        SecretState::Expired,
        SecretState::Burned,
        SecretState::Orphaned,
    ];

    #[test]
    fn each_state_has_one_word_of_its_own_in_every_language() {
        for lang in Lang::ALL {
            let words: std::collections::HashSet<&str> =
                STATES.iter().map(|s| state_word(lang, *s)).collect();
            assert_eq!(words.len(), STATES.len(), "{}: {words:?}", lang.code());
            assert!(
                words.iter().all(|w| !w.starts_with("state.")),
                "{}: a key was not found",
                lang.code()
            );
        }
        assert_eq!(
            state_word(Lang::En, SecretState::Opened),
            text(Lang::En, "state.viewed")
        );
    }

    #[test]
    fn a_saved_choice_wins_over_the_system() {
        assert_eq!(resolve(Some("fr")), Lang::Fr);
        assert_eq!(resolve(Some("pt-BR")), Lang::Pt);
        assert_eq!(resolve(Some("xx")), Lang::from_env());
        assert_eq!(resolve(None), Lang::from_env());
    }
}
