//! The relay panel: switch, address, tokens for colleagues, access log.

use std::net::IpAddr;

use hushlink_relay::{AccessLogEntry, AccessLogFilter, TokenSummary};
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::relay::{self, NetworkInterface, RelayPanelStatus, RelaySwitch};

/// A token just issued: the only time its text is shown. Field names follow
/// [`TokenSummary`], whose fields it repeats.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NewToken {
    /// Public id, used to revoke it.
    pub id: String,
    /// Who it is for; also the HTTP Basic user name.
    pub name: String,
    /// The token for the colleague's app (HTTP Basic password). Never shown again.
    pub token: String,
    /// Unix seconds.
    #[ts(type = "number")]
    pub created_at: i64,
}

/// The relay panel as it is now.
#[tauri::command]
pub async fn relay_status(switch: State<'_, RelaySwitch>) -> CommandResult<RelayPanelStatus> {
    Ok(switch.panel().await)
}

/// Turns the relay on (on `bind`, an IP of this machine; default the first LAN address) or off.
#[tauri::command]
pub async fn set_relay(
    app: AppHandle,
    switch: State<'_, RelaySwitch>,
    enabled: bool,
    bind: Option<String>,
) -> CommandResult<RelayPanelStatus> {
    let panel = if enabled {
        let ip = bind
            .map(|text| {
                text.parse::<IpAddr>().map_err(|_| {
                    CommandError::new(
                        ErrorCode::InvalidInput,
                        format!("\"{text}\" is not an IP address of this computer."),
                    )
                })
            })
            .transpose()?;
        switch.start(ip).await.map_err(|error| {
            tracing::warn!(%error, "relay did not start");
            CommandError::new(
                ErrorCode::RelayFailed,
                format!("The relay could not start: {error}. Try another network interface."),
            )
        })?
    } else {
        switch.stop().await
    };
    crate::state::relay_switched(&app, &panel);
    Ok(panel)
}

/// The network interfaces the relay can listen on, LAN ones first.
#[tauri::command]
pub fn list_interfaces() -> Vec<NetworkInterface> {
    relay::interfaces()
}

async fn running(switch: &RelaySwitch) -> CommandResult<hushlink_relay::Relay> {
    switch.relay().await.ok_or_else(|| {
        CommandError::new(
            ErrorCode::RelayOff,
            "Turn the relay on first; tokens and the access log live in it.",
        )
    })
}

fn relay_fault(error: hushlink_relay::Error) -> CommandError {
    tracing::error!(%error, "relay operation failed");
    CommandError::new(
        ErrorCode::Internal,
        "The relay could not do that; details are in the log.",
    )
}

/// Issues an API token for a colleague's Hushlink (or any Onetime client).
#[tauri::command]
pub async fn create_token(switch: State<'_, RelaySwitch>, name: String) -> CommandResult<NewToken> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CommandError::new(
            ErrorCode::InvalidInput,
            "Give the token a name, e.g. the colleague it is for.",
        ));
    }
    let issued = running(&switch)
        .await?
        .tokens()
        .issue(name)
        .await
        .map_err(relay_fault)?;
    Ok(NewToken {
        id: issued.summary.id,
        name: issued.summary.name,
        token: issued.token.expose().to_owned(),
        created_at: issued.summary.created_at,
    })
}

/// Lists tokens (never their text).
#[tauri::command]
pub async fn list_tokens(switch: State<'_, RelaySwitch>) -> CommandResult<Vec<TokenSummary>> {
    running(&switch)
        .await?
        .tokens()
        .list()
        .await
        .map_err(relay_fault)
}

/// Revokes a token at once.
#[tauri::command]
pub async fn revoke_token(switch: State<'_, RelaySwitch>, id: String) -> CommandResult<()> {
    let revoked = running(&switch)
        .await?
        .tokens()
        .revoke(&id)
        .await
        .map_err(relay_fault)?;
    if revoked {
        Ok(())
    } else {
        Err(CommandError::new(
            ErrorCode::NotFound,
            "That token does not exist or was already revoked.",
        ))
    }
}

/// The access log, newest first (never any content).
#[tauri::command]
pub async fn access_log(
    switch: State<'_, RelaySwitch>,
    filter: AccessLogFilter,
) -> CommandResult<Vec<AccessLogEntry>> {
    running(&switch)
        .await?
        .access_log()
        .query(filter)
        .await
        .map_err(relay_fault)
}
