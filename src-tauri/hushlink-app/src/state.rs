//! Moved: the relay switch's follow-up is [`crate::actions::relay_switched`], tracker events
//! are translated in [`crate::translate`], and the tray follows events itself.

pub use crate::actions::relay_switched;
