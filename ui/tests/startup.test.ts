import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../src/lib/i18n/en.json';
import App from '../src/App.svelte';
import { Startup } from '../src/lib/stores/startup.svelte';
import { called, freshBackend } from './setup-dom';

describe('while the keyring has not answered', () => {
  it('renders, says why it waits, then loads the list once the tracker is ready', async () => {
    const fake = await freshBackend({ entries: 2, keyringWaiting: true }, false);
    render(App);
    // The window is usable at once: the shell's first screen reports ready.
    await waitFor(() => expect(fake.ready).toBe('Hushlink'));
    const waiting = await screen.findByTestId('tracker-waiting');
    expect(waiting.getAttribute('role')).toBe('status');
    expect(waiting.textContent).toContain(en['keyringWait.title']);
    expect(waiting.textContent).toContain(en['keyringWait.why']);
    await fireEvent.click(screen.getByRole('button', { name: new RegExp(en['nav.secrets']) }));
    expect(screen.queryAllByTestId('secret-row')).toHaveLength(0);

    fake.finishStartup();
    expect(await screen.findAllByTestId('secret-row')).toHaveLength(2);
    await waitFor(() => expect(screen.queryByTestId('tracker-waiting')).toBeNull());
    // The loads started at mount waited and answered; nothing had to be asked twice.
    expect(called(fake, 'list_secrets')).toHaveLength(1);
  });

  it('says once, in words, when the list could not be opened', async () => {
    const fake = await freshBackend({ keyringWaiting: true }, false);
    render(App);
    await screen.findByTestId('tracker-waiting');
    fake.finishStartup('storage_error');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(`${en['nav.listNotOpened']} ${en['error.storage_error.title']}`);
    expect(screen.queryByTestId('tracker-waiting')).toBeNull();
    expect(screen.queryByText(en['nav.settingsNotLoaded'], { exact: false })).toBeNull();
  });

  it('shows no waiting notice when the list is already open', async () => {
    const fake = await freshBackend({}, false);
    render(App);
    await waitFor(() => expect(called(fake, 'tracker_phase')).toHaveLength(1));
    await waitFor(() => expect(fake.ready).not.toBeNull());
    expect(screen.queryByTestId('tracker-waiting')).toBeNull();
  });
});

describe('Startup store', () => {
  it('does not let a late "starting" answer undo the ready event', async () => {
    await freshBackend({ keyringWaiting: true }, false);
    const startup = new Startup();
    const asked = startup.check();
    expect(startup.handle({ type: 'trackerReady' })).toBe(true);
    await asked;
    expect(startup.phase).toBe('ready');
  });

  it('ignores events that are not about starting', () => {
    const startup = new Startup();
    expect(startup.handle({ type: 'windowShown', source: 'tray' })).toBe(false);
    expect(startup.phase).toBe('unknown');
  });
});
