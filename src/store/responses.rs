use super::StoreError;
use crate::questionnaire::{Answer, Answers, Questionnaire};
use chrono::{DateTime, Utc};
use entity::{answer, response};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

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
    let response = response::ActiveModel {
        survey_id: Set(survey_id),
        group_id: Set(group_id),
        submitted_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let all: Vec<answer::ActiveModel> =
        answers.iter().flat_map(|(q, a)| rows(questionnaire, response.id, q, a)).collect();
    let mut all = all.into_iter().peekable();
    while all.peek().is_some() {
        let batch: Vec<_> = all.by_ref().take(150).collect();
        answer::Entity::insert_many(batch).exec(txn).await?;
    }
    Ok(response.id)
}
