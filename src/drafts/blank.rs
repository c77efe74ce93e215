//! A questionnaire from nothing: the few things a definition cannot do without (a code, a
//! title, the teams and a first question), written as a definition for the engine to check,
//! so that the researcher goes on in the forms of the questionnaire page.

use super::question_form::{Kind, QuestionForm};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

/// What the "Leeg beginnen" form asks.
pub struct Blank<'a> {
    pub code: &'a str,
    pub title: &'a str,
    /// One team a line: `CODE = Naam`, or a name whose code is made from it.
    pub teams: &'a str,
    pub kind: Kind,
    pub question: &'a str,
}

/// The kinds a first question can have without a list of answers to fill in first.
pub const FIRST_KINDS: [Kind; 5] = [Kind::YesNo, Kind::Numbers, Kind::Number, Kind::Text, Kind::LongText];

/// The definition the form says; the engine decides whether it is one.
pub fn definition(blank: &Blank) -> String {
    let mut doc = DocumentMut::new();
    doc.insert("id", Item::Value(blank.code.trim().into()));
    doc.insert("title", Item::Value(blank.title.trim().into()));
    let mut groups = ArrayOfTables::new();
    for team in super::about::teams(blank.teams) {
        let mut t = Table::new();
        t.insert("code", Item::Value(team.code.into()));
        t.insert("name", Item::Value(team.name.into()));
        groups.push(t);
    }
    doc.insert("groups", Item::ArrayOfTables(groups));
    let mut first = QuestionForm::blank(blank.kind, "Q1");
    first.text = blank.question.trim().to_string();
    let mut questions = ArrayOfTables::new();
    questions.push(first.table());
    doc.insert("questions", Item::ArrayOfTables(questions));
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_start_is_a_definition_the_engine_takes_or_refuses_with_its_reasons() {
        let blank = Blank {
            code: "buurtpeiling-2027",
            title: "Buurtpeiling",
            teams: "NOORD = Team Noord\nTeam Zuid\n",
            kind: Kind::YesNo,
            question: "Woont u graag in de buurt?",
        };
        let q = crate::questionnaire::parse(&definition(&blank)).unwrap();
        let teams: Vec<(&str, &str)> = q.groups.iter().map(|g| (g.code.as_str(), g.name.as_str())).collect();
        assert_eq!(teams, [("NOORD", "Team Noord"), ("TEAM_ZUID", "Team Zuid")]);
        assert_eq!(q.questions[0].text, "Woont u graag in de buurt?");

        let empty = Blank { teams: "", question: "", ..blank };
        let errors = crate::questionnaire::parse(&definition(&empty)).unwrap_err().to_string();
        assert!(errors.contains("groep") || errors.contains("team"), "{errors}");
        assert!(errors.contains("text"), "{errors}");
    }
}
