use crate::{reference, with_questions};
use peiling::questionnaire::{Answer, AnswerErrors, Answers, Mode, Questionnaire, answers::AnswerProblem, parse};
use serde_json::{Value, json};

fn submit(q: &Questionnaire, raw: Value) -> Result<Answers, AnswerErrors> {
    Answers::parse(q, raw.as_object().unwrap(), Mode::Submit)
}

/// A complete, valid response of someone who used the budget and wants to use it more.
fn complete() -> Value {
    json!({
        "Q1": 4,
        "Q2": "positief",
        "Q2t": "Werkt snel.",
        "Q3": "ja",
        "Q4": {"options": ["partners", "anders"], "other": {"anders": "Duidelijke richtlijnen"}},
        "Q6": "nee",
        "Q7": ["bijzondere_bijstand", "fondsen"],
        "Q10": "ja",
        "Q11": ["casusbesprekingen"],
    })
}

fn only_error(q: &Questionnaire, raw: Value) -> (String, AnswerProblem, String) {
    let errors = submit(q, raw).expect_err("should be rejected").0;
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0].clone();
    (e.question, e.problem, e.message)
}

fn set(mut raw: Value, id: &str, value: Value) -> Value {
    raw.as_object_mut().unwrap().insert(id.to_string(), value);
    raw
}

#[test]
fn a_complete_response_is_accepted_and_round_trips_through_json() {
    let q = reference();
    let answers = submit(&q, complete()).unwrap();
    assert_eq!(answers.get("Q1"), Some(&Answer::Number(4)));
    assert!(
        matches!(answers.get("Q4"), Some(Answer::Choices { options, other }) if options == &["partners", "anders"] && other["anders"] == "Duidelijke richtlijnen")
    );
    let again = submit(&q, Value::Object(answers.to_json(&q))).unwrap();
    assert_eq!(again, answers);
}

#[test]
fn the_opt_out_box_and_numbers_typed_as_text_are_accepted() {
    let q = reference();
    let raw = json!({"Q1": "nog_nooit", "Q3": "weet_niet", "Q7": ["toeslagen"], "Q10": "nee"});
    let answers = submit(&q, raw).unwrap();
    assert_eq!(answers.get("Q1"), Some(&Answer::OptOut));
    let answers = submit(&q, set(complete(), "Q1", json!(" 7 "))).unwrap();
    assert_eq!(answers.get("Q1"), Some(&Answer::Number(7)));
}

#[test]
fn wrong_type() {
    let q = reference();
    let (question, problem, message) = only_error(&q, set(complete(), "Q3", json!(["ja"])));
    assert_eq!(question, "Q3");
    assert!(matches!(problem, AnswerProblem::WrongType(_)));
    assert!(message.contains("past niet bij de vraag"), "{message}");

    let (_, problem, _) = only_error(&q, set(complete(), "Q2t", json!(42)));
    assert!(matches!(problem, AnswerProblem::WrongType("tekst")));
}

#[test]
fn unknown_option() {
    let q = reference();
    let (_, problem, message) = only_error(&q, set(complete(), "Q2", json!("super")));
    assert_eq!(problem, AnswerProblem::UnknownOption("super".into()));
    assert_eq!(message, "'super' is geen van de antwoordmogelijkheden.");
}

#[test]
fn not_a_whole_number_mentions_the_opt_out_box() {
    let q = reference();
    for bad in [json!("drie"), json!(2.5), json!(true)] {
        let (question, problem, message) = only_error(&q, set(complete(), "Q1", bad));
        assert_eq!((question.as_str(), problem), ("Q1", AnswerProblem::NotWholeNumber));
        assert_eq!(message, "Vul een heel getal in, of kies 'nog nooit'.");
    }
}

#[test]
fn out_of_range() {
    let q = reference();
    for bad in [0, 501, -3] {
        let (_, problem, message) = only_error(&q, set(complete(), "Q1", json!(bad)));
        assert_eq!(problem, AnswerProblem::OutOfRange { min: 1, max: 500 });
        assert_eq!(message, "Vul een getal in van 1 tot en met 500, of kies 'nog nooit'.");
    }
    let rating = parse(&with_questions("[[questions]]\nid = \"C\"\ntype = \"scale\"\ntext = \"Cijfer\"\nfrom = 1\nto = 10\ndont_know = \"Weet niet\"\n")).unwrap();
    let (_, problem, _) = only_error(&rating, json!({"C": 11}));
    assert_eq!(problem, AnswerProblem::OutOfRange { min: 1, max: 10 });
    assert!(submit(&rating, json!({"C": "weet_niet"})).is_ok());
    assert!(submit(&rating, json!({"C": 7})).is_ok());
}

#[test]
fn an_answer_to_a_hidden_question_is_refused_on_submit_and_dropped_in_a_draft() {
    let q = reference();
    // Q5 is only for those who would not use it more; this respondent said ja.
    let raw = set(complete(), "Q5", json!(["voldoende"]));
    let (question, problem, message) = only_error(&q, raw.clone());
    assert_eq!((question.as_str(), problem), ("Q5", AnswerProblem::Hidden));
    assert!(message.contains("niet van toepassing"), "{message}");
    let draft = Answers::parse(&q, raw.as_object().unwrap(), Mode::Draft).unwrap();
    assert!(draft.get("Q5").is_none());
    assert!(draft.get("Q4").is_some());
}

#[test]
fn missing_required_answers() {
    let q = reference();
    let mut raw = complete();
    raw.as_object_mut().unwrap().remove("Q1");
    // Q2, Q2t and Q6 hang on Q1: they are judged once Q1 is answered, not before.
    let (question, problem, message) = only_error(&q, raw);
    assert_eq!((question.as_str(), problem), ("Q1", AnswerProblem::Required));
    assert_eq!(message, "Vul een heel getal in, of kies 'nog nooit'.");

    // A refused Q1 is different: the questions routed on it wait until Q1 is fixed.
    let (question, _, _) = only_error(&q, set(complete(), "Q1", json!("vaak")));
    assert_eq!(question, "Q1");

    let mut raw = complete();
    raw.as_object_mut().unwrap().remove("Q7");
    let (question, problem, message) = only_error(&q, raw);
    assert_eq!((question.as_str(), problem), ("Q7", AnswerProblem::Required));
    assert_eq!(message, "Kies minstens één antwoord.");

    // Empty values count as no answer.
    let (_, problem, message) = only_error(&q, set(complete(), "Q3", json!("")));
    assert_eq!(problem, AnswerProblem::Required);
    assert_eq!(message, "Kies een antwoord.");
}

#[test]
fn open_questions_are_optional() {
    let q = reference();
    let mut raw = complete();
    raw.as_object_mut().unwrap().remove("Q2t");
    assert!(submit(&q, raw).is_ok());
}

#[test]
fn weet_niet_cannot_be_combined() {
    let q = reference();
    let (_, problem, message) = only_error(&q, set(complete(), "Q4", json!(["partners", "weet_niet"])));
    assert_eq!(problem, AnswerProblem::ExclusiveCombined("Weet niet".into()));
    assert_eq!(message, "'Weet niet' kan niet samen met een ander antwoord.");
}

#[test]
fn anders_namelijk_needs_its_text_and_only_then() {
    let q = reference();
    let (_, problem, message) = only_error(&q, set(complete(), "Q4", json!(["anders"])));
    assert_eq!(problem, AnswerProblem::OtherTextMissing("Anders, namelijk".into()));
    assert_eq!(message, "Vul bij 'Anders, namelijk' in wat je bedoelt.");

    let raw = set(complete(), "Q4", json!({"options": ["partners"], "other": {"anders": "iets"}}));
    let (_, problem, _) = only_error(&q, raw);
    assert_eq!(problem, AnswerProblem::OtherTextWithoutOption("Anders, namelijk".into()));
}

#[test]
fn too_long_text() {
    let q = reference();
    let (_, problem, message) = only_error(&q, set(complete(), "Q2t", json!("x".repeat(10_001))));
    assert_eq!(problem, AnswerProblem::TooLong(10_000));
    assert!(message.contains("maximaal 10000 tekens"), "{message}");
}

#[test]
fn unknown_question() {
    let q = reference();
    let (question, problem, _) = only_error(&q, set(complete(), "Q99", json!("ja")));
    assert_eq!((question.as_str(), problem), ("Q99", AnswerProblem::UnknownQuestion));
}

#[test]
fn every_error_is_listed_in_questionnaire_order_with_a_code() {
    let q = reference();
    let raw = json!({"Q10": "misschien", "Q1": "veel", "Q3": "ja", "Q4": ["weet_niet", "criteria"]});
    let errors = submit(&q, raw).unwrap_err().0;
    let order: Vec<(&str, &str)> = errors.iter().map(|e| (e.question.as_str(), e.code())).collect();
    assert_eq!(
        order,
        [("Q1", "not_a_whole_number"), ("Q4", "exclusive_combined"), ("Q7", "required"), ("Q10", "unknown_option")]
    );
}

#[test]
fn control_characters_are_stripped_but_line_breaks_kept() {
    let q = reference();
    let answers = submit(&q, set(complete(), "Q2t", json!("regel 1\nregel\u{0007} 2\u{0000}"))).unwrap();
    assert_eq!(answers.get("Q2t"), Some(&Answer::Text("regel 1\nregel 2".into())));
}

/// Found by the property tests: trimming before stripping left "\u{1b}\t" as a text of a tab,
/// which the next save then dropped as empty.
#[test]
fn a_text_of_only_control_characters_and_blanks_is_no_answer() {
    let q = reference();
    for blank in ["\u{1b}\t\u{0}", "\u{7} \n ", "\u{0}x\u{0} "] {
        let answers = submit(&q, set(complete(), "Q2t", json!(blank))).unwrap();
        let expected = (blank == "\u{0}x\u{0} ").then(|| Answer::Text("x".into()));
        assert_eq!(answers.get("Q2t"), expected.as_ref(), "{blank:?}");
        assert_eq!(Answers::parse(&q, &answers.to_json(&q), Mode::Submit), Ok(answers));
    }
}

/// Found by the property tests: `{"options": []}` was stored as an answer with no option, and
/// so counted as answering a required question.
#[test]
fn an_empty_choice_in_object_form_is_no_answer() {
    let q = reference();
    let (question, problem, _) = only_error(&q, set(complete(), "Q7", json!({"options": []})));
    assert_eq!((question.as_str(), problem), ("Q7", AnswerProblem::Required));
    let draft = Answers::parse(&q, json!({"Q7": {"options": [], "other": {}}}).as_object().unwrap(), Mode::Draft);
    assert_eq!(draft, Ok(Answers::default()));
    let (_, problem, _) = only_error(&q, set(complete(), "Q7", json!({"options": [], "other": {"anders": "x"}})));
    assert_eq!(problem, AnswerProblem::OtherTextWithoutOption("Anders, namelijk".into()));
}
