//! The outbox worker: one batch at a time, in this order, so that no link goes out before the
//! database knows it.
//!
//! 1. Claim up to a batch of due rows (a lease, see `outbox`).
//! 2. Read the batch's surveys and invitees, and mint a fresh token for every message that can
//!    be sent.
//! 3. Store the hashes of all those tokens in one transaction and check it: every row inserted
//!    and the commit accepted. A database that is full or gone fails here, before anything of
//!    the batch is composed or handed to the transport. (A single `INSERT ... RETURNING` outside
//!    a transaction is not enough on SQLite: it commits when the statement is reset, and an
//!    error there, such as a full disk, does not reach the caller, so links went out whose
//!    tokens were never stored.)
//! 4. Compose and send the messages, `SEND_CONCURRENCY` at a time, and mark each right after
//!    its own SMTP transaction (renewing the claim first once half the lease has passed).
//!
//! A database error in any step stops the mailing: no further message of the batch is sent and
//! no further batch is claimed. The rows of the batch that were not marked are handed back
//! (when the database still takes that write; else they are claimed again after their lease,
//! or at once by the same worker), and the error, `Stopped`, says what was sent and what was
//! not. The only messages that can go out twice are those the transport accepted while their
//! mark failed: at most the `SEND_CONCURRENCY` in flight, each with a working link.
//!
//! A token stored for a message that is then not sent (the mailing stopped, or another worker
//! took the message over) is never used; it is deleted with the other tokens at the purge.

use super::compose::{Composer, Kind, Letter};
use super::outbox::{self, MAX_ATTEMPTS, SEND_CONCURRENCY};
pub use super::stopped::Round;
use super::stopped::Stopped;
use super::transport::{Mailer, SendError};
use crate::db::statement;
use crate::domain::Token;
use crate::store::surveys::Survey;
use chrono::{DateTime, Duration, Utc};
use entity::{invitee, mail_outbox};
use futures_util::StreamExt;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

/// What a worker needs besides the database.
pub struct Delivery<'a> {
    pub mailer: &'a dyn Mailer,
    pub composer: &'a Composer,
    /// Personal links are `{base_url}/s/{token}`.
    pub base_url: &'a str,
    pub worker: String,
    pub lease: Duration,
    /// The first wait after a temporary failure; it doubles with every further one.
    pub retry: Duration,
}

impl Round {
    fn count(&mut self, outcome: &Result<(), SendError>, attempts: i32) {
        match outcome {
            Ok(()) => self.sent += 1,
            Err(SendError::Permanent(_)) => self.failed += 1,
            Err(SendError::Temporary(_)) if attempts + 1 >= MAX_ATTEMPTS => self.failed += 1,
            Err(SendError::Temporary(_)) => self.retrying += 1,
        }
    }
}

/// The letter of a survey's invitation or reminder to one person.
pub fn letter(survey: &Survey, name: Option<String>, link: String) -> Letter {
    let q = &survey.questionnaire;
    Letter {
        title: q.title.clone(),
        intro: q.intro.trim().to_string(),
        organisation: q.organisation.clone(),
        contact: q.contact.clone(),
        minutes: q.minutes,
        closes: survey.row.closes_at.map(|c| crate::dutch::date(c.date_naive())),
        name,
        link,
    }
}

/// A claimed message after step 2: ready to send with its token, or an outcome without sending.
enum Prepared {
    Ready { token: Token, invitee_id: i32, name: Option<String> },
    Outcome(SendError),
}

/// What became of one message of the batch in step 4.
enum Step {
    /// Marked with its outcome, after this many earlier attempts.
    Done(Result<(), SendError>, i32),
    /// Sent (or tried), but the mark failed.
    Unmarked(Result<(), SendError>, DbErr),
    /// Not sent: renewing the claim failed.
    Failed(DbErr),
    /// Not sent: the mailing had stopped, or another worker took the message over.
    Left,
}

/// Claims one batch and sends it. Returns what happened, or `None` when nothing was due.
pub async fn deliver_batch(
    db: &DatabaseConnection,
    delivery: &Delivery<'_>,
    surveys: &mut BTreeMap<i32, Survey>,
    batch: u64,
) -> Result<Option<Round>, Stopped> {
    let claimed_at = Utc::now();
    let claimed = match outbox::claim(db, &delivery.worker, batch, claimed_at, delivery.lease).await {
        Ok(claimed) => claimed,
        Err(e) => return Err(stop(db, delivery, Round::default(), 0, e).await),
    };
    if claimed.is_empty() {
        return Ok(None);
    }
    let prepared = match prepare(db, surveys, &claimed).await {
        Ok(prepared) => prepared,
        Err(e) => return Err(stop(db, delivery, Round::default(), 0, e).await),
    };
    let surveys: &BTreeMap<i32, Survey> = surveys;
    let stopped = AtomicBool::new(false);
    let stopped = &stopped;
    // Owned messages keep the future Send for `tokio::spawn` (borrowed ones trip a higher-ranked
    // lifetime limit of the compiler).
    let steps: Vec<Step> = futures_util::stream::iter(claimed.iter().cloned().zip(prepared))
        .map(|(message, prepared)| async move {
            if stopped.load(Ordering::SeqCst) {
                return Step::Left;
            }
            // Within the first half of the lease the claim surely holds; past it, a slow batch
            // renews the claim before each send, and leaves what another worker took over.
            if Utc::now() - claimed_at > delivery.lease / 2 {
                match outbox::renew(db, message.id, &delivery.worker, delivery.lease).await {
                    Ok(true) => {}
                    Ok(false) => return Step::Left,
                    Err(e) => {
                        stopped.store(true, Ordering::SeqCst);
                        return Step::Failed(e);
                    }
                }
            }
            if stopped.load(Ordering::SeqCst) {
                return Step::Left;
            }
            let outcome = send(delivery, surveys, &message, prepared).await;
            // Marked right after its own SMTP transaction: the window for a duplicate is one
            // message per concurrent send.
            let marked =
                outbox::mark(db, message.id, &delivery.worker, &outcome, message.attempts, delivery.retry, Utc::now())
                    .await;
            match marked {
                Ok(()) => Step::Done(outcome, message.attempts),
                Err(e) => {
                    stopped.store(true, Ordering::SeqCst);
                    Step::Unmarked(outcome, e)
                }
            }
        })
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    let mut round = Round::default();
    let (mut unmarked, mut cause) = (0, None);
    for step in steps {
        match step {
            Step::Done(outcome, attempts) => round.count(&outcome, attempts),
            Step::Unmarked(outcome, e) => {
                if outcome.is_ok() {
                    round.sent += 1;
                    unmarked += 1;
                }
                cause.get_or_insert(e);
            }
            Step::Failed(e) => {
                cause.get_or_insert(e);
            }
            Step::Left => {}
        }
    }
    match cause {
        None => Ok(Some(round)),
        Some(e) => Err(stop(db, delivery, round, unmarked, e).await),
    }
}

/// Step 2 and 3: reads what the messages need, mints their tokens and stores them.
async fn prepare(
    db: &DatabaseConnection,
    surveys: &mut BTreeMap<i32, Survey>,
    claimed: &[mail_outbox::Model],
) -> Result<Vec<Prepared>, DbErr> {
    // Surveys are read once per batch, before the concurrent sends share them.
    for message in claimed {
        load_survey(db, surveys, message.survey_id).await?;
    }
    let ids: Vec<i32> = claimed.iter().filter_map(|m| m.invitee_id).collect();
    let names: HashMap<i32, Option<String>> = invitee::Entity::find()
        .select_only()
        .column(invitee::Column::Id)
        .column(invitee::Column::Name)
        .filter(invitee::Column::Id.is_in(ids))
        .into_tuple::<(i32, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let gone = || Prepared::Outcome(SendError::Permanent("de genodigde bestaat niet meer".into()));
    let prepared: Vec<Prepared> = claimed
        .iter()
        .map(|message| {
            let Some((invitee_id, name)) = message.invitee_id.and_then(|id| names.get(&id).map(|n| (id, n))) else {
                return gone();
            };
            if !surveys.contains_key(&message.survey_id) {
                return Prepared::Outcome(SendError::Temporary("de vragenlijst kon niet worden gelezen".into()));
            }
            match Token::generate() {
                Ok(token) => Prepared::Ready { token, invitee_id, name: name.clone() },
                Err(e) => Prepared::Outcome(SendError::Temporary(format!("geen willekeurige bytes: {e}"))),
            }
        })
        .collect();
    let tokens: Vec<(i32, String)> = prepared
        .iter()
        .filter_map(|p| match p {
            Prepared::Ready { token, invitee_id, .. } => Some((*invitee_id, token.hash())),
            Prepared::Outcome(_) => None,
        })
        .collect();
    store_tokens(db, &tokens, Utc::now()).await?;
    Ok(prepared)
}

/// Stores the hashes of a batch's tokens in one transaction: all of them, or an error.
async fn store_tokens(db: &DatabaseConnection, tokens: &[(i32, String)], now: DateTime<Utc>) -> Result<(), DbErr> {
    if tokens.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(tokens.len());
    let mut values: Vec<Value> = Vec::with_capacity(tokens.len() * 3);
    for (i, (invitee_id, hash)) in tokens.iter().enumerate() {
        rows.push(format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3));
        values.extend([(*invitee_id).into(), hash.clone().into(), now.into()]);
    }
    let sql = format!("INSERT INTO invitation_tokens (invitee_id, token_hash, created_at) VALUES {}", rows.join(", "));
    let txn = crate::db::begin_write(db).await?;
    let inserted = txn.execute_raw(statement(&txn, &sql, values)).await?.rows_affected();
    if inserted != tokens.len() as u64 {
        return Err(DbErr::Custom(format!("{inserted} van de {} linkcodes opgeslagen", tokens.len())));
    }
    txn.commit().await
}

/// Reads a survey into the cache unless it is there; a survey that cannot be read is left out,
/// and its messages retry.
async fn load_survey(db: &DatabaseConnection, surveys: &mut BTreeMap<i32, Survey>, id: i32) -> Result<(), DbErr> {
    if let std::collections::btree_map::Entry::Vacant(slot) = surveys.entry(id) {
        let slug: Option<String> = entity::survey::Entity::find_by_id(id)
            .select_only()
            .column(entity::survey::Column::Slug)
            .into_tuple()
            .one(db)
            .await?;
        if let Some(slug) = slug
            && let Ok(survey) = crate::store::surveys::load(db, &slug).await
        {
            slot.insert(survey);
        }
    }
    Ok(())
}

/// Step 4 for one message whose token is stored: composes and hands it to the transport.
async fn send(
    delivery: &Delivery<'_>,
    surveys: &BTreeMap<i32, Survey>,
    message: &mail_outbox::Model,
    prepared: Prepared,
) -> Result<(), SendError> {
    let (token, name) = match prepared {
        Prepared::Ready { token, name, .. } => (token, name),
        Prepared::Outcome(e) => return Err(e),
    };
    let Some(survey) = surveys.get(&message.survey_id) else {
        return Err(SendError::Temporary("de vragenlijst kon niet worden gelezen".into()));
    };
    // A kind peiling does not know is not guessed at: the message fails, saying why.
    let kind = Kind::stored(&message.kind).map_err(|e| {
        tracing::error!(message = message.id, error = %e, "outbox message not sent");
        SendError::Permanent(e.to_string())
    })?;
    let link = format!("{}/s/{}", delivery.base_url, token.as_str());
    match delivery.composer.compose(kind, &message.recipient, &letter(survey, name, link)) {
        Ok(m) => delivery.mailer.send(m).await,
        Err(e) => Err(SendError::Permanent(e.to_string())),
    }
}

/// Hands back what the worker still holds and counts what is left, as far as the database
/// still answers.
async fn stop(db: &DatabaseConnection, delivery: &Delivery<'_>, done: Round, unmarked: u64, cause: DbErr) -> Stopped {
    let released = outbox::release(db, &delivery.worker).await.is_ok();
    let waiting = outbox::status_counts_all(db)
        .await
        .ok()
        .map(|c| [outbox::QUEUED, outbox::RETRYING, outbox::SENDING].iter().map(|s| c[*s]).sum::<u64>())
        .map(|n| n.saturating_sub(unmarked));
    Stopped { done, unmarked, waiting, released, lease: delivery.lease, cause: cause.into() }
}

/// Sends until nothing is due; `progress` hears after every batch how many are done. Stops at
/// the first database error, with what was done until then.
pub async fn drain(
    db: &DatabaseConnection,
    delivery: &Delivery<'_>,
    batch: u64,
    progress: &(dyn Fn(Round) + Sync),
) -> Result<Round, Stopped> {
    let mut surveys = BTreeMap::new();
    let mut total = Round::default();
    loop {
        match deliver_batch(db, delivery, &mut surveys, batch).await {
            Ok(Some(round)) => {
                total.add(round);
                progress(total);
            }
            Ok(None) => return Ok(total),
            Err(mut stopped) => {
                total.add(stopped.done);
                stopped.done = total;
                return Err(stopped);
            }
        }
    }
}
