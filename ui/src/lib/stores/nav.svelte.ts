// Which screen is showing, and what it was opened with.
import type { CreatedSecret } from '../bindings/CreatedSecret';
import type { Screen } from '../bindings/Screen';

class Navigation {
  screen: Screen = $state('newSecret');
  /** Links just created, for the share screen (shown instead of New secret while set). */
  created: CreatedSecret[] | null = $state.raw(null);
  /** Entry open in the My secrets detail view. */
  detailId: string | null = $state(null);

  go(screen: Screen): void {
    this.screen = screen;
    this.created = null;
    if (screen !== 'secrets') this.detailId = null;
  }

  showCreated(created: CreatedSecret[]): void {
    this.screen = 'newSecret';
    this.created = created;
  }

  openDetail(id: string): void {
    this.screen = 'secrets';
    this.detailId = id;
  }
}

export const nav = new Navigation();
