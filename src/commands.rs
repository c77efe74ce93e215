//! What each CLI command does, in terms of the library. Output goes to stdout; errors bubble
//! up to `main`, which prints them and exits non-zero.

use crate::config::Config;
use crate::report::{ReportDefinition, stats, text_table};
use crate::{bundled, db, demo, questionnaire, store};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("could not read {}", file.display()))
}

pub async fn demo(dir: Option<PathBuf>) -> anyhow::Result<()> {
    let temp;
    let keep = dir.is_some();
    let folder = match dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
            if dir.join("peiling.db").exists() {
                bail!("{} already holds a demo database; pick an empty folder", dir.display());
            }
            dir
        }
        None => {
            temp = tempfile::Builder::new().prefix("peiling-demo-").tempdir()?;
            temp.path().to_path_buf()
        }
    };
    let outcome = demo::run(&folder, &bundled::MAATWERKBUDGET_2021).await?;
    let q = &outcome.survey.questionnaire;
    println!("{} — synthetische demo ({} vragen, {} groepen)\n", q.title, q.questions.len(), q.groups.len());
    println!("Respons\n{}", outcome.response_table);
    print!("{}", outcome.figures_table);
    let out = PathBuf::from("reports/out").join(format!("{}.pdf", outcome.survey.row.slug));
    write_pdf(&out, &outcome.report.pdf)?;
    println!("Rapport: {} ({} pagina's, {} kB)", out.display(), outcome.report.pages, outcome.report.pdf.len() / 1024);
    if keep {
        println!("Database: {}", outcome.database_url);
    } else {
        println!("(tijdelijke database, na afloop verwijderd; bewaar hem met --dir MAP)");
    }
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    db::connect(&config.database_url).await?;
    println!("database schema is up to date ({})", db::redact(&config.database_url));
    Ok(())
}

pub fn survey_check(file: &Path) -> anyhow::Result<()> {
    let q = questionnaire::parse(&read(file)?).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let routed = q.questions.iter().filter(|q| q.show_if.is_some()).count();
    println!(
        "{}: vragenlijst '{}' is in orde: {} vragen ({} met routering), groepen {}",
        file.display(),
        q.id,
        q.questions.len(),
        routed,
        q.groups.iter().map(|g| g.code.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

pub async fn survey_create(config: &Config, file: &Path) -> anyhow::Result<()> {
    let source = read(file)?;
    let db = db::connect(&config.database_url).await?;
    let survey = store::surveys::create(&db, &source, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    println!("vragenlijst '{}' opgeslagen als concept (id {})", survey.row.slug, survey.row.id);
    Ok(())
}

pub async fn survey_list(config: &Config) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    let surveys = store::surveys::list(&db).await?;
    if surveys.is_empty() {
        println!("nog geen vragenlijsten; begin met `peiling survey create FILE`");
    }
    for s in surveys {
        println!("{:<30} {:<8} {}", s.slug, s.status, s.title);
    }
    Ok(())
}

/// The report definition for a survey: the given file, the bundled one, or reports/<code>.toml.
fn report_source(slug: &str, file: Option<&Path>) -> anyhow::Result<String> {
    match file {
        Some(file) => read(file),
        None => match bundled::find(slug) {
            Some(b) => Ok(b.report.to_string()),
            None => read(&PathBuf::from("reports").join(format!("{slug}.toml"))),
        },
    }
}

pub async fn report(config: &Config, slug: &str, out: &Path, definition: Option<&Path>) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let source = report_source(slug, definition)?;
    let generated = crate::report::generate(&db, &survey, &source, chrono::Utc::now().date_naive()).await?;
    write_pdf(out, &generated.pdf)?;
    println!("{} ({} pagina's, {} kB)", out.display(), generated.pages, generated.pdf.len() / 1024);
    Ok(())
}

fn write_pdf(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("could not create {}", parent.display()))?;
    }
    // Write next to the target and rename, so a reader never sees half a PDF.
    let tmp = out.with_extension("pdf.part");
    std::fs::write(&tmp, bytes).with_context(|| format!("could not write {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("could not write {}", out.display()))
}

pub async fn narrative(config: &Config, slug: &str, key: Option<&str>, file: Option<&Path>) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let Some(key) = key else {
        let mut texts: Vec<(String, String)> =
            store::report_texts::all(&db, survey.row.id).await?.into_iter().collect();
        texts.sort();
        if texts.is_empty() {
            println!("nog geen teksten; zet er een met `peiling narrative {slug} open:Q8 --file tekst.txt`");
        }
        for (k, t) in texts {
            println!("[{k}]\n{t}\n");
        }
        return Ok(());
    };
    let valid = key.starts_with("open:") || key.starts_with("figure:") || key.starts_with("section:");
    if !valid {
        bail!("'{key}' is geen geldige sleutel: gebruik open:<vraag>, figure:<vraag> of section:<nummer>");
    }
    let text = match file {
        Some(f) if f.as_os_str() != "-" => read(f)?,
        _ => std::io::read_to_string(std::io::stdin()).context("could not read the text from stdin")?,
    };
    store::report_texts::set(&db, survey.row.id, key, &text, chrono::Utc::now()).await?;
    println!("tekst '{key}' van '{slug}' {}", if text.trim().is_empty() { "verwijderd" } else { "opgeslagen" });
    Ok(())
}

pub async fn figures(config: &Config, slug: &str, report: Option<&Path>) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let source = report_source(slug, report)?;
    let definition = ReportDefinition::parse(&source, &survey.questionnaire)?;
    let counts = stats::count(&db, survey.row.id, None).await?;
    let groups = stats::response_per_group(&db, survey.row.id).await?;
    println!("Respons\n{}", text_table::response_table(&groups));
    print!("{}", text_table::figures_table(&definition, &survey.questionnaire, &counts));
    Ok(())
}

pub async fn invitees_import(config: &Config, slug: &str, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let db = db::connect(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let count = crate::invitations::import_file(&db, &survey, &bytes)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    println!("{count} genodigden geïmporteerd in '{slug}'");
    Ok(())
}
