// The app's own LAN relay.
import type { AccessLogEntry } from '../bindings/AccessLogEntry';
import type { AccessLogFilter } from '../bindings/AccessLogFilter';
import type { TokenSummary } from '../bindings/TokenSummary';
import { call } from './ipc';
import type { NetworkInterface } from '../bindings/NetworkInterface';
import type { NewToken } from '../bindings/NewToken';
import type { RelayPanelStatus } from '../bindings/RelayPanelStatus';

export const relayStatus = (): Promise<RelayPanelStatus> => call('relay_status', {});
/** `bind` null keeps the current interface. */
export const setRelay = (enabled: boolean, bind: string | null): Promise<RelayPanelStatus> =>
  call('set_relay', { enabled, bind });
export const listInterfaces = (): Promise<NetworkInterface[]> => call('list_interfaces', {});
/** The token in the answer is shown once and never again. */
export const createToken = (name: string): Promise<NewToken> => call('create_token', { name });
export const listTokens = (): Promise<TokenSummary[]> => call('list_tokens', {});
export const revokeToken = (id: string): Promise<null> => call('revoke_token', { id });
export const accessLog = (filter: AccessLogFilter): Promise<AccessLogEntry[]> => call('access_log', { filter });
