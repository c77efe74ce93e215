//! Background work of `peiling serve`: sending the outbox, scheduled reminders, and closing
//! surveys whose closing moment has passed. Every step claims its work in the database, so
//! any number of processes can run this loop side by side.

use crate::config::Config;
use crate::invitations::lifecycle;
use crate::mail::compose::Composer;
use crate::mail::outbox::{self, Delivery};
use chrono::Utc;
use sea_orm::DatabaseConnection;
use std::time::Duration;

/// How long the loop rests when there was nothing to do.
pub const IDLE: Duration = Duration::from_secs(5);

pub async fn run(config: Config, db: DatabaseConnection) -> anyhow::Result<()> {
    let mailer = config.mailer()?;
    let composer = Composer::new(&config.mail_from)?;
    let delivery = Delivery {
        mailer: mailer.as_ref(),
        composer: &composer,
        base_url: &config.base_url,
        worker: format!("serve-{}-{}", std::process::id(), Utc::now().timestamp_millis()),
        lease: config.mail_lease,
    };
    loop {
        // A failing step is logged and tried again next round: a database restart must not
        // stop the mail.
        if let Err(e) = round(&db, &delivery).await {
            tracing::warn!(error = %e, "background round failed; trying again");
        }
        tokio::time::sleep(IDLE).await;
    }
}

async fn round(db: &DatabaseConnection, delivery: &Delivery<'_>) -> Result<(), sea_orm::DbErr> {
    let now = Utc::now();
    let closed = lifecycle::close_expired(db, now).await?;
    if closed > 0 {
        tracing::info!(surveys = closed, "closed surveys whose closing moment passed");
    }
    let reminders = lifecycle::send_due_reminders(db, now).await?;
    if reminders > 0 {
        tracing::info!(messages = reminders, "queued scheduled reminders");
    }
    let sent = outbox::drain(db, delivery, 50, &|_| {}).await?;
    if sent.sent + sent.failed + sent.retrying > 0 {
        tracing::info!(sent = sent.sent, retrying = sent.retrying, failed = sent.failed, "mail round");
    }
    Ok(())
}
