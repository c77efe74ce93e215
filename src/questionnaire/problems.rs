//! What can be wrong with a questionnaire definition, in the words the researcher reads: each
//! problem with its line and question where it has them.

use super::condition::{self, Op};
use super::model::{MAX_DEFINITION_BYTES, MAX_SCALE_POINTS};
use crate::domain::text;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file is not valid TOML, or a field has the wrong shape; the text comes from the parser.
    Syntax(String),
    /// Valid TOML that does not fit the format: a key that does not exist, a value of the wrong
    /// kind; in Dutch (`domain::serde_words`).
    Shape(String),
    /// `contact` is not an e-mail address.
    BadContact(String),
    EmptyField(&'static str),
    NoGroups,
    BadCode {
        what: &'static str,
        code: String,
    },
    DuplicateGroup(String),
    NoQuestions,
    DuplicateQuestion {
        id: String,
        first_line: usize,
    },
    UnknownType(String),
    NoOptions,
    EmptyOptionLabel,
    DuplicateOption(String),
    FieldNotForType {
        field: &'static str,
        kind: String,
    },
    BadRange {
        min: i64,
        max: i64,
    },
    TooFewPoints,
    /// A numbered scale with more points than a chart or a respondent can take.
    ScaleTooWide {
        from: i64,
        to: i64,
    },
    /// `min_choices`/`max_choices` that no answer can satisfy.
    ChoiceLimits(String),
    MissingField(&'static str),
    ConditionSyntax(condition::ParseError),
    UnknownQuestion(String),
    ForwardReference(String),
    SelfReference,
    ConditionOnText(String),
    UnknownOption {
        question: String,
        value: String,
        options: Vec<String>,
    },
    WrongValueType {
        question: String,
        value: String,
        expected: &'static str,
    },
    /// A comparison no answer of the question can meet (`Q2 >= 7` on a scale of 1 to 5): the
    /// question it guards would never be shown.
    NeverTrue {
        question: String,
        comparison: String,
        low: i64,
        high: i64,
    },
    OrderingOnChoice {
        question: String,
        op: Op,
    },
    /// An answer beside a scale's points written wrongly.
    OffScale {
        code: String,
        mistake: OffScaleMistake,
    },
    /// A bidi control or a control character in a definition handed in (see [`validate`]).
    MisleadingCharacter(char),
    /// A definition handed in that is larger than `MAX_DEFINITION_BYTES`; it is not read.
    TooLarge {
        bytes: usize,
    },
    /// More questions, groups or options than a definition handed in may have (`model::MAX_*`).
    TooMany {
        what: Counted,
        count: usize,
        max: usize,
    },
    /// A text longer than `model::MAX_TEXT_CHARS`.
    TextTooLong {
        field: &'static str,
        chars: usize,
        max: usize,
    },
}

/// What is wrong with an answer marked `off_scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffScaleMistake {
    /// On a question that is no scale.
    NotOnScale,
    /// Also `dont_know`, `exclusive` or `other`.
    WithFlag(&'static str),
    /// `in_base` is not given.
    InBaseMissing,
    /// `in_base` on an answer that is not off the scale.
    InBaseWithout,
    /// Written before a point of the scale.
    BeforePoint,
}

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Questions,
    Groups,
    Options,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax(message) => write!(f, "de definitie is geen geldige TOML: {message}"),
            Problem::Shape(message) => f.write_str(message),
            Problem::EmptyField(field) => write!(f, "'{field}' mag niet leeg zijn"),
            Problem::NoGroups => {
                write!(f, "er is geen groep gedefinieerd; voeg minstens één [[groups]] toe (bijv. een team)")
            }
            Problem::BadCode { what, code } => {
                write!(f, "{what} '{code}' is ongeldig: gebruik letters, cijfers, '_' of '-', beginnend met een letter")
            }
            Problem::DuplicateGroup(code) => write!(f, "groep '{code}' komt twee keer voor"),
            Problem::NoQuestions => write!(f, "de vragenlijst bevat geen vragen"),
            Problem::DuplicateQuestion { id, first_line } => {
                write!(f, "vraagcode '{id}' is al gebruikt op regel {first_line}")
            }
            Problem::UnknownType(kind) => write!(
                f,
                "onbekend vraagtype '{kind}'; kies uit single, multiple, yesno, scale, number, text, longtext"
            ),
            Problem::NoOptions => write!(f, "de vraag heeft geen antwoordopties"),
            Problem::EmptyOptionLabel => write!(f, "een antwoordoptie heeft een lege tekst"),
            Problem::DuplicateOption(code) => write!(f, "antwoordoptie '{code}' komt twee keer voor"),
            Problem::FieldNotForType { field, kind } => {
                write!(f, "'{field}' hoort niet bij een vraag van type '{kind}'")
            }
            Problem::BadRange { min, max } => {
                write!(f, "het bereik klopt niet: het minimum ({min}) moet kleiner zijn dan het maximum ({max})")
            }
            Problem::TooFewPoints => write!(f, "een schaal heeft minstens twee punten nodig"),
            Problem::ScaleTooWide { from, to } => write!(
                f,
                "een schaal van {from} tot {to} is te breed; gebruik hoogstens {MAX_SCALE_POINTS} punten, of een getalvraag"
            ),
            Problem::ChoiceLimits(why) => write!(f, "min_choices/max_choices: {why}"),
            Problem::MissingField(field) => write!(f, "'{field}' ontbreekt"),
            Problem::ConditionSyntax(e) => write!(f, "de voorwaarde 'show_if' is onleesbaar: {e}"),
            Problem::UnknownQuestion(id) => write!(f, "de voorwaarde verwijst naar vraag '{id}', die niet bestaat"),
            Problem::ForwardReference(id) => write!(
                f,
                "de voorwaarde verwijst naar vraag '{id}', die pas later komt; een voorwaarde mag alleen naar eerdere vragen kijken"
            ),
            Problem::SelfReference => write!(f, "de voorwaarde verwijst naar de vraag zelf"),
            Problem::ConditionOnText(id) => {
                write!(f, "de voorwaarde test open vraag '{id}'; alleen gesloten vragen en getallen kunnen routeren")
            }
            Problem::UnknownOption { question, value, options } => {
                write!(f, "vraag '{question}' heeft geen antwoord '{value}'; mogelijk zijn: {}", options.join(", "))
            }
            Problem::WrongValueType { question, value, expected } => {
                write!(f, "de voorwaarde vergelijkt vraag '{question}' met '{value}', maar verwacht {expected}")
            }
            Problem::NeverTrue { question, comparison, low, high } => write!(
                f,
                "de voorwaarde '{comparison}' kan nooit waar zijn: vraag '{question}' loopt van {low} tot en met {high}, \
                 dus deze vraag zou niemand te zien krijgen"
            ),
            Problem::OrderingOnChoice { question, op } => {
                write!(f, "'{op}' werkt alleen op getallen; vergelijk keuzevraag '{question}' met =, != of in [...]")
            }
            Problem::MisleadingCharacter(c) if c.is_control() => write!(
                f,
                "de definitie bevat {}, een stuurteken dat niet in een tekstbestand hoort; verwijder het",
                text::describe(*c)
            ),
            Problem::BadContact(contact) => write!(
                f,
                "contact '{contact}' is geen e-mailadres; vul het adres in waar genodigden met vragen terechtkunnen"
            ),
            Problem::MisleadingCharacter(c) => write!(
                f,
                "de definitie bevat {}: een teken dat niemand ziet maar dat verandert hoe de tekst eromheen eruitziet; verwijder het",
                text::describe(*c)
            ),
            Problem::TooLarge { bytes } => write!(
                f,
                "de definitie is {} groot; hoogstens {} kan worden gelezen. Zo'n grote vragenlijst is meestal een \
                 vergissing (een verkeerd bestand?); splits hem anders in meer vragenlijsten",
                size(*bytes),
                size(MAX_DEFINITION_BYTES)
            ),
            Problem::TooMany { what: Counted::Questions, count, max } => write!(
                f,
                "de vragenlijst heeft {count} vragen; hoogstens {max} kunnen er in één vragenlijst. Dit is vraag {}",
                max + 1
            ),
            Problem::TooMany { what: Counted::Groups, count, max } => {
                write!(f, "de vragenlijst heeft {count} groepen; hoogstens {max} kunnen er. Dit is groep {}", max + 1)
            }
            Problem::TooMany { what: Counted::Options, count, max } => write!(
                f,
                "de vraag heeft {count} antwoordopties; hoogstens {max} kunnen er. Maak van een heel lange lijst een open vraag"
            ),
            Problem::OffScale { code, mistake } => match mistake {
                OffScaleMistake::NotOnScale => write!(
                    f,
                    "antwoord '{code}': off_scale kan alleen bij een schaal (type = \"scale\"); bij andere vragen is elk antwoord gewoon een antwoord"
                ),
                OffScaleMistake::WithFlag(flag) => write!(
                    f,
                    "antwoord '{code}' staat buiten de schaal en kan niet ook {flag} = true zijn; kies één van beide"
                ),
                OffScaleMistake::InBaseMissing => write!(
                    f,
                    "antwoord '{code}' staat buiten de schaal: zeg met in_base = true of in_base = false of het meetelt in de basis van de percentages"
                ),
                OffScaleMistake::InBaseWithout => {
                    write!(f, "antwoord '{code}': in_base hoort alleen bij een antwoord met off_scale = true")
                }
                OffScaleMistake::BeforePoint => write!(
                    f,
                    "antwoord '{code}' staat buiten de schaal maar vóór een punt ervan; zet het na de punten, zoals het formulier het toont"
                ),
            },
            Problem::TextTooLong { field, chars, max } => {
                write!(f, "'{field}' is {chars} tekens lang; hoogstens {max} tekens kunnen er")
            }
        }
    }
}

/// "2,0 MB", "312 kB": a size as a researcher reads it.
fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub line: Option<usize>,
    pub question: Option<String>,
    pub problem: Problem,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.line, &self.question) {
            (Some(line), Some(q)) => write!(f, "regel {line}, vraag {q}: {}", self.problem),
            (Some(line), None) => write!(f, "regel {line}: {}", self.problem),
            (None, Some(q)) => write!(f, "vraag {q}: {}", self.problem),
            (None, None) => write!(f, "{}", self.problem),
        }
    }
}

impl DefinitionError {
    /// The problem with its question but without its line: for a definition the researcher
    /// made in forms and never saw as a file.
    pub fn without_line(&self) -> String {
        DefinitionError { line: None, ..self.clone() }.to_string()
    }
}

/// All problems found in one definition, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "de vragenlijst bevat {n} {}:", if n == 1 { "fout" } else { "fouten" })?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}
