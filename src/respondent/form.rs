//! Between HTML form fields and answers.
//!
//! Field names: the question id carries the chosen option(s), the number or the text;
//! `{id}.{code}` carries the text of an "anders, namelijk" option; `{id}.optout` is the box
//! that replaces a number ("nog nooit"). What a respondent typed is kept as typed (`Filled`),
//! so a page with an error shows it back unchanged.

use crate::questionnaire::{Answer, Question, QuestionKind};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// What the form shows in one question's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filled {
    pub chosen: BTreeSet<String>,
    pub other: BTreeMap<String, String>,
    /// The number or text field, as typed.
    pub typed: String,
    pub opt_out: bool,
}

pub fn other_field(question: &str, code: &str) -> String {
    format!("{question}.{code}")
}

pub fn opt_out_field(question: &str) -> String {
    format!("{question}.optout")
}

/// Collects the fields of `question` from a posted form.
pub fn from_fields(question: &Question, fields: &[(String, String)]) -> Filled {
    let mut filled = Filled::default();
    let opt_out = opt_out_field(&question.id);
    for (name, value) in fields {
        if *name == question.id {
            match &question.kind {
                QuestionKind::Number { .. } | QuestionKind::Text { .. } => filled.typed = value.clone(),
                QuestionKind::Rating { options, .. } => {
                    if options.iter().any(|o| o.code == *value) {
                        filled.chosen.insert(value.clone());
                    } else {
                        filled.typed = value.clone();
                    }
                }
                _ => {
                    filled.chosen.insert(value.clone());
                }
            }
        } else if *name == opt_out {
            filled.opt_out = true;
        } else if let Some(code) = name.strip_prefix(&question.id).and_then(|rest| rest.strip_prefix('.')) {
            let text = value.trim();
            if !text.is_empty() {
                filled.other.insert(code.to_string(), text.to_string());
            }
        }
    }
    filled
}

/// The problem a form can have before the answer parser sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormProblem {
    /// A number typed and the opt-out box ticked.
    NumberAndOptOut { label: String },
}

impl FormProblem {
    pub fn message(&self) -> String {
        match self {
            FormProblem::NumberAndOptOut { label } => {
                format!("Vul een aantal in óf kies '{}', niet allebei.", label.to_lowercase())
            }
        }
    }
}

/// The raw JSON answer the fields stand for, in the shapes `Answers::parse` reads.
pub fn to_raw(question: &Question, filled: &Filled) -> Result<Value, FormProblem> {
    Ok(match &question.kind {
        QuestionKind::Choice { .. } => match filled.chosen.iter().next() {
            None => Value::Null,
            Some(code) => match filled.other.get(code) {
                Some(text) => json!({ "option": code, "other": text }),
                None => json!(code),
            },
        },
        QuestionKind::Multiple { .. } => {
            let options: Vec<&String> = filled.chosen.iter().collect();
            if filled.other.is_empty() { json!(options) } else { json!({ "options": options, "other": filled.other }) }
        }
        QuestionKind::Number { opt_out, .. } => {
            let typed = filled.typed.trim();
            match opt_out {
                Some(o) if filled.opt_out && !typed.is_empty() => {
                    return Err(FormProblem::NumberAndOptOut { label: o.label.clone() });
                }
                Some(o) if filled.opt_out => json!(o.code),
                _ if typed.is_empty() => Value::Null,
                _ => json!(typed),
            }
        }
        QuestionKind::Rating { .. } => match filled.chosen.iter().next() {
            Some(code) => json!(code),
            None if filled.typed.trim().is_empty() => Value::Null,
            None => json!(filled.typed.trim()),
        },
        QuestionKind::Text { .. } => {
            if filled.typed.trim().is_empty() {
                Value::Null
            } else {
                json!(filled.typed)
            }
        }
    })
}

/// The fields that show a stored answer.
pub fn from_answer(answer: &Answer) -> Filled {
    let mut filled = Filled::default();
    match answer {
        Answer::Choice { option, other } => {
            filled.chosen.insert(option.clone());
            if let Some(text) = other {
                filled.other.insert(option.clone(), text.clone());
            }
        }
        Answer::Choices { options, other } => {
            filled.chosen.extend(options.iter().cloned());
            filled.other = other.clone();
        }
        Answer::Number(n) => filled.typed = n.to_string(),
        Answer::OptOut => filled.opt_out = true,
        Answer::Text(t) => filled.typed = t.clone(),
    }
    filled
}

/// Replaces the answers to `questions` in a raw answer map with what the form carried.
pub fn merge(raw: &mut Map<String, Value>, updates: Vec<(String, Value)>) {
    for (id, value) in updates {
        if value.is_null() || value.as_array().is_some_and(Vec::is_empty) {
            raw.remove(&id);
        } else {
            raw.insert(id, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{Answers, Mode, parse};

    fn survey() -> crate::questionnaire::Questionnaire {
        parse(
            r#"
id = "t"
title = "T"
organisation = "O"
contact = "c@example.org"
intro = "i"
thanks = "t"
groups = [{ code = "A", name = "A" }]

[[questions]]
id = "n"
type = "number"
text = "Hoe vaak?"
min = 1
max = 9
opt_out = { code = "nooit", label = "Nog nooit", value = 0 }

[[questions]]
id = "m"
type = "multiple"
text = "Wat?"
options = [{ code = "a", label = "A" }, { code = "x", label = "Anders", other = true }]
"#,
        )
        .unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn fields_round_trip_through_answers() {
        let q = survey();
        let posted = fields(&[("n", " 3 "), ("m", "a"), ("m", "x"), ("m.x", "zelf iets")]);
        let mut raw = Map::new();
        merge(
            &mut raw,
            q.questions
                .iter()
                .map(|question| (question.id.clone(), to_raw(question, &from_fields(question, &posted)).unwrap()))
                .collect(),
        );
        let answers = Answers::parse(&q, &raw, Mode::Submit).unwrap();
        assert_eq!(answers.get("n"), Some(&Answer::Number(3)));
        let shown = from_answer(answers.get("m").unwrap());
        assert_eq!(shown.chosen.len(), 2);
        assert_eq!(shown.other.get("x").map(String::as_str), Some("zelf iets"));
    }

    #[test]
    fn a_number_and_the_opt_out_box_together_are_refused() {
        let q = survey();
        let n = &q.questions[0];
        let problem = to_raw(n, &from_fields(n, &fields(&[("n", "2"), ("n.optout", "on")]))).unwrap_err();
        assert_eq!(problem.message(), "Vul een aantal in óf kies 'nog nooit', niet allebei.");
        assert_eq!(to_raw(n, &from_fields(n, &fields(&[("n.optout", "on")]))).unwrap(), json!("nooit"));
        assert_eq!(to_raw(n, &from_fields(n, &fields(&[]))).unwrap(), Value::Null);
    }
}
