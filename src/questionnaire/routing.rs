//! Which questions a respondent sees, given the answers so far.
//!
//! Conditions only look back, so one pass in definition order decides everything: a question
//! is shown when its condition holds on the answers to earlier *shown* questions. An answer
//! left behind on a question that became hidden never influences routing.

use super::answers::{Answer, Answers};
use super::condition::{Op, Value};
use super::model::{Question, Questionnaire};
use std::collections::BTreeMap;

/// For each question of `questionnaire`, in order, whether it is shown.
pub fn shown(questionnaire: &Questionnaire, answers: &Answers) -> Vec<bool> {
    let mut effective: BTreeMap<&str, &Answer> = BTreeMap::new();
    let mut out = Vec::with_capacity(questionnaire.questions.len());
    let places = questionnaire.places();
    for question in &questionnaire.questions {
        let visible = match &question.show_if {
            None => true,
            Some(condition) => condition.eval(&|id: &str, op: Op, value: &Value| {
                let Some(&place) = places.get(id) else { return false };
                let target = &questionnaire.questions[place];
                effective.get(id).is_some_and(|answer| compare(target, answer, op, value))
            }),
        };
        if visible && let Some(answer) = answers.get(&question.id) {
            effective.insert(&question.id, answer);
        }
        out.push(visible);
    }
    out
}

/// The questions shown for these answers, in order.
pub fn visible<'q>(questionnaire: &'q Questionnaire, answers: &Answers) -> Vec<&'q Question> {
    questionnaire.questions.iter().zip(shown(questionnaire, answers)).filter_map(|(q, s)| s.then_some(q)).collect()
}

/// One comparison of a condition against an answer that exists.
fn compare(question: &Question, answer: &Answer, op: Op, value: &Value) -> bool {
    let word = value.to_string();
    match answer {
        Answer::Choice { option, .. } => match op {
            Op::Eq => *option == word,
            Op::Ne => *option != word,
            _ => false,
        },
        Answer::Choices { options, .. } => match op {
            Op::Eq => options.contains(&word),
            Op::Ne => !options.contains(&word),
            _ => false,
        },
        Answer::Number(n) => match value {
            Value::Number(v) => op.holds(n.cmp(v)),
            Value::Word(_) => op == Op::Ne,
        },
        Answer::OptOut => {
            let Some(opt_out) = question.opt_out() else { return false };
            match value {
                Value::Word(w) => match op {
                    Op::Eq => opt_out.code == *w,
                    Op::Ne => opt_out.code != *w,
                    _ => false,
                },
                Value::Number(v) => opt_out.value.is_some_and(|n| op.holds(n.cmp(v))),
            }
        }
        Answer::Text(_) => false,
    }
}
