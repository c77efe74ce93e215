//! Writing submitted responses. A response row holds its survey and team and nothing else: no
//! invitee, no moment. Identifiers come from `Ids`: a random start per write, counting on from
//! there, so that what one transaction stores sits together in the tables' B-trees (random
//! identifiers per row cost a page written per row and cut submissions per second by four
//! fifths), while nothing orders one write against another. The rows of one write are given
//! their identifiers in random order. Closing a survey draws a new random identifier for every
//! row (`forget::shuffle_responses`), which also undoes the neighbourhood of one write.

use super::StoreError;
use crate::questionnaire::{Answer, Answers, Questionnaire};
use entity::{answer, response};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// The largest identifier handed out (2^62); the migration that made identifiers random draws
/// from the same range.
const MAX_ID: i64 = 1 << 62;

/// Room after a random start for the rows of one write (a group-commit batch is 64 responses).
const RUN: i64 = 1 << 24;

/// Identifiers for the rows of one write, responses and answers alike: a random start, then
/// counting on. Two writes overlapping is as likely as winning a lottery many times over;
/// should it happen, the unique key refuses the insert and the caller tries again.
pub struct Ids {
    next: i64,
}

impl Ids {
    pub fn fresh() -> Ids {
        Ids { next: rand::random_range(1..=MAX_ID - RUN) }
    }

    pub fn take(&mut self) -> i64 {
        self.next += 1;
        self.next
    }
}

/// The rows that store one answer: one per chosen option of a multiple-answer question, so
/// that counting respondents per option is a GROUP BY.
fn rows(
    questionnaire: &Questionnaire,
    response_id: i64,
    question: &str,
    answer: &Answer,
    ids: &mut Ids,
) -> Vec<answer::ActiveModel> {
    let mut row = |option: Option<String>, number: Option<i64>, text: Option<String>| answer::ActiveModel {
        id: Set(ids.take()),
        response_id: Set(response_id),
        question: Set(question.to_string()),
        option: Set(option),
        number: Set(number),
        text: Set(text),
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

/// The answer rows of one response, with identifiers from `ids`.
pub fn answer_rows(
    questionnaire: &Questionnaire,
    response_id: i64,
    answers: &Answers,
    ids: &mut Ids,
) -> Vec<answer::ActiveModel> {
    answers.iter().flat_map(|(q, a)| rows(questionnaire, response_id, q, a, ids)).collect()
}

/// Inserts answer rows in statements of a size every backend accepts.
pub async fn insert_answers(txn: &impl ConnectionTrait, all: Vec<answer::ActiveModel>) -> Result<(), StoreError> {
    let mut all = all.into_iter().peekable();
    while all.peek().is_some() {
        let batch: Vec<_> = all.by_ref().take(500).collect();
        answer::Entity::insert_many(batch).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Stores a submitted response and its answers and returns the response's identifier. The
/// caller owns the transaction, so marking the invitee as done and storing the response commit
/// together.
pub async fn insert_submitted(
    txn: &impl ConnectionTrait,
    survey_id: i32,
    questionnaire: &Questionnaire,
    group_id: i32,
    answers: &Answers,
) -> Result<i64, StoreError> {
    let mut ids = Ids::fresh();
    let id = ids.take();
    let row = response::ActiveModel { id: Set(id), survey_id: Set(survey_id), group_id: Set(group_id) };
    response::Entity::insert(row).exec_without_returning(txn).await?;
    insert_answers(txn, answer_rows(questionnaire, id, answers, &mut ids)).await?;
    Ok(id)
}
