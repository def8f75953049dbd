//! `--database` (`HUSHLINK_DATABASE`, `database = "..."` in the file): the PostgreSQL
//! database several relay instances share (issue 18, `docs/postgres.md`). Without it the
//! relay keeps its SQLite file in `data_dir`, as before.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

/// A `postgres://` (or `postgresql://`) URL. It usually holds a password, so `Debug` shows
/// only the scheme.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The URL as given, for the driver. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Self(text.to_owned()))
        } else {
            Err("the database is a postgres:// URL; leave it out to keep SQLite in the data directory".into())
        }
    }
}

impl TryFrom<String> for DatabaseUrl {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseUrl(postgres://…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_postgres_urls_and_never_their_password_in_debug() {
        let url: DatabaseUrl = "postgres://relay:hunter2@db.lan/hushlink?sslmode=require"
            .parse()
            .unwrap();
        assert!(!format!("{url:?}").contains("hunter2"));
        assert_eq!(
            url.expose(),
            "postgres://relay:hunter2@db.lan/hushlink?sslmode=require"
        );
        assert!("sqlite:/var/lib/relay".parse::<DatabaseUrl>().is_err());
    }
}
