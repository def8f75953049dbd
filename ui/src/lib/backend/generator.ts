// The password generator lives in Rust (OS randomness); the UI only asks.
import type { GeneratedPassword } from '../bindings/GeneratedPassword';
import type { GeneratorOptions } from '../bindings/GeneratorOptions';
import { call } from './ipc';

export const generatePassword = (options: GeneratorOptions): Promise<GeneratedPassword> =>
  call('generate_password', { options });
