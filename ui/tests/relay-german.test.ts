// "No English left" on the relay panel and its parts (tokens, invites, the activity log), and
// on the two components every screen uses for states and problems: each is rendered in English
// and in German in the same state (tests/english-left.ts), and no text may show in both.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../src/lib/backend/ipc';
import type { CommandCode } from '../src/lib/bindings/CommandCode';
import type { SecretState } from '../src/lib/bindings/SecretState';
import ProblemNotice from '../src/lib/components/ProblemNotice.svelte';
import StatusBadge from '../src/lib/components/StatusBadge.svelte';
import { ERROR_WORDS } from '../src/lib/errors';
import { relayStatus } from '../src/lib/backend/relay';
import Relay from '../src/lib/screens/Relay.svelte';
import { englishLeft } from './english-left';
import { freshBackend } from './setup-dom';

/** The fake relay's names, addresses and the fingerprint: the same in every language. */
const NAMES = [
  'http://192.168.1.20:7143/', 'Front desk PC', 'Sam', 'Kim', 'Desk 4', 'enp3s0', 'lo',
  // The command that stops another relay: typed as shown, in every language.
  'hushlink-relay', '--data-dir /home/user/.local/share/hushlink/relay',
];

/** The names above, and the fake's secrets' notes and its relay's certificate fingerprint. */
async function names(): Promise<string[]> {
  const fake = await freshBackend({ relayRunning: true, entries: 3 });
  const { fingerprint } = await relayStatus();
  return [...NAMES, ...fake.entries.map((e) => e.label), fingerprint ?? ''];
}

const switchedOn = async () => {
  const toggle = await screen.findByRole('switch');
  await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
  return toggle;
};

describe('No English left on the German relay panel', () => {
  it('off: the switch, the networks and the hint', async () => {
    const left = await englishLeft(async () => {
      await freshBackend();
      render(Relay);
      await screen.findByTestId('relay-off-hint');
      await switchedOn();
    }, 'de', await names());
    expect(left).toEqual([]);
  });

  it('on: address, how to connect, tokens, an invite, the activity log', async () => {
    const left = await englishLeft(async () => {
      await freshBackend({ relayRunning: true, entries: 3 });
      render(Relay);
      await screen.findByTestId('access-log');
      // A fresh token, copied, and one asked about turning off.
      await fireEvent.input(screen.getByTestId('token-name'), { target: { value: 'Desk 4' } });
      await fireEvent.click(screen.getByTestId('token-create'));
      await screen.findByTestId('fresh-token');
      await fireEvent.click(screen.getByTestId('fresh-token-copy'));
      const row = await waitFor(() => screen.getAllByTestId('token-row').find((r) => r.dataset.name === 'Front desk PC')!);
      await fireEvent.click(within(row).getByTestId('token-revoke'));
      // A fresh invite, copied, and one asked about withdrawing.
      await fireEvent.input(screen.getByTestId('invite-name'), { target: { value: 'Kim' } });
      await waitFor(() => expect((screen.getByTestId('invite-create') as HTMLButtonElement).disabled).toBe(false));
      await fireEvent.click(screen.getByTestId('invite-create'));
      await fireEvent.click(await screen.findByTestId('invite-copy'));
      await fireEvent.click(await screen.findByTestId('invite-withdraw'));
      await screen.findByTestId('invite-withdraw-confirm');
    }, 'de', await names());
    expect(left).toEqual([]);
  });

  it('on this computer only: the warning, the question and no invites', async () => {
    const left = await englishLeft(async () => {
      await freshBackend({ relayRunning: true });
      render(Relay);
      const select = (await screen.findByTestId('relay-network')) as HTMLSelectElement;
      await switchedOn();
      await fireEvent.change(select, { target: { value: '127.0.0.1' } });
      await screen.findByTestId('loopback-warning');
      await fireEvent.click(screen.getByTestId('loopback-confirm'));
      await screen.findByTestId('invite-local-only');
    }, 'de', [...(await names()), 'http://127.0.0.1:7143/']);
    expect(left).toEqual([]);
  });

  it('problems: a busy port, a busy HTTPS port, another relay on its data, a refused name', async () => {
    const busy = await englishLeft(async () => {
      await freshBackend({ busyPorts: [7143], busyHttpsPorts: [7144] });
      render(Relay);
      await fireEvent.click(await switchedOn());
      await screen.findByTestId('relay-port-busy');
    }, 'de', await names());
    expect(busy).toEqual([]);
    const https = await englishLeft(async () => {
      await freshBackend({ busyHttpsPorts: [7144, 7145] });
      render(Relay);
      await fireEvent.click(await switchedOn());
      await screen.findByTestId('relay-https-port-busy');
    }, 'de', await names());
    expect(https).toEqual([]);
    const other = await englishLeft(async () => {
      await freshBackend({ otherRelay: true });
      render(Relay);
      await fireEvent.click(await switchedOn());
      await screen.findByTestId('relay-data-dir-in-use');
    }, 'de', await names());
    expect(other).toEqual([]);
    const refused = await englishLeft(async () => {
      await freshBackend({ relayRunning: true });
      render(Relay);
      await screen.findByTestId('access-log');
      await fireEvent.input(screen.getByTestId('token-name'), { target: { value: 'Front desk PC' } });
      await fireEvent.click(screen.getByTestId('token-create'));
      await screen.findByRole('alert');
    }, 'de', await names());
    expect(refused).toEqual([]);
  });
});

describe('No English left in the state badge and the problem notice', () => {
  it('names every state and its help in German', async () => {
    const states: SecretState[] = ['unread', 'viewed', 'expired', 'burned', 'orphaned'];
    for (const state of states) {
      const left = await englishLeft(async () => {
        render(StatusBadge, { state });
      });
      expect(left, state).toEqual([]);
    }
  });

  it('explains every error code in German', async () => {
    for (const code of Object.keys(ERROR_WORDS) as CommandCode[]) {
      const left = await englishLeft(async () => {
        render(ProblemNotice, { props: { error: new BackendError(code, 'the server said so') } });
      }, 'de', ['the server said so']);
      expect(left, code).toEqual([]);
    }
  });
});
