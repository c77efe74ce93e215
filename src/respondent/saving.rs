//! What a save does to the answers saved so far, whichever way they come: one screen of the
//! HTML form, or the whole set through the API. Pure: the caller reads the draft and stores the
//! outcome (`session::save_draft`).
//!
//! A screen replaces the answers to its own questions and keeps the rest. An answer elsewhere
//! that no longer parses (the routing changed, or the definition was corrected before opening)
//! is dropped, as when a draft is read; a problem on this screen is the respondent's to fix.
//! "Volgende" also asks for the screen's required questions; "Vorige" does not, so going back
//! never traps anyone on a half-filled screen.

use super::form::{self, Filled};
use super::screens::Screen;
use crate::questionnaire::{AnswerErrors, Answers, Mode, Questionnaire};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Which button sent the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Back,
    Next,
}

/// A saved screen: what the fields held (shown again on an error), and either the answers to
/// store or a problem per question of this screen.
#[derive(Debug)]
pub struct ScreenSave {
    pub filled: BTreeMap<String, Filled>,
    pub outcome: Result<Answers, BTreeMap<String, String>>,
}

/// Merges one screen's posted `fields` into the `saved` answers.
pub fn screen(
    q: &Questionnaire,
    screen: &Screen,
    saved: &Map<String, Value>,
    fields: &[(String, String)],
    direction: Direction,
) -> ScreenSave {
    let mut filled = BTreeMap::new();
    let mut errors = BTreeMap::new();
    let mut updates = Vec::new();
    for &position in &screen.questions {
        let question = &q.questions[position];
        let fill = form::from_fields(question, fields);
        match form::to_raw(question, &fill) {
            Ok(value) => updates.push((question.id.clone(), value)),
            Err(problem) => {
                errors.insert(question.id.clone(), problem.message());
            }
        }
        filled.insert(question.id.clone(), fill);
    }
    let mut raw = saved.clone();
    form::merge(&mut raw, updates);
    let on_screen = |id: &str| screen.questions.iter().any(|&p| q.questions[p].id == id);
    let answers = match Answers::parse(q, &raw, Mode::Draft) {
        Ok(answers) => answers,
        Err(found) => {
            for e in found.0.iter().filter(|e| on_screen(&e.question)) {
                errors.entry(e.question.clone()).or_insert_with(|| e.message.clone());
            }
            for e in found.0.iter().filter(|e| !on_screen(&e.question)) {
                raw.remove(&e.question);
            }
            Answers::parse(q, &raw, Mode::Draft).unwrap_or_default()
        }
    };
    if direction == Direction::Next
        && errors.is_empty()
        && let Err(found) = Answers::parse(q, &answers.to_json(q), Mode::Submit)
    {
        for e in found.0.iter().filter(|e| on_screen(&e.question)) {
            errors.entry(e.question.clone()).or_insert_with(|| e.message.clone());
        }
    }
    let outcome = if errors.is_empty() { Ok(answers) } else { Err(errors) };
    ScreenSave { filled, outcome }
}

/// The whole set of answers at once (the API's `PUT`): every answer must fit its question; an
/// answer to a question the routing now skips is dropped and named, so the client can tell.
pub fn replace(q: &Questionnaire, raw: &Map<String, Value>) -> Result<(Answers, Vec<String>), AnswerErrors> {
    let answers = Answers::parse(q, raw, Mode::Draft)?;
    let kept = answers.to_json(q);
    let dropped = raw.keys().filter(|k| !kept.contains_key(*k) && !raw[*k].is_null()).cloned().collect();
    Ok((answers, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse;
    use serde_json::json;

    fn survey() -> Questionnaire {
        parse(
            r#"
id = "s"
title = "S"
organisation = "O"
contact = "c@example.org"
intro = "i"
thanks = "t"
groups = [{ code = "G", name = "G" }]

[[questions]]
id = "A"
page = "Een"
text = "Fietst u?"
type = "yesno"
required = true

[[questions]]
id = "B"
page = "Een"
text = "Hoeveel kilometer per week?"
type = "number"
min = 0
max = 500

[[questions]]
id = "C"
page = "Twee"
text = "Waarom niet?"
type = "longtext"
show_if = "A = nee"
"#,
        )
        .unwrap()
    }

    fn first(q: &Questionnaire) -> Screen {
        crate::respondent::screens::screens(q).remove(0)
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn next_asks_for_the_screens_required_questions_and_back_does_not() {
        let q = survey();
        let empty = Map::new();
        let next = screen(&q, &first(&q), &empty, &fields(&[("B", "12")]), Direction::Next);
        let errors = next.outcome.unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["A"], "{errors:?}");
        assert_eq!(next.filled["B"].typed, "12", "what was typed is shown again");
        let back = screen(&q, &first(&q), &empty, &fields(&[("B", "12")]), Direction::Back);
        assert_eq!(back.outcome.unwrap().to_json(&q)["B"], json!(12));
    }

    #[test]
    fn a_bad_answer_on_the_screen_is_the_respondents_to_fix_and_one_elsewhere_is_dropped() {
        let q = survey();
        let saved: Map<String, Value> = serde_json::from_value(json!({ "C": "geen fiets" })).unwrap();
        let bad = screen(&q, &first(&q), &saved, &fields(&[("A", "ja"), ("B", "9999")]), Direction::Back);
        assert!(bad.outcome.unwrap_err().contains_key("B"));
        // Now that A is "ja", C is not asked: its saved answer goes, the screen is stored.
        let ok = screen(&q, &first(&q), &saved, &fields(&[("A", "ja"), ("B", "40")]), Direction::Next);
        let kept = ok.outcome.unwrap().to_json(&q);
        assert_eq!(kept.get("A"), Some(&json!("ja")));
        assert!(!kept.contains_key("C"), "{kept:?}");
    }

    #[test]
    fn a_whole_set_names_what_the_routing_drops() {
        let q = survey();
        let raw: Map<String, Value> =
            serde_json::from_value(json!({ "A": "ja", "C": "geen fiets", "B": null })).unwrap();
        let (answers, dropped) = replace(&q, &raw).unwrap();
        assert_eq!(dropped, ["C"]);
        assert!(!answers.to_json(&q).contains_key("C"));
        let wrong: Map<String, Value> = serde_json::from_value(json!({ "A": "misschien" })).unwrap();
        assert!(replace(&q, &wrong).is_err());
    }
}
