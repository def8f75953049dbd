//! Integration tests of `hushlink-protocol`: one binary, a module per concern.

mod fixtures;
mod links;
mod roundtrip;
mod versions;
