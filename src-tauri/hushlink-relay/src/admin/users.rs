//! Users by id: who we are, who owns a file, and names for messages.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use nix::unistd::{Uid, User};

/// This process's effective user id.
pub(crate) fn effective_uid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

/// The owner of `path`, following symlinks (systemd's `StateDirectory` with `DynamicUser`
/// makes the data directory a root-owned link into `/var/lib/private`), if it can be examined.
pub(crate) fn owner_of(path: &Path) -> Option<u32> {
    std::fs::metadata(path).ok().map(|m| m.uid())
}

/// The name of user `uid` as the system's user database (NSS) knows it, else `uid N`.
pub fn user_name(uid: u32) -> String {
    match User::from_uid(Uid::from_raw(uid)) {
        Ok(Some(user)) => user.name,
        _ => format!("uid {uid}"),
    }
}

/// Whether a peer with `peer` uid may administer a relay running as `owner`: the same
/// user, or root.
pub(crate) fn may_administer(peer: u32, owner: u32) -> bool {
    peer == owner || peer == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_owner_and_root_may_administer() {
        assert!(may_administer(1000, 1000));
        assert!(may_administer(0, 1000), "root may");
        assert!(!may_administer(1001, 1000), "another user may not");
        assert!(
            !may_administer(1000, 0),
            "a user may not administer root's relay"
        );
    }

    #[test]
    fn names_come_from_the_user_database() {
        assert_eq!(user_name(0), "root");
        assert_eq!(user_name(4_000_000_000), "uid 4000000000");
    }
}
