//! Answers beside a scale ("geen mening", "niet van toepassing"): how they are written, what
//! is refused with its line, how they are answered and how routing tests them.

use crate::with_questions;
use peiling::questionnaire::answers::Mode;
use peiling::questionnaire::{Answer, Answers, OffScale, QuestionKind, parse, routing};
use serde_json::{Map, Value, json};

const SCALES: &str = r#"[[questions]]
id = "E"
type = "scale"
text = "Het loket helpt mij snel."
points = ["Helemaal eens", "Eens", "Neutraal", "Oneens", "Helemaal oneens",
  { label = "Geen mening", off_scale = true, in_base = true }]
dont_know = "Weet niet"

[[questions]]
id = "R"
type = "scale"
text = "Welk rapportcijfer geeft u het loket?"
from = 1
to = 10
off_scale = [{ label = "Niet van toepassing", code = "nvt", in_base = false }]
dont_know = "Weet niet"

[[questions]]
id = "W"
type = "text"
text = "Waarom geen mening?"
show_if = "E = geen_mening"

[[questions]]
id = "V"
type = "yesno"
text = "Wilt u teruggebeld worden?"
show_if = "R = nvt or R >= 6"
"#;

fn answers(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

#[test]
fn answers_beside_a_scale_come_after_its_points_and_say_whether_they_count_in_the_base() {
    let q = parse(&with_questions(SCALES)).unwrap();
    let e = q.question("E").unwrap();
    let places: Vec<(&str, bool, Option<OffScale>)> =
        e.options().iter().map(|o| (o.code.as_str(), o.dont_know, o.off_scale)).collect();
    assert_eq!(
        places[4..],
        [("helemaal_oneens", false, None), ("geen_mening", false, Some(OffScale::InBase)), ("weet_niet", true, None)]
    );
    let r = q.question("R").unwrap();
    let QuestionKind::Rating { options, .. } = &r.kind else { panic!("{:?}", r.kind) };
    let beside: Vec<(&str, Option<OffScale>)> = options.iter().map(|o| (o.code.as_str(), o.off_scale)).collect();
    assert_eq!(beside, [("nvt", Some(OffScale::Apart)), ("weet_niet", None)]);
    assert_eq!(r.off_scale().map(|o| o.label.as_str()).collect::<Vec<_>>(), ["Niet van toepassing"]);
}

#[test]
fn a_respondent_answers_them_and_routing_tests_them() {
    let q = parse(&with_questions(SCALES)).unwrap();
    let given = Answers::parse(
        &q,
        &answers(&[
            ("E", json!("geen_mening")),
            ("R", json!("nvt")),
            ("W", json!("Ken het niet")),
            ("V", json!("nee")),
        ]),
        Mode::Submit,
    )
    .unwrap();
    assert_eq!(given.get("R"), Some(&Answer::Choice { option: "nvt".into(), other: None }));
    assert_eq!(given.get("E"), Some(&Answer::Choice { option: "geen_mening".into(), other: None }));
    // A mark under 6 and an opinion hide both follow-ups; "nvt" is no mark and "R >= 6" fails on it.
    let low = Answers::parse(&q, &answers(&[("E", json!("eens")), ("R", json!(4))]), Mode::Submit).unwrap();
    assert_eq!(routing::shown(&q, &low), [true, true, false, false]);
    let shown = routing::shown(&q, &given);
    assert_eq!(shown, [true, true, true, true]);
    let refused = Answers::parse(&q, &answers(&[("E", json!("eens")), ("R", json!("11"))]), Mode::Submit).unwrap_err();
    assert_eq!(refused.0[0].code(), "out_of_range");
}

fn errors_of(questions: &str) -> Vec<String> {
    parse(&with_questions(questions)).unwrap_err().0.iter().map(ToString::to_string).collect()
}

#[test]
fn mistakes_are_refused_with_their_line_and_why() {
    let scale =
        |points: &str| format!("[[questions]]\nid = \"E\"\ntype = \"scale\"\ntext = \"Eens?\"\npoints = [{points}]\n");
    // The question's id is on line 9 of `with_questions`.
    assert_eq!(
        errors_of(&scale(r#""Eens", "Oneens", { label = "Geen mening", off_scale = true }"#)),
        [
            "regel 9, vraag E: antwoord 'geen_mening' staat buiten de schaal: zeg met in_base = true of in_base = false of het meetelt in de basis van de percentages"
        ]
    );
    assert_eq!(
        errors_of(&scale(r#""Eens", { label = "Geen mening", off_scale = true, in_base = true }, "Oneens""#)),
        [
            "regel 9, vraag E: antwoord 'geen_mening' staat buiten de schaal maar vóór een punt ervan; zet het na de punten, zoals het formulier het toont"
        ]
    );
    assert_eq!(
        errors_of(&scale(
            r#""Eens", "Oneens", { label = "Geen mening", off_scale = true, in_base = false, dont_know = true }"#
        )),
        [
            "regel 9, vraag E: antwoord 'geen_mening' staat buiten de schaal en kan niet ook dont_know = true zijn; kies één van beide"
        ]
    );
    assert_eq!(
        errors_of(&scale(r#""Eens", { label = "Geen mening", off_scale = true, in_base = true }"#)),
        ["regel 9, vraag E: een schaal heeft minstens twee punten nodig"]
    );
    assert_eq!(
        errors_of(&scale(r#""Eens", { label = "Oneens", in_base = true }"#)),
        ["regel 9, vraag E: antwoord 'oneens': in_base hoort alleen bij een antwoord met off_scale = true"]
    );
    let single = "[[questions]]\nid = \"S\"\ntype = \"single\"\ntext = \"Wat?\"\noptions = [\"A\", { label = \"Geen mening\", off_scale = true, in_base = true }]\n";
    assert_eq!(
        errors_of(single),
        [
            "regel 9, vraag S: antwoord 'geen_mening': off_scale kan alleen bij een schaal (type = \"scale\"); bij andere vragen is elk antwoord gewoon een antwoord"
        ]
    );
    let rating = |beside: &str| {
        format!(
            "[[questions]]\nid = \"R\"\ntype = \"scale\"\ntext = \"Cijfer?\"\nfrom = 1\nto = 10\ndont_know = \"Weet niet\"\noff_scale = [{beside}]\n"
        )
    };
    assert!(errors_of(&rating(r#""Niet van toepassing""#))[0].contains("zeg met in_base = true of in_base = false"));
    assert_eq!(
        errors_of(&rating(r#"{ label = "Weet niet", in_base = false }"#)),
        ["regel 9, vraag R: antwoordoptie 'weet_niet' komt twee keer voor"]
    );
    assert!(
        errors_of(&rating(r#"{ label = "0", in_base = false }"#))[0]
            .contains("antwoordcode naast de cijfers '0' is ongeldig")
    );
    let number = "[[questions]]\nid = \"N\"\ntype = \"number\"\ntext = \"Hoeveel?\"\noff_scale = [{ label = \"Geen\", in_base = false }]\n";
    assert_eq!(errors_of(number), ["regel 9, vraag N: 'off_scale' hoort niet bij een vraag van type 'number'"]);
    let condition = format!(
        "{}[[questions]]\nid = \"F\"\ntype = \"text\"\ntext = \"Waarom?\"\nshow_if = \"R = nvt\"\n",
        rating(r#"{ label = "Niet van toepassing", in_base = false }"#)
    );
    assert_eq!(
        errors_of(&condition),
        ["regel 20, vraag F: vraag 'R' heeft geen antwoord 'nvt'; mogelijk zijn: niet_van_toepassing, weet_niet"]
    );
}
