//! The columns of an export, derived from the questionnaire alone, so every format and the code
//! book agree on names, order, labels and values.

use crate::questionnaire::{ChoiceStyle, Question, QuestionKind};
use crate::store::surveys::Survey;
use std::collections::HashSet;

/// What kind of values a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A whole number (the sequence number, a number question, a numbered scale).
    Number,
    /// 0 or 1 (an option of a multiple-answer question, an opt-out or "weet niet" box).
    Flag,
    /// An option code (or the team's code); `Column::values` lists them in questionnaire order.
    Code,
    /// Free text typed by the respondent.
    Text,
}

/// How a column gets its value from the answers of one response. `question` is the position in
/// the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    Sequence,
    Team,
    /// The chosen option's code.
    Code {
        question: usize,
    },
    /// The text of the chosen "anders, namelijk" option of a one-answer question.
    OtherText {
        question: usize,
    },
    /// 1 if this option was chosen, 0 if the question was answered without it.
    Chosen {
        question: usize,
        option: String,
    },
    /// The "anders, namelijk" text given with this option.
    OptionText {
        question: usize,
        option: String,
    },
    Number {
        question: usize,
    },
    /// 1 for this code (opt-out, "weet niet"), 0 if the question was answered otherwise.
    Flag {
        question: usize,
        code: String,
    },
    Text {
        question: usize,
    },
}

/// One column of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header in the CSV and the Data sheet, e.g. `Q4_partners`.
    pub name: String,
    /// A valid, unique SPSS variable name for the same column.
    pub spss_name: String,
    /// The question it comes from; `None` for `respons` and `team`.
    pub question: Option<String>,
    /// What the column holds, in Dutch: the question text, with the option where it is about one.
    pub label: String,
    pub kind: ColumnKind,
    /// The type in words for the code book, e.g. "ja/nee (antwoordcode)".
    pub type_name: String,
    /// Value labels: value as written in the export, and its meaning.
    pub values: Vec<(String, String)>,
    pub(crate) source: Source,
}

impl Column {
    /// The value labels as one line: `zeer_positief = Zeer positief; positief = Positief`.
    pub fn values_line(&self) -> String {
        self.values.iter().map(|(v, l)| format!("{v} = {l}")).collect::<Vec<_>>().join("; ")
    }
}

fn flag_values(no: &str, yes: &str) -> Vec<(String, String)> {
    vec![("0".into(), no.into()), ("1".into(), yes.into())]
}

fn with_option(question: &Question, label: &str) -> String {
    format!("{} - {label}", question.text)
}

/// The columns of a survey's export: `respons`, `team`, then per question in
/// questionnaire order:
/// - one answer (single, yes/no, labelled scale): `<Q>` with the option code, plus `<Q>_anders`
///   with the text when an option asks for one;
/// - multiple answers: `<Q>_<code>` (0/1) per option, plus `<Q>_<code>_tekst` for an option that
///   asks for a text; empty when the question was not answered;
/// - number: `<Q>` with the number, plus `<Q>_<code>` (0/1) for the opt-out box;
/// - numbered scale: `<Q>` with the number, plus `<Q>_<code>` (0/1) for "weet niet" and for
///   each answer beside the scale ("niet van toepassing");
/// - text: `<Q>` with the text.
pub fn columns(survey: &Survey) -> Vec<Column> {
    let mut out = Vec::new();
    let mut push = |name: String,
                    question: Option<&Question>,
                    label: String,
                    kind: ColumnKind,
                    type_name: &str,
                    values: Vec<(String, String)>,
                    source: Source| {
        out.push(Column {
            name,
            spss_name: String::new(),
            question: question.map(|q| q.id.clone()),
            label,
            kind,
            type_name: type_name.to_string(),
            values,
            source,
        })
    };
    push(
        "respons".into(),
        None,
        "Regelnummer in dit bestand (per team, daarbinnen in willekeurige volgorde; zegt niets over de volgorde \
         van binnenkomst)"
            .into(),
        ColumnKind::Number,
        "volgnummer",
        Vec::new(),
        Source::Sequence,
    );
    push(
        "team".into(),
        None,
        "Team".into(),
        ColumnKind::Code,
        "teamcode",
        survey.groups.iter().map(|g| (g.code.clone(), g.name.clone())).collect(),
        Source::Team,
    );
    for (position, q) in survey.questionnaire.questions.iter().enumerate() {
        let id = &q.id;
        let codes = |options: &[crate::questionnaire::Choice]| {
            options.iter().map(|o| (o.code.clone(), o.label.clone())).collect::<Vec<_>>()
        };
        match &q.kind {
            QuestionKind::Choice { style, options } => {
                let type_name = match style {
                    ChoiceStyle::Single => "één antwoord (antwoordcode)",
                    ChoiceStyle::YesNo => "ja/nee (antwoordcode)",
                    ChoiceStyle::Scale => "schaal (antwoordcode)",
                };
                push(
                    id.clone(),
                    Some(q),
                    q.text.clone(),
                    ColumnKind::Code,
                    type_name,
                    codes(options),
                    Source::Code { question: position },
                );
                if let Some(other) = options.iter().find(|o| o.other) {
                    push(
                        format!("{id}_anders"),
                        Some(q),
                        with_option(q, &other.label),
                        ColumnKind::Text,
                        "toelichting (tekst)",
                        Vec::new(),
                        Source::OtherText { question: position },
                    );
                }
            }
            QuestionKind::Multiple { options, .. } => {
                for o in options {
                    push(
                        format!("{id}_{}", o.code),
                        Some(q),
                        with_option(q, &o.label),
                        ColumnKind::Flag,
                        "meerdere antwoorden (0/1)",
                        flag_values("niet gekozen", "gekozen"),
                        Source::Chosen { question: position, option: o.code.clone() },
                    );
                    if o.other {
                        push(
                            format!("{id}_{}_tekst", o.code),
                            Some(q),
                            format!("{} (toelichting)", with_option(q, &o.label)),
                            ColumnKind::Text,
                            "toelichting (tekst)",
                            Vec::new(),
                            Source::OptionText { question: position, option: o.code.clone() },
                        );
                    }
                }
            }
            QuestionKind::Number { min, max, unit, opt_out } => {
                let unit = unit.as_deref().map(|u| format!(", {u}")).unwrap_or_default();
                push(
                    id.clone(),
                    Some(q),
                    q.text.clone(),
                    ColumnKind::Number,
                    &format!("getal ({min} t/m {max}{unit})"),
                    Vec::new(),
                    Source::Number { question: position },
                );
                if let Some(o) = opt_out {
                    push(
                        format!("{id}_{}", o.code),
                        Some(q),
                        with_option(q, &o.label),
                        ColumnKind::Flag,
                        "0/1",
                        flag_values("getal ingevuld", &o.label),
                        Source::Flag { question: position, code: o.code.clone() },
                    );
                }
            }
            QuestionKind::Rating { from, to, low_label, high_label, options } => {
                let mut values = Vec::new();
                if let Some(l) = low_label {
                    values.push((from.to_string(), l.clone()));
                }
                if let Some(h) = high_label {
                    values.push((to.to_string(), h.clone()));
                }
                push(
                    id.clone(),
                    Some(q),
                    q.text.clone(),
                    ColumnKind::Number,
                    &format!("cijfer ({from} t/m {to})"),
                    values,
                    Source::Number { question: position },
                );
                // "weet niet" and the answers beside the scale have a column of their own each:
                // the cijfer's column holds only its points.
                let given = if options.len() == 1 { "cijfer gegeven" } else { "ander antwoord" };
                for d in options {
                    push(
                        format!("{id}_{}", d.code),
                        Some(q),
                        with_option(q, &d.label),
                        ColumnKind::Flag,
                        "0/1",
                        flag_values(given, &d.label),
                        Source::Flag { question: position, code: d.code.clone() },
                    );
                }
            }
            QuestionKind::Text { .. } => push(
                id.clone(),
                Some(q),
                q.text.clone(),
                ColumnKind::Text,
                "open tekst",
                Vec::new(),
                Source::Text { question: position },
            ),
        }
    }
    // Names from the definition cannot collide in any likely questionnaire, but a question `Q4_a`
    // next to option `a` of `Q4` could: later columns get a suffix, deterministically.
    let mut taken = HashSet::new();
    for c in &mut out {
        c.name = unique(&c.name, &mut taken, usize::MAX);
    }
    let mut taken = HashSet::new();
    for c in &mut out {
        c.spss_name = unique(&spss_name(&c.name), &mut taken, SPSS_NAME_MAX);
    }
    out
}

/// SPSS variable names: at most 64 bytes.
pub(crate) const SPSS_NAME_MAX: usize = 64;

/// Words SPSS reserves; they cannot be variable names.
const SPSS_RESERVED: [&str; 13] = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"];

/// A valid SPSS name for a column name: letters, digits and `_` only, starting with a letter,
/// not a reserved word, at most 64 bytes. `Q4_1-4_keer` becomes `Q4_1_4_keer`, `1e` becomes `v1e`.
pub(crate) fn spss_name(name: &str) -> String {
    let mut out: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'v');
    }
    if SPSS_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&out)) {
        out.insert_str(0, "v_");
    }
    out.truncate(SPSS_NAME_MAX);
    out
}

/// `name`, or `name_2`, `name_3`, ... (shortened to `max` bytes) when it is taken; comparison
/// ignores case, as SPSS does. `name` is ASCII when `max` is finite.
pub(crate) fn unique(name: &str, taken: &mut HashSet<String>, max: usize) -> String {
    if taken.insert(name.to_ascii_lowercase()) {
        return name.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!("_{n}");
            let mut base = name.to_string();
            if base.len() + suffix.len() > max {
                base.truncate(max.saturating_sub(suffix.len()));
            }
            base + &suffix
        })
        .find(|candidate| taken.insert(candidate.to_ascii_lowercase()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spss_names_are_valid() {
        assert_eq!(spss_name("Q4_partners"), "Q4_partners");
        assert_eq!(spss_name("Q4_1-4_keer"), "Q4_1_4_keer");
        assert_eq!(spss_name("1e"), "v1e");
        assert_eq!(spss_name("_x"), "v_x");
        assert_eq!(spss_name("to"), "v_to");
        assert_eq!(spss_name("Q_één"), "Q___n");
        assert_eq!(spss_name(&"a".repeat(80)).len(), 64);
    }

    #[test]
    fn unique_names_get_a_suffix_within_the_limit() {
        let mut taken = HashSet::new();
        assert_eq!(unique("Q1", &mut taken, 64), "Q1");
        assert_eq!(unique("q1", &mut taken, 64), "q1_2");
        assert_eq!(unique("Q1", &mut taken, 64), "Q1_3");
        let long = "a".repeat(64);
        assert_eq!(unique(&long, &mut taken, 64), long);
        let second = unique(&long, &mut taken, 64);
        assert_eq!(second.len(), 64);
        assert!(second.ends_with("_2"));
    }
}
