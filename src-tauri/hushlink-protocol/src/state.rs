//! Receipt and secret states (reference §6) and what each means to someone tracking a secret.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `state` field of a receipt or secret, as any server version sends it.
///
/// v1 wire values are `new`, `viewed`, `received`, `burned`, `expired`, `orphaned`; v2 adds
/// `shared`, `previewed` and `revealed` (the v1 names of the last two are `viewed` and
/// `received`). Anything else is kept verbatim in [`State::Unknown`] rather than failing the
/// whole response, so a future state cannot break status polling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum State {
    /// Created, not yet revealed. The only live state at HEAD.
    #[default]
    New,
    /// Legacy (≤ v0.23): the *creator* looked at the receipt. Does not mean read.
    Viewed,
    /// Revealed by the recipient; the secret is gone.
    Received,
    /// Burned by the creator before anyone read it; the secret is gone.
    Burned,
    /// The secret's TTL passed; set lazily when the receipt is fetched.
    Expired,
    /// The secret vanished for another reason.
    Orphaned,
    /// v2 name of a created secret that was shared; v1 says `new`.
    Shared,
    /// v2 name for a previewed (link opened, not revealed) secret; v1 says `viewed`.
    Previewed,
    /// v2 name of `received`.
    Revealed,
    /// A state this crate does not know (v2's `"unknown"` for an absent secret lands here).
    Unknown(String),
}

/// What a [`State`] means for the person who shared the secret (reference §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Still waiting to be read (`new`, `viewed`, `shared`, `previewed`).
    Unread,
    /// The recipient revealed it (`received`, `revealed`).
    Read,
    /// Never will be read: `burned`, `expired` or `orphaned`.
    Gone,
    /// The server sent a state this crate does not know.
    Unknown,
}

impl State {
    /// Every named state, for tests and exhaustive tables.
    pub const KNOWN: [State; 9] = [
        State::New,
        State::Viewed,
        State::Received,
        State::Burned,
        State::Expired,
        State::Orphaned,
        State::Shared,
        State::Previewed,
        State::Revealed,
    ];

    /// Parses a wire value; never fails.
    pub fn parse(wire: &str) -> Self {
        match wire {
            "new" => Self::New,
            "viewed" => Self::Viewed,
            "received" => Self::Received,
            "burned" => Self::Burned,
            "expired" => Self::Expired,
            "orphaned" => Self::Orphaned,
            "shared" => Self::Shared,
            "previewed" => Self::Previewed,
            "revealed" => Self::Revealed,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// The wire value this state was parsed from.
    pub fn as_str(&self) -> &str {
        match self {
            Self::New => "new",
            Self::Viewed => "viewed",
            Self::Received => "received",
            Self::Burned => "burned",
            Self::Expired => "expired",
            Self::Orphaned => "orphaned",
            Self::Shared => "shared",
            Self::Previewed => "previewed",
            Self::Revealed => "revealed",
            Self::Unknown(other) => other,
        }
    }

    /// The same state under its v1 name (`shared` → `new`, `previewed` → `viewed`,
    /// `revealed` → `received`); what a v1 server such as the relay must send.
    pub fn to_v1(&self) -> Self {
        match self {
            Self::Shared => Self::New,
            Self::Previewed => Self::Viewed,
            Self::Revealed => Self::Received,
            other => other.clone(),
        }
    }

    /// Read, unread, gone or unknown.
    pub fn phase(&self) -> Phase {
        match self {
            Self::New | Self::Viewed | Self::Shared | Self::Previewed => Phase::Unread,
            Self::Received | Self::Revealed => Phase::Read,
            Self::Burned | Self::Expired | Self::Orphaned => Phase::Gone,
            Self::Unknown(_) => Phase::Unknown,
        }
    }

    /// The recipient has revealed the secret.
    pub fn is_read(&self) -> bool {
        self.phase() == Phase::Read
    }

    /// Nobody has revealed the secret yet and it can still be revealed.
    pub fn is_unread(&self) -> bool {
        self.phase() == Phase::Unread
    }

    /// No further change can happen: read or gone. A poller stops polling here.
    pub fn is_terminal(&self) -> bool {
        matches!(self.phase(), Phase::Read | Phase::Gone)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = String::deserialize(deserializer)?;
        Ok(Self::parse(&wire))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_the_reference_table() {
        use Phase::*;
        let expected = [Unread, Unread, Read, Gone, Gone, Gone, Unread, Unread, Read];
        for (state, phase) in State::KNOWN.iter().zip(expected) {
            assert_eq!(state.phase(), phase, "{state}");
        }
        assert_eq!(State::parse("unknown").phase(), Phase::Unknown);
        assert!(
            !State::parse("unknown").is_terminal(),
            "unknown must keep a poller polling"
        );
    }

    #[test]
    fn v1_names_of_v2_states() {
        assert_eq!(State::Revealed.to_v1(), State::Received);
        assert_eq!(State::Previewed.to_v1(), State::Viewed);
        assert_eq!(State::Shared.to_v1(), State::New);
        assert_eq!(State::Burned.to_v1(), State::Burned);
    }
}
