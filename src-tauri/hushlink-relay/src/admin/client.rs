//! [`AdminClient`]: the command side of the admin socket.

use std::io;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

use super::error::AdminError;
use super::protocol::{AdminRequest, AdminResponse};
use super::users::{owner_of, user_name};
use super::MAX_LINE;

/// A connection to a running relay's admin socket.
#[derive(Debug)]
pub struct AdminClient {
    stream: BufReader<UnixStream>,
    path: PathBuf,
}

impl AdminClient {
    /// Connects to the socket at `path`. `Ok(None)` when no relay serves it: no socket, or a
    /// stale one left by a relay that died (connecting is refused). A socket we may not open
    /// is [`AdminError::PermissionDenied`], naming its owner.
    pub async fn connect(path: &Path) -> Result<Option<Self>, AdminError> {
        match UnixStream::connect(path).await {
            Ok(stream) => Ok(Some(Self {
                stream: BufReader::new(stream),
                path: path.to_owned(),
            })),
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
                ) =>
            {
                Ok(None)
            }
            Err(err) if err.kind() == io::ErrorKind::PermissionDenied => {
                Err(permission_denied(path))
            }
            Err(source) => Err(AdminError::Io {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Sends one request and reads its answer.
    pub async fn request(&mut self, request: &AdminRequest) -> Result<AdminResponse, AdminError> {
        let io = |source| AdminError::Io {
            path: self.path.clone(),
            source,
        };
        let mut line = serde_json::to_vec(request)
            .map_err(|e| AdminError::Protocol(format!("cannot encode the request: {e}")))?;
        line.push(b'\n');
        self.stream.get_mut().write_all(&line).await.map_err(io)?;
        let mut answer = String::new();
        let limit = u64::try_from(MAX_LINE).unwrap_or(u64::MAX);
        let read = (&mut self.stream)
            .take(limit)
            .read_line(&mut answer)
            .await
            .map_err(io)?;
        if read == 0 {
            return Err(AdminError::Protocol(
                "the relay closed the connection without answering".into(),
            ));
        }
        if !answer.ends_with('\n') {
            return Err(AdminError::Protocol("the answer is too long".into()));
        }
        serde_json::from_str(&answer)
            .map_err(|e| AdminError::Protocol(format!("not an answer this command knows: {e}")))
    }
}

/// The refusal for a socket (or data directory) we may not open: named after the owner of
/// the socket, or of its directory when the directory already keeps us out.
pub(crate) fn permission_denied(path: &Path) -> AdminError {
    let examined = std::iter::once(path)
        .chain(path.parent())
        .find_map(|p| owner_of(p).map(|uid| (p, uid)));
    match examined {
        Some((p, uid)) => AdminError::PermissionDenied {
            owner: user_name(uid),
            path: p.to_owned(),
        },
        None => AdminError::PermissionDenied {
            owner: "the relay's user".to_owned(),
            path: path.to_owned(),
        },
    }
}
