//! The shell's language: the words of the tray menu and of desktop notifications.
//!
//! The words are the app's catalogues (`ui/src/lib/i18n/<lang>.json`), embedded by
//! [`hushlink_tracker::notify::catalog`] so the tracker's notifications and the tray read the
//! same files as the Svelte UI. The tray menu's and the tracker's messages are plural-free and
//! fill `{name}` placeholders ([`fill`]); the tray share's notices (`quick.*`) count things,
//! so [`message`] renders them as ICU MessageFormat ([`icu`], over the workspace's one
//! renderer, [`hushlink_i18n`]: CLDR plurals and grouped numbers from ICU4X), the way the UI
//! renders the same files, and [`duration`] says every lifetime the same way.
//!
//! The language is the user's choice when one is saved, else the system's (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`, `LANGUAGE`), else English. [`crate::tray::apply_language`] sets it
//! for the whole process and redraws the tray.

pub mod icu;

use hushlink_tracker::SecretState;

pub use hushlink_tracker::notify::catalog::{fill, language, text, Lang};
pub use icu::Arg;

/// The message `key` in `lang` (English if it lacks it), rendered as ICU MessageFormat.
pub fn message(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    icu::format(lang, text(lang, key), args)
}

/// A lifetime as people say it: "1 day", "7 days", "2 hours", "90 minutes" (whole days,
/// else whole hours, else minutes, at least one), in `lang`.
pub fn duration(lang: Lang, ms: i64) -> String {
    let minutes = u64::try_from(ms / 60_000).unwrap_or(0).max(1);
    let (key, count) = match minutes {
        m if m % (24 * 60) == 0 => ("quick.days", m / (24 * 60)),
        m if m % 60 == 0 => ("quick.hours", m / 60),
        m => ("quick.minutes", m),
    };
    message(lang, key, &[("count", Arg::Count(count))])
}

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
    fn lifetimes_are_whole_days_hours_or_minutes_in_every_language() {
        for lang in Lang::ALL {
            let day = duration(lang, 86_400_000);
            let week = duration(lang, 7 * 86_400_000);
            let hour = duration(lang, 3_600_000);
            let ninety = duration(lang, 90 * 60_000);
            assert!(day.starts_with("1 ") && week.starts_with("7 ") && hour.starts_with("1 "));
            assert!(ninety.starts_with("90 "), "not 1.5 hours: {ninety}");
            assert_ne!(
                day.replace('1', ""),
                week.replace('7', ""),
                "{}: singular and plural",
                lang.code()
            );
            assert_ne!(
                day.replace('1', ""),
                hour.replace('1', ""),
                "days are not hours"
            );
            assert!(
                duration(lang, 10_000).starts_with("1 "),
                "at least a minute"
            );
        }
        assert_eq!(duration(Lang::En, 7 * 86_400_000), "7 days");
    }

    /// Every `quick.*` message renders in every language with this module's ICU subset:
    /// no placeholder, plural or `#` is left unfilled (the UI's catalogue test checks that
    /// each language has the English placeholders; this checks Rust can fill them).
    #[test]
    fn every_tray_share_message_renders_in_every_language() {
        let english: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("../../../ui/src/lib/i18n/en.json"))
                .expect("the English catalogue");
        let keys: Vec<&String> = english.keys().filter(|k| k.starts_with("quick.")).collect();
        assert!(keys.len() >= 20, "the tray share's messages: {keys:?}");
        let args = [
            ("preview", Arg::Text("'esDg…LFJL', 20")),
            ("action", Arg::Text("Share")),
            ("server", Arg::Text("Acme")),
            ("time", Arg::Text("2 min")),
            ("head", Arg::Text("esDg")),
            ("tail", Arg::Text("LFJL")),
            ("size", Arg::Count(12_000)),
            ("limit", Arg::Count(1)),
            ("count", Arg::Count(2)),
            ("lines", Arg::Count(1)),
        ];
        for lang in Lang::ALL {
            for key in &keys {
                let words = message(lang, key, &args);
                assert!(
                    !words.is_empty() && !words.contains(['{', '}', '#']),
                    "{} {key}: {words}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn a_saved_choice_wins_over_the_system() {
        assert_eq!(resolve(Some("fr")), Lang::Fr);
        assert_eq!(resolve(Some("pt-BR")), Lang::Pt);
        assert_eq!(resolve(Some("xx")), Lang::from_env());
        assert_eq!(resolve(None), Lang::from_env());
    }
}
