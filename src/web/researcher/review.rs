//! Reviewing the open answers the report prints: each text as written and as anonymised, the
//! researcher's edit and decision. The rules (only after closing, what counts as printed, the
//! trail) are in `review`.

use super::report::definition;
use super::{Answer, posted, survey};
use crate::accounts::SignedIn;
use crate::review::{self, Decision};
use crate::store::surveys::Survey;
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{actor, context, field, html};
use crate::web::{State, views};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use serde_json::json;

/// The review page with `items`: from `review::start` when someone opens it (which the trail
/// records), from `review::list` when it comes back after a save (recorded as the save).
fn review_page(
    user: &SignedIn,
    s: &Survey,
    items: &[review::Item],
    notice: Option<String>,
    problems: &[String],
) -> Result<String, PageError> {
    let count = |d: Decision| items.iter().filter(|i| i.decision == d).count();
    let rows: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            let decision_text = match i.decision {
                Decision::Pending => "nog te beoordelen",
                Decision::Include => "opgenomen",
                Decision::Exclude => "niet opgenomen",
            };
            json!({
                "number": i.number, "question": i.question, "original": i.original, "anonymised": i.anonymised,
                "edited": i.edited, "decision": i.decision.as_str(), "decision_text": decision_text, "warnings": i.warnings,
            })
        })
        .collect();
    let mut c = context(Some(user), "Casussen beoordelen");
    c.insert("slug", &s.row.slug);
    c.insert("items", &rows);
    c.insert("counts", &json!({ "include": count(Decision::Include), "exclude": count(Decision::Exclude), "pending": count(Decision::Pending) }));
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    c.insert("problems", problems);
    c.insert("problems_title", "De tekst is niet opgeslagen");
    views::render("r/review.html", &c)
}

pub async fn list(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let printed = definition(&s)?.printed_questions();
    let (_, items) = review::start(&state.db, &actor(&user), &s, &printed, state.now()).await?;
    Ok(html(StatusCode::OK, review_page(&user, &s, &items, None, &[])?))
}

pub async fn save(state: State, user: Researcher, path: Path<(String, usize)>, body: Limited) -> Answer {
    let (slug, number) = path.into_inner();
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    let anonymiser = review::anonymiser_for(&state.db, s.row.id).await?;
    let decision = Decision::parse(field(&fields, "besluit"));
    let text = field(&fields, "tekst").to_string();
    let change = review::Change { anonymised: Some(text), decision };
    let saved = review::update(&state.db, &actor(&user), &s, number, change, &anonymiser, state.now()).await;
    let items = review::list(&state.db, s.row.id, &anonymiser).await?;
    match saved {
        Ok(_) => Ok(html(
            StatusCode::OK,
            review_page(&user, &s, &items, Some(format!("Tekst {number} is opgeslagen.")), &[])?,
        )),
        Err(
            e
            @ (review::ReviewError::Store(_) | review::ReviewError::NoSuchItem(_) | review::ReviewError::NotClosed(_)),
        ) => Err(PageError::from(e).into()),
        Err(e @ review::ReviewError::Empty) => {
            let problems = [format!("Tekst {number}: {e}")];
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, review_page(&user, &s, &items, None, &problems)?))
        }
    }
}
