//! Queueing and sending invitations on a fresh SQLite database, to the loopback SMTP sink.

use super::scratch_sqlite;
use crate::bundled::MAATWERKBUDGET_2021;
use crate::domain::EmailAddress;
use crate::mail::{compose::Composer, outbox, sink, transport::Smtp};
use crate::store::{self, invitees::NewInvitee};
use chrono::Utc;
use std::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub struct MailFigures {
    pub invitees: usize,
    /// Opening the survey, which queues one message per invitee in its transaction.
    pub queueing_seconds: f64,
    pub sending_seconds: f64,
}

impl MailFigures {
    pub fn per_second(&self) -> f64 {
        self.invitees as f64 / self.sending_seconds.max(f64::MIN_POSITIVE)
    }
}

pub async fn measure(n: usize) -> anyhow::Result<MailFigures> {
    let (_dir, url) = scratch_sqlite()?;
    let db = crate::db::connect(&url).await?;
    let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, Utc::now()).await?;
    let people = (0..n)
        .map(|i| {
            Ok(NewInvitee {
                email: EmailAddress::parse(&format!("persoon{i}@example.org"))?,
                name: Some(format!("Persoon {i}")),
                group: survey.groups[i % survey.groups.len()].code.clone(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    store::invitees::add_all(&db, &survey, people, Utc::now()).await?;
    let survey = store::surveys::load(&db, &survey.row.slug).await?;

    let start = Instant::now();
    crate::invitations::lifecycle::open(
        &db,
        &crate::audit::Actor::System,
        &survey,
        Utc::now() + chrono::Duration::days(14),
        Utc::now(),
    )
    .await?;
    let queueing_seconds = start.elapsed().as_secs_f64();

    let sink = sink::Sink::start(sink::Faults::default()).await?;
    let smtp = Smtp::from_url(&sink.url()).map_err(anyhow::Error::msg)?;
    let composer = Composer::new("Onderzoek <onderzoek@example.org>")?;
    let delivery = outbox::Delivery {
        mailer: &smtp,
        composer: &composer,
        base_url: "http://127.0.0.1:8080",
        worker: "bench".into(),
        lease: outbox::LEASE,
        retry: outbox::RETRY,
    };
    let start = Instant::now();
    let round = outbox::drain(&db, &delivery, 100, &|_| {}).await?;
    let sending_seconds = start.elapsed().as_secs_f64();
    anyhow::ensure!(
        sink.received().len() == n && round.sent as usize == n,
        "not every message arrived: {} of {n} received, {} marked sent",
        sink.received().len(),
        round.sent
    );
    db.close().await?;
    Ok(MailFigures { invitees: n, queueing_seconds, sending_seconds })
}
