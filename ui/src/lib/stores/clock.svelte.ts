// A coarse "now" for time-left labels: one timer for the whole app instead of one per row.
class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;

  start(periodMs = 15_000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => (this.now = Date.now()), periodMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

export const clock = new Clock();
