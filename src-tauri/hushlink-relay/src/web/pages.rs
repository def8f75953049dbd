//! The pages, as functions from what the relay knows to [`Html`], in the reader's language.
//! Handlers pick the page and the status; nothing here touches the store. The receipt page
//! is in `receipt_page`, the landing page in `landing`.

use super::html::{escape, fill, number, Html};
use super::i18n::fill_in;
use super::i18n::{Lang, PageLang, PageWords};
use super::time::time_element;

const LAYOUT: &str = include_str!("../../assets/layout.html");
const CONFIRM: &str = include_str!("../../assets/pages/confirm.html");
const REVEALED: &str = include_str!("../../assets/pages/revealed.html");
const GONE: &str = include_str!("../../assets/pages/gone.html");
const MESSAGE: &str = include_str!("../../assets/pages/message.html");
const NOT_FOUND: &str = include_str!("../../assets/pages/not-found.html");

/// The messages the page script shows (`<script type="application/json" id="page-texts">`).
const SCRIPT_TEXTS: &[&str] = &[
    "confirm.opening",
    "copy.copied",
    "copy.selected",
    "revealed.label",
    "e2e.decrypted",
    "e2e.failedAfter",
    "e2e.failedBefore",
    "e2e.unusable",
    "e2e.failed",
    "e2e.not_encrypted",
    "e2e.missing_key",
    "e2e.bad_key",
    "e2e.bad_value",
    "e2e.tampered",
    "e2e.not_text",
];

/// Which page a document is; the page script reads it from `<body data-page>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Confirm,
    Revealed,
    Gone,
    Receipt,
    Message,
    Landing,
    NotFound,
    Invite,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Revealed => "revealed",
            Self::Gone => "gone",
            Self::Receipt => "receipt",
            Self::Message => "message",
            Self::Landing => "landing",
            Self::NotFound => "not-found",
            Self::Invite => "invite",
        }
    }
}

/// The document around a page's `main`, with the language picker (left out of the
/// revealed page: following a link there would leave the secret behind).
pub(super) fn layout(pl: PageLang, kind: Kind, title: &Html, main: &Html) -> Html {
    let lang = pl.lang;
    let languages = if kind == Kind::Revealed {
        Html::empty()
    } else {
        language_picker(lang)
    };
    fill_in(
        lang,
        LAYOUT,
        &[
            ("lang", &escape(lang.code())),
            ("title", title),
            ("page", &escape(kind.name())),
            // The one definition of the end-to-end format, for the page script.
            ("e2e_prefix", &escape(hushlink_protocol::e2e::PREFIX)),
            ("main", main),
            ("languages", &languages),
            ("texts", &script_texts(lang)),
        ],
    )
}

/// Links that reload the page in another language; they work without script.
fn language_picker(current: Lang) -> Html {
    let mut items = Html::empty();
    for lang in Lang::ALL {
        let current_attr = if lang == current {
            Html::trusted(" aria-current=\"true\"")
        } else {
            Html::empty()
        };
        items.push(fill(
            "<li><a href=\"?lang={{code}}\" hreflang=\"{{code}}\" lang=\"{{code}}\"{{current}}>{{name}}</a></li>",
            &[
                ("code", &escape(lang.code())),
                ("current", &current_attr),
                ("name", &escape(lang.native_name())),
            ],
        ));
    }
    fill(
        "<nav class=\"languages\" aria-label=\"{{label}}\"><ul>{{items}}</ul></nav>\n",
        &[
            ("label", &current.t("layout.language", &[])),
            ("items", &items),
        ],
    )
}

/// The script's messages as JSON. `<` is written `\u003c`, so no text can end the element.
fn script_texts(lang: Lang) -> Html {
    let map: serde_json::Map<String, serde_json::Value> = SCRIPT_TEXTS
        .iter()
        .map(|key| ((*key).to_owned(), lang.text(key).into()))
        .collect();
    let json = serde_json::Value::Object(map)
        .to_string()
        .replace('<', "\\u003c")
        .replace('&', "\\u0026");
    Html::json_in_script(json)
}

/// Why the confirm page is shown again after a POST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// First view (a GET).
    None,
    /// The form was sent without the passphrase.
    PassphraseMissing,
    /// The passphrase was wrong; this many tries remain before the secret is deleted.
    WrongPassphrase { attempts_left: u32 },
}

/// What the confirm page tells before anything is opened.
#[derive(Clone, Copy, Debug)]
pub struct Confirm<'a> {
    pub key: &'a str,
    /// Whose relay sent the link (its configured name, else its host name).
    pub from: &'a str,
    /// The sender's note for the recipient, if they gave one (Hushlink extension
    /// `sender_note`): who it is from, in the sender's words. Shown escaped.
    pub sender_note: Option<&'a str>,
    /// When the link stops working (Unix seconds).
    pub expires_at: i64,
    pub has_passphrase: bool,
    pub e2e: bool,
    /// The relay's limit of wrong passphrases per secret.
    pub max_attempts: u32,
    /// The page came over plain HTTP, so the browser marks it "Not secure".
    pub plain_http: bool,
}

/// The confirm page: what the recipient sees before opening.
pub fn confirm(pl: PageLang, page: &Confirm<'_>, retry: Retry) -> Html {
    let lang = pl.lang;
    let mut notice = Html::empty();
    if page.e2e {
        notice.push(fill(
            "<p class=\"notice\" id=\"e2e-status\" role=\"status\">{{e2e}}</p>\n<noscript><p class=\"error\">{{noscript}}</p></noscript>",
            &[
                ("e2e", &lang.t("confirm.e2e", &[])),
                ("noscript", &lang.t("confirm.e2eNoScript", &[])),
            ],
        ));
    }
    let passphrase = if page.has_passphrase {
        passphrase_field(lang, page.max_attempts, retry)
    } else {
        Html::empty()
    };
    // An end-to-end secret cannot be read without the script, so the button starts disabled
    // and only the script (having checked the key in the fragment) enables it.
    let disabled = if page.e2e {
        Html::trusted(" disabled")
    } else {
        Html::empty()
    };
    let http = if page.plain_http {
        fill(
            "<p class=\"hint\" id=\"http-note\">{{text}}</p>",
            &[("text", &lang.t("layout.http", &[]))],
        )
    } else {
        Html::empty()
    };
    let note = match page.sender_note {
        Some(note) => fill(
            "<dt>{{label}}</dt><dd id=\"sender-note\">{{note}}</dd>\n",
            &[
                ("label", &lang.t("confirm.note", &[])),
                ("note", &escape(note)),
            ],
        ),
        None => Html::empty(),
    };
    let main = fill_in(
        lang,
        CONFIRM,
        &[
            ("from", &escape(page.from)),
            ("note", &note),
            ("until", &time_element(page.expires_at)),
            ("notice", &notice),
            ("key", &escape(page.key)),
            ("query", &escape(&pl.query())),
            ("e2e", &escape(if page.e2e { "true" } else { "false" })),
            ("passphrase", &passphrase),
            ("disabled", &disabled),
            ("http", &http),
        ],
    );
    layout(pl, Kind::Confirm, &lang.t("confirm.title", &[]), &main)
}

fn passphrase_field(lang: Lang, max_attempts: u32, retry: Retry) -> Html {
    let error = match retry {
        Retry::None => None,
        Retry::PassphraseMissing => Some(lang.t("passphrase.missing", &[])),
        Retry::WrongPassphrase { attempts_left } => {
            Some(lang.plural_t("passphrase.wrong", u64::from(attempts_left), &[]))
        }
    };
    // The count as data, so tests and tools need not read the words.
    let left = match retry {
        Retry::WrongPassphrase { attempts_left } => fill(
            " data-attempts-left=\"{{n}}\"",
            &[("n", &number(attempts_left))],
        ),
        _ => Html::empty(),
    };
    let (described_by, invalid, error) = match error {
        Some(text) => (
            escape("passphrase-help passphrase-error"),
            // Back on the field the reader has to fix, keyboard and screen reader alike.
            Html::trusted(" aria-invalid=\"true\" autofocus"),
            fill(
                "<p class=\"error\" id=\"passphrase-error\" role=\"alert\"{{left}}>{{text}}</p>\n",
                &[("text", &text), ("left", &left)],
            ),
        ),
        None => (escape("passphrase-help"), Html::empty(), Html::empty()),
    };
    // The toggle is the script's: without it the field stays a password field.
    fill(
        "<div class=\"field\">\n<label for=\"passphrase\">{{label}}</label>\n{{error}}\
         <div class=\"with-toggle\"><input type=\"password\" id=\"passphrase\" name=\"passphrase\" required \
         autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" aria-describedby=\"{{described_by}}\"{{invalid}}>\n\
         <button type=\"button\" id=\"passphrase-toggle\" class=\"secondary\" aria-controls=\"passphrase\" \
         aria-pressed=\"false\" hidden>{{show}}</button></div>\n\
         <p class=\"hint\" id=\"passphrase-help\">{{help}} <span id=\"passphrase-tries\" data-tries=\"{{max}}\">{{tries}}</span></p>\n</div>",
        &[
            ("label", &lang.t("passphrase.label", &[])),
            ("error", &error),
            ("described_by", &described_by),
            ("invalid", &invalid),
            ("show", &lang.t("passphrase.show", &[])),
            ("help", &lang.t("passphrase.help", &[])),
            ("max", &number(max_attempts)),
            ("tries", &lang.plural_t("passphrase.tries", u64::from(max_attempts), &[])),
        ],
    )
}

/// The revealed secret. An end-to-end value is shown as received (ciphertext) until the page
/// script replaces it with the plaintext.
pub fn revealed(pl: PageLang, value: &str, e2e: bool) -> Html {
    let lang = pl.lang;
    let e2e = e2e || hushlink_protocol::e2e::is_encrypted(value);
    let lines = value.lines().count().max(1);
    // Short values get a small box; a long one scrolls inside a box that fits a phone screen.
    let rows = if e2e { 3 } else { lines.clamp(2, 12) };
    let (label, attr, notice) = if e2e {
        (
            lang.t("revealed.labelEncrypted", &[]),
            Html::trusted(" data-e2e=\"true\""),
            fill(
                "<p class=\"notice\" id=\"e2e-status\" role=\"status\">{{e2e}}</p>\n<noscript><p class=\"error\">{{noscript}}</p></noscript>",
                &[
                    ("e2e", &lang.t("revealed.e2e", &[])),
                    ("noscript", &lang.t("revealed.e2eNoScript", &[])),
                ],
            ),
        )
    } else {
        (lang.t("revealed.label", &[]), Html::empty(), Html::empty())
    };
    // The HTML parser drops one line feed right after `<textarea>`; the template has one, so
    // a value that starts with a line feed keeps it.
    let main = fill_in(
        lang,
        REVEALED,
        &[
            ("label", &label),
            ("rows", &number(rows)),
            ("e2e", &attr),
            ("value", &escape(value)),
            ("notice", &notice),
        ],
    );
    layout(pl, Kind::Revealed, &lang.t("revealed.title", &[]), &main)
}

/// The one page for "already opened, destroyed, expired or never existed".
pub fn gone(pl: PageLang) -> Html {
    let main = fill_in(pl.lang, GONE, &[]);
    layout(pl, Kind::Gone, &pl.lang.t("gone.title", &[]), &main)
}

/// A page with a heading and one paragraph (errors, refusals, an unknown receipt); `code`
/// (in `<h1 data-message>`) says which, for tests and tools, in every language.
pub fn message(pl: PageLang, code: &str, heading: &Html, text: &Html) -> Html {
    let main = fill(
        MESSAGE,
        &[
            ("code", &escape(code)),
            ("heading", heading),
            ("text", text),
        ],
    );
    layout(pl, Kind::Message, heading, &main)
}

/// [`message`] from `CODE.heading` and `CODE.text`, two catalogue keys without placeholders.
pub fn message_of(pl: PageLang, code: &str) -> Html {
    message(
        pl,
        code,
        &pl.lang.t(&format!("{code}.heading"), &[]),
        &pl.lang.t(&format!("{code}.text"), &[]),
    )
}

/// The page for a path that leads nowhere.
pub fn not_found(pl: PageLang) -> Html {
    let main = fill_in(pl.lang, NOT_FOUND, &[]);
    layout(pl, Kind::NotFound, &pl.lang.t("notFound.title", &[]), &main)
}
