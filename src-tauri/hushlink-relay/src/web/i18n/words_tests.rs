//! The pages' words: what a recipient reads speaks plainly (no "relay", no "use up"), and the
//! words for a secret's states and actions are the app's own (`ui/src/lib/i18n/<lang>.json`),
//! so the two vocabularies cannot drift apart.

use std::collections::HashMap;

use super::*;

/// Keys of pages that are not a recipient's, with why they may name the relay: the landing
/// page tells colleagues in the office about the relay they may share through, and an invite
/// is read by a colleague who imports it into the Hushlink app, where "relay" is the word on
/// the screen they are told to use.
const NOT_FOR_RECIPIENTS: [&str; 2] = ["landing.", "invite."];

/// The jargon a recipient should never meet, by language (lower case): "relay" in each
/// language's own spelling, and "use up" for the once-only rule.
fn jargon(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &["relay", "use up", "used up", "uses up"],
        Lang::De | Lang::Nl | Lang::Pt => &["relay"],
        Lang::Fr => &["relais"],
        Lang::Es => &["relé", "servidor de hushlink", "servidor de la oficina"],
    }
}

#[test]
fn recipients_never_read_relay_or_use_up() {
    for lang in Lang::ALL {
        let mut found: Vec<(&str, &str)> = Vec::new();
        for (key, text) in lang.catalogue() {
            if NOT_FOR_RECIPIENTS
                .iter()
                .any(|prefix| key.starts_with(prefix))
            {
                continue;
            }
            let lower = text.to_lowercase();
            found.extend(
                jargon(lang)
                    .iter()
                    .filter(|word| lower.contains(**word))
                    .map(|word| (key.as_str(), *word)),
            );
        }
        found.sort_unstable();
        assert!(found.is_empty(), "{}.json: {found:?}", lang.code());
    }
}

#[test]
fn the_jargon_check_sees_the_word_in_every_language() {
    // The allow-listed pages do say it: a check that found nothing there would check nothing.
    for lang in Lang::ALL {
        let text = lang.text("landing.intro").to_lowercase();
        assert!(
            jargon(lang).iter().any(|word| text.contains(word)),
            "{}: {text}",
            lang.code()
        );
    }
}

/// The app's catalogue of `lang` (the desktop UI's, which the tray and notifications share).
fn app_catalogue(lang: Lang) -> HashMap<String, String> {
    let json = match lang {
        Lang::En => include_str!("../../../../../ui/src/lib/i18n/en.json"),
        Lang::De => include_str!("../../../../../ui/src/lib/i18n/de.json"),
        Lang::Fr => include_str!("../../../../../ui/src/lib/i18n/fr.json"),
        Lang::Es => include_str!("../../../../../ui/src/lib/i18n/es.json"),
        Lang::Nl => include_str!("../../../../../ui/src/lib/i18n/nl.json"),
        Lang::Pt => include_str!("../../../../../ui/src/lib/i18n/pt.json"),
    };
    serde_json::from_str(json).unwrap_or_else(|err| panic!("app {}.json: {err}", lang.code()))
}

/// `(the pages' key, the app's key)` of each word both say: the states a receipt shows, the
/// destroy and copy actions, and the passphrase.
const SAME_WORDS: [(&str, &str); 7] = [
    ("receipt.state.new", "state.unread"),
    ("receipt.state.received", "state.viewed"),
    ("receipt.state.burned", "state.burned"),
    ("receipt.state.expired", "state.expired"),
    ("receipt.destroy", "action.destroy"),
    ("receipt.copyLink", "share.copyLink"),
    ("passphrase.label", "open.pass"),
];

#[test]
fn states_and_actions_are_the_apps_words_in_every_language() {
    for lang in Lang::ALL {
        let app = app_catalogue(lang);
        for (page_key, app_key) in SAME_WORDS {
            let app_word = app
                .get(app_key)
                .unwrap_or_else(|| panic!("app {}.json lacks {app_key}", lang.code()));
            assert_eq!(
                lang.text(page_key),
                app_word,
                "{}: the pages' {page_key} is not the app's {app_key}",
                lang.code()
            );
        }
    }
}
