// A History row's detail in words. The tracker sends it as data (`HistoryDetail`: a code and
// named args, hushlink-tracker's history_detail.rs); each code has catalogue words filled
// with the args. The one exception is `legacy`: text an older build stored in a shape the
// tracker cannot read, shown as stored, as it always was.
import { BackendError } from './backend/ipc';
import type { HistoryAction } from './bindings/HistoryAction';
import type { HistoryDetail } from './bindings/HistoryDetail';
import type { HistoryRow } from './bindings/HistoryRow';
import { explain } from './errors';
import { t, type MessageKey } from './i18n/i18n.svelte';

// A code or action added in Rust fails `npm run check` until it has words here.
/** The words of each detail code (all but `legacy`, which brings its own text). */
export const DETAIL_WORDS = {
  received: 'historyScreen.detail.received',
  failed: 'historyScreen.detail.failed',
} as const satisfies Record<Exclude<HistoryDetail['code'], 'legacy'>, MessageKey>;

/** The words of what the user was doing when something failed. */
export const ACTION_WORDS = {
  create: 'historyScreen.action.create',
  burn: 'historyScreen.action.burn',
  receive: 'historyScreen.action.receive',
} as const satisfies Record<HistoryAction, MessageKey>;

export function detailWords(row: Pick<HistoryRow, 'detail'>): string {
  const detail = row.detail;
  if (!detail) return '';
  switch (detail.code) {
    case 'received':
      return t(DETAIL_WORDS.received, { host: detail.args.host });
    case 'failed': {
      // A code this build has no words for still gets explain()'s general sentence.
      const problem = explain(new BackendError(detail.args.error, '')).title;
      return t(DETAIL_WORDS.failed, { action: t(ACTION_WORDS[detail.args.action]), problem });
    }
    case 'legacy':
      return detail.args.text;
    default:
      return detail satisfies never;
  }
}
