// The relay's state and its live access log, fed by `relayChanged` and `accessLogged`.
import type { AccessLogEntry } from '../bindings/AccessLogEntry';
import type { RelayPanelStatus } from '../bindings/RelayPanelStatus';
import type { AppEvent } from '../bindings/AppEvent';

/** Lines kept on screen; the full log stays in the relay. */
export const LOG_LINES = 200;

export class RelayStore {
  status: RelayPanelStatus | null = $state.raw(null);
  log: AccessLogEntry[] = $state.raw([]);

  setLog(lines: AccessLogEntry[]): void {
    this.log = lines.slice(0, LOG_LINES);
  }

  handle(event: AppEvent): boolean {
    if (event.type === 'relayChanged') {
      this.status = event.status;
      return true;
    }
    if (event.type === 'accessLogged') {
      this.log = [event.entry, ...this.log].slice(0, LOG_LINES);
      return true;
    }
    return false;
  }
}

export const relay = new RelayStore();
