//! The renderer's syntax: plurals, numbers, quoting, selects, unbound arguments, and broken
//! messages shown rather than a panic (the app's former `i18n::icu` tests, kept).

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
    // No "many" branch: "other" stands in, as in intl-messageformat.
    assert_eq!(
        format(Lang::Es, DAYS, &[("count", Arg::Count(1_000_000))]),
        "1.000.000 days"
    );
    let many = "{n, plural, one {# uno} many {# muchos} other {# otros}}";
    assert_eq!(
        format(Lang::Es, many, &[("n", Arg::Count(1_000_000))]),
        "1.000.000 muchos"
    );
    let exact = "{n, plural, =0 {none} one {# item} other {# items}}";
    assert_eq!(format(Lang::En, exact, &[("n", Arg::Count(0))]), "none");
    assert_eq!(format(Lang::En, exact, &[("n", Arg::Count(1))]), "1 item");
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
    assert_eq!(
        format(Lang::De, "{n, number} / {n}", &[("n", Arg::Count(12_000))]),
        "12.000 / 12000",
        "a simple argument is plain digits, as in intl-messageformat"
    );
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
    assert_eq!(
        format(
            Lang::En,
            "{a, plural, other {'#' is # and {k, select, x {# stays} other {-}}}}",
            &[("a", Arg::Count(3)), ("k", Arg::Text("x"))]
        ),
        "# is 3 and # stays",
        "'#' is quoted in a plural; # is text in a select"
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
        "{count, plural, one {x}}",
        "{}",
    ] {
        let _ = format(Lang::En, broken, &[("count", Arg::Count(1))]);
    }
    assert_eq!(format(Lang::En, "a } b", &[]), "a } b");
    assert_eq!(
        format(Lang::En, "ok {a, weird} rest", &[]),
        "ok {a, weird} rest"
    );
}

/// A sink of the relay's kind: text escaped, unbound arguments filled with its own markup.
#[test]
fn a_sink_escapes_text_and_fills_its_own_values() {
    struct Markup(String);
    impl Sink for Markup {
        fn text(&mut self, text: &str) {
            self.0.push_str(&text.replace('<', "&lt;"));
        }
        fn unbound(&mut self, name: &str, _written: &str) {
            self.0.push_str(&format!("<b>{name}</b>"));
        }
    }
    let mut out = Markup(String::new());
    render(
        Lang::En,
        "a < {who}, {n, plural, one {# try} other {# tries}} <{t}>",
        &[("n", Arg::Count(2)), ("t", Arg::Text("<i>"))],
        &mut out,
    );
    assert_eq!(out.0, "a &lt; <b>who</b>, 2 tries &lt;&lt;i>>");
}
