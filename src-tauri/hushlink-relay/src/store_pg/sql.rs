//! The statements of the PostgreSQL engine, one constant per step, with the guarantee each
//! one carries across relay instances (the design is in `docs/postgres.md`).
//!
//! The rule that makes the guarantees hold: a live secret's sealed value is a row of its
//! own (`secret_values`), and every operation that ends a secret (reveal, burn by the
//! sender, burn after the last wrong passphrase, expiry) claims it by DELETING that row in
//! the same statement that records the outcome. PostgreSQL lets one transaction delete a
//! row; a concurrent one waits for it, re-checks, finds the row gone and changes nothing.
//! So of any number of such statements on any number of instances exactly one wins, and the
//! losers see zero rows: "gone". No statement reads first and writes later.
//!
//! Parameters are numbered as each constant's doc says; times are Unix seconds (`bigint`),
//! ids are row ids (`keys::Key::row_id`, 32 bytes of `bytea`). Only this module's text and `tokio_postgres` are
//! used, so the test kit runs these statements against a real server on their own.

/// Advisory lock key of the relay-wide quotas (transaction-level). A create whose check
/// may race others' holds it shared ([`LOCK_SHARED`]); one that must see every other
/// create settled first (near the quota, a large value, `migrate`'s copy) holds it
/// exclusively ([`LOCK`]), which waits for the shared holders to commit. Any fixed number
/// works; this is "hl-quota" in ASCII.
pub const QUOTA_LOCK: i64 = 0x686c_2d71_756f_7461;

/// First half of a token's quota lock key; the second is `hashtext(token id)`. The
/// two-part keys never equal the one-part keys above; two tokens sharing a hash only wait
/// for each other more often. "hlqo" in ASCII.
pub const OWNER_LOCK_CLASS: i32 = 0x686c_716f;

/// Advisory lock key a sweep tries (transaction-level, without waiting): one sweep runs at a
/// time across all instances, the others skip their turn. "hl-sweep" in ASCII.
pub const SWEEP_LOCK: i64 = 0x686c_2d73_7765_6570;

/// Takes an advisory lock until the end of the transaction. `$1` the lock key.
pub const LOCK: &str = "SELECT pg_advisory_xact_lock($1)";

/// Takes an advisory lock shared until the end of the transaction: shared holders do not
/// wait for each other, only for (and then block) an exclusive one. `$1` the lock key.
pub const LOCK_SHARED: &str = "SELECT pg_advisory_xact_lock_shared($1)";

/// A token's quota lock, exclusive. `$1` [`OWNER_LOCK_CLASS`], `$2` the token id.
pub const OWNER_LOCK: &str = "SELECT pg_advisory_xact_lock($1, hashtext($2))";

/// A token's quota lock, shared. `$1` [`OWNER_LOCK_CLASS`], `$2` the token id.
pub const OWNER_LOCK_SHARED: &str = "SELECT pg_advisory_xact_lock_shared($1, hashtext($2))";

/// Tries an advisory lock until the end of the transaction; `false` when another
/// transaction holds it. `$1` the lock key.
pub const TRY_LOCK: &str = "SELECT pg_try_advisory_xact_lock($1)";

/// Live secrets and sealed bytes of one owner (`''` for all secrets): the sum of its
/// counter slots. `$1` owner. (What [`CREATE`] reads; the tests compare it.)
#[cfg(test)]
pub const USAGE: &str = "SELECT coalesce(sum(secrets), 0)::bigint, coalesce(sum(bytes), 0)::bigint
     FROM live_usage WHERE owner = $1";

/// Inserts a secret, its receipt and its sealed value (the usage trigger counts it) and the
/// access-log line of its creation, in one statement, ONLY IF the quotas leave room.
/// Run after the quota locks ([`QUOTA_LOCK`], then the owner's), in a later statement of
/// the same transaction: a statement sees what was committed before it began.
///
/// For each scope (the token's when `$5` is set; the relay's) it reports whether the
/// committed usage alone leaves no room ("over": refuse) and, unless that scope's lock is
/// held exclusively (`$23` token, `$24` relay), whether it might not once the creates in
/// flight commit ("near": check again exclusively). In flight are at most
/// `max_connections - 1` other transactions, each adding one secret and at most `$25`
/// bytes (larger values check exclusively), so without "near" the quota holds exactly.
/// `$1` secret_id, `$2` receipt_id, `$3` sealed secret key, `$4` passphrase column, `$5`
/// owner, `$6` kind, `$7` e2e, `$8` ttl, `$9` now, `$10` secret_expires_at, `$11`
/// expires_at, `$12` value, `$13` seal, `$14` log key id, `$15` client ip, `$16` user agent,
/// `$17` token name, `$18` sealed sender's note; limits: `$19` token's secrets, `$20`
/// token's bytes, `$21` relay's secrets, `$22` relay's bytes; `$23`, `$24` as above, `$25`
/// the largest value checked without the exclusive lock.
/// Returns created, then token secrets over, token bytes over, token near, relay secrets
/// over, relay bytes over, relay near.
pub const CREATE: &str = "WITH usage AS (
        SELECT coalesce(sum(secrets) FILTER (WHERE owner = $5), 0) AS own_n,
            coalesce(sum(bytes) FILTER (WHERE owner = $5), 0) AS own_b,
            coalesce(sum(secrets) FILTER (WHERE owner = ''), 0) AS all_n,
            coalesce(sum(bytes) FILTER (WHERE owner = ''), 0) AS all_b,
            current_setting('max_connections')::bigint - 1 AS others,
            octet_length($12::bytea) AS size
        FROM live_usage WHERE owner = '' OR owner = $5),
    room AS (
        SELECT $5::text IS NOT NULL AND own_n + 1 > $19::bigint AS own_n_over,
            $5::text IS NOT NULL AND own_b + size > $20::bigint AS own_b_over,
            $5::text IS NOT NULL AND NOT $23::boolean
                AND (own_n + 1 + others > $19::bigint
                     OR own_b + size + others * $25::bigint > $20::bigint) AS own_near,
            all_n + 1 > $21::bigint AS all_n_over,
            all_b + size > $22::bigint AS all_b_over,
            NOT $24::boolean
                AND (all_n + 1 + others > $21::bigint
                     OR all_b + size + others * $25::bigint > $22::bigint) AS all_near
        FROM usage),
    made AS (
        INSERT INTO secrets (secret_id, receipt_id, secret_key, passphrase, has_passphrase,
            owner, kind, state, e2e, ttl, created_at, updated_at, secret_expires_at, expires_at)
        SELECT $1, $2, $3, $4, $4::text IS NOT NULL, $5, $6, 'new', $7, $8, $9, $9, $10, $11
        FROM room
        WHERE NOT (own_n_over OR own_b_over OR own_near OR all_n_over OR all_b_over OR all_near)
        RETURNING id),
    value AS (
        INSERT INTO secret_values (id, value, seal, owner, note)
        SELECT id, $12, $13, $5, $18 FROM made),
    logged AS (
        INSERT INTO access_log (at, action, key_id, client_ip, user_agent, token_name)
        SELECT $9, 'create', $14, $15, $16, $17 FROM made)
    SELECT EXISTS (SELECT 1 FROM made), own_n_over, own_b_over, own_near,
        all_n_over, all_b_over, all_near
    FROM room";

/// A live secret without its value. `$1` secret_id, `$2` now.
/// Returns passphrase, e2e, created_at, secret_expires_at, the sealed sender's note.
pub const PEEK: &str = "SELECT s.passphrase, s.e2e, s.created_at, s.secret_expires_at, v.note
     FROM secrets s LEFT JOIN secret_values v ON v.id = s.id
     WHERE s.secret_id = $1 AND s.state = 'new' AND s.secret_expires_at > $2";

/// A live secret's passphrase column and sealed value. `$1` secret_id, `$2` now.
/// Returns passphrase, seal, value.
pub const PEEK_SEALED: &str = "SELECT s.passphrase, v.seal, v.value
     FROM secrets s JOIN secret_values v ON v.id = s.id
     WHERE s.secret_id = $1 AND s.state = 'new' AND s.secret_expires_at > $2";

/// The exactly-once step of a reveal, in ONE statement: deletes the live value (only if
/// `$3`, the passphrase was checked, or the secret has none), marks the receipt received
/// and logs the reveal. Of concurrent callers exactly one gets a row.
/// `$1` secret_id, `$2` now, `$3` passphrase checked, `$4` client ip (the receipt's),
/// `$5` log key id, `$6` user agent, `$7` client ip as logged (NULL when not logged).
/// Returns value, seal, e2e, the log line's token name.
pub const TAKE: &str = "WITH taken AS (
        DELETE FROM secret_values v USING secrets s
        WHERE v.id = s.id AND s.secret_id = $1 AND s.state = 'new'
          AND s.secret_expires_at > $2 AND ($3 OR s.passphrase IS NULL)
        RETURNING v.id, v.value, v.seal),
    received AS (
        UPDATE secrets s SET state = 'received', received_at = $2, received_ip = $4,
            updated_at = $2, secret_key = '\\x', passphrase = NULL
        FROM taken WHERE s.id = taken.id
        RETURNING s.e2e),
    logged AS (
        INSERT INTO access_log (at, action, key_id, client_ip, user_agent, token_name)
        SELECT $2, 'reveal', $5, $7, $6,
            (SELECT token_name FROM access_log WHERE key_id = $5 AND token_name IS NOT NULL
             LIMIT 1)
        FROM taken
        RETURNING token_name)
    SELECT taken.value, taken.seal, received.e2e, logged.token_name
    FROM taken, received, logged";

/// Burns the live secret behind a receipt, logging the burn, in ONE statement; a
/// concurrent reveal or burn of the same secret finds its value gone.
/// `$1` receipt_id, `$2` now, `$3` client ip as logged, `$4` user agent, `$5` log key id.
/// Returns the receipt's columns after the burn (in [`RECEIPT`]'s order), then the log
/// line's token name.
pub const BURN: &str = "WITH live AS (
        DELETE FROM secret_values v USING secrets s
        WHERE v.id = s.id AND s.receipt_id = $1 AND s.state = 'new'
          AND s.secret_expires_at > $2
        RETURNING v.id),
    burned AS (
        UPDATE secrets s SET state = 'burned', burn_reason = 'sender', burned_at = $2,
            updated_at = $2, secret_key = '\\x', passphrase = NULL
        FROM live WHERE s.id = live.id
        RETURNING s.secret_id, s.secret_key, s.owner, s.kind, s.state, s.burn_reason,
            s.has_passphrase, s.e2e, s.ttl, s.created_at, s.updated_at, s.received_at,
            s.received_ip, s.burned_at, s.secret_expires_at, s.expires_at, s.receipt_id),
    logged AS (
        INSERT INTO access_log (at, action, key_id, client_ip, user_agent, token_name)
        SELECT $2, 'burn', $5, $3, $4,
            (SELECT token_name FROM access_log WHERE key_id = $5 AND token_name IS NOT NULL
             LIMIT 1)
        FROM live
        RETURNING token_name)
    SELECT burned.*, logged.token_name FROM burned, logged";

/// The receipt with this row id, unless past 2 x TTL. `$1` receipt_id, `$2` now. Every
/// receipt reader returns these columns in this order (`rows::receipt` reads them).
pub const RECEIPT: &str = "SELECT secret_id, secret_key, owner, kind, state, burn_reason,
    has_passphrase, e2e, ttl, created_at, updated_at, received_at, received_ip, burned_at,
    secret_expires_at, expires_at, receipt_id
    FROM secrets WHERE receipt_id = $1 AND expires_at > $2";

/// The receipts of several secrets at once (the tracker's batch poll).
/// `$1` secret ids (`bytea[]`), `$2` now.
pub const RECEIPTS_FOR_SECRETS: &str = "SELECT secret_id, secret_key, owner, kind, state,
    burn_reason, has_passphrase, e2e, ttl, created_at, updated_at, received_at, received_ip,
    burned_at, secret_expires_at, expires_at, receipt_id
    FROM secrets WHERE secret_id = ANY($1) AND expires_at > $2";

/// Receipts created by a token since a time, oldest first. `$1` owner, `$2` since, `$3` now.
pub const RECENT: &str = "SELECT secret_id, secret_key, owner, kind, state, burn_reason,
    has_passphrase, e2e, ttl, created_at, updated_at, received_at, received_ip, burned_at,
    secret_expires_at, expires_at, receipt_id
    FROM secrets WHERE owner = $1 AND created_at >= $2 AND expires_at > $3
    ORDER BY created_at, id";

/// Reserves one passphrase check: one conditional `UPDATE`, so concurrent callers on any
/// instances get at most `$3` between them (a waiting update re-checks the count).
/// `$1` secret_id, `$2` now, `$3` max attempts. Returns the reservation's number.
pub const RESERVE_ATTEMPT: &str = "UPDATE secrets SET failed_attempts = failed_attempts + 1
     WHERE secret_id = $1 AND state = 'new' AND secret_expires_at > $2
       AND passphrase IS NOT NULL AND failed_attempts < $3
     RETURNING failed_attempts";

/// Gives back a reservation whose check could not run. `$1` secret_id.
pub const RELEASE_ATTEMPT: &str = "UPDATE secrets SET failed_attempts = failed_attempts - 1
     WHERE secret_id = $1 AND state = 'new' AND failed_attempts > 0";

/// Logs a wrong passphrase of a still-live secret (a reservation below the last).
/// `$1` secret_id, `$2` now, `$3` log key id, `$4` client ip as logged, `$5` user agent.
/// Returns the line's token name when the secret was live.
pub const FAILED_ATTEMPT: &str = "INSERT INTO access_log
        (at, action, key_id, client_ip, user_agent, token_name)
    SELECT $2, 'failed_passphrase', $3, $4, $5,
        (SELECT token_name FROM access_log WHERE key_id = $3 AND token_name IS NOT NULL LIMIT 1)
    FROM secrets WHERE secret_id = $1 AND state = 'new' AND secret_expires_at > $2
    RETURNING token_name";

/// The last allowed wrong passphrase: burns the secret (claiming its value like a reveal,
/// so a concurrent reveal with the right passphrase and this burn cannot both win) and
/// logs the failed attempt and the burn. `$1` secret_id, `$2` now, `$3` log key id, `$4`
/// client ip as logged, `$5` user agent. Returns the lines' token name when it burned the
/// secret.
pub const BURN_AFTER_ATTEMPTS: &str = "WITH live AS (
        DELETE FROM secret_values v USING secrets s
        WHERE v.id = s.id AND s.secret_id = $1 AND s.state = 'new'
          AND s.secret_expires_at > $2
        RETURNING v.id),
    burned AS (
        UPDATE secrets s SET state = 'burned', burn_reason = 'passphrase_attempts',
            burned_at = $2, updated_at = $2, secret_key = '\\x', passphrase = NULL
        FROM live WHERE s.id = live.id
        RETURNING s.id),
    token AS (
        SELECT (SELECT token_name FROM access_log WHERE key_id = $3 AND token_name IS NOT NULL
            LIMIT 1) AS name),
    logged AS (
        INSERT INTO access_log (at, action, key_id, client_ip, user_agent, token_name)
        SELECT $2, action, $3, $4, $5, token.name
        FROM burned, token, unnest(ARRAY['failed_passphrase', 'burn']) AS action)
    SELECT token.name FROM burned, token";

/// Expires up to `$2` secrets whose TTL passed at `$1`, skipping values a request holds
/// (`SKIP LOCKED`), so a sweep never waits for a request nor a request for long on a sweep.
/// Run after [`TRY_LOCK`] of [`SWEEP_LOCK`] succeeded: sweeps on every instance then take
/// turns instead of doing work twice, and two multi-row sweeps never lock the usage
/// counters in crossing orders. The value rows are locked first, as every request does
/// (value, then secret, then counters), so no request and sweep wait on each other in a
/// circle. Returns (row id, secret_id) of each, for the
/// `expire` log lines ([`LOG_EXPIRED`]) in the same transaction.
pub const EXPIRE_SECRETS: &str = "WITH due AS (
        SELECT id FROM secrets WHERE state = 'new' AND secret_expires_at <= $1
        ORDER BY secret_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED),
    dropped AS (
        DELETE FROM secret_values v USING due WHERE v.id = due.id)
    UPDATE secrets s SET state = 'expired', updated_at = $1, secret_key = '\\x',
        passphrase = NULL
    FROM due WHERE s.id = due.id AND s.state = 'new'
    RETURNING s.id, s.secret_id";

/// One `expire` line per key id. `$1` now, `$2` key ids (`text[]`).
/// Returns each line's key id and token name.
pub const LOG_EXPIRED: &str = "INSERT INTO access_log (at, action, key_id, token_name)
    SELECT $1, 'expire', k,
        (SELECT token_name FROM access_log WHERE key_id = k AND token_name IS NOT NULL LIMIT 1)
    FROM unnest($2::text[]) AS k
    RETURNING key_id, token_name";

/// Deletes up to `$2` receipts past their 2 x TTL at `$1` (a value still beside one goes
/// with it, uncounted by the usage trigger), skipping locked rows.
pub const DELETE_RECEIPTS: &str = "DELETE FROM secrets WHERE id IN (
        SELECT id FROM secrets WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)";

/// Deletes up to `$2` access-log lines older than `$1`, skipping locked rows.
pub const DELETE_LOG: &str = "DELETE FROM access_log WHERE id IN (
        SELECT id FROM access_log WHERE at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)";

/// Appends an access-log line; later lines about a token's secret name the token too.
/// `$1` at, `$2` action, `$3` key id, `$4` client ip, `$5` user agent, `$6` token name
/// (given on `create` lines only). Returns the stored token name.
pub const INSERT_LOG: &str = "INSERT INTO access_log
        (at, action, key_id, client_ip, user_agent, token_name)
    VALUES ($1, $2, $3, $4, $5, coalesce($6,
        (SELECT token_name FROM access_log WHERE key_id = $3 AND token_name IS NOT NULL
         LIMIT 1)))
    RETURNING token_name";

/// Lines matching a filter, newest first. `$1` action or NULL, `$2` since or NULL, `$3`
/// until or NULL, `$4` limit.
pub const QUERY_LOG: &str = "SELECT at, action, key_id, client_ip, user_agent, token_name
    FROM access_log
    WHERE ($1::text IS NULL OR action = $1) AND ($2::bigint IS NULL OR at >= $2)
      AND ($3::bigint IS NULL OR at < $3)
    ORDER BY at DESC, id DESC LIMIT $4";

/// Stores a new token unless a live one has its name: the unique partial index decides,
/// so two instances issuing one name at once cannot both succeed. `$1` id, `$2` name, `$3`
/// hash, `$4` created_at. Returns a row when stored.
pub const INSERT_TOKEN: &str = "INSERT INTO tokens (id, name, hash, created_at)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
    RETURNING id";

/// Every token, oldest first.
pub const LIST_TOKENS: &str =
    "SELECT id, name, hash, created_at, revoked_at FROM tokens ORDER BY created_at, id";

/// Revokes a live token by id. `$1` id, `$2` now. Returns a row when revoked.
pub const REVOKE_TOKEN: &str =
    "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id";

/// Revokes every live token named `$1` at `$2`. Returns the ids.
pub const REVOKE_TOKENS_NAMED: &str =
    "UPDATE tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL RETURNING id";

/// When each token last created a secret still kept. `$1` token ids (`text[]`).
pub const TOKENS_LAST_USED: &str = "SELECT owner, max(created_at) FROM secrets
    WHERE owner = ANY($1) GROUP BY owner";

/// Takes an invite's sealed payload exactly once: the locking subquery waits for a
/// concurrent accept and re-checks `pending`, so only one accept gets a row; the payload
/// is emptied in the same statement. `$1` invite_id, `$2` now, `$3` accepted from.
/// Returns sealed, public_id, token_id.
pub const ACCEPT_INVITE: &str = "UPDATE invites i SET state = 'accepted', finished_at = $2,
        accepted_from = $3, sealed = '\\x'
    FROM (SELECT id, sealed FROM invites
          WHERE invite_id = $1 AND state = 'pending' AND expires_at > $2
            AND token_id IN (SELECT id FROM tokens WHERE revoked_at IS NULL)
          FOR UPDATE) old
    WHERE i.id = old.id
    RETURNING old.sealed, i.public_id, i.token_id";

/// Why an accept took nothing. `$1` invite_id. Returns state, expires_at, whether the
/// token is live.
pub const INVITE_REFUSAL: &str = "SELECT state, expires_at,
        EXISTS (SELECT 1 FROM tokens WHERE id = token_id AND revoked_at IS NULL)
    FROM invites WHERE invite_id = $1";

/// Stores a pending invite. `$1` public id, `$2` invite_id, `$3` token id, `$4` sealed,
/// `$5` created_at, `$6` expires_at.
pub const INSERT_INVITE: &str = "INSERT INTO invites
        (public_id, invite_id, token_id, sealed, state, created_at, expires_at)
    VALUES ($1, $2, $3, $4, 'pending', $5, $6)";

/// Whether a pending, unexpired invite has this key hash. `$1` invite_id, `$2` now.
pub const INVITE_IS_PENDING: &str =
    "SELECT 1 FROM invites WHERE invite_id = $1 AND state = 'pending' AND expires_at > $2";

/// Withdraws a pending invite and revokes its token in the same statement. `$1` public
/// id, `$2` now. Returns the token id.
pub const WITHDRAW_INVITE: &str = "WITH withdrawn AS (
        UPDATE invites SET state = 'withdrawn', finished_at = $2, sealed = '\\x'
        WHERE public_id = $1 AND state = 'pending' RETURNING token_id),
    revoked AS (
        UPDATE tokens SET revoked_at = $2
        WHERE id IN (SELECT token_id FROM withdrawn) AND revoked_at IS NULL)
    SELECT token_id FROM withdrawn";

/// Finishes pending invites past their expiry at `$1` (withdrawn if their token was
/// revoked meanwhile, else expired) and revokes their tokens, in one statement; skips
/// invites a concurrent accept holds. Returns the token ids.
pub const EXPIRE_INVITES: &str = "WITH due AS (
        SELECT i.id, t.revoked_at FROM invites i LEFT JOIN tokens t ON t.id = i.token_id
        WHERE i.state = 'pending' AND i.expires_at <= $1
        FOR UPDATE OF i SKIP LOCKED),
    finished AS (
        UPDATE invites i SET sealed = '\\x',
            state = CASE WHEN due.revoked_at IS NOT NULL THEN 'withdrawn' ELSE 'expired' END,
            finished_at = coalesce(due.revoked_at, i.expires_at)
        FROM due WHERE i.id = due.id
        RETURNING i.token_id),
    revoked AS (
        UPDATE tokens SET revoked_at = $1
        WHERE id IN (SELECT token_id FROM finished) AND revoked_at IS NULL)
    SELECT token_id FROM finished";

/// Deletes finished invites older than `$1`.
pub const FORGET_INVITES: &str =
    "DELETE FROM invites WHERE state <> 'pending' AND finished_at < $1";

/// Every invite kept, oldest first, with its token's name and revocation time.
pub const LIST_INVITES: &str = "SELECT i.public_id, i.token_id, coalesce(t.name, ''),
        i.created_at, i.expires_at, i.state, i.finished_at, i.accepted_from, t.revoked_at
    FROM invites i LEFT JOIN tokens t ON t.id = i.token_id ORDER BY i.id";

/// Live secrets and kept receipts at `$1` (the status page's counts).
pub const COUNTS: &str = "SELECT
        count(*) FILTER (WHERE state = 'new' AND secret_expires_at > $1),
        count(*) FILTER (WHERE expires_at > $1)
    FROM secrets";
