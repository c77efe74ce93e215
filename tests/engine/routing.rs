use crate::{reference, with_questions};
use peiling::questionnaire::{Answers, Mode, Questionnaire, parse, routing};
use serde_json::{Value, json};

fn answers(q: &Questionnaire, raw: Value) -> Answers {
    Answers::parse(q, raw.as_object().unwrap(), Mode::Draft).unwrap()
}

fn visible(q: &Questionnaire, raw: Value) -> Vec<String> {
    routing::visible(q, &answers(q, raw)).into_iter().map(|q| q.id.clone()).collect()
}

fn shows(q: &Questionnaire, raw: Value, id: &str) -> bool {
    visible(q, raw).iter().any(|v| v == id)
}

#[test]
fn before_any_answer_only_unconditional_questions_show() {
    let q = reference();
    assert_eq!(visible(&q, json!({})), ["Q1", "Q3", "Q7", "Q8", "Q9", "Q10", "Q12", "Q13"]);
}

#[test]
fn q2_q2t_and_q6_only_for_those_who_used_the_budget() {
    let q = reference();
    for id in ["Q2", "Q2t", "Q6"] {
        assert!(!shows(&q, json!({"Q1": "nog_nooit"}), id), "{id} hidden after 'nog nooit'");
        assert!(shows(&q, json!({"Q1": 1}), id), "{id} shown at the boundary Q1 = 1");
        assert!(shows(&q, json!({"Q1": 12}), id), "{id} shown for Q1 = 12");
    }
}

#[test]
fn q4_for_ja_q5_for_nee_neither_for_weet_niet() {
    let q = reference();
    assert!(shows(&q, json!({"Q3": "ja"}), "Q4"));
    assert!(!shows(&q, json!({"Q3": "ja"}), "Q5"));
    assert!(shows(&q, json!({"Q3": "nee"}), "Q5"));
    assert!(!shows(&q, json!({"Q3": "nee"}), "Q4"));
    assert!(!shows(&q, json!({"Q3": "weet_niet"}), "Q4"));
    assert!(!shows(&q, json!({"Q3": "weet_niet"}), "Q5"));
}

#[test]
fn q6_follow_ups_only_after_ja() {
    let q = reference();
    let ja = json!({"Q1": 3, "Q6": "ja"});
    assert!(shows(&q, ja.clone(), "Q6n") && shows(&q, ja, "Q6t"));
    let nee = json!({"Q1": 3, "Q6": "nee"});
    assert!(!shows(&q, nee.clone(), "Q6n") && !shows(&q, nee, "Q6t"));
}

#[test]
fn q11_only_for_those_with_a_need() {
    let q = reference();
    assert!(shows(&q, json!({"Q10": "ja"}), "Q11"));
    assert!(!shows(&q, json!({"Q10": "nee"}), "Q11"));
}

#[test]
fn an_answer_left_on_a_hidden_question_does_not_route() {
    // Q6 = ja was answered, then Q1 changed to "nog nooit": Q6 is hidden, so its follow-ups are too.
    let q = reference();
    let before = answers(&q, json!({"Q1": 3, "Q6": "ja"}));
    assert!(before.get("Q6").is_some());
    let after = answers(&q, json!({"Q1": "nog_nooit", "Q6": "ja", "Q6n": 2}));
    assert!(after.get("Q6").is_none(), "draft save discards answers to questions that became hidden");
    assert!(after.get("Q6n").is_none());
    let shown = routing::shown(&q, &after);
    let pos = |id: &str| q.position(id).unwrap();
    assert!(!shown[pos("Q6")] && !shown[pos("Q6n")] && !shown[pos("Q6t")]);
}

#[test]
fn conditions_combine_with_and_or_not() {
    let source = with_questions(
        r#"[[questions]]
id = "N"
type = "number"
text = "Hoe vaak?"
opt_out = { label = "Nog nooit", value = 0 }

[[questions]]
id = "K"
type = "yesno"
text = "Ken je het?"
dont_know = "Weet niet"

[[questions]]
id = "BOTH"
type = "text"
text = "Beide"
show_if = "N >= 1 and K = ja"

[[questions]]
id = "EITHER"
type = "text"
text = "Een van beide"
show_if = "N = nog_nooit or K in [nee, weet_niet]"

[[questions]]
id = "NOTJA"
type = "text"
text = "Niet ja"
show_if = "not K = ja"

[[questions]]
id = "ZERO"
type = "text"
text = "Nul telt als getal"
show_if = "N < 1"
"#,
    );
    let q = parse(&source).unwrap();
    assert_eq!(visible(&q, json!({"N": 2, "K": "ja"})), ["N", "K", "BOTH"]);
    assert_eq!(visible(&q, json!({"N": 2, "K": "weet_niet"})), ["N", "K", "EITHER", "NOTJA"]);
    assert_eq!(visible(&q, json!({"N": "nog_nooit", "K": "ja"})), ["N", "K", "EITHER", "ZERO"]);
    // Unanswered: comparisons are false, so only the negation shows.
    assert_eq!(visible(&q, json!({})), ["N", "K", "NOTJA"]);
}
