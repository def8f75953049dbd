// The app service: version and data folder, whether the list is open yet, and the readiness report.
import type { AppInfo } from '../bindings/AppInfo';
import type { TrackerPhase } from '../bindings/TrackerPhase';
import { call } from './ipc';

export function appInfo(): Promise<AppInfo> {
  return call('app_info', {});
}

/** Tells the shell the first screen rendered (the smoke test waits for this). */
export async function reportReady(heading: string): Promise<void> {
  await call('ui_ready', { report: { heading } });
}

/** Whether the list of secrets is open yet (it waits for the system keyring). Answers at once. */
export function trackerPhase(): Promise<TrackerPhase> {
  return call('tracker_phase', {});
}
