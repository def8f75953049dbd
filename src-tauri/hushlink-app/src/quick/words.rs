//! The tray share's words: what a notice says, in the language the tray speaks.
//!
//! Every message is the catalogues' (`quick.*` in `ui/src/lib/i18n/<lang>.json`), rendered
//! through [`crate::i18n`] (ICU plurals, grouped numbers, one way to say a lifetime), so no
//! English is left in a German notice and a library's English error text is never shown: a
//! failure is told by its code, in the words the UI uses for it.

use std::time::Duration;

use crate::error::CommandError;
use crate::i18n::{self, message, text, Arg, Lang};

/// Text this long or longer shows its first and last four characters; shorter, only its
/// length (so at least a third of it, and four characters, always stay hidden).
const PREVIEW_FROM_CHARS: usize = 12;

/// What a notice may say about `secret` without giving it away, in `lang`: "'esDg…LFJL', 20
/// characters", "8 characters", or "3 lines, 120 characters".
pub fn preview(lang: Lang, secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let count = Arg::Count(chars.len() as u64);
    let lines = secret.trim_end().lines().count();
    if lines > 1 {
        let lines = Arg::Count(lines as u64);
        return message(
            lang,
            "quick.preview.lines",
            &[("lines", lines), ("count", count)],
        );
    }
    if chars.len() < PREVIEW_FROM_CHARS || chars.iter().any(|c| c.is_control()) {
        return message(lang, "quick.preview.chars", &[("count", count)]);
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    message(
        lang,
        "quick.preview.sample",
        &[
            ("head", Arg::Text(&head)),
            ("tail", Arg::Text(&tail)),
            ("count", count),
        ],
    )
}

/// A notice: its summary line and its body, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Notice {
    pub(super) summary: String,
    pub(super) body: String,
}

impl Notice {
    /// The messages `{prefix}.summary` and `{prefix}.body`.
    pub(super) fn new(lang: Lang, prefix: &str) -> Self {
        Self::text(
            lang,
            &format!("{prefix}.summary"),
            text(lang, &format!("{prefix}.body")).to_owned(),
        )
    }

    /// The message `summary_key` over a body already in words.
    pub(super) fn text(lang: Lang, summary_key: &str, body: String) -> Self {
        Self {
            summary: text(lang, summary_key).to_owned(),
            body,
        }
    }
}

/// "Share this text?": what the clipboard holds ([`preview`]) and how to say yes.
pub(super) fn ask_body(lang: Lang, secret: &str) -> String {
    message(
        lang,
        "quick.ask.body",
        &[
            ("preview", Arg::Text(&preview(lang, secret))),
            ("action", Arg::Text(text(lang, "tray.shareClipboard"))),
        ],
    )
}

/// "Could not share": the words the app has for the failure's code (the UI's
/// `error.<code>.title` and `.next`), else its general ones; never the library's English text.
pub(super) fn failed(lang: Lang, error: &CommandError) -> Notice {
    let code = error.code.as_str();
    let title_key = format!("error.{code}.title");
    let (title, next) = if text(lang, &title_key) == title_key {
        (
            "error.fallback.title".to_owned(),
            "error.fallback.next".to_owned(),
        )
    } else {
        (title_key, format!("error.{code}.next"))
    };
    let body = format!(
        "{} {}",
        message(lang, &title, &[]),
        message(lang, &next, &[])
    );
    Notice::text(lang, "quick.failed.summary", body)
}

/// A tray share refused before sending: the text is larger than the server takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooLarge {
    /// The text's size in bytes.
    pub(super) bytes: usize,
    /// The most bytes of text the server takes.
    pub(super) largest: usize,
}

impl TooLarge {
    /// "The text is too large for {server} (…; at most … bytes). Nothing was sent."
    pub(super) fn words(self, lang: Lang, server: &str) -> String {
        message(
            lang,
            "quick.tooLarge.body",
            &[
                ("server", Arg::Text(server)),
                ("size", Arg::Count(self.bytes as u64)),
                ("limit", Arg::Count(self.largest as u64)),
            ],
        )
    }
}

/// The "Link copied" notice's body: what was shared (when shown), for how long the link
/// works, and when the clipboard clears; one sentence each, in `lang`.
pub(super) fn shared_words(
    lang: Lang,
    shown: Option<&str>,
    ttl_ms: i64,
    clear: Option<Duration>,
) -> String {
    let mut sentences = Vec::with_capacity(3);
    if let Some(shown) = shown {
        sentences.push(message(
            lang,
            "quick.copied.shared",
            &[("preview", Arg::Text(shown))],
        ));
    }
    let ttl = i18n::duration(lang, ttl_ms);
    sentences.push(message(
        lang,
        "quick.copied.expires",
        &[("time", Arg::Text(&ttl))],
    ));
    if let Some(clear) = clear {
        let ms = i64::try_from(clear.as_millis()).unwrap_or(i64::MAX);
        let clear = i18n::duration(lang, ms);
        sentences.push(message(
            lang,
            "quick.copied.clears",
            &[("time", Arg::Text(&clear))],
        ));
    }
    sentences.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_server_and_both_sizes_in_each_language() {
        let refusal = TooLarge {
            bytes: 10_001,
            largest: 10_000,
        };
        for lang in Lang::ALL {
            let words = refusal.words(lang, "Office");
            assert!(words.contains("Office"), "{words}");
            assert!(words.contains(&i18n::icu::number(lang, 10_001)), "{words}");
            assert!(words.contains(&i18n::icu::number(lang, 10_000)), "{words}");
            assert!(!words.contains('{'), "every placeholder filled: {words}");
        }
    }

    #[test]
    fn a_preview_keeps_its_shape_in_each_language_and_never_shows_all_of_it() {
        let secret = "esDgk2PqXw81mZtrLFJL";
        for lang in Lang::ALL {
            let sample = preview(lang, secret);
            assert!(
                sample.starts_with("'esDg…LFJL', 20"),
                "{}: {sample}",
                lang.code()
            );
            assert_eq!(sample.matches("20").count(), 1, "the count, once: {sample}");
            let short = preview(lang, "hunter2!");
            assert!(short.starts_with('8'), "only its length: {short}");
            assert!(!short.contains("hunt") && !short.contains('\''), "{short}");
            let lines = preview(lang, "line one\nline two\n");
            assert!(
                lines.starts_with("2 ") && lines.contains("18") && !lines.contains("line one"),
                "{}: {lines}",
                lang.code()
            );
            let control = preview(lang, "pass\tword\u{7}xyz!");
            assert!(
                control.starts_with("14") && !control.contains("pass"),
                "{control}"
            );
            for words in [&sample, &short, &lines, &control] {
                assert!(!words.contains('{') && !words.contains('#'), "{words}");
            }
        }
        assert_ne!(preview(Lang::En, secret), preview(Lang::De, secret));
        assert!(preview(Lang::En, "abcdefghijkl").starts_with("'abcd…ijkl', 12"));
        let long = "correct horse battery staple";
        assert!(!preview(Lang::En, long).contains(long));
    }

    #[test]
    fn counts_follow_each_languages_plural_rules() {
        // One line is never counted (a preview of one line shows its ends), but one character
        // is: singular and plural differ in English, and French counts 0 as singular.
        assert_ne!(
            preview(Lang::En, "a").replace('1', ""),
            preview(Lang::En, "ab").replace('2', "")
        );
        assert_eq!(
            message(Lang::Fr, "quick.preview.chars", &[("count", Arg::Count(0))]).replace('0', ""),
            message(Lang::Fr, "quick.preview.chars", &[("count", Arg::Count(1))]).replace('1', ""),
        );
        assert_eq!(
            preview(Lang::En, &"x".repeat(1_234))
                .matches("1,234")
                .count(),
            1,
            "grouped as the language groups"
        );
    }

    #[test]
    fn the_notice_says_what_was_shared_for_how_long_and_when_the_clipboard_clears() {
        for lang in Lang::ALL {
            let shown = preview(lang, "esDgk2PqXw81mZtrLFJL");
            let words = shared_words(
                lang,
                Some(&shown),
                3_600_000,
                Some(Duration::from_secs(120)),
            );
            assert!(words.contains(&shown), "{words}");
            assert!(words.contains(&i18n::duration(lang, 3_600_000)), "{words}");
            assert!(words.contains(&i18n::duration(lang, 120_000)), "{words}");
            let plain = shared_words(lang, None, 3_600_000, None);
            assert!(!plain.contains(&i18n::duration(lang, 120_000)));
            assert!(words.len() > plain.len() && !plain.contains('{'), "{plain}");
        }
    }

    /// Every notice the tray share can show, with sample values.
    fn every_notice(lang: Lang) -> Vec<Notice> {
        let shown = preview(lang, "esDgk2PqXw81mZtrLFJL");
        let too_large = TooLarge {
            bytes: 12_000,
            largest: 10_000,
        };
        vec![
            Notice::text(lang, "quick.ask.summary", ask_body(lang, "a\nb")),
            Notice::new(lang, "quick.empty"),
            Notice::new(lang, "quick.generateFailed"),
            Notice::new(lang, "quick.notReady"),
            Notice::new(lang, "quick.notCopied"),
            Notice::text(
                lang,
                "quick.failed.summary",
                text(lang, "quick.noDefault.body").into(),
            ),
            Notice::text(
                lang,
                "quick.tooLarge.summary",
                too_large.words(lang, "Acme"),
            ),
            Notice::text(
                lang,
                "quick.copied.summary",
                shared_words(
                    lang,
                    Some(&shown),
                    7 * 86_400_000,
                    Some(Duration::from_secs(120)),
                ),
            ),
            failed(
                lang,
                &CommandError::new(crate::error::ErrorCode::RelayOff, "The relay is off."),
            ),
            failed(
                lang,
                &CommandError::new(crate::error::ErrorCode::Internal, "Some English."),
            ),
            // The two labels a tray share gives its secret, as one pair.
            Notice::text(
                lang,
                "quick.label.clipboard",
                text(lang, "quick.label.password").into(),
            ),
        ]
    }

    #[test]
    fn each_notice_in_german_has_no_english_left() {
        let english = every_notice(Lang::En);
        let german = every_notice(Lang::De);
        // Words both languages spell the same ("Minute", "Relay"), and the sample values.
        let shared = [
            "text", "link", "minute", "relay", "hushlink", "acme", "esdg", "lfjl",
        ];
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphabetic())
                .filter(|w| w.chars().count() >= 4)
                .map(str::to_lowercase)
                .collect()
        };
        for (en, de) in english.iter().zip(&german) {
            assert_ne!(en, de);
            for part in [&de.summary, &de.body] {
                assert!(!part.contains('{') && !part.contains('#'), "{part}");
                let english_words: Vec<String> = words(&en.summary)
                    .into_iter()
                    .chain(words(&en.body))
                    .collect();
                let left: Vec<String> = words(part)
                    .into_iter()
                    .filter(|w| english_words.contains(w) && !shared.contains(&w.as_str()))
                    .collect();
                assert!(left.is_empty(), "English {left:?} in \"{part}\"");
            }
        }
        assert!(
            !german
                .iter()
                .any(|n| n.body.contains("Some English") || n.body.contains("relay is off")),
            "a library's English message is never shown"
        );
    }

    #[test]
    fn every_language_has_every_tray_share_message() {
        for lang in Lang::ALL {
            for notice in every_notice(lang) {
                assert!(
                    !notice.summary.starts_with("quick."),
                    "{}: {notice:?}",
                    lang.code()
                );
                assert!(
                    !notice.body.starts_with("quick."),
                    "{}: {notice:?}",
                    lang.code()
                );
            }
        }
    }
}
