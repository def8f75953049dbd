//! Integration tests of the relay: one binary (link time on two cores), one module per area.

#[cfg(unix)]
mod admin;
mod at_rest;
mod at_rest_keys;
mod at_rest_wal;
mod attack_browser;
mod attack_loopback;
mod attack_page_views;
mod attack_quotas;
mod attack_recent;
mod attack_slow;
mod attacks;
mod bad_input;
mod compat;
mod compat_auth;
mod concurrency;
mod conformance;
mod crash;
#[cfg(unix)]
mod invite_cli;
mod invites;
mod ops;
mod ops_log;
mod parsing;
mod pg_admin;
mod pg_common;
mod pg_health;
mod pg_migrate;
mod pg_pool;
mod pg_processes;
mod pg_processes_faults;
mod pg_schema;
mod pg_suite;
mod support;
mod tls;
#[cfg(unix)]
mod tls_pin;
mod v2;
mod v2_continue;
