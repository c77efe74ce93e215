//! Counting in the database: a handful of GROUP BY queries per survey, whatever the number of
//! respondents. Everything after this is pure arithmetic on the counts (`figures`).

use entity::{answer, invitee, invitee_group, response};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// What was answered to one question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionCounts {
    /// Respondents with any answer to the question.
    pub answered: u64,
    /// Respondents per chosen option (and per opt-out code of a number question).
    pub options: HashMap<String, u64>,
    /// Respondents per number given (number questions and numbered scales).
    pub numbers: BTreeMap<i64, u64>,
}

impl QuestionCounts {
    pub fn option(&self, code: &str) -> u64 {
        self.options.get(code).copied().unwrap_or(0)
    }

    /// Adds the counts of other respondents (never the same ones: `answered` is a sum).
    pub fn add(&mut self, other: &QuestionCounts) {
        self.answered += other.answered;
        for (code, n) in &other.options {
            *self.options.entry(code.clone()).or_default() += n;
        }
        for (number, n) in &other.numbers {
            *self.numbers.entry(*number).or_default() += n;
        }
    }
}

/// One respondent's answer to the question a breakdown is by, beside their answer to the
/// figure's question (`of`, as counts of one person).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Crossed {
    /// The options chosen (several for a multiple-answer question; the opt-out of a number).
    pub options: Vec<String>,
    pub number: Option<i64>,
    pub of: QuestionCounts,
}

/// Counts for unit tests: `answered`, then (option code, people) and (number, people).
#[cfg(test)]
pub(crate) fn counts(answered: u64, options: &[(&str, u64)], numbers: &[(i64, u64)]) -> QuestionCounts {
    QuestionCounts {
        answered,
        options: options.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        numbers: numbers.iter().copied().collect(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupResponse {
    pub code: String,
    pub name: String,
    pub invited: u64,
    pub responded: u64,
}

impl GroupResponse {
    pub fn rate(&self) -> Option<i64> {
        rate(self.responded, self.invited)
    }
}

/// Invited and responded over all groups.
pub fn totals(groups: &[GroupResponse]) -> (u64, u64) {
    groups.iter().fold((0, 0), |(i, r), g| (i + g.invited, r + g.responded))
}

/// The response rate in whole percents; none when nobody was invited (an anonymous survey, a
/// team without invitees), which is not a rate of 0%.
pub fn rate(responded: u64, invited: u64) -> Option<i64> {
    (invited > 0).then(|| super::figures::percent(responded, invited))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyCounts {
    pub responses: u64,
    pub questions: HashMap<String, QuestionCounts>,
}

impl SurveyCounts {
    pub fn question(&self, id: &str) -> QuestionCounts {
        self.questions.get(id).cloned().unwrap_or_default()
    }
}

fn responses_of(survey_id: i32, group_id: Option<i32>) -> SelectStatement {
    let mut select = Query::select();
    select
        .column(response::Column::Id)
        .from(response::Entity)
        .and_where(Expr::col(response::Column::SurveyId).eq(survey_id));
    if let Some(group) = group_id {
        select.and_where(Expr::col(response::Column::GroupId).eq(group));
    }
    select
}

/// The number of submitted responses of a survey, whatever was answered.
pub async fn responses(db: &impl ConnectionTrait, survey_id: i32) -> Result<u64, DbErr> {
    Ok(responses_in(db, survey_id, None).await? as u64)
}

/// The number of submitted responses of a survey, or of one group of it.
async fn responses_in(db: &impl ConnectionTrait, survey_id: i32, group_id: Option<i32>) -> Result<i64, DbErr> {
    let mut responses = response::Entity::find().filter(response::Column::SurveyId.eq(survey_id));
    if let Some(group) = group_id {
        responses = responses.filter(response::Column::GroupId.eq(group));
    }
    Ok(responses
        .select_only()
        .column_as(Expr::col(response::Column::Id).count(), "n")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or(0))
}

/// Counts the submitted responses of a survey, or of one group of it.
pub async fn count(db: &impl ConnectionTrait, survey_id: i32, group_id: Option<i32>) -> Result<SurveyCounts, DbErr> {
    let total = responses_in(db, survey_id, group_id).await?;
    count_within(db, responses_of(survey_id, group_id), total).await
}

/// Per respondent who answered `of`: their answer to `by` and to `of`. Two questions' answers
/// per person, not counts: the rows of a breakdown by a number in ranges or by a question with
/// several answers are not one option each, and rows that overlap need the answer patterns
/// (`overlap`).
pub async fn crossed(db: &impl ConnectionTrait, survey_id: i32, by: &str, of: &str) -> Result<Vec<Crossed>, DbErr> {
    let rows: Vec<(i64, String, Option<String>, Option<i64>)> = answer::Entity::find()
        .select_only()
        .column(answer::Column::ResponseId)
        .column(answer::Column::Question)
        .column(answer::Column::Option)
        .column(answer::Column::Number)
        .filter(answer::Column::ResponseId.in_subquery(responses_of(survey_id, None)))
        .filter(answer::Column::Question.is_in([by, of]))
        .into_tuple()
        .all(db)
        .await?;
    let mut people: BTreeMap<i64, Crossed> = BTreeMap::new();
    for (response, question, option, number) in rows {
        let person = people.entry(response).or_default();
        if question == by {
            person.options.extend(option);
            person.number = person.number.or(number);
        } else {
            person.of.answered = 1;
            if let Some(option) = option {
                person.of.options.insert(option, 1);
            }
            if let Some(number) = number {
                person.of.numbers.insert(number, 1);
            }
        }
    }
    Ok(people.into_values().filter(|p| p.of.answered > 0).collect())
}

/// The counts of the answers of the responses `scope` selects (a query of response ids).
async fn count_within(db: &impl ConnectionTrait, scope: SelectStatement, total: i64) -> Result<SurveyCounts, DbErr> {
    let in_scope = || answer::Column::ResponseId.in_subquery(scope.clone());

    let answered: Vec<(String, i64)> = answer::Entity::find()
        .select_only()
        .column(answer::Column::Question)
        .column_as(Expr::col(answer::Column::ResponseId).count_distinct(), "n")
        .filter(in_scope())
        .group_by(answer::Column::Question)
        .into_tuple()
        .all(db)
        .await?;
    let options: Vec<(String, String, i64)> = answer::Entity::find()
        .select_only()
        .column(answer::Column::Question)
        .column(answer::Column::Option)
        .column_as(Expr::col(answer::Column::ResponseId).count_distinct(), "n")
        .filter(in_scope())
        .filter(answer::Column::Option.is_not_null())
        .group_by(answer::Column::Question)
        .group_by(answer::Column::Option)
        .into_tuple()
        .all(db)
        .await?;
    let numbers: Vec<(String, i64, i64)> = answer::Entity::find()
        .select_only()
        .column(answer::Column::Question)
        .column(answer::Column::Number)
        .column_as(Expr::col(answer::Column::ResponseId).count_distinct(), "n")
        .filter(in_scope())
        .filter(answer::Column::Number.is_not_null())
        .group_by(answer::Column::Question)
        .group_by(answer::Column::Number)
        .into_tuple()
        .all(db)
        .await?;

    let mut questions: HashMap<String, QuestionCounts> = HashMap::new();
    for (question, n) in answered {
        questions.entry(question).or_default().answered = n as u64;
    }
    for (question, option, n) in options {
        questions.entry(question).or_default().options.insert(option, n as u64);
    }
    for (question, number, n) in numbers {
        questions.entry(question).or_default().numbers.insert(number, n as u64);
    }
    Ok(SurveyCounts { responses: total as u64, questions })
}

/// Invited and responded per group, in the definition's group order. "Responded" counts
/// submitted responses, which carry their group even after the invitee list is purged.
pub async fn response_per_group(db: &impl ConnectionTrait, survey_id: i32) -> Result<Vec<GroupResponse>, DbErr> {
    let groups = invitee_group::Entity::find()
        .filter(invitee_group::Column::SurveyId.eq(survey_id))
        .order_by_asc(invitee_group::Column::Position)
        .all(db)
        .await?;
    let per_group = |rows: Vec<(i32, i64)>| rows.into_iter().map(|(g, n)| (g, n as u64)).collect::<HashMap<_, _>>();
    let invited = per_group(
        invitee::Entity::find()
            .select_only()
            .column(invitee::Column::GroupId)
            .column_as(Expr::col(invitee::Column::Id).count(), "n")
            .filter(invitee::Column::SurveyId.eq(survey_id))
            .group_by(invitee::Column::GroupId)
            .into_tuple()
            .all(db)
            .await?,
    );
    let responded = per_group(
        response::Entity::find()
            .select_only()
            .column(response::Column::GroupId)
            .column_as(Expr::col(response::Column::Id).count(), "n")
            .filter(response::Column::SurveyId.eq(survey_id))
            .group_by(response::Column::GroupId)
            .into_tuple()
            .all(db)
            .await?,
    );
    Ok(groups
        .into_iter()
        .map(|g| GroupResponse {
            invited: invited.get(&g.id).copied().unwrap_or(0),
            responded: responded.get(&g.id).copied().unwrap_or(0),
            code: g.code,
            name: g.name,
        })
        .collect())
}
