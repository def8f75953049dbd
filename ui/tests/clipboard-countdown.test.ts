import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ClipboardCountdown from '../src/lib/components/ClipboardCountdown.svelte';
import { ClipboardClear, clipboardClear, countdownWords } from '../src/lib/stores/clipboard.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { englishLeft } from './english-left';

describe('the clipboard countdown', () => {
  afterEach(() => clipboardClear.reset());

  it('counts down from the delay to zero, and shows nothing when the clear is off', () => {
    const timer = new ClipboardClear();
    timer.copied(120_000, 0);
    expect(timer.secondsLeft).toBe(120);
    timer.tick(1_500);
    expect(timer.secondsLeft).toBe(119);
    timer.tick(120_000);
    expect(timer.secondsLeft).toBe(0);
    timer.copied(0, 200_000);
    expect(timer.secondsLeft).toBeNull();
    timer.reset();
  });

  it('follows the setting by default and ticks live on screen', async () => {
    prefs.settings = { ...prefs.settings, clipboardClearMs: 30_000 };
    clipboardClear.copied(undefined, 1_000);
    render(ClipboardCountdown);
    const shown = screen.getByTestId('clipboard-countdown');
    expect(shown.dataset.secondsLeft).toBe('30');
    expect(shown.getAttribute('role'), 'ticks without being announced every second').toBe('timer');
    clipboardClear.tick(11_000);
    await Promise.resolve();
    expect(screen.getByTestId('clipboard-countdown').dataset.secondsLeft).toBe('20');
    clipboardClear.tick(31_000);
    await Promise.resolve();
    expect(screen.getByTestId('clipboard-countdown').dataset.secondsLeft).toBe('0');
  });

  it('reads as minutes and seconds', () => {
    expect(countdownWords(114)).toBe('1:54');
    expect(countdownWords(9)).toBe('0:09');
  });

  it('speaks German while counting and once cleared', async () => {
    for (const at of [1_000, 31_000]) {
      const left = await englishLeft(async () => {
        clipboardClear.copied(30_000, 0);
        clipboardClear.tick(at);
        render(ClipboardCountdown);
        await Promise.resolve();
      });
      expect(left, `at ${at} ms`).toEqual([]);
    }
  });
});
