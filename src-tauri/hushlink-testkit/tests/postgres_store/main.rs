//! The relay's PostgreSQL schema and statements (`hushlink-relay/src/store_pg`) against a
//! real server, with many connections at once standing in for many relay instances: the
//! migrations run once, and each guarantee of issue 18 holds under concurrency (a reveal
//! exactly once, passphrase attempts counted across connections, burn against reveal,
//! sweeps sharing work, quotas, one live token per name, an invite accepted once).
//!
//! Until the relay declares `store_pg` (issue 18, phase 2), these files are compiled here by
//! path: they use only `tokio_postgres`. Once the relay's own tests run its engine on
//! PostgreSQL, this file moves there.

#[path = "../../../hushlink-relay/src/store_pg/schema.rs"]
#[allow(dead_code)]
mod schema;
#[path = "../../../hushlink-relay/src/store_pg/sql.rs"]
#[allow(dead_code)]
mod sql;

mod admin;
mod secrets;
mod support;
