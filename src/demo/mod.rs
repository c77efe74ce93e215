//! `peiling demo`: the whole path on synthetic data, on a fresh database in a folder of its own.

pub mod people;
pub mod plan;
pub mod random;
pub mod respond;

use crate::bundled::Bundled;
use crate::domain::EmailAddress;
use crate::invitations::lifecycle;
use crate::mail::compose::Composer;
use crate::mail::outbox::{self, Delivery};
use crate::mail::transport::Mailer;
use crate::report::{ReportDefinition, stats, text_table};
use crate::store::{self, invitees::NewInvitee, surveys::Survey};
use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use entity::{invitee, survey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;
use std::path::Path;

pub struct Outcome {
    pub survey: Survey,
    /// Messages the outbox marked sent.
    pub mail_sent: u64,
    /// Responses submitted through the HTTP API.
    pub answered: u64,
    pub report: crate::report::Generated,
    pub database_url: String,
    pub response_table: String,
    pub figures_table: String,
}

fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
}

/// Creates the bundled survey in a new SQLite database under `dir`, invites the plan's people,
/// stores their responses and computes the figures.
pub async fn run(dir: &Path, bundled: &Bundled, mailer: &dyn Mailer, base_url: &str) -> anyhow::Result<Outcome> {
    let database_url = format!("sqlite://{}?mode=rwc", dir.join("peiling.db").display());
    let db = crate::db::connect(&database_url).await?;
    let (survey, response_table, figures_table) = run_on(&db, bundled, mailer, base_url).await?;
    let plan: plan::Plan = toml::from_str(bundled.demo_plan)?;
    let date = plan.published.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let report = crate::report::generate(&db, &survey, bundled.report, date).await?;
    let mail_sent = outbox::status_counts(&db, survey.row.id).await?.get(outbox::SENT).copied().unwrap_or(0);
    let (_, answered) = stats::totals(&stats::response_per_group(&db, survey.row.id).await?);
    Ok(Outcome { survey, mail_sent, answered, report, database_url, response_table, figures_table })
}

/// The demo on an existing (empty) database; returns the survey and the two printed tables.
/// Messages go to `mailer`, with links starting at `base_url`.
pub async fn run_on(
    db: &DatabaseConnection,
    bundled: &Bundled,
    mailer: &dyn Mailer,
    base_url: &str,
) -> anyhow::Result<(Survey, String, String)> {
    let plan: plan::Plan = toml::from_str(bundled.demo_plan).context("the bundled demo plan does not parse")?;
    let fieldwork = plan.fieldwork.context("the demo plan needs a fieldwork period")?;
    let (opened, closed) = (at(fieldwork.opens, 8), at(fieldwork.closes, 23));

    let survey = store::surveys::create(db, bundled.definition, opened).await?;
    let report = ReportDefinition::parse(bundled.report, &survey.questionnaire)?;
    let respondents = plan::generate(&survey.questionnaire, &plan)?;

    let mut rng = plan::Rng::new(plan.seed ^ 0x5eed);
    let total: usize = plan.groups.values().map(|g| g.invited).sum();
    let mut people = people::people(&mut rng, total).into_iter();
    let mut new = Vec::new();
    for group in &survey.questionnaire.groups {
        let Some(gp) = plan.groups.get(&group.code) else { continue };
        for person in people.by_ref().take(gp.invited) {
            new.push(NewInvitee {
                email: EmailAddress::parse(&person.email)?,
                name: Some(person.name),
                group: group.code.clone(),
            });
        }
    }
    store::invitees::add_all(db, &survey, new, opened).await?;

    // Opening queues the invitations; the outbox worker sends them as in production.
    let survey = store::surveys::load(db, &survey.row.slug).await?;
    let actor = crate::audit::Actor::System;
    lifecycle::open(db, &actor, &survey, closed, opened).await?;
    // The demo's sender is the survey's own department and contact address (at example.org).
    let q = &survey.questionnaire;
    let composer = Composer::new(&format!("\"{}\" <{}>", q.organisation.replace(['"', '\\'], ""), q.contact))?;
    let recording = respond::Recording::new(mailer, base_url);
    let delivery = Delivery {
        mailer: &recording,
        composer: &composer,
        base_url,
        worker: "demo".into(),
        lease: outbox::LEASE,
        retry: outbox::RETRY,
    };
    let round = outbox::drain(db, &delivery, 50, &|_| {}).await?;
    anyhow::ensure!(round.sent as usize == total, "only {} of {total} invitations went out", round.sent);
    let survey = store::surveys::load(db, &survey.row.slug).await?;

    // Each respondent answers through the link of an invitee of their group.
    let links = recording.links.into_inner().map_err(|_| anyhow::anyhow!("the link record was poisoned"))?;
    let mut tokens: HashMap<String, Vec<String>> = HashMap::new();
    let invited = invitee::Entity::find()
        .filter(invitee::Column::SurveyId.eq(survey.row.id))
        .order_by_desc(invitee::Column::Id)
        .all(db)
        .await?;
    for person in invited {
        let group = survey.groups.iter().find(|g| g.id == person.group_id).context("an invitee without group")?;
        if let Some(token) = links.get(&person.email.to_lowercase()) {
            tokens.entry(group.code.clone()).or_default().push(token.clone());
        }
    }
    let answers: Vec<(String, crate::questionnaire::Answers)> =
        respondents.iter().map(|r| (r.group.clone(), r.answers.clone())).collect();
    // The server's clock stands in the fieldwork period, an hour before it closed.
    let moment = closed - chrono::Duration::hours(1);
    respond::answer_over_http(db, &survey, &answers, tokens, std::sync::Arc::new(move || moment)).await?;

    let txn = crate::db::begin_write(db).await?;
    let mut row = survey.row.clone().into_active_model();
    row.status = Set(store::surveys::Status::Closed.as_str().into());
    row.closed_at = Set(Some(closed));
    let row: survey::Model = row.update(&txn).await?;
    // The researcher's summaries of open answers, as they would type them after closing.
    for (key, text) in &plan.narrative {
        store::report_texts::set(&txn, row.id, key, text, closed).await?;
    }
    txn.commit().await?;
    let survey = store::surveys::load(db, &row.slug).await?;

    // The casussen are anonymised for review; the researcher reads each one and includes it.
    let (anonymiser, items) = crate::review::start(db, &actor, &survey, &report.printed_questions(), closed).await?;
    for item in items {
        let include = crate::review::Change { anonymised: None, decision: Some(crate::review::Decision::Include) };
        crate::review::update(db, &actor, &survey, item.number, include, &anonymiser, closed).await?;
    }

    let counts = stats::count(db, survey.row.id, None).await?;
    let groups = stats::response_per_group(db, survey.row.id).await?;
    Ok((
        survey.clone(),
        text_table::response_table(&groups),
        text_table::figures_table(&report, &survey.questionnaire, &counts),
    ))
}
