//! What a personal link answers (`/api/v1/r/{token}`), and the answer forms it takes.

use crate::questionnaire::Question;
use crate::respondent::session::Standing;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// The survey a link belongs to, as the form heads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyHeading {
    /// The survey's code.
    pub id: String,
    pub title: String,
    pub organisation: String,
    /// Where respondents mail their questions.
    pub contact: String,
    pub closes_at: Option<DateTime<Utc>>,
}

/// Where a link stands. A closed survey answers 410 instead, so `closed` only names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LinkStatus {
    Open,
    Submitted,
    Closed,
}

impl From<Standing> for LinkStatus {
    fn from(standing: Standing) -> LinkStatus {
        match standing {
            Standing::Open => LinkStatus::Open,
            Standing::Submitted => LinkStatus::Submitted,
            Standing::Closed => LinkStatus::Closed,
        }
    }
}

/// What a personal link shows: the questions that apply now and the answers saved so far.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = state_example)]
pub struct RespondentState {
    pub survey: SurveyHeading,
    pub status: LinkStatus,
    /// The questions that currently apply (none once submitted).
    pub questions: Vec<Question>,
    /// Answers by question id, in the forms `PUT` accepts.
    #[schema(value_type = BTreeMap<String, Answer>)]
    pub answers: Map<String, Value>,
    /// Whether submitting now would be accepted.
    pub complete: bool,
}

/// After `PUT`: the state, and the answers dropped because their question no longer applies.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = saved_example)]
pub struct Saved {
    #[serde(flatten)]
    pub state: RespondentState,
    pub dropped: Vec<String>,
}

/// A response stored.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "submitted"}))]
pub struct Submission {
    pub status: LinkStatus,
}

fn state_example() -> Value {
    json!({
        "survey": {
            "id": "maatwerkbudget-2021",
            "title": "Hulpverleners Maatwerkbudget",
            "organisation": "Onderzoek en Statistiek, gemeente Leiden",
            "contact": "onderzoek@example.org",
            "closes_at": "2021-05-31T21:59:59Z"
        },
        "status": "open",
        "questions": [{
            "id": "Q3",
            "text": "Heeft u in de afgelopen periode samengewerkt met partners buiten het team?",
            "help": null,
            "required": true,
            "page": null,
            "show_if_source": null,
            "kind": {
                "type": "choice",
                "style": "yes_no",
                "options": [{
                    "code": "ja", "label": "Ja", "dont_know": false, "exclusive": false, "other": false,
                    "off_scale": null
                }]
            }
        }],
        "answers": {"Q1": 3, "Q3": "ja"},
        "complete": false
    })
}

fn saved_example() -> Value {
    let mut saved = state_example();
    saved["dropped"] = json!(["Q4"]);
    saved
}

/// The body of `PUT` and `POST .../submit`: answers by question id, one [`Answer`] each;
/// `null`, `""` and `[]` are no answer.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"answers": answers_example()}))]
pub struct AnswersBody {
    #[schema(value_type = HashMap<String, Answer>)]
    pub answers: Value,
}

/// The example in the document, for the bundled questionnaire (a test checks it is accepted).
pub fn answers_example() -> Value {
    json!({
        "Q1": 3,
        "Q2": "positief",
        "Q3": "ja",
        "Q4": {"options": ["partners", "anders"], "other": {"anders": "een vaste contactpersoon bij de corporatie"}},
        "Q8": "Minder formulieren.",
    })
}

/// The answer to one question, in the form its type takes.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
    /// single, yesno, labelled scale: the option code; number: the opt-out code; numbered
    /// scale: the "weet niet" code; text: the text.
    Code(String),
    /// number, numbered scale.
    Number(i64),
    /// multiple: the option codes.
    Codes(Vec<String>),
    Choice(ChoiceWithOther),
    Choices(ChoicesWithOther),
}

/// A single choice of an "anders, namelijk" option, with its text.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"option": "anders", "other": "via de wijkagent"}))]
pub struct ChoiceWithOther {
    pub option: String,
    pub other: Option<String>,
}

/// A multiple-answer question whose options include an "anders, namelijk": the codes chosen,
/// and the text per chosen "anders" option, by its code.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"options": ["partners", "anders"], "other": {"anders": "een vaste contactpersoon bij de corporatie"}}))]
pub struct ChoicesWithOther {
    pub options: Vec<String>,
    pub other: Option<std::collections::HashMap<String, String>>,
}
