// The app's own office relay.
import type { AccessLogFilter } from '../bindings/AccessLogFilter';
import type { ActivityLine } from '../bindings/ActivityLine';
import type { TokenSummary } from '../bindings/TokenSummary';
import { call } from './ipc';
import type { NetworkInterface } from '../bindings/NetworkInterface';
import type { NewToken } from '../bindings/NewToken';
import type { RelayPanelStatus } from '../bindings/RelayPanelStatus';

export const relayStatus = (): Promise<RelayPanelStatus> => call('relay_status', {});
/** On or off. `iface` (a `NetworkInterface.name`) and `port` null keep the saved ones; both
 *  are saved. A busy port fails with code `relay_port_busy`, and the status's `problem` then
 *  offers a free one. Another relay on the app's relay data (the headless `hushlink-relay`)
 *  fails with `relay_data_dir_in_use`, and the `problem` says so. */
export const setRelay = (enabled: boolean, iface: string | null, port: number | null = null): Promise<RelayPanelStatus> =>
  call('set_relay', { enabled, interface: iface, port });
export const listInterfaces = (): Promise<NetworkInterface[]> => call('list_interfaces', {});
/** The token in the answer is shown once and never again. A name that is taken or not
 *  allowed fails with `invalid_input` and the relay's sentence as the message. */
export const createToken = (name: string): Promise<NewToken> => call('create_token', { name });
export const listTokens = (): Promise<TokenSummary[]> => call('list_tokens', {});
export const revokeToken = (id: string): Promise<null> => call('revoke_token', { id });
/** The activity log, newest first, told by the user's labels and colleagues' token names. */
export const accessLog = (filter: AccessLogFilter): Promise<ActivityLine[]> => call('access_log', { filter });
