// The activity log and its CSV export.
import type { HistoryFilter } from '../bindings/HistoryFilter';
import type { HistoryRow } from '../bindings/HistoryRow';
import { call } from './ipc';

export const listHistory = (filter: HistoryFilter): Promise<HistoryRow[]> => call('list_history', { filter });
/** Writes a CSV to the Downloads folder and returns its path. */
export const exportHistory = (filter: HistoryFilter): Promise<string> => call('export_history', { filter });
