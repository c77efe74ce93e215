//! `peiling bench`: performance figures measured on this machine, never asserted in tests.
//!
//! `bench report` fills a fresh SQLite database per size with synthetic responses, then runs
//! the report in a child process (`bench report-once`), which prints its own time and peak
//! memory, so the filling does not count towards either.

use crate::bundled::MAATWERKBUDGET_2021;
use crate::demo::{plan::Rng, random};
use crate::store::{self, surveys::Survey};
use anyhow::Context;
use chrono::Utc;
use sea_orm::{DatabaseConnection, TransactionTrait};
use std::time::Instant;

/// Stores `n` random valid responses, spread over the survey's groups, in batches.
async fn fill(db: &DatabaseConnection, survey: &Survey, n: usize) -> anyhow::Result<()> {
    let mut rng = Rng::new(n as u64);
    let mut done = 0;
    while done < n {
        let txn = db.begin().await?;
        for i in done..(done + 5_000).min(n) {
            let answers = random::respondent(&survey.questionnaire, &mut rng, i < 13)?;
            let group = &survey.groups[i % survey.groups.len()];
            store::responses::insert_submitted(
                &txn,
                survey.row.id,
                &survey.questionnaire,
                group.id,
                &answers,
                Utc::now(),
            )
            .await?;
        }
        txn.commit().await?;
        done = (done + 5_000).min(n);
    }
    Ok(())
}

/// Peak resident memory of this process in kB (Linux), or 0 where it cannot be read.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// The child side: one report on an existing database; prints "millis peak_kb bytes pages".
pub async fn report_once(database_url: &str, slug: &str) -> anyhow::Result<()> {
    let db = crate::db::connect(database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let start = Instant::now();
    let generated = crate::report::generate(&db, &survey, MAATWERKBUDGET_2021.report, Utc::now().date_naive()).await?;
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    println!("{millis:.1} {} {} {}", peak_kb(), generated.pdf.len(), generated.pages);
    Ok(())
}

pub async fn report(sizes: &[usize]) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find the peiling binary to run the report in")?;
    println!("report generation, SQLite, {} cores", std::thread::available_parallelism().map_or(1, |n| n.get()));
    println!("{:>10} {:>12} {:>14} {:>10} {:>7}", "responses", "report (ms)", "peak mem (MB)", "PDF (kB)", "pages");
    for &n in sizes {
        let dir = tempfile::Builder::new().prefix("peiling-bench-").tempdir()?;
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
        let db = crate::db::connect(&url).await?;
        let slug = if n == 54 {
            // The demo's own 54 respondents, so the smallest size is the reference report.
            let memory = crate::mail::transport::Memory::default();
            let (survey, _, _) = crate::demo::run_on(&db, &MAATWERKBUDGET_2021, &memory, "http://127.0.0.1").await?;
            survey.row.slug
        } else {
            let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, Utc::now()).await?;
            let filling = Instant::now();
            fill(&db, &survey, n).await?;
            eprintln!("  ({n} responses stored in {:.1} s)", filling.elapsed().as_secs_f64());
            survey.row.slug
        };
        db.close().await?;
        let out = std::process::Command::new(&exe)
            .args(["bench", "report-once", "--database-url", &url, "--survey", &slug])
            .output()?;
        if !out.status.success() {
            anyhow::bail!("the report run for {n} responses failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<f64> = line.split_whitespace().filter_map(|v| v.parse().ok()).collect();
        if let [millis, peak, bytes, pages] = f[..] {
            println!("{n:>10} {millis:>12.1} {:>14.1} {:>10.0} {pages:>7}", peak / 1024.0, bytes / 1024.0);
        } else {
            anyhow::bail!("unexpected output from the report run: {line}");
        }
    }
    Ok(())
}

/// Queueing and sending `n` invitations on a fresh SQLite database, to a loopback SMTP sink.
pub async fn mail(n: usize) -> anyhow::Result<()> {
    use crate::domain::EmailAddress;
    use crate::mail::{compose::Composer, outbox, sink, transport::Smtp};
    use crate::store::invitees::NewInvitee;
    let dir = tempfile::Builder::new().prefix("peiling-bench-").tempdir()?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
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
    crate::invitations::lifecycle::open(&db, &survey, Utc::now() + chrono::Duration::days(14), Utc::now()).await?;
    let queueing = start.elapsed().as_secs_f64();

    let sink = sink::Sink::start(sink::Faults::default()).await?;
    let smtp = Smtp::from_url(&sink.url()).map_err(anyhow::Error::msg)?;
    let composer = Composer::new("Onderzoek <onderzoek@example.org>")?;
    let delivery = outbox::Delivery {
        mailer: &smtp,
        composer: &composer,
        base_url: "http://127.0.0.1:8080",
        worker: "bench".into(),
        lease: outbox::LEASE,
    };
    let start = Instant::now();
    let round = outbox::drain(&db, &delivery, 100, &|_| {}).await?;
    let sending = start.elapsed().as_secs_f64();
    anyhow::ensure!(sink.received().len() == n && round.sent as usize == n, "not every message arrived");
    println!("mail, SQLite, loopback SMTP, {} cores", std::thread::available_parallelism().map_or(1, |c| c.get()));
    println!("{:>10} {:>14} {:>12} {:>16}", "invitees", "queueing (s)", "sending (s)", "messages per s");
    println!("{n:>10} {queueing:>14.2} {sending:>12.2} {:>16.0}", n as f64 / sending);
    Ok(())
}
