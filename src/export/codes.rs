//! The numbers that SPSS syntax and the R script give answers, so that no answer that is not
//! a point of a scale is ever coded as one.
//!
//! The options of a coded column (a choice question, the team) are numbered 1, 2, ... in
//! questionnaire order, "weet niet" and the answers beside a scale ("geen mening", "niet van
//! toepassing") left out: a five-point scale stays 1..5. Those get numbers above every
//! answer, counting down from the nines (99, 98, 97; 999 ... when the answers reach 90):
//! first "weet niet", then the answers kept out of the base, then those counted in it, so the
//! missing values are one range at the top. A numbered scale or a number question keeps its
//! numbers; its other answers (0/1 columns in the CSV) get such codes above its maximum, and
//! a number question's opt-out box ("nog nooit") too. The 0/1 columns of a multiple-answer
//! question's options get 9 ("weet niet", missing) for who answered "weet niet".
//!
//! Missing (SPSS `MISSING VALUES`, `NA` in R) are the codes a report leaves out of the base:
//! "weet niet", an answer beside a scale with `in_base = false`, and an opt-out box, whose
//! `value` (if any) only the report's "mean over everyone" uses.

use super::columns::{Column, ColumnKind, Source};
use crate::questionnaire::{Choice, OffScale, QuestionKind, Questionnaire};

/// What a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An option, or a point of a scale.
    Answer,
    /// An answer beside a scale counted in the base: a valid value that no mean may count.
    Beside,
    /// Left out of the base: "weet niet", an answer beside a scale kept apart, an opt-out.
    Missing,
}

/// One numbered value of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub number: i64,
    /// The value in the CSV: an option code; for a number column, the 0/1 column that is 1.
    pub value: String,
    pub label: String,
    pub role: Role,
}

fn role_of(choice: &Choice) -> Role {
    match (choice.dont_know, choice.off_scale) {
        (true, _) | (_, Some(OffScale::Apart)) => Role::Missing,
        (false, Some(OffScale::InBase)) => Role::Beside,
        (false, None) => Role::Answer,
    }
}

/// `n` numbers above `above`, from the nines down: 99, 98, ... (at least two digits).
fn above(above: i64, n: usize) -> Vec<i64> {
    let mut top: i64 = 99;
    while top.saturating_sub(n as i64) < above.max(0) && top < i64::MAX / 10 {
        top = top * 10 + 9;
    }
    (0..n as i64).map(|i| top - i).collect()
}

/// Specials in the order they take numbers from the top: "weet niet", then kept apart, then
/// counted in the base.
fn order(role: Role, dont_know: bool) -> u8 {
    match (role, dont_know) {
        (Role::Missing, true) => 0,
        (Role::Missing, false) => 1,
        _ => 2,
    }
}

fn number_specials(answers: Vec<Code>, specials: Vec<(Code, bool)>, highest: i64) -> Vec<Code> {
    let mut specials = specials;
    specials.sort_by_key(|(c, dont_know)| order(c.role, *dont_know));
    let numbers = above(highest, specials.len());
    let mut out = answers;
    out.extend(specials.into_iter().zip(numbers).map(|((c, _), number)| Code { number, ..c }));
    out.sort_by_key(|c| c.number);
    out
}

/// The numbered values of a coded column (`ColumnKind::Code`), or of a number column whose
/// question has other answers in 0/1 columns (they get codes above its range); empty for any
/// other column.
pub fn codes(column: &Column, questionnaire: &Questionnaire) -> Vec<Code> {
    let question = column.question.as_deref().and_then(|id| questionnaire.question(id));
    match (column.kind, &column.source, question.map(|q| &q.kind)) {
        (ColumnKind::Code, _, _) => {
            let mut answers = Vec::new();
            let mut specials = Vec::new();
            for (value, label) in &column.values {
                let choice = question.and_then(|q| q.option(value));
                let role = choice.map_or(Role::Answer, role_of);
                let code = Code { number: answers.len() as i64 + 1, value: value.clone(), label: label.clone(), role };
                match role {
                    Role::Answer => answers.push(code),
                    _ => specials.push((code, choice.is_some_and(|c| c.dont_know))),
                }
            }
            let highest = answers.len() as i64;
            number_specials(answers, specials, highest)
        }
        (ColumnKind::Number, Source::Number { .. }, Some(QuestionKind::Rating { to, options, .. })) => {
            let specials = options
                .iter()
                .map(|o| {
                    (Code { number: 0, value: o.code.clone(), label: o.label.clone(), role: role_of(o) }, o.dont_know)
                })
                .collect();
            number_specials(Vec::new(), specials, *to)
        }
        (ColumnKind::Number, Source::Number { .. }, Some(QuestionKind::Number { max, opt_out: Some(o), .. })) => {
            let code = Code { number: 0, value: o.code.clone(), label: o.label.clone(), role: Role::Missing };
            number_specials(Vec::new(), vec![(code, false)], *max)
        }
        // An option of a multiple-answer question is not "not chosen" for who answered "weet
        // niet": the report leaves them out of its base, so here they are missing too.
        (ColumnKind::Flag, Source::Chosen { option, .. }, Some(QuestionKind::Multiple { options, .. })) => options
            .iter()
            .filter(|o| o.dont_know && o.code != *option)
            .map(|o| Code { number: 9, value: o.code.clone(), label: o.label.clone(), role: Role::Missing })
            .take(1)
            .collect(),
        _ => Vec::new(),
    }
}

/// The missing codes of a column, lowest first: always the top of its numbers, one range.
pub fn missing(codes: &[Code]) -> Vec<i64> {
    let mut out: Vec<i64> = codes.iter().filter(|c| c.role == Role::Missing).map(|c| c.number).collect();
    out.sort_unstable();
    out
}

/// The 0/1 column of the same question whose 1 gives `column` the code of `code`: the box of
/// a number or a cijfer, the "weet niet" option of a multiple-answer question.
pub fn flag_column<'c>(columns: &'c [Column], column: &Column, code: &str) -> Option<&'c Column> {
    match column.source {
        Source::Number { question } => columns
            .iter()
            .find(|c| matches!(&c.source, Source::Flag { question: q, code: k } if *q == question && k == code)),
        Source::Chosen { question, .. } => columns
            .iter()
            .find(|c| matches!(&c.source, Source::Chosen { question: q, option } if *q == question && option == code)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::above;

    #[test]
    fn specials_count_down_from_the_nines_above_every_answer() {
        assert_eq!(above(5, 2), [99, 98]);
        assert_eq!(above(10, 3), [99, 98, 97]);
        assert_eq!(above(97, 2), [99, 98]);
        assert_eq!(above(98, 2), [999, 998]);
        assert_eq!(above(100, 1), [999]);
        assert_eq!(above(1_000_000, 1), [9_999_999]);
        assert_eq!(above(-5, 1), [99]);
    }
}
