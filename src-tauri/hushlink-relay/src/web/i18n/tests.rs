//! The catalogues are complete and keep their placeholders; the language choice honours
//! `?lang=` and `Accept-Language` q-values; plural forms follow each language's rule.

use std::collections::{BTreeSet, HashMap};

use super::*;

fn parsed(lang: Lang) -> HashMap<String, String> {
    let json = CATALOGUES
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, json)| *json)
        .expect("every language has a catalogue");
    serde_json::from_str(json).unwrap_or_else(|err| panic!("{}.json: {err}", lang.code()))
}

fn names(text: &str) -> BTreeSet<&str> {
    placeholders(text).into_iter().collect()
}

#[test]
fn every_language_has_every_message_with_its_placeholders() {
    let english = parsed(Lang::En);
    assert!(english.len() > 50, "the English catalogue is the reference");
    for lang in Lang::ALL {
        let catalogue = parsed(lang);
        let code = lang.code();
        let missing: Vec<_> = english
            .keys()
            .filter(|k| !catalogue.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{code}.json lacks {missing:?}");
        let extra: Vec<_> = catalogue
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        assert!(
            extra.is_empty(),
            "{code}.json has keys English lacks: {extra:?}"
        );
        for (key, text) in &catalogue {
            assert!(!text.trim().is_empty(), "{code}.json: {key} is empty");
            assert_eq!(
                names(text),
                names(&english[key]),
                "{code}.json: {key} must keep the placeholders of English"
            );
            assert_eq!(
                text.matches('{').count(),
                text.matches('}').count(),
                "{code}.json: {key} has an unbalanced brace"
            );
        }
    }
}

#[test]
fn translations_are_translated() {
    // A copied English catalogue would pass the completeness test; most texts must differ.
    let english = parsed(Lang::En);
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let catalogue = parsed(lang);
        let same = english.iter().filter(|(k, v)| catalogue[*k] == **v).count();
        assert!(
            same * 10 < english.len(),
            "{}.json: {same} of {} texts are still English",
            lang.code(),
            english.len()
        );
    }
}

#[test]
fn plural_messages_have_both_forms() {
    let english = parsed(Lang::En);
    for key in english.keys() {
        if let Some(base) = key.strip_suffix(".one") {
            assert!(
                english.contains_key(&format!("{base}.other")),
                "{key} without .other"
            );
        }
        if let Some(base) = key.strip_suffix(".other") {
            assert!(
                english.contains_key(&format!("{base}.one")),
                "{key} without .one"
            );
        }
    }
}

#[test]
fn plural_rules_follow_each_language() {
    for lang in [Lang::En, Lang::De, Lang::Es, Lang::Nl] {
        assert_eq!(lang.plural(0), "other", "{lang:?} 0");
        assert_eq!(lang.plural(1), "one", "{lang:?} 1");
        assert_eq!(lang.plural(2), "other", "{lang:?} 2");
    }
    for lang in [Lang::Fr, Lang::Pt] {
        assert_eq!(lang.plural(0), "one", "{lang:?} 0");
        assert_eq!(lang.plural(1), "one", "{lang:?} 1");
        assert_eq!(lang.plural(5), "other", "{lang:?} 5");
    }
    assert_eq!(
        Lang::En.plural_t("passphrase.tries", 1, &[]).into_string(),
        Lang::En.text("passphrase.tries.one").replace("{n}", "1")
    );
    assert_eq!(
        Lang::De.plural_t("passphrase.tries", 5, &[]).into_string(),
        Lang::De.text("passphrase.tries.other").replace("{n}", "5")
    );
}

#[test]
fn accept_language_honours_q_values_and_falls_back() {
    assert_eq!(negotiate("de-DE,de;q=0.9,en;q=0.8"), Some(Lang::De));
    assert_eq!(negotiate("en;q=0.5, fr;q=0.9"), Some(Lang::Fr));
    assert_eq!(
        negotiate("ja, nl;q=0.3"),
        Some(Lang::Nl),
        "unknown languages skipped"
    );
    assert_eq!(negotiate("pt-BR"), Some(Lang::Pt));
    assert_eq!(
        negotiate("es;q=0, en;q=0.1"),
        Some(Lang::En),
        "q=0 means never"
    );
    assert_eq!(
        negotiate("fr;q=0.8, de;q=0.8"),
        Some(Lang::Fr),
        "first among equals"
    );
    assert_eq!(negotiate("ja, zh"), None);
    assert_eq!(negotiate(""), None);
    assert_eq!(negotiate("de;q=2"), None, "an invalid q-value counts as 0");
}

fn parts(uri: &str, accept: Option<&str>) -> Parts {
    let mut builder = http::Request::builder().uri(uri);
    if let Some(value) = accept {
        builder = builder.header(header::ACCEPT_LANGUAGE, value);
    }
    builder.body(()).expect("request").into_parts().0
}

#[test]
fn query_wins_over_the_header_and_is_carried_on() {
    let chosen = PageLang::of(&parts("/secret/abc?lang=es", Some("de")));
    assert_eq!(
        chosen,
        PageLang {
            lang: Lang::Es,
            explicit: true
        }
    );
    assert_eq!(chosen.query(), "?lang=es");
    let header = PageLang::of(&parts("/secret/abc", Some("de")));
    assert_eq!(
        header,
        PageLang {
            lang: Lang::De,
            explicit: false
        }
    );
    assert_eq!(
        header.query(),
        "",
        "a negotiated language adds nothing to links"
    );
    let unknown = PageLang::of(&parts("/?lang=xx", None));
    assert_eq!(unknown.lang, Lang::En, "an unknown ?lang= falls back");
}

#[test]
fn messages_escape_their_text_and_keep_value_markup() {
    let value = Html::trusted("<strong>x</strong>");
    let out = fill_message(Lang::En, "a < b {name} & c", &[], &[("name", &value)]);
    assert_eq!(out.into_string(), "a &lt; b <strong>x</strong> &amp; c");
}

/// The pages' plural forms read as the UI's intl-messageformat reads each pair as
/// `{n, plural, one {…} other {…}}`: in every language at 0, 1, 2, 5, 21 and 1,000,000,
/// against the renderings `ui/scripts/icu-expectations.mjs` wrote (hushlink-i18n's tests
/// check that file still matches these catalogues).
#[test]
fn plural_forms_render_as_intl_messageformat_renders_them() {
    let file: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../hushlink-i18n/tests/intl-expected.json"
    ))
    .expect("the expectations");
    let mut checked = 0;
    let entries = file["entries"].as_array().expect("entries");
    for entry in entries.iter().filter(|e| e["catalogue"] == "relay") {
        let lang = Lang::from_tag(entry["lang"].as_str().expect("lang")).expect("a language");
        let key = entry["key"].as_str().expect("key");
        let texts: Vec<(&str, Html)> = entry["texts"]
            .as_array()
            .expect("texts")
            .iter()
            .map(|name| {
                let name = name.as_str().expect("a name");
                (name, escape(&format!("[{name}]")))
            })
            .collect();
        let values: Vec<(&str, &Html)> = texts.iter().map(|(n, v)| (*n, v)).collect();
        for (n, want) in entry["renderings"].as_object().expect("renderings") {
            let n: u64 = n.parse().expect("a count");
            assert_eq!(
                lang.plural_t(key, n, &values).into_string(),
                escape(want.as_str().expect("a rendering")).into_string(),
                "{} {key} at {n}",
                lang.code()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 6 * 6 * 2,
        "only {checked} renderings were compared"
    );
}

#[test]
fn a_category_without_a_form_of_its_own_takes_other() {
    assert_eq!(Lang::Fr.plural(1_000_000), "many");
    assert_eq!(
        Lang::Fr
            .plural_t("passphrase.tries", 1_000_000, &[])
            .into_string(),
        escape(
            &Lang::Fr
                .text("passphrase.tries.other")
                .replace("{n}", "1000000")
        )
        .into_string()
    );
}

/// The pages speak exactly hushlink_i18n's languages: each has one compiled-in catalogue, and
/// this folder holds no catalogue for a language the shared type lacks, so a seventh language
/// cannot be half-added on either side.
#[test]
fn the_pages_speak_exactly_the_shared_languages() {
    let compiled: Vec<Lang> = CATALOGUES.iter().map(|(lang, _)| *lang).collect();
    assert_eq!(
        compiled,
        Lang::ALL,
        "one catalogue per language, in Lang::ALL's order"
    );
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/i18n");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("the catalogues' folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
        .collect();
    files.sort();
    let mut codes: Vec<String> = Lang::ALL.iter().map(|l| l.code().to_owned()).collect();
    codes.sort();
    assert_eq!(
        files, codes,
        "a catalogue file per shared language, and no other"
    );
}
