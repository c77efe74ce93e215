//! A routing condition in words, for the researcher who reads a questionnaire rather than its
//! file: `Q3 = ja or Q4 in [a, b]` becomes "alleen als Q3 is 'Ja' of Q4 is 'A' of 'B'". Option
//! codes are shown by their labels; a condition on a multiple-answer question says "bevat".

use super::condition::{Condition, Op, Value};
use super::model::{QuestionKind, Questionnaire};

/// "alleen als ...", or none for a question everyone sees.
pub fn shown_when(q: &Questionnaire, condition: Option<&Condition>) -> Option<String> {
    condition.map(|c| format!("alleen als {}", words(q, c, false)))
}

fn words(q: &Questionnaire, c: &Condition, nested: bool) -> String {
    let joined = |parts: &[Condition], word: &str| {
        let text = parts.iter().map(|p| words(q, p, true)).collect::<Vec<_>>().join(word);
        if nested && parts.len() > 1 { format!("({text})") } else { text }
    };
    match c {
        Condition::Compare { question, op, value } => {
            let multiple = q.question(question).is_some_and(|x| matches!(x.kind, QuestionKind::Multiple { .. }));
            let verb = match (op, multiple) {
                (Op::Eq, true) => "bevat",
                (Op::Ne, true) => "bevat niet",
                (Op::Eq, false) => "is",
                (Op::Ne, false) => "is niet",
                (Op::Lt, _) => "is kleiner dan",
                (Op::Le, _) => "is hoogstens",
                (Op::Gt, _) => "is groter dan",
                (Op::Ge, _) => "is minstens",
            };
            format!("{question} {verb} {}", value_words(q, question, value))
        }
        Condition::In { question, values } => {
            let shown: Vec<String> = values.iter().map(|v| value_words(q, question, v)).collect();
            let verb = match q.question(question).map(|x| &x.kind) {
                Some(QuestionKind::Multiple { .. }) => "bevat",
                _ => "is",
            };
            format!("{question} {verb} {}", crate::dutch::list_or(&shown))
        }
        Condition::Not(inner) => format!("niet {}", words(q, inner, true)),
        Condition::And(parts) => joined(parts, " en "),
        Condition::Or(parts) => joined(parts, " of "),
    }
}

/// The kind of a question as a researcher names it.
pub fn kind(kind: &QuestionKind) -> String {
    use super::model::ChoiceStyle;
    match kind {
        QuestionKind::Choice { style: ChoiceStyle::Single, .. } => "één antwoord".into(),
        QuestionKind::Choice { style: ChoiceStyle::YesNo, .. } => "ja/nee".into(),
        QuestionKind::Choice { style: ChoiceStyle::Scale, .. } => "schaal met woorden".into(),
        QuestionKind::Multiple { .. } => "meer antwoorden".into(),
        QuestionKind::Rating { from, to, .. } => format!("schaal {from} tot en met {to}"),
        QuestionKind::Number { .. } => "getal".into(),
        QuestionKind::Text { long: false, .. } => "korte tekst".into(),
        QuestionKind::Text { long: true, .. } => "lange tekst".into(),
    }
}

/// An option by its label in quotes; a number as it is.
fn value_words(q: &Questionnaire, question: &str, value: &Value) -> String {
    match value {
        Value::Number(n) => n.to_string(),
        Value::Word(code) => {
            let label = q.question(question).and_then(|x| x.option(code)).map_or(code.as_str(), |o| o.label.as_str());
            format!("'{label}'")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> Questionnaire {
        crate::questionnaire::parse(
            r#"
id = "w"
title = "W"
organisation = "O"
contact = "c@example.org"
intro = "i"
thanks = "t"
groups = [{ code = "G", name = "G" }]

[[questions]]
id = "A"
type = "yesno"
text = "Fietst u?"

[[questions]]
id = "B"
type = "multiple"
text = "Waarheen?"
options = [{ code = "werk", label = "Naar het werk" }, { code = "school", label = "Naar school" }, "Winkels"]

[[questions]]
id = "C"
type = "number"
text = "Hoeveel kilometer?"

[[questions]]
id = "D"
type = "longtext"
text = "Waarom?"
show_if = "(A = ja and B = werk) or not C >= 10 or B in [school, winkels]"
"#,
        )
        .unwrap()
    }

    #[test]
    fn a_condition_reads_with_labels_en_of_and_bevat_for_several_answers() {
        let q = q();
        let d = q.question("D").unwrap();
        assert_eq!(
            shown_when(&q, d.show_if.as_ref()).unwrap(),
            "alleen als (A is 'Ja' en B bevat 'Naar het werk') of niet C is minstens 10 of B bevat 'Naar school' of \
             'Winkels'"
        );
        assert_eq!(shown_when(&q, q.question("A").unwrap().show_if.as_ref()), None);
    }
}
