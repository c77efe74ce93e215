//! Prometheus metrics of this process, plus the mail queue read from the database at scrape
//! time. Requests and latencies count per process (Prometheus adds the instances up); the
//! queue lives in the shared database, so every instance reports the same, whole queue.

use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry};
use sea_orm::DatabaseConnection;
use std::sync::LazyLock;

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub mail_sent: IntCounter,
    pub mail_failed: IntCounter,
    pub mail_retried: IntCounter,
    mail_queue: IntGaugeVec,
}

fn build() -> Result<Metrics, prometheus::Error> {
    let registry = Registry::new_custom(Some("peiling".into()), None)?;
    let requests = IntCounterVec::new(
        Opts::new("http_requests_total", "HTTP requests answered, by method, route pattern and status"),
        &["method", "route", "status"],
    )?;
    let latency = HistogramVec::new(
        HistogramOpts::new("http_request_duration_seconds", "Time to answer an HTTP request, by route pattern")
            .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
        &["route"],
    )?;
    let mail_sent = IntCounter::new("mail_sent_total", "Messages this process handed to the mail server")?;
    let mail_failed =
        IntCounter::new("mail_failed_total", "Messages this process gave up on (refused or too many tries)")?;
    let mail_retried =
        IntCounter::new("mail_retried_total", "Temporary mail failures in this process, to be tried again later")?;
    let mail_queue = IntGaugeVec::new(
        Opts::new(
            "mail_messages",
            "Messages in the shared outbox, by status (queued, sending, retrying, sent, failed)",
        ),
        &["status"],
    )?;
    registry.register(Box::new(requests.clone()))?;
    registry.register(Box::new(latency.clone()))?;
    registry.register(Box::new(mail_sent.clone()))?;
    registry.register(Box::new(mail_failed.clone()))?;
    registry.register(Box::new(mail_retried.clone()))?;
    registry.register(Box::new(mail_queue.clone()))?;
    Ok(Metrics { registry, requests, latency, mail_sent, mail_failed, mail_retried, mail_queue })
}

static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| match build() {
    Ok(m) => Some(m),
    Err(e) => {
        // Names and labels are fixed above, so this is a programming error; serving goes on.
        tracing::error!(error = %e, "metrics could not be set up");
        None
    }
});

/// The process's metrics; `None` only if they could not be registered (logged once).
pub fn get() -> Option<&'static Metrics> {
    METRICS.as_ref()
}

/// Counts one answered request.
pub fn observe_request(method: &str, route: &str, status: u16, seconds: f64) {
    if let Some(m) = get() {
        m.requests.with_label_values(&[method, route, &status.to_string()]).inc();
        m.latency.with_label_values(&[route]).observe(seconds);
    }
}

/// Counts a mail round's outcome.
pub fn observe_mail(sent: u64, retrying: u64, failed: u64) {
    if let Some(m) = get() {
        m.mail_sent.inc_by(sent);
        m.mail_retried.inc_by(retrying);
        m.mail_failed.inc_by(failed);
    }
}

/// The text exposition format, with the outbox counts read now. A database that does not
/// answer leaves the queue gauges out rather than failing the scrape.
pub async fn render(db: &DatabaseConnection) -> String {
    let Some(m) = get() else { return String::new() };
    match crate::mail::outbox::status_counts_all(db).await {
        Ok(counts) => {
            m.mail_queue.reset();
            for (status, n) in counts {
                m.mail_queue.with_label_values(&[status.as_str()]).set(i64::try_from(n).unwrap_or(i64::MAX));
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: the outbox could not be counted"),
    }
    let mut out = Vec::new();
    if let Err(e) = prometheus::TextEncoder::new().encode(&m.registry.gather(), &mut out) {
        tracing::error!(error = %e, "metrics could not be encoded");
    }
    String::from_utf8(out).unwrap_or_default()
}
