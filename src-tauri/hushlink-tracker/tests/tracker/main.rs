//! Integration tests of the tracker: against the real relay on 127.0.0.1:0, against a
//! fixture server that answers as hosted Onetime does, across restarts and outages, and
//! with the real Secret Service when the test session provides one, and a colleague's relay
//! imported from an invite and pinned to its certificate.

mod budget;
mod common;
mod connection;
mod fixtures;
mod invites;
mod keyring;
mod lifecycle;
mod outage;
mod replay;
mod restart;
mod sender_note;
