//! `hushlink-relay token create|list|revoke` and `hushlink-relay invite NAME`: what each
//! command asks, where it is carried out (the running relay, or the store when none runs;
//! with `--database`, the shared PostgreSQL database itself), and what it prints.

use std::path::Path;
use std::time::Duration;

use super::client::{permission_denied, AdminClient};
use super::error::AdminError;
use super::lock::DataDirLock;
use super::protocol::{AdminRequest, AdminResponse, TokenListing};
use super::server::answer;
use super::socket_path;
use super::users::{effective_uid, owner_of, user_name};
use crate::clock::Clock;
use crate::config::RelayConfig;
use crate::headless::invite::InviteCommand;
use crate::headless::DatabaseUrl;
use crate::headless::TokenCommand;
use crate::invites::InviteAddress;
use crate::operations::Relay;

/// The database file in the data directory (as [`Relay::open`] names it).
const DB_FILE_NAME: &str = "relay.sqlite3";

/// How long a command waits for a relay that holds the data directory but has not bound its
/// admin socket yet (it is opening its store).
const STARTING_RELAY_WAIT: Duration = Duration::from_secs(5);
/// Pause between two looks at such a relay.
const STARTING_RELAY_POLL: Duration = Duration::from_millis(100);

impl TokenCommand {
    fn request(&self) -> AdminRequest {
        match self {
            Self::Create { name } => AdminRequest::TokenCreate { name: name.clone() },
            Self::List => AdminRequest::TokenList,
            Self::Revoke { name } => AdminRequest::TokenRevoke { name: name.clone() },
        }
    }
}

impl InviteCommand {
    fn request(&self, address: InviteAddress) -> AdminRequest {
        AdminRequest::InviteCreate {
            name: self.name.clone(),
            ttl_secs: self.ttl,
            address,
        }
    }
}

/// Runs `command` for the relay whose data directory is `config.data_dir`: through its
/// admin socket when a relay runs there, else on the store itself (holding the directory's
/// lock). Returns what to print on stdout.
pub async fn run_token_command(
    config: RelayConfig,
    command: &TokenCommand,
) -> Result<String, AdminError> {
    run(config, command.request()).await
}

/// Runs `hushlink-relay invite NAME` like [`run_token_command`]; `address` is where the invite
/// says the relay is ([`crate::headless::Headless::invite_address`]). The link is alone on the
/// last line of what to print.
pub async fn run_invite_command(
    config: RelayConfig,
    command: &InviteCommand,
    address: InviteAddress,
) -> Result<String, AdminError> {
    run(config, command.request(address)).await
}

/// Runs `command` on the shared PostgreSQL database at `database` itself (`--database`):
/// instances have no admin socket in common, and none is needed, since every instance
/// reloads its tokens within a second of a change to the table (`NOTIFY`). The data
/// directory is not touched.
pub async fn run_token_command_on(
    config: RelayConfig,
    database: &DatabaseUrl,
    command: &TokenCommand,
) -> Result<String, AdminError> {
    on_database(config, database, command.request()).await
}

/// Runs `hushlink-relay --database URL invite NAME` like [`run_token_command_on`].
pub async fn run_invite_command_on(
    config: RelayConfig,
    database: &DatabaseUrl,
    command: &InviteCommand,
    address: InviteAddress,
) -> Result<String, AdminError> {
    on_database(config, database, command.request(address)).await
}

async fn on_database(
    config: RelayConfig,
    database: &DatabaseUrl,
    request: AdminRequest,
) -> Result<String, AdminError> {
    let relay = Relay::open_on_postgres(config, Clock::system(), database.expose()).await?;
    render(answer(&relay, request).await)
}

async fn run(config: RelayConfig, request: AdminRequest) -> Result<String, AdminError> {
    let socket = socket_path(&config.data_dir);
    let response = match AdminClient::connect(&socket).await? {
        Some(mut relay) => relay.request(&request).await?,
        None => without_relay(config, &request, &socket).await?,
    };
    render(response)
}

/// No relay answered: work on the store, unless a relay is starting up on it.
async fn without_relay(
    config: RelayConfig,
    request: &AdminRequest,
    socket: &Path,
) -> Result<AdminResponse, AdminError> {
    let dir = config.data_dir.clone();
    if let Some(owner) = owner_of(&dir) {
        if owner != effective_uid() {
            // Files this user created (the WAL, a new lock) would lock the owner's relay out.
            return Err(AdminError::NotOwner {
                dir,
                owner: user_name(owner),
            });
        }
    }
    let creates = matches!(
        request,
        AdminRequest::TokenCreate { .. } | AdminRequest::InviteCreate { .. }
    );
    if !creates && !dir.join(DB_FILE_NAME).exists() {
        return Err(AdminError::NoDatabase(dir));
    }
    let deadline = tokio::time::Instant::now() + STARTING_RELAY_WAIT;
    let _lock = loop {
        match DataDirLock::try_acquire(&dir) {
            Ok(Some(lock)) => break lock,
            Ok(None) => {}
            Err(AdminError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                return Err(permission_denied(socket));
            }
            Err(err) => return Err(err),
        }
        // A relay holds the directory; until its socket answers it is still starting.
        if let Some(mut relay) = AdminClient::connect(socket).await? {
            return relay.request(request).await;
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(AdminError::Busy { dir });
        }
        tokio::time::sleep(STARTING_RELAY_POLL).await;
    };
    let relay = Relay::open(config).await?;
    Ok(answer(&relay, request.clone()).await)
}

/// stdout of a successful command; a failure becomes an [`AdminError`].
fn render(response: AdminResponse) -> Result<String, AdminError> {
    match response {
        AdminResponse::TokenCreated { summary, token } => Ok(format!(
            "Token for {name} (id {id}). This is the only time it is shown: give it to {name}, \
             whose HTTP Basic user name is {name:?}.\n{token}\n",
            name = summary.name,
            id = summary.id,
            token = token.expose(),
        )),
        AdminResponse::Tokens { tokens } => Ok(table(&tokens)),
        AdminResponse::TokenRevoked { name, count: 1 } => Ok(format!(
            "Revoked the token named {name:?}; the relay refuses it from the next request on.\n"
        )),
        AdminResponse::TokenRevoked { name, count } => Ok(format!(
            "Revoked {count} tokens named {name:?}; the relay refuses them from the next request on.\n"
        )),
        AdminResponse::InviteCreated { summary, link } => Ok(format!(
            "Invite for {name} (token id {token}), valid until {until}. It works once: give it \
             to {name} only, to paste into Hushlink (Add a server, then Paste an invite). \
             Withdraw it with: hushlink-relay token revoke {name:?}\n{link}\n",
            name = summary.name,
            token = summary.token_id,
            until = utc(summary.expires_at),
            link = link.expose(),
        )),
        AdminResponse::Error { code, message } => Err(AdminError::Remote { code, message }),
    }
}

/// The `token list` table: aligned columns, times in UTC, nothing secret.
fn table(tokens: &[TokenListing]) -> String {
    if tokens.is_empty() {
        return "No tokens yet. Issue one with: hushlink-relay token create NAME\n".to_owned();
    }
    let header = ["NAME", "CREATED", "LAST USED", "STATUS"].map(str::to_owned);
    let rows: Vec<[String; 4]> = tokens
        .iter()
        .map(|t| {
            [
                t.summary.name.clone(),
                utc(t.summary.created_at),
                t.last_used_at.map_or_else(|| "-".to_owned(), utc),
                t.summary
                    .revoked_at
                    .map_or_else(|| "active".to_owned(), |at| format!("revoked {}", utc(at))),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn utc(unix_secs: i64) -> String {
    let (date, clock) = crate::web::time::utc_parts(unix_secs);
    format!("{date} {} UTC", &clock[..5])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::TokenSummary;

    fn listing(name: &str, revoked_at: Option<i64>, last_used_at: Option<i64>) -> TokenListing {
        TokenListing {
            summary: TokenSummary {
                id: "0a1b2c3d4e5f".into(),
                name: name.into(),
                created_at: 1_800_000_000,
                revoked_at,
            },
            last_used_at,
        }
    }

    #[test]
    fn the_table_aligns_columns_and_shows_status() {
        let text = table(&[
            listing("alice", None, Some(1_800_003_600)),
            listing("bob@office", Some(1_800_007_200), None),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("NAME        CREATED"), "{text}");
        assert_eq!(
            lines[1],
            "alice       2027-01-15 08:00 UTC  2027-01-15 09:00 UTC  active"
        );
        assert_eq!(
            lines[2],
            "bob@office  2027-01-15 08:00 UTC  -                     revoked 2027-01-15 10:00 UTC"
        );
        assert!(!text.contains("0a1b2c"), "ids are not needed to revoke");
    }

    #[test]
    fn a_created_token_is_alone_on_the_last_line() {
        let out = render(AdminResponse::TokenCreated {
            summary: listing("alice", None, None).summary,
            token: "the-token".into(),
        })
        .unwrap();
        assert_eq!(out.lines().last(), Some("the-token"));
        assert_eq!(out.matches("the-token").count(), 1, "printed once: {out}");
    }

    #[test]
    fn an_invite_link_is_alone_on_the_last_line_with_how_to_withdraw_it() {
        let link = "http://10.0.0.5:7143/invite/0123456789abcdefghij#frag";
        let out = render(AdminResponse::InviteCreated {
            summary: crate::invites::InviteSummary {
                id: "a1b2c3d4e5f6".into(),
                name: "alice".into(),
                token_id: "0a1b2c3d4e5f".into(),
                created_at: 1_800_000_000,
                expires_at: 1_800_086_400,
                state: crate::invites::InviteState::Pending,
                finished_at: None,
                accepted_from: None,
            },
            link: link.into(),
        })
        .unwrap();
        assert_eq!(out.lines().last(), Some(link));
        assert_eq!(out.matches("#frag").count(), 1, "printed once: {out}");
        assert!(out.contains("2027-01-16 08:00 UTC"), "until when: {out}");
        assert!(
            out.contains("token revoke \"alice\""),
            "how to withdraw: {out}"
        );
    }
}
