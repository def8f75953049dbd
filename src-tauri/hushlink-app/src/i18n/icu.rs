//! ICU MessageFormat, the part the shell's own messages use, so counts read as each language
//! says them ("1 Tag", "2 Tage"; "0 caractère" in French, where 0 is singular) rather than
//! being glued together in Rust.
//!
//! The UI formats the same catalogues with intl-messageformat; this renders the same syntax:
//! `{name}` arguments, `{name, number}`, `{name, plural, =N {…} one {…} many {…} other {…}}`
//! with `#` for the number, `{name, select, … other {…}}`, and apostrophe quoting (`''` is
//! one apostrophe; `'{` … `'` is literal text). Plural categories are CLDR's for whole
//! numbers in the six languages Hushlink speaks; numbers are grouped as `Intl.NumberFormat`
//! groups them. A missing argument is left as written, never a panic.

use super::Lang;

/// A value for a message's placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// Text, inserted as given (its own braces are not read as syntax).
    Text(&'a str),
    /// A whole number: chooses plural branches and is written with the language's grouping.
    Count(u64),
}

/// `message` with its placeholders and plural branches filled from `args`, in `lang`.
pub fn format(lang: Lang, message: &str, args: &[(&str, Arg<'_>)]) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::with_capacity(message.len() + 16);
    let renderer = Renderer { lang, chars, args };
    let mut at = 0;
    // A stray "}" at the top level is text: keep going past it.
    loop {
        at = renderer.render(at, None, &mut out);
        if at >= renderer.chars.len() {
            break;
        }
        out.push('}');
        at += 1;
    }
    out
}

/// The CLDR plural category of the whole number `n` in `lang`: "one", "many" or "other".
pub fn category(lang: Lang, n: u64) -> &'static str {
    let millions = n != 0 && n.is_multiple_of(1_000_000);
    match lang {
        Lang::En | Lang::De | Lang::Nl => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
        Lang::Es => match n {
            1 => "one",
            _ if millions => "many",
            _ => "other",
        },
        // French and (Brazilian, CLDR's default) Portuguese: 0 and 1 are singular.
        Lang::Fr | Lang::Pt => match n {
            0 | 1 => "one",
            _ if millions => "many",
            _ => "other",
        },
    }
}

/// `n` with the language's digit grouping: "10,000", "10.000", "10 000" (a narrow no-break
/// space in French); Spanish groups only from five digits ("1000", "10.000").
pub fn number(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let (separator, min_digits) = match lang {
        Lang::En => (",", 4),
        Lang::De | Lang::Nl | Lang::Pt => (".", 4),
        Lang::Es => (".", 5),
        Lang::Fr => ("\u{202f}", 4),
    };
    if digits.len() < min_digits {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

struct Renderer<'a> {
    lang: Lang,
    chars: Vec<char>,
    args: &'a [(&'a str, Arg<'a>)],
}

impl Renderer<'_> {
    /// Renders from `at` up to an unmatched "}" (whose index it returns) or the end. Inside a
    /// plural branch, `hash` is what `#` stands for (the number, or "#" when none was given).
    fn render(&self, mut at: usize, hash: Option<&str>, out: &mut String) -> usize {
        let chars = &self.chars;
        while let Some(&c) = chars.get(at) {
            match (c, hash) {
                ('\'', _) => at = self.apostrophe(at, hash.is_some(), out),
                ('#', Some(number)) => {
                    out.push_str(number);
                    at += 1;
                }
                ('{', _) => at = self.argument(at, out),
                ('}', _) => return at,
                (c, _) => {
                    out.push(c);
                    at += 1;
                }
            }
        }
        at
    }

    /// An apostrophe at `at`: `''` is one, `'{…'` quotes syntax characters (and `'#…'` in a
    /// plural branch), any other is text.
    fn apostrophe(&self, at: usize, in_plural: bool, out: &mut String) -> usize {
        let chars = &self.chars;
        let next = chars.get(at + 1).copied();
        if next == Some('\'') {
            out.push('\'');
            return at + 2;
        }
        if !(matches!(next, Some('{' | '}')) || (in_plural && next == Some('#'))) {
            out.push('\'');
            return at + 1;
        }
        let mut i = at + 1;
        while let Some(&c) = chars.get(i) {
            if c == '\'' {
                if chars.get(i + 1) == Some(&'\'') {
                    out.push('\'');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            out.push(c);
            i += 1;
        }
        i
    }

    /// A placeholder whose "{" is at `open`; returns the index after its "}".
    fn argument(&self, open: usize, out: &mut String) -> usize {
        let (name, after_name) = self.word(open + 1);
        let value = self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        match self.chars.get(after_name) {
            Some('}') => {
                match value {
                    Some(Arg::Text(text)) => out.push_str(text),
                    Some(Arg::Count(n)) => out.push_str(&number(self.lang, n)),
                    None => out.extend(&self.chars[open..=after_name]),
                }
                after_name + 1
            }
            Some(',') => {
                let (kind, after_kind) = self.word(after_name + 1);
                match (kind.as_str(), self.chars.get(after_kind)) {
                    ("number", Some('}')) => {
                        match value {
                            Some(Arg::Count(n)) => out.push_str(&number(self.lang, n)),
                            Some(Arg::Text(text)) => out.push_str(text),
                            None => out.extend(&self.chars[open..=after_kind]),
                        }
                        after_kind + 1
                    }
                    ("plural" | "select", Some(',')) => {
                        self.branches(&kind, value, after_kind + 1, out)
                    }
                    _ => self.unreadable(open, out),
                }
            }
            _ => self.unreadable(open, out),
        }
    }

    /// The branches of a plural or select starting at `at`; renders the chosen one and returns
    /// the index after the placeholder's closing "}".
    fn branches(
        &self,
        kind: &str,
        value: Option<Arg<'_>>,
        mut at: usize,
        out: &mut String,
    ) -> usize {
        let hash = (kind == "plural").then(|| match value {
            Some(Arg::Count(n)) => number(self.lang, n),
            _ => "#".to_owned(),
        });
        let wanted: Vec<String> = match (kind, value) {
            ("plural", Some(Arg::Count(n))) => {
                vec![
                    format!("={n}"),
                    category(self.lang, n).to_owned(),
                    "other".into(),
                ]
            }
            ("select", Some(Arg::Text(text))) => vec![text.to_owned(), "other".into()],
            _ => vec!["other".into()],
        };
        // (rank in `wanted`, rendered branch): the best match wins.
        let mut chosen: Option<(usize, String)> = None;
        loop {
            at = self.skip_space(at);
            match self.chars.get(at) {
                Some('}') => break,
                None => return at,
                _ => {}
            }
            let (selector, after) = self.word(at);
            at = self.skip_space(after);
            if self.chars.get(at) != Some(&'{') || selector.is_empty() {
                return self.unreadable(at, out);
            }
            let mut branch = String::new();
            let close = self.render(at + 1, hash.as_deref(), &mut branch);
            if let Some(rank) = wanted.iter().position(|w| *w == selector) {
                if chosen.as_ref().is_none_or(|(best, _)| rank < *best) {
                    chosen = Some((rank, branch));
                }
            }
            at = close + 1;
        }
        if let Some((_, branch)) = chosen {
            out.push_str(&branch);
        }
        at + 1
    }

    /// A word (name, type or selector) from `at`, trimmed; returns it and where it ended.
    fn word(&self, at: usize) -> (String, usize) {
        let start = self.skip_space(at);
        let mut end = start;
        while let Some(&c) = self.chars.get(end) {
            if c.is_whitespace() || matches!(c, ',' | '{' | '}') {
                break;
            }
            end += 1;
        }
        let word = self.chars[start..end].iter().collect();
        (word, self.skip_space(end))
    }

    fn skip_space(&self, mut at: usize) -> usize {
        while self.chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        at
    }

    /// Malformed syntax from `at` on: shown as written (a catalogue test catches it first).
    fn unreadable(&self, at: usize, out: &mut String) -> usize {
        out.extend(&self.chars[at.min(self.chars.len())..]);
        self.chars.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAYS: &str = "{count, plural, one {# day} other {# days}}";

    #[test]
    fn plurals_follow_each_languages_rules() {
        assert_eq!(format(Lang::En, DAYS, &[("count", Arg::Count(1))]), "1 day");
        assert_eq!(
            format(Lang::En, DAYS, &[("count", Arg::Count(0))]),
            "0 days"
        );
        assert_eq!(
            format(Lang::Fr, DAYS, &[("count", Arg::Count(0))]),
            "0 day",
            "0 is singular in French"
        );
        assert_eq!(category(Lang::Pt, 1), "one");
        assert_eq!(category(Lang::De, 0), "other");
        assert_eq!(category(Lang::Es, 2_000_000), "many");
        assert_eq!(category(Lang::Nl, 2_000_000), "other");
        // No "many" branch: "other" stands in, as in intl-messageformat.
        assert_eq!(
            format(Lang::Es, DAYS, &[("count", Arg::Count(1_000_000))]),
            "1.000.000 days"
        );
        let exact = "{n, plural, =0 {none} one {# item} other {# items}}";
        assert_eq!(format(Lang::En, exact, &[("n", Arg::Count(0))]), "none");
        assert_eq!(format(Lang::En, exact, &[("n", Arg::Count(1))]), "1 item");
    }

    #[test]
    fn numbers_are_grouped_as_intl_groups_them() {
        assert_eq!(number(Lang::En, 10_000), "10,000");
        assert_eq!(number(Lang::De, 1_234_567), "1.234.567");
        assert_eq!(number(Lang::Fr, 10_000), "10\u{202f}000");
        assert_eq!(
            number(Lang::Es, 1_000),
            "1000",
            "Spanish groups from five digits"
        );
        assert_eq!(number(Lang::Es, 10_000), "10.000");
        assert_eq!(number(Lang::Pt, 999), "999");
    }

    #[test]
    fn arguments_quotes_and_selects() {
        let args = [
            ("head", Arg::Text("esDg")),
            ("tail", Arg::Text("{x}")),
            ("count", Arg::Count(20)),
        ];
        assert_eq!(
            format(
                Lang::En,
                "''{head}…{tail}'', {count, plural, one {# char} other {# chars}}",
                &args
            ),
            "'esDg…{x}', 20 chars",
            "'' is an apostrophe; a value's braces are text"
        );
        assert_eq!(
            format(Lang::En, "l'été '{literal}' {head}", &args),
            "l'été {literal} esDg"
        );
        assert_eq!(
            format(Lang::En, "{missing} {head}", &args),
            "{missing} esDg"
        );
        assert_eq!(format(Lang::En, "{count, number}", &args), "20");
        let select = "{kind, select, pw {password} other {text}}";
        assert_eq!(
            format(Lang::En, select, &[("kind", Arg::Text("pw"))]),
            "password"
        );
        assert_eq!(
            format(Lang::En, select, &[("kind", Arg::Text("x"))]),
            "text"
        );
        assert_eq!(
            format(
                Lang::En,
                "{a, plural, one {{b} and # more} other {# others}}",
                &[("a", Arg::Count(1)), ("b", Arg::Text("Sam"))]
            ),
            "Sam and 1 more",
            "placeholders inside branches"
        );
    }

    #[test]
    fn broken_syntax_is_shown_not_a_panic() {
        for broken in [
            "{",
            "{count, plural,",
            "{count, plural, one",
            "}",
            "{count, plural, one {x}",
            "'{",
            "{a, weird}",
        ] {
            let _ = format(Lang::En, broken, &[("count", Arg::Count(1))]);
        }
        assert_eq!(format(Lang::En, "a } b", &[]), "a } b");
    }
}
