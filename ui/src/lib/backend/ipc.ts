// The one module that talks to the Tauri runtime (STYLE.md §6). Everything else imports the
// typed services next to it. Command failures always surface as `BackendError` with a stable
// `code`; the UI branches on that, never on message text.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { ActivityFilter } from '../bindings/ActivityFilter';
import type { ActivityLine } from '../bindings/ActivityLine';
import type { AppInfo } from '../bindings/AppInfo';
import type { CommandError } from '../bindings/CommandError';
import type { Entry } from '../bindings/Entry';
import type { ErrorArgs } from '../bindings/ErrorArgs';
import type { EntryDetail } from '../bindings/EntryDetail';
import type { CommandCode } from '../bindings/CommandCode';
import type { GeneratedPassword } from '../bindings/GeneratedPassword';
import type { GeneratorOptions } from '../bindings/GeneratorOptions';
import type { HistoryFilter } from '../bindings/HistoryFilter';
import type { HistoryRow } from '../bindings/HistoryRow';
import type { ListFilter } from '../bindings/ListFilter';
import type { Profile } from '../bindings/Profile';
import type { ProfileInput } from '../bindings/ProfileInput';
import type { Settings } from '../bindings/Settings';
import type { UiReadyReport } from '../bindings/UiReadyReport';
import type { ConnectionCheck } from '../bindings/ConnectionCheck';
import type { CreatedSecret } from '../bindings/CreatedSecret';
import type { NearbyRelay } from '../bindings/NearbyRelay';
import type { NetworkInterface } from '../bindings/NetworkInterface';
import type { NewSecretRequest } from '../bindings/NewSecretRequest';
import type { NewToken } from '../bindings/NewToken';
import type { NewInvite } from '../bindings/NewInvite';
import type { RelayInvite } from '../bindings/RelayInvite';
import type { RelayToken } from '../bindings/RelayToken';
import type { ReceivedSecret } from '../bindings/ReceivedSecret';
import type { RelayPanelStatus } from '../bindings/RelayPanelStatus';
import type { ShareView } from '../bindings/ShareView';
import type { AppEvent } from '../bindings/AppEvent';
import type { TrackerPhase } from '../bindings/TrackerPhase';

type None = Record<string, never>;

/** Every command: its arguments and its result. The names are those of `commands![...]` in
 *  `src-tauri/hushlink-app/src/commands/mod.rs` (a Rust test holds them equal), and
 *  `tests/fake-backend.ts` answers exactly these. */
export interface Commands {
  app_info: { args: None; result: AppInfo };
  ui_ready: { args: { report: UiReadyReport }; result: null };
  tracker_phase: { args: None; result: TrackerPhase };
  // secrets
  list_secrets: { args: { filter: ListFilter }; result: Entry[] };
  get_secret: { args: { id: string }; result: EntryDetail };
  create_secrets: { args: { request: NewSecretRequest }; result: CreatedSecret[] };
  share_link: { args: { id: string }; result: ShareView };
  copy_link: { args: { id: string }; result: null };
  copy_text: { args: { text: string }; result: null };
  burn_secret: { args: { id: string }; result: Entry };
  forget_secret: { args: { id: string }; result: null };
  refresh_secrets: { args: None; result: null };
  receive_secret: { args: { link: string; passphrase: string | null }; result: ReceivedSecret };
  // generator
  generate_password: { args: { options: GeneratorOptions }; result: GeneratedPassword };
  // profiles
  list_profiles: { args: None; result: Profile[] };
  save_profile: { args: { input: ProfileInput; id: string | null; token: string | null }; result: Profile };
  delete_profile: { args: { id: string }; result: null };
  check_profile: { args: { id: string }; result: ConnectionCheck };
  set_default_profile: { args: { id: string }; result: null };
  // joining a colleague's relay
  import_invite: { args: { link: string }; result: Profile };
  find_relays: { args: None; result: NearbyRelay[] };
  // settings
  get_settings: { args: None; result: Settings };
  save_settings: { args: { settings: Settings }; result: Settings };
  // history
  list_history: { args: { filter: HistoryFilter }; result: HistoryRow[] };
  export_history: { args: { filter: HistoryFilter }; result: string };
  // relay
  relay_status: { args: None; result: RelayPanelStatus };
  set_relay: {
    args: { enabled: boolean; interface: string | null; port: number | null; httpsPort?: number | null };
    result: RelayPanelStatus;
  };
  list_interfaces: { args: None; result: NetworkInterface[] };
  create_token: { args: { name: string }; result: NewToken };
  list_tokens: { args: None; result: RelayToken[] };
  revoke_token: { args: { id: string }; result: null };
  create_invite: { args: { name: string }; result: NewInvite };
  list_invites: { args: None; result: RelayInvite[] };
  withdraw_invite: { args: { id: string }; result: null };
  access_log: { args: { filter: ActivityFilter }; result: ActivityLine[] };
}

/** A command's code (the generated `CommandCode`: client, tracker and shell codes), or
 *  `unreachable` when the backend did not answer at all. */
export type BackendCode = CommandCode | 'unreachable';

/** Name of the single event channel (Rust: `events::EVENT_NAME`). */
export const EVENT_NAME = 'hushlink://event';

/** A command failure, or a failure to reach the backend at all. */
export class BackendError extends Error {
  readonly code: BackendCode;
  /** What the code's words name (a token's name, a port); the message is English, for logs. */
  readonly args: ErrorArgs;
  constructor(code: BackendCode, message: string, args: ErrorArgs = {}) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
    this.args = args;
  }
}

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Turns whatever `invoke` rejected with into a `BackendError`. */
export function toBackendError(raw: unknown): BackendError {
  if (raw instanceof BackendError) return raw;
  if (isCommandError(raw)) return new BackendError(raw.code, raw.message, raw.args);
  const text = raw instanceof Error ? raw.message : String(raw);
  return new BackendError('unreachable', `Hushlink's background service did not answer (${text}).`);
}

/** Calls a command with typed arguments and result. */
export async function call<K extends keyof Commands>(
  command: K,
  args: Commands[K]['args'],
): Promise<Commands[K]['result']> {
  try {
    return await tauriInvoke<Commands[K]['result']>(command, args);
  } catch (raw) {
    throw toBackendError(raw);
  }
}

/** Subscribes to every event from the shell. */
export function onEvent(handler: (event: AppEvent) => void): Promise<UnlistenFn> {
  return listen<AppEvent>(EVENT_NAME, (message) => handler(message.payload));
}
