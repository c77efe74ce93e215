//! Opening a survey queues its invitations; the worker sends each exactly once, with a
//! working personal link, retries temporary failures and records permanent ones.

use crate::on_both;
use entity::{invitation_token, mail_outbox};
use peiling::domain::Token;
use peiling::invitations::lifecycle;
use peiling::mail::compose::Composer;
use peiling::mail::outbox;
use peiling::mail::transport::{Mailer, Memory, SendError};
use peiling::store;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::Mutex;

async fn survey_with(db: &DatabaseConnection, n: usize) -> store::surveys::Survey {
    crate::helpers::survey_with_invitees(db, "persoon", n).await
}

fn link_token(raw: &str) -> Token {
    let start = raw.find("/s/").expect("a personal link") + 3;
    Token::parse(&raw[start..start + 43]).expect("a well-formed token")
}

#[tokio::test]
async fn opening_queues_one_invitation_each_and_the_worker_sends_them_once() {
    on_both!("opening_queues_one_invitation_each_and_the_worker_sends_them_once", |db| {
        let survey = survey_with(&db, 25).await;
        let now = chrono::Utc::now();
        let queued =
            lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now)
                .await
                .unwrap();
        assert_eq!(queued, 25);
        let again = lifecycle::open(
            &db,
            &peiling::audit::Actor::System,
            &store::surveys::load(&db, "maatwerkbudget-2021").await.unwrap(),
            now + chrono::Duration::days(14),
            now,
        )
        .await;
        assert!(again.unwrap_err().to_string().contains("al open"));

        let memory = Memory::default();
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        let delivery = crate::helpers::delivery(&memory, &composer, "w1");
        let round = outbox::drain(&db, &delivery, 10, &|_| {}).await.unwrap();
        assert_eq!((round.sent, round.retrying, round.failed), (25, 0, 0));
        // Draining again sends nothing: every row is marked sent.
        assert_eq!(outbox::drain(&db, &delivery, 10, &|_| {}).await.unwrap().sent, 0);

        let messages = memory.0.lock().unwrap().clone();
        assert_eq!(messages.len(), 25);
        let mut recipients: Vec<String> = messages.iter().map(|m| m.envelope().to()[0].to_string()).collect();
        recipients.sort();
        recipients.dedup();
        assert_eq!(recipients.len(), 25, "one message per invitee");
        for m in &messages {
            let raw = String::from_utf8(m.formatted()).unwrap();
            let token = link_token(&raw);
            let stored = invitation_token::Entity::find()
                .filter(invitation_token::Column::TokenHash.eq(token.hash()))
                .count(&db)
                .await
                .unwrap();
            assert_eq!(stored, 1, "the link's token is known by its hash");
            assert!(!raw.contains(&token.hash()), "the hash never goes out");
        }
        let counts = outbox::status_counts(&db, survey.row.id).await.unwrap();
        assert_eq!(counts["sent"], 25);
        // No token is stored in clear anywhere.
        let tokens = invitation_token::Entity::find().all(&db).await.unwrap();
        assert!(tokens.iter().all(|t| t.token_hash.len() == 64));
    });
}

/// Fails every message to addresses containing "weg" permanently, and the first `flaky`
/// attempts temporarily.
struct Picky {
    flaky: Mutex<u32>,
    delivered: Memory,
}

#[async_trait::async_trait]
impl Mailer for Picky {
    async fn send(&self, message: lettre::Message) -> Result<(), SendError> {
        let to = message.envelope().to()[0].to_string();
        if to.contains("persoon3@") {
            return Err(SendError::Permanent("550 5.1.1 mailbox unknown".into()));
        }
        {
            let mut flaky = self.flaky.lock().unwrap();
            if *flaky > 0 {
                *flaky -= 1;
                return Err(SendError::Temporary("421 4.3.2 try again later".into()));
            }
        }
        self.delivered.send(message).await
    }
}

#[tokio::test]
async fn temporary_failures_are_retried_later_and_permanent_ones_recorded() {
    on_both!("temporary_failures_are_retried_later_and_permanent_ones_recorded", |db| {
        let survey = survey_with(&db, 6).await;
        let now = chrono::Utc::now();
        lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now)
            .await
            .unwrap();
        let picky = Picky { flaky: Mutex::new(2), delivered: Memory::default() };
        let composer = Composer::new("onderzoek@example.org").unwrap();
        let delivery = crate::helpers::delivery(&picky, &composer, "w1");
        let round = outbox::drain(&db, &delivery, 100, &|_| {}).await.unwrap();
        assert_eq!((round.sent, round.retrying, round.failed), (3, 2, 1));
        let failed = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Status.eq("failed"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(failed.recipient, "persoon3@example.org");
        assert!(failed.last_error.unwrap().contains("550 5.1.1"));
        // The retries are not due yet; once due (backoff passed) they go out. Nothing is lost.
        let later = chrono::Utc::now() + chrono::Duration::minutes(5);
        let claimed = outbox::claim(&db, "w2", 100, later, outbox::LEASE).await.unwrap();
        assert_eq!(claimed.len(), 2);
        assert!(claimed.iter().all(|m| m.attempts == 1 && m.last_error.as_deref().unwrap_or("").contains("421")));
    });
}

#[tokio::test]
async fn a_dead_workers_claim_is_taken_over_after_its_lease() {
    on_both!("a_dead_workers_claim_is_taken_over_after_its_lease", |db| {
        let survey = survey_with(&db, 4).await;
        let now = chrono::Utc::now();
        lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now)
            .await
            .unwrap();
        // Worker 1 claims everything and dies before sending.
        assert_eq!(outbox::claim(&db, "dead", 100, now, outbox::LEASE).await.unwrap().len(), 4);
        assert!(
            outbox::claim(&db, "w2", 100, now, outbox::LEASE).await.unwrap().is_empty(),
            "claimed rows are not handed out twice"
        );
        let after_lease = now + outbox::LEASE + chrono::Duration::seconds(1);
        let taken = outbox::claim(&db, "w2", 100, after_lease, outbox::LEASE).await.unwrap();
        assert_eq!(taken.len(), 4);
        assert!(taken.iter().all(|m| m.claimed_by.as_deref() == Some("w2")));
    });
}

#[tokio::test]
async fn reminders_go_only_to_those_who_have_not_answered() {
    on_both!("reminders_go_only_to_those_who_have_not_answered", |db| {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let survey = survey_with(&db, 5).await;
        let now = chrono::Utc::now();
        assert!(
            lifecycle::remind(&db, &peiling::audit::Actor::System, &survey, now).await.is_err(),
            "no reminders for a draft"
        );
        lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now)
            .await
            .unwrap();
        let survey = store::surveys::load(&db, "maatwerkbudget-2021").await.unwrap();
        for i in [0, 4] {
            let person = entity::invitee::Entity::find()
                .filter(entity::invitee::Column::Email.eq(format!("persoon{i}@example.org")))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            let mut person = person.into_active_model();
            person.submitted = Set(true);
            person.update(&db).await.unwrap();
        }
        assert_eq!(lifecycle::remind(&db, &peiling::audit::Actor::System, &survey, now).await.unwrap(), 3);
        let reminded: Vec<String> = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("reminder"))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.recipient)
            .collect();
        assert!(
            !reminded.contains(&"persoon0@example.org".to_string())
                && !reminded.contains(&"persoon4@example.org".to_string())
        );
        lifecycle::close(&db, &peiling::audit::Actor::System, &survey, now).await.unwrap();
        let closed = store::surveys::load(&db, "maatwerkbudget-2021").await.unwrap();
        assert!(!lifecycle::accepts_answers(&closed, now));
        assert!(
            lifecycle::remind(&db, &peiling::audit::Actor::System, &closed, now).await.is_err(),
            "no reminders once closed"
        );
    });
}
