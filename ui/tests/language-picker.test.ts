import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import LanguagePicker from '../src/lib/components/LanguagePicker.svelte';
import StatusBadge from '../src/lib/components/StatusBadge.svelte';
import { saveSettings } from '../src/lib/backend/settings';
import { format, i18n } from '../src/lib/i18n/i18n.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { freshBackend } from './setup-dom';

afterEach(() => {
  cleanup();
  i18n.choose(null);
});

describe('LanguagePicker', () => {
  it('switches the whole UI at once and tells its owner, then follows the system again', async () => {
    const onchange = vi.fn();
    render(LanguagePicker, { onchange });
    render(StatusBadge, { state: 'viewed' });
    const badge = document.querySelector('[data-state="viewed"]')!;
    expect(badge.textContent).toBe(format('en', 'state.viewed'));

    const select = screen.getByTestId('language-picker') as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: 'de' } });
    expect(onchange).toHaveBeenLastCalledWith('de');
    expect(i18n.lang).toBe('de');
    expect(badge.textContent).toBe(format('de', 'state.viewed'));
    expect(document.querySelector('label[for="language-picker"]')!.textContent).toBe(format('de', 'language.label'));

    await fireEvent.change(select, { target: { value: '' } });
    expect(onchange).toHaveBeenLastCalledWith(null);
    expect(i18n.choice).toBeNull();
    expect(badge.textContent).toBe(format('en', 'state.viewed'));
  });

  it('lists every language by its own name, after the system choice', () => {
    render(LanguagePicker);
    const options = [...(screen.getByTestId('language-picker') as HTMLSelectElement).options];
    expect(options.map((o) => o.value)).toEqual(['', 'en', 'de', 'fr', 'es', 'nl', 'pt']);
    expect(options.find((o) => o.value === 'fr')!.lang).toBe('fr');
  });
});

describe('the saved language', () => {
  it('wins over the UI\'s own copy at start, and the UI follows it', async () => {
    await freshBackend({}, false);
    await saveSettings({ ...prefs.settings, language: 'fr' });
    i18n.choose('de');
    expect(localStorage.getItem('hushlink.language')).toBe('de');

    await prefs.load();
    expect(i18n.lang).toBe('fr');
    expect(localStorage.getItem('hushlink.language'), 'the copy follows, for the next first paint').toBe('fr');
  });

  it('leaves the UI\'s choice alone when none is saved', async () => {
    await freshBackend({}, false);
    await saveSettings({ ...prefs.settings, language: null });
    i18n.choose('nl');
    await prefs.load();
    expect(i18n.lang).toBe('nl');
  });
});
