import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import Relay from '../src/lib/screens/Relay.svelte';
import { called, freshBackend } from './setup-dom';

describe('Relay', () => {
  it('switches on for the chosen interface and shows the address with a QR code', async () => {
    const fake = await freshBackend();
    render(Relay);
    const toggle = await screen.findByRole('switch', { name: /Relay off/ });
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(toggle);
    expect((await screen.findByTestId('relay-url')).textContent).toBe('http://192.168.1.20:7143/');
    expect(called(fake, 'set_relay')[0]?.args).toEqual({ enabled: true, bind: '192.168.1.20' });
    expect(screen.getByRole('switch').getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('img', { name: 'QR code of the relay address' })).toBeTruthy();
    // Tokens and the log load once it is on.
    expect(await screen.findByText('Front desk PC')).toBeTruthy();
    expect(screen.getByTestId('access-log')).toBeTruthy();
  });

  it('starts on the interface picked as soon as the list appears', async () => {
    const fake = await freshBackend();
    render(Relay);
    const select = (await screen.findByLabelText('Network')) as HTMLSelectElement;
    expect(select.value).toBe('192.168.1.20');
    await fireEvent.change(select, { target: { value: '127.0.0.1' } });
    const toggle = screen.getByRole('switch');
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(toggle);
    expect((await screen.findByTestId('relay-url')).textContent).toBe('http://127.0.0.1:7143/');
    expect(called(fake, 'set_relay')).toEqual([{ cmd: 'set_relay', args: { enabled: true, bind: '127.0.0.1' } }]);
  });

  it('re-reads the log while it shows a running relay, in case an event was missed', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay, { logPollMs: 30 });
    await screen.findByTestId('access-log');
    fake.logAccess({ at: 1_800_000_100, action: 'burn', key_id: '0123456789ab', client_ip: '10.0.0.7', user_agent: null });
    expect(await screen.findByText('Secret burned')).toBeTruthy();
  });

  it('keeps tokens and the log hidden while the relay is off', async () => {
    const fake = await freshBackend();
    render(Relay);
    expect((await screen.findByTestId('relay-off-hint')).textContent).toMatch(/Switch the relay on/);
    await new Promise((r) => setTimeout(r, 20));
    expect(called(fake, 'list_tokens')).toHaveLength(0);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a new token once', async () => {
    await freshBackend({ relayRunning: true });
    render(Relay);
    await screen.findByTestId('access-log');
    await fireEvent.input(await screen.findByLabelText('Who is it for?'), { target: { value: 'Desk 4' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    const token = await screen.findByTestId('fresh-token');
    expect(token.textContent).toMatch(/^hl_[0-9a-f]{40}$/);
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('fresh-token')).toBeNull();
    expect(await screen.findByText('Desk 4')).toBeTruthy();
  });

  it('adds access log lines live, in words', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(App);
    await fireEvent.click(screen.getByRole('button', { name: 'Office relay' }));
    await screen.findByTestId('access-log');
    await waitFor(() => expect(fake.ready).not.toBeNull());
    fake.emit({ type: 'accessLogged', entry: { at: 1_800_000_000, action: 'failed_passphrase', key_id: 'ffeeddccbbaa', client_ip: '10.0.0.9', user_agent: null } });
    expect(await screen.findByText('Wrong passphrase')).toBeTruthy();
    expect(screen.getByText('10.0.0.9')).toBeTruthy();
  });
});
