//! The relay panel: switch, network and port, tokens for colleagues, the activity log.

use hushlink_tracker::profiles::LOCAL_RELAY_ID;
use hushlink_tracker::{ListFilter, Tracker};
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::relay::activity::{ActivityFilter, ActivityLine, OwnSecrets};
use crate::relay::invites::{NewInvite, RelayInvite, RelayToken};
use crate::relay::{self, NetworkInterface, RelayPanelStatus, RelaySwitch, SwitchError};
use crate::startup::TrackerState;

/// A token just issued: the only time its text is shown.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewToken {
    /// Public id, used to revoke it.
    pub id: String,
    /// Who it is for; also the HTTP Basic user name.
    pub name: String,
    /// The token for the colleague's app (HTTP Basic password). Never shown again.
    pub token: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created_at: i64,
}

/// The relay panel as it is now.
#[tauri::command]
pub async fn relay_status(switch: State<'_, RelaySwitch>) -> CommandResult<RelayPanelStatus> {
    Ok(switch.panel().await)
}

/// Turns the relay on or off. On: on `interface` (a name from `list_interfaces`; default the
/// saved one, else the one holding the default route), `port` and `https_port` (default the
/// saved ones); all are saved. A taken port (either) fails with `relay_port_busy` and the
/// panel's `problem` (`relay_port_busy` or `relay_https_port_busy`) offers a free one: the
/// relay never moves by itself. Another relay on the app's relay
/// directory (the headless `hushlink-relay`) fails with `relay_data_dir_in_use`, and the
/// panel's `problem` says so.
#[tauri::command]
pub async fn set_relay(
    app: AppHandle,
    switch: State<'_, RelaySwitch>,
    enabled: bool,
    interface: Option<String>,
    port: Option<u16>,
    https_port: Option<u16>,
) -> CommandResult<RelayPanelStatus> {
    if port == Some(0) || https_port == Some(0) {
        return Err(CommandError::new(
            ErrorCode::InvalidPort,
            "the relay was asked for port 0",
        ));
    }
    let panel = if enabled {
        match switch.start_with_https(interface, port, https_port).await {
            Ok(panel) => panel,
            Err(error) => {
                // The tray and the panel show the problem too.
                crate::actions::relay_switched(&app, &switch.panel().await);
                return Err(start_error(error));
            }
        }
    } else {
        switch.stop().await
    };
    crate::actions::relay_switched(&app, &panel);
    Ok(panel)
}

fn start_error(error: SwitchError) -> CommandError {
    tracing::warn!(%error, "relay did not start");
    match error {
        SwitchError::PortBusy { port } => CommandError::new(
            ErrorCode::RelayPortBusy,
            format!(
                "Port {port} is used by another program on this computer, so the relay did not \
                 start. Choose another port, or try again once that program has stopped."
            ),
        ),
        SwitchError::HttpsPortBusy { port } => CommandError::new(
            ErrorCode::RelayPortBusy,
            format!(
                "Port {port}, where colleagues' apps connect securely, is used by another \
                 program on this computer, so the relay did not start. Choose another port, or \
                 try again once that program has stopped."
            ),
        ),
        SwitchError::SamePort { port } => CommandError::new(
            ErrorCode::RelaySamePort,
            format!("The relay needs two different ports; {port} is given for both."),
        )
        .with_port(port),
        SwitchError::DataDirInUse { .. } => CommandError::new(
            ErrorCode::RelayDataDirInUse,
            "Another Hushlink relay is already running with this app's relay data, probably \
             hushlink-relay started in a terminal or as a service. Stop it, then switch the \
             relay on again.",
        ),
        // Says where the certificate is and how to recover; "another network" would not help.
        SwitchError::Relay(error @ hushlink_relay::Error::TlsIdentity { .. }) => {
            CommandError::new(ErrorCode::RelayFailed, sentence(&error.to_string()))
        }
        SwitchError::NoInterface { interface } => CommandError::new(
            ErrorCode::RelayFailed,
            format!("The network \"{interface}\" is not connected. Choose another network."),
        ),
        other => CommandError::new(
            ErrorCode::RelayFailed,
            format!("The relay could not start: {other}. Try another network."),
        ),
    }
}

/// The network interfaces the relay can listen on, named for a person, the default first.
#[tauri::command]
pub fn list_interfaces() -> Vec<NetworkInterface> {
    relay::interfaces::scan()
}

async fn running(switch: &RelaySwitch) -> CommandResult<hushlink_relay::Relay> {
    switch.relay().await.ok_or_else(relay_off)
}

fn relay_off() -> CommandError {
    CommandError::new(
        ErrorCode::RelayOff,
        "Turn the relay on first; tokens, invites and the access log live in it.",
    )
}

fn relay_fault(error: hushlink_relay::Error) -> CommandError {
    tracing::error!(%error, "relay operation failed");
    CommandError::new(
        ErrorCode::Internal,
        "The relay could not do that; details are in the log.",
    )
}

/// A refused token name is the person's to fix, with a code of its own (and the name the
/// words repeat); anything else is a fault. The relay's sentence stays the log's.
fn token_error(error: hushlink_relay::Error) -> CommandError {
    // A token's name is the owner's label for a colleague, not secret.
    tracing::info!(%error, "token name refused");
    match error {
        hushlink_relay::Error::TokenName => {
            CommandError::new(ErrorCode::TokenNameInvalid, sentence(&error.to_string()))
        }
        hushlink_relay::Error::TokenNameTaken(ref name) => {
            CommandError::new(ErrorCode::TokenNameTaken, sentence(&error.to_string()))
                .with_name(name.clone())
        }
        other => relay_fault(other),
    }
}

/// The relay's lower-case message as a sentence: capital first letter, final full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Issues an API token for a colleague's Hushlink (or any Onetime client). A name that is
/// taken fails with `token_name_taken` (and the name), one not allowed with
/// `token_name_invalid`, none with `name_required`.
#[tauri::command]
pub async fn create_token(switch: State<'_, RelaySwitch>, name: String) -> CommandResult<NewToken> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CommandError::new(
            ErrorCode::NameRequired,
            "Give the token a name, e.g. the colleague it is for.",
        ));
    }
    let issued = running(&switch)
        .await?
        .tokens()
        .issue(name)
        .await
        .map_err(token_error)?;
    Ok(NewToken {
        id: issued.summary.id,
        name: issued.summary.name,
        token: issued.token.expose().to_owned(),
        created_at: crate::relay::unix_ms(issued.summary.created_at),
    })
}

/// Lists tokens (never their text), with when each was last used.
#[tauri::command]
pub async fn list_tokens(switch: State<'_, RelaySwitch>) -> CommandResult<Vec<RelayToken>> {
    let relay = running(&switch).await?;
    crate::relay::invites::tokens(&relay)
        .await
        .map_err(relay_fault)
}

/// Invites a colleague: a new token named `name` and a one-time link (valid 24 hours) that
/// carries it, sealed, with the relay's address, HTTPS port and certificate fingerprint.
/// The link is in this answer only. A name fails as in [`create_token`]; `relay_off` when
/// the relay is off.
#[tauri::command]
pub async fn create_invite(
    switch: State<'_, RelaySwitch>,
    name: String,
) -> CommandResult<NewInvite> {
    invite(&switch, &name).await
}

/// [`create_invite`] on a switch (the command's whole body; tests call it directly).
pub async fn invite(switch: &RelaySwitch, name: &str) -> CommandResult<NewInvite> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CommandError::new(
            ErrorCode::NameRequired,
            "Give the invite a name, e.g. the colleague it is for.",
        ));
    }
    let (relay, address) = switch.invite_address().await.ok_or_else(relay_off)?;
    let created = relay
        .create_invite(name, None, &address)
        .await
        .map_err(token_error)?;
    let link = created.link.expose();
    Ok(NewInvite {
        invite: RelayInvite::from(created.summary),
        qr_svg: crate::qr::svg(&link).ok(),
        link,
    })
}

/// Every invite the relay keeps, oldest first: pending ones (which can be withdrawn) and
/// recently finished ones.
#[tauri::command]
pub async fn list_invites(switch: State<'_, RelaySwitch>) -> CommandResult<Vec<RelayInvite>> {
    let invites = running(&switch)
        .await?
        .list_invites()
        .await
        .map_err(relay_fault)?;
    Ok(invites.into_iter().map(RelayInvite::from).collect())
}

/// Withdraws a pending invite and revokes its token; `not_found` if it is no longer
/// pending (used, withdrawn, expired).
#[tauri::command]
pub async fn withdraw_invite(switch: State<'_, RelaySwitch>, id: String) -> CommandResult<()> {
    let withdrawn = running(&switch)
        .await?
        .withdraw_invite(&id)
        .await
        .map_err(relay_fault)?;
    if withdrawn {
        Ok(())
    } else {
        Err(CommandError::new(
            ErrorCode::NotFound,
            "That invite was already used, withdrawn or expired.",
        ))
    }
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

/// The access log, newest first, told in terms of the user's own secrets (by label) and
/// colleagues' tokens (by name); never any content.
#[tauri::command]
pub async fn access_log(
    switch: State<'_, RelaySwitch>,
    trackers: State<'_, TrackerState>,
    filter: ActivityFilter,
) -> CommandResult<Vec<ActivityLine>> {
    let lines = running(&switch)
        .await?
        .access_log()
        .query(filter.into())
        .await
        .map_err(relay_fault)?;
    // While the keyring still opens the tracker, lines are told without labels.
    let own = match trackers.now() {
        Some(Ok(tracker)) if !lines.is_empty() => {
            // SQLite reads and one decryption per secret: off the async workers.
            tauri::async_runtime::spawn_blocking(move || own_secrets(&tracker))
                .await
                .unwrap_or_default()
        }
        _ => OwnSecrets::default(),
    };
    Ok(lines.into_iter().map(|line| own.describe(line)).collect())
}

/// The user's secrets on the app's relay, by the id the access log shows. All of them: an
/// expiry is logged when the sweeper gets to it, which may be long after (the relay was
/// off), and a primary-key read plus one small decryption each is cheap.
fn own_secrets(tracker: &Tracker) -> OwnSecrets {
    let filter = ListFilter {
        profile_id: Some(LOCAL_RELAY_ID.to_owned()),
        ..ListFilter::default()
    };
    let entries = match tracker.list(&filter) {
        Ok(entries) => entries,
        Err(error) => {
            tracing::warn!(%error, "could not list the relay's secrets for its log");
            return OwnSecrets::default();
        }
    };
    OwnSecrets::from_links(entries.into_iter().filter_map(|entry| {
        let link = tracker.share_link(&entry.id).ok()?;
        Some((entry.id, entry.label, link))
    }))
}

#[cfg(test)]
#[path = "relay_invite_tests.rs"]
mod invite_tests;

#[cfg(test)]
#[path = "relay_tests.rs"]
mod tests;
