//! This renderer says what the UI's intl-messageformat says: every plural message of the app's
//! catalogues, in all six languages, at 0, 1, 2, 5, 21 and 1,000,000, against the renderings
//! `ui/scripts/icu-expectations.mjs` wrote with intl-messageformat (`intl-expected.json`). The
//! relay's plural forms are checked the same way by the relay's own tests, through its pages'
//! code; this test checks that the file still matches both catalogues.

use std::collections::BTreeSet;
use std::path::PathBuf;

use hushlink_i18n::{format, Arg, Lang};
use serde_json::{Map, Value};

const REGENERATE: &str = "a catalogue's plural messages changed: run \
    `node ui/scripts/icu-expectations.mjs` and commit tests/intl-expected.json";

fn workspace_file(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn expected() -> Vec<Value> {
    let file: Value = serde_json::from_str(include_str!("intl-expected.json")).expect("JSON");
    let counts: Vec<u64> = file["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| c.as_u64().expect("a count"))
        .collect();
    assert_eq!(counts, [0, 1, 2, 5, 21, 1_000_000]);
    file["entries"].as_array().expect("entries").clone()
}

fn catalogue(path: &str) -> Map<String, Value> {
    serde_json::from_str(&workspace_file(path)).expect("a catalogue")
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .expect("names")
        .iter()
        .map(|v| v.as_str().expect("a name"))
        .collect()
}

#[test]
fn app_plurals_render_as_intl_messageformat_renders_them() {
    let entries = expected();
    let mut checked = 0;
    for entry in entries.iter().filter(|e| e["catalogue"] == "app") {
        let lang = Lang::from_code(entry["lang"].as_str().expect("lang")).expect("a language");
        let key = entry["key"].as_str().expect("key");
        let message = entry["message"].as_str().expect("message");
        let texts: Vec<(String, String)> = strings(&entry["texts"])
            .into_iter()
            .map(|name| (name.to_owned(), format!("[{name}]")))
            .collect();
        for (n, want) in entry["renderings"].as_object().expect("renderings") {
            let n: u64 = n.parse().expect("a count");
            let mut args: Vec<(&str, Arg<'_>)> = strings(&entry["counts"])
                .into_iter()
                .map(|name| (name, Arg::Count(n)))
                .collect();
            args.extend(texts.iter().map(|(k, v)| (k.as_str(), Arg::Text(v))));
            assert_eq!(
                format(lang, message, &args),
                want.as_str().expect("a rendering"),
                "{} {key} at {n}",
                lang.code()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 6 * 6 * 15,
        "only {checked} renderings were compared"
    );
}

/// The expectations are current: the same plural messages, with the same text, as the
/// catalogues have now (a plural message is one with a `plural` argument in the app's
/// catalogues, a `KEY.one`/`KEY.other` pair in the relay's).
#[test]
fn the_expectations_match_the_catalogues() {
    let entries = expected();
    for lang in Lang::ALL {
        let code = lang.code();
        let app = catalogue(&format!("ui/src/lib/i18n/{code}.json"));
        let want: BTreeSet<(&str, &str)> = app
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().expect("a text")))
            .filter(|(_, text)| text.contains(", plural,") || text.contains(",plural,"))
            .collect();
        let relay = catalogue(&format!(
            "src-tauri/hushlink-relay/src/web/i18n/{code}.json"
        ));
        let forms: Vec<(String, String)> = relay
            .iter()
            .filter_map(|(k, one)| {
                let base = k.strip_suffix(".one")?;
                let other = relay.get(&format!("{base}.other"))?.as_str()?;
                let message = format!("{{n, plural, one {{{}}} other {{{other}}}}}", one.as_str()?);
                Some((base.to_owned(), message))
            })
            .collect();
        let have = |catalogue: &str| -> BTreeSet<(&str, &str)> {
            entries
                .iter()
                .filter(|e| e["catalogue"] == catalogue && e["lang"] == code)
                .map(|e| {
                    (
                        e["key"].as_str().expect("key"),
                        e["message"].as_str().expect("message"),
                    )
                })
                .collect()
        };
        assert_eq!(have("app"), want, "{code}: {REGENERATE}");
        let relay_want: BTreeSet<(&str, &str)> = forms
            .iter()
            .map(|(k, m)| (k.as_str(), m.as_str()))
            .collect();
        assert!(!relay_want.is_empty(), "{code}: the relay has plural forms");
        assert_eq!(have("relay"), relay_want, "{code}: {REGENERATE}");
    }
}
