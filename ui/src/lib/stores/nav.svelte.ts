// Which screen is showing, and what it was opened with.
import type { CreatedSecret } from '../bindings/CreatedSecret';
import type { Screen } from '../bindings/Screen';

/** The window's own storage, kept between starts. These are facts about this window only
 *  (was the first-start question answered, is a fold-out open), not settings to sync, so they
 *  live in the web view's storage rather than `settings.json`. */
const FIRST_START_DONE = 'hushlink.firstStartDone';
const MORE_OPTIONS_OPEN = 'hushlink.moreOptionsOpen';

function read(key: string): boolean {
  try {
    return globalThis.localStorage?.getItem(key) === '1';
  } catch {
    // Storage refused (e.g. disabled): behave as on a first start, every time.
    return false;
  }
}

function write(key: string, on: boolean): void {
  try {
    if (on) globalThis.localStorage?.setItem(key, '1');
    else globalThis.localStorage?.removeItem(key);
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

/** Whether the first-start question was answered or skipped on this computer. */
export const firstStartDone = (): boolean => read(FIRST_START_DONE);

/** Whether "More options" on New secret was left open (it opens that way next time). */
export const moreOptionsOpen = (): boolean => read(MORE_OPTIONS_OPEN);
export const rememberMoreOptions = (open: boolean): void => write(MORE_OPTIONS_OPEN, open);

class Navigation {
  screen: Screen = $state('newSecret');
  /** Links just created, for the share screen (shown instead of New secret while set). */
  created: CreatedSecret[] | null = $state.raw(null);
  /** Entry open in the My secrets detail view. */
  detailId: string | null = $state(null);
  /** The first-start question ("where should links live?") is showing, over any screen. */
  welcome = $state(false);

  go(screen: Screen): void {
    // Leaving the question for another screen counts as skipping it.
    if (this.welcome) this.finishWelcome();
    this.screen = screen;
    this.created = null;
    if (screen !== 'secrets') this.detailId = null;
  }

  showCreated(created: CreatedSecret[]): void {
    this.welcome = false;
    this.screen = 'newSecret';
    this.created = created;
  }

  openDetail(id: string): void {
    if (this.welcome) this.finishWelcome();
    this.screen = 'secrets';
    this.detailId = id;
  }

  /** Asks the first-start question again (Settings offers this). */
  showWelcome(): void {
    this.welcome = true;
  }

  /** The question was answered or skipped: it is not asked again at start. */
  finishWelcome(): void {
    write(FIRST_START_DONE, true);
    this.welcome = false;
  }

  /** At start: ask the question once per computer. */
  welcomeOnFirstStart(): void {
    if (!firstStartDone()) this.welcome = true;
  }
}

export const nav = new Navigation();
