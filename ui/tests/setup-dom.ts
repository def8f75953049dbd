// Shared helpers for component tests: a fresh fake backend and clean stores per test.
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';
import { nav } from '../src/lib/stores/nav.svelte';
import { DEFAULT_SETTINGS, prefs } from '../src/lib/stores/prefs.svelte';
import { relay } from '../src/lib/stores/relay.svelte';
import { secrets } from '../src/lib/stores/secrets.svelte';
import { startup } from '../src/lib/stores/startup.svelte';
import { installFakeBackend, type FakeHandle, type FakeSeed } from './fake-backend';

/** Installs the fake backend, resets every store, and returns the fake's handle. */
export async function freshBackend(seed: FakeSeed = {}, loadPrefs = true): Promise<FakeHandle> {
  installFakeBackend(seed);
  nav.go('newSecret');
  secrets.entries = [];
  secrets.loaded = false;
  secrets.problem = null;
  prefs.settings = { ...DEFAULT_SETTINGS };
  prefs.profiles = [];
  prefs.maxTtl = {};
  relay.status = null;
  relay.log = [];
  startup.reset();
  if (loadPrefs) await prefs.load();
  return window.__fake!;
}

/** The commands the UI called, in order. */
export const called = (fake: FakeHandle, cmd: string) => fake.calls.filter((c) => c.cmd === cmd);

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
});
