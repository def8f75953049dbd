// A History row's detail in words. The tracker stores it as data, not as a sentence for one
// language: "from <host>" for a received secret, "<action>: <error code>" for a failure
// (hushlink-tracker's secrets.rs). Those shapes are said in the current language; anything
// else (older rows, shapes this build does not know) is shown as stored.
import { BackendError, type BackendCode } from './backend/ipc';
import type { HistoryRow } from './bindings/HistoryRow';
import { explain } from './errors';
import { t } from './i18n/i18n.svelte';

const ACTIONS = ['create', 'burn', 'receive'] as const;
type Action = (typeof ACTIONS)[number];

export function detailWords(row: Pick<HistoryRow, 'kind' | 'detail'>): string {
  const detail = row.detail ?? '';
  if (row.kind === 'received') {
    const from = /^from (\S+)$/.exec(detail);
    if (from) return t('historyScreen.detail.received', { host: from[1]! });
  }
  if (row.kind === 'failed') {
    const failed = /^([a-z]+): ([a-z0-9_]+)$/.exec(detail);
    const action = failed?.[1] as Action | undefined;
    if (failed && action && ACTIONS.includes(action)) {
      // An unknown code still gets explain()'s general sentence.
      const problem = explain(new BackendError(failed[2] as BackendCode, '')).title;
      return t('historyScreen.detail.failed', { action: t(`historyScreen.action.${action}`), problem });
    }
  }
  return detail;
}
