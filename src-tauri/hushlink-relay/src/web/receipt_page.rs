//! The sender's receipt page: the state (as a code in `data-state` and a word), the times,
//! the recipient's link with Copy as the main action, and "Destroy link" as a secondary
//! action that asks first. The question is a `<details>` element, so it works without
//! script and without a second request.

use crate::model::{BurnReason, Receipt, ReceiptState};

use super::html::{escape, fill, Html};
use super::i18n::fill_in;
use super::i18n::{Lang, PageLang, PageWords};
use super::pages::{layout, Kind};
use super::time::time_element;

const RECEIPT: &str = include_str!("../../assets/pages/receipt.html");

/// The sender's receipt. `prefix` is the path family the sender used (`receipt` or
/// `private`), so the destroy form posts back to the same family; `share_link` is the
/// recipient's link while the secret is live.
pub fn receipt(pl: PageLang, receipt: &Receipt, prefix: &str, share_link: Option<&str>) -> Html {
    let lang = pl.lang;
    let (state_class, state_key) = state_of(receipt);
    let mut facts = Html::empty();
    let mut fact = |term: &str, value: Html| {
        facts.push(fill(
            "<dt>{{term}}</dt><dd>{{value}}</dd>\n",
            &[("term", &lang.t(term, &[])), ("value", &value)],
        ));
    };
    fact("receipt.created", time_element(receipt.created_at));
    match receipt.state {
        ReceiptState::New => fact(
            "receipt.expiresUnread",
            time_element(receipt.secret_expires_at),
        ),
        ReceiptState::Received => {
            if let Some(at) = receipt.received_at {
                fact("receipt.opened", time_element(at));
            }
            if let Some(ip) = &receipt.received_ip {
                fact("receipt.openedFrom", escape(ip));
            }
        }
        ReceiptState::Burned => {
            if let Some(at) = receipt.burned_at {
                fact("receipt.destroyed", time_element(at));
            }
        }
        ReceiptState::Expired => fact("receipt.expired", time_element(receipt.secret_expires_at)),
    }
    fact("receipt.passphrase", yes_no(lang, receipt.has_passphrase));
    fact("receipt.e2e", yes_no(lang, receipt.e2e));
    fact("receipt.keptUntil", time_element(receipt.expires_at));

    let link = match share_link {
        Some(_) if receipt.e2e => fill(
            "<p class=\"hint\">{{text}}</p>",
            &[("text", &lang.t("receipt.e2eLink", &[]))],
        ),
        Some(url) => fill_in(
            lang,
            "<div class=\"field\">\n<label for=\"share-link\">[[receipt.linkLabel]]</label>\n\
             <input type=\"text\" id=\"share-link\" readonly value=\"{{url}}\" spellcheck=\"false\">\n</div>\n\
             <p class=\"actions main-action\"><button type=\"button\" class=\"primary\" id=\"copy\" data-copy=\"share-link\" hidden>[[receipt.copyLink]]</button> \
             <span id=\"copy-status\" role=\"status\" aria-live=\"polite\"></span></p>",
            &[("url", &escape(url))],
        ),
        None => Html::empty(),
    };
    let destroy = if receipt.state == ReceiptState::New {
        fill_in(
            lang,
            "<details class=\"destroy\" id=\"destroy\">\n<summary>[[receipt.destroy]]</summary>\n\
             <p id=\"destroy-question\">[[receipt.destroyQuestion]]</p>\n\
             <form method=\"post\" action=\"/{{prefix}}/{{key}}/burn{{query}}\" id=\"burn-form\">\n\
             <button type=\"submit\" class=\"danger\" id=\"burn\" aria-describedby=\"destroy-question\">[[receipt.destroyConfirm]]</button>\n\
             </form>\n</details>",
            &[
                ("prefix", &escape(prefix)),
                ("key", &escape(receipt.receipt_key.expose())),
                ("query", &escape(&pl.query())),
            ],
        )
    } else {
        Html::empty()
    };
    let main = fill_in(
        lang,
        RECEIPT,
        &[
            ("state_class", &escape(state_class)),
            (
                "reason",
                &escape(match receipt.burn_reason {
                    Some(BurnReason::PassphraseAttempts) => "passphrase-attempts",
                    _ => "",
                }),
            ),
            ("state", &lang.t(state_key, &[])),
            ("explanation", &lang.t(&format!("{state_key}.text"), &[])),
            ("facts", &facts),
            ("link", &link),
            ("burn", &destroy),
        ],
    );
    layout(pl, Kind::Receipt, &lang.t("receipt.title", &[]), &main)
}

fn yes_no(lang: Lang, yes: bool) -> Html {
    lang.t(if yes { "receipt.yes" } else { "receipt.no" }, &[])
}

/// `(state code, catalogue key of its word)`; the explanation is the key + `.text`.
fn state_of(receipt: &Receipt) -> (&'static str, &'static str) {
    match (receipt.state, receipt.burn_reason) {
        (ReceiptState::New, _) => ("new", "receipt.state.new"),
        (ReceiptState::Received, _) => ("received", "receipt.state.received"),
        (ReceiptState::Burned, Some(BurnReason::PassphraseAttempts)) => {
            ("burned", "receipt.state.burnedAttempts")
        }
        (ReceiptState::Burned, _) => ("burned", "receipt.state.burned"),
        (ReceiptState::Expired, _) => ("expired", "receipt.state.expired"),
    }
}
