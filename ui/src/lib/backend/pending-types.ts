// Boundary types the Rust side has not generated yet. Each one is a promise to the lead
// engineer: generate a Rust twin with this exact name and shape (ts-rs), then delete it here
// and import it from `../bindings/` instead.
import type { AccessLogEntry } from '../bindings/AccessLogEntry';
import type { AppEvent } from '../bindings/AppEvent';

// TODO(generated): replace with bindings/AppEvent once it has this variant:
//   AccessLogged { entry: hushlink_relay::AccessLogEntry }  =>  { type: 'accessLogged', entry }
// (a line of the relay's access log, pushed as it is written, for the Relay screen's live log).
/** Every event on `hushlink://event`: the generated ones plus those still to come. */
export type HushlinkEvent = AppEvent | { type: 'accessLogged'; entry: AccessLogEntry };
