// The app loads English and the language it shows, and the others only when picked: each test
// takes a fresh copy of the i18n module (the shared one has every catalogue preloaded by
// tests/setup-catalogues.ts), with the saved choice or system language it starts from.
import { afterEach, describe, expect, it, vi } from 'vitest';
import de from '../src/lib/i18n/de.json';
import en from '../src/lib/i18n/en.json';
import es from '../src/lib/i18n/es.json';
import fr from '../src/lib/i18n/fr.json';
import type { Language } from '../src/lib/i18n/i18n.svelte';

type I18nModule = typeof import('../src/lib/i18n/i18n.svelte');

/** A fresh i18n module, as the app's first start with `saved` in storage and `system` as the
 *  browser's languages. */
async function start(saved: Language | null, system: readonly string[] = ['en-US']): Promise<I18nModule> {
  if (saved) localStorage.setItem('hushlink.language', saved);
  else localStorage.removeItem('hushlink.language');
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(system);
  vi.resetModules();
  return import('../src/lib/i18n/i18n.svelte');
}

const loadedOf = (m: I18nModule) => m.LANGUAGES.filter((lang) => m.isLoaded(lang));

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.removeItem('hushlink.language');
});

describe('catalogues loaded at start', () => {
  it('are English only when English is shown', async () => {
    const m = await start(null);
    await m.i18n.ready;
    expect(m.i18n.lang).toBe('en');
    expect(loadedOf(m)).toEqual(['en']);
  });

  it('are English and the saved language, which is shown once ready', async () => {
    const m = await start('fr', ['de-DE']);
    expect(m.i18n.lang, 'nothing switches before the catalogue is in').toBe('en');
    await m.i18n.ready;
    expect(m.i18n.lang).toBe('fr');
    expect(m.i18n.choice).toBe('fr');
    expect(m.t('nav.relay')).toBe(fr['nav.relay']);
    expect(document.documentElement.lang).toBe('fr');
    expect(loadedOf(m)).toEqual(['en', 'fr']);
  });

  it('are English and the system language when nothing is saved', async () => {
    const m = await start(null, ['ja-JP', 'de-AT']);
    await m.i18n.ready;
    expect(m.i18n.lang).toBe('de');
    expect(m.i18n.choice).toBeNull();
    expect(loadedOf(m)).toEqual(['en', 'de']);
  });
});

describe('picking a language', () => {
  it('loads its catalogue, then switches every word at once and remembers it', async () => {
    const m = await start(null);
    await m.i18n.ready;
    const picked = m.i18n.choose('es');
    expect(m.i18n.lang, 'still English while Spanish loads').toBe('en');
    expect(m.t('nav.relay')).toBe(en['nav.relay']);
    expect(localStorage.getItem('hushlink.language')).toBeNull();
    await picked;
    expect(m.i18n.lang).toBe('es');
    expect(m.t('nav.relay')).toBe(es['nav.relay']);
    expect(localStorage.getItem('hushlink.language')).toBe('es');
    expect(loadedOf(m)).toEqual(['en', 'es']);
  });

  it('lets the last pick win when an earlier one loads later', async () => {
    const m = await start(null);
    await m.i18n.ready;
    const slow = m.i18n.choose('de');
    m.i18n.choose('en');
    expect(m.i18n.lang, 'English is in memory: at once').toBe('en');
    await slow;
    expect(m.i18n.lang).toBe('en');
    expect(m.i18n.choice).toBe('en');
    expect(m.isLoaded('de'), 'loaded for next time').toBe(true);
    m.i18n.choose('de');
    expect(m.i18n.lang, 'a loaded language switches at once').toBe('de');
    expect(m.t('nav.relay')).toBe(de['nav.relay']);
  });

  it('formats a language not yet loaded in English, and in its own words once loaded', async () => {
    const m = await start(null);
    expect(m.format('fr', 'time.days', { count: 2 })).toBe(m.format('en', 'time.days', { count: 2 }));
    await m.loadCatalogue('fr');
    expect(m.format('fr', 'time.days', { count: 2 })).not.toBe(m.format('en', 'time.days', { count: 2 }));
    expect(m.format('fr', 'nav.relay')).toBe(fr['nav.relay']);
  });
});
