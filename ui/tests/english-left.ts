// Finds English left on a screen that should speak another language: the screen is rendered
// once in English and once in the other language, in the same state, and any text both show
// is English left behind, unless the catalogues say the two languages write it the same
// ("Passphrase", "(optional)") or it is a name the test passes (a server's, a person's).
import { cleanup } from '@testing-library/svelte';
import { i18n, type Language } from '../src/lib/i18n/i18n.svelte';
import { CATALOGUES } from './catalogues';

/** Every text a person reads or hears on `root`: text nodes, and placeholders, accessible
 *  labels, titles and alt texts. Texts without a letter (numbers, "a–z", "0:09") are left out. */
export function textsOf(root: ParentNode, skip = 'script, style'): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement?.closest(skip)) continue;
    found.push(node.textContent ?? '');
  }
  for (const el of root.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (el.closest(skip)) continue;
    for (const attr of ['placeholder', 'aria-label', 'title', 'alt']) found.push(el.getAttribute(attr) ?? '');
  }
  return found.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => /\p{L}/u.test(text));
}

/**
 * The texts `show` puts on the page both in English and in `lang`. `show` renders the screen
 * and brings it to the state under test (it runs twice, once per language, and must not
 * depend on the language's words); `names` are texts that are the same in every language;
 * `skip` leaves out parts of the page another test covers.
 */
export async function englishLeft(
  show: () => Promise<unknown>,
  lang: Language = 'de',
  names: readonly string[] = [],
  skip = 'script, style',
): Promise<string[]> {
  const same = new Set(
    Object.entries(CATALOGUES.en)
      .filter(([key, english]) => (CATALOGUES[lang] as Record<string, string>)[key] === english)
      .map(([, english]) => english),
  );
  try {
    cleanup();
    i18n.choose('en');
    await show();
    const english = new Set(textsOf(document.body, skip));
    cleanup();
    i18n.choose(lang);
    await show();
    const other = textsOf(document.body, skip);
    return [...new Set(other.filter((text) => english.has(text) && !same.has(text) && !names.includes(text)))];
  } finally {
    i18n.choose(null);
  }
}
