// App preferences.
import type { Settings } from '../bindings/Settings';
import { call } from './ipc';

export const getSettings = (): Promise<Settings> => call('get_settings', {});
/** Returns what Rust stored (it may normalise values). */
export const saveSettings = (settings: Settings): Promise<Settings> => call('save_settings', { settings });
