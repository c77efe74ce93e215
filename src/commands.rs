//! What each CLI command does, in terms of the library. Output goes to stdout; errors bubble
//! up to `main`, which prints them and exits non-zero.

use crate::audit::Actor;
use crate::config::Config;
use crate::report::{stats, text_table};
use crate::{bundled, db, demo, questionnaire, store};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

mod accounts;
pub use accounts::{Change as UserChange, token_create, token_list, token_revoke, user_add, user_change, user_list};
pub mod login;

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
    let config = Config::from_env()?;
    let mailer = config.mailer()?;
    let outcome = demo::run(&folder, &bundled::MAATWERKBUDGET_2021, mailer.as_ref(), &config.base_url).await?;
    let q = &outcome.survey.questionnaire;
    println!("{} — synthetische demo ({} vragen, {} groepen)\n", q.title, q.questions.len(), q.groups.len());
    match &config.smtp_url {
        Some(_) => println!("{} uitnodigingen verstuurd via SMTP\n", outcome.mail_sent),
        None => println!("{} uitnodigingen als .eml-bestand in {}\n", outcome.mail_sent, config.outbox_dir.display()),
    }
    println!(
        "{} respondenten vulden de vragenlijst in via hun persoonlijke link (JSON-API van een tijdelijke server op 127.0.0.1)\n",
        outcome.answered
    );
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

pub async fn serve(config: &Config, listen: Option<String>, worker: bool) -> anyhow::Result<()> {
    // Before anything opens the file (and migrations write to it): the log and quick_check,
    // so the log needs no second reading by `integrity::open`.
    crate::integrity::check_before_serving(&config.database_url).await.context("peiling serve start niet")?;
    let db = db::connect(&config.database_url).await?;
    let address = listen.unwrap_or_else(|| config.listen.clone());
    let listener = std::net::TcpListener::bind(&address).with_context(|| format!("cannot listen on {address}"))?;
    // Port 0 asks the system for a free port; say the one it gave, so callers can find us.
    let address = listener.local_addr().map_or(address, |a| a.to_string());
    let app = crate::web::Application::build(listener, db.clone(), crate::web::Settings::from_config(config)?)?;
    tracing::info!(address = %address, database = %db::redact(&config.database_url), "peiling serves");
    println!("peiling luistert op http://{address} (links: {}/s/...)", config.base_url);
    if let Some(metrics) = &config.metrics_listen {
        let listener = std::net::TcpListener::bind(metrics)
            .with_context(|| format!("cannot listen on {metrics} (PEILING_METRICS_LISTEN)"))?;
        let metrics = listener.local_addr().map_or(metrics.clone(), |a| a.to_string());
        let server = crate::web::metrics_server(listener, db.clone(), config.metrics_token.clone())?;
        tokio::spawn(server);
        println!("metrics op http://{metrics}/metrics");
    }
    if worker {
        let (config, db, alarm) = (config.clone(), db.clone(), app.alarm());
        tokio::spawn(async move {
            if let Err(e) = crate::workers::run(config, db, alarm).await {
                tracing::error!(error = %e, "the background worker stopped");
            }
        });
    }
    app.run_until_stopped().await?;
    Ok(())
}

pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<()> {
    let copy = crate::integrity::backup::write(&config.database_url, file).await?;
    let responses = copy.responses.map(|n| format!(", {n} ingevulde vragenlijsten")).unwrap_or_default();
    println!(
        "Back-up van {} geschreven naar {} ({:.1} MB{responses}); PRAGMA quick_check van de kopie: ok.",
        copy.source.display(),
        copy.file.display(),
        copy.bytes as f64 / 1_000_000.0
    );
    Ok(())
}

pub fn anonymise(eval: Option<&Path>) -> anyhow::Result<()> {
    use crate::anonymise::{Anonymiser, eval};
    let anonymiser = Anonymiser::new();
    match eval {
        Some(file) => {
            let set: eval::TestSet =
                toml::from_str(&read(file)?).with_context(|| format!("{} does not parse", file.display()))?;
            let result = eval::evaluate(&anonymiser, &set);
            println!("{} casussen\n{}", set.casus.len(), result.table());
            if !result.problems.is_empty() {
                bail!("the annotated set has problems:\n{}", result.problems.join("\n"));
            }
        }
        None => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
            print!("{}", anonymiser.redact(&text).text);
        }
    }
    Ok(())
}

pub async fn casussen(
    config: &Config,
    slug: &str,
    number: Option<usize>,
    decision: Option<crate::review::Decision>,
    text: Option<&Path>,
) -> anyhow::Result<()> {
    use crate::review;
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let printed = crate::report::source::definition(&survey)?.printed_questions();
    let now = chrono::Utc::now();
    let edited = text.map(read).transpose()?;
    let actor = Actor::CommandLine;
    let items = match number {
        Some(n) if decision.is_some() || edited.is_some() => {
            let anonymiser = review::ready(&db, &survey, &printed, now).await.map_err(not_closed)?;
            let change = review::Change { anonymised: edited, decision };
            vec![review::update(&db, &actor, &survey, n, change, &anonymiser, now).await?]
        }
        Some(n) => vec![review::casus(&db, &actor, &survey, &printed, n, now).await.map_err(not_closed)?],
        None => review::start(&db, &actor, &survey, &printed, now).await.map_err(not_closed)?.1,
    };
    for item in items {
        let word = item.decision.word();
        println!("Casus {} ({}, {word}{})", item.number, item.question, if item.edited { ", bewerkt" } else { "" });
        println!("  origineel:      {}", item.original.trim());
        println!("  geanonimiseerd: {}", item.anonymised);
        for w in &item.warnings {
            println!("  let op, nog herkenbaar? {w}");
        }
        println!();
    }
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    crate::integrity::open(&config.database_url).await?;
    println!("database schema is up to date ({})", db::redact(&config.database_url));
    Ok(())
}

pub fn survey_check(file: &Path) -> anyhow::Result<()> {
    let q = questionnaire::validate(&read(file)?).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
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

/// The researcher's account named by `--owner`.
async fn owner_account(db: &sea_orm::DatabaseConnection, text: &str) -> anyhow::Result<entity::user::Model> {
    use crate::accounts::{self, Role};
    let email = crate::domain::EmailAddress::parse(text).map_err(|e| anyhow::anyhow!("--owner {text}: {e}"))?;
    let user =
        accounts::find_user(db, &email).await?.with_context(|| format!("--owner: er is geen account voor {text}"))?;
    if !Role::stored(&user.role)?.includes(Role::Researcher) {
        bail!("--owner: {text} is geen onderzoeker (rol {})", user.role);
    }
    Ok(user)
}

fn say_owner(owner: Option<&entity::user::Model>) {
    match owner {
        Some(user) => println!("eigenaar: {}", user.email),
        None => println!("nog geen eigenaar: alleen beheerders zien hem (geef --owner EMAIL mee)"),
    }
}

pub async fn survey_create(config: &Config, file: &Path, owner: Option<&str>) -> anyhow::Result<()> {
    let source = read(file)?;
    let db = crate::integrity::open(&config.database_url).await?;
    let owner = match owner {
        None => None,
        Some(text) => Some(owner_account(&db, text).await?),
    };
    let actor = crate::audit::Actor::CommandLine;
    let survey = store::surveys::create_owned(&db, &source, owner.as_ref().map(|u| (u, &actor)), chrono::Utc::now())
        .await
        .with_context(|| file.display().to_string())?;
    println!("vragenlijst '{}' opgeslagen als concept (id {})", survey.row.slug, survey.row.id);
    say_owner(owner.as_ref());
    Ok(())
}

pub async fn survey_copy(
    config: &Config,
    from: &str,
    code: &str,
    title: &str,
    owner: Option<&str>,
) -> anyhow::Result<()> {
    use crate::waves::{self, Copier, Wave};
    let db = crate::integrity::open(&config.database_url).await?;
    let owner = match owner {
        None => None,
        Some(text) => Some(owner_account(&db, text).await?),
    };
    let copier = Copier::CommandLine { owner: owner.as_ref() };
    let survey = waves::copy(&db, copier, Wave { from, code, title }, chrono::Utc::now()).await?;
    println!(
        "vragenlijst '{}' opgeslagen als concept (id {}): nieuwe ronde van '{}', zonder genodigden",
        survey.row.slug,
        survey.row.id,
        from.trim()
    );
    let (_, origin) = crate::report::source::of(&survey);
    println!("rapportdefinitie: {}", origin.label());
    say_owner(owner.as_ref());
    Ok(())
}

pub async fn survey_list(config: &Config) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let surveys = store::surveys::list(&db).await?;
    if surveys.is_empty() {
        println!("nog geen vragenlijsten; begin met `peiling survey create FILE`");
    }
    for s in surveys {
        println!("{:<30} {:<8} {}", s.slug, s.status, s.title);
    }
    Ok(())
}

pub async fn report(config: &Config, slug: &str, out: &Path, definition: Option<&Path>) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let source = match definition {
        Some(file) => read(file)?,
        None => crate::report::source::of(&survey).0,
    };
    let generated = crate::report::draft(&db, &Actor::CommandLine, &survey, &source, chrono::Utc::now()).await?;
    write_pdf(out, &generated.pdf)?;
    println!("{} ({} pagina's, {} kB)", out.display(), generated.pages, generated.pdf.len() / 1024);
    Ok(())
}

pub async fn report_check(config: &Config, file: &Path, survey: Option<&str>) -> anyhow::Result<()> {
    use crate::report::{ReportDefinition, check};
    let source = read(file)?;
    let failed = |e: crate::report::definition::ReportDefinitionErrors| anyhow::anyhow!("{}: {e}", file.display());
    let id = match survey {
        Some(id) => id.to_string(),
        None => check::survey_of(&source).map_err(failed)?,
    };
    let db = crate::integrity::open(&config.database_url).await?;
    let questionnaire = check::questionnaire(&db, &id).await.with_context(|| file.display().to_string())?;
    let definition = ReportDefinition::parse(&source, &questionnaire).map_err(failed)?;
    println!(
        "{}: rapportdefinitie voor '{}' is in orde: {}",
        file.display(),
        questionnaire.id,
        crate::report::source::contents(&definition)
    );
    Ok(())
}

pub async fn survey_show(config: &Config, slug: &str) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    print!("{}", survey.row.frozen_definition.as_deref().unwrap_or(&survey.row.definition));
    Ok(())
}

pub async fn survey_replace(config: &Config, slug: &str, file: &Path) -> anyhow::Result<()> {
    let source = read(file)?;
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let changed = crate::drafts::replace(&db, &Actor::CommandLine, &survey, &source, chrono::Utc::now())
        .await
        .with_context(|| format!("{}: niet opgeslagen", file.display()))?;
    let q = &changed.questionnaire;
    println!("vragenlijst van '{slug}' vervangen: {} vragen, {} team(s)", q.questions.len(), q.groups.len());
    Ok(())
}

pub async fn report_set(config: &Config, slug: &str, file: &Path) -> anyhow::Result<()> {
    let source = read(file)?;
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let definition = crate::report::source::set(&db, &Actor::CommandLine, &survey, &source, chrono::Utc::now())
        .await
        .with_context(|| format!("{}: niet opgeslagen", file.display()))?;
    println!("rapportdefinitie van '{slug}' opgeslagen: {}", crate::report::source::contents(&definition));
    Ok(())
}

pub async fn report_show(config: &Config, slug: &str) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let (source, origin) = crate::report::source::of(&survey);
    // The definition on stdout, so that `> file.toml` gives a file `report set` takes back.
    eprintln!("# {}", origin.label());
    print!("{source}");
    Ok(())
}

pub async fn report_reset(config: &Config, slug: &str) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    crate::report::source::reset(&db, &Actor::CommandLine, &survey, chrono::Utc::now()).await?;
    let survey = store::surveys::load(&db, slug).await?;
    println!("'{slug}' gebruikt nu de {}", crate::report::source::of(&survey).1.label());
    Ok(())
}

/// A review refused before closing, with the command that closes.
fn not_closed(e: crate::review::ReviewError) -> anyhow::Error {
    match e {
        crate::review::ReviewError::NotClosed(slug) => {
            anyhow::anyhow!("casussen worden beoordeeld nadat '{slug}' is gesloten (peiling survey close {slug})")
        }
        other => other.into(),
    }
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
    let db = crate::integrity::open(&config.database_url).await?;
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
    use crate::report::narrative;
    let key = narrative::key(key, &crate::report::source::definition(&survey)?, &survey.questionnaire)?;
    let text = match file {
        Some(f) if f.as_os_str() != "-" => read(f)?,
        _ => std::io::read_to_string(std::io::stdin()).context("could not read the text from stdin")?,
    };
    narrative::set(&db, survey.row.id, &key, &text, chrono::Utc::now()).await?;
    println!("tekst '{key}' van '{slug}' {}", if text.trim().is_empty() { "verwijderd" } else { "opgeslagen" });
    Ok(())
}

pub async fn figures(config: &Config, slug: &str, report: Option<&Path>) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let definition = match report {
        Some(file) => crate::report::ReportDefinition::parse(&read(file)?, &survey.questionnaire)?,
        None => crate::report::source::definition(&survey)?,
    };
    let groups = stats::response_per_group(&db, survey.row.id).await?;
    println!("Respons\n{}", text_table::response_table(&groups));
    if !crate::report::figures_shown(&survey) {
        println!("De cijfers per vraag komen na het sluiten (peiling survey close {slug}).");
        return Ok(());
    }
    let counts = stats::count(&db, survey.row.id, None).await?;
    print!("{}", text_table::figures_table(&definition, &survey.questionnaire, &counts));
    Ok(())
}

/// Reads an invitee list without ever holding more than the import takes: a larger file is
/// refused on its size before reading, and a pipe once more than that has come in.
fn read_invitee_list(file: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let limit = crate::invitations::import::MAX_FILE_BYTES as u64;
    let too_large = || anyhow::anyhow!("{}: niets geïmporteerd: {}", file.display(), crate::invitations::too_large());
    let opened = std::fs::File::open(file).with_context(|| format!("could not read {}", file.display()))?;
    if opened.metadata().is_ok_and(|m| m.is_file() && m.len() > limit) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    opened.take(limit + 1).read_to_end(&mut bytes).with_context(|| format!("could not read {}", file.display()))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

pub async fn invitees_import(config: &Config, slug: &str, file: &Path) -> anyhow::Result<()> {
    let bytes = read_invitee_list(file)?;
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let count = crate::invitations::import_file(&db, &Actor::CommandLine, &survey, &bytes, chrono::Utc::now())
        .await
        .map_err(|e| match e {
            // Kept as the cause, so that a full or read-only database is told as such.
            crate::invitations::ImportError::Store(e) => anyhow::Error::new(e).context(file.display().to_string()),
            rows => anyhow::anyhow!("{}: {rows}", file.display()),
        })?;
    println!("{count} genodigden geïmporteerd in '{slug}'");
    Ok(())
}

pub async fn survey_open(
    config: &Config,
    slug: &str,
    closes: chrono::NaiveDate,
    send: bool,
    remind_on: Option<chrono::NaiveDate>,
) -> anyhow::Result<()> {
    use crate::invitations::lifecycle;
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let queued = lifecycle::open_with_reminder(
        &db,
        &Actor::CommandLine,
        &survey,
        lifecycle::end_of(closes),
        remind_on,
        chrono::Utc::now(),
    )
    .await?;
    println!("'{slug}' is open tot en met {}; {queued} uitnodigingen klaargezet", crate::dutch::date(closes));
    if let Some(day) = remind_on {
        println!("{}", reminder_planned(day));
    }
    if send { send_all(config, &db).await } else { Ok(()) }
}

fn reminder_planned(day: chrono::NaiveDate) -> String {
    format!(
        "herinnering gepland op {} (08:00 UTC) voor wie dan nog niet heeft geantwoord; `peiling serve` verstuurt hem",
        crate::dutch::date(day)
    )
}

pub async fn survey_schedule_reminder(
    config: &Config,
    slug: &str,
    on: Option<chrono::NaiveDate>,
) -> anyhow::Result<()> {
    use crate::invitations::lifecycle;
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    lifecycle::schedule_reminder(&db, &Actor::CommandLine, &survey, on.map(lifecycle::morning_of), chrono::Utc::now())
        .await?;
    match on {
        Some(day) => println!("{}", reminder_planned(day)),
        None => println!("geplande herinnering voor '{slug}' geannuleerd"),
    }
    Ok(())
}

pub async fn survey_remind(config: &Config, slug: &str, send: bool) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let queued = crate::invitations::lifecycle::remind(&db, &Actor::CommandLine, &survey, chrono::Utc::now()).await?;
    println!("{queued} herinneringen klaargezet voor wie nog niet heeft geantwoord");
    if send { send_all(config, &db).await } else { Ok(()) }
}

pub async fn survey_close(config: &Config, slug: &str) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    crate::invitations::lifecycle::close(&db, &Actor::CommandLine, &survey, chrono::Utc::now()).await?;
    println!("'{slug}' is gesloten");
    Ok(())
}

pub async fn survey_progress(config: &Config, slug: &str) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let groups = stats::response_per_group(&db, survey.row.id).await?;
    println!("{} ({})\n\nRespons\n{}", survey.row.title, survey.row.status, text_table::response_table(&groups));
    let mail = crate::mail::outbox::status_counts(&db, survey.row.id).await?;
    let line: Vec<String> = mail.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("E-mail: {}", line.join(", "));
    Ok(())
}

pub async fn purge(config: &Config, slug: Option<&str>, days: Option<u32>) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let now = chrono::Utc::now();
    let due = match slug {
        Some(slug) => crate::retention::DuePurges {
            purged: crate::retention::purge_survey(&db, &Actor::CommandLine, slug, now).await?.into_iter().collect(),
            failed: Vec::new(),
        },
        None => {
            crate::retention::purge_due(&db, &Actor::CommandLine, days.unwrap_or(config.retention_days), now).await?
        }
    };
    let purged = due.purged;
    let sessions = crate::retention::purge_sessions(&db, now).await?;
    match (slug, purged.is_empty() && due.failed.is_empty()) {
        (Some(slug), true) => println!("'{slug}' was al opgeschoond"),
        (None, true) => println!("geen gesloten vragenlijst waarvan de bewaartermijn voorbij is"),
        _ => {}
    }
    for p in &purged {
        println!(
            "'{}': {} adressen, {} links, {} originele teksten verwijderd ({} berichten ontdaan van adres); \
             {} andere vrije teksten geanonimiseerd",
            p.slug, p.invitees, p.tokens, p.texts, p.messages, p.other_texts
        );
    }
    println!("{sessions} verlopen sessies verwijderd");
    for (survey, error) in &due.failed {
        eprintln!("'{survey}' kon niet worden opgeschoond: {error}");
    }
    anyhow::ensure!(due.failed.is_empty(), "{} vragenlijst(en) niet opgeschoond", due.failed.len());
    Ok(())
}

pub async fn mail_send(config: &Config) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    send_all(config, &db).await
}

async fn send_all(config: &Config, db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    let mailer = config.mailer()?;
    let composer = crate::mail::compose::Composer::new(&config.mail_from)?;
    let delivery = crate::mail::outbox::Delivery {
        mailer: mailer.as_ref(),
        composer: &composer,
        base_url: &config.base_url,
        worker: format!("{}-{}", std::process::id(), chrono::Utc::now().timestamp_millis()),
        lease: config.mail_lease,
        retry: config.mail_retry,
    };
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let drained = crate::mail::outbox::drain(db, &delivery, 50, &|r| {
        bar.set_message(format!("{} verstuurd, {} later opnieuw, {} mislukt", r.sent, r.retrying, r.failed));
        bar.tick();
    })
    .await;
    bar.finish_and_clear();
    // Said here, with the database named: `main` would explain only the cause.
    let round = drained.map_err(|stopped| anyhow::anyhow!(stopped.explained(&config.database_url)))?;
    let target = match &config.smtp_url {
        Some(_) => "via SMTP".to_string(),
        None => format!("naar {}", config.outbox_dir.display()),
    };
    println!("{} berichten verstuurd {target}; {} later opnieuw, {} mislukt", round.sent, round.retrying, round.failed);
    Ok(())
}

/// `part` beside `out`: written first and renamed, so a reader never sees half an export. An
/// existing target that is not a regular file (`/dev/stdout`, a pipe) is written directly.
fn part_file(out: &Path) -> PathBuf {
    if out.metadata().is_ok_and(|m| !m.is_file()) {
        return out.to_path_buf();
    }
    let mut name = out.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

fn create_parent(out: &Path) -> anyhow::Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("could not create {}", parent.display()))?;
    }
    Ok(())
}

async fn export_csv(
    db: &sea_orm::DatabaseConnection,
    survey: &store::surveys::Survey,
    out: &Path,
) -> anyhow::Result<u64> {
    create_parent(out)?;
    let tmp = part_file(out);
    let file = std::fs::File::create(&tmp).with_context(|| format!("could not write {}", tmp.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    let written = crate::export::csv(db, survey, &mut writer).await;
    let flushed = std::io::Write::flush(&mut writer);
    let failed = |e: anyhow::Error| {
        if tmp != out {
            let _ = std::fs::remove_file(&tmp);
        }
        Err(e)
    };
    let count = match (written, flushed) {
        (Ok(count), Ok(())) => count,
        (Err(e), _) => return failed(e.into()),
        (_, Err(e)) => return failed(anyhow::Error::new(e).context(format!("could not write {}", tmp.display()))),
    };
    if tmp != out {
        std::fs::rename(&tmp, out).with_context(|| format!("could not write {}", out.display()))?;
    }
    Ok(count)
}

fn write_export(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    create_parent(out)?;
    let tmp = part_file(out);
    std::fs::write(&tmp, bytes).with_context(|| format!("could not write {}", tmp.display()))?;
    if tmp != out {
        std::fs::rename(&tmp, out).with_context(|| format!("could not write {}", out.display()))?;
    }
    Ok(())
}

/// `peiling export`: the CSV, XLSX, SPSS syntax or R script of a closed survey, by default as
/// `<survey>.csv|.xlsx|.sps|.R` in the current folder. The SPSS syntax and the R script read
/// the CSV with the same name next to them, which is written too when it is not there yet.
pub async fn export(
    config: &Config,
    slug: &str,
    format: crate::export::Format,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    use crate::export::{self, Format};
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    export::ensure_closed(&survey)?;
    let out = out.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(format.file_name(&survey)));
    // Written to /dev/stdout or a pipe, the export is the output; the status line goes to stderr.
    let device = out.metadata().is_ok_and(|m| !m.is_file());
    let say = |line: String| if device { eprintln!("{line}") } else { println!("{line}") };
    let (actor, now) = (Actor::CommandLine, chrono::Utc::now());
    match format {
        Format::Csv => {
            let count = export_csv(&db, &survey, &out).await?;
            export::exported(&db, &actor, &survey, Format::Csv, now).await?;
            say(format!("{} geschreven ({count} responsen)", out.display()));
        }
        Format::Xlsx => {
            let bytes = export::xlsx(&db, &survey).await?;
            write_export(&out, &bytes)?;
            export::exported(&db, &actor, &survey, Format::Xlsx, now).await?;
            say(format!("{} geschreven ({} kB, bladen Data en Codeboek)", out.display(), bytes.len().div_ceil(1024)));
        }
        Format::Spss | Format::R => {
            if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                bail!(
                    "{} is de naam van het CSV-bestand; geef de syntax een naam op .{}",
                    out.display(),
                    format.extension()
                );
            }
            let csv_path =
                if device { PathBuf::from(Format::Csv.file_name(&survey)) } else { out.with_extension("csv") };
            let csv_name = csv_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let csv_note = if csv_path.exists() {
                format!("leest het bestaande {} (niet overschreven)", csv_path.display())
            } else {
                let count = export_csv(&db, &survey, &csv_path).await?;
                export::exported(&db, &actor, &survey, Format::Csv, now).await?;
                format!("{} bestond nog niet en is ook geschreven ({count} responsen)", csv_path.display())
            };
            let syntax = match format {
                Format::R => export::r_script(&survey, &csv_name)?,
                _ => export::spss(&db, &survey, &csv_name).await?,
            };
            write_export(&out, syntax.as_bytes())?;
            export::exported(&db, &actor, &survey, format, now).await?;
            say(format!("{} geschreven; {csv_note}", out.display()));
        }
    }
    Ok(())
}

/// `peiling survey members CODE add|remove EMAIL`.
pub enum MemberChange {
    Add(String),
    Remove(String),
}

/// `peiling survey members`: the list, after the change if one is asked. The command line may
/// do what an admin may (`teams::Manager::CommandLine`).
pub async fn survey_members(config: &Config, slug: &str, change: Option<MemberChange>) -> anyhow::Result<()> {
    use crate::teams::{self, Manager};
    let db = crate::integrity::open(&config.database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let now = chrono::Utc::now();
    match &change {
        Some(MemberChange::Add(email)) => {
            teams::add_member(&db, Manager::CommandLine, &survey.row, email.trim(), now).await?;
            println!("{} is lid van '{slug}'", email.trim());
        }
        Some(MemberChange::Remove(email)) => {
            teams::remove_member(&db, Manager::CommandLine, &survey.row, email.trim(), now).await?;
            println!("{} is uit '{slug}' verwijderd", email.trim());
        }
        None => {}
    }
    let members = teams::members(&db, survey.row.id).await?;
    if members.is_empty() {
        println!("'{slug}' heeft nog geen leden: alleen beheerders zien hem (peiling survey members {slug} add EMAIL)");
    }
    for m in members {
        let role = if m.owner { "eigenaar" } else { "lid" };
        println!("{:<40} {:<9} sinds {}", m.email, role, m.added_at.date_naive());
    }
    Ok(())
}

/// `peiling audit`: the trail as a table, or as the pages' CSV.
pub async fn audit(config: &Config, slug: Option<&str>, csv: bool) -> anyhow::Result<()> {
    use crate::audit::{self, Event};
    let db = crate::integrity::open(&config.database_url).await?;
    let survey_id = match slug {
        Some(slug) => Some(store::surveys::load(&db, slug).await?.row.id),
        None => None,
    };
    let events = audit::events(&db, survey_id).await?;
    if csv {
        std::io::Write::write_all(&mut std::io::stdout(), &audit::csv(&events))?;
        return Ok(());
    }
    if events.is_empty() {
        println!("er is nog niets vastgelegd");
    }
    for e in events.iter().map(Event::from) {
        let at = e.at.format("%Y-%m-%d %H:%M:%S");
        let survey = e.survey.as_deref().unwrap_or("-");
        let detail = if e.detail.is_empty() { String::new() } else { format!(": {}", e.detail) };
        println!("{at} UTC  {:<32} {:<24} {}{detail}", e.actor, survey, e.label);
    }
    Ok(())
}
