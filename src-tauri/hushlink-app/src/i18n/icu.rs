//! ICU MessageFormat in the shell's language type: the renderer and its language data are
//! [`hushlink_i18n`]'s (shared with the relay's pages; CLDR plurals and digit grouping from
//! ICU4X), so counts read as each language says them ("1 Tag", "2 Tage"; "0 caractère" in
//! French) and as the UI's intl-messageformat writes the same catalogues.

use super::Lang;

pub use hushlink_i18n::Arg;

/// `message` with its placeholders and plural branches filled from `args`, in `lang`.
pub fn format(lang: Lang, message: &str, args: &[(&str, Arg<'_>)]) -> String {
    hushlink_i18n::format(shared(lang), message, args)
}

/// The CLDR plural category of the whole number `n` in `lang`: "one", "many" or "other".
pub fn category(lang: Lang, n: u64) -> &'static str {
    hushlink_i18n::plural_category(shared(lang), n)
}

/// `n` with the language's digit grouping, as `Intl.NumberFormat` writes it.
pub fn number(lang: Lang, n: u64) -> String {
    hushlink_i18n::number(shared(lang), n)
}

/// The tracker's catalogue language as the renderer's (the same six).
fn shared(lang: Lang) -> hushlink_i18n::Lang {
    match lang {
        Lang::En => hushlink_i18n::Lang::En,
        Lang::De => hushlink_i18n::Lang::De,
        Lang::Fr => hushlink_i18n::Lang::Fr,
        Lang::Es => hushlink_i18n::Lang::Es,
        Lang::Nl => hushlink_i18n::Lang::Nl,
        Lang::Pt => hushlink_i18n::Lang::Pt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each of the tracker's languages is the renderer's of the same code, so the shell and
    /// the UI choose the same plural rules.
    #[test]
    fn every_language_maps_to_the_same_code() {
        for lang in Lang::ALL {
            assert_eq!(shared(lang).code(), lang.code());
        }
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
