// The app's words in six languages: one catalogue per language (en.json defines every key and
// the vocabulary; the others translate it), ICU MessageFormat for plurals and placeholders
// (intl-messageformat), and the platform's Intl for dates and language names.
//
// Only English (the fallback, and the type every catalogue must match) is in the bundle the
// page loads; each other language is its own chunk, imported when it is first shown (at start
// for the saved or system language, which main.ts awaits before the first paint; later when the
// user picks it). A language switches only once its catalogue is in memory, so no screen shows
// a mix of two languages.
//
// The Rust shell reads the same files (tray menu, notifications): see
// src-tauri/hushlink-tracker/src/notify/catalog.rs. Keys it uses are plain `{name}`
// placeholders without plurals, so both readers agree on them.
import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.json';

/** Every message key; en.json is the source of truth (a key missing there fails `npm run check`). */
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

/** The languages Hushlink speaks, in the order the picker lists them. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'nl', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

// One chunk per language (Vite splits each dynamic import). `satisfies` makes svelte-check
// fail when a catalogue lacks a key of en.json, as the static imports did.
const LOADERS = {
  de: () => import('./de.json'),
  fr: () => import('./fr.json'),
  es: () => import('./es.json'),
  nl: () => import('./nl.json'),
  pt: () => import('./pt.json'),
} satisfies Record<Exclude<Language, 'en'>, () => Promise<{ default: Catalogue }>>;

/** The catalogues in memory: English always, the others once loaded. Not state: a language
 *  becomes the current one (state) only after its catalogue is here. */
const loaded: Partial<Record<Language, Catalogue>> = { en };
const loading: Partial<Record<Language, Promise<Catalogue>>> = {};

/** Whether `lang`'s catalogue is in memory (English always is). */
export function isLoaded(lang: Language): boolean {
  return loaded[lang] !== undefined;
}

/** Brings `lang`'s catalogue into memory, once; a failed load may be tried again. */
export function loadCatalogue(lang: Language): Promise<Catalogue> {
  const ready = loaded[lang];
  if (ready) return Promise.resolve(ready);
  if (lang === 'en') return Promise.resolve(en);
  return (loading[lang] ??= LOADERS[lang]().then(
    (module) => (loaded[lang] = module.default),
    (error: unknown) => {
      delete loading[lang];
      throw error;
    },
  ));
}

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
  #choice: Language | null = $state(null);
  /** The language in use: always one whose catalogue is in memory. */
  #lang: Language = $state('en');
  /** Counts switches, so a slow load never undoes a later choice. */
  #switches = 0;
  /** The system's own language, for "Same as this computer (Deutsch)". */
  readonly systemLang: Language = resolveLanguage(null, systemLanguages());
  /** Settles when the language chosen at start is shown (English if its catalogue failed to
   *  load); main.ts waits for it before the first paint. Never rejects. */
  readonly ready: Promise<void>;

  constructor() {
    const stored = storedChoice();
    this.ready = this.#switchTo(stored, false).catch((error: unknown) => {
      console.error('The language catalogue did not load; showing English.', error);
    });
  }

  get choice(): Language | null {
    return this.#choice;
  }

  get lang(): Language {
    return this.#lang;
  }

  /** Changes (and remembers) the choice; `null` follows the system again. The switch happens
   *  when the language's catalogue is in memory: at once if it is, else when the returned
   *  promise resolves (it rejects, leaving the language as it was, if the load fails). */
  choose(lang: Language | null): Promise<void> {
    return this.#switchTo(lang, true);
  }

  #switchTo(choice: Language | null, remember: boolean): Promise<void> {
    const switchNo = ++this.#switches;
    const lang = resolveLanguage(choice, systemLanguages());
    const apply = () => {
      if (switchNo !== this.#switches) return; // a later choice won
      this.#choice = choice;
      this.#lang = lang;
      if (remember) rememberChoice(choice);
      if (typeof document !== 'undefined') document.documentElement.lang = lang;
    };
    if (isLoaded(lang)) {
      apply();
      return Promise.resolve();
    }
    return loadCatalogue(lang).then(apply);
  }
}

function rememberChoice(lang: Language | null): void {
  try {
    if (lang) localStorage.setItem(LANGUAGE_KEY, lang);
    else localStorage.removeItem(LANGUAGE_KEY);
  } catch {
    // No storage (private mode): the choice lasts for this session.
  }
}

export const i18n = new I18n();

// A cache, not state: compiled messages never change.
const compiled: Record<string, IntlMessageFormat> = {};

/** The message `key` in `lang`, with its placeholders filled; in English while `lang`'s
 *  catalogue is not in memory (the current language's always is). */
export function format(lang: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const from = isLoaded(lang) ? lang : 'en';
  const source = loaded[from]?.[key] ?? en[key];
  if (!values && !source.includes('{')) return source;
  const id = `${from}\u0000${key}`;
  const message = (compiled[id] ??= new IntlMessageFormat(source, from));
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
