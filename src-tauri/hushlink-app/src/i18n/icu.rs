//! ICU MessageFormat in the shell's language type: the renderer and its language data are
//! [`hushlink_i18n`]'s (shared with the relay's pages; CLDR plurals and digit grouping from
//! ICU4X), so counts read as each language says them ("1 Tag", "2 Tage"; "0 caractère" in
//! French) and as the UI's intl-messageformat writes the same catalogues.

use super::Lang;

pub use hushlink_i18n::Arg;

/// `message` with its placeholders and plural branches filled from `args`, in `lang`.
pub fn format(lang: Lang, message: &str, args: &[(&str, Arg<'_>)]) -> String {
    hushlink_i18n::format(lang, message, args)
}

/// The CLDR plural category of the whole number `n` in `lang`: "one", "many" or "other".
pub fn category(lang: Lang, n: u64) -> &'static str {
    hushlink_i18n::plural_category(lang, n)
}

/// `n` with the language's digit grouping, as `Intl.NumberFormat` writes it.
pub fn number(lang: Lang, n: u64) -> String {
    hushlink_i18n::number(lang, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shell's counts follow each language's plural rules and grouping.
    #[test]
    fn counts_read_as_each_language_says_them() {
        assert_eq!(
            format(
                Lang::Fr,
                "{count, plural, one {# jour} other {# jours}}",
                &[("count", Arg::Count(0))]
            ),
            "0 jour",
            "0 is singular in French"
        );
        assert_eq!(category(Lang::Es, 2_000_000), "many");
        assert_eq!(number(Lang::De, 1_234_567), "1.234.567");
    }
}
