//! A synthetic population for a questionnaire: how many people are invited and respond per
//! group, and per question how the respondents who see it answer. Turned into concrete answer
//! sets by [`generate`], each of which the questionnaire engine checks.

use crate::questionnaire::{Answers, Mode, QuestionKind, Questionnaire, routing};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub seed: u64,
    pub fieldwork: Option<Fieldwork>,
    /// The report's date on the cover.
    pub published: Option<NaiveDate>,
    /// Narrative texts for the report, by key (`open:Q8`, `figure:Q2`, `section:3`).
    #[serde(default)]
    pub narrative: BTreeMap<String, String>,
    pub groups: BTreeMap<String, GroupPlan>,
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionPlan>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fieldwork {
    pub opens: NaiveDate,
    pub closes: NaiveDate,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPlan {
    pub invited: usize,
    pub responded: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionPlan {
    /// Respondents per option code.
    #[serde(default)]
    pub options: BTreeMap<String, usize>,
    /// For a multiple-answer question: how many respondents answer it at all.
    pub respondents: Option<usize>,
    /// Respondents per number given.
    #[serde(default)]
    pub numbers: BTreeMap<String, usize>,
    /// Respondents who tick the opt-out box.
    #[serde(default)]
    pub opt_out: usize,
    /// Open questions: how many answer, cycling through `texts`.
    pub answers: Option<usize>,
    #[serde(default)]
    pub texts: Vec<String>,
    /// Personal details written into `texts` on purpose, so the demo shows the anonymiser at
    /// work; the tests check that none of them reaches the report.
    #[serde(default)]
    pub planted: Vec<String>,
    /// Texts for "anders, namelijk" options, per option code.
    #[serde(default)]
    pub other: BTreeMap<String, Vec<String>>,
}

/// One synthetic respondent: the group code and the answers the engine accepted.
#[derive(Debug, Clone)]
pub struct Respondent {
    pub group: String,
    pub answers: Answers,
}

/// A small deterministic generator (SplitMix64), so the demo gives the same people every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("demoplan, vraag {question}: {message}")]
pub struct PlanError {
    pub question: String,
    pub message: String,
}

fn plan_error(question: &str, message: String) -> PlanError {
    PlanError { question: question.to_string(), message }
}

/// Builds every respondent's answers from the plan, question by question in definition order,
/// so that routing decides who sees each question exactly as the form would.
pub fn generate(questionnaire: &Questionnaire, plan: &Plan) -> Result<Vec<Respondent>, PlanError> {
    let mut rng = Rng::new(plan.seed);
    for code in plan.groups.keys() {
        if questionnaire.group(code).is_none() {
            return Err(plan_error("-", format!("groep '{code}' staat niet in de vragenlijst")));
        }
    }
    for (id, q) in &plan.questions {
        if questionnaire.question(id).is_none() {
            return Err(plan_error(id, "deze vraag staat niet in de vragenlijst".into()));
        }
        if let Some(missing) = q.planted.iter().find(|p| !q.texts.iter().any(|t| t.contains(p.as_str()))) {
            return Err(plan_error(id, format!("'{missing}' staat in planted maar in geen van de teksten")));
        }
    }
    let mut groups: Vec<String> = Vec::new();
    for g in &questionnaire.groups {
        if let Some(p) = plan.groups.get(&g.code) {
            groups.extend(std::iter::repeat_n(g.code.clone(), p.responded));
        }
    }
    rng.shuffle(&mut groups);
    let mut raw: Vec<Map<String, Value>> = vec![Map::new(); groups.len()];

    for question in &questionnaire.questions {
        let eligible: Vec<usize> = (0..raw.len())
            .filter(|&r| {
                let so_far = Answers::parse(questionnaire, &raw[r], Mode::Draft).unwrap_or_default();
                routing::shown(questionnaire, &so_far)[questionnaire.position(&question.id).unwrap_or(0)]
            })
            .collect();
        let Some(qp) = plan.questions.get(&question.id) else {
            if question.required && !eligible.is_empty() {
                return Err(plan_error(
                    &question.id,
                    format!(
                        "{} respondenten zien deze verplichte vraag, maar het plan noemt haar niet",
                        eligible.len()
                    ),
                ));
            }
            continue;
        };
        let mut order = eligible.clone();
        rng.shuffle(&mut order);
        let values = answers_for(question.id.as_str(), &question.kind, qp, order.len(), question.required)?;
        for (slot, value) in order.into_iter().zip(values) {
            if let Some(value) = value {
                raw[slot].insert(question.id.clone(), value);
            }
        }
    }

    raw.into_iter()
        .zip(groups)
        .enumerate()
        .map(|(i, (answers, group))| {
            let answers = Answers::parse(questionnaire, &answers, Mode::Submit)
                .map_err(|e| plan_error("-", format!("respondent {} is ongeldig: {e}", i + 1)))?;
            Ok(Respondent { group, answers })
        })
        .collect()
}

/// The answers for `n` eligible respondents, in the order they are handed out; `None` leaves
/// a respondent's answer empty.
fn answers_for(
    id: &str,
    kind: &QuestionKind,
    qp: &QuestionPlan,
    n: usize,
    required: bool,
) -> Result<Vec<Option<Value>>, PlanError> {
    let texts_for = |code: &str, k: usize| -> Result<Option<String>, PlanError> {
        match qp.other.get(code) {
            Some(list) if !list.is_empty() => Ok(Some(list[k % list.len()].clone())),
            _ => Err(plan_error(id, format!("optie '{code}' vraagt een toelichting; geef die onder other.{code}"))),
        }
    };
    let needs_text = |code: &str| match kind {
        QuestionKind::Choice { options, .. } | QuestionKind::Multiple { options, .. } => {
            options.iter().any(|o| o.code == code && o.other)
        }
        _ => false,
    };
    let mut out: Vec<Option<Value>> = Vec::with_capacity(n);
    match kind {
        QuestionKind::Choice { .. } => {
            for (code, count) in &qp.options {
                for k in 0..*count {
                    out.push(Some(if needs_text(code) {
                        json!({ "option": code, "other": texts_for(code, k)? })
                    } else {
                        json!(code)
                    }));
                }
            }
        }
        QuestionKind::Multiple { options, .. } => {
            let answering = qp.respondents.unwrap_or(n);
            if answering > n {
                return Err(plan_error(id, format!("{answering} respondenten gepland, maar maar {n} zien de vraag")));
            }
            let exclusive: usize =
                options.iter().filter(|o| o.exclusive).map(|o| qp.options.get(&o.code).copied().unwrap_or(0)).sum();
            let rest = answering.saturating_sub(exclusive);
            for o in options.iter().filter(|o| o.exclusive) {
                out.extend((0..qp.options.get(&o.code).copied().unwrap_or(0)).map(|_| Some(json!([o.code]))));
            }
            // Each option goes to a consecutive run of people, wrapping around: with at least
            // as many choices as people, everyone gets one and nobody gets an option twice.
            let mut chosen: Vec<Vec<String>> = vec![Vec::new(); rest];
            let mut at = 0;
            for o in options.iter().filter(|o| !o.exclusive) {
                let count = qp.options.get(&o.code).copied().unwrap_or(0);
                if count > rest {
                    return Err(plan_error(
                        id,
                        format!("optie '{}' is {count} keer gepland voor {rest} respondenten", o.code),
                    ));
                }
                for _ in 0..count {
                    chosen[at % rest.max(1)].push(o.code.clone());
                    at += 1;
                }
            }
            if at < rest {
                return Err(plan_error(
                    id,
                    format!("{rest} respondenten maar samen maar {at} keuzes: iedereen moet iets kiezen"),
                ));
            }
            for (k, codes) in chosen.into_iter().enumerate() {
                let mut other = Map::new();
                for code in codes.iter().filter(|c| needs_text(c)) {
                    other.insert(code.clone(), json!(texts_for(code, k)?));
                }
                out.push(Some(if other.is_empty() {
                    json!(codes)
                } else {
                    json!({ "options": codes, "other": other })
                }));
            }
        }
        QuestionKind::Number { opt_out, .. } => {
            if qp.opt_out > 0 {
                let Some(o) = opt_out else {
                    return Err(plan_error(id, "opt_out gepland, maar de vraag heeft geen vakje".into()));
                };
                out.extend((0..qp.opt_out).map(|_| Some(json!(o.code))));
            }
            push_numbers(id, qp, &mut out)?;
        }
        QuestionKind::Rating { .. } => {
            for (code, count) in &qp.options {
                out.extend((0..*count).map(|_| Some(json!(code))));
            }
            push_numbers(id, qp, &mut out)?;
        }
        QuestionKind::Text { .. } => {
            let count = qp.answers.unwrap_or(0);
            if count > 0 && qp.texts.is_empty() {
                return Err(plan_error(id, "answers gepland zonder texts".into()));
            }
            out.extend((0..count).map(|k| Some(json!(qp.texts[k % qp.texts.len()]))));
        }
    }
    if out.len() > n {
        return Err(plan_error(
            id,
            format!("{} antwoorden gepland, maar maar {n} respondenten zien de vraag", out.len()),
        ));
    }
    if required && out.len() < n && !matches!(kind, QuestionKind::Text { .. }) {
        return Err(plan_error(
            id,
            format!("{n} respondenten zien deze verplichte vraag, maar er zijn {} antwoorden gepland", out.len()),
        ));
    }
    out.resize(n, None);
    Ok(out)
}

fn push_numbers(id: &str, qp: &QuestionPlan, out: &mut Vec<Option<Value>>) -> Result<(), PlanError> {
    for (value, count) in &qp.numbers {
        let n: i64 = value.trim().parse().map_err(|_| plan_error(id, format!("'{value}' is geen heel getal")))?;
        out.extend((0..*count).map(|_| Some(json!(n))));
    }
    Ok(())
}
