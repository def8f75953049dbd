// Settings and server profiles, shared by New secret and Settings.
import type { Profile } from '../bindings/Profile';
import type { Settings } from '../bindings/Settings';
import type { Theme } from '../bindings/Theme';
import { toBackendError, type BackendError } from '../backend/ipc';
import { listProfiles } from '../backend/profiles';
import { getSettings, saveSettings } from '../backend/settings';
import { maxTtlFor } from '../format';
import { i18n, supported } from '../i18n/i18n.svelte';

/** Shown until Rust answers; mirrors the tracker's documented defaults. */
export const DEFAULT_SETTINGS: Settings = {
  defaultProfile: 'global',
  defaultExpiryMs: 86_400_000,
  notifications: true,
  clipboardClearMs: 120_000,
  launchAtLogin: false,
  theme: 'system',
};

/** Sets the colour scheme on the document; `system` follows the OS through CSS. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/** A language saved in the settings wins over the UI's own copy of the choice (localStorage,
 *  read before the settings arrive); none saved leaves that choice, or the system's, alone. */
export function applyLanguage(language: string | null | undefined): void {
  const saved = supported(language);
  if (saved && saved !== i18n.choice) i18n.choose(saved);
}

export class Prefs {
  settings: Settings = $state(DEFAULT_SETTINGS);
  profiles: Profile[] = $state.raw([]);
  loaded = $state(false);
  problem: BackendError | null = $state(null);
  /** Longest lifetime each server reported in its last connection check, in seconds like
   * the expiry presets of format.ts (the check itself answers in milliseconds). */
  maxTtl: Record<string, number> = $state({});

  async load(): Promise<void> {
    try {
      const [settings, profiles] = await Promise.all([getSettings(), listProfiles()]);
      this.settings = settings;
      this.profiles = profiles;
      applyTheme(settings.theme);
      applyLanguage(settings.language);
      this.problem = null;
    } catch (error) {
      this.problem = toBackendError(error);
    } finally {
      this.loaded = true;
    }
  }

  async reloadProfiles(): Promise<void> {
    this.profiles = await listProfiles();
  }

  /** Saves a change; throws a BackendError the caller shows next to the control. */
  async update(change: Partial<Settings>): Promise<void> {
    const saved = await saveSettings({ ...this.settings, ...change });
    this.settings = saved;
    applyTheme(saved.theme);
    applyLanguage(saved.language);
  }

  /** The profile new secrets use: the flagged default, else the settings' one, else the first. */
  defaultProfile(): Profile | undefined {
    return (
      this.profiles.find((p) => p.isDefault) ??
      this.profiles.find((p) => p.id === this.settings.defaultProfile) ??
      this.profiles[0]
    );
  }

  /** The server's own maximum if a check told us, else the published limit for its kind. */
  maxTtlOf(profile: Profile | undefined): number {
    return (profile && this.maxTtl[profile.id]) || maxTtlFor(profile);
  }

  profileName(id: string): string {
    return this.profiles.find((p) => p.id === id)?.name ?? id;
  }
}

export const prefs = new Prefs();
