// Server profiles. Tokens go to the keyring in Rust and never come back to the UI.
import type { Profile } from '../bindings/Profile';
import type { ProfileInput } from '../bindings/ProfileInput';
import { call } from './ipc';
import type { ConnectionCheck } from '../bindings/ConnectionCheck';

export const listProfiles = (): Promise<Profile[]> => call('list_profiles', {});
/** `id` null adds a profile; `token` null keeps the stored one (or none). */
export const saveProfile = (input: ProfileInput, id: string | null, token: string | null): Promise<Profile> =>
  call('save_profile', { input, id, token });
export const deleteProfile = (id: string): Promise<null> => call('delete_profile', { id });
export const checkProfile = (id: string): Promise<ConnectionCheck> => call('check_profile', { id });
export const setDefaultProfile = (id: string): Promise<null> => call('set_default_profile', { id });
