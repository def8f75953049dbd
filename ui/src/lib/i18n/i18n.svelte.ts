// The app's words in six languages: one catalogue per language (en.json defines every key and
// the vocabulary; the others translate it), ICU MessageFormat for plurals and placeholders
// (intl-messageformat), and the platform's Intl for dates and language names.
//
// The Rust shell reads the same files (tray menu, notifications): see
// src-tauri/hushlink-tracker/src/notify/catalog.rs. Keys it uses are plain `{name}`
// placeholders without plurals, so both readers agree on them.
import { IntlMessageFormat } from 'intl-messageformat';
import de from './de.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import nl from './nl.json';
import pt from './pt.json';

/** Every message key; en.json is the source of truth (a key missing there fails `npm run check`). */
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

/** The languages Hushlink speaks, in the order the picker lists them. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'nl', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

// `satisfies` makes svelte-check fail when a catalogue lacks a key of en.json.
export const CATALOGUES: Record<Language, Catalogue> = { en, de, fr, es, nl, pt } satisfies Record<
  Language,
  Catalogue
>;

/** Where the user's choice is kept in the UI (the shell keeps its own copy in the settings). */
export const LANGUAGE_KEY = 'hushlink.language';

/** A supported language for a BCP 47 tag ("de-AT" -> "de"), or null. */
export function supported(tag: string | null | undefined): Language | null {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : null;
}

/** The language to show: the user's choice if supported, else the system's first supported
 *  language, else English. */
export function resolveLanguage(choice: string | null, system: readonly string[]): Language {
  const chosen = supported(choice);
  if (chosen) return chosen;
  for (const tag of system) {
    const lang = supported(tag);
    if (lang) return lang;
  }
  return 'en';
}

function systemLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function storedChoice(): Language | null {
  try {
    return supported(globalThis.localStorage?.getItem(LANGUAGE_KEY));
  } catch {
    return null;
  }
}

class I18n {
  /** The user's explicit choice; null follows the system. */
  choice: Language | null = $state(storedChoice());
  /** The language in use. */
  readonly lang: Language = $derived(resolveLanguage(this.choice, systemLanguages()));
  /** The system's own language, for "Same as this computer (Deutsch)". */
  readonly systemLang: Language = resolveLanguage(null, systemLanguages());

  /** Changes (and remembers) the choice; `null` follows the system again. */
  choose(lang: Language | null): void {
    this.choice = lang;
    try {
      if (lang) localStorage.setItem(LANGUAGE_KEY, lang);
      else localStorage.removeItem(LANGUAGE_KEY);
    } catch {
      // No storage (private mode): the choice lasts for this session.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = this.lang;
  }
}

export const i18n = new I18n();
if (typeof document !== 'undefined') document.documentElement.lang = i18n.lang;

// A cache, not state: compiled messages never change.
const compiled: Record<string, IntlMessageFormat> = {};

/** The message `key` in `lang`, with its placeholders filled. */
export function format(lang: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const source = CATALOGUES[lang][key] ?? en[key];
  if (!values && !source.includes('{')) return source;
  const id = `${lang}\u0000${key}`;
  const message = (compiled[id] ??= new IntlMessageFormat(source, lang));
  return String(message.format(values));
}

/** The message `key` in the current language. Reactive: a template re-renders on a change. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return format(i18n.lang, key, values);
}

/** The current language as a locale for `Intl` and `toLocale…String`. */
export function locale(): Language {
  return i18n.lang;
}

/** A language's own name ("Deutsch", "Français"), through Intl. */
export function languageName(lang: Language): string {
  const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}
