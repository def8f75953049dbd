// The app's own office relay.
import type { ActivityFilter } from '../bindings/ActivityFilter';
import type { ActivityLine } from '../bindings/ActivityLine';
import type { NewInvite } from '../bindings/NewInvite';
import type { RelayInvite } from '../bindings/RelayInvite';
import type { RelayToken } from '../bindings/RelayToken';
import { call } from './ipc';
import type { NetworkInterface } from '../bindings/NetworkInterface';
import type { NewToken } from '../bindings/NewToken';
import type { RelayPanelStatus } from '../bindings/RelayPanelStatus';

export const relayStatus = (): Promise<RelayPanelStatus> => call('relay_status', {});
/** On or off. `iface` (a `NetworkInterface.name`), `port` and `httpsPort` null keep the saved
 *  ones; all are saved. A busy port (either) fails with code `relay_port_busy`, and the
 *  status's `problem` (`relay_port_busy` or `relay_https_port_busy`) then offers a free one.
 *  Another relay on the app's relay data (the headless `hushlink-relay`) fails with
 *  `relay_data_dir_in_use`, and the `problem` says so. */
export const setRelay = (
  enabled: boolean,
  iface: string | null,
  port: number | null = null,
  httpsPort: number | null = null,
): Promise<RelayPanelStatus> =>
  // The HTTPS port is sent only when chosen (the command takes a missing one as "saved").
  call('set_relay', httpsPort === null ? { enabled, interface: iface, port } : { enabled, interface: iface, port, httpsPort });
export const listInterfaces = (): Promise<NetworkInterface[]> => call('list_interfaces', {});
/** The token in the answer is shown once and never again. A name that is taken or not
 *  allowed fails with `invalid_input` and the relay's sentence as the message. */
export const createToken = (name: string): Promise<NewToken> => call('create_token', { name });
/** Tokens with when each was last used (`lastUsedAt` null: not recently, or never). */
export const listTokens = (): Promise<RelayToken[]> => call('list_tokens', {});
export const revokeToken = (id: string): Promise<null> => call('revoke_token', { id });
/** The activity log, newest first, told by the user's labels and colleagues' token names. */
export const accessLog = (filter: ActivityFilter): Promise<ActivityLine[]> => call('access_log', { filter });
/** A one-time invite (24 h) for a colleague: a new token named `name`, sealed in a link that
 *  is in this answer only. A taken or refused name fails with `invalid_input`. */
export const createInvite = (name: string): Promise<NewInvite> => call('create_invite', { name });
/** Pending and recently finished invites, oldest first. */
export const listInvites = (): Promise<RelayInvite[]> => call('list_invites', {});
/** Withdraws a pending invite and revokes its token; `not_found` once it is not pending. */
export const withdrawInvite = (id: string): Promise<null> => call('withdraw_invite', { id });
