//! The pages, as functions from what the relay knows to [`Html`]. Handlers pick the page and
//! the status; nothing here touches the store.

use crate::model::BurnReason;
use crate::model::{Receipt, ReceiptState};

use super::html::{escape, fill, number, Html};
use super::time::time_element;

const LAYOUT: &str = include_str!("../../assets/layout.html");
const CONFIRM: &str = include_str!("../../assets/pages/confirm.html");
const REVEALED: &str = include_str!("../../assets/pages/revealed.html");
const GONE: &str = include_str!("../../assets/pages/gone.html");
const RECEIPT: &str = include_str!("../../assets/pages/receipt.html");
const MESSAGE: &str = include_str!("../../assets/pages/message.html");
const LANDING: &str = include_str!("../../assets/pages/landing.html");
const NOT_FOUND: &str = include_str!("../../assets/pages/not-found.html");

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

pub(super) fn layout(kind: Kind, title: &str, main: &Html) -> Html {
    fill(
        LAYOUT,
        &[
            ("title", &escape(title)),
            ("page", &escape(kind.name())),
            ("main", main),
        ],
    )
}

/// Why the confirm page is shown again after a POST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// First view (a GET).
    None,
    /// The form was sent without the passphrase.
    PassphraseMissing,
    /// The passphrase was wrong; this many tries remain before the secret is burned.
    WrongPassphrase { attempts_left: u32 },
}

/// The confirm page: what the recipient sees before revealing.
pub fn confirm(key: &str, has_passphrase: bool, e2e: bool, retry: Retry) -> Html {
    let mut notice = Html::empty();
    if e2e {
        notice.push(Html::trusted(
            "<p class=\"notice\" id=\"e2e-status\" role=\"status\">This secret is end-to-end encrypted. \
             Your browser decrypts it with the key at the end of the link (after the #), which never \
             reaches the relay.</p>\n<noscript><p class=\"error\">Decrypting needs JavaScript. Turn it on \
             for this page and reload it: revealing without it would destroy the secret unread.</p></noscript>",
        ));
    }
    let passphrase = if has_passphrase {
        passphrase_field(retry)
    } else {
        Html::empty()
    };
    // An end-to-end secret cannot be read without the script, so the button starts disabled
    // and only the script (having checked the key in the fragment) enables it.
    let disabled = if e2e {
        Html::trusted(" disabled")
    } else {
        Html::empty()
    };
    let main = fill(
        CONFIRM,
        &[
            ("notice", &notice),
            ("key", &escape(key)),
            ("e2e", &escape(if e2e { "true" } else { "false" })),
            ("passphrase", &passphrase),
            ("disabled", &disabled),
        ],
    );
    layout(Kind::Confirm, "A secret for you", &main)
}

fn passphrase_field(retry: Retry) -> Html {
    let error = match retry {
        Retry::None => None,
        Retry::PassphraseMissing => Some(escape("Enter the passphrase to reveal the secret.")),
        Retry::WrongPassphrase { attempts_left } => Some(fill(
            "That passphrase is not right. {{n}} more wrong {{tries}} and the relay destroys the secret.",
            &[("n", &number(attempts_left)), ("tries", &escape(if attempts_left == 1 { "try" } else { "tries" }))],
        )),
    };
    let (described_by, invalid, error) = match error {
        Some(text) => (
            escape("passphrase-help passphrase-error"),
            // Back on the field the reader has to fix, keyboard and screen reader alike.
            Html::trusted(" aria-invalid=\"true\" autofocus"),
            fill(
                "<p class=\"error\" id=\"passphrase-error\" role=\"alert\">{{text}}</p>\n",
                &[("text", &text)],
            ),
        ),
        None => (escape("passphrase-help"), Html::empty(), Html::empty()),
    };
    fill(
        "<div class=\"field\">\n<label for=\"passphrase\">Passphrase</label>\n{{error}}\
         <input type=\"password\" id=\"passphrase\" name=\"passphrase\" required autocomplete=\"off\" \
         autocapitalize=\"off\" spellcheck=\"false\" aria-describedby=\"{{described_by}}\"{{invalid}}>\n\
         <p class=\"hint\" id=\"passphrase-help\">The sender protected this secret with a passphrase; \
         they should have given it to you separately.</p>\n</div>",
        &[("error", &error), ("described_by", &described_by), ("invalid", &invalid)],
    )
}

/// The revealed secret. An end-to-end value is shown as received (ciphertext) until the page
/// script replaces it with the plaintext.
pub fn revealed(value: &str, e2e: bool) -> Html {
    let e2e = e2e || hushlink_protocol::e2e::is_encrypted(value);
    let lines = value.lines().count().max(1);
    // Short values get a small box; a long one scrolls inside a box that fits a phone screen.
    let rows = if e2e { 3 } else { lines.clamp(2, 12) };
    let (label, attr, notice) = if e2e {
        (
            "Encrypted secret",
            Html::trusted(" data-e2e=\"true\""),
            Html::trusted(
                "<p class=\"notice\" id=\"e2e-status\" role=\"status\">This secret is end-to-end encrypted; \
                 your browser decrypts it with the key in the link.</p>\n<noscript><p class=\"error\">Decrypting \
                 needs JavaScript, which is off. The encrypted text above is all the relay had; with the full \
                 link, the sender's Hushlink app can still decrypt it.</p></noscript>",
            ),
        )
    } else {
        ("Secret", Html::empty(), Html::empty())
    };
    // The HTML parser drops one line feed right after `<textarea>`; the template has one, so
    // a value that starts with a line feed keeps it.
    let main = fill(
        REVEALED,
        &[
            ("label", &escape(label)),
            ("rows", &number(rows)),
            ("e2e", &attr),
            ("value", &escape(value)),
            ("notice", &notice),
        ],
    );
    layout(Kind::Revealed, "Your secret", &main)
}

/// The one page for "already viewed, burned, expired or never existed".
pub fn gone() -> Html {
    layout(Kind::Gone, "Not available", &Html::trusted(GONE))
}

/// A page with a heading and one paragraph (errors, refusals, an unknown receipt).
pub fn message(heading: &str, text: &str) -> Html {
    let main = fill(
        MESSAGE,
        &[("heading", &escape(heading)), ("text", &escape(text))],
    );
    layout(Kind::Message, heading, &main)
}

/// Whose relay the landing page says this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner<'a> {
    /// The configured display name (`RelayConfig::name`).
    Named(&'a str),
    /// No name configured: the machine's hostname.
    Host(&'a str),
}

/// The landing page at `/`: what this is, whose it is, that links open only on this
/// network, and how a colleague connects (`address`: the origin they give Hushlink).
pub fn landing(owner: Owner<'_>, address: &str) -> Html {
    let (display, ask, whose) = match owner {
        Owner::Named(name) => (
            name,
            name,
            fill(
                "This relay belongs to <strong>{{name}}</strong>.",
                &[("name", &escape(name))],
            ),
        ),
        Owner::Host(host) => (
            host,
            "the person who runs it",
            fill(
                "This relay runs on the computer <strong>{{host}}</strong>.",
                &[("host", &escape(host))],
            ),
        ),
    };
    let main = fill(
        LANDING,
        &[
            ("display", &escape(display)),
            ("ask", &escape(ask)),
            ("whose", &whose),
            ("address", &escape(address)),
        ],
    );
    layout(Kind::Landing, &format!("Relay of {display}"), &main)
}

/// The page for a path that leads nowhere.
pub fn not_found() -> Html {
    layout(Kind::NotFound, "Page not found", &Html::trusted(NOT_FOUND))
}

/// The sender's receipt. `prefix` is the path family the sender used (`receipt` or
/// `private`), so the burn form posts back to the same family; `share_link` is the
/// recipient's link while the secret is live.
pub fn receipt(receipt: &Receipt, prefix: &str, share_link: Option<&str>) -> Html {
    let (state_class, state, explanation) = state_texts(receipt);
    let mut facts = Html::empty();
    let mut fact = |term: &str, value: Html| {
        facts.push(fill(
            "<dt>{{term}}</dt><dd>{{value}}</dd>\n",
            &[("term", &escape(term)), ("value", &value)],
        ));
    };
    fact("Created", time_element(receipt.created_at));
    match receipt.state {
        ReceiptState::New => fact("Expires unread", time_element(receipt.secret_expires_at)),
        ReceiptState::Received => {
            if let Some(at) = receipt.received_at {
                fact("Revealed", time_element(at));
            }
            if let Some(ip) = &receipt.received_ip {
                fact("Revealed from", escape(ip));
            }
        }
        ReceiptState::Burned => {
            if let Some(at) = receipt.burned_at {
                fact("Burned", time_element(at));
            }
        }
        ReceiptState::Expired => fact("Expired", time_element(receipt.secret_expires_at)),
    }
    fact(
        "Passphrase",
        escape(if receipt.has_passphrase { "Yes" } else { "No" }),
    );
    fact(
        "End-to-end encrypted",
        escape(if receipt.e2e { "Yes" } else { "No" }),
    );
    fact(
        "This receipt is kept until",
        time_element(receipt.expires_at),
    );

    let live = receipt.state == ReceiptState::New;
    let link = match share_link {
        Some(_) if receipt.e2e => Html::trusted(
            "<p class=\"hint\">The recipient's link ends with a decryption key that only your Hushlink app \
             knows, so it is not shown here. Copy it from the app.</p>",
        ),
        Some(url) => fill(
            "<div class=\"field\">\n<label for=\"share-link\">Link for the recipient</label>\n\
             <input type=\"text\" id=\"share-link\" readonly value=\"{{url}}\" spellcheck=\"false\">\n</div>\n\
             <p class=\"actions\"><button type=\"button\" id=\"copy\" data-copy=\"share-link\" hidden>Copy link</button> \
             <span id=\"copy-status\" role=\"status\" aria-live=\"polite\"></span></p>",
            &[("url", &escape(url))],
        ),
        None => Html::empty(),
    };
    let burn = if live {
        fill(
            "<form method=\"post\" action=\"/{{prefix}}/{{key}}/burn\" id=\"burn-form\">\n\
             <button type=\"submit\" class=\"danger\" id=\"burn\" aria-describedby=\"burn-help\">Burn this secret</button>\n\
             </form>\n<p class=\"hint\" id=\"burn-help\">Burning deletes the secret now and the link stops working. \
             Do it if you sent the link to the wrong person.</p>",
            &[("prefix", &escape(prefix)), ("key", &escape(receipt.receipt_key.expose()))],
        )
    } else {
        Html::empty()
    };
    let main = fill(
        RECEIPT,
        &[
            ("state_class", &escape(state_class)),
            ("state", &escape(state)),
            ("explanation", &escape(explanation)),
            ("facts", &facts),
            ("link", &link),
            ("burn", &burn),
        ],
    );
    layout(Kind::Receipt, "Receipt", &main)
}

fn state_texts(receipt: &Receipt) -> (&'static str, &'static str, &'static str) {
    match (receipt.state, receipt.burn_reason) {
        (ReceiptState::New, _) => (
            "new",
            "Not read yet",
            "The secret is waiting for its recipient.",
        ),
        (ReceiptState::Received, _) => (
            "received",
            "Read",
            "The recipient revealed the secret; the relay no longer has it.",
        ),
        (ReceiptState::Burned, Some(BurnReason::PassphraseAttempts)) => (
            "burned",
            "Burned after too many wrong passphrases",
            "Someone who had the link tried wrong passphrases, so the relay destroyed the secret. \
             Share it again, and give the passphrase to the right person.",
        ),
        (ReceiptState::Burned, _) => (
            "burned",
            "Burned",
            "The secret was burned before anyone read it.",
        ),
        (ReceiptState::Expired, _) => (
            "expired",
            "Expired unread",
            "Nobody revealed the secret before it expired.",
        ),
    }
}
