//! Reading responses and their answers in chunks, and turning each response into one row of
//! cells. Two queries per chunk, whatever the number of questions.

use super::columns::{Column, Source};
use crate::domain::text::neutralise;
use crate::store::surveys::Survey;
use entity::{answer, response};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Not shown or not answered.
    Empty,
    Number(i64),
    /// Text as the export writes it, already neutralised (see `domain::text::neutralise`).
    Text(String),
}

fn text(value: &str) -> Cell {
    Cell::Text(neutralise(value).into_owned())
}

/// Reads the rows of a survey's export, `chunk` responses at a time, team by team and within a
/// team by (random) identifier.
pub(crate) struct Rows<'a, C> {
    db: &'a C,
    survey_id: i32,
    columns: &'a [Column],
    chunk: u64,
    questions: usize,
    positions: HashMap<&'a str, usize>,
    teams: HashMap<i32, &'a str>,
    /// The teams in questionnaire order; `next_chunk` reads them one after the other.
    groups: Vec<i32>,
    group: usize,
    after: Option<i64>,
    sequence: i64,
}

impl<'a, C: ConnectionTrait> Rows<'a, C> {
    pub(crate) fn new(db: &'a C, survey: &'a Survey, columns: &'a [Column], chunk: u64) -> Rows<'a, C> {
        let questions = &survey.questionnaire.questions;
        Rows {
            db,
            survey_id: survey.row.id,
            columns,
            chunk: Ord::max(chunk, 1),
            questions: questions.len(),
            positions: questions.iter().enumerate().map(|(i, q)| (q.id.as_str(), i)).collect(),
            teams: survey.groups.iter().map(|g| (g.id, g.code.as_str())).collect(),
            groups: survey.groups.iter().map(|g| g.id).collect(),
            group: 0,
            after: None,
            sequence: 0,
        }
    }

    /// The next rows, or `None` after the last response.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Vec<Vec<Cell>>>, DbErr> {
        loop {
            let Some(&group_id) = self.groups.get(self.group) else { return Ok(None) };
            let in_group = || response::Column::SurveyId.eq(self.survey_id).and(response::Column::GroupId.eq(group_id));
            let mut query = response::Entity::find().filter(in_group());
            if let Some(after) = self.after {
                query = query.filter(response::Column::Id.gt(after));
            }
            let responses = query.order_by_asc(response::Column::Id).limit(self.chunk).all(self.db).await?;
            if (responses.len() as u64) < self.chunk {
                self.group += 1;
                self.after = None;
            }
            let (Some(first), Some(last)) = (responses.first(), responses.last()) else { continue };
            if (responses.len() as u64) == self.chunk {
                self.after = Some(last.id);
            }
            // The answers of exactly these responses: the id range, within this survey and team.
            let mut ids = Query::select();
            ids.column(response::Column::Id)
                .from(response::Entity)
                .cond_where(in_group())
                .and_where(Expr::col(response::Column::Id).gte(first.id))
                .and_where(Expr::col(response::Column::Id).lte(last.id));
            let answers = answer::Entity::find()
                .filter(answer::Column::ResponseId.in_subquery(ids))
                .order_by_asc(answer::Column::ResponseId)
                .order_by_asc(answer::Column::Id)
                .all(self.db)
                .await?;
            let mut by_response: HashMap<i64, Vec<&answer::Model>> = HashMap::new();
            for a in &answers {
                by_response.entry(a.response_id).or_default().push(a);
            }
            let mut rows = Vec::with_capacity(responses.len());
            for r in &responses {
                self.sequence += 1;
                let answers = by_response.get(&r.id).map(Vec::as_slice).unwrap_or_default();
                rows.push(self.row(self.sequence, r, answers));
            }
            return Ok(Some(rows));
        }
    }

    fn row(&self, sequence: i64, response: &response::Model, answers: &[&answer::Model]) -> Vec<Cell> {
        let mut per_question: Vec<Vec<&answer::Model>> = vec![Vec::new(); self.questions];
        for a in answers {
            // Answers to a question the frozen definition does not know cannot be placed.
            if let Some(&i) = self.positions.get(a.question.as_str()) {
                per_question[i].push(a);
            }
        }
        let has = |rows: &[&answer::Model], code: &str| rows.iter().any(|a| a.option.as_deref() == Some(code));
        self.columns
            .iter()
            .map(|column| match &column.source {
                Source::Sequence => Cell::Number(sequence),
                Source::Team => self.teams.get(&response.group_id).map_or(Cell::Empty, |code| text(code)),
                Source::Code { question } => {
                    per_question[*question].iter().find_map(|a| a.option.as_deref()).map_or(Cell::Empty, text)
                }
                Source::OtherText { question } | Source::Text { question } => {
                    per_question[*question].iter().find_map(|a| a.text.as_deref()).map_or(Cell::Empty, text)
                }
                Source::Chosen { question, option: code } | Source::Flag { question, code } => {
                    let rows = &per_question[*question];
                    if rows.is_empty() { Cell::Empty } else { Cell::Number(i64::from(has(rows, code))) }
                }
                Source::OptionText { question, option } => per_question[*question]
                    .iter()
                    .find(|a| a.option.as_deref() == Some(option.as_str()))
                    .and_then(|a| a.text.as_deref())
                    .map_or(Cell::Empty, text),
                Source::Number { question } => {
                    per_question[*question].iter().find_map(|a| a.number).map_or(Cell::Empty, Cell::Number)
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised() {
        for (raw, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(1)", "'@SUM(1)"),
            ("  =1+1", "'  =1+1"),
            ("\n-3", "'\n-3"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("gewoon tekst", "gewoon tekst"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(raw), written, "{raw:?}");
        }
    }
}
