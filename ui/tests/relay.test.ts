import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import Relay from '../src/lib/screens/Relay.svelte';
import { nav } from '../src/lib/stores/nav.svelte';
import en from '../src/lib/i18n/en.json';
import { format } from '../src/lib/i18n/i18n.svelte';
import { called, freshBackend } from './setup-dom';

/** The access-log row of an action (its code) from an address; throws while there is none. */
const logRow = (action: string, from: string): HTMLElement => {
  const row = screen.getByTestId('access-log').querySelector<HTMLElement>(`tr[data-action="${action}"][data-from="${from}"]`);
  if (!row) throw new Error(`no ${action} row from ${from}`);
  return row;
};

const enabled = async () => {
  const toggle = await screen.findByRole('switch');
  await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
  return toggle;
};

describe('Relay', () => {
  it('switches on for the chosen interface and shows the address with a QR code', async () => {
    const fake = await freshBackend();
    render(Relay);
    const toggle = await screen.findByRole('switch', { name: en['relay.off'] });
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(toggle);
    expect((await screen.findByTestId('relay-url')).textContent).toBe('http://192.168.1.20:7143/');
    expect(called(fake, 'set_relay')[0]?.args).toEqual({ enabled: true, interface: 'enp3s0', port: null });
    expect(screen.getByRole('switch').getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('img', { name: en['relay.qr'] })).toBeTruthy();
    // Tokens and the log load once it is on.
    expect(await screen.findAllByText('Front desk PC', { exact: false })).not.toHaveLength(0);
    expect(await screen.findByTestId('access-log')).toBeTruthy();
  });

  it('names networks in words, the recommended one first', async () => {
    await freshBackend();
    render(Relay);
    const select = (await screen.findByTestId('relay-network')) as HTMLSelectElement;
    const ethernet = format('en', 'network.label', { kind: en['network.ethernet'], name: 'enp3s0', address: '192.168.1.20' });
    expect([...select.options].map((o) => o.textContent)).toEqual([
      format('en', 'network.recommended', { label: ethernet }),
      en['network.loopback'],
    ]);
  });

  it('warns before starting on "This computer only", and shows no QR code then', async () => {
    const fake = await freshBackend();
    render(Relay);
    const select = (await screen.findByTestId('relay-network')) as HTMLSelectElement;
    expect(select.value).toBe('192.168.1.20');
    expect(screen.queryByTestId('loopback-warning')).toBeNull();
    await fireEvent.change(select, { target: { value: '127.0.0.1' } });
    expect((await screen.findByTestId('loopback-warning')).textContent).toContain(en['relay.loopback.strong']);
    await fireEvent.click(await enabled());
    expect((await screen.findByTestId('relay-url')).textContent).toBe('http://127.0.0.1:7143/');
    expect(called(fake, 'set_relay')).toEqual([{ cmd: 'set_relay', args: { enabled: true, interface: 'lo', port: null } }]);
    expect(screen.queryByRole('img', { name: en['relay.qr'] })).toBeNull();
    expect(screen.getByTestId('relay-no-qr').textContent).toMatch(/only on this computer, so a phone could not open it/);
  });

  it('asks before moving a running relay to "This computer only"', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay);
    const select = (await screen.findByTestId('relay-network')) as HTMLSelectElement;
    await enabled();
    await fireEvent.change(select, { target: { value: '127.0.0.1' } });
    const warning = await screen.findByTestId('loopback-warning');
    expect(warning.textContent).toContain(en['relay.loopback.strong']);
    expect(called(fake, 'set_relay'), 'nothing moves before the answer').toHaveLength(0);

    await fireEvent.click(screen.getByRole('button', { name: en['relay.loopback.keep'] }));
    expect(select.value).toBe('192.168.1.20');
    expect(screen.queryByTestId('loopback-warning')).toBeNull();
    expect(called(fake, 'set_relay')).toHaveLength(0);

    await fireEvent.change(select, { target: { value: '127.0.0.1' } });
    await fireEvent.click(await screen.findByTestId('loopback-confirm'));
    await waitFor(() => expect(screen.getByTestId('relay-url').textContent).toBe('http://127.0.0.1:7143/'));
    expect(called(fake, 'set_relay')).toEqual([{ cmd: 'set_relay', args: { enabled: true, interface: 'lo', port: null } }]);
    expect(screen.queryByTestId('loopback-warning'), 'the warning is answered').toBeNull();
  });

  it('reports a busy port and starts on the port the person picks', async () => {
    const fake = await freshBackend({ busyPorts: [7143] });
    render(Relay);
    await fireEvent.click(await enabled());
    const busy = await screen.findByTestId('relay-port-busy');
    expect(busy.getAttribute('role')).toBe('alert');
    expect(busy.dataset.code).toBe('relay_port_busy');
    expect(busy.textContent).toContain(format('en', 'relay.portBusy.strong', { port: '7143' }));
    expect(screen.queryByTestId('relay-url'), 'it did not move by itself').toBeNull();
    expect(screen.getByRole('switch').getAttribute('aria-checked')).toBe('false');

    await fireEvent.click(screen.getByRole('button', { name: format('en', 'relay.usePort', { port: '7144' }) }));
    expect((await screen.findByTestId('relay-url')).textContent).toBe('http://192.168.1.20:7144/');
    expect(called(fake, 'set_relay').at(-1)?.args).toEqual({ enabled: true, interface: 'enp3s0', port: 7144 });
    expect(screen.queryByTestId('relay-port-busy')).toBeNull();
  });

  it('shows a port found busy at start-up and can try again', async () => {
    const fake = await freshBackend({ relayPortBusy: true });
    render(Relay);
    const busy = await screen.findByTestId('relay-port-busy');
    expect(busy.textContent).toContain(format('en', 'relay.portBusy.strong', { port: '7143' }));
    await fireEvent.click(screen.getByRole('button', { name: en['relay.tryAgain'] }));
    await waitFor(() => expect(called(fake, 'set_relay')).toHaveLength(1));
    expect(called(fake, 'set_relay')[0]?.args).toEqual({ enabled: true, interface: 'enp3s0', port: null });
    expect((await screen.findByTestId('relay-port-busy')).textContent, 'still busy: still said').toContain(format('en', 'relay.portBusy.strong', { port: '7143' }));
    expect(screen.getByRole('button', { name: format('en', 'relay.usePort', { port: '7144' }) })).toBeTruthy();
  });

  it('re-reads the log while it shows a running relay, in case an event was missed', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay, { logPollMs: 30 });
    await screen.findByTestId('access-log');
    fake.logAccess({ at: Date.now(), action: 'burn', subject: { kind: 'colleague', tokenName: 'Sam' }, fromIp: '10.0.0.7' });
    const burned = await waitFor(() => logRow('burn', '10.0.0.7'));
    expect(burned.textContent).toContain(format('en', 'activity.colleague', { name: 'Sam' }));
  });

  it('keeps tokens and the log hidden while the relay is off', async () => {
    const fake = await freshBackend();
    render(Relay);
    expect((await screen.findByTestId('relay-off-hint')).textContent).toBe(en['relay.offHint']);
    await new Promise((r) => setTimeout(r, 20));
    expect(called(fake, 'list_tokens')).toHaveLength(0);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a new token once', async () => {
    await freshBackend({ relayRunning: true });
    render(Relay);
    await screen.findByTestId('access-log');
    await fireEvent.input(await screen.findByTestId('token-name'), { target: { value: 'Desk 4' } });
    await fireEvent.click(screen.getByTestId('token-create'));
    const token = await screen.findByTestId('fresh-token');
    expect(token.textContent).toMatch(/^hl_[0-9a-f]{40}$/);
    await fireEvent.click(screen.getByTestId('fresh-token-done'));
    expect(screen.queryByTestId('fresh-token')).toBeNull();
    expect(await screen.findByText('Desk 4')).toBeTruthy();
  });

  it('says with its own code, naming the name, why a token name was refused', async () => {
    await freshBackend({ relayRunning: true });
    render(Relay);
    await screen.findByTestId('access-log');
    await fireEvent.input(await screen.findByTestId('token-name'), { target: { value: 'Front desk PC' } });
    await fireEvent.click(screen.getByTestId('token-create'));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('token_name_taken');
    expect(alert.textContent).toContain('Front desk PC');
    expect(screen.queryByTestId('fresh-token')).toBeNull();
  });

  it('explains how colleagues connect while it serves the office network, and not on this computer only', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(Relay);
    const howTo = (await screen.findByTestId('relay-how-to-connect')).textContent!.replace(/\s+/g, ' ');
    expect(howTo).toContain(en['relay.howTo.text']);
    // It sends people to the tokens section by its name, which is on the panel.
    expect(en['relay.howTo.text']).toContain(en['tokens.title']);
    expect(screen.getByRole('heading', { name: en['tokens.title'] }), 'the section it points to exists').toBeTruthy();

    const select = (await screen.findByTestId('relay-network')) as HTMLSelectElement;
    await enabled();
    await fireEvent.change(select, { target: { value: '127.0.0.1' } });
    await fireEvent.click(await screen.findByTestId('loopback-confirm'));
    await waitFor(() => expect(screen.getByTestId('relay-url').textContent).toBe('http://127.0.0.1:7143/'));
    expect(screen.queryByTestId('relay-how-to-connect'), 'no colleague can reach it').toBeNull();
    expect(called(fake, 'set_relay')).toHaveLength(1);
  });

  it('says so when another relay runs on its data, and starts once that one stopped', async () => {
    const fake = await freshBackend({ otherRelay: true });
    render(Relay);
    await fireEvent.click(await enabled());
    const other = await screen.findByTestId('relay-data-dir-in-use');
    expect(other.getAttribute('role')).toBe('alert');
    expect(other.dataset.code).toBe('relay_data_dir_in_use');
    const said = other.textContent!.replace(/\s+/g, ' ');
    expect(said).toContain(en['relay.other.strong']);
    expect(said, 'the command to look for').toContain('--data-dir /home/user/.local/share/hushlink/relay');
    expect(screen.getAllByRole('alert'), 'told once, in the panel').toHaveLength(1);
    expect(screen.getByRole('switch').getAttribute('aria-checked')).toBe('false');

    fake.stopOtherRelay();
    await fireEvent.click(screen.getByRole('button', { name: en['relay.tryAgain'] }));
    expect((await screen.findByTestId('relay-url')).textContent).toBe('http://192.168.1.20:7143/');
    expect(screen.queryByTestId('relay-data-dir-in-use')).toBeNull();
  });

  it('tells the log in sentences and opens the user\'s own secret from it', async () => {
    const fake = await freshBackend({ relayRunning: true, entries: 3 });
    render(App);
    await fireEvent.click(screen.getByTestId('nav-relay'));
    const own = fake.entries[0]!;
    const label = await screen.findByRole('button', { name: own.label });
    const row = label.closest('td')!;
    expect(row.closest('tr')!.dataset.action).toBe('reveal');
    expect(row.textContent).toContain('192.168.1.37');
    expect(logRow('reveal', '192.168.1.31').textContent).toContain(format('en', 'activity.colleague', { name: 'Front desk PC' }));
    expect(screen.getByTestId('access-log').textContent, 'no random key ids').not.toMatch(/[0-9a-f]{12}/);
    await fireEvent.click(label);
    expect(nav.screen).toBe('secrets');
    expect(nav.detailId).toBe(own.id);
  });

  it('re-reads the log when a line is committed', async () => {
    const fake = await freshBackend({ relayRunning: true });
    render(App);
    await fireEvent.click(screen.getByTestId('nav-relay'));
    await screen.findByTestId('access-log');
    await waitFor(() => expect(fake.ready).not.toBeNull());
    fake.logAccess({ at: Date.now(), action: 'failedPassphrase', subject: { kind: 'other' }, fromIp: '10.0.0.9' });
    fake.emit({
      type: 'accessLogged',
      entry: { at: 1_800_000_000, action: 'failed_passphrase', key_id: 'ffeeddccbbaa', client_ip: '10.0.0.9', user_agent: null, token_name: null },
    });
    expect((await waitFor(() => logRow('failedPassphrase', '10.0.0.9'))).textContent).toContain(format('en', 'activity.someone'));
  });
});
