//! The app's words in six languages, for what Rust shows itself (notifications, the tray menu).
//!
//! The catalogues are the UI's own files (`ui/src/lib/i18n/<lang>.json`, one flat object of
//! message key -> text per language), embedded at build time: the Svelte UI and the shell read
//! the same words, and `en.json` defines every key. The UI formats them as ICU MessageFormat;
//! the messages Rust reads are plural-free by design (the UI's catalogue test checks it), so
//! filling `{name}` placeholders is all this module does.
//!
//! The language is process-wide ([`set_language`]): the shell sets it from the user's choice or
//! the system's locale ([`Lang::from_env`]) and the tracker's notifications follow it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// A language Hushlink speaks (the renderer's type: `hushlink_i18n::Lang`, one for every crate).
pub use hushlink_i18n::Lang;

/// The catalogue file of `lang`, embedded.
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../../../ui/src/lib/i18n/en.json"),
        Lang::De => include_str!("../../../../ui/src/lib/i18n/de.json"),
        Lang::Fr => include_str!("../../../../ui/src/lib/i18n/fr.json"),
        Lang::Es => include_str!("../../../../ui/src/lib/i18n/es.json"),
        Lang::Nl => include_str!("../../../../ui/src/lib/i18n/nl.json"),
        Lang::Pt => include_str!("../../../../ui/src/lib/i18n/pt.json"),
    }
}

type Catalogue = HashMap<String, String>;

fn catalogue(lang: Lang) -> &'static Catalogue {
    static PARSED: [OnceLock<Catalogue>; 6] = [const { OnceLock::new() }; 6];
    PARSED[lang.index()].get_or_init(|| {
        // The files are checked by the UI's tests and by this module's: a broken one is a
        // build defect, shown as keys rather than a crash.
        serde_json::from_str(source(lang)).unwrap_or_else(|error| {
            tracing::error!(lang = lang.code(), %error, "unreadable catalogue");
            Catalogue::new()
        })
    })
}

/// The message `key` in `lang`, else in English, else the key itself (never empty).
pub fn text(lang: Lang, key: &str) -> &str {
    catalogue(lang)
        .get(key)
        .or_else(|| catalogue(Lang::En).get(key))
        .map_or(key, String::as_str)
}

/// The message `key` in `lang` with each `{name}` replaced by its value. Values are inserted
/// as given (a label's own braces are not read as placeholders).
pub fn fill(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let template = text(lang, key);
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_end = after.find('}');
        match name_end.and_then(|end| {
            let name = &after[..end];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (end, *v))
        }) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of what Rust shows from now on (notifications, the tray).
pub fn set_language(lang: Lang) {
    CURRENT.store(lang.index() as u8, Ordering::Relaxed);
}

/// The language set by [`set_language`]; English until then.
pub fn language() -> Lang {
    Lang::ALL
        .get(usize::from(CURRENT.load(Ordering::Relaxed)))
        .copied()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys Rust reads exist in every catalogue, with the same placeholders as English.
    #[test]
    fn every_catalogue_has_what_rust_reads() {
        let keys: Vec<&String> = catalogue(Lang::En)
            .keys()
            .filter(|k| {
                ["notify.", "tray.", "state.", "cli."]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
            .collect();
        assert!(keys.len() > 20, "the English catalogue was read: {keys:?}");
        let names = |s: &str| {
            let mut found: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|part| part.split_once('}').map(|(n, _)| n.to_owned()))
                .collect();
            found.sort();
            found
        };
        for lang in Lang::ALL {
            for key in &keys {
                let message = catalogue(lang)
                    .get(*key)
                    .unwrap_or_else(|| panic!("{} lacks {key}", lang.code()));
                assert_eq!(
                    names(message),
                    names(text(Lang::En, key)),
                    "{} {key}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let filled = fill(
            Lang::En,
            "notify.opened.body",
            &[("label", "R&D {x}"), ("time", "10:42")],
        );
        assert!(filled.contains("R&D {x}"), "{filled}");
        assert!(filled.contains("10:42"), "{filled}");
        assert!(!filled.contains("{label}"), "{filled}");
        assert_eq!(
            fill(Lang::En, "tray.relayOff", &[]),
            text(Lang::En, "tray.relayOff")
        );
        assert_eq!(text(Lang::De, "no.such.key"), "no.such.key");
        assert_ne!(
            text(Lang::De, "state.viewed"),
            text(Lang::En, "state.viewed")
        );
    }
}
