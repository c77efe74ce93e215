//! The report of a closed survey: the PDF for the researcher (a draft, marked so on its cover
//! when it may not be published), publishing it to the reading room (`report::publish` decides
//! whether it may and which version it becomes), and the microdata exports.

use super::dashboard::dashboard;
use super::{Answer, posted, survey};
use crate::accounts::SignedIn;
use crate::report::ReportDefinition;
use crate::report::publish::{self, PublishError};
use crate::store::surveys::Survey;
use crate::web::State;
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{self, actor, html, see_other};
use actix_web::http::StatusCode;
use actix_web::web::Path;

pub(super) fn definition(survey: &Survey) -> Result<ReportDefinition, PageError> {
    crate::report::source::definition(survey)
        .map_err(|e| PageError::report(&survey.row.slug, crate::report::ReportError::Definition(e)))
}

fn closed(survey: &Survey) -> Result<(), PageError> {
    if crate::report::figures_shown(survey) { Ok(()) } else { Err(PageError::NotFound) }
}

async fn render_report(state: &State, user: &SignedIn, s: &Survey) -> Result<crate::report::Generated, PageError> {
    let source = crate::report::source::of(s).0;
    crate::report::draft(&state.db, &actor(user), s, &source, state.now())
        .await
        .map_err(|e| PageError::report(&s.row.slug, e))
}

pub async fn pdf_file(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    closed(&s)?;
    Ok(staff::pdf(render_report(&state, &user, &s).await?.pdf, &s.row.slug))
}

pub async fn publish(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (_, s) = posted(&state, &user, &slug, &body).await?;
    let published = match publish::source_of(&s) {
        Ok(source) => publish::publish(&state.db, &s, &source, user.user.id, state.now()).await,
        Err(e) => Err(e),
    };
    match published {
        Ok(row) => Ok(see_other(&format!("/rapporten/{}", row.id))),
        Err(PublishError::TooFew(too_few)) => {
            let problems = vec![
                too_few.to_string(),
                "De PDF kun je wel maken voor eigen gebruik; op de voorkant staat dan dat hij niet geschikt is om \
                 te publiceren."
                    .to_string(),
            ];
            let notice = Some("Het rapport is niet gepubliceerd".to_string());
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, dashboard(&state, &user, &s, notice, problems, "").await?))
        }
        Err(PublishError::NotClosed(_)) => Err(PageError::NotFound.into()),
        Err(PublishError::Db(e)) => Err(PageError::from(e).into()),
        Err(e) => Err(PageError::BadRequest(e.to_string()).into()),
    }
}

pub async fn export(state: State, user: Researcher, path: Path<(String, String)>) -> Answer {
    let (slug, format) = path.into_inner();
    let format = crate::export::Format::parse(&format).ok_or(PageError::NotFound)?;
    let s = survey(&state, &user, &slug).await?;
    closed(&s)?;
    let bytes = crate::export::bytes(&state.db, &actor(&user), &s, format, state.now()).await.map_err(|e| match e {
        crate::export::ExportError::Db(e) => PageError::Db(e),
        other => PageError::Internal(format!("the export failed: {}", crate::web::errors::chain(&other))),
    })?;
    Ok(crate::web::attachment(format.content_type(), &format.file_name(&s), bytes))
}
