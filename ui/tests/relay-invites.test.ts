// The relay panel's parts for colleagues' apps: the HTTPS port and certificate fingerprint,
// one-time invites, and the token list with when each token was last used.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { timeLeftWords } from '../src/lib/format';
import en from '../src/lib/i18n/en.json';
import { format } from '../src/lib/i18n/i18n.svelte';
import Relay from '../src/lib/screens/Relay.svelte';
import { called, freshBackend } from './setup-dom';

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

const invite = async (name: string) => {
  await fireEvent.input(await screen.findByTestId('invite-name'), { target: { value: name } });
  const create = screen.getByTestId('invite-create') as HTMLButtonElement;
  await waitFor(() => expect(create.disabled).toBe(false));
  await fireEvent.click(create);
};

describe('Relay panel for colleagues', () => {
  it('shows the HTTPS port and the certificate fingerprint while running, not while off', async () => {
    await freshBackend();
    render(Relay);
    const toggle = await screen.findByRole('switch');
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId('relay-fingerprint')).toBeNull();
    await fireEvent.click(toggle);
    expect((await screen.findByTestId('relay-https-port')).textContent).toBe('7144');
    expect(screen.getByTestId('relay-fingerprint').textContent).toMatch(FINGERPRINT);

    await fireEvent.click(screen.getByRole('switch'));
    await waitFor(() => expect(screen.queryByTestId('relay-fingerprint')).toBeNull());
  });

  it('reports a busy HTTPS port and starts with the free one the person picks', async () => {
    const fake = await freshBackend({ busyHttpsPorts: [7144, 7145] });
    render(Relay);
    const toggle = await screen.findByRole('switch');
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(toggle);
    const busy = await screen.findByTestId('relay-https-port-busy');
    expect(busy.dataset.code).toBe('relay_https_port_busy');
    expect(busy.textContent).toContain(format('en', 'relay.httpsBusy.strong', { port: '7144' }));
    expect(screen.getAllByRole('alert'), 'told once, in the panel').toHaveLength(1);
    expect(screen.queryByTestId('relay-url'), 'it did not start elsewhere').toBeNull();

    await fireEvent.click(within(busy).getByRole('button', { name: format('en', 'relay.usePort', { port: '7146' }) }));
    expect((await screen.findByTestId('relay-https-port')).textContent).toBe('7146');
    expect(called(fake, 'set_relay').at(-1)?.args).toEqual({ enabled: true, interface: 'enp3s0', port: null, httpsPort: 7146 });
    expect(screen.queryByTestId('relay-https-port-busy')).toBeNull();
  });

  it('shows a new invite link once, with a copy button, a QR code and what to do with it', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay);
    await invite('  Sam  ');
    const link = await screen.findByTestId('invite-link');
    expect(link.textContent).toMatch(/^http:\/\/192\.168\.1\.20:7143\/invite\/[0-9a-f]+#[0-9a-f]+$/);
    expect(called(fake, 'create_invite')[0]?.args).toEqual({ name: 'Sam' });
    // Addressed to the colleague by name (the name trimmed), with the catalogue's words.
    const before = format('en', 'invites.explain', { name: 'Sam', when: '\u0000' }).split('\u0000')[0]!;
    expect(screen.getByTestId('invite-explain').textContent!.replace(/\s+/g, ' ').trim().startsWith(before)).toBe(true);
    expect(screen.getByRole('img', { name: en['invites.qr'] })).toBeTruthy();
    expect((screen.getByTestId('invite-name') as HTMLInputElement).value, 'the form is cleared').toBe('');

    await fireEvent.click(screen.getByTestId('invite-copy'));
    await waitFor(() => expect(fake.clipboard).toBe(link.textContent));
    expect(screen.getByTestId('invite-copy').textContent).toBe(en['tokens.copied']);

    // Pending, and its token is listed (not used yet).
    const row = (await screen.findAllByTestId('invite-row'))[0]!;
    expect(row.textContent).toMatch(/^Sam/);
    const expiresIn = [23, 24].map((h) => format('en', 'invites.in', { time: timeLeftWords(h * 3_600_000) }));
    expect(expiresIn.some((words) => row.textContent!.includes(words)), `${row.textContent} says ${expiresIn}`).toBe(true);
    const token = await waitFor(() => {
      const found = screen.getAllByTestId('token-row').find((r) => r.dataset.name === 'Sam');
      expect(found).toBeTruthy();
      return found!;
    });
    expect(token.dataset.lastUsed, 'not used yet').toBe('');
    expect(within(token).getByTestId('token-last-used').textContent).toBe(en['tokens.notRecently']);

    await fireEvent.click(screen.getByTestId('invite-done'));
    expect(screen.queryByTestId('invite-link'), 'shown once').toBeNull();
  });

  it('withdraws a pending invite after asking, and its token is turned off', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay);
    await invite('Kim');
    await screen.findByTestId('invite-link');
    await fireEvent.click(await screen.findByRole('button', { name: format('en', 'invites.withdrawFor', { name: 'Kim' }) }));
    expect(called(fake, 'withdraw_invite'), 'nothing before the answer').toHaveLength(0);
    await fireEvent.click(screen.getByTestId('invite-withdraw-confirm'));
    await waitFor(() => expect(screen.queryByTestId('invite-list')).toBeNull());
    expect(called(fake, 'withdraw_invite')[0]?.args.id).toMatch(/^[0-9a-f]{12}$/);
    await waitFor(() => {
      const kim = screen.getAllByTestId('token-row').find((r) => r.dataset.name === 'Kim')!;
      expect(kim.dataset.state).toBe('off');
    });
  });

  it('drops an invite a colleague used from the pending list and shows its token as used', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay, { logPollMs: 30 });
    await invite('Lee');
    await screen.findAllByTestId('invite-row');
    fake.acceptInvite('Lee');
    await waitFor(() => expect(screen.queryByTestId('invite-list')).toBeNull());
    await fireEvent.click(screen.getByTestId('invite-done'));
    // The token list is re-read when the panel next loads tokens (here: another invite).
    await invite('Noor');
    await waitFor(() => {
      const lee = screen.getAllByTestId('token-row').find((r) => r.dataset.name === 'Lee')!;
      expect(Date.now() - Number(lee.dataset.lastUsed), 'used just now').toBeLessThan(60_000);
    });
  });

  it('lists tokens with when each was last used, and turns one off', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay);
    const row = await waitFor(() => screen.getAllByTestId('token-row').find((r) => r.dataset.name === 'Front desk PC')!);
    expect(Number(row.dataset.lastUsed), 'used before').toBeGreaterThan(0);
    expect(row.dataset.state).toBe('on');
    await fireEvent.click(within(row).getByTestId('token-revoke'));
    await fireEvent.click(within(row).getByTestId('token-revoke-confirm'));
    await waitFor(() => expect(row.dataset.state).toBe('off'));
    expect(called(fake, 'revoke_token')[0]?.args).toEqual({ id: 'tok1' });
  });

  it('says with its own code, naming the name, why an invite name was refused', async () => {
    await freshBackend({ relayRunning: true });
    render(Relay);
    await invite('Front desk PC');
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('token_name_taken');
    expect(alert.textContent).toContain('Front desk PC');
    expect(screen.queryByTestId('invite-link')).toBeNull();
  });

  it('offers no invite while the relay serves this computer only', async () => {
    const fake = await freshBackend();
    render(Relay);
    const select = (await screen.findByLabelText('Network')) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: '127.0.0.1' } });
    const toggle = screen.getByRole('switch');
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(toggle);
    expect((await screen.findByTestId('invite-local-only')).textContent!.trim()).toBe(en['relay.inviteLocal']);
    expect(screen.queryByTestId('invite-name')).toBeNull();
    expect(called(fake, 'list_invites')).toHaveLength(0);
  });
});
