// The relay's state and its activity log, fed by `relayChanged` and `accessLogged`.
// The log's lines are told in the backend (labels of the user's own secrets, colleagues'
// token names), so a live `accessLogged` line is a cue to re-read it, not a line to show.
import type { ActivityLine } from '../bindings/ActivityLine';
import type { ActivityFilter } from '../bindings/ActivityFilter';
import type { RelayPanelStatus } from '../bindings/RelayPanelStatus';
import type { AppEvent } from '../bindings/AppEvent';
import { accessLog } from '../backend/relay';

/** Lines kept on screen; the full log stays in the relay. */
export const LOG_LINES = 200;

const LOG_FILTER: ActivityFilter = { action: null, since: null, until: null, limit: LOG_LINES };

export class RelayStore {
  status: RelayPanelStatus | null = $state.raw(null);
  log: ActivityLine[] = $state.raw([]);
  #reading: Promise<void> | null = null;
  #again = false;

  setLog(lines: ActivityLine[]): void {
    this.log = lines.slice(0, LOG_LINES);
  }

  /** Re-reads the log while the relay runs; a burst of cues costs at most two reads. */
  reloadLog(): Promise<void> {
    if (!this.status?.running) return Promise.resolve();
    if (this.#reading) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = accessLog(LOG_FILTER)
      .then((lines) => this.setLog(lines))
      .catch(() => {
        // Switched off meanwhile; the next status change tells the screen.
      })
      .finally(() => {
        this.#reading = null;
        if (this.#again) {
          this.#again = false;
          void this.reloadLog();
        }
      });
    return this.#reading;
  }

  handle(event: AppEvent): boolean {
    if (event.type === 'relayChanged') {
      this.status = event.status;
      return true;
    }
    if (event.type === 'accessLogged') {
      void this.reloadLog();
      return true;
    }
    return false;
  }
}

export const relay = new RelayStore();
