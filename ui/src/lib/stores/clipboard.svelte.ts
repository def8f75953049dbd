// The clipboard's auto-clear, counted down live: when what Hushlink last copied leaves the
// clipboard. The shell clears it (and only if the clipboard still holds it); this mirrors the
// same delay, from the settings, so every screen that copies can show the time left.
import { prefs } from './prefs.svelte';

export class ClipboardClear {
  /** When the clear is due (Unix ms); null when nothing is pending or auto-clear is off. */
  clearsAt: number | null = $state(null);
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;

  /** Call after each successful copy; `delayMs` defaults to the setting (0 = never clear). */
  copied(delayMs: number = prefs.settings.clipboardClearMs, now: number = Date.now()): void {
    this.#stop();
    this.now = now;
    this.clearsAt = delayMs > 0 ? now + delayMs : null;
    if (this.clearsAt !== null) this.#timer = setInterval(() => this.tick(), 1000);
  }

  /** Whole seconds until the clear (0 once done); null when none is pending. */
  get secondsLeft(): number | null {
    if (this.clearsAt === null) return null;
    return Math.max(0, Math.ceil((this.clearsAt - this.now) / 1000));
  }

  tick(now: number = Date.now()): void {
    this.now = now;
    if (this.clearsAt !== null && now >= this.clearsAt) this.#stop();
  }

  /** Forgets the countdown (tests; a fresh start). */
  reset(): void {
    this.#stop();
    this.clearsAt = null;
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** "1:54", "0:09": minutes and seconds, as a countdown reads. */
export function countdownWords(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export const clipboardClear = new ClipboardClear();
