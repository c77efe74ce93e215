//! Report generation time and peak memory. Each size gets a fresh SQLite database, filled in
//! this process; the report runs in a child process (`bench report-once`), which prints its
//! own time and peak memory, so the filling counts towards neither.

use super::{fill::fill, scratch_sqlite};
use crate::bundled::MAATWERKBUDGET_2021;
use crate::store;
use anyhow::Context;
use chrono::Utc;
use std::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub struct ReportFigures {
    pub responses: usize,
    pub millis: f64,
    pub peak_mb: f64,
    pub pdf_kb: f64,
    pub pages: usize,
    /// Time to store the synthetic responses (None for the demo's 54, which the demo stores).
    pub filling_seconds: Option<f64>,
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

/// One size: fill a fresh database with `n` responses (the demo's own 54 for n = 54, so the
/// smallest size is the reference report) and time the report on it.
pub async fn measure(n: usize) -> anyhow::Result<ReportFigures> {
    let exe = std::env::current_exe().context("cannot find the peiling binary to run the report in")?;
    let (_dir, url) = scratch_sqlite()?;
    let db = crate::db::connect(&url).await?;
    let (slug, filling_seconds) = if n == 54 {
        let memory = crate::mail::transport::Memory::default();
        let (survey, _, _) = crate::demo::run_on(&db, &MAATWERKBUDGET_2021, &memory, "http://127.0.0.1").await?;
        (survey.row.slug, None)
    } else {
        let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, Utc::now()).await?;
        let filling = Instant::now();
        fill(&db, &survey, n).await?;
        (survey.row.slug, Some(filling.elapsed().as_secs_f64()))
    };
    db.close().await?;
    let out = std::process::Command::new(&exe)
        .args(["bench", "report-once", "--database-url", &url, "--survey", &slug])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "the report run for {n} responses failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let line = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = line.split_whitespace().filter_map(|v| v.parse().ok()).collect();
    let [millis, peak_kb, bytes, pages] = f[..] else {
        anyhow::bail!("unexpected output from the report run: {line}");
    };
    Ok(ReportFigures {
        responses: n,
        millis,
        peak_mb: peak_kb / 1024.0,
        pdf_kb: bytes / 1024.0,
        pages: pages as usize,
        filling_seconds,
    })
}
