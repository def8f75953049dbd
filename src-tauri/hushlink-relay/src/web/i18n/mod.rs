//! The pages' languages: one catalogue per language (`en.json`, `de.json`, ... in this
//! folder, compiled in), the choice of language per request, and plural forms.
//!
//! - **Catalogues.** Flat maps from a message key to its text. Texts are ICU MessageFormat,
//!   rendered by the workspace's one renderer ([`hushlink_i18n`], as the app's tray is): plain
//!   text (escaped when it reaches a page) with `{name}` placeholders that take [`Html`]
//!   values, so a translation can move a value but never inject markup. Plural messages have
//!   one key per form, `KEY.one` and `KEY.other`. `tests.rs` fails when a language misses a
//!   key or a translation drops or invents a placeholder; `words_tests.rs` when a recipient's
//!   text says "relay" or a state or action word is not the app's.
//! - **Plurals.** The form is the count's CLDR plural category ([`PageWords::plural`], from
//!   ICU4X's data): "one" for exactly 1 in English, German, Dutch and Spanish, also for 0 in
//!   French and Portuguese (CLDR's `pt`, Brazilian usage); a category without a form of its
//!   own (a million is "many" in French) takes `other`, as intl-messageformat does. A test
//!   holds the pages to intl-messageformat's renderings of each pair. Dates are formatted by
//!   the page script with `Intl` in the page's language, with a UTC fallback without script.
//! - **Language.** The workspace's one [`Lang`] (`hushlink_i18n`: codes, tags, each
//!   language's name in itself for the picker); [`PageWords`] adds what only pages need of
//!   it: its catalogue's words as [`Html`], plural forms, a request's tag.
//! - **Choice.** `?lang=xx` (the picker's links, which work without script) wins; otherwise
//!   the browser's `Accept-Language`, honouring q-values; otherwise English.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::FromRequestParts;
use http::header;
use http::request::Parts;
use hushlink_i18n::{Arg, Sink};

use super::html::{escape, Html};

/// [`super::html::fill`] after putting each `[[key]]` of the template in `lang` (catalogue
/// texts are escaped, so the result is as trusted as the template).
pub fn fill_in(lang: Lang, template: &'static str, values: &[(&str, &Html)]) -> Html {
    let mut localized = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("[[") {
        localized.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            debug_assert!(false, "unclosed message marker in template");
            break;
        };
        localized.push_str(&lang.t(&after[..end], &[]).into_string());
        rest = &after[end + 2..];
    }
    localized.push_str(rest);
    super::html::fill_str(&localized, values)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod words_tests;

// The pages speak the workspace's one language type (the app's, the tracker's); what only
// pages need of it is `PageWords`. A plain comment: rustdoc 1.95 crashes resolving an
// intra-doc link in a re-export's doc comment.
pub use hushlink_i18n::Lang;

/// `(language, its catalogue)`, English first: the fallback and the reference. One per
/// [`Lang`]: a language added to `hushlink-i18n` does not compile here until it has its page
/// catalogue (and `tests.rs` checks that each language appears once).
const CATALOGUES: [(Lang, &str); Lang::ALL.len()] = [
    (Lang::En, include_str!("en.json")),
    (Lang::De, include_str!("de.json")),
    (Lang::Fr, include_str!("fr.json")),
    (Lang::Es, include_str!("es.json")),
    (Lang::Nl, include_str!("nl.json")),
    (Lang::Pt, include_str!("pt.json")),
];

/// What the pages need of a [`Lang`] beyond the shared type: its page catalogue's words
/// (escaped for HTML, plural forms chosen) and the reading of a request's language tag.
pub trait PageWords: Sized {
    /// The language of a tag as a request carries it (`?lang=de`, an `Accept-Language` item
    /// such as `pt-BR`), surrounding spaces allowed: [`Lang::parse`].
    fn from_tag(tag: &str) -> Option<Self>;

    /// The CLDR plural category of `n` in this language: `"one"`, `"many"` or `"other"`.
    fn plural(self, n: u64) -> &'static str;

    /// This language's page catalogue (English's when it has none, which the tests forbid).
    fn catalogue(self) -> &'static HashMap<String, String>;

    /// The raw text of `key`; English when this language lacks it (which the tests forbid).
    fn text(self, key: &str) -> &'static str;

    /// `key` as page text, its placeholders filled.
    fn t(self, key: &str, values: &[(&str, &Html)]) -> Html;

    /// The plural message `key` for `n` (`{n}` is filled with the number): the form of `n`'s
    /// plural category, else `KEY.other`.
    fn plural_t(self, key: &str, n: u64, values: &[(&str, &Html)]) -> Html;
}

impl PageWords for Lang {
    fn from_tag(tag: &str) -> Option<Self> {
        Lang::parse(tag.trim())
    }

    fn plural(self, n: u64) -> &'static str {
        hushlink_i18n::plural_category(self, n)
    }

    fn catalogue(self) -> &'static HashMap<String, String> {
        static PARSED: OnceLock<Vec<(Lang, HashMap<String, String>)>> = OnceLock::new();
        let all = PARSED.get_or_init(|| {
            CATALOGUES
                .iter()
                .map(|(lang, json)| {
                    // Compiled in and checked by the tests: a broken file is a build bug.
                    let map = serde_json::from_str(json).unwrap_or_else(|err| {
                        debug_assert!(false, "catalogue {} is not valid: {err}", lang.code());
                        HashMap::new()
                    });
                    (*lang, map)
                })
                .collect()
        });
        all.iter()
            .find(|(l, _)| *l == self)
            .map_or_else(|| &all[0].1, |(_, map)| map)
    }

    fn text(self, key: &str) -> &'static str {
        if let Some(text) = self.catalogue().get(key) {
            return text;
        }
        if let Some(text) = Lang::En.catalogue().get(key) {
            return text;
        }
        debug_assert!(false, "no message {key:?} in the English catalogue");
        ""
    }

    fn t(self, key: &str, values: &[(&str, &Html)]) -> Html {
        fill_message(self, self.text(key), &[], values)
    }

    fn plural_t(self, key: &str, n: u64, values: &[(&str, &Html)]) -> Html {
        let form = format!("{key}.{}", self.plural(n));
        let text = [self, Lang::En]
            .iter()
            .find_map(|lang| lang.catalogue().get(&form))
            .map_or_else(|| self.text(&format!("{key}.other")), String::as_str);
        fill_message(self, text, &[("n", Arg::Count(n))], values)
    }
}

/// The placeholder names of a message, in order (`{name}`).
#[cfg(test)]
pub(crate) fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// Renders the message in `lang` with `args`, escaping its text and putting the `values`
/// (already markup) in place of their `{name}`.
fn fill_message(
    lang: Lang,
    text: &str,
    args: &[(&str, Arg<'_>)],
    values: &[(&str, &Html)],
) -> Html {
    let mut page = PageText {
        out: Html::empty(),
        values,
    };
    hushlink_i18n::render(lang, text, args, &mut page);
    page.out
}

/// A message on its way into a page: text escaped, markup values inserted as they are.
struct PageText<'a> {
    out: Html,
    values: &'a [(&'a str, &'a Html)],
}

impl Sink for PageText<'_> {
    fn text(&mut self, text: &str) {
        self.out.push(escape(text));
    }

    fn unbound(&mut self, name: &str, _written: &str) {
        match self.values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => self.out.push((*value).clone()),
            None => debug_assert!(false, "message placeholder {{{name}}} has no value"),
        }
    }
}

/// The best language for an `Accept-Language` value: the highest q-value the pages speak
/// (the first listed among equals); `None` when none fits.
pub fn negotiate(accept_language: &str) -> Option<Lang> {
    let mut best: Option<(Lang, u16)> = None;
    for item in accept_language.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let mut q = 1000;
        for param in parts {
            if let Some(value) = param.trim().strip_prefix("q=") {
                q = parse_q(value.trim()).unwrap_or(0);
            }
        }
        if q == 0 {
            continue;
        }
        let Some(lang) = Lang::from_tag(tag) else {
            continue;
        };
        if best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

/// A q-value (`0` to `1` with up to three decimals) in thousandths.
fn parse_q(value: &str) -> Option<u16> {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let frac_value: u16 = format!("{frac:0<3}").parse().ok()?;
    let q = whole * 1000 + frac_value;
    (q <= 1000).then_some(q)
}

/// The language of one request: `?lang=` when given and known (then links and forms keep
/// it), else `Accept-Language`, else English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLang {
    pub lang: Lang,
    /// Chosen with `?lang=`: the page's own links and forms carry it on.
    pub explicit: bool,
}

impl PageLang {
    pub fn of(parts: &Parts) -> Self {
        Self::from(&parts.uri, &parts.headers)
    }

    /// [`PageLang::of`] from a request's address and headers.
    pub fn from(uri: &http::Uri, headers: &http::HeaderMap) -> Self {
        let from_query = uri.query().and_then(|query| {
            query
                .split('&')
                .filter_map(|pair| pair.strip_prefix("lang="))
                .find_map(Lang::from_tag)
        });
        if let Some(lang) = from_query {
            return Self {
                lang,
                explicit: true,
            };
        }
        let lang = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(negotiate)
            .unwrap_or(Lang::En);
        Self {
            lang,
            explicit: false,
        }
    }

    /// What a page's own link or form target appends to keep the chosen language.
    pub fn query(self) -> String {
        if self.explicit {
            format!("?lang={}", self.lang.code())
        } else {
            String::new()
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}
