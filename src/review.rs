//! The researcher's review of the free texts a report prints (casussen, quoted open answers):
//! each text is anonymised automatically, the researcher compares it with the original, edits
//! the anonymised text if needed and decides "opnemen" or "niet opnemen". Only included texts
//! reach the report. The original is never printed. The researcher's edits are stored in the
//! normal form of `domain::text`, like everything people type.
//!
//! The texts are numbered (and printed) in the order their reviews were made, and those are made
//! question by question in the alphabetical order of the texts: an order that says nothing about
//! who answered when, is the same every time the same answers are reported, and does not change
//! when a text is edited or its original purged.

use crate::anonymise::{Anonymiser, Found};
use crate::audit::{self, Action, Actor};
use crate::domain::text::{self, Layout};
use crate::store::StoreError;
use crate::store::surveys::{Status, Survey};
use chrono::{DateTime, Utc};
use entity::{answer, invitee, response, survey, text_review};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Include,
    Exclude,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Include => "include",
            Decision::Exclude => "exclude",
        }
    }

    /// The Dutch word for the decision, as the command line and the trail say it.
    pub fn word(self) -> &'static str {
        match self {
            Decision::Pending => "nog niet beoordeeld",
            Decision::Include => "opnemen",
            Decision::Exclude => "niet opnemen",
        }
    }

    /// Reads the stored word and the Dutch words a researcher types.
    pub fn parse(text: &str) -> Option<Decision> {
        match text.trim().to_lowercase().as_str() {
            "pending" | "open" | "nog niet beoordeeld" => Some(Decision::Pending),
            "include" | "opnemen" => Some(Decision::Include),
            "exclude" | "niet opnemen" | "niet_opnemen" => Some(Decision::Exclude),
            _ => None,
        }
    }

    /// The decision a review row holds in `text_reviews.decision` (`as_str`, exactly); any other
    /// word is an error.
    pub fn stored(text: &str) -> Result<Decision, crate::domain::stored::UnknownValue> {
        [Decision::Pending, Decision::Include, Decision::Exclude]
            .into_iter()
            .find(|d| d.as_str() == text)
            .ok_or_else(|| crate::domain::stored::UnknownValue::new("text_reviews", "decision", text))
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(example = item_example)]
pub struct Item {
    /// 1-based, in the order of the reviews (see the module header).
    pub number: usize,
    #[serde(skip)]
    review_id: i32,
    pub question: String,
    pub original: String,
    pub anonymised: String,
    pub edited: bool,
    pub decision: Decision,
    /// Details the anonymiser still finds in the anonymised text (after an edit).
    pub warnings: Vec<String>,
}

/// The item the OpenAPI document shows.
pub fn item_example() -> serde_json::Value {
    serde_json::json!({
        "number": 1,
        "question": "Q8",
        "original": "Meer overleg met Jan de Vries van de corporatie.",
        "anonymised": "Meer overleg met [naam] van de corporatie.",
        "edited": false,
        "decision": "pending",
        "warnings": []
    })
}

/// Shown instead of an original that was deleted after the retention period.
pub const PURGED_ORIGINAL: &str = "(het origineel is na de bewaartermijn verwijderd)";

/// An anonymiser that also knows the names of this survey's invitees.
pub async fn anonymiser_for(db: &impl ConnectionTrait, survey_id: i32) -> Result<Anonymiser, StoreError> {
    let names: Vec<Option<String>> = invitee::Entity::find()
        .select_only()
        .column(invitee::Column::Name)
        .filter(invitee::Column::SurveyId.eq(survey_id))
        .into_tuple()
        .all(db)
        .await?;
    let names: Vec<String> = names.into_iter().flatten().collect();
    Ok(Anonymiser::new().with_known_names(names.iter().map(String::as_str)))
}

fn answers_of(survey_id: i32, questions: &[String]) -> sea_orm::Select<answer::Entity> {
    let responses = Query::select()
        .column(response::Column::Id)
        .from(response::Entity)
        .and_where(Expr::col(response::Column::SurveyId).eq(survey_id))
        .to_owned();
    answer::Entity::find()
        .filter(answer::Column::Question.is_in(questions.iter().cloned()))
        .filter(answer::Column::Text.is_not_null())
        .filter(answer::Column::ResponseId.in_subquery(responses))
}

/// Anonymises every casus text that has no review yet. Returns how many were added.
pub async fn prepare(
    db: &impl ConnectionTrait,
    survey_id: i32,
    questions: &[String],
    anonymiser: &Anonymiser,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let done: Vec<i64> = text_review::Entity::find()
        .select_only()
        .column(text_review::Column::AnswerId)
        .filter(text_review::Column::SurveyId.eq(survey_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut added = 0;
    // Sorted here rather than in SQL, so that SQLite and PostgreSQL (whose collations differ)
    // number the texts alike.
    let mut answers = answers_of(survey_id, questions).all(db).await?;
    answers.sort_by(|a, b| (&a.question, &a.text).cmp(&(&b.question, &b.text)));
    for a in answers {
        let Some(original) = a.text.as_deref().filter(|t| !t.trim().is_empty()) else { continue };
        if done.contains(&a.id) {
            continue;
        }
        let review = text_review::ActiveModel {
            survey_id: Set(survey_id),
            answer_id: Set(a.id),
            question: Set(a.question.clone()),
            anonymised: Set(anonymiser.redact(original).text.trim_matches([' ', '\n']).to_string()),
            edited: Set(false),
            decision: Set(Decision::Pending.as_str().into()),
            updated_at: Set(now),
            ..Default::default()
        };
        // Two researchers opening the review at once both prepare it: the second insert of a
        // text is skipped rather than failing the page on the unique answer.
        let conflict = sea_orm::sea_query::OnConflict::column(text_review::Column::AnswerId).do_nothing().to_owned();
        let inserted = text_review::Entity::insert(review).on_conflict(conflict).exec_without_returning(db).await?;
        added += inserted as usize;
    }
    Ok(added)
}

fn warnings(anonymiser: &Anonymiser, text: &str) -> Vec<String> {
    let found: Vec<Found> = anonymiser.find(text);
    found.iter().map(|f| format!("{}: '{}'", f.category.code(), &text[f.start..f.end])).collect()
}

/// Anonymises the texts the report prints that have no review yet, and returns the anonymiser
/// that checks edits. Shows no original, so it leaves no trail: what a save needs first.
/// `printed` are the questions whose texts the report prints (`ReportDefinition::printed_questions`).
pub async fn ready(
    db: &impl ConnectionTrait,
    survey: &Survey,
    printed: &[String],
    now: DateTime<Utc>,
) -> Result<Anonymiser, ReviewError> {
    closed(survey)?;
    let anonymiser = anonymiser_for(db, survey.row.id).await?;
    prepare(db, survey.row.id, printed, &anonymiser, now).await?;
    Ok(anonymiser)
}

/// Texts are reviewed once nothing can be added to them: after closing, for the command line,
/// the API and the pages alike.
fn closed(survey: &Survey) -> Result<(), ReviewError> {
    if survey.status() == Status::Closed { Ok(()) } else { Err(ReviewError::NotClosed(survey.row.slug.clone())) }
}

/// What a review screen starts with: [`ready`], then every review with its original. Someone
/// read the originals, so the trail says who.
pub async fn start(
    db: &impl ConnectionTrait,
    actor: &Actor,
    survey: &Survey,
    printed: &[String],
    now: DateTime<Utc>,
) -> Result<(Anonymiser, Vec<Item>), ReviewError> {
    let anonymiser = ready(db, survey, printed, now).await?;
    let items = list(db, survey.row.id, &anonymiser).await?;
    let detail = if items.len() == 1 { "1 tekst".to_string() } else { format!("{} teksten", items.len()) };
    audit::record(db, actor, Some(&survey.row), Action::CasussenViewed, &detail, now).await?;
    Ok((anonymiser, items))
}

/// One text with its original, as [`start`] for a single casus.
pub async fn casus(
    db: &impl ConnectionTrait,
    actor: &Actor,
    survey: &Survey,
    printed: &[String],
    number: usize,
    now: DateTime<Utc>,
) -> Result<Item, ReviewError> {
    let anonymiser = ready(db, survey, printed, now).await?;
    let item = list(db, survey.row.id, &anonymiser)
        .await?
        .into_iter()
        .nth(number.wrapping_sub(1))
        .ok_or(ReviewError::NoSuchItem(number))?;
    audit::record(db, actor, Some(&survey.row), Action::CasussenViewed, &format!("casus {number}"), now).await?;
    Ok(item)
}

/// Every reviewed text of a survey, numbered in response order. Leaves no trail: a page that
/// shows the originals to someone goes through [`start`] or [`casus`].
pub async fn list(db: &impl ConnectionTrait, survey_id: i32, anonymiser: &Anonymiser) -> Result<Vec<Item>, StoreError> {
    items(db, survey_id, Some(anonymiser)).await
}

/// The reviewed texts; `warnings` from `anonymiser` for edited ones, when given.
async fn items(
    db: &impl ConnectionTrait,
    survey_id: i32,
    anonymiser: Option<&Anonymiser>,
) -> Result<Vec<Item>, StoreError> {
    let reviews = text_review::Entity::find()
        .filter(text_review::Column::SurveyId.eq(survey_id))
        .order_by_asc(text_review::Column::Id)
        .all(db)
        .await?;
    // After the purge the answer holds the reviewed wording, no longer the original.
    let purged = purged(db, survey_id).await?;
    let questions: Vec<String> = {
        let mut q: Vec<String> = reviews.iter().map(|r| r.question.clone()).collect();
        q.sort();
        q.dedup();
        q
    };
    let answers: HashMap<i64, answer::Model> =
        answers_of(survey_id, &questions).all(db).await?.into_iter().map(|a| (a.id, a)).collect();
    let mut items = Vec::new();
    for review in &reviews {
        let Some(a) = answers.get(&review.answer_id) else { continue };
        items.push(Item {
            number: items.len() + 1,
            review_id: review.id,
            question: review.question.clone(),
            original: match (&a.text, purged) {
                (Some(text), false) => text.clone(),
                _ => PURGED_ORIGINAL.to_string(),
            },
            anonymised: review.anonymised.clone(),
            edited: review.edited,
            decision: Decision::stored(&review.decision)?,
            warnings: match anonymiser {
                Some(a) if review.edited => warnings(a, &review.anonymised),
                _ => Vec::new(),
            },
        });
    }
    Ok(items)
}

/// Whether the survey's personal data was deleted after its retention period.
async fn purged(db: &impl ConnectionTrait, survey_id: i32) -> Result<bool, sea_orm::DbErr> {
    let row = survey::Entity::find_by_id(survey_id).one(db).await?;
    Ok(row.is_some_and(|s| s.purged_at.is_some()))
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("casussen worden beoordeeld nadat '{0}' is gesloten")]
    NotClosed(String),
    #[error("er is geen casus {0}")]
    NoSuchItem(usize),
    #[error("een geanonimiseerde tekst mag niet leeg zijn; kies 'niet opnemen' om een casus weg te laten")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for ReviewError {
    fn from(e: sea_orm::DbErr) -> ReviewError {
        ReviewError::Store(StoreError::Db(e))
    }
}

/// What a researcher changes about one text: its anonymised wording, the decision, or both.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub anonymised: Option<String>,
    pub decision: Option<Decision>,
}

/// Stores the researcher's edit and/or decision for casus `number`. The trail gets the number
/// and the decision, never the text.
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor,
    survey: &Survey,
    number: usize,
    change: Change,
    anonymiser: &Anonymiser,
    now: DateTime<Utc>,
) -> Result<Item, ReviewError> {
    closed(survey)?;
    let Change { anonymised, decision } = change;
    let survey_id = survey.row.id;
    let survey = &survey.row;
    let items = list(db, survey_id, anonymiser).await?;
    let item = items.get(number.wrapping_sub(1)).ok_or(ReviewError::NoSuchItem(number))?;
    let review =
        text_review::Entity::find_by_id(item.review_id).one(db).await?.ok_or(ReviewError::NoSuchItem(number))?;
    let before = review.anonymised.clone();
    let mut row = review.into_active_model();
    let mut changed = false;
    if let Some(text) = anonymised {
        let text = text::clean(&text, Layout::Lines);
        if text.is_empty() {
            return Err(ReviewError::Empty);
        }
        changed = text != before;
        row.anonymised = Set(text);
        row.edited = Set(true);
    }
    if let Some(decision) = decision {
        row.decision = Set(decision.as_str().into());
    }
    row.updated_at = Set(now);
    let review = row.update(db).await?;
    // Once purged, the answer keeps the reviewed wording, so the exports follow the edit.
    if review.edited && purged(db, survey_id).await? {
        answer::Entity::update_many()
            .col_expr(answer::Column::Text, Expr::value(review.anonymised.clone()))
            .filter(answer::Column::Id.eq(review.answer_id))
            .exec(db)
            .await?;
    }
    let mut detail = format!("casus {number}");
    if let Some(decision) = decision {
        detail.push_str(": ");
        detail.push_str(decision.word());
    }
    if changed {
        detail.push_str(if decision.is_some() { ", tekst bewerkt" } else { ": tekst bewerkt" });
    }
    audit::record(db, actor, Some(survey), Action::CasusReviewed, &detail, now).await?;
    let items = list(db, survey_id, anonymiser).await?;
    items.into_iter().nth(number - 1).ok_or(ReviewError::NoSuchItem(number))
}

/// The included texts per question, in the order of the reviews, as the report prints them.
pub async fn included(db: &impl ConnectionTrait, survey_id: i32) -> Result<HashMap<String, Vec<String>>, StoreError> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for item in items(db, survey_id, None).await?.into_iter().filter(|i| i.decision == Decision::Include) {
        out.entry(item.question).or_default().push(item.anonymised);
    }
    Ok(out)
}
