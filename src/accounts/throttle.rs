//! Login protection that cannot be turned against the people it protects.
//!
//! A lock per account alone lets anyone keep every researcher out with five wrong passwords
//! per account per lock period. So there are three counters, all in the database (several
//! processes share them), each counted *before* the password is checked, by a statement that
//! only succeeds while tries are left, so that a burst of guesses sent at once gets no more
//! checks than the counter allows:
//!
//! 1. **Per client address** (`login_throttle`), over every account, also unknown ones: five
//!    failures are free (typos), the fifth blocks the address for 1 minute, and every further
//!    failure doubles the block, up to 1 hour. While blocked, a login is refused with 429 and
//!    `Retry-After` before any account is looked at or any password checked (so a flood costs us
//!    no argon2 work either). An address that has been quiet for a day starts afresh, and a
//!    success from it clears its count: an office behind one address is not punished for its
//!    colleagues' typos. The price: an insider with an account of their own can clear their
//!    address's count by signing in between guesses; the lock per account and address (2) still
//!    holds them to five guesses per account per quarter hour, as before, and (3) caps it all.
//!    With the count doubling to an hour, one address gets about 30 guesses a day over all
//!    accounts.
//! 2. **Per account and address** (`login_failures`): five failures lock the account for 15
//!    minutes *for that address*. The attacker's guesses lock the attacker out; the owner signs
//!    in from their own address as usual. This is the lock the old per-account lock was, and
//!    "a burst of guesses gets five checks" still holds, per address.
//! 3. **Per account over all addresses** (`users.failed_logins`/`locked_until`): against
//!    guessing spread over many addresses. Fifty failures from addresses the account never
//!    signed in from lock it for an hour for all such addresses; the addresses it did sign in
//!    from in the last 90 days are not counted and not locked out, so even a botnet that keeps
//!    the ceiling reached does not lock the owner out at their desk (a new address, say a
//!    phone network, waits or asks an admin). Signing in from a known address leaves this
//!    count alone, so the owner at their desk does not hand the guessers fifty fresh tries;
//!    signing in from a new one (which was counted) starts it afresh. Fifty an hour is 1,200
//!    guesses a day per account
//!    however many addresses an attacker has; a password the policy accepts takes far longer
//!    than that allows. Fifty needs at least ten addresses within the hour (each is held to
//!    five by 2), more than a mistyping user or office ever has.
//!
//! An admin can lift a block of an address or every lock of an account (`unlock`), which is
//! recorded in the audit trail. The table rows hold client addresses, which are personal data:
//! `purge` removes a row once its block has ended and it has been quiet for a day (or, for an
//! address an account signed in from, 90 days).

use crate::db::statement;
use crate::domain::ClientAddress;
use chrono::{DateTime, Duration, Utc};
use entity::{login_failure, login_throttle};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

/// Failures from one address that cost nothing; the one that reaches this blocks it briefly.
pub const FREE_FAILURES: i32 = 5;
pub const FIRST_BLOCK: Duration = Duration::minutes(1);
pub const LONGEST_BLOCK: Duration = Duration::hours(1);
/// An address without failures for this long starts afresh.
pub const FORGET_AFTER: Duration = Duration::hours(24);

/// Failures of one account from one address that lock it there, and for how long.
pub const MAX_FAILED_LOGINS: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// Failures of one account from addresses it has not signed in from that lock it for all of
/// them, and for how long.
pub const GLOBAL_MAX_FAILED_LOGINS: i32 = 50;
pub const GLOBAL_LOCK: Duration = Duration::hours(1);
/// How long an address the account signed in from stays exempt from the global ceiling.
pub const KNOWN_FOR: Duration = Duration::days(90);

/// Tries to take a try from an address's count while other requests change it; each round at
/// least one of them wins, so only a flood from one address runs out, and is refused.
const ROUNDS: usize = 64;

/// Logins from an address are refused until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    pub until: DateTime<Utc>,
    /// Seconds from the refusal to `until`, at least 1: the `Retry-After`.
    pub seconds: i64,
}

impl Blocked {
    fn new(until: DateTime<Utc>, now: DateTime<Utc>) -> Blocked {
        let millis = (until - now).num_milliseconds().max(1);
        Blocked { until, seconds: (millis + 999) / 1000 }
    }

    /// Whole minutes to wait, rounded up, for the message.
    pub fn minutes(&self) -> i64 {
        (self.seconds + 59) / 60
    }

    /// What the person at the blocked address is told.
    pub fn message(&self) -> String {
        let minutes = self.minutes();
        let unit = if minutes == 1 { "minuut" } else { "minuten" };
        format!("Te veel mislukte pogingen vanaf dit adres; probeer het over {minutes} {unit} opnieuw.")
    }
}

/// How long an address is blocked once its count reaches `failures`, if at all.
pub fn block_after(failures: i32) -> Option<Duration> {
    let doublings = failures.checked_sub(FREE_FAILURES).filter(|d| *d >= 0)?;
    // 2^6 minutes already passes the hour; the cap keeps the shift small.
    let minutes = FIRST_BLOCK.num_minutes() << doublings.min(10);
    Some(Duration::minutes(minutes).min(LONGEST_BLOCK))
}

/// Counts a try from `address` before its password is checked, unless the address is blocked.
/// The try that reaches `FREE_FAILURES` sets the block already, so tries arriving while it is
/// being checked are refused; a success clears it again (`address_succeeded`).
pub async fn reserve_address(
    db: &impl ConnectionTrait,
    address: &ClientAddress,
    now: DateTime<Utc>,
) -> Result<Result<(), Blocked>, DbErr> {
    for _ in 0..ROUNDS {
        db.execute_raw(statement(
            db,
            "INSERT INTO login_throttle (address, failures, last_failure_at, blocked_until) \
             VALUES ($1, 0, $2, NULL) ON CONFLICT (address) DO NOTHING",
            vec![address.as_str().into(), now.into()],
        ))
        .await?;
        let Some(row) = login_throttle::Entity::find_by_id(address.as_str().to_string()).one(db).await? else {
            continue; // cleared by a success in between
        };
        if let Some(until) = row.blocked_until.filter(|u| *u > now) {
            return Ok(Err(Blocked::new(until, now)));
        }
        let before = if row.last_failure_at + FORGET_AFTER <= now { 0 } else { row.failures };
        let blocked_until = block_after(before + 1).map(|d| now + d);
        // Compare-and-set on the count: of tries that read the same count, one wins and the
        // others read again.
        let taken = db
            .execute_raw(statement(
                db,
                "UPDATE login_throttle SET failures = $1, last_failure_at = $2, blocked_until = $3 \
                 WHERE address = $4 AND failures = $5 AND (blocked_until IS NULL OR blocked_until <= $2)",
                vec![
                    (before + 1).into(),
                    now.into(),
                    blocked_until.into(),
                    address.as_str().into(),
                    row.failures.into(),
                ],
            ))
            .await?;
        if taken.rows_affected() == 1 {
            return Ok(Ok(()));
        }
    }
    Ok(Err(Blocked::new(now + FIRST_BLOCK, now)))
}

/// The right password came from `address`: its count starts afresh.
pub async fn address_succeeded(db: &impl ConnectionTrait, address: &ClientAddress) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(address.as_str().to_string()).exec(db).await?;
    Ok(())
}

/// What the lock per account and address and the global ceiling decided about a try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountTry {
    /// Counted: check the password. `known`: the account signed in from this address lately,
    /// so the global ceiling did not count it.
    Counted { known: bool },
    /// Locked or out of tries: refuse without checking.
    Locked,
}

/// Counts a try at `user_id` from `address` before the password is checked: at the pair's
/// counter, and at the account's global one unless the account signed in from here lately.
pub async fn reserve_account(
    db: &impl ConnectionTrait,
    user_id: i32,
    address: &ClientAddress,
    now: DateTime<Utc>,
) -> Result<AccountTry, DbErr> {
    db.execute_raw(statement(
        db,
        "INSERT INTO login_failures (user_id, address, failures) VALUES ($1, $2, 0) \
         ON CONFLICT (user_id, address) DO NOTHING",
        vec![user_id.into(), address.as_str().into()],
    ))
    .await?;
    let reserved = db
        .execute_raw(statement(
            db,
            "UPDATE login_failures SET failures = failures + 1, last_failure_at = $1 \
             WHERE user_id = $2 AND address = $3 AND failures < $4 AND (locked_until IS NULL OR locked_until <= $1)",
            vec![now.into(), user_id.into(), address.as_str().into(), MAX_FAILED_LOGINS.into()],
        ))
        .await?;
    if reserved.rows_affected() == 0 {
        lock_account(db, user_id, address, now).await?;
        return Ok(AccountTry::Locked);
    }
    if known(db, user_id, address, now).await? {
        return Ok(AccountTry::Counted { known: true });
    }
    let reserved = db
        .execute_raw(statement(
            db,
            "UPDATE users SET failed_logins = failed_logins + 1 \
             WHERE id = $1 AND failed_logins < $2 AND (locked_until IS NULL OR locked_until <= $3)",
            vec![user_id.into(), GLOBAL_MAX_FAILED_LOGINS.into(), now.into()],
        ))
        .await?;
    if reserved.rows_affected() == 0 {
        lock_account(db, user_id, address, now).await?;
        return Ok(AccountTry::Locked);
    }
    Ok(AccountTry::Counted { known: false })
}

/// Whether the account signed in from `address` within `KNOWN_FOR`.
async fn known(
    db: &impl ConnectionTrait,
    user_id: i32,
    address: &ClientAddress,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = login_failure::Entity::find_by_id((user_id, address.as_str().to_string())).one(db).await?;
    Ok(row.and_then(|r| r.signed_in_at).is_some_and(|at| at + KNOWN_FOR > now))
}

/// Locks what ran out of tries, and starts its count afresh under the lock. Run by the failure
/// that used the last try and by every try refused for want of one, so a process that died
/// mid-check cannot leave a counter without tries and without a lock.
pub async fn lock_account(
    db: &impl ConnectionTrait,
    user_id: i32,
    address: &ClientAddress,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let until = now + Duration::minutes(LOCK_MINUTES);
    db.execute_raw(statement(
        db,
        "UPDATE login_failures SET locked_until = $1, failures = 0 \
         WHERE user_id = $2 AND address = $3 AND failures >= $4 AND (locked_until IS NULL OR locked_until <= $5)",
        vec![until.into(), user_id.into(), address.as_str().into(), MAX_FAILED_LOGINS.into(), now.into()],
    ))
    .await?;
    let until = now + GLOBAL_LOCK;
    db.execute_raw(statement(
        db,
        "UPDATE users SET locked_until = $1, failed_logins = 0 \
         WHERE id = $2 AND failed_logins >= $3 AND (locked_until IS NULL OR locked_until <= $4)",
        vec![until.into(), user_id.into(), GLOBAL_MAX_FAILED_LOGINS.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// The right password for `user_id` from `address`: the count and lock for the address end, and
/// it becomes an address the account signed in from. The global count starts afresh only when
/// the address was not known yet: the owner at their desk cannot end a global lock others
/// caused (and so hand the guessers fifty new tries), the owner at a new address, who was
/// counted, has proved it was them.
pub async fn account_succeeded(
    db: &impl ConnectionTrait,
    user_id: i32,
    address: &ClientAddress,
    known: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    db.execute_raw(statement(
        db,
        "UPDATE login_failures SET failures = 0, locked_until = NULL, signed_in_at = $1 \
         WHERE user_id = $2 AND address = $3",
        vec![now.into(), user_id.into(), address.as_str().into()],
    ))
    .await?;
    if !known {
        db.execute_raw(statement(
            db,
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            vec![user_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Removes the rows that no longer block anything and have been quiet long enough: the client
/// addresses in them are personal data. Returns how many.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let quiet = now - FORGET_AFTER;
    let addresses = db
        .execute_raw(statement(
            db,
            "DELETE FROM login_throttle WHERE last_failure_at < $1 AND (blocked_until IS NULL OR blocked_until <= $2)",
            vec![quiet.into(), now.into()],
        ))
        .await?;
    let pairs = db
        .execute_raw(statement(
            db,
            "DELETE FROM login_failures WHERE (last_failure_at IS NULL OR last_failure_at < $1) \
             AND (locked_until IS NULL OR locked_until <= $2) AND (signed_in_at IS NULL OR signed_in_at < $3)",
            vec![quiet.into(), now.into(), (now - KNOWN_FOR).into()],
        ))
        .await?;
    Ok(addresses.rows_affected() + pairs.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_start_at_the_fifth_failure_and_double_to_an_hour() {
        let minutes = |n| block_after(n).map(|d| d.num_minutes());
        assert_eq!((1..=4).map(minutes).collect::<Vec<_>>(), [None; 4]);
        assert_eq!((5..=12).map(minutes).collect::<Vec<_>>(), [1, 2, 4, 8, 16, 32, 60, 60].map(Some));
        assert_eq!(minutes(i32::MAX), Some(60));
    }

    #[test]
    fn the_message_says_how_many_minutes_in_dutch() {
        let now = Utc::now();
        let b = Blocked::new(now + Duration::seconds(61), now);
        assert_eq!((b.seconds, b.minutes()), (61, 2));
        assert!(b.message().contains("probeer het over 2 minuten opnieuw"), "{}", b.message());
        let b = Blocked::new(now + Duration::seconds(30), now);
        assert!(b.message().contains("over 1 minuut opnieuw"), "{}", b.message());
    }
}
