// An in-memory Hushlink backend behind a fake `window.__TAURI_INTERNALS__`, the object
// `@tauri-apps/api` talks to. The UI runs unchanged on top of it: unit tests install it in
// jsdom, the Playwright run injects it as an init script. It must stay self-contained
// (no imports used at run time, no outer variables) because Playwright serialises it. Its
// commands are those of ipc.ts's `Commands`: one renamed there fails `npm run check` here.
import type { Entry } from '../src/lib/bindings/Entry';
import type { HistoryRow } from '../src/lib/bindings/HistoryRow';
import type { Profile } from '../src/lib/bindings/Profile';
import type { SecretState } from '../src/lib/bindings/SecretState';
import type { Settings } from '../src/lib/bindings/Settings';
import type { RelayToken } from '../src/lib/bindings/RelayToken';
import type { RelayInvite } from '../src/lib/bindings/RelayInvite';
import type { ActivityLine } from '../src/lib/bindings/ActivityLine';
import type { NetworkInterface } from '../src/lib/bindings/NetworkInterface';
import type { RelayPanelStatus } from '../src/lib/bindings/RelayPanelStatus';
import type { AppEvent } from '../src/lib/bindings/AppEvent';
import type { NearbyRelay } from '../src/lib/bindings/NearbyRelay';
import type { CommandCode } from '../src/lib/bindings/CommandCode';
import type { ErrorArgs } from '../src/lib/bindings/ErrorArgs';
import type { Commands } from '../src/lib/backend/ipc';

/** A command of the app, or one of the event plugin's that `listen` sends. */
type Command = keyof Commands | 'plugin:event|listen' | 'plugin:event|unlisten';

/** An invite link `import_invite` knows, as a colleague's relay made it. */
export type FakeInvite = {
  /** The relay's name, which the new profile takes. */
  name: string;
  /** Its plain-HTTP origin, e.g. `http://192.168.1.20:7143`. */
  origin: string;
  httpsPort: number;
  /** `AB:CD:…` */
  fingerprint: string;
  tokenName: string;
  /** Where it stands; `pending` imports once, then it is `used`. */
  state?: 'pending' | 'used' | 'expired' | 'withdrawn';
};

export type FakeSeed = {
  /** How many tracked entries to start with. */
  entries?: number;
  /** Links that `receive_secret` can reveal once. */
  receivable?: Record<string, { text: string; passphrase?: string }>;
  /** Make `list_*` calls fail with this code (to test error words at start-up). */
  failing?: Partial<Record<keyof Commands, CommandCode>>;
  /** Start with the relay running. */
  relayRunning?: boolean;
  /** Ports another program holds: switching the relay on there fails with `relay_port_busy`. */
  busyPorts?: number[];
  /** The same for the HTTPS port (the panel's problem is then `relay_https_port_busy`). */
  busyHttpsPorts?: number[];
  /** Start as after an app start whose saved port was taken (the relay is off, and says why). */
  relayPortBusy?: boolean;
  /** Another relay (the headless one) runs on the app's relay data: switching on fails with
   *  `relay_data_dir_in_use` until `stopOtherRelay`. */
  otherRelay?: boolean;
  /** Fixed "now" for the seeded entries (Unix ms); defaults to the real clock. */
  now?: number;
  /** Start with the list of secrets still opening (the keyring has not answered): commands
   * that need it wait until `finishStartup`. */
  keyringWaiting?: boolean;
  /** Invite links `import_invite` accepts (each once), by the whole link. */
  invites?: Record<string, FakeInvite>;
  /** What `find_relays` finds on "this network". */
  nearbyRelays?: NearbyRelay[];
  /** Start as on a new computer: the UI asks where links should live (else it was answered). */
  firstStart?: boolean;
};

export type FakeHandle = {
  calls: { cmd: keyof Commands; args: Record<string, unknown> }[];
  ready: string | null;
  entries: Entry[];
  emit(event: AppEvent): void;
  /** Changes an entry's state and pushes `secretChanged`, as the tracker's poller would. */
  setState(id: string, state: SecretState): void;
  /** Writes an activity line without pushing an event (as a missed event would look). */
  logAccess(line: ActivityLine): void;
  /** Stops the relay of `otherRelay`. */
  stopOtherRelay(): void;
  /** The next call of `cmd` fails with `code`. */
  failNext(cmd: keyof Commands, code: CommandCode, message?: string): void;
  /** A colleague's Hushlink uses the pending invite for `name` (its token is then used too). */
  acceptInvite(name: string): void;
  /** Ends a `keyringWaiting` start: opens the list (or fails with `code`) and says so. */
  finishStartup(code?: CommandCode): void;
  clipboard: string | null;
};

declare global {
  interface Window {
    __fake?: FakeHandle;
  }
}

export function installFakeBackend(seed: FakeSeed = {}): void {
  const now = seed.now ?? Date.now();
  // The UI keeps "first start done" in the web view's storage (stores/nav.svelte.ts).
  if (seed.firstStart) localStorage.removeItem('hushlink.firstStartDone');
  else localStorage.setItem('hushlink.firstStartDone', '1');
  const HOUR = 3_600_000;
  const names = ['Sam', 'Kim', 'Lee', 'Alex', 'Robin', 'Jo', 'Pat', 'Chris', 'Dana', 'Noor'];
  const things = ['VPN password', 'Wi-Fi key', 'Printer PIN', 'Payroll login', 'Router admin', 'Laptop unlock'];
  const states: SecretState[] = ['unread', 'unread', 'viewed', 'expired', 'burned'];
  const randomHex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const qr = (text: string) => {
    // A stand-in QR: a deterministic grid from the text, same shape as the Rust output.
    let cells = '';
    for (let i = 0; i < 21 * 21; i++) {
      const c = text.charCodeAt(i % text.length) ^ (i * 31);
      if (c % 3 === 0) cells += `<rect x="${i % 21}" y="${Math.floor(i / 21)}" width="1" height="1"/>`;
    }
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" shape-rendering="crispEdges"><rect width="21" height="21" fill="#fff"/><g fill="#000">${cells}</g></svg>`;
  };

  const profiles: Profile[] = [
    { id: 'eu', name: 'Onetime Secret (EU)', baseUrl: 'https://eu.onetimesecret.com/', username: null, kind: 'hosted', hushlinkRelay: false, hasToken: false, isDefault: true },
    { id: 'us', name: 'Onetime Secret (US)', baseUrl: 'https://us.onetimesecret.com/', username: null, kind: 'hosted', hushlinkRelay: false, hasToken: false, isDefault: false },
    { id: 'relay', name: 'This computer (relay)', baseUrl: 'http://127.0.0.1:7143/', username: null, kind: 'localRelay', hushlinkRelay: true, hasToken: false, isDefault: false },
  ];
  let settings: Settings = { defaultProfile: 'eu', defaultExpiryMs: 86_400_000, notifications: true, clipboardClearMs: 120_000, launchAtLogin: false, theme: 'system' };
  const entries: Entry[] = [];
  const links = new Map<string, string>();
  const histories = new Map<string, { state: SecretState; at: number }[]>();
  const historyRows: HistoryRow[] = [];
  const receivable = { ...(seed.receivable ?? {}) };
  const failing = { ...(seed.failing ?? {}) };
  const knownInvites: Record<string, FakeInvite> = Object.fromEntries(
    Object.entries(seed.invites ?? {}).map(([link, invite]) => [link, { ...invite }]),
  );
  const nearbyRelays: NearbyRelay[] = seed.nearbyRelays ?? [];
  const nextFailures = new Map<Command, { code: CommandCode; message: string }>();
  const interfaces: NetworkInterface[] = [
    { name: 'enp3s0', address: '192.168.1.20', kind: 'ethernet', isDefault: true },
    { name: 'lo', address: '127.0.0.1', kind: 'loopback', isDefault: false },
  ];
  const busyPorts = new Set(seed.busyPorts ?? (seed.relayPortBusy ? [7143] : []));
  const busyHttpsPorts = new Set(seed.busyHttpsPorts ?? []);
  const FINGERPRINT = Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) % 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
  let otherRelay = seed.otherRelay ?? false;
  const relayOff: RelayPanelStatus = {
    running: false, url: null, bind: '192.168.1.20', port: 7143, httpsPort: 7144, fingerprint: null, interface: 'enp3s0', localOnly: false, qrSvg: null, counts: null,
    problem: seed.relayPortBusy ? { code: 'relay_port_busy', port: 7143, freePort: 7144 } : null,
  };
  const runningAt = (iface: NetworkInterface, port: number, httpsPort: number): RelayPanelStatus => {
    const url = `http://${iface.address}:${port}/`;
    const localOnly = iface.kind === 'loopback';
    return {
      running: true, url, bind: iface.address, port, httpsPort, fingerprint: FINGERPRINT, interface: iface.name, localOnly,
      qrSvg: localOnly ? null : qr(url), counts: null, problem: null,
    };
  };
  let relayStatus: RelayPanelStatus = seed.relayRunning ? runningAt(interfaces[0]!, 7143, 7144) : relayOff;
  const tokens: RelayToken[] = [
    { id: 'tok1', name: 'Front desk PC', createdAt: now - 86_400_000 * 3, revokedAt: null, lastUsedAt: now - 600_000 },
  ];
  const invites: RelayInvite[] = [];
  const inviteTokens = new Map<string, RelayToken>();
  const accessLog: ActivityLine[] = [
    { at: now - 120_000, action: 'reveal', subject: { kind: 'colleague', tokenName: 'Front desk PC' }, fromIp: '192.168.1.31' },
    { at: now - 600_000, action: 'create', subject: { kind: 'colleague', tokenName: 'Front desk PC' }, fromIp: '192.168.1.44' },
  ];
  let historyId = 0;
  const log = (kind: HistoryRow['kind'], entry: Entry | null, detail: HistoryRow['detail'] = null, at = Date.now()) =>
    historyRows.unshift({ id: ++historyId, at, kind, entryId: entry?.id ?? null, label: entry?.label ?? null, profileId: entry?.profileId ?? null, detail });

  for (let i = 0; i < (seed.entries ?? 0); i++) {
    const createdAt = now - i * 7 * 60_000;
    const state = states[i % states.length]!;
    const entry: Entry = {
      id: randomHex(32),
      label: `${things[i % things.length]} #${i + 1}`,
      profileId: profiles[i % 2]!.id,
      recipient: i % 4 === 3 ? null : `${names[i % names.length]}`,
      createdAt,
      expiresAt: createdAt + 24 * HOUR,
      hasPassphrase: i % 3 === 0,
      endToEnd: false,
      notify: true,
      state,
      stateChangedAt: state === 'unread' ? createdAt : Math.min(createdAt + HOUR, now),
      lastCheckedAt: now - 60_000,
    };
    entries.push(entry);
    links.set(entry.id, `https://eu.onetimesecret.com/secret/${randomHex(24)}`);
    histories.set(entry.id, state === 'unread' ? [{ state: 'unread', at: createdAt }] : [{ state: 'unread', at: createdAt }, { state, at: entry.stateChangedAt }]);
    log('created', entry, null, createdAt);
  }

  // One of the user's own secrets, opened by its recipient, as the relay panel tells it.
  if (entries[0]) {
    const own = entries[0];
    accessLog.unshift({ at: now - 60_000, action: 'reveal', subject: { kind: 'own', entryId: own.id, label: own.label }, fromIp: '192.168.1.37' });
  }

  // Commands that need the tracker, which wait while it opens (Rust: `TrackerState::get`).
  const needsTracker = new Set<Command>([
    'list_secrets', 'get_secret', 'create_secrets', 'share_link', 'copy_link', 'copy_text', 'burn_secret',
    'forget_secret', 'refresh_secrets', 'receive_secret', 'list_profiles', 'save_profile', 'delete_profile',
    'check_profile', 'set_default_profile', 'import_invite', 'get_settings', 'save_settings', 'list_history', 'export_history',
  ]);
  let trackerPhase: { phase: 'starting' | 'ready' } | { phase: 'failed'; error: { code: CommandCode; message: string } } =
    seed.keyringWaiting ? { phase: 'starting' } : { phase: 'ready' };
  let trackerOpened: () => void = () => {};
  const trackerOpen = new Promise<void>((resolve) => (trackerOpened = resolve));
  if (!seed.keyringWaiting) trackerOpened();

  const listeners = new Map<number, (message: unknown) => void>();
  const eventHandlers = new Map<number, string>();
  let nextCallback = 1;

  const emit = (payload: AppEvent) => {
    for (const [handlerId, name] of eventHandlers) {
      if (name === 'hushlink://event') listeners.get(handlerId)?.({ event: name, id: handlerId, payload });
    }
  };
  const fail = (code: CommandCode, message: string, args?: ErrorArgs) => ({ code, message, ...(args ? { args } : {}) });
  const find = (id: unknown) => {
    const e = entries.find((x) => x.id === id);
    if (!e) throw fail('entry_not_found', 'No such secret.');
    return e;
  };
  const change = (entry: Entry, state: SecretState) => {
    const updated: Entry = { ...entry, state, stateChangedAt: Date.now() };
    entries[entries.indexOf(entry)] = updated;
    histories.get(entry.id)?.push({ state, at: updated.stateChangedAt });
    return updated;
  };

  const relayOn = () => {
    if (!relayStatus.running) throw fail('relay_off', 'Turn the relay on first.');
  };
  const handle = (cmd: Command, args: Record<string, unknown>): unknown => {
    const queued = nextFailures.get(cmd);
    if (queued) {
      nextFailures.delete(cmd);
      throw queued;
    }
    const failure = cmd.startsWith('plugin:') ? undefined : failing[cmd as keyof Commands];
    if (failure) throw fail(failure, `Fake failure of ${cmd}.`);
    if (trackerPhase.phase === 'failed' && needsTracker.has(cmd)) throw trackerPhase.error;
    switch (cmd) {
      case 'plugin:event|listen': {
        eventHandlers.set(args.handler as number, args.event as string);
        return args.handler;
      }
      case 'plugin:event|unlisten':
        eventHandlers.delete(args.eventId as number);
        return null;
      case 'tracker_phase':
        return trackerPhase;
      case 'app_info':
        return { name: 'Hushlink', version: '0.1.0', dataDir: '/home/user/.local/share/hushlink' };
      case 'ui_ready':
        handleObj.ready = (args.report as { heading: string }).heading;
        console.info(`hushlink ui ready: ${handleObj.ready}`);
        return null;
      case 'list_secrets':
        return entries.slice();
      case 'get_secret': {
        const entry = find(args.id);
        return { entry, history: histories.get(entry.id) ?? [] };
      }
      case 'create_secrets': {
        const req = args.request as { text: string; passphrase: string | null; ttlMs: number; recipients: string[]; label: string; profileId: string | null; endToEnd: boolean };
        if (!req.text.trim()) throw fail('secret_empty', 'The secret is empty.');
        const who = req.recipients.length ? req.recipients : [null];
        return who.map((recipient) => {
          const at = Date.now();
          const entry: Entry = {
            id: randomHex(32), label: req.label, profileId: req.profileId ?? 'eu', recipient,
            createdAt: at, expiresAt: at + req.ttlMs, hasPassphrase: Boolean(req.passphrase),
            endToEnd: req.endToEnd, notify: true, state: 'unread', stateChangedAt: at, lastCheckedAt: null,
          };
          const link = `https://eu.onetimesecret.com/secret/${randomHex(24)}`;
          entries.unshift(entry);
          links.set(entry.id, link);
          histories.set(entry.id, [{ state: 'unread', at }]);
          log('created', entry);
          return { entry, link, qrSvg: qr(link) };
        });
      }
      case 'share_link': {
        const entry = find(args.id);
        if (entry.state !== 'unread') throw fail('secret_gone', 'Gone.');
        const link = links.get(entry.id)!;
        return { link, qrSvg: qr(link), expiresAt: entry.expiresAt };
      }
      case 'copy_link':
        handleObj.clipboard = links.get(find(args.id).id) ?? null;
        return null;
      case 'copy_text':
        handleObj.clipboard = args.text as string;
        return null;
      case 'burn_secret': {
        const updated = change(find(args.id), 'burned');
        log('burned', updated);
        return updated;
      }
      case 'forget_secret': {
        const entry = find(args.id);
        entries.splice(entries.indexOf(entry), 1);
        log('forgotten', entry);
        return null;
      }
      case 'refresh_secrets':
        return null;
      case 'receive_secret': {
        const link = String(args.link);
        // Like the tracker, a failed reveal is logged with what failed and why.
        const refused = (error: 'invalid_link' | 'secret_gone' | 'passphrase_required' | 'wrong_passphrase', message: string) => {
          log('failed', null, { code: 'failed', args: { action: 'receive', error } });
          return fail(error, message);
        };
        if (!/^https?:\/\//.test(link)) throw refused('invalid_link', 'Not a link.');
        const found = receivable[link];
        if (!found) throw refused('secret_gone', 'Unknown secret.');
        if (found.passphrase && !args.passphrase) throw refused('passphrase_required', 'Passphrase needed.');
        if (found.passphrase && args.passphrase !== found.passphrase) throw refused('wrong_passphrase', 'Wrong.');
        delete receivable[link];
        log('received', null, { code: 'received', args: { host: new URL(link).host } });
        return { text: found.text };
      }
      case 'generate_password': {
        const o = args.options as { kind: string; length?: number; words?: number; separator?: string; symbols?: boolean };
        if (o.kind === 'passphrase') {
          const words = ['maple', 'orbit', 'candle', 'river', 'tiger', 'velvet', 'ember', 'quartz', 'lumen', 'harbor', 'cobalt', 'meadow'];
          const n = o.words ?? 5;
          return { password: Array.from({ length: n }, () => words[Math.floor(Math.random() * words.length)]).join(o.separator ?? '-'), entropyBits: n * 12.9 };
        }
        // Like Rust's default: no look-alikes; symbols only when asked for.
        const alphabet = `acdefhjkmnprstuvwxyzACDEFGHJKLMNPQRTUVWXY347${o.symbols ? '#%+=?@' : ''}`;
        const n = o.length ?? 20;
        return { password: Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(''), entropyBits: n * 5.9 };
      }
      case 'list_profiles':
        return profiles.slice();
      case 'save_profile': {
        const input = args.input as { name: string; baseUrl: string; username: string | null; hushlinkRelay: boolean };
        if (!/^https?:\/\/[^/]+/.test(input.baseUrl)) throw fail('invalid_url', 'Bad URL.');
        const existing = profiles.find((p) => p.id === args.id);
        const profile: Profile = {
          id: existing?.id ?? `custom-${randomHex(8)}`, name: input.name, baseUrl: input.baseUrl.replace(/\/?$/, '/'),
          username: input.username, kind: 'custom', hushlinkRelay: input.hushlinkRelay,
          hasToken: Boolean(args.token) || Boolean(existing?.hasToken), isDefault: existing?.isDefault ?? false,
        };
        if (existing) profiles[profiles.indexOf(existing)] = profile;
        else profiles.push(profile);
        return profile;
      }
      case 'delete_profile':
        profiles.splice(profiles.findIndex((p) => p.id === args.id), 1);
        return null;
      case 'check_profile': {
        const p = profiles.find((x) => x.id === args.id);
        if (!p) throw fail('profile_not_found', 'No profile.');
        if (p.baseUrl.includes('unreachable')) throw fail('server_unreachable', 'Down.');
        return { ok: true, authenticated: p.hasToken, latencyMs: 42, maxTtlMs: p.hushlinkRelay ? 1_209_600_000 : 604_800_000 };
      }
      case 'set_default_profile':
        for (let i = 0; i < profiles.length; i++) profiles[i] = { ...profiles[i]!, isDefault: profiles[i]!.id === args.id };
        return null;
      case 'import_invite': {
        const link = String(args.link).trim();
        if (!/^https?:\/\/[^/]+\/invite\/[^#]+#.+$/.test(link)) throw fail('invite_link_invalid', 'That is not a whole invite link.');
        const invite = knownInvites[link];
        if (!invite) throw fail('invite_not_found', 'The relay does not know this invite.');
        const state = invite.state ?? 'pending';
        if (state !== 'pending') throw fail(`invite_${state}`, `This invite is ${state}.`);
        invite.state = 'used';
        const baseUrl = `${invite.origin.replace(/^http:/, 'https:').replace(/:\d+$/, '')}:${invite.httpsPort}/`;
        let profile = profiles.find((p) => p.baseUrl === baseUrl && p.kind === 'custom');
        const fields = {
          name: invite.name, baseUrl, username: invite.tokenName, kind: 'custom' as const, hushlinkRelay: true, hasToken: true,
          pinnedCert: invite.fingerprint, linkOrigin: `${invite.origin}/`,
        };
        if (profile) Object.assign(profile, fields);
        else profiles.push((profile = { id: `custom-${randomHex(12)}`, isDefault: false, ...fields }));
        for (let i = 0; i < profiles.length; i++) profiles[i] = { ...profiles[i]!, isDefault: profiles[i]!.id === profile.id };
        settings = { ...settings, defaultProfile: profile.id };
        return profiles.find((p) => p.id === profile.id);
      }
      case 'find_relays':
        return nearbyRelays.slice();
      case 'get_settings':
        return settings;
      case 'save_settings':
        settings = { ...(args.settings as Settings) };
        return settings;
      case 'list_history': {
        const filter = args.filter as { kinds: string[]; search: string | null };
        const needle = filter.search?.toLowerCase();
        return historyRows
          .filter((r) => !filter.kinds.length || filter.kinds.includes(r.kind))
          // Like the tracker: a detail's host (or an old row's text), never its codes.
          .filter((r) => {
            const detail = r.detail?.code === 'received' ? r.detail.args.host : r.detail?.code === 'legacy' ? r.detail.args.text : '';
            return !needle || `${r.label ?? ''} ${detail}`.toLowerCase().includes(needle);
          })
          .sort((a, b) => b.at - a.at)
          .slice(0, 1000);
      }
      case 'export_history':
        return '/home/user/Downloads/hushlink-history.csv';
      case 'relay_status':
        return relayStatus;
      case 'set_relay': {
        if (!args.enabled) {
          relayStatus = { ...relayStatus, running: false, url: null, qrSvg: null, fingerprint: null, counts: null, problem: null };
          return relayStatus;
        }
        const iface =
          interfaces.find((i) => i.name === args.interface) ?? interfaces.find((i) => i.name === relayStatus.interface) ?? interfaces[0]!;
        const port = (args.port as number | null) ?? relayStatus.port;
        const httpsPort = (args.httpsPort as number | null | undefined) ?? relayStatus.httpsPort;
        if (busyPorts.has(port)) {
          let freePort = port + 1;
          while (busyPorts.has(freePort)) freePort++;
          relayStatus = { ...relayStatus, running: false, url: null, qrSvg: null, problem: { code: 'relay_port_busy', port, freePort } };
          throw fail('relay_port_busy', `Port ${port} is used by another program on this computer.`);
        }
        if (busyHttpsPorts.has(httpsPort)) {
          let freePort = httpsPort + 1;
          while (busyHttpsPorts.has(freePort) || freePort === port) freePort++;
          relayStatus = { ...relayStatus, running: false, url: null, qrSvg: null, fingerprint: null, problem: { code: 'relay_https_port_busy', port: httpsPort, freePort } };
          throw fail('relay_port_busy', `Port ${httpsPort}, where colleagues' apps connect securely, is used by another program.`);
        }
        if (otherRelay) {
          const problem = { code: 'relay_data_dir_in_use', dataDir: '/home/user/.local/share/hushlink/relay' } as const;
          relayStatus = { ...relayStatus, running: false, url: null, qrSvg: null, problem };
          throw fail('relay_data_dir_in_use', 'Another Hushlink relay is already running with this app\'s relay data.');
        }
        relayStatus = runningAt(iface, port, httpsPort);
        return relayStatus;
      }
      case 'list_interfaces':
        return interfaces.slice();
      case 'create_token': {
        relayOn();
        // The shell's code and the name its words repeat.
        if (tokens.some((t) => t.name === args.name && !t.revokedAt)) {
          throw fail('token_name_taken', 'A token with that name already exists.', { name: String(args.name) });
        }
        const t: RelayToken = { id: `tok${tokens.length + 1}`, name: String(args.name), createdAt: Date.now(), revokedAt: null, lastUsedAt: null };
        tokens.push(t);
        return { id: t.id, name: t.name, createdAt: t.createdAt, token: `hl_${randomHex(40)}` };
      }
      case 'create_invite': {
        relayOn();
        const name = String(args.name).trim();
        if (!name) throw fail('name_required', 'Give the invite a name, e.g. the colleague it is for.');
        if (tokens.some((t) => t.name === name && !t.revokedAt)) {
          throw fail('token_name_taken', 'A token with that name already exists.', { name });
        }
        const at = Date.now();
        const token: RelayToken = { id: `tok${tokens.length + 1}`, name, createdAt: at, revokedAt: null, lastUsedAt: null };
        tokens.push(token);
        const invite: RelayInvite = { id: randomHex(12), name, createdAt: at, expiresAt: at + 86_400_000, status: 'pending', finishedAt: null, acceptedFrom: null };
        invites.push(invite);
        inviteTokens.set(invite.id, token);
        const link = `${relayStatus.url!}invite/${randomHex(43)}#${randomHex(43)}`;
        return { invite, link, qrSvg: qr(link) };
      }
      case 'list_invites':
        relayOn();
        return invites.map((i) => ({ ...i }));
      case 'withdraw_invite': {
        relayOn();
        const invite = invites.find((i) => i.id === args.id && i.status === 'pending');
        if (!invite) throw fail('not_found', 'That invite was already used, withdrawn or expired.');
        invite.status = 'withdrawn';
        invite.finishedAt = Date.now();
        inviteTokens.get(invite.id)!.revokedAt = invite.finishedAt;
        return null;
      }
      case 'list_tokens':
        relayOn();
        return tokens.slice();
      case 'revoke_token': {
        relayOn();
        const t = tokens.find((x) => x.id === args.id);
        if (t) t.revokedAt = Date.now();
        return null;
      }
      case 'access_log':
        relayOn();
        return accessLog.slice();
      default: {
        // Every command of `Commands` has its case: a new or renamed one fails the type check.
        const unknown: never = cmd;
        throw fail('internal', `The fake backend has no command ${String(unknown)}.`);
      }
    }
  };

  const handleObj: FakeHandle = {
    calls: [],
    ready: null,
    entries,
    clipboard: null,
    emit,
    setState(id, state) {
      const updated = change(find(id), state);
      emit({ type: 'secretChanged', entry: updated });
    },
    logAccess(line) {
      accessLog.unshift(line);
    },
    stopOtherRelay() {
      otherRelay = false;
    },
    acceptInvite(name) {
      const invite = invites.find((i) => i.name === name && i.status === 'pending');
      if (!invite) throw new Error(`no pending invite for ${name}`);
      const at = Date.now();
      Object.assign(invite, { status: 'accepted', finishedAt: at, acceptedFrom: '192.168.1.50' });
      inviteTokens.get(invite.id)!.lastUsedAt = at;
    },
    failNext(cmd, code, message = 'Fake failure.') {
      nextFailures.set(cmd, { code, message });
    },
    finishStartup(code) {
      trackerPhase = code ? { phase: 'failed', error: fail(code, 'Fake start-up failure.') } : { phase: 'ready' };
      trackerOpened();
      emit(code ? { type: 'trackerFailed', error: fail(code, 'Fake start-up failure.') } : { type: 'trackerReady' });
    },
  };

  const w = window as unknown as Record<string, unknown>;
  w.__TAURI_INTERNALS__ = {
    invoke: async (name: string, args: Record<string, unknown> = {}) => {
      // What the UI asks for at run time; an unknown name ends in `handle`'s default.
      const cmd = name as Command;
      if (!cmd.startsWith('plugin:')) handleObj.calls.push({ cmd: cmd as keyof Commands, args });
      // Answer on a later task, as real IPC does, so loading states are exercised.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (needsTracker.has(cmd)) await trackerOpen;
      return handle(cmd, args);
    },
    transformCallback: (callback: (message: unknown) => void) => {
      const id = nextCallback++;
      listeners.set(id, callback);
      return id;
    },
    unregisterCallback: (id: number) => listeners.delete(id),
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
  };
  w.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener: (_event: string, id: number) => {
      listeners.delete(id);
      eventHandlers.delete(id);
    },
  };
  window.__fake = handleObj;
}
