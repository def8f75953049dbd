// Whether the list of secrets is open yet. It opens after the window, once the system keyring
// hands over the key it is encrypted with; until then commands that need it simply wait, and
// the shell says why (KeyringWait). The shell reports the outcome with an event; `check` asks
// once at start in case that event came before the UI listened.
import { trackerPhase } from '../backend/app';
import { BackendError, toBackendError } from '../backend/ipc';
import type { AppEvent } from '../bindings/AppEvent';
import type { TrackerPhase } from '../bindings/TrackerPhase';

/** `unknown` until the shell has answered once. */
export type Phase = TrackerPhase['phase'] | 'unknown';

export class Startup {
  phase: Phase = $state('unknown');
  problem: BackendError | null = $state(null);

  /** Asks the shell where opening stands. */
  async check(): Promise<void> {
    try {
      this.apply(await trackerPhase());
    } catch {
      // If the shell cannot say, show no waiting notice: each command answers or fails itself.
      if (this.phase === 'unknown') this.phase = 'ready';
    }
  }

  /** Takes `trackerReady` / `trackerFailed`; true if the event was one of them. */
  handle(event: AppEvent): boolean {
    if (event.type === 'trackerReady') this.apply({ phase: 'ready' });
    else if (event.type === 'trackerFailed') this.apply({ phase: 'failed', error: event.error });
    else return false;
    return true;
  }

  /** Only moves forward: a late answer to `check` must not undo an event's outcome. */
  private apply(next: TrackerPhase): void {
    if (this.phase === 'ready' || this.phase === 'failed') return;
    this.phase = next.phase;
    this.problem = next.phase === 'failed' ? toBackendError(next.error) : null;
  }

  /** Back to the first look (tests). */
  reset(): void {
    this.phase = 'unknown';
    this.problem = null;
  }
}

export const startup = new Startup();
