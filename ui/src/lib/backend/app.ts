// The app service: version and data folder, and the readiness report.
import type { AppInfo } from '../bindings/AppInfo';
import { call } from './ipc';

export function appInfo(): Promise<AppInfo> {
  return call('app_info', {});
}

/** Tells the shell the first screen rendered (the smoke test waits for this). */
export async function reportReady(heading: string): Promise<void> {
  await call('ui_ready', { report: { heading } });
}
