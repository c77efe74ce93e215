//! Random but valid respondents for load and benchmark runs: every answer is one the engine
//! accepts, and only questions the routing shows are answered.

use super::plan::Rng;
use crate::questionnaire::{AnswerErrors, Answers, Mode, QuestionKind, Questionnaire, routing};
use serde_json::{Map, json};

/// One respondent's answers. Optional open questions are answered only with `open_text`.
pub fn respondent(questionnaire: &Questionnaire, rng: &mut Rng, open_text: bool) -> Result<Answers, AnswerErrors> {
    let mut raw = Map::new();
    for (i, question) in questionnaire.questions.iter().enumerate() {
        let so_far = Answers::parse(questionnaire, &raw, Mode::Draft).unwrap_or_default();
        if !routing::shown(questionnaire, &so_far)[i] {
            continue;
        }
        let value = match &question.kind {
            QuestionKind::Choice { options, .. } => {
                let o = &options[rng.below(options.len())];
                if o.other { json!({ "option": o.code, "other": "iets anders" }) } else { json!(o.code) }
            }
            QuestionKind::Multiple { options, max, .. } => {
                let plain: Vec<_> = options.iter().filter(|o| !o.exclusive).collect();
                let exclusive: Vec<_> = options.iter().filter(|o| o.exclusive).collect();
                if plain.is_empty() || (!exclusive.is_empty() && rng.below(10) == 0) {
                    json!([exclusive[rng.below(exclusive.len())].code])
                } else {
                    let want = (1 + rng.below(3)).min(max.unwrap_or(usize::MAX)).min(plain.len());
                    let mut picked: Vec<&str> = Vec::new();
                    while picked.len() < want {
                        let o = plain[rng.below(plain.len())];
                        if !picked.contains(&o.code.as_str()) {
                            picked.push(&o.code);
                        }
                    }
                    let mut other = Map::new();
                    for o in plain.iter().filter(|o| o.other && picked.contains(&o.code.as_str())) {
                        other.insert(o.code.clone(), json!("iets anders"));
                    }
                    json!({ "options": picked, "other": other })
                }
            }
            QuestionKind::Number { min, max, opt_out, .. } => match opt_out {
                Some(o) if rng.below(5) == 0 => json!(o.code),
                _ => json!(min + rng.below(((max - min).min(11) + 1) as usize) as i64),
            },
            QuestionKind::Rating { from, to, .. } => json!(from + rng.below((to - from + 1) as usize) as i64),
            QuestionKind::Text { .. } if question.required || open_text => json!("Een kort antwoord."),
            QuestionKind::Text { .. } => continue,
        };
        raw.insert(question.id.clone(), value);
    }
    Answers::parse(questionnaire, &raw, Mode::Submit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_respondents_always_pass_the_engine() {
        let q = crate::questionnaire::parse(crate::bundled::MAATWERKBUDGET_2021.definition).unwrap();
        let mut rng = Rng::new(7);
        for _ in 0..500 {
            let a = respondent(&q, &mut rng, true).unwrap();
            let again = Answers::parse(&q, &a.to_json(&q), Mode::Submit);
            assert!(again.is_ok(), "{again:?}");
            assert!(a.get("Q1").is_some() && a.get("Q7").is_some());
        }
    }
}
