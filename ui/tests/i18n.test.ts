// The catalogues: every message in every language, with the same placeholders as English, and
// the language the app shows follows the choice, then the system.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, format, i18n, languageName, resolveLanguage, type MessageKey } from '../src/lib/i18n/i18n.svelte';
import { CATALOGUES } from './catalogues';

type Node = { type: number; value?: string; options?: Record<string, { value: Node[] }>; children?: Node[] };

/** The placeholders of a message and how each is used ("argument:label", "plural:count"),
 *  found by parsing it as ICU MessageFormat (a parse error fails the test). */
function placeholders(message: string, lang: string): string[] {
  const found = new Set<string>();
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      // 0 literal, 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 7 #, 8 tag.
      if (n.type !== 0 && n.type !== 7) found.add(`${n.type}:${n.value ?? ''}`);
      for (const option of Object.values(n.options ?? {})) walk(option.value);
      if (n.children) walk(n.children);
    }
  };
  walk(new IntlMessageFormat(message, lang).getAst() as Node[]);
  return [...found].sort();
}

const english = CATALOGUES.en;
const keys = Object.keys(english) as MessageKey[];

describe('catalogues', () => {
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every English message and no others', (lang) => {
    const catalogue = CATALOGUES[lang] as Record<string, string>;
    expect(Object.keys(catalogue).filter((k) => !(k in english)), 'keys English does not have').toEqual([]);
    expect(keys.filter((k) => typeof catalogue[k] !== 'string' || catalogue[k]!.trim() === ''), 'missing').toEqual([]);
  });

  it.each(LANGUAGES)('%s keeps the placeholders of each English message', (lang) => {
    const broken = keys.filter(
      (k) => placeholders(CATALOGUES[lang][k], lang).join() !== placeholders(english[k], 'en').join(),
    );
    expect(broken).toEqual([]);
  });

  it('is translated, not copied: most messages differ from English', () => {
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const same = keys.filter((k) => CATALOGUES[lang][k] === english[k]);
      expect(same.length / keys.length, `${lang}: ${same.join(', ')}`).toBeLessThan(0.1);
    }
  });

  it('leaves the keys the Rust shell reads plural-free (it fills {name} only)', () => {
    const rust = keys.filter((k) => /^(tray|notify|cli)\./.test(k) || /^state\./.test(k));
    for (const lang of LANGUAGES) {
      for (const k of rust) expect(CATALOGUES[lang][k], `${lang} ${k}`).not.toMatch(/\{\s*\w+\s*,/);
    }
  });

  it('calls the office relay a server in Spanish, never «relé» (an electrical relay)', () => {
    const relé = keys.filter((k) => /\brel[eé]s?(?!\p{L})/iu.test(CATALOGUES.es[k]));
    expect(relé).toEqual([]);
    expect(CATALOGUES.es['nav.relay'].toLowerCase()).toContain('servidor');
  });

  it('counts through ICU plural rules', () => {
    expect(format('en', 'time.days', { count: 1 })).not.toBe(format('en', 'time.days', { count: 2 }).replace('2', '1'));
    expect(format('de', 'time.days', { count: 2 })).toContain('2');
    expect(format('fr', 'time.hours', { count: 1 })).toContain('1');
  });
});

describe('language', () => {
  it('follows the choice, then the system, then English', () => {
    expect(resolveLanguage('fr', ['de-DE'])).toBe('fr');
    expect(resolveLanguage(null, ['ja-JP', 'de-AT', 'en'])).toBe('de');
    expect(resolveLanguage('xx', ['pt-BR'])).toBe('pt');
    expect(resolveLanguage(null, ['ja'])).toBe('en');
  });

  it('remembers the choice and can follow the system again', () => {
    i18n.choose('nl');
    expect(i18n.lang).toBe('nl');
    expect(localStorage.getItem('hushlink.language')).toBe('nl');
    expect(document.documentElement.lang).toBe('nl');
    i18n.choose(null);
    expect(localStorage.getItem('hushlink.language')).toBeNull();
    expect(i18n.lang).toBe(i18n.systemLang);
  });

  it('names each language in itself', () => {
    expect(languageName('de')).toBe('Deutsch');
    expect(new Set(LANGUAGES.map(languageName)).size).toBe(LANGUAGES.length);
  });
});

describe('vocabulary table (docs/vocabulary.md)', () => {
  // Tests run in ui/ (npm test).
  const doc = readFileSync(join(process.cwd(), '../docs/vocabulary.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-zA-Z.]+)` \| `([a-zA-Z]+)` \| ([^|]+) \|/gm)].map((m) => ({
    key: m[1] as MessageKey,
    code: m[2]!,
    word: m[3]!.trim(),
  }));

  it('lists every state and activity with the word English uses', () => {
    const listed = rows.map((r) => r.key);
    const actions = ['create', 'viewPage', 'reveal', 'failedPassphrase', 'burn', 'expire'].map((a) => `activity.${a}`);
    for (const k of [...keys.filter((k) => /^(state|history)\.[a-zA-Z]+$/.test(k)), ...actions]) expect(listed).toContain(k);
    for (const r of rows) expect(english[r.key], r.key).toBe(r.word);
  });

  it('gives each state one word of its own in every language', () => {
    const states = ['unread', 'viewed', 'expired', 'burned', 'orphaned'] as const;
    for (const lang of LANGUAGES) {
      const words = states.map((s) => CATALOGUES[lang][`state.${s}`]);
      expect(new Set(words).size, lang).toBe(states.length);
    }
  });
});
