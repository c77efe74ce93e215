//! Where messages go: a real SMTP server (pooled connections), a folder of .eml files (the
//! default, so nothing needs a server), or memory (tests). One trait, so the outbox worker
//! does not know which.

use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again later: connection trouble, 4xx replies.
    #[error("tijdelijke fout: {0}")]
    Temporary(String),
    /// Will never work: 5xx replies such as an unknown mailbox.
    #[error("blijvende fout: {0}")]
    Permanent(String),
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, message: Message) -> Result<(), SendError>;
}

pub struct Smtp(AsyncSmtpTransport<Tokio1Executor>);

impl Smtp {
    /// From a URL such as `smtps://user:password@mail.example.org` or
    /// `smtp://mail.example.org:587?tls=required` (STARTTLS), or `smtp://127.0.0.1:2525` (plain,
    /// for a local relay).
    pub fn from_url(url: &str) -> Result<Smtp, String> {
        let pool = lettre::transport::smtp::PoolConfig::new().max_size(super::outbox::SEND_CONCURRENCY as u32);
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| e.to_string())?.pool_config(pool).build();
        Ok(Smtp(transport))
    }
}

#[async_trait::async_trait]
impl Mailer for Smtp {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        match self.0.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Temporary(e.to_string())),
        }
    }
}

/// Writes each message as `<id>.eml` into a folder.
pub struct Folder(AsyncFileTransport<Tokio1Executor>);

impl Folder {
    pub fn new(dir: &Path) -> std::io::Result<Folder> {
        std::fs::create_dir_all(dir)?;
        Ok(Folder(AsyncFileTransport::new(dir)))
    }
}

#[async_trait::async_trait]
impl Mailer for Folder {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        self.0.send(message).await.map(|_| ()).map_err(|e| SendError::Temporary(e.to_string()))
    }
}

/// Keeps messages in memory, for tests.
#[derive(Clone, Default)]
pub struct Memory(pub Arc<Mutex<Vec<Message>>>);

#[async_trait::async_trait]
impl Mailer for Memory {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        self.0.lock().map_err(|_| SendError::Temporary("poisoned".into()))?.push(message);
        Ok(())
    }
}
