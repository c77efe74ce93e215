//! Answers to a questionnaire: parsed from JSON against the definition, checked against the
//! routing, and turned back into JSON for drafts and the API.
//!
//! JSON forms per question type:
//! - single, yesno, labelled scale: `"code"`, or `{"option": "code", "other": "text"}` for an
//!   "anders, namelijk" option;
//! - multiple: `["a", "b"]`, or `{"options": ["a", "anders"], "other": {"anders": "text"}}`;
//! - number: `3` (a string of digits is accepted too, as HTML forms send), or the opt-out code;
//! - numbered scale: the number, or the code of "weet niet" or of an answer beside the scale;
//! - text: a string.
//!
//! `null`, `""` and `[]` mean "no answer". Messages are in Dutch: respondents read them.
//!
//! Every text is stored in the normal form of `domain::text`, so the JSON API, the HTML form
//! and drafts all keep what a reader sees: a `longtext` keeps its line breaks, a `text` and an
//! "anders, namelijk" become one line.

use super::model::{Choice, Question, QuestionKind, Questionnaire};
use super::routing;
use crate::domain::text::{self, Layout};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Choice {
        option: String,
        other: Option<String>,
    },
    Choices {
        options: Vec<String>,
        other: BTreeMap<String, String>,
    },
    Number(i64),
    /// The box that replaces the number, e.g. "nog nooit".
    OptOut,
    Text(String),
}

/// A set of answers whose every value fits its question.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answers(BTreeMap<String, Answer>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Saving a page: answers to questions that became hidden are dropped, nothing is required yet.
    Draft,
    /// The final submission: hidden answers are refused and every shown required question must be answered.
    Submit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    UnknownQuestion,
    WrongType(&'static str),
    UnknownOption(String),
    NotWholeNumber,
    OutOfRange { min: i64, max: i64 },
    ExclusiveCombined(String),
    TooFewChoices(usize),
    TooManyChoices(usize),
    OtherTextMissing(String),
    OtherTextWithoutOption(String),
    TooLong(usize),
    Hidden,
    Required,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub question: String,
    pub problem: AnswerProblem,
    /// The Dutch sentence shown next to the field.
    pub message: String,
}

impl AnswerError {
    /// A stable machine-readable name for the API.
    pub fn code(&self) -> &'static str {
        match self.problem {
            AnswerProblem::UnknownQuestion => "unknown_question",
            AnswerProblem::WrongType(_) => "wrong_type",
            AnswerProblem::UnknownOption(_) => "unknown_option",
            AnswerProblem::NotWholeNumber => "not_a_whole_number",
            AnswerProblem::OutOfRange { .. } => "out_of_range",
            AnswerProblem::ExclusiveCombined(_) => "exclusive_combined",
            AnswerProblem::TooFewChoices(_) => "too_few_choices",
            AnswerProblem::TooManyChoices(_) => "too_many_choices",
            AnswerProblem::OtherTextMissing(_) => "other_text_missing",
            AnswerProblem::OtherTextWithoutOption(_) => "other_text_without_option",
            AnswerProblem::TooLong(_) => "too_long",
            AnswerProblem::Hidden => "not_applicable",
            AnswerProblem::Required => "required",
        }
    }
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.question, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AnswerErrors(pub Vec<AnswerError>);

impl AnswerErrors {
    /// How many problems a reply lists, as the invitee import lists its first 100 bad rows: a
    /// body of thousands of unknown keys must not get a reply many times its size.
    pub const SHOWN: usize = 100;

    /// The problems a reply lists.
    pub fn shown(&self) -> &[AnswerError] {
        &self.0[..self.0.len().min(Self::SHOWN)]
    }
}

impl fmt::Display for AnswerErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.shown().iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("; "))?;
        match self.0.len() - self.shown().len() {
            0 => Ok(()),
            more => write!(f, "; en nog {more} andere problemen"),
        }
    }
}

fn message(question: Option<&Question>, problem: &AnswerProblem) -> String {
    let opt_out = question.and_then(Question::opt_out).map(|o| o.label.to_lowercase());
    match problem {
        AnswerProblem::UnknownQuestion => "Deze vraag bestaat niet in deze vragenlijst.".into(),
        AnswerProblem::WrongType(expected) => format!("Dit antwoord past niet bij de vraag: verwacht {expected}."),
        AnswerProblem::UnknownOption(code) => format!("'{code}' is geen van de antwoordmogelijkheden."),
        AnswerProblem::NotWholeNumber | AnswerProblem::Required
            if matches!(question.map(|q| &q.kind), Some(QuestionKind::Number { .. })) =>
        {
            match opt_out {
                Some(label) => format!("Vul een heel getal in, of kies '{label}'."),
                None => "Vul een heel getal in.".into(),
            }
        }
        AnswerProblem::NotWholeNumber => "Vul een heel getal in.".into(),
        AnswerProblem::OutOfRange { min, max } => match opt_out {
            Some(label) => format!("Vul een getal in van {min} tot en met {max}, of kies '{label}'."),
            None => format!("Vul een getal in van {min} tot en met {max}."),
        },
        AnswerProblem::ExclusiveCombined(label) => format!("'{label}' kan niet samen met een ander antwoord."),
        AnswerProblem::TooFewChoices(n) => format!("Kies minstens {n} antwoorden."),
        AnswerProblem::TooManyChoices(n) => format!("Kies hoogstens {n} antwoorden."),
        AnswerProblem::OtherTextMissing(label) => format!("Vul bij '{label}' in wat je bedoelt."),
        AnswerProblem::OtherTextWithoutOption(label) => {
            format!("Je hebt een toelichting bij '{label}' ingevuld, maar die optie niet gekozen.")
        }
        AnswerProblem::TooLong(max) => format!("Je antwoord is te lang: maximaal {max} tekens."),
        AnswerProblem::Hidden => "Deze vraag is na je eerdere antwoorden niet van toepassing.".into(),
        AnswerProblem::Required => match question.map(|q| &q.kind) {
            Some(QuestionKind::Multiple { .. }) => "Kies minstens één antwoord.".into(),
            Some(QuestionKind::Text { .. }) => "Vul hier je antwoord in.".into(),
            _ => "Kies een antwoord.".into(),
        },
    }
}

fn error(question_id: &str, question: Option<&Question>, problem: AnswerProblem) -> AnswerError {
    AnswerError { question: question_id.to_string(), message: message(question, &problem), problem }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => text::clean(s, Layout::Line).is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn text_of(value: &Value, layout: Layout) -> Option<String> {
    match value {
        Value::String(s) => Some(text::clean(s, layout)),
        _ => None,
    }
}

fn find_choice<'q>(question: &'q Question, code: &str) -> Result<&'q Choice, AnswerProblem> {
    question.option(code).ok_or_else(|| AnswerProblem::UnknownOption(code.to_string()))
}

fn other_text(choice: &Choice, text: Option<String>) -> Result<Option<String>, AnswerProblem> {
    match (choice.other, text.filter(|t| !t.is_empty())) {
        (true, None) => Err(AnswerProblem::OtherTextMissing(choice.label.clone())),
        (false, Some(_)) => Err(AnswerProblem::OtherTextWithoutOption(choice.label.clone())),
        (_, t) => Ok(t),
    }
}

fn code_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The answer `value` gives, or `None` for an empty choice (`{"options": []}`), which is no
/// answer, like `[]`.
fn parse_one(question: &Question, value: &Value) -> Result<Option<Answer>, AnswerProblem> {
    const ONE_OPTION: &str = "één antwoordcode";
    match &question.kind {
        QuestionKind::Choice { .. } => {
            let (code, other) = match value {
                Value::Object(obj) => (
                    obj.get("option").and_then(code_of).ok_or(AnswerProblem::WrongType(ONE_OPTION))?,
                    obj.get("other").and_then(|t| text_of(t, Layout::Line)),
                ),
                v => (code_of(v).ok_or(AnswerProblem::WrongType(ONE_OPTION))?, None),
            };
            let choice = find_choice(question, &code)?;
            Ok(Some(Answer::Choice { option: choice.code.clone(), other: other_text(choice, other)? }))
        }
        QuestionKind::Multiple { options: all, min, max } => {
            let (codes, others) = match value {
                Value::Array(items) => (items.clone(), Map::new()),
                Value::Object(obj) => (
                    match obj.get("options") {
                        Some(Value::Array(items)) => items.clone(),
                        _ => return Err(AnswerProblem::WrongType("een lijst met antwoordcodes")),
                    },
                    match obj.get("other") {
                        Some(Value::Object(o)) => o.clone(),
                        None | Some(Value::Null) => Map::new(),
                        _ => return Err(AnswerProblem::WrongType("een toelichting per optie")),
                    },
                ),
                Value::String(_) => (vec![value.clone()], Map::new()),
                _ => return Err(AnswerProblem::WrongType("een lijst met antwoordcodes")),
            };
            let mut chosen: Vec<&Choice> = Vec::new();
            for item in &codes {
                let code = code_of(item).ok_or(AnswerProblem::WrongType("een lijst met antwoordcodes"))?;
                let choice = find_choice(question, &code)?;
                if !chosen.iter().any(|c| c.code == choice.code) {
                    chosen.push(choice);
                }
            }
            if chosen.len() > 1
                && let Some(exclusive) = chosen.iter().find(|c| c.exclusive)
            {
                return Err(AnswerProblem::ExclusiveCombined(exclusive.label.clone()));
            }
            let mut other = BTreeMap::new();
            for (code, text) in &others {
                let choice = find_choice(question, code)?;
                let text = text_of(text, Layout::Line).filter(|t| !t.is_empty());
                if text.is_some() && !chosen.iter().any(|c| c.code == choice.code) {
                    return Err(AnswerProblem::OtherTextWithoutOption(choice.label.clone()));
                }
                if let Some(text) = text {
                    other_text(choice, Some(text.clone()))?;
                    other.insert(choice.code.clone(), text);
                }
            }
            if chosen.is_empty() {
                return Ok(None);
            }
            if let Some(missing) = chosen.iter().find(|c| c.other && !other.contains_key(&c.code)) {
                return Err(AnswerProblem::OtherTextMissing(missing.label.clone()));
            }
            let counted = chosen.iter().filter(|c| !c.exclusive).count();
            if counted > 0 {
                if let Some(min) = min.filter(|&m| counted < m) {
                    return Err(AnswerProblem::TooFewChoices(min));
                }
                if let Some(max) = max.filter(|&m| counted > m) {
                    return Err(AnswerProblem::TooManyChoices(max));
                }
            }
            // Keep the definition's order, so equal sets compare equal.
            let options =
                all.iter().filter(|c| chosen.iter().any(|x| x.code == c.code)).map(|c| c.code.clone()).collect();
            Ok(Some(Answer::Choices { options, other }))
        }
        QuestionKind::Number { min, max, opt_out, .. } => {
            if let Some(o) = opt_out
                && code_of(value).is_some_and(|c| c.eq_ignore_ascii_case(&o.code) || c.eq_ignore_ascii_case(&o.label))
            {
                return Ok(Some(Answer::OptOut));
            }
            let n = whole_number(value)?;
            if n < *min || n > *max {
                return Err(AnswerProblem::OutOfRange { min: *min, max: *max });
            }
            Ok(Some(Answer::Number(n)))
        }
        QuestionKind::Rating { from, to, options, .. } => {
            // "weet niet" or an answer beside the scale ("niet van toepassing").
            if let Some(code) = code_of(value)
                && let Some(o) = options.iter().find(|o| o.code == code)
            {
                return Ok(Some(Answer::Choice { option: o.code.clone(), other: None }));
            }
            let n = whole_number(value)?;
            if n < *from || n > *to {
                return Err(AnswerProblem::OutOfRange { min: *from, max: *to });
            }
            Ok(Some(Answer::Number(n)))
        }
        QuestionKind::Text { long, max_length } => {
            let layout = if *long { Layout::Lines } else { Layout::Line };
            let text = text_of(value, layout).ok_or(AnswerProblem::WrongType("tekst"))?;
            // The limit the form's `maxlength` enforced counts what was typed; the normal form
            // may spell a character out ("…" as "...") and must not make that too long.
            let typed = value.as_str().map_or(usize::MAX, |t| t.chars().count());
            if text.chars().count().min(typed) > *max_length {
                return Err(AnswerProblem::TooLong(*max_length));
            }
            Ok(Some(Answer::Text(text)))
        }
    }
}

fn whole_number(value: &Value) -> Result<i64, AnswerProblem> {
    match value {
        Value::Number(n) => n.as_i64().ok_or(AnswerProblem::NotWholeNumber),
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| AnswerProblem::NotWholeNumber),
        _ => Err(AnswerProblem::NotWholeNumber),
    }
}

impl Answers {
    /// Parses raw answers, checks each against its question and then against the routing.
    /// Every problem is reported, not just the first.
    pub fn parse(questionnaire: &Questionnaire, raw: &Map<String, Value>, mode: Mode) -> Result<Answers, AnswerErrors> {
        let mut errors = Vec::new();
        let mut answers = BTreeMap::new();
        let places = questionnaire.places();
        for (id, value) in raw {
            let Some(question) = places.get(id.as_str()).map(|&i| &questionnaire.questions[i]) else {
                errors.push(error(id, None, AnswerProblem::UnknownQuestion));
                continue;
            };
            if is_empty(value) {
                continue;
            }
            match parse_one(question, value) {
                Ok(Some(answer)) => {
                    answers.insert(question.id.clone(), answer);
                }
                Ok(None) => {}
                Err(problem) => errors.push(error(id, Some(question), problem)),
            }
        }
        let mut answers = Answers(answers);
        let shown = routing::shown(questionnaire, &answers);
        // A question whose visibility hangs on an answer that was refused or is missing is not
        // judged: the respondent settles that answer first, and "not applicable" would confuse.
        let mut undecided: HashSet<String> = errors.iter().map(|e| e.question.clone()).collect();
        for (question, shown) in questionnaire.questions.iter().zip(shown) {
            let answered = answers.0.contains_key(&question.id);
            let failed = undecided.contains(&question.id);
            let depends_on_refused = question
                .show_if
                .as_ref()
                .is_some_and(|c| c.comparisons().iter().any(|(id, _, _)| undecided.contains(*id)));
            if depends_on_refused {
                undecided.insert(question.id.clone());
                continue;
            }
            if !shown && answered {
                match mode {
                    Mode::Draft => {
                        answers.0.remove(&question.id);
                    }
                    Mode::Submit => errors.push(error(&question.id, Some(question), AnswerProblem::Hidden)),
                }
            } else if shown && !answered && !failed && question.required && mode == Mode::Submit {
                errors.push(error(&question.id, Some(question), AnswerProblem::Required));
                undecided.insert(question.id.clone());
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            // Report in questionnaire order, which is how a person reads the form.
            errors.sort_by_key(|e| places.get(e.question.as_str()).copied().unwrap_or(usize::MAX));
            Err(AnswerErrors(errors))
        }
    }

    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Answer)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The canonical JSON form, which `parse` reads back to the same answers.
    pub fn to_json(&self, questionnaire: &Questionnaire) -> Map<String, Value> {
        let mut out = Map::new();
        let places = questionnaire.places();
        for (id, answer) in &self.0 {
            let question = places.get(id.as_str()).map(|&i| &questionnaire.questions[i]);
            let opt_out = question.and_then(Question::opt_out).map(|o| o.code.clone());
            let value = match answer {
                Answer::Choice { option, other: None } => json!(option),
                Answer::Choice { option, other: Some(text) } => json!({ "option": option, "other": text }),
                Answer::Choices { options, other } if other.is_empty() => json!(options),
                Answer::Choices { options, other } => json!({ "options": options, "other": other }),
                Answer::Number(n) => json!(n),
                Answer::OptOut => json!(opt_out.unwrap_or_default()),
                Answer::Text(t) => json!(t),
            };
            out.insert(id.clone(), value);
        }
        out
    }
}
