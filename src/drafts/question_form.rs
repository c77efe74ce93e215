//! One question of a draft as a form, both ways: a stored question becomes the fields the
//! researcher sees, and posted fields become the question's `[[questions]]` table in the
//! definition, which the questionnaire engine then reads like any file. So the form can say
//! nothing a file could not, and every problem comes from the engine, with its reason; the
//! form only decides which field a problem belongs beside.
//!
//! Routing is built from up to `CONDITION_ROWS` comparisons on earlier questions, joined by
//! "en" or "of"; a condition the rows cannot show (brackets, `not`) stays in the text field,
//! which also takes one typed by hand.

use crate::questionnaire::condition::{Condition, Op, Value};
use crate::questionnaire::model::{ChoiceStyle, OffScale, Question, QuestionKind, Questionnaire};
use crate::questionnaire::{DefinitionError, Problem};
use toml_edit::{Array, InlineTable, Item, Table};

/// Empty option rows under the filled ones, to add answers without script.
pub const SPARE_ROWS: usize = 3;
pub const CONDITION_ROWS: usize = 3;

/// The kinds of question the form offers, as the researcher names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Single,
    Multiple,
    YesNo,
    Points,
    Numbers,
    Number,
    Text,
    LongText,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Single,
        Kind::Multiple,
        Kind::YesNo,
        Kind::Points,
        Kind::Numbers,
        Kind::Number,
        Kind::Text,
        Kind::LongText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::YesNo => "yesno",
            Kind::Points => "points",
            Kind::Numbers => "numbers",
            Kind::Number => "number",
            Kind::Text => "text",
            Kind::LongText => "longtext",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Single => "Eén antwoord kiezen",
            Kind::Multiple => "Meer antwoorden kiezen",
            Kind::YesNo => "Ja of nee",
            Kind::Points => "Schaal met woorden (bijvoorbeeld zeer goed tot zeer slecht)",
            Kind::Numbers => "Schaal met cijfers (bijvoorbeeld 1 tot en met 10)",
            Kind::Number => "Getal",
            Kind::Text => "Korte tekst",
            Kind::LongText => "Lange tekst",
        }
    }

    /// Whether the kind has a list of answers in rows.
    pub fn has_rows(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple | Kind::Points | Kind::Numbers)
    }

    fn of(kind: &QuestionKind) -> Kind {
        match kind {
            QuestionKind::Choice { style: ChoiceStyle::Single, .. } => Kind::Single,
            QuestionKind::Choice { style: ChoiceStyle::YesNo, .. } => Kind::YesNo,
            QuestionKind::Choice { style: ChoiceStyle::Scale, .. } => Kind::Points,
            QuestionKind::Multiple { .. } => Kind::Multiple,
            QuestionKind::Rating { .. } => Kind::Numbers,
            QuestionKind::Number { .. } => Kind::Number,
            QuestionKind::Text { long: false, .. } => Kind::Text,
            QuestionKind::Text { long: true, .. } => Kind::LongText,
        }
    }
}

/// One answer in the rows: on a numbered scale, an answer beside the numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub code: String,
    pub label: String,
    pub other: bool,
    pub dont_know: bool,
    /// Beside a numbered scale: counted in the base of the percentages.
    pub in_base: bool,
}

/// One comparison of the routing: question, operator, value.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ConditionRow {
    pub question: String,
    pub op: String,
    pub value: String,
}

/// Everything the form holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuestionForm {
    #[serde(serialize_with = "kind_name")]
    pub kind: Kind,
    pub id: String,
    pub text: String,
    pub help: String,
    pub page: String,
    pub required: bool,
    pub rows: Vec<Row>,
    /// The "weet niet" label of a yes/no question or a numbered scale.
    pub dont_know: String,
    pub min: String,
    pub max: String,
    pub unit: String,
    pub opt_out_label: String,
    pub opt_out_value: String,
    pub from: String,
    pub to: String,
    pub low_label: String,
    pub high_label: String,
    pub min_choices: String,
    pub max_choices: String,
    pub max_length: String,
    pub conditions: Vec<ConditionRow>,
    /// "and" or "or".
    pub joiner: String,
    pub show_if: String,
}

fn kind_name<S: serde::Serializer>(kind: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

impl QuestionForm {
    /// A new question of `kind`, with the code `id`.
    pub fn blank(kind: Kind, id: &str) -> QuestionForm {
        let mut form = QuestionForm {
            kind,
            id: id.to_string(),
            text: String::new(),
            help: String::new(),
            page: String::new(),
            required: false,
            rows: Vec::new(),
            dont_know: String::new(),
            min: String::new(),
            max: String::new(),
            unit: String::new(),
            opt_out_label: String::new(),
            opt_out_value: String::new(),
            from: String::new(),
            to: String::new(),
            low_label: String::new(),
            high_label: String::new(),
            min_choices: String::new(),
            max_choices: String::new(),
            max_length: String::new(),
            conditions: Vec::new(),
            joiner: "and".into(),
            show_if: String::new(),
        };
        if kind == Kind::Numbers {
            (form.from, form.to) = ("1".into(), "10".into());
        }
        form.pad();
        form
    }

    /// The form of a stored question.
    pub fn of(q: &Question) -> QuestionForm {
        let mut form = QuestionForm::blank(Kind::of(&q.kind), &q.id);
        form.text = q.text.clone();
        form.help = q.help.clone().unwrap_or_default();
        form.page = q.page.clone().unwrap_or_default();
        form.required = q.required;
        form.show_if = q.show_if_source.clone().unwrap_or_default();
        form.rows = q
            .options()
            .iter()
            .filter(|c| !(matches!(form.kind, Kind::YesNo | Kind::Numbers) && c.dont_know))
            .filter(|c| form.kind != Kind::YesNo || c.dont_know)
            .map(|c| Row {
                code: c.code.clone(),
                label: c.label.clone(),
                other: c.other,
                dont_know: c.dont_know,
                in_base: c.off_scale == Some(OffScale::InBase),
            })
            .collect();
        if let Some(dk) = q.options().iter().find(|c| c.dont_know)
            && matches!(form.kind, Kind::YesNo | Kind::Numbers)
        {
            form.dont_know = dk.label.clone();
        }
        let count = |n: &Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
        match &q.kind {
            QuestionKind::Multiple { min, max, .. } => (form.min_choices, form.max_choices) = (count(min), count(max)),
            QuestionKind::Rating { from, to, low_label, high_label, .. } => {
                (form.from, form.to) = (from.to_string(), to.to_string());
                form.low_label = low_label.clone().unwrap_or_default();
                form.high_label = high_label.clone().unwrap_or_default();
            }
            QuestionKind::Number { min, max, unit, opt_out } => {
                (form.min, form.max) = (min.to_string(), max.to_string());
                form.unit = unit.clone().unwrap_or_default();
                if let Some(o) = opt_out {
                    form.opt_out_label = o.label.clone();
                    form.opt_out_value = o.value.map(|v| v.to_string()).unwrap_or_default();
                }
            }
            QuestionKind::Text { max_length, .. } => form.max_length = max_length.to_string(),
            QuestionKind::Choice { .. } => {}
        }
        if let Some((rows, joiner)) = q.show_if.as_ref().and_then(rows_of) {
            form.conditions = rows;
            form.joiner = joiner.into();
        }
        form.pad();
        form
    }

    /// The form as posted; `kind` is the kind asked for (changing it keeps what still fits).
    pub fn from_fields(fields: &[(String, String)], kind: Kind) -> QuestionForm {
        let get = |name: &str| fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.trim()).to_string();
        let on = |name: &str| fields.iter().any(|(n, v)| n == name && !v.is_empty());
        let mut form = QuestionForm::blank(kind, &get("id"));
        form.text = get("text");
        form.help = get("help");
        form.page = get("page");
        form.required = on("required");
        form.dont_know = get("dont_know");
        (form.min, form.max, form.unit) = (get("min"), get("max"), get("unit"));
        (form.opt_out_label, form.opt_out_value) = (get("opt_out_label"), get("opt_out_value"));
        (form.from, form.to) = (get("from"), get("to"));
        (form.low_label, form.high_label) = (get("low_label"), get("high_label"));
        (form.min_choices, form.max_choices) = (get("min_choices"), get("max_choices"));
        form.max_length = get("max_length");
        form.show_if = get("show_if");
        form.joiner = if get("joiner") == "or" { "or".into() } else { "and".into() };
        form.rows = (0..)
            .map_while(|i| fields.iter().any(|(n, _)| n.starts_with(&format!("row.{i}."))).then_some(i))
            .map(|i| Row {
                code: get(&format!("row.{i}.code")),
                label: get(&format!("row.{i}.label")),
                other: on(&format!("row.{i}.other")),
                dont_know: on(&format!("row.{i}.dont_know")),
                in_base: on(&format!("row.{i}.in_base")),
            })
            .filter(|r| !r.label.is_empty() || !r.code.is_empty())
            .collect();
        form.conditions = (0..CONDITION_ROWS)
            .map(|i| ConditionRow {
                question: get(&format!("if.{i}.question")),
                op: get(&format!("if.{i}.op")),
                // A number typed beside the list of answers wins: it is what the researcher typed last.
                value: Some(get(&format!("if.{i}.number")))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| get(&format!("if.{i}.value"))),
            })
            .filter(|c| !c.question.is_empty())
            .collect();
        form.pad();
        form
    }

    /// Spare rows to fill in, so the form can grow without script.
    fn pad(&mut self) {
        self.rows.retain(|r| !r.label.is_empty() || !r.code.is_empty());
        if self.kind.has_rows() {
            self.rows.extend(std::iter::repeat_n(Row::default(), SPARE_ROWS));
        } else {
            self.rows.clear();
        }
        self.conditions.retain(|c| !c.question.is_empty());
        let missing = CONDITION_ROWS.saturating_sub(self.conditions.len());
        self.conditions.extend(std::iter::repeat_n(ConditionRow::default(), missing));
    }

    /// The routing the form says: the rows when one is filled in, else the text.
    pub fn condition(&self) -> Option<String> {
        let parts: Vec<String> = self
            .conditions
            .iter()
            .filter(|c| !c.question.is_empty())
            .map(|c| format!("{} {} {}", c.question, if c.op.is_empty() { "=" } else { &c.op }, c.value))
            .collect();
        match (parts.is_empty(), self.show_if.is_empty()) {
            (false, _) => Some(parts.join(if self.joiner == "or" { " or " } else { " and " })),
            (true, false) => Some(self.show_if.clone()),
            (true, true) => None,
        }
    }

    /// The question's `[[questions]]` table, as a file would hold it.
    pub fn table(&self) -> Table {
        let mut t = Table::new();
        let text = |t: &mut Table, key: &str, value: &str| {
            if !value.is_empty() {
                t.insert(key, Item::Value(value.into()));
            }
        };
        // A number where a number is asked for; anything else as typed, for the engine to refuse.
        let number = |t: &mut Table, key: &str, value: &str| match value.parse::<i64>() {
            Ok(n) => {
                t.insert(key, Item::Value(n.into()));
            }
            Err(_) => text(t, key, value),
        };
        text(&mut t, "id", &self.id);
        let kind = match self.kind {
            Kind::Points | Kind::Numbers => "scale",
            other => other.as_str(),
        };
        t.insert("type", Item::Value(kind.into()));
        t.insert("text", Item::Value(self.text.as_str().into()));
        text(&mut t, "help", &self.help);
        text(&mut t, "page", &self.page);
        t.insert("required", Item::Value(self.required.into()));
        if let Some(c) = self.condition() {
            t.insert("show_if", Item::Value(c.as_str().into()));
        }
        let rows: Array =
            self.rows.iter().filter(|r| !r.label.is_empty() || !r.code.is_empty()).map(|r| self.row(r)).collect();
        match self.kind {
            Kind::Single | Kind::Multiple => {
                t.insert("options", Item::Value(rows.into()));
            }
            Kind::Points => {
                t.insert("points", Item::Value(rows.into()));
            }
            Kind::Numbers => {
                number(&mut t, "from", &self.from);
                number(&mut t, "to", &self.to);
                text(&mut t, "low_label", &self.low_label);
                text(&mut t, "high_label", &self.high_label);
                text(&mut t, "dont_know", &self.dont_know);
                if !rows.is_empty() {
                    t.insert("off_scale", Item::Value(rows.into()));
                }
            }
            Kind::YesNo => text(&mut t, "dont_know", &self.dont_know),
            Kind::Number => {
                number(&mut t, "min", &self.min);
                number(&mut t, "max", &self.max);
                text(&mut t, "unit", &self.unit);
                if !self.opt_out_label.is_empty() {
                    let mut o = InlineTable::new();
                    o.insert("label", self.opt_out_label.as_str().into());
                    if let Ok(v) = self.opt_out_value.parse::<i64>() {
                        o.insert("value", v.into());
                    }
                    t.insert("opt_out", Item::Value(o.into()));
                }
            }
            Kind::Text | Kind::LongText => number(&mut t, "max_length", &self.max_length),
        }
        if self.kind == Kind::Multiple {
            number(&mut t, "min_choices", &self.min_choices);
            number(&mut t, "max_choices", &self.max_choices);
        }
        t
    }

    fn row(&self, r: &Row) -> toml_edit::Value {
        let mut o = InlineTable::new();
        if !r.code.is_empty() {
            o.insert("code", r.code.as_str().into());
        }
        o.insert("label", r.label.as_str().into());
        if self.kind == Kind::Numbers {
            o.insert("in_base", r.in_base.into());
            return o.into();
        }
        if r.other {
            o.insert("other", true.into());
        }
        if r.dont_know {
            o.insert("dont_know", true.into());
        }
        o.into()
    }
}

/// The rows of a condition that is one comparison, or comparisons all joined by "en" or all by
/// "of"; anything else stays text.
fn rows_of(c: &Condition) -> Option<(Vec<ConditionRow>, &'static str)> {
    let row = |c: &Condition| match c {
        Condition::Compare { question, op, value } => Some(ConditionRow {
            question: question.clone(),
            op: op.to_string(),
            value: match value {
                Value::Number(n) => n.to_string(),
                Value::Word(w) => w.clone(),
            },
        }),
        _ => None,
    };
    let (parts, joiner) = match c {
        Condition::And(parts) => (parts.as_slice(), "and"),
        Condition::Or(parts) => (parts.as_slice(), "or"),
        single => (std::slice::from_ref(single), "and"),
    };
    if parts.len() > CONDITION_ROWS {
        return None;
    }
    parts.iter().map(row).collect::<Option<Vec<_>>>().map(|rows| (rows, joiner))
}

/// The operators a row offers, with their words.
pub const OPERATORS: [(Op, &str); 6] = [
    (Op::Eq, "is (of bevat)"),
    (Op::Ne, "is niet"),
    (Op::Lt, "kleiner dan"),
    (Op::Le, "hoogstens"),
    (Op::Gt, "groter dan"),
    (Op::Ge, "minstens"),
];

/// The whole definition with the form's question in the place of `original` (or added at the
/// end), written out for the engine to read.
pub fn with_question(q: &Questionnaire, original: Option<&str>, form: &QuestionForm) -> String {
    let mut doc = crate::questionnaire::write::document(q);
    let table = form.table();
    // The writer always writes the list of questions, empty or not.
    if let Some(list) = doc.get_mut("questions").and_then(Item::as_array_of_tables_mut) {
        match original.and_then(|id| q.position(id)).and_then(|i| list.get_mut(i)) {
            Some(slot) => *slot = table,
            None => list.push(table),
        }
    }
    doc.to_string()
}

/// The question and key on `line` of the written `source`: where the parser's complaint about
/// a value of the wrong kind points.
fn key_at(source: &str, line: usize) -> Option<(Option<String>, String)> {
    let mut question = None;
    for (n, text) in source.lines().enumerate().take(line) {
        let text = text.trim();
        if text.starts_with("[[") {
            question = None;
        } else if let Some(id) = text.strip_prefix("id = ") {
            question = Some(id.trim_matches('"').to_string());
        }
        if n + 1 == line {
            return text.split_once('=').map(|(key, _)| (question, key.trim().to_string()));
        }
    }
    None
}

/// The name of a field as the form labels it, for the list of problems above the form.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "id" => "Code van de vraag",
        "text" => "Vraag",
        "help" => "Toelichting",
        "page" => "Pagina",
        "rows" => "Antwoorden",
        "min_choices" => "Minstens zoveel antwoorden",
        "max_choices" => "Hoogstens zoveel antwoorden",
        "from" => "Van",
        "to" => "Tot en met",
        "low_label" => "Tekst bij het laagste cijfer",
        "high_label" => "Tekst bij het hoogste cijfer",
        "dont_know" => "Weet niet",
        "min" => "Kleinste getal",
        "max" => "Grootste getal",
        "unit" => "Eenheid",
        "max_length" => "Hoogstens zoveel tekens",
        "show_if" => "Routering",
        _ => "Vraag",
    }
}

/// The field of the form a problem belongs beside, in the `source` the form was written into;
/// none for a problem elsewhere in the file.
pub fn field_of(e: &DefinitionError, id: &str, source: &str) -> Option<&'static str> {
    if e.question.as_deref().is_some_and(|q| q != id) {
        return None;
    }
    Some(match &e.problem {
        Problem::BadCode { what, .. } if what.starts_with("antwoord") || what.contains("weet niet") => "rows",
        Problem::BadCode { .. } | Problem::DuplicateQuestion { .. } => "id",
        Problem::EmptyField("text") | Problem::TextTooLong { field: "text", .. } => "text",
        Problem::NoOptions | Problem::EmptyOptionLabel | Problem::DuplicateOption(_) | Problem::OffScale { .. } => {
            "rows"
        }
        Problem::FieldNotForType { field, .. } | Problem::MissingField(field) => field,
        Problem::BadRange { .. } => "min",
        Problem::TooFewPoints | Problem::ScaleTooWide { .. } => "from",
        Problem::ChoiceLimits(_) => "min_choices",
        Problem::ConditionSyntax(_)
        | Problem::UnknownQuestion(_)
        | Problem::ForwardReference(_)
        | Problem::SelfReference
        | Problem::ConditionOnText(_)
        | Problem::UnknownOption { .. }
        | Problem::WrongValueType { .. }
        | Problem::NeverTrue { .. }
        | Problem::OrderingOnChoice { .. } => "show_if",
        Problem::Shape(_) | Problem::Syntax(_) => {
            const KEYS: [&str; 14] = [
                "min_choices",
                "max_choices",
                "max_length",
                "low_label",
                "high_label",
                "min",
                "max",
                "from",
                "to",
                "unit",
                "help",
                "page",
                "text",
                "dont_know",
            ];
            let (question, key) = key_at(source, e.line?)?;
            if question.as_deref() != Some(id) {
                return None;
            }
            KEYS.into_iter().find(|k| *k == key)?
        }
        _ if e.question.is_some() => "question",
        _ => return None,
    })
}

#[cfg(test)]
#[path = "question_form_tests.rs"]
mod tests;
