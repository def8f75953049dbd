// Joining a colleague's relay: an invite becomes a pinned server profile in one step, and
// relays announced on this network are listed. The invite's token goes from Rust straight
// to the keyring; it never comes back to the UI.
import type { NearbyRelay } from '../bindings/NearbyRelay';
import type { Profile } from '../bindings/Profile';
import { call } from './ipc';

/** Uses the invite up (once), creates its relay's profile, keeps the token in the keyring and
 *  makes the profile the default. Fails with `invite_used`, `invite_expired`,
 *  `invite_withdrawn`, `invite_link_invalid`, `invite_not_found`, `invite_undecryptable`,
 *  `invite_without_tls`, `server_unreachable`, `keyring_unavailable`. */
export const importInvite = (link: string): Promise<Profile> => call('import_invite', { link });

/** Relays that announced themselves nearby (a look of about two seconds). Being listed grants
 *  nothing: an invite is what gives access. */
export const findRelays = (): Promise<NearbyRelay[]> => call('find_relays', {});
