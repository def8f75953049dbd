//! Integration tests of the relay: one binary (link time on two cores), one module per area.

mod common;
mod compat;
mod ops;
