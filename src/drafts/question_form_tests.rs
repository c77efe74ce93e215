use super::*;
use crate::questionnaire::parse;

fn bundled() -> Questionnaire {
    parse(crate::bundled::ALL[0].definition).unwrap()
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn every_question_of_the_bundled_survey_comes_back_unchanged_through_its_form() {
    for b in crate::bundled::ALL {
        let q = parse(b.definition).unwrap();
        for question in &q.questions {
            let written = with_question(&q, Some(&question.id), &QuestionForm::of(question));
            let again = parse(&written).unwrap_or_else(|e| panic!("{}: {e}\n{written}", question.id));
            assert_eq!(again, q, "{} changed on its way through the form", question.id);
        }
    }
}

#[test]
fn a_new_question_from_posted_fields_with_rows_and_routing_built_from_rows() {
    let q = bundled();
    let posted = fields(&[
        ("id", "Q20"),
        ("text", "Met wie werkte je samen?"),
        ("required", "ja"),
        ("row.0.label", "Wijkagent"),
        ("row.1.code", "corp"),
        ("row.1.label", "Woningcorporatie"),
        ("row.2.label", "Iemand anders"),
        ("row.2.other", "ja"),
        ("row.3.label", "Weet ik niet"),
        ("row.3.dont_know", "ja"),
        ("row.4.label", ""),
        ("max_choices", "2"),
        ("if.0.question", "Q1"),
        ("if.0.op", ">="),
        ("if.0.value", "1"),
        ("if.1.question", "Q3"),
        ("if.1.op", "="),
        ("if.1.value", "ja"),
        ("joiner", "or"),
    ]);
    let form = QuestionForm::from_fields(&posted, Kind::Multiple);
    assert_eq!(form.condition().as_deref(), Some("Q1 >= 1 or Q3 = ja"));
    let written = with_question(&q, None, &form);
    let again = parse(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
    let added = again.questions.last().unwrap();
    assert_eq!(added.id, "Q20");
    assert!(added.required);
    let QuestionKind::Multiple { options, max, .. } = &added.kind else { panic!("{:?}", added.kind) };
    assert_eq!(*max, Some(2));
    let codes: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes, ["wijkagent", "corp", "iemand_anders", "weet_ik_niet"]);
    assert!(options[2].other && options[3].dont_know && options[3].exclusive);
    // The form of the stored question shows the routing in its rows again.
    let shown = QuestionForm::of(added);
    assert_eq!(shown.joiner, "or");
    assert_eq!(shown.conditions[1], ConditionRow { question: "Q3".into(), op: "=".into(), value: "ja".into() });
}

#[test]
fn changing_the_kind_keeps_what_still_fits() {
    let posted = fields(&[("id", "Z1"), ("text", "Hoe vaak?"), ("row.0.label", "Vaak"), ("min", "3")]);
    let number = QuestionForm::from_fields(&posted, Kind::Number);
    assert_eq!((number.text.as_str(), number.min.as_str()), ("Hoe vaak?", "3"));
    assert!(number.rows.is_empty(), "a number has no answer rows");
    let single = QuestionForm::from_fields(&posted, Kind::Single);
    assert_eq!(single.rows[0].label, "Vaak");
    assert_eq!(single.rows.len(), 1 + SPARE_ROWS);
}

#[test]
fn each_problem_is_told_beside_its_field() {
    let q = bundled();
    let cases = [
        (vec![("id", "Q21"), ("text", ""), ("min", "1")], Kind::Number, "text"),
        (vec![("id", "Q21"), ("text", "Hoe vaak?"), ("min", "vaak")], Kind::Number, "min"),
        (vec![("id", "Q21"), ("text", "Hoe vaak?"), ("min", "9"), ("max", "2")], Kind::Number, "min"),
        (vec![("id", "Q21"), ("text", "Welke?")], Kind::Single, "rows"),
        (vec![("id", "Q21"), ("text", "Hoe vaak?"), ("show_if", "Q99 = ja")], Kind::Number, "show_if"),
        (
            vec![("id", "Q21"), ("text", "Hoe vaak?"), ("if.0.question", "Q3"), ("if.0.value", "misschien")],
            Kind::Number,
            "show_if",
        ),
        (vec![("id", "21 x"), ("text", "Hoe vaak?")], Kind::Number, "id"),
    ];
    for (pairs, kind, field) in cases {
        let form = QuestionForm::from_fields(&fields(&pairs), kind);
        let written = with_question(&q, None, &form);
        let errors = parse(&written).expect_err(&format!("{pairs:?} is refused"));
        let found: Vec<_> = errors.0.iter().map(|e| field_of(e, &form.id, &written)).collect();
        assert!(found.contains(&Some(field)), "{pairs:?}: {found:?} for {errors}");
    }
}
