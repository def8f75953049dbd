import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import KeyringWait from '../src/lib/components/KeyringWait.svelte';
import { nav } from '../src/lib/stores/nav.svelte';

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
});
