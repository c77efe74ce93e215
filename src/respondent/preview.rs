//! A researcher's walk through the form ("what does someone who answers 'nooit' see?"): the
//! same screens, the same merge (`saving::screen`, so required questions and checks are the
//! respondent's) and the same routing, with the answers so far carried by the page itself
//! instead of a draft. Pure: nothing is stored, so a preview leaves no trace in the survey.

use super::form::Filled;
use super::saving::{self, Direction};
use super::screens::{Screen, shown_screens};
use crate::questionnaire::{Answers, Mode, Questionnaire, routing};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Where a step of the walk leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Back before the first screen: the overview the walk started from.
    Start,
    /// A screen, by its number (0-based) in `screens`.
    Screen(usize),
    /// Past the last screen this route shows: the summary of the route.
    End,
}

/// What pressing a button on a screen does.
#[derive(Debug)]
pub enum Step {
    /// The screen's answers are taken; the walk goes on to `to`.
    Moved { answers: Answers, to: Place },
    /// The screen asks for corrections, exactly as it would a respondent: what was typed and a
    /// problem per question.
    Refused { filled: BTreeMap<String, Filled>, errors: BTreeMap<String, String> },
}

/// The answers a page carried, as the JSON object it wrote (`Answers::to_json`); empty at the
/// start of a walk. An answer that no longer fits is dropped by the next merge, as in a draft.
pub fn carried(text: &str) -> Result<Map<String, Value>, String> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err("De antwoorden van het voorbeeld zijn niet leesbaar; begin het voorbeeld opnieuw.".into()),
    }
}

/// The answers in `raw` that still fit the questionnaire and its routing.
pub fn answers(q: &Questionnaire, raw: &Map<String, Value>) -> Answers {
    match Answers::parse(q, raw, Mode::Draft) {
        Ok(answers) => answers,
        Err(found) => {
            let mut kept = raw.clone();
            for e in &found.0 {
                kept.remove(&e.question);
            }
            Answers::parse(q, &kept, Mode::Draft).unwrap_or_default()
        }
    }
}

/// The first screen at or after `from` that `answers` show, or the end of the route.
pub fn first_shown(q: &Questionnaire, screens: &[Screen], answers: &Answers, from: usize) -> Place {
    shown_screens(q, screens, answers).into_iter().find(|&s| s >= from).map_or(Place::End, Place::Screen)
}

/// Screen `current` sent with `fields` and `direction`, on top of the `carried` answers: the
/// merged answers and the next screen the routing shows (or the previous one), or the
/// screen's errors. `None` for a screen number the questionnaire does not have.
pub fn step(
    q: &Questionnaire,
    screens: &[Screen],
    carried: &Map<String, Value>,
    current: usize,
    fields: &[(String, String)],
    direction: Direction,
) -> Option<Step> {
    let saved = saving::screen(q, screens.get(current)?, carried, fields, direction);
    Some(match saved.outcome {
        Err(errors) => Step::Refused { filled: saved.filled, errors },
        Ok(answers) => {
            let shown = shown_screens(q, screens, &answers);
            let to = match direction {
                Direction::Next => shown.iter().find(|&&s| s > current).map_or(Place::End, |&s| Place::Screen(s)),
                Direction::Back => {
                    shown.iter().rev().find(|&&s| s < current).map_or(Place::Start, |&s| Place::Screen(s))
                }
            };
            Step::Moved { answers, to }
        }
    })
}

/// A screen on a route: whether the route shows it, and which of its questions (positions in
/// `Questionnaire::questions`) with whether each is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnRoute {
    pub screen: usize,
    pub shown: bool,
    pub questions: Vec<(usize, bool)>,
}

/// Every screen with what the route of `answers` shows of it and what it skips.
pub fn route(q: &Questionnaire, screens: &[Screen], answers: &Answers) -> Vec<OnRoute> {
    let visible = routing::shown(q, answers);
    let shown = shown_screens(q, screens, answers);
    screens
        .iter()
        .enumerate()
        .map(|(i, s)| OnRoute {
            screen: i,
            shown: shown.contains(&i),
            questions: s.questions.iter().map(|&p| (p, visible.get(p).copied().unwrap_or(false))).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse;
    use crate::respondent::screens::screens;
    use serde_json::json;

    /// Someone who never used the service skips the screen about how it went.
    fn survey() -> Questionnaire {
        parse(
            r#"
id = "p"
title = "P"
organisation = "O"
contact = "c@example.org"
intro = "i"
thanks = "t"
groups = [{ code = "G", name = "G" }]

[[questions]]
id = "V1"
page = "Gebruik"
text = "Hoe vaak ging u naar het buurthuis?"
type = "single"
options = [{ code = "nooit", label = "Nooit" }, { code = "soms", label = "Soms" }, { code = "vaak", label = "Vaak" }]
required = true

[[questions]]
id = "V2"
page = "Ervaring"
text = "Hoe was het?"
type = "longtext"
required = true
show_if = "V1 != nooit"

[[questions]]
id = "V3"
page = "Tot slot"
text = "Nog iets?"
type = "text"
"#,
        )
        .unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn moved(step: Option<Step>) -> (Answers, Place) {
        match step {
            Some(Step::Moved { answers, to }) => (answers, to),
            other => panic!("expected a move, got {other:?}"),
        }
    }

    #[test]
    fn nooit_skips_the_screen_about_the_experience() {
        let q = survey();
        let s = screens(&q);
        let start = Map::new();
        assert_eq!(first_shown(&q, &s, &answers(&q, &start), 0), Place::Screen(0));
        let (never, to) = moved(step(&q, &s, &start, 0, &fields(&[("V1", "nooit")]), Direction::Next));
        assert_eq!(to, Place::Screen(2), "the screen about the experience is skipped");
        let (_, end) = moved(step(&q, &s, &never.to_json(&q), 2, &[], Direction::Next));
        assert_eq!(end, Place::End);
        let walked = route(&q, &s, &never);
        assert_eq!(walked.iter().map(|r| r.shown).collect::<Vec<_>>(), [true, false, true]);
        assert_eq!(walked[1].questions, [(1, false)]);

        let (sometimes, to) = moved(step(&q, &s, &start, 0, &fields(&[("V1", "soms")]), Direction::Next));
        assert_eq!(to, Place::Screen(1));
        assert!(route(&q, &s, &sometimes).iter().all(|r| r.shown));
    }

    #[test]
    fn next_asks_for_required_answers_and_back_goes_where_the_route_came_from() {
        let q = survey();
        let s = screens(&q);
        match step(&q, &s, &Map::new(), 0, &[], Direction::Next) {
            Some(Step::Refused { errors, .. }) => assert_eq!(errors.keys().collect::<Vec<_>>(), ["V1"]),
            other => panic!("expected the screen's errors, got {other:?}"),
        }
        let carried: Map<String, Value> = serde_json::from_value(json!({ "V1": "nooit" })).unwrap();
        let (kept, to) = moved(step(&q, &s, &carried, 2, &fields(&[("V3", "fijn")]), Direction::Back));
        assert_eq!(to, Place::Screen(0), "back over the skipped screen");
        assert_eq!(kept.to_json(&q)["V3"], json!("fijn"), "going back keeps what was typed");
        let (_, start) = moved(step(&q, &s, &carried, 0, &[], Direction::Back));
        assert_eq!(start, Place::Start);
        assert!(step(&q, &s, &carried, 3, &[], Direction::Next).is_none());
    }

    #[test]
    fn carried_answers_are_a_json_object_and_what_no_longer_fits_is_dropped() {
        let q = survey();
        assert!(carried("").unwrap().is_empty());
        assert!(carried("[1]").is_err() && carried("{").is_err());
        let raw = carried(r#"{"V1": "nooit", "V2": "leuk", "V9": 3}"#).unwrap();
        let kept = answers(&q, &raw).to_json(&q);
        assert_eq!(kept.keys().collect::<Vec<_>>(), ["V1"], "V2 is skipped by nooit, V9 is no question");
    }
}
