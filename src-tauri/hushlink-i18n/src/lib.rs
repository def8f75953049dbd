//! Hushlink's messages as ICU MessageFormat, for everything Rust says itself: the desktop
//! app's tray and notifications (catalogues `ui/src/lib/i18n/*.json`) and the relay's
//! recipient pages (`hushlink-relay/src/web/i18n/*.json`).
//!
//! The Svelte UI renders the same syntax with intl-messageformat; this crate renders it the
//! same way (a test compares the two for every plural message of both catalogues, from
//! renderings the UI's library wrote: `tests/intl.rs`). What is language data comes from
//! ICU4X, Unicode's own libraries: CLDR plural rules (`icu_plurals`) and digit grouping
//! (`icu_decimal`), compiled in. What is syntax is the small subset the catalogues use, parsed
//! here (intl-messageformat's Rust port pulls every ICU4X component and its data, most of
//! which Hushlink never uses; `docs/vocabulary.md` says more).
//!
//! Module map:
//! - [`locale`]: [`Lang`] (codes, tags, names in itself), [`plural_category`], [`number`]
//!   (the ICU4X part).
//! - [`message`]: [`format()`] and [`render`] (the syntax: arguments, `number`, `plural`,
//!   `select`, `#`, apostrophe quoting), writing to a [`Sink`] so a caller can escape the
//!   message's text (the relay's HTML) while inserting values of its own.
//!
//! Nothing here is secret-aware: callers pass labels and counts, never secret text.

pub mod locale;
pub mod message;

pub use locale::{number, plural_category, Lang};
pub use message::{format, render, Arg, Sink};
