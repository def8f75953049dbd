//! The relay side of the admin socket: [`AdminListener`] and [`serve_admin`].

use std::future::Future;
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use hushlink_protocol::SecretText;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::JoinSet;

use super::client::AdminClient;
use super::error::AdminError;
use super::protocol::{AdminErrorCode, AdminRequest, AdminResponse, TokenListing};
use super::users::{effective_uid, may_administer, user_name};
use super::MAX_LINE;
use crate::error::Error;
use crate::operations::Relay;

/// How long a connection may sit between requests before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long requests in flight may take to finish once shutdown begins.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// A bound admin socket, not yet serving. Bind it before announcing the relay (as the
/// headless binary does before its `listening on` line), so a command started right after
/// finds it. Dropping it removes the socket file, if it is still this one.
#[derive(Debug)]
pub struct AdminListener {
    listener: UnixListener,
    path: PathBuf,
    /// The relay's user: peers must be this user or root.
    owner: u32,
    /// Device and inode of the socket file, so drop removes only our own.
    file_id: (u64, u64),
}

impl AdminListener {
    /// Binds the socket at `path` (mode `0600`). A socket left by a relay that died is
    /// replaced; one that still answers is [`AdminError::AlreadyRunning`].
    pub async fn bind(path: &Path) -> Result<Self, AdminError> {
        let io = |source| AdminError::Io {
            path: path.to_owned(),
            source,
        };
        let dir = path.parent().unwrap_or(Path::new(".")).to_owned();
        if AdminClient::connect(path).await?.is_some() {
            return Err(AdminError::AlreadyRunning { dir });
        }
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_socket() => std::fs::remove_file(path).map_err(io)?,
            Ok(_) => {
                return Err(io(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "exists and is not a socket; remove it",
                )))
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(io(err)),
        }
        let listener = UnixListener::bind(path).map_err(io)?;
        // bind() applies the umask; the data directory (0700) already keeps others out while
        // the mode is narrowed, and every connection's credentials are checked regardless.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        let meta = std::fs::symlink_metadata(path).map_err(io)?;
        Ok(Self {
            listener,
            path: path.to_owned(),
            owner: effective_uid(),
            file_id: (meta.dev(), meta.ino()),
        })
    }

    /// The socket file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Answers requests with `relay` until `shutdown` completes; requests in flight then get
    /// a moment to finish.
    pub async fn serve(
        self,
        relay: Relay,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), AdminError> {
        let mut connections = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        connections.spawn(connection(relay.clone(), stream, self.owner));
                    }
                    Err(err) => {
                        // Out of descriptors, most likely; the next accept may succeed.
                        tracing::warn!(error = %err, "admin socket accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        Ok(())
    }
}

impl Drop for AdminListener {
    fn drop(&mut self) {
        let ours = std::fs::symlink_metadata(&self.path)
            .is_ok_and(|meta| (meta.dev(), meta.ino()) == self.file_id);
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Binds the admin socket at `path` and serves it until `shutdown` completes. The app can
/// serve one beside its relay this way (holding the directory's [`super::DataDirLock`]).
pub async fn serve_admin(
    relay: Relay,
    path: &Path,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), AdminError> {
    AdminListener::bind(path)
        .await?
        .serve(relay, shutdown)
        .await
}

/// One client: checks who it is, then answers its lines until it closes or idles.
async fn connection(relay: Relay, stream: UnixStream, owner: u32) {
    let peer = match stream.peer_cred() {
        Ok(cred) => cred.uid(),
        Err(err) => {
            tracing::debug!(error = %err, "admin peer credentials unavailable");
            return;
        }
    };
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    if !may_administer(peer, owner) {
        tracing::warn!(
            peer_uid = peer,
            "refused an admin connection from another user"
        );
        let refusal = AdminResponse::Error {
            code: AdminErrorCode::PermissionDenied,
            message: format!("permission denied: run as {} or root", user_name(owner)),
        };
        // Take the request before answering and closing, so the client reads the refusal
        // instead of failing to send into a closed socket.
        let _ = read_line(&mut reader, &mut line).await;
        let _ = write.write_all(&encode(&refusal)).await;
        return;
    }
    loop {
        line.clear();
        if read_line(&mut reader, &mut line).await.is_none() {
            return;
        }
        let too_long = !line.ends_with('\n');
        let response = if too_long {
            bad_request("the request line is too long".into())
        } else {
            match serde_json::from_str::<AdminRequest>(&line) {
                Ok(request) => answer(&relay, request).await,
                Err(err) => bad_request(format!("not a request this relay knows: {err}")),
            }
        };
        if write.write_all(&encode(&response)).await.is_err() || too_long {
            return;
        }
    }
}

/// Reads one line of at most [`MAX_LINE`] bytes and returns its length; `None` when the
/// client closed, idled past [`IDLE_TIMEOUT`] or sent something that is not UTF-8.
async fn read_line(
    reader: &mut BufReader<tokio::net::unix::OwnedReadHalf>,
    line: &mut String,
) -> Option<usize> {
    let limit = u64::try_from(MAX_LINE).unwrap_or(u64::MAX);
    match tokio::time::timeout(IDLE_TIMEOUT, reader.take(limit).read_line(line)).await {
        Ok(Ok(0)) | Ok(Err(_)) | Err(_) => None,
        Ok(Ok(read)) => Some(read),
    }
}

fn bad_request(message: String) -> AdminResponse {
    AdminResponse::Error {
        code: AdminErrorCode::BadRequest,
        message,
    }
}

fn encode(response: &AdminResponse) -> Vec<u8> {
    let mut line = serde_json::to_vec(response).unwrap_or_else(|err| {
        tracing::error!(error = %err, "encoding an admin answer failed");
        br#"{"result":"error","code":"internal","message":"encoding the answer failed"}"#.to_vec()
    });
    line.push(b'\n');
    line
}

/// Carries out one request on `relay`: the socket's handler, and what a command does itself
/// when no relay runs, so both paths behave the same.
pub(crate) async fn answer(relay: &Relay, request: AdminRequest) -> AdminResponse {
    let tokens = relay.tokens();
    let outcome = match request {
        AdminRequest::TokenCreate { name } => tokens.issue(&name).await.map(|issued| {
            tracing::info!(token = %issued.summary.name, id = %issued.summary.id, "token issued");
            AdminResponse::TokenCreated {
                summary: issued.summary,
                token: issued.token,
            }
        }),
        AdminRequest::TokenList => list(relay).await,
        AdminRequest::TokenRevoke { name } => match tokens.revoke_named(&name).await {
            Ok(0) => Ok(AdminResponse::Error {
                code: AdminErrorCode::NotFound,
                message: AdminError::NotFound(name).to_string(),
            }),
            Ok(count) => {
                tracing::info!(token = %name, count, "token revoked");
                Ok(AdminResponse::TokenRevoked { name, count })
            }
            Err(err) => Err(err),
        },
        AdminRequest::InviteCreate {
            name,
            ttl_secs,
            address,
        } => relay
            .create_invite(&name, ttl_secs, &address)
            .await
            .map(|invite| AdminResponse::InviteCreated {
                link: SecretText::new(invite.link.expose()),
                summary: invite.summary,
            }),
    };
    outcome.unwrap_or_else(|err| {
        let code = match &err {
            Error::TokenName => AdminErrorCode::InvalidName,
            Error::TokenNameTaken(_) => AdminErrorCode::NameTaken,
            _ => {
                tracing::error!(error = %err, "admin request failed");
                AdminErrorCode::Internal
            }
        };
        AdminResponse::Error {
            code,
            message: err.to_string(),
        }
    })
}

async fn list(relay: &Relay) -> crate::Result<AdminResponse> {
    let summaries = relay.tokens().list().await?;
    let last_used = relay.tokens().last_used().await?;
    let tokens = summaries
        .into_iter()
        .map(|summary| TokenListing {
            last_used_at: last_used.get(&summary.id).copied(),
            summary,
        })
        .collect();
    Ok(AdminResponse::Tokens { tokens })
}
