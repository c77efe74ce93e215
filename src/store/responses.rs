use super::StoreError;
use crate::questionnaire::{Answer, Answers, Questionnaire};
use chrono::{DateTime, Utc};
use entity::{answer, response};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// The rows that store one answer: one per chosen option of a multiple-answer question, so
/// that counting respondents per option is a GROUP BY.
fn rows(questionnaire: &Questionnaire, response_id: i32, question: &str, answer: &Answer) -> Vec<answer::ActiveModel> {
    let row = |option: Option<String>, number: Option<i64>, text: Option<String>| answer::ActiveModel {
        response_id: Set(response_id),
        question: Set(question.to_string()),
        option: Set(option),
        number: Set(number),
        text: Set(text),
        ..Default::default()
    };
    match answer {
        Answer::Choice { option, other } => vec![row(Some(option.clone()), None, other.clone())],
        Answer::Choices { options, other } => {
            options.iter().map(|o| row(Some(o.clone()), None, other.get(o).cloned())).collect()
        }
        Answer::Number(n) => vec![row(None, Some(*n), None)],
        // The opt-out is stored under its own code; its numeric meaning stays in the definition.
        Answer::OptOut => {
            let code = questionnaire.question(question).and_then(|q| q.opt_out()).map(|o| o.code.clone());
            vec![row(code, None, None)]
        }
        Answer::Text(t) => vec![row(None, None, Some(t.clone()))],
    }
}

/// The answer rows of one response.
pub fn answer_rows(questionnaire: &Questionnaire, response_id: i32, answers: &Answers) -> Vec<answer::ActiveModel> {
    answers.iter().flat_map(|(q, a)| rows(questionnaire, response_id, q, a)).collect()
}

/// Inserts answer rows in statements of a size every backend accepts.
pub async fn insert_answers(txn: &impl ConnectionTrait, all: Vec<answer::ActiveModel>) -> Result<(), StoreError> {
    let mut all = all.into_iter().peekable();
    while all.peek().is_some() {
        let batch: Vec<_> = all.by_ref().take(500).collect();
        answer::Entity::insert_many(batch).exec(txn).await?;
    }
    Ok(())
}

/// Inserts the response row (no answers yet) and returns its id.
pub async fn insert_response(
    txn: &impl ConnectionTrait,
    survey_id: i32,
    group_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let row = response::ActiveModel {
        survey_id: Set(survey_id),
        group_id: Set(group_id),
        submitted_at: Set(now),
        ..Default::default()
    };
    // `exec` gives the new id in one statement; `ActiveModel::insert` may read the row back.
    Ok(response::Entity::insert(row).exec(txn).await?.last_insert_id)
}

/// Stores a submitted response and its answers. The caller owns the transaction, so marking
/// the invitee as done and storing the response commit together.
pub async fn insert_submitted(
    txn: &impl ConnectionTrait,
    survey_id: i32,
    questionnaire: &Questionnaire,
    group_id: i32,
    answers: &Answers,
    now: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let id = insert_response(txn, survey_id, group_id, now).await?;
    insert_answers(txn, answer_rows(questionnaire, id, answers)).await?;
    Ok(id)
}
