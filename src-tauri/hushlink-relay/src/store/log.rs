//! SQL for the access log.

use std::cell::RefCell;

use rusqlite::{params, Connection, OptionalExtension};

use crate::access_log::{AccessAction, AccessLogEntry, AccessLogFilter, Client};
use crate::error::Result;

/// Largest page [`query`] returns.
const MAX_LINES: u32 = 1_000;

/// A line to insert.
#[derive(Clone, Debug)]
pub struct LogLine {
    at: i64,
    action: AccessAction,
    key_id: Option<String>,
    client_ip: Option<String>,
    user_agent: Option<String>,
    token_name: Option<String>,
    /// The secret was not created with a token, so there is no token name to look up.
    tokenless: bool,
}

impl LogLine {
    /// A line from its parts.
    pub fn new(
        at: i64,
        action: AccessAction,
        key_id: Option<String>,
        client_ip: Option<String>,
        user_agent: Option<String>,
    ) -> Self {
        Self {
            at,
            action,
            key_id,
            client_ip,
            user_agent,
            token_name: None,
            tokenless: false,
        }
    }

    /// A line about the secret `key_id`, caused by `client`.
    pub fn by(at: i64, action: AccessAction, key_id: String, client: &Client) -> Self {
        Self::new(
            at,
            action,
            Some(key_id),
            client.logged_ip(),
            client.user_agent.clone(),
        )
    }

    /// The same line, naming the API token that created the secret.
    pub fn with_token_name(mut self, name: Option<String>) -> Self {
        self.token_name = name;
        self
    }

    /// The same line about a secret no API token created: [`insert`] does not look for
    /// the token's name in earlier lines.
    pub fn without_token(mut self) -> Self {
        self.tokenless = true;
        self
    }

    /// Unix seconds.
    pub(crate) fn at(&self) -> i64 {
        self.at
    }

    /// What happened.
    pub(crate) fn action(&self) -> AccessAction {
        self.action
    }

    /// The secret's log id.
    pub(crate) fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// The client's address as logged (none when addresses are not logged).
    pub(crate) fn client_ip(&self) -> Option<&str> {
        self.client_ip.as_deref()
    }

    /// The client's user agent.
    pub(crate) fn user_agent(&self) -> Option<&str> {
        self.user_agent.as_deref()
    }

    /// The creating token's name, given on `create` lines.
    pub(crate) fn token_name(&self) -> Option<&str> {
        self.token_name.as_deref()
    }

    /// The line as announced once committed, with the token name storage gave it.
    pub(crate) fn entry(&self, token_name: Option<String>) -> AccessLogEntry {
        AccessLogEntry {
            at: self.at,
            action: self.action,
            key_id: self.key_id.clone(),
            client_ip: self.client_ip.clone(),
            user_agent: self.user_agent.clone(),
            token_name,
        }
    }
}

thread_local! {
    /// Lines inserted by the current group commit on this (the writer's) thread, announced to
    /// subscribers only once the commit succeeded; see `store::run_writer`.
    static UNCOMMITTED: RefCell<Vec<AccessLogEntry>> = const { RefCell::new(Vec::new()) };
}

/// Appends a line.
pub fn insert(conn: &Connection, line: &LogLine) -> Result<()> {
    // Later lines about a token's secret name the token too (an indexed probe that finds
    // nothing for the app's and anonymous secrets).
    let token_name = match (&line.token_name, &line.key_id) {
        (Some(name), _) => Some(name.clone()),
        (None, Some(key_id)) if line.action != AccessAction::Create && !line.tokenless => conn
            .prepare_cached(
                "SELECT token_name FROM access_log WHERE key_id = ?1 AND token_name IS NOT NULL LIMIT 1",
            )?
            .query_row(params![key_id], |r| r.get(0))
            .optional()?,
        _ => None,
    };
    conn.prepare_cached(
        "INSERT INTO access_log (at, action, key_id, client_ip, user_agent, token_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![line.at, line.action.as_str(), line.key_id, line.client_ip, line.user_agent, token_name])?;
    UNCOMMITTED.with(|lines| {
        lines.borrow_mut().push(AccessLogEntry {
            at: line.at,
            action: line.action,
            key_id: line.key_id.clone(),
            client_ip: line.client_ip.clone(),
            user_agent: line.user_agent.clone(),
            token_name,
        });
    });
    Ok(())
}

/// How many lines the current batch has inserted so far (a mark to roll back to).
pub(crate) fn uncommitted_mark() -> usize {
    UNCOMMITTED.with(|lines| lines.borrow().len())
}

/// Forgets the lines of a job whose savepoint was rolled back.
pub(crate) fn forget_uncommitted_since(mark: usize) {
    UNCOMMITTED.with(|lines| lines.borrow_mut().truncate(mark));
}

/// Takes the batch's lines: to announce after a commit, or to drop after a failed one.
pub(crate) fn take_uncommitted() -> Vec<AccessLogEntry> {
    UNCOMMITTED.with(|lines| std::mem::take(&mut *lines.borrow_mut()))
}

/// Lines matching `filter`, newest first.
pub fn query(conn: &Connection, filter: &AccessLogFilter) -> Result<Vec<AccessLogEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, action, key_id, client_ip, user_agent, token_name FROM access_log
         WHERE (?1 IS NULL OR action = ?1) AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3)
         ORDER BY at DESC, id DESC LIMIT ?4",
    )?;
    let limit = filter.limit.unwrap_or(MAX_LINES).min(MAX_LINES);
    let rows = stmt.query_map(
        params![
            filter.action.map(AccessAction::as_str),
            filter.since,
            filter.until,
            limit
        ],
        |r| {
            let action: String = r.get(1)?;
            Ok((
                r.get::<_, i64>(0)?,
                action,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (at, action, key_id, client_ip, user_agent, token_name) = row?;
        // A line with an action this build does not know (a newer relay wrote it) is skipped.
        if let Some(action) = AccessAction::parse(&action) {
            out.push(AccessLogEntry {
                at,
                action,
                key_id,
                client_ip,
                user_agent,
                token_name,
            });
        }
    }
    Ok(out)
}
