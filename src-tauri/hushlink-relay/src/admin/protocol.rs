//! The admin socket's wire types: one JSON object per line.
//!
//! ```text
//! > {"op":"token_create","name":"alice"}
//! < {"result":"token_created","summary":{"id":"…","name":"alice","created_at":…,"revoked_at":null},"token":"…"}
//! > {"op":"token_list"}
//! < {"result":"tokens","tokens":[{"id":"…","name":"alice","created_at":…,"revoked_at":null,"last_used_at":null}]}
//! > {"op":"token_revoke","name":"alice"}
//! < {"result":"token_revoked","name":"alice","count":1}
//! < {"result":"error","code":"not_found","message":"no active token is named \"bob\""}
//! > {"op":"invite_create","name":"carol","ttl_secs":null,"address":{"origin":"http://10.0.0.5:7143","https_port":null,"fingerprint":null}}
//! < {"result":"invite_created","summary":{"id":"…","name":"carol",…},"link":"http://10.0.0.5:7143/invite/…#…"}
//! ```

use hushlink_protocol::secret::serialize_exposed;
use hushlink_protocol::SecretText;
use serde::{Deserialize, Serialize};

use crate::invites::{InviteAddress, InviteSummary};
use crate::tokens::TokenSummary;

/// What a command asks the relay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum AdminRequest {
    /// Issue a token for `name`.
    TokenCreate {
        /// Who it is for; also the HTTP Basic user name.
        name: String,
    },
    /// Every token, revoked ones included.
    TokenList,
    /// Revoke the live token named `name`.
    TokenRevoke {
        /// The token's name.
        name: String,
    },
    /// Issue a token for `name` and a one-time invite carrying it.
    InviteCreate {
        /// Who it is for; the token's name.
        name: String,
        /// How long it can be accepted (the relay's default when `None`).
        ttl_secs: Option<u64>,
        /// Where the invite says the relay is (the command works it out from the
        /// configuration, which the relay does not keep).
        address: InviteAddress,
    },
}

/// The relay's answer to one [`AdminRequest`].
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum AdminResponse {
    /// A token was issued. The only time its text leaves the relay.
    TokenCreated {
        /// Its summary.
        summary: TokenSummary,
        /// The token itself (`Debug` shows a placeholder).
        #[serde(serialize_with = "serialize_exposed")]
        token: SecretText,
    },
    /// The tokens, oldest first.
    Tokens {
        /// Every token, revoked ones included.
        tokens: Vec<TokenListing>,
    },
    /// Live tokens of this name were revoked (normally one).
    TokenRevoked {
        /// The name asked for.
        name: String,
        /// How many live tokens had it.
        count: usize,
    },
    /// An invite was made. The only time its link leaves the relay.
    InviteCreated {
        /// Its summary.
        summary: InviteSummary,
        /// The whole link, fragment included (it grants a token: show it to its owner only).
        #[serde(serialize_with = "serialize_exposed")]
        link: SecretText,
    },
    /// The request failed; `message` is for a person, `code` for a program.
    Error {
        /// What kind of failure.
        code: AdminErrorCode,
        /// One line, never secret.
        message: String,
    },
}

/// A token in `token list`: its summary and, if known, when it was last used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenListing {
    /// Id, name, creation and revocation times.
    #[serde(flatten)]
    pub summary: TokenSummary,
    /// When it last created a secret the relay still keeps a receipt of (Unix seconds).
    pub last_used_at: Option<i64>,
}

/// Why an [`AdminRequest`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminErrorCode {
    /// The name is not a valid token name.
    InvalidName,
    /// A live token already has the name.
    NameTaken,
    /// No live token has the name.
    NotFound,
    /// The line was not a request this relay knows (or was too long).
    BadRequest,
    /// The peer is neither the relay's user nor root.
    PermissionDenied,
    /// The relay failed (storage); its log has the details.
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_have_a_stable_wire_form() {
        let request = AdminRequest::TokenRevoke {
            name: "alice".into(),
        };
        let line = serde_json::to_string(&request).unwrap();
        assert_eq!(line, r#"{"op":"token_revoke","name":"alice"}"#);
        assert_eq!(
            serde_json::from_str::<AdminRequest>(r#"{"op":"token_list"}"#).unwrap(),
            AdminRequest::TokenList
        );
        assert!(
            serde_json::from_str::<AdminRequest>(r#"{"op":"token_revoke","name":"a","x":1}"#)
                .is_err(),
            "unknown fields are refused, not ignored"
        );
    }

    #[test]
    fn an_invite_request_and_its_link_cross_the_wire_but_not_debug_output() {
        let request = AdminRequest::InviteCreate {
            name: "carol".into(),
            ttl_secs: Some(3_600),
            address: InviteAddress::plain("http://10.0.0.5:7143"),
        };
        let line = serde_json::to_string(&request).unwrap();
        assert!(
            line.starts_with(r#"{"op":"invite_create","name":"carol""#),
            "{line}"
        );
        assert_eq!(
            serde_json::from_str::<AdminRequest>(&line).unwrap(),
            request
        );
        let response = AdminResponse::InviteCreated {
            summary: crate::invites::InviteSummary {
                id: "a1b2c3d4e5f6".into(),
                name: "carol".into(),
                token_id: "0a1b2c3d4e5f".into(),
                created_at: 1,
                expires_at: 2,
                state: crate::invites::InviteState::Pending,
                finished_at: None,
                accepted_from: None,
            },
            link: SecretText::new("http://h:1/invite/k#FRAGMENT-key"),
        };
        let line = serde_json::to_string(&response).unwrap();
        assert!(
            line.contains("#FRAGMENT-key"),
            "the command needs it: {line}"
        );
        assert_eq!(
            serde_json::from_str::<AdminResponse>(&line).unwrap(),
            response
        );
        assert!(
            !format!("{response:?}").contains("FRAGMENT"),
            "Debug hides the link"
        );
    }

    #[test]
    fn a_created_token_crosses_the_wire_but_not_debug_output() {
        let response = AdminResponse::TokenCreated {
            summary: TokenSummary {
                id: "0a1b2c".into(),
                name: "alice".into(),
                created_at: 1_800_000_000,
                revoked_at: None,
            },
            token: SecretText::new("tok-SECRET-text"),
        };
        let line = serde_json::to_string(&response).unwrap();
        assert!(
            line.contains("tok-SECRET-text"),
            "the command needs it: {line}"
        );
        let back: AdminResponse = serde_json::from_str(&line).unwrap();
        assert_eq!(back, response);
        assert!(
            !format!("{response:?}").contains("SECRET"),
            "Debug hides the token"
        );
    }
}
