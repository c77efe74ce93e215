//! Background work of `peiling serve`: sending the outbox, scheduled reminders, closing
//! surveys whose closing moment has passed, and deleting personal data after the retention
//! period; on SQLite also `PRAGMA quick_check` now and then (`PEILING_QUICK_CHECK_SECONDS`).
//! Every step claims its work in the database, so any number of processes can run this loop
//! side by side. It stops when the database turns out to be damaged: mail sent now would carry
//! links that a restore from a backup forgets.

use crate::config::Config;
use crate::integrity::{self, Alarm};
use crate::invitations::lifecycle;
use crate::mail::compose::Composer;
use crate::mail::outbox::{self, Delivery};
use crate::retention;
use chrono::Utc;
use sea_orm::DatabaseConnection;
use std::time::{Duration, Instant};

/// How long the loop rests when there was nothing to do.
pub const IDLE: Duration = Duration::from_secs(5);

pub async fn run(config: Config, db: DatabaseConnection, alarm: Alarm) -> anyhow::Result<()> {
    let mailer = config.mailer()?;
    let composer = Composer::new(&config.mail_from)?;
    let delivery = Delivery {
        mailer: mailer.as_ref(),
        composer: &composer,
        base_url: &config.base_url,
        worker: format!("serve-{}-{}", std::process::id(), Utc::now().timestamp_millis()),
        lease: config.mail_lease,
        retry: config.mail_retry,
    };
    let checks = config.quick_check.filter(|_| db.get_database_backend() == sea_orm::DbBackend::Sqlite);
    let mut next_check = checks.map(|every| Instant::now() + every);
    loop {
        if alarm.raised().is_some() {
            tracing::info!("background work stopped: the database is damaged");
            return Ok(());
        }
        // A failing step is logged and tried again next round: a database restart must not
        // stop the mail. Damage is the alarm's to log.
        if let Err(e) = round(&db, &delivery, config.retention_days).await {
            // A stopped mailing keeps its database error inside, not as a source.
            let stopped = e.downcast_ref::<outbox::Stopped>();
            let cause = stopped.map_or(&e, |s| &s.cause);
            match cause.chain().find_map(crate::db::outage_in) {
                Some(crate::db::Outage::Corrupt) => alarm.raise(&format!("{e:#}")),
                _ => {
                    // A stopped mailing says what it sent and what not, with the database's cause.
                    let said = stopped.map_or_else(|| format!("{e:#}"), |s| s.explained(&config.database_url));
                    tracing::warn!(error = %said, "background round failed; trying again");
                }
            }
        }
        if let (Some(every), Some(at)) = (checks, next_check)
            && Instant::now() >= at
        {
            integrity::check_while_serving(&db, &alarm).await;
            next_check = Some(Instant::now() + every);
        }
        tokio::time::sleep(IDLE).await;
    }
}

/// One pass of the loop; public so tests can run a round without a server. A failing step
/// does not keep the others from running: whatever goes wrong with closing or purging, the
/// mail goes out. Every failure is returned after all steps ran, in one error (a stopped
/// mailing stays reachable by downcasting).
pub async fn round(db: &DatabaseConnection, delivery: &Delivery<'_>, retention_days: u32) -> anyhow::Result<()> {
    let now = Utc::now();
    let housekeeping = housekeeping(db, retention_days, now).await;
    let mail = mail(db, delivery).await;
    match (housekeeping, mail) {
        (Err(h), Err(m)) => Err(m.context(format!("{h:#}"))),
        (h, m) => h.and(m),
    }
}

async fn housekeeping(db: &DatabaseConnection, retention_days: u32, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    let closed = lifecycle::close_expired(db, now).await?;
    if closed > 0 {
        tracing::info!(surveys = closed, "closed surveys whose closing moment passed");
    }
    let reminders = lifecycle::send_due_reminders(db, now).await?;
    if reminders > 0 {
        tracing::info!(messages = reminders, "queued scheduled reminders");
    }
    let due = retention::purge_due(db, &crate::audit::Actor::System, retention_days, now).await?;
    for purged in due.purged {
        tracing::info!(
            survey = %purged.slug,
            invitees = purged.invitees,
            tokens = purged.tokens,
            texts = purged.texts,
            other_texts = purged.other_texts,
            "deleted personal data after the retention period"
        );
    }
    let sessions = retention::purge_sessions(db, now).await?;
    if sessions > 0 {
        tracing::info!(sessions, "removed expired sign-in sessions");
    }
    let counters = crate::accounts::throttle::purge(db, now).await?;
    if counters > 0 {
        tracing::info!(counters, "removed login counters of addresses that have been quiet");
    }
    // Returned, not logged here: `run` logs a failed round once and tries again next round.
    let failed: Vec<String> = due.failed.iter().map(|(survey, error)| format!("purging '{survey}': {error}")).collect();
    anyhow::ensure!(failed.is_empty(), "{}", failed.join("; "));
    Ok(())
}

async fn mail(db: &DatabaseConnection, delivery: &Delivery<'_>) -> anyhow::Result<()> {
    let sent = match outbox::drain(db, delivery, 50, &|_| {}).await {
        Ok(sent) => sent,
        Err(stopped) => {
            // What went out before the stop counts too.
            crate::metrics::observe_mail(stopped.done.sent, stopped.done.retrying, stopped.done.failed);
            return Err(stopped.into());
        }
    };
    crate::metrics::observe_mail(sent.sent, sent.retrying, sent.failed);
    if sent.sent + sent.failed + sent.retrying > 0 {
        tracing::info!(sent = sent.sent, retrying = sent.retrying, failed = sent.failed, "mail round");
    }
    Ok(())
}
