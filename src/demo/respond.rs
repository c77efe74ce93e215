//! The demo's respondents answer the way professionals do: through their personal link, over
//! HTTP, against a server started on a free loopback port. Links are read from the sent
//! invitations, so the demo exercises the whole path from outbox to stored response.

use crate::mail::transport::{Mailer, SendError};
use crate::questionnaire::Answers;
use crate::store::surveys::Survey;
use crate::web::{Application, Clock, Settings};
use anyhow::{Context, bail};
use lettre::Message;
use sea_orm::DatabaseConnection;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;

/// Passes messages on and keeps the personal link each recipient got.
pub struct Recording<'a> {
    pub inner: &'a dyn Mailer,
    pub base_url: String,
    pub links: Mutex<HashMap<String, String>>,
}

impl<'a> Recording<'a> {
    pub fn new(inner: &'a dyn Mailer, base_url: &str) -> Recording<'a> {
        Recording { inner, base_url: base_url.to_string(), links: Mutex::new(HashMap::new()) }
    }

    /// The token in the link of a message, as a mail program shows it (soft line breaks of
    /// quoted-printable undone).
    fn token(&self, message: &Message) -> Option<String> {
        let text = String::from_utf8_lossy(&message.formatted()).replace("=\r\n", "");
        let prefix = format!("{}/s/", self.base_url);
        let start = text.find(&prefix)? + prefix.len();
        let token: String =
            text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        Some(token)
    }
}

#[async_trait::async_trait]
impl Mailer for Recording<'_> {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        let recipient = message.envelope().to().first().map(ToString::to_string);
        let token = self.token(&message);
        let outcome = self.inner.send(message).await;
        if outcome.is_ok()
            && let (Some(recipient), Some(token)) = (recipient, token)
            && let Ok(mut links) = self.links.lock()
        {
            links.insert(recipient.to_lowercase(), token);
        }
        outcome
    }
}

/// Starts a server on a free loopback port, saves each respondent's answers as a draft and
/// then submits them, through the JSON API. `tokens` holds the links per group code.
pub async fn answer_over_http(
    db: &DatabaseConnection,
    survey: &Survey,
    respondents: &[(String, Answers)],
    mut tokens: HashMap<String, Vec<String>>,
    clock: Clock,
) -> anyhow::Result<()> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("no free loopback port for the demo server")?;
    let base = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let app = Application::build_with_clock(listener, db.clone(), Settings::new(&base), clock)?;
    let server = app.server();
    let handle = server.handle();
    let running = tokio::spawn(server);
    let client = reqwest::Client::new();
    let q = &survey.questionnaire;
    let result = async {
        for (number, (group, answers)) in respondents.iter().enumerate() {
            let token = tokens
                .get_mut(group)
                .and_then(Vec::pop)
                .with_context(|| format!("no unused link left in group {group}"))?;
            let url = format!("{base}/api/v1/r/{token}");
            let body = json!({ "answers": answers.to_json(q) });
            let saved = client.put(&url).json(&body).send().await?;
            if !saved.status().is_success() {
                bail!("respondent {}: saving answers gave {}: {}", number + 1, saved.status(), saved.text().await?);
            }
            let submitted = client.post(format!("{url}/submit")).send().await?;
            if submitted.status() != reqwest::StatusCode::CREATED {
                bail!("respondent {}: submitting gave {}: {}", number + 1, submitted.status(), submitted.text().await?);
            }
        }
        Ok(())
    }
    .await;
    handle.stop(true).await;
    running.await.context("the demo server panicked")??;
    result
}
