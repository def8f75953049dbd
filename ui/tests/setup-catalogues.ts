// Unit tests switch languages in one step (`i18n.choose('de')`, then render) and compare
// words across all six, so every catalogue is in memory before a test file runs. The app
// loads them on demand; tests/i18n-loading.test.ts covers that with a fresh module.
import { LANGUAGES, loadCatalogue } from '../src/lib/i18n/i18n.svelte';

await Promise.all(LANGUAGES.map(loadCatalogue));
