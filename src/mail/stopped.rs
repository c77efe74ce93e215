//! What a mailing that stopped at a database error tells: how many messages went out (each
//! with a link that works), how many did not and wait in the outbox, and why, in Dutch for the
//! command line and the log of `peiling serve`.

use chrono::Duration;

/// What a mailing did: messages sent, to be tried again, and given up.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: u64,
    pub retrying: u64,
    pub failed: u64,
}

impl Round {
    pub(super) fn add(&mut self, other: Round) {
        self.sent += other.sent;
        self.retrying += other.retrying;
        self.failed += other.failed;
    }
}

/// A mailing stopped by a database error, with what it did until then.
#[derive(Debug)]
pub struct Stopped {
    /// What this mailing sent, and recorded as to retry or failed, before it stopped.
    pub done: Round,
    /// Of `done.sent`, the messages the transport accepted whose mark could not be written:
    /// they are sent again later (their first link keeps working).
    pub unmarked: u64,
    /// Messages of the outbox not sent yet (queued, retrying, claimed), the `unmarked` ones not
    /// counted; `None` when the database could not even be read to count them.
    pub waiting: Option<u64>,
    /// Whether the claimed rows not sent were handed back at once; if not, they are free again
    /// when their lease runs out.
    pub released: bool,
    pub lease: Duration,
    pub cause: anyhow::Error,
}

impl Stopped {
    /// What was sent and what not, and the cause, explained with `db::explain` where it knows
    /// the cause (a full disk, a read-only file, a server away) for the database at `url`.
    pub fn explained(&self, url: &str) -> String {
        let cause = crate::db::explain(&self.cause, url).unwrap_or_else(|| format!("{:#}", self.cause));
        self.told(&cause)
    }

    fn told(&self, cause: &str) -> String {
        let mut text = format!(
            "het versturen is gestopt door een fout van de database. Verstuurd: {}, elk met een link die werkt.",
            messages(self.done.sent)
        );
        if self.done.retrying + self.done.failed > 0 {
            text.push_str(&format!(
                " Niet afgeleverd: {} later opnieuw, {} mislukt.",
                self.done.retrying, self.done.failed
            ));
        }
        match self.waiting {
            Some(n) => text.push_str(&format!(" Niet verstuurd en nog in de wachtrij: {}.", messages(n))),
            None => text.push_str(" Niet verstuurd: de rest van de wachtrij (die kon niet worden geteld)."),
        }
        text.push_str(&format!(" Oorzaak: {cause}"));
        if self.unmarked > 0 {
            text.push_str(&format!(
                " Van {} kon niet worden vastgelegd dat ze verstuurd zijn: die ontvangers krijgen het bericht later \
                 nog een keer (beide links werken).",
                messages(self.unmarked)
            ));
        }
        if !self.released {
            text.push_str(&format!(
                " Wat dit proces al had opgepakt, komt na {} seconden weer vrij.",
                self.lease.num_seconds()
            ));
        }
        text.push_str(" Zodra de database weer schrijft, verstuurt `peiling mail send` (of `peiling serve`) de rest.");
        text
    }
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.told(&format!("{:#}", self.cause)))
    }
}

// No `source`: the cause is part of the message, and a caller that explained the chain's
// database error instead (as `main` does) would drop the counts.
impl std::error::Error for Stopped {}

fn messages(n: u64) -> String {
    if n == 1 { "1 bericht".into() } else { format!("{n} berichten") }
}
