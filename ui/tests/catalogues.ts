// Every catalogue at once, for tests that compare languages. The app itself bundles only
// English and loads the others on demand (src/lib/i18n/i18n.svelte.ts).
import de from '../src/lib/i18n/de.json';
import en from '../src/lib/i18n/en.json';
import es from '../src/lib/i18n/es.json';
import fr from '../src/lib/i18n/fr.json';
import type { Catalogue, Language } from '../src/lib/i18n/i18n.svelte';
import nl from '../src/lib/i18n/nl.json';
import pt from '../src/lib/i18n/pt.json';

export const CATALOGUES: Record<Language, Catalogue> = { en, de, fr, es, nl, pt };
