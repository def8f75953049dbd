// Secrets the user shares and receives. Every call goes through the one IPC module.
import type { Entry } from '../bindings/Entry';
import type { EntryDetail } from '../bindings/EntryDetail';
import type { ListFilter } from '../bindings/ListFilter';
import { call } from './ipc';
import type { CreatedSecret } from '../bindings/CreatedSecret';
import type { NewSecretRequest } from '../bindings/NewSecretRequest';
import type { ReceivedSecret } from '../bindings/ReceivedSecret';
import type { ShareView } from '../bindings/ShareView';

/** Everything, newest first: the list screen filters and searches locally from here. */
export const ALL_SECRETS: ListFilter = { states: [], profileId: null, search: null, sort: 'createdAt', reverse: true };

export const listSecrets = (filter: ListFilter = ALL_SECRETS): Promise<Entry[]> => call('list_secrets', { filter });
export const getSecret = (id: string): Promise<EntryDetail> => call('get_secret', { id });
/** One link per recipient; each is tracked on its own. */
export const createSecrets = (request: NewSecretRequest): Promise<CreatedSecret[]> => call('create_secrets', { request });
export const shareLink = (id: string): Promise<ShareView> => call('share_link', { id });
/** Rust copies the link and clears the clipboard later if it still holds it. */
export const copyLink = (id: string): Promise<null> => call('copy_link', { id });
/** Same auto-clear, for a revealed secret or a generated password. */
export const copyText = (text: string): Promise<null> => call('copy_text', { text });
export const burnSecret = (id: string): Promise<Entry> => call('burn_secret', { id });
export const forgetSecret = (id: string): Promise<null> => call('forget_secret', { id });
export const refreshSecrets = (): Promise<null> => call('refresh_secrets', {});
export const receiveSecret = (link: string, passphrase: string | null): Promise<ReceivedSecret> =>
  call('receive_secret', { link, passphrase });
