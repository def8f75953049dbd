import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../src/lib/i18n/en.json';
import { format, i18n, type MessageKey } from '../src/lib/i18n/i18n.svelte';
import NewSecret from '../src/lib/screens/NewSecret.svelte';
import { nav } from '../src/lib/stores/nav.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { secrets } from '../src/lib/stores/secrets.svelte';
import { englishLeft } from './english-left';
import { called, freshBackend } from './setup-dom';

describe('New secret', () => {
  it('refuses an empty secret in words, without calling the backend', async () => {
    const fake = await freshBackend();
    render(NewSecret);
    await fireEvent.click(screen.getByRole('button', { name: format('en', 'newSecret.create', { count: 1 }) }));
    expect((await screen.findByRole('alert')).textContent).toBe(en['newSecret.textMissing']);
    expect(called(fake, 'create_secrets')).toHaveLength(0);
    expect(document.activeElement).toBe(screen.getByLabelText(en['newSecret.text']));
  });

  it('sends one request with every recipient and opens the share screen', async () => {
    const fake = await freshBackend();
    render(NewSecret);
    await fireEvent.input(screen.getByLabelText(en['newSecret.text']), { target: { value: 'hunter2' } });
    await fireEvent.input(screen.getByLabelText(en['newSecret.recipients'], { exact: false }), { target: { value: 'Sam, Kim' } });
    await fireEvent.input(screen.getByLabelText(en['newSecret.passphrase'], { exact: false }), { target: { value: 'blue-sky' } });
    const create = screen.getByRole('button', { name: format('en', 'newSecret.create', { count: 2 }) });
    await fireEvent.click(create);
    await waitFor(() => expect(nav.created).toHaveLength(2));
    const [call] = called(fake, 'create_secrets');
    expect(call?.args).toEqual({
      request: {
        text: 'hunter2', passphrase: 'blue-sky', ttlMs: 86_400_000, recipients: ['Sam', 'Kim'],
        label: '', profileId: 'eu', endToEnd: false, emailLinks: false,
      },
    });
    expect(secrets.entries.map((e) => e.recipient)).toEqual(expect.arrayContaining(['Sam', 'Kim']));
  });

  it('offers to e-mail the links only with an account and real addresses', async () => {
    const fake = await freshBackend();
    prefs.profiles = prefs.profiles.map((p) => (p.id === 'eu' ? { ...p, username: 'me@example.com', hasToken: true } : p));
    render(NewSecret);
    await fireEvent.input(screen.getByLabelText(en['newSecret.text']), { target: { value: 'hunter2' } });
    const recipients = screen.getByLabelText(en['newSecret.recipients'], { exact: false });
    await fireEvent.input(recipients, { target: { value: 'Sam' } });
    expect(screen.queryByTestId('email-links'), 'a name is not an address').toBeNull();
    await fireEvent.input(recipients, { target: { value: 'sam@example.com, kim@example.org' } });
    await fireEvent.click(screen.getByTestId('email-links'));
    await fireEvent.click(screen.getByRole('button', { name: format('en', 'newSecret.create', { count: 2 }) }));
    await waitFor(() => expect(nav.created).toHaveLength(2));
    expect(called(fake, 'create_secrets')[0]?.args).toMatchObject({ request: { emailLinks: true } });

    await fireEvent.change(screen.getByLabelText(en['newSecret.profile']), { target: { value: 'us' } });
    await fireEvent.input(recipients, { target: { value: 'sam@example.com' } });
    expect(screen.queryByTestId('email-links'), 'anonymous servers do not send mail').toBeNull();
  });

  it("keeps the expiry within the server's maximum", async () => {
    const fake = await freshBackend();
    prefs.settings = { ...prefs.settings, defaultExpiryMs: 14 * 86_400_000 };
    render(NewSecret);
    const select = screen.getByLabelText(en['newSecret.expiry']) as HTMLSelectElement;
    // Anonymous hosted use allows 7 days at most: 14 days is not offered, 7 days is picked.
    expect([...select.options].map((o) => o.textContent)).not.toContain('14 days');
    expect(select.value).toBe(String(7 * 86400));
    await fireEvent.change(screen.getByLabelText(en['newSecret.profile']), { target: { value: 'relay' } });
    expect([...select.options].map((o) => o.textContent)).toContain('14 days');
    await fireEvent.input(screen.getByLabelText(en['newSecret.text']), { target: { value: 'x' } });
    await fireEvent.click(screen.getByRole('button', { name: format('en', 'newSecret.create', { count: 1 }) }));
    await waitFor(() => expect(nav.created).toHaveLength(1));
    expect(called(fake, 'create_secrets')[0]?.args).toMatchObject({ request: { ttlMs: 14 * 86_400_000, profileId: 'relay', endToEnd: true } });
  });

  it("uses the maximum the server reported in its last connection check", async () => {
    await freshBackend();
    prefs.maxTtl = { eu: 3600 };
    render(NewSecret);
    const select = screen.getByLabelText(en['newSecret.expiry']) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['5 minutes', '15 minutes', '1 hour']);
    expect(select.value).toBe('3600');
    prefs.maxTtl = {};
  });

  it('shows a server failure in plain words and keeps what was typed', async () => {
    const fake = await freshBackend();
    fake.failNext('create_secrets', 'server_unreachable', 'connect ECONNREFUSED');
    render(NewSecret);
    const text = screen.getByLabelText(en['newSecret.text']) as HTMLTextAreaElement;
    await fireEvent.input(text, { target: { value: 'keep me' } });
    await fireEvent.click(screen.getByRole('button', { name: format('en', 'newSecret.create', { count: 1 }) }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(`${en['newSecret.notCreated']} ${en['error.server_unreachable.title']}`);
    expect(alert.textContent).not.toMatch(/ECONNREFUSED/);
    expect(text.value).toBe('keep me');
    expect(nav.created).toBeNull();
  });

  it('fills the text with a generated password and shows its strength', async () => {
    await freshBackend();
    render(NewSecret);
    await fireEvent.click(screen.getByRole('button', { name: en['generator.password'] }));
    await waitFor(() =>
      expect((screen.getByLabelText(en['newSecret.text']) as HTMLTextAreaElement).value).toHaveLength(16),
    );
    expect(screen.getByTestId('text-gen-strength').textContent).toContain(en['strength.3']);
  });

  it('asks for an easy-to-read password by default, and one with symbols in one click', async () => {
    const fake = await freshBackend();
    render(NewSecret);
    await fireEvent.click(screen.getByRole('button', { name: en['generator.password'] }));
    await waitFor(() => expect(called(fake, 'generate_password')).toHaveLength(1));
    expect(called(fake, 'generate_password')[0]?.args).toEqual({
      options: { kind: 'characters', length: 16, lowercase: true, uppercase: true, digits: true, symbols: false, easyToRead: true },
    });
    const styles = within(screen.getByTestId('text-gen-styles'));
    await fireEvent.click(styles.getByLabelText(en['generator.style.strong']));
    await waitFor(() => expect(called(fake, 'generate_password')).toHaveLength(2));
    expect(called(fake, 'generate_password')[1]?.args).toMatchObject({ options: { symbols: true, easyToRead: false, length: 20 } });
    await fireEvent.click(styles.getByLabelText(en['generator.style.words']));
    await waitFor(() => expect(called(fake, 'generate_password')).toHaveLength(3));
    expect(called(fake, 'generate_password')[2]?.args).toMatchObject({ options: { kind: 'passphrase' } });
  });

  it('shows the secret in large type, grouped and spelled out for reading aloud', async () => {
    await freshBackend();
    render(NewSecret);
    expect(screen.queryByRole('button', { name: en['generator.showLarge'] }), 'nothing to show yet').toBeNull();
    await fireEvent.input(screen.getByLabelText(en['newSecret.text']), { target: { value: 'Ab3dEfgh7K' } });
    await fireEvent.click(screen.getByRole('button', { name: en['generator.showLarge'] }));
    const view = screen.getByRole('region', { name: en['generator.large'] });
    const groups = within(view).getAllByRole('listitem');
    expect(groups).toHaveLength(3);
    expect(groups[0]!.textContent).toContain('capital A, b, three, d');
    expect(groups[2]!.textContent).toContain('seven, capital K');
    await fireEvent.keyDown(view, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: en['generator.large'] })).toBeNull();
  });

  it('keeps the note and the rest under one "More options" that remembers being open', async () => {
    localStorage.removeItem('hushlink.moreOptionsOpen');
    await freshBackend();
    const first = render(NewSecret);
    const more = () => screen.getByTestId('more-options').parentElement as HTMLDetailsElement;
    expect(more().open).toBe(false);
    expect(more().contains(screen.getByLabelText(en['newSecret.label'], { exact: false }))).toBe(true);
    expect(more().contains(screen.getByLabelText(en['newSecret.passphrase'], { exact: false }))).toBe(true);
    expect(more().contains(screen.getByLabelText(en['newSecret.profile']))).toBe(true);
    expect(more().contains(screen.getByLabelText(en['newSecret.recipients'], { exact: false })), 'who it is for stays in view').toBe(false);
    expect(more().contains(screen.getByLabelText(en['newSecret.expiry']))).toBe(false);
    more().open = true;
    await fireEvent(more(), new Event('toggle'));
    first.unmount();
    render(NewSecret);
    expect(more().open, 'opens as it was left').toBe(true);
    more().open = false;
    await fireEvent(more(), new Event('toggle'));
    expect(localStorage.getItem('hushlink.moreOptionsOpen')).toBeNull();
  });

  it('offers to copy a generated password through the auto-clearing clipboard', async () => {
    const fake = await freshBackend();
    render(NewSecret);
    expect(screen.queryByRole('button', { name: en['newSecret.copyGenerated'] })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: en['generator.password'] }));
    await fireEvent.click(await screen.findByRole('button', { name: en['newSecret.copyGenerated'] }));
    const text = (screen.getByLabelText(en['newSecret.text']) as HTMLTextAreaElement).value;
    await waitFor(() => expect(fake.clipboard).toBe(text));
    expect(called(fake, 'copy_text')).toHaveLength(1);
    // Typing over it makes it the user's own text again: no offer.
    await fireEvent.input(screen.getByLabelText(en['newSecret.text']), { target: { value: 'mine' } });
    expect(screen.queryByRole('button', { name: en['newSecret.copyGenerated'] })).toBeNull();
  });

  it('shows the clipboard countdown after copying a generated password', async () => {
    await freshBackend();
    render(NewSecret);
    await fireEvent.click(screen.getByTestId('text-gen-generate'));
    await fireEvent.click(await screen.findByRole('button', { name: en['newSecret.copyGenerated'] }));
    // The fake's setting clears after two minutes; the countdown starts there.
    expect((await screen.findByTestId('clipboard-countdown')).dataset.secondsLeft).toBe('120');
  });

  it('speaks German: no English left with every option shown', async () => {
    localStorage.setItem('hushlink.moreOptionsOpen', '1');
    await freshBackend();
    // Names in every language: servers, the character ranges, the password's own letters.
    // (The built-in relay profile's English name is not one: it is said in the UI's language.)
    const names = [...prefs.profiles.filter((p) => p.kind !== 'localRelay').map((p) => p.name), 'a–z', 'A–Z', ...'Ab3-x_!'];
    const left = await englishLeft(
      async () => {
        await freshBackend();
        // An account on every server: the e-mail choice shows beside end-to-end encryption.
        prefs.profiles = prefs.profiles.map((p) => ({ ...p, username: 'me@example.com', hasToken: true }));
        render(NewSecret);
        await fireEvent.input(document.getElementById('recipients')!, { target: { value: 'sam@example.com, kim@example.org' } });
        await fireEvent.input(document.getElementById('label')!, { target: { value: 'WLAN' } });
        await fireEvent.input(document.getElementById('passphrase')!, { target: { value: 'blau' } });
        await fireEvent.change(document.getElementById('profile')!, { target: { value: 'relay' } });
        await fireEvent.click(screen.getByTestId('text-gen-generate'));
        await fireEvent.click(await screen.findByTestId('copy-generated'));
        await screen.findByTestId('clipboard-countdown');
        // The generator with its own choices, and the large-type view of a password with
        // every kind of character.
        await fireEvent.click(within(screen.getByTestId('text-gen-styles')).getAllByRole('radio')[3]!);
        await fireEvent.input(document.getElementById('secret-text')!, { target: { value: 'Ab3-x_!' } });
        await fireEvent.click(screen.getByTestId('text-gen-large-toggle'));
        await screen.findByTestId('text-gen-large');
      },
      'de',
      names,
    );
    localStorage.removeItem('hushlink.moreOptionsOpen');
    expect(left).toEqual([]);
  });

  it('spells a password out in the language of the app', async () => {
    await freshBackend();
    i18n.choose('de');
    try {
      render(NewSecret);
      await fireEvent.input(document.getElementById('secret-text')!, { target: { value: 'Ab3-' } });
      await fireEvent.click(screen.getByTestId('text-gen-large-toggle'));
      const spoken = within(screen.getByTestId('text-gen-large')).getByRole('listitem').textContent;
      const say = (key: MessageKey, values?: Record<string, string>) => format('de', key, values);
      for (const word of [say('generator.capital', { letter: 'A' }), 'b', say('generator.digit.3'), say('generator.symbol.dash')]) {
        expect(spoken).toContain(word);
      }
    } finally {
      i18n.choose(null);
    }
  });

  it('says on a closed "More options" what is set inside it', async () => {
    localStorage.removeItem('hushlink.moreOptionsOpen');
    await freshBackend();
    render(NewSecret);
    const server = format('en', 'newSecret.moreServer', { name: prefs.defaultProfile()!.name });
    expect(screen.getByTestId('more-summary').textContent).toBe(format('en', 'newSecret.moreSummary', { items: server }));
    await fireEvent.input(document.getElementById('label')!, { target: { value: 'VPN' } });
    await fireEvent.input(document.getElementById('passphrase')!, { target: { value: 'blue' } });
    const items = new Intl.ListFormat('en', { type: 'unit', style: 'short' }).format([
      en['newSecret.moreNote'],
      en['newSecret.morePassphrase'],
      server,
    ]);
    expect(screen.getByTestId('more-summary').textContent).toBe(format('en', 'newSecret.moreSummary', { items }));
  });
});
