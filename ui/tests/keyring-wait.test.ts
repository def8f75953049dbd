import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import KeyringWait from '../src/lib/components/KeyringWait.svelte';
import { format, i18n } from '../src/lib/i18n/i18n.svelte';
import { nav } from '../src/lib/stores/nav.svelte';
import { englishLeft } from './english-left';

describe('KeyringWait', () => {
  it('says what still works while the keyring is locked, and goes there', async () => {
    render(KeyringWait);
    const list = screen.getByTestId('keyring-still-works');
    const screens = within(list)
      .getAllByRole('listitem')
      .map((li) => li.dataset.screen);
    // Only screens whose commands do not wait for the tracker.
    expect(screens).toEqual(['newSecret', 'relay']);
    nav.go('secrets');
    const relay = within(list).getAllByRole('listitem')[1]!;
    await fireEvent.click(within(relay).getByRole('button'));
    expect(nav.screen).toBe('relay');
  });

  it('speaks German, naming the screens as the menu does', async () => {
    const left = await englishLeft(async () => render(KeyringWait));
    expect(left).toEqual([]);
    cleanup();
    i18n.choose('de');
    try {
      render(KeyringWait);
      const links = within(screen.getByTestId('keyring-still-works')).getAllByRole('button');
      expect(links.map((b) => b.textContent)).toEqual([format('de', 'nav.newSecret'), format('de', 'nav.relay')]);
    } finally {
      i18n.choose(null);
    }
  });
});
