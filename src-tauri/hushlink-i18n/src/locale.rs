//! The six languages and their CLDR data: which plural form a count takes and how its
//! digits are grouped, both from ICU4X's compiled data (the same CLDR rules browsers use).

use std::cell::OnceCell;

use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::{langid, LanguageIdentifier};
use icu_plurals::{PluralCategory, PluralRules};

/// A language Hushlink speaks: one type for the app, the tracker, the CLI and the renderer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English, the source of every message and the fallback.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Dutch.
    Nl,
    /// Portuguese (CLDR's `pt`: Brazilian usage).
    Pt,
}

impl Lang {
    /// Every language.
    pub const ALL: [Self; 6] = [Self::En, Self::De, Self::Fr, Self::Es, Self::Nl, Self::Pt];

    /// The ISO 639-1 code ("de").
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Fr => "fr",
            Self::Es => "es",
            Self::Nl => "nl",
            Self::Pt => "pt",
        }
    }

    /// The language of a code ("de", "DE"), if it is one of the six.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The language's name in itself ("Deutsch"), as a language picker lists it: the same
    /// in every language, so a reader finds their own whatever the page speaks.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
            Self::Fr => "Français",
            Self::Es => "Español",
            Self::Nl => "Nederlands",
            Self::Pt => "Português",
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Self::En => langid!("en"),
            Self::De => langid!("de"),
            Self::Fr => langid!("fr"),
            Self::Es => langid!("es"),
            Self::Nl => langid!("nl"),
            Self::Pt => langid!("pt"),
        }
    }

    /// The language of a BCP 47 tag or POSIX locale ("de-AT", "pt_BR.UTF-8", "fr"), if spoken.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_', '.', '@']).next().unwrap_or_default();
        Self::from_code(primary)
    }

    /// The system's language from the environment, as gettext reads it: `LANGUAGE` (a
    /// colon-separated preference list) unless the locale is "C"/"POSIX", else the first set
    /// of `LC_ALL`, `LC_MESSAGES`, `LANG`; English when none names a language spoken here.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] over any variable source (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(&var)
            .find(|v| !v.is_empty());
        let is_c = locale
            .as_deref()
            .is_none_or(|l| l == "C" || l == "POSIX" || l.starts_with("C."));
        if !is_c || locale.is_none() {
            if let Some(lang) = var("LANGUAGE")
                .unwrap_or_default()
                .split(':')
                .find_map(Self::parse)
            {
                return lang;
            }
        }
        locale.as_deref().and_then(Self::parse).unwrap_or_default()
    }

    /// The position in [`Lang::ALL`] (for per-language tables).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The CLDR plural category of the whole number `n` in `lang`: `"one"`, `"many"` or `"other"`
/// for these six languages ("0 jour" is singular in French; a million is "many" in Spanish,
/// French and Portuguese), the names intl-messageformat's branches use.
pub fn plural_category(lang: Lang, n: u64) -> &'static str {
    // ICU4X's data handles are not `Sync` without its `sync` feature (atomics everywhere);
    // one set per thread costs a few lookups in compiled-in tables.
    thread_local! {
        static RULES: [OnceCell<Option<PluralRules>>; 6] = const { [const { OnceCell::new() }; 6] };
    }
    let category = RULES.with(|all| {
        all[lang.index()]
            .get_or_init(|| PluralRules::try_new_cardinal((&lang.id()).into()).ok())
            .as_ref()
            .map(|rules| rules.category_for(n))
    });
    // The data is compiled in for every language here; without it, "other" is every
    // message's required branch.
    match category {
        Some(PluralCategory::Zero) => "zero",
        Some(PluralCategory::One) => "one",
        Some(PluralCategory::Two) => "two",
        Some(PluralCategory::Few) => "few",
        Some(PluralCategory::Many) => "many",
        Some(PluralCategory::Other) | None => "other",
    }
}

/// `n` with the language's digit grouping, as `Intl.NumberFormat` writes it: "10,000",
/// "10.000", "10 000" (a narrow no-break space in French); Spanish groups from five digits.
pub fn number(lang: Lang, n: u64) -> String {
    thread_local! {
        static FORMATTERS: [OnceCell<Option<DecimalFormatter>>; 6] =
            const { [const { OnceCell::new() }; 6] };
    }
    FORMATTERS.with(|all| {
        all[lang.index()]
            .get_or_init(|| DecimalFormatter::try_new((&lang.id()).into(), Default::default()).ok())
            .as_ref()
            .map_or_else(|| n.to_string(), |f| f.format_to_string(&Decimal::from(n)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_categories_are_cldrs() {
        assert_eq!(plural_category(Lang::Pt, 1), "one");
        assert_eq!(
            plural_category(Lang::Fr, 0),
            "one",
            "0 is singular in French"
        );
        assert_eq!(plural_category(Lang::Pt, 0), "one");
        assert_eq!(plural_category(Lang::De, 0), "other");
        assert_eq!(plural_category(Lang::En, 1), "one");
        assert_eq!(plural_category(Lang::Es, 2_000_000), "many");
        assert_eq!(plural_category(Lang::Fr, 1_000_000), "many");
        assert_eq!(plural_category(Lang::Nl, 2_000_000), "other");
        assert_eq!(plural_category(Lang::Es, 21), "other");
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
        assert_eq!(number(Lang::Nl, 1_000_000), "1.000.000");
    }

    #[test]
    fn tags_and_locales_name_their_language() {
        assert_eq!(Lang::parse("de_DE.UTF-8"), Some(Lang::De));
        assert_eq!(Lang::parse("pt-BR"), Some(Lang::Pt));
        assert_eq!(Lang::parse("NL"), Some(Lang::Nl));
        assert_eq!(Lang::parse("ja_JP.UTF-8"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn the_system_language_is_read_as_gettext_reads_it() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(Lang::from_vars(env(&[("LANG", "fr_FR.UTF-8")])), Lang::Fr);
        assert_eq!(
            Lang::from_vars(env(&[("LANG", "fr_FR.UTF-8"), ("LC_ALL", "es_ES.UTF-8")])),
            Lang::Es
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "ja:nl:de")])),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANG", "C"), ("LANGUAGE", "de")])),
            Lang::En,
            "LANGUAGE is ignored under the C locale"
        );
        assert_eq!(Lang::from_vars(env(&[("LANG", "ja_JP.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_vars(env(&[])), Lang::En);
    }

    #[test]
    fn each_language_has_its_own_name_in_itself() {
        assert_eq!(Lang::De.native_name(), "Deutsch");
        assert_eq!(Lang::Pt.native_name(), "Português");
        let names: std::collections::BTreeSet<_> =
            Lang::ALL.into_iter().map(Lang::native_name).collect();
        assert_eq!(
            names.len(),
            Lang::ALL.len(),
            "no two languages share a name"
        );
    }

    #[test]
    fn codes_name_the_languages() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("PT"), Some(Lang::Pt));
        assert_eq!(Lang::from_code("ja"), None);
    }
}
