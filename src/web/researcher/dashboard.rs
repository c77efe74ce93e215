//! A survey's dashboard: its status and response per team, the mail in the outbox, the
//! published versions, and the fieldwork forms (import invitees, open, remind, close). The
//! rules are in `invitations` and `invitations::lifecycle`; this page shows their outcome.

use super::{Answer, posted, survey};
use crate::accounts::SignedIn;
use crate::invitations::{self, ImportError, import, lifecycle};
use crate::report::publish;
use crate::store::StoreError;
use crate::store::surveys::Survey;
use crate::web::auth::{self, Researcher};
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{actor, context, field, html};
use crate::web::{State, upload, views};
use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web::{Path, Payload};
use serde_json::json;

/// Buckets of 5% for the bar widths (classes w0 .. w20): the CSP allows no inline styles.
fn rate_step(rate: Option<i64>) -> i64 {
    rate.map_or(0, |r| (r.clamp(0, 100) + 2) / 5)
}

pub(super) async fn dashboard(
    state: &State,
    user: &SignedIn,
    survey: &Survey,
    notice: Option<String>,
    problems: Vec<String>,
    csv: &str,
) -> Result<String, PageError> {
    let progress = crate::progress::of(&state.db, survey).await?;
    let group_rows: Vec<serde_json::Value> = progress
        .groups
        .iter()
        .map(|g| {
            json!({ "code": g.code, "name": g.name, "invited": g.invited, "responded": g.responded, "rate": g.rate, "rate_step": rate_step(g.rate) })
        })
        .collect();
    let total = &progress.total;
    let mail = &progress.mail;
    let mail_words = [
        ("queued", "klaar om te versturen"),
        ("sending", "bezig"),
        ("sent", "verstuurd"),
        ("retrying", "later opnieuw"),
        ("failed", "mislukt"),
    ];
    let mail_rows: Vec<(String, u64)> =
        mail_words.iter().map(|(k, w)| (w.to_string(), mail.get(*k).copied().unwrap_or(0))).collect();
    let publications = publish::versions(&state.db, survey.row.id).await?;
    let date = |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| crate::dutch::date(d.date_naive()));
    let mut c = context(Some(user), &survey.row.title);
    c.insert(
        "survey",
        &json!({
            "slug": survey.row.slug, "title": survey.row.title, "status": survey.row.status,
            "status_text": survey.status().dutch(), "closes": date(survey.row.closes_at),
            "remind": date(survey.row.remind_at),
            "purged": date(survey.row.purged_at),
            "purge_due": date(survey.row.closed_at.map(|c| crate::retention::due_at(c, state.retention_days))),
        }),
    );
    c.insert("groups", &group_rows);
    c.insert(
        "total",
        &json!({ "invited": total.invited, "responded": total.responded, "rate": total.rate, "rate_step": rate_step(total.rate) }),
    );
    c.insert("mail", &mail_rows);
    c.insert(
        "publications",
        &publications
            .iter()
            .map(|p| json!({ "id": p.id, "version": p.version, "date": crate::dutch::date(p.published_at.date_naive()) }))
            .collect::<Vec<_>>(),
    );
    // Said before the button is pressed, and why the versions (if any) are not in the reading room.
    if let Some(too_few) = publish::too_few(&state.db, survey).await? {
        c.insert("too_few", &too_few.to_string());
    }
    c.insert("closes_default", &(state.now() + chrono::Duration::days(14)).date_naive().to_string());
    c.insert("csv", csv);
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    c.insert("problems", &problems);
    views::render("r/survey.html", &c)
}

pub async fn show(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let survey = survey(&state, &user, &slug).await?;
    Ok(html(StatusCode::OK, dashboard(&state, &user, &survey, None, Vec::new(), "").await?))
}

pub async fn import(
    state: State,
    request: HttpRequest,
    user: Researcher,
    slug: Path<String>,
    payload: Payload,
) -> Answer {
    let posted = upload::read(&request, payload).await?;
    auth::check(&user, &posted.fields)?;
    let survey = survey(&state, &user, &slug).await?;
    // A chosen file wins over the text field.
    let csv = field(&posted.fields, "csv");
    let bytes = posted.file("bestand").map_or_else(|| csv.as_bytes().to_vec(), <[u8]>::to_vec);
    match invitations::import_file(&state.db, &actor(&user), &survey, &bytes, state.now()).await {
        Ok(n) => {
            let body = dashboard(&state, &user, &survey, Some(format!("{n} genodigden geïmporteerd.")), Vec::new(), "")
                .await?;
            Ok(html(StatusCode::OK, body))
        }
        Err(ImportError::Rows(rows)) => {
            let mut problems: Vec<String> = rows.rows.iter().map(ToString::to_string).collect();
            if rows.unlisted() > 0 {
                problems.push(format!(
                    "en nog {} (alleen de eerste staan hierboven)",
                    import::error_count(rows.unlisted())
                ));
            }
            let body =
                dashboard(&state, &user, &survey, Some("Er is niets geïmporteerd.".into()), problems, csv).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, body))
        }
        Err(ImportError::TooLarge) => Err(PageError::TooLarge { limit: upload::MAX_UPLOAD }.into()),
        Err(ImportError::Store(e @ (StoreError::AddedMeanwhile | StoreError::NotDraft(_)))) => {
            let body = dashboard(&state, &user, &survey, Some(e.to_string()), Vec::new(), csv).await?;
            Ok(html(StatusCode::CONFLICT, body))
        }
        Err(ImportError::Store(e)) => Err(PageError::from(e).into()),
    }
}

async fn after_action(
    state: &State,
    user: &SignedIn,
    slug: &str,
    outcome: Result<String, lifecycle::LifecycleError>,
) -> Answer {
    let survey = survey(state, user, slug).await?;
    Ok(match outcome {
        Ok(notice) => html(StatusCode::OK, dashboard(state, user, &survey, Some(notice), Vec::new(), "").await?),
        Err(lifecycle::LifecycleError::Db(e)) => return Err(PageError::from(e).into()),
        Err(e) => html(StatusCode::CONFLICT, dashboard(state, user, &survey, None, vec![e.to_string()], "").await?),
    })
}

fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

pub async fn open(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    let Some(closes) = parse_day(field(&fields, "sluit")) else {
        let problem =
            format!("'{}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-12-18.", field(&fields, "sluit"));
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            dashboard(&state, &user, &s, None, vec![problem], "").await?,
        ));
    };
    let remind = field(&fields, "herinnering").trim();
    let remind_on = if remind.is_empty() { None } else { parse_day(remind) };
    if !remind.is_empty() && remind_on.is_none() {
        let problem = format!("'{remind}' is geen datum; schrijf JJJJ-MM-DD.");
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            dashboard(&state, &user, &s, None, vec![problem], "").await?,
        ));
    }
    let closes_at = lifecycle::end_of(closes);
    let outcome = lifecycle::open_with_reminder(&state.db, &actor(&user), &s, closes_at, remind_on, state.now())
        .await
        .map(|queued| {
            format!(
                "De vragenlijst is open tot en met {}; {queued} uitnodigingen worden verstuurd.",
                crate::dutch::date(closes)
            )
        });
    after_action(&state, &user, &slug, outcome).await
}

pub async fn remind(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (_, s) = posted(&state, &user, &slug, &body).await?;
    let outcome = lifecycle::remind(&state.db, &actor(&user), &s, state.now())
        .await
        .map(|n| format!("{n} herinneringen worden verstuurd aan wie nog niet heeft geantwoord."));
    after_action(&state, &user, &slug, outcome).await
}

pub async fn close(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (_, s) = posted(&state, &user, &slug, &body).await?;
    let outcome = lifecycle::close(&state.db, &actor(&user), &s, state.now())
        .await
        .map(|()| "De vragenlijst is gesloten.".to_string());
    after_action(&state, &user, &slug, outcome).await
}
