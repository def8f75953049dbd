//! Just enough HTML templating: a type for markup that is safe to emit, one escape function,
//! and `{{name}}` placeholders filled only with that type.
//!
//! Text from outside (secret values, addresses, anything derived from a request) can reach a
//! page only through [`escape`], because [`fill`] accepts [`Html`] and the only other ways to
//! make one are [`Html::trusted`] on a `&'static str` and the templates compiled into the
//! binary. That makes "forgot to escape" a type error rather than a review finding.

use std::fmt::Write;

/// Markup that is safe to put into a page as is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Html(String);

impl Html {
    /// Markup written in this crate's source: a literal, never data.
    pub fn trusted(markup: &'static str) -> Self {
        Self(markup.to_owned())
    }

    /// JSON for a `<script type="application/json">` element, in which every `<` is already
    /// written `\u003c` (so nothing in it can close the element).
    pub fn json_in_script(json: String) -> Self {
        debug_assert!(
            !json.contains('<'),
            "JSON for a script element must escape <"
        );
        Self(json)
    }

    /// Nothing.
    pub fn empty() -> Self {
        Self(String::new())
    }

    /// Appends more markup.
    pub fn push(&mut self, more: Html) {
        self.0.push_str(&more.0);
    }

    /// The markup.
    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The markup, consumed.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Escapes text for an HTML text node or a double- or single-quoted attribute value.
///
/// `&`, `<`, `>`, `"` and `'` cover both contexts; nothing is ever put into an unquoted
/// attribute, a `<script>`, a `<style>` or a URL scheme position, so no other escaping is
/// needed. Control characters other than tab, line feed and carriage return (which the HTML
/// parser would turn into U+FFFD or keep as parse errors) are replaced by U+FFFD, so that
/// what the reader sees is what the page says.
pub fn escape(text: &str) -> Html {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Html(out)
}

/// Fills the `{{name}}` placeholders of a template: a file compiled into the binary, or a
/// literal for the small conditional pieces of a page.
///
/// Every placeholder must have a value and every value a placeholder; the unit tests render
/// each template, so a mismatch fails the build's tests rather than a page at run time. In
/// release builds a missing value renders as nothing.
pub fn fill(template: &'static str, values: &[(&str, &Html)]) -> Html {
    fill_str(template, values)
}

/// [`fill`] for a template built at run time (a localised one: `i18n::fill_in`).
pub(super) fn fill_str(template: &str, values: &[(&str, &Html)]) -> Html {
    let mut out = String::with_capacity(
        template.len() + values.iter().map(|(_, v)| v.0.len()).sum::<usize>(),
    );
    let mut rest = template;
    let mut used = vec![false; values.len()];
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            debug_assert!(false, "unclosed placeholder in template");
            break;
        };
        let name = &after[..end];
        match values.iter().position(|(n, _)| *n == name) {
            Some(i) => {
                out.push_str(&values[i].1 .0);
                used[i] = true;
            }
            None => debug_assert!(false, "template placeholder {{{{{name}}}}} has no value"),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    debug_assert!(
        used.iter().all(|u| *u),
        "a value was given for a placeholder the template lacks"
    );
    Html(out)
}

/// An integer as markup (digits need no escaping).
pub fn number(n: impl std::fmt::Display) -> Html {
    let mut out = String::new();
    let _ = write!(out, "{n}");
    escape(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralizes_markup_in_text_and_attributes() {
        let hostile = r#"<script>alert("x")</script> & 'y' </textarea>"#;
        let escaped = escape(hostile);
        assert_eq!(
            escaped.as_str(),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &lt;/textarea&gt;"
        );
        assert!(!escaped.as_str().contains('<'), "no tag can open");
    }

    #[test]
    fn escape_keeps_whitespace_and_unicode_but_not_control_characters() {
        assert_eq!(
            escape("a\tb\nc\r\nd 秘密 🔑").as_str(),
            "a\tb\nc\r\nd 秘密 🔑"
        );
        assert_eq!(escape("nul\0bell\u{7}").as_str(), "nul\u{fffd}bell\u{fffd}");
    }

    #[test]
    fn fill_substitutes_every_placeholder() {
        let page = fill(
            "<p>{{a}} and {{b}}</p>{{a}}",
            &[("a", &escape("<1>")), ("b", &Html::trusted("<em>2</em>"))],
        );
        assert_eq!(page.as_str(), "<p>&lt;1&gt; and <em>2</em></p>&lt;1&gt;");
    }

    #[test]
    #[should_panic(expected = "has no value")]
    fn fill_refuses_a_missing_value_in_debug_builds() {
        let _ = fill("<p>{{missing}}</p>", &[]);
    }
}
