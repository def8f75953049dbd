// The one module that talks to the Tauri runtime (STYLE.md §6). Everything else imports the
// typed services next to it. Command failures always surface as `BackendError` with a stable
// `code`; the UI branches on that, never on message text.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { AppEvent } from '../bindings/AppEvent';
import type { AppInfo } from '../bindings/AppInfo';
import type { CommandError } from '../bindings/CommandError';
import type { ErrorCode } from '../bindings/ErrorCode';
import type { UiReadyReport } from '../bindings/UiReadyReport';

/** Every command: its arguments and its result. Names match the Rust functions. */
export interface Commands {
  app_info: { args: Record<string, never>; result: AppInfo };
  ui_ready: { args: { report: UiReadyReport }; result: null };
}

/** Name of the single event channel (Rust: `events::EVENT_NAME`). */
export const EVENT_NAME = 'hushlink://event';

/** A command failure, or a failure to reach the backend at all. */
export class BackendError extends Error {
  readonly code: ErrorCode | 'unreachable';
  constructor(code: ErrorCode | 'unreachable', message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
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
  if (isCommandError(raw)) return new BackendError(raw.code, raw.message);
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
