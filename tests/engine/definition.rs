use crate::{reference, with_questions};
use peiling::questionnaire::{ChoiceStyle, DefinitionErrors, Problem, QuestionKind, parse};

fn problems(source: &str) -> DefinitionErrors {
    parse(source).expect_err("definition should be rejected")
}

/// Parses, expects exactly one error and returns it with its rendered message.
fn single(source: &str) -> (Problem, Option<usize>, Option<String>, String) {
    let errors = problems(source);
    assert_eq!(errors.0.len(), 1, "expected one error, got: {errors}");
    let e = errors.0[0].clone();
    let text = e.to_string();
    (e.problem, e.line, e.question, text)
}

const Q_YESNO: &str = "[[questions]]\nid = \"Q1\"\ntype = \"yesno\"\ntext = \"Ja of nee?\"\n";

#[test]
fn the_bundled_definition_reproduces_the_reference_questionnaire() {
    let q = reference();
    assert_eq!(q.id, "maatwerkbudget-2021");
    let ids: Vec<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        ["Q1", "Q2", "Q2t", "Q3", "Q4", "Q5", "Q6", "Q6n", "Q6t", "Q7", "Q8", "Q9", "Q10", "Q11", "Q12", "Q13"]
    );
    assert_eq!(q.groups.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(), ["SWT", "JLR"]);

    let q1 = q.question("Q1").unwrap();
    match &q1.kind {
        QuestionKind::Number { opt_out: Some(o), .. } => {
            assert_eq!((o.code.as_str(), o.value), ("nog_nooit", Some(0)));
        }
        other => panic!("Q1 should be a number with an opt-out, got {other:?}"),
    }
    let q2 = q.question("Q2").unwrap();
    assert!(matches!(q2.kind, QuestionKind::Choice { style: ChoiceStyle::Scale, .. }));
    assert_eq!(
        q2.options().iter().map(|o| o.code.as_str()).collect::<Vec<_>>(),
        ["zeer_positief", "positief", "neutraal", "negatief", "zeer_negatief"]
    );
    let q3 = q.question("Q3").unwrap();
    assert_eq!(
        q3.options().iter().map(|o| (o.code.as_str(), o.dont_know)).collect::<Vec<_>>(),
        [("ja", false), ("nee", false), ("weet_niet", true)]
    );
    let q4 = q.question("Q4").unwrap();
    assert!(matches!(q4.kind, QuestionKind::Multiple { .. }));
    assert!(q4.option("anders").unwrap().other);
    assert!(q4.option("weet_niet").unwrap().exclusive);
    assert_eq!(q.question("Q5").unwrap().options().iter().filter(|o| o.other).count(), 2);
    assert_eq!(q.question("Q7").unwrap().options().len(), 4);
    assert_eq!(q.question("Q11").unwrap().options().len(), 6);

    let routed: Vec<(&str, &str)> =
        q.questions.iter().filter_map(|q| Some((q.id.as_str(), q.show_if_source.as_deref()?))).collect();
    assert_eq!(
        routed,
        [
            ("Q2", "Q1 >= 1"),
            ("Q2t", "Q1 >= 1"),
            ("Q4", "Q3 = ja"),
            ("Q5", "Q3 = nee"),
            ("Q6", "Q1 >= 1"),
            ("Q6n", "Q6 = ja"),
            ("Q6t", "Q6 = ja"),
            ("Q11", "Q10 = ja"),
        ]
    );
    // Closed questions are required by default, open ones optional.
    assert!(q.question("Q7").unwrap().required);
    assert!(!q.question("Q12").unwrap().required);
}

#[test]
fn toml_syntax_errors_name_the_line() {
    let (problem, line, _, text) = single("id = \"t\"\ntitle = \"x\"\n[[groups]\n");
    assert!(matches!(problem, Problem::Syntax(_)));
    assert_eq!(line, Some(3));
    assert!(text.starts_with("regel 3:"), "{text}");
}

#[test]
fn unknown_fields_and_wrong_kinds_are_named_in_dutch_with_their_line() {
    // Valid TOML that does not fit: not "geen geldige TOML", and not serde's English.
    let (problem, line, _, text) = single(&with_questions(&format!("{Q_YESNO}colour = \"red\"\n")));
    assert!(matches!(problem, Problem::Shape(_)), "{problem:?}");
    assert!(line.is_some());
    assert!(text.contains("het veld 'colour' bestaat niet (wel: 'id', 'type'"), "{text}");
    assert!(!text.contains("TOML") && !text.contains("unknown field"), "{text}");
    let (_, _, _, text) = single(&with_questions(&format!("{Q_YESNO}required = \"ja\"\n")));
    assert!(text.contains("verwacht true of false, niet tekst"), "{text}");
    let (_, _, _, text) = single(&with_questions(
        "[[questions]]\nid = \"N\"\ntype = \"number\"\ntext = \"Hoe vaak?\"\nopt_out = \"Nooit\"\n",
    ));
    assert!(text.contains("verwacht een tabel, zoals { label = \"...\" }, niet tekst"), "{text}");
    assert!(!text.contains("Raw"), "no type names of the code: {text}");
}

#[test]
fn empty_title() {
    let (problem, line, _, text) = single(&with_questions(Q_YESNO).replace("title = \"Test\"", "title = \" \""));
    assert_eq!(problem, Problem::EmptyField("title"));
    assert_eq!(line, Some(2));
    assert!(text.contains("'title' mag niet leeg zijn"), "{text}");
}

#[test]
fn no_groups() {
    let source = format!("id = \"t\"\ntitle = \"T\"\n{Q_YESNO}");
    let (problem, _, _, text) = single(&source);
    assert_eq!(problem, Problem::NoGroups);
    assert!(text.contains("geen groep"), "{text}");
}

#[test]
fn bad_and_duplicate_group_codes() {
    let source = with_questions(Q_YESNO).replace("code = \"A\"", "code = \"S W T\"");
    let (problem, _, _, text) = single(&source);
    assert!(matches!(problem, Problem::BadCode { code, .. } if code == "S W T"));
    assert!(text.contains("groepscode 'S W T' is ongeldig"), "{text}");

    let source = with_questions(&format!("[[groups]]\ncode = \"a\"\nname = \"Nog eens A\"\n\n{Q_YESNO}"));
    let (problem, line, _, text) = single(&source);
    assert_eq!(problem, Problem::DuplicateGroup("a".into()));
    assert_eq!(line, Some(8), "the [[groups]] header of the second one");
    assert!(text.contains("twee keer"), "{text}");
}

#[test]
fn no_questions() {
    let (problem, _, _, text) = single(&with_questions(""));
    assert_eq!(problem, Problem::NoQuestions);
    assert!(text.contains("geen vragen"), "{text}");
}

#[test]
fn duplicate_question_ids_name_both_lines() {
    let source = with_questions(&format!("{Q_YESNO}\n{Q_YESNO}"));
    let (problem, line, question, text) = single(&source);
    assert_eq!(problem, Problem::DuplicateQuestion { id: "Q1".into(), first_line: 9 });
    assert_eq!((line, question.as_deref()), (Some(14), Some("Q1")));
    assert_eq!(text, "regel 14, vraag Q1: vraagcode 'Q1' is al gebruikt op regel 9");
}

#[test]
fn bad_question_id() {
    let (problem, _, _, text) = single(&with_questions(&Q_YESNO.replace("\"Q1\"", "\"and\"")));
    assert!(matches!(problem, Problem::BadCode { code, .. } if code == "and"));
    assert!(text.contains("vraagcode 'and'"), "{text}");
}

#[test]
fn unknown_type() {
    let (problem, _, question, text) = single(&with_questions(&Q_YESNO.replace("yesno", "slider")));
    assert_eq!(problem, Problem::UnknownType("slider".into()));
    assert_eq!(question.as_deref(), Some("Q1"));
    assert!(text.contains("onbekend vraagtype 'slider'"), "{text}");
}

#[test]
fn empty_options() {
    let q = "[[questions]]\nid = \"Q1\"\ntype = \"single\"\ntext = \"Kies\"\noptions = []\n";
    let (problem, _, _, text) = single(&with_questions(q));
    assert_eq!(problem, Problem::NoOptions);
    assert!(text.contains("geen antwoordopties"), "{text}");

    let q = "[[questions]]\nid = \"Q1\"\ntype = \"multiple\"\ntext = \"Kies\"\n";
    assert_eq!(single(&with_questions(q)).0, Problem::NoOptions);
}

#[test]
fn empty_option_label() {
    let q = "[[questions]]\nid = \"Q1\"\ntype = \"single\"\ntext = \"Kies\"\noptions = [\"Een\", \" \"]\n";
    let (problem, _, _, text) = single(&with_questions(q));
    assert_eq!(problem, Problem::EmptyOptionLabel);
    assert!(text.contains("lege tekst"), "{text}");
}

#[test]
fn duplicate_option() {
    let q = "[[questions]]\nid = \"Q1\"\ntype = \"single\"\ntext = \"Kies\"\noptions = [\"Een\", \"een\"]\n";
    let (problem, _, _, text) = single(&with_questions(q));
    assert_eq!(problem, Problem::DuplicateOption("een".into()));
    assert!(text.contains("'een' komt twee keer voor"), "{text}");

    // "weet niet" added by dont_know collides with an explicit option of the same code.
    let q = "[[questions]]\nid = \"Q1\"\ntype = \"single\"\ntext = \"Kies\"\noptions = [\"Weet niet\"]\ndont_know = \"Weet niet\"\n";
    assert_eq!(single(&with_questions(q)).0, Problem::DuplicateOption("weet_niet".into()));
}

#[test]
fn field_that_does_not_belong_to_the_type() {
    let (problem, _, _, text) = single(&with_questions(&format!("{Q_YESNO}min = 3\n")));
    assert_eq!(problem, Problem::FieldNotForType { field: "min", kind: "yesno".into() });
    assert_eq!(text, "regel 9, vraag Q1: 'min' hoort niet bij een vraag van type 'yesno'");
}

#[test]
fn ranges_must_run_upwards() {
    let q = "[[questions]]\nid = \"Q1\"\ntype = \"number\"\ntext = \"Hoeveel?\"\nmin = 5\nmax = 1\n";
    let (problem, _, _, text) = single(&with_questions(q));
    assert_eq!(problem, Problem::BadRange { min: 5, max: 1 });
    assert!(text.contains("minimum (5)"), "{text}");

    let q = "[[questions]]\nid = \"R\"\ntype = \"scale\"\ntext = \"Cijfer\"\nfrom = 10\nto = 1\n";
    assert_eq!(single(&with_questions(q)).0, Problem::BadRange { min: 10, max: 1 });
}

#[test]
fn a_scale_needs_two_points() {
    let q = "[[questions]]\nid = \"S\"\ntype = \"scale\"\ntext = \"Hoe?\"\npoints = [\"Goed\"]\n";
    let (problem, _, _, text) = single(&with_questions(q));
    assert_eq!(problem, Problem::TooFewPoints);
    assert!(text.contains("twee punten"), "{text}");
}

fn routed(condition: &str) -> String {
    let second =
        format!("[[questions]]\nid = \"Q2\"\ntype = \"text\"\ntext = \"Waarom?\"\nshow_if = \"{condition}\"\n");
    let number = "[[questions]]\nid = \"N\"\ntype = \"number\"\ntext = \"Hoe vaak?\"\nopt_out = { label = \"Nog nooit\", value = 0 }\n";
    let plain = "[[questions]]\nid = \"P\"\ntype = \"number\"\ntext = \"Hoeveel?\"\n";
    let open = "[[questions]]\nid = \"T\"\ntype = \"text\"\ntext = \"Vertel\"\n";
    with_questions(&format!("{Q_YESNO}\n{number}\n{plain}\n{open}\n{second}"))
}

#[test]
fn unreadable_condition() {
    let (problem, line, question, text) = single(&routed("Q1 = "));
    assert!(matches!(problem, Problem::ConditionSyntax(_)));
    assert_eq!((line, question.as_deref()), (Some(33), Some("Q2")), "the show_if line");
    assert!(text.contains("de voorwaarde 'show_if' is onleesbaar"), "{text}");
}

/// Found by the property tests: 100,000 brackets in a condition overflowed the stack.
#[test]
fn a_condition_nested_too_deep_is_refused_with_its_line() {
    let hostile = format!("{}Q1 = ja{}", "(".repeat(100_000), ")".repeat(100_000));
    let (problem, line, question, text) = single(&routed(&hostile));
    assert!(matches!(problem, Problem::ConditionSyntax(_)));
    assert_eq!((line, question.as_deref()), (Some(33), Some("Q2")));
    assert!(text.contains("te diep genest; gebruik hoogstens 16 haakjes"), "{text}");
    let fine = format!("{}Q1 = ja{}", "(".repeat(16), ")".repeat(16));
    assert!(parse(&routed(&fine)).is_ok());
}

#[test]
fn deeply_nested_toml_is_a_syntax_error_not_a_crash() {
    for nested in ["[".repeat(100_000), "{ a = ".repeat(100_000)] {
        let (problem, line, _, text) = single(&format!(
            "{}
extra = {nested}
",
            with_questions(Q_YESNO)
        ));
        assert!(matches!(problem, Problem::Syntax(_)), "{text}");
        assert_eq!(line, Some(13), "{text}");
    }
}

#[test]
fn condition_on_an_unknown_question() {
    let (problem, _, _, text) = single(&routed("Q9 = ja"));
    assert_eq!(problem, Problem::UnknownQuestion("Q9".into()));
    assert!(text.contains("vraag 'Q9', die niet bestaat"), "{text}");
}

#[test]
fn condition_referring_forward_or_to_itself() {
    let later = "[[questions]]\nid = \"Q0\"\ntype = \"text\"\ntext = \"Eerst\"\nshow_if = \"Q1 = ja\"\n";
    let (problem, line, question, text) = single(&with_questions(&format!("{later}\n{Q_YESNO}")));
    assert_eq!(problem, Problem::ForwardReference("Q1".into()));
    assert_eq!((line, question.as_deref()), (Some(12), Some("Q0")));
    assert!(text.contains("die pas later komt"), "{text}");

    let (problem, _, _, _) = single(&routed("Q2 = ja"));
    assert_eq!(problem, Problem::SelfReference);
}

#[test]
fn condition_on_open_text() {
    let (problem, _, _, text) = single(&routed("T = 'iets'"));
    assert_eq!(problem, Problem::ConditionOnText("T".into()));
    assert!(text.contains("open vraag 'T'"), "{text}");
}

#[test]
fn condition_with_an_unknown_answer_lists_the_possible_ones() {
    let (problem, _, _, text) = single(&routed("Q1 = jaa"));
    assert!(matches!(problem, Problem::UnknownOption { ref value, .. } if value == "jaa"));
    assert!(text.contains("mogelijk zijn: ja, nee"), "{text}");

    let (problem, _, _, text) = single(&routed("N = nooit"));
    assert!(matches!(problem, Problem::UnknownOption { ref options, .. } if options == &["nog_nooit"]));
    assert!(text.contains("nog_nooit"), "{text}");
}

#[test]
fn condition_comparing_a_number_with_a_word() {
    let (problem, _, _, text) = single(&routed("P = veel"));
    assert!(matches!(problem, Problem::WrongValueType { expected: "een getal", .. }));
    assert!(text.contains("verwacht een getal"), "{text}");
}

#[test]
fn ordering_on_a_choice() {
    let (problem, _, _, text) = single(&routed("Q1 > ja"));
    assert!(matches!(problem, Problem::OrderingOnChoice { .. }));
    assert!(text.contains("werkt alleen op getallen"), "{text}");
}

#[test]
fn valid_conditions_combine_and_or_not_and_in() {
    let source = routed("(N >= 1 or N = nog_nooit) and not Q1 = nee and Q1 in [ja, nee] and P < 10");
    parse(&source).expect("valid condition");
}

#[test]
fn every_problem_is_reported_at_once_in_line_order() {
    let bad = "[[questions]]\nid = \"X\"\ntype = \"slider\"\ntext = \"?\"\n\n[[questions]]\nid = \"Y\"\ntype = \"text\"\ntext = \"\"\nshow_if = \"Z = 1\"\n";
    let errors = problems(&with_questions(bad));
    let lines: Vec<Option<usize>> = errors.0.iter().map(|e| e.line).collect();
    assert_eq!(errors.0.len(), 3, "{errors}");
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    let text = errors.to_string();
    assert!(text.starts_with("de vragenlijst bevat 3 fouten:"), "{text}");
    assert!(text.contains("vraag X") && text.contains("vraag Y"), "{text}");
}

#[test]
fn a_forward_reference_is_reported_even_when_its_target_has_errors_of_its_own() {
    let q = "[[questions]]\nid = \"Q1\"\ntype = \"yesno\"\ntext = \"?\"\nshow_if = \"Q2 = ja\"\n\n[[questions]]\nid = \"Q2\"\ntype = \"multiple\"\ntext = \"?\"\noptions = []\n";
    let errors = problems(&with_questions(q));
    let found: Vec<&Problem> = errors.0.iter().map(|e| &e.problem).collect();
    assert_eq!(found, [&Problem::ForwardReference("Q2".into()), &Problem::NoOptions]);
}

#[test]
fn choice_limits_that_no_answer_can_meet() {
    let q = |limits: &str| {
        with_questions(&format!(
            "[[questions]]\nid = \"M\"\ntype = \"multiple\"\ntext = \"?\"\noptions = [\"Een\", \"Twee\"]\ndont_know = \"Weet niet\"\n{limits}\n"
        ))
    };
    let (problem, _, _, text) = single(&q("min_choices = 3"));
    assert!(matches!(problem, Problem::ChoiceLimits(_)));
    assert!(text.contains("maar er zijn er maar 2"), "{text}");
    assert!(matches!(single(&q("max_choices = 0")).0, Problem::ChoiceLimits(_)));
    assert!(matches!(single(&q("min_choices = 0")).0, Problem::ChoiceLimits(_)));
    assert_eq!(single(&q("min_choices = 2\nmax_choices = 1")).0, Problem::BadRange { min: 2, max: 1 });
    parse(&q("min_choices = 2\nmax_choices = 2")).unwrap();
}

#[test]
fn scales_must_be_readable() {
    let q =
        |body: &str| with_questions(&format!("[[questions]]\nid = \"S\"\ntype = \"scale\"\ntext = \"?\"\n{body}\n"));
    let (problem, _, _, text) = single(&q("from = 0\nto = 200000"));
    assert_eq!(problem, Problem::ScaleTooWide { from: 0, to: 200000 });
    assert!(text.contains("te breed"), "{text}");
    parse(&q("from = 0\nto = 100")).unwrap();
    assert_eq!(single(&q("from = 1")).0, Problem::MissingField("to"));
    assert_eq!(single(&q("to = 10")).0, Problem::MissingField("from"));
    assert!(matches!(single(&q("from = 1\nto = 10\ndont_know = \"!!\"")).0, Problem::BadCode { .. }));
}

#[test]
fn option_codes_may_start_with_a_digit_in_conditions() {
    let source = with_questions(
        "[[questions]]\nid = \"F\"\ntype = \"single\"\ntext = \"Hoe vaak?\"\noptions = [\"1-4 keer\", \"5 of meer\"]\n\n\
         [[questions]]\nid = \"W\"\ntype = \"text\"\ntext = \"Waarom?\"\nshow_if = \"F = 1_4_keer\"\n",
    );
    parse(&source).expect("1_4_keer is an option code, not the number 1 followed by a word");
}

#[test]
fn a_contact_that_is_not_an_address_is_refused_with_its_line() {
    let source = "id = \"t\"\ntitle = \"Test\"\ncontact = 'x@example.org\"><script>'\n\n[[groups]]\ncode = \"A\"\nname = \"Team A\"\n\n[[questions]]\nid = \"Q1\"\ntype = \"text\"\ntext = \"?\"\n";
    let errors = problems(source);
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert_eq!(errors.0[0].line, Some(3));
    assert!(matches!(&errors.0[0].problem, Problem::BadContact(c) if c.contains("<script>")), "{errors}");
    let fine = source.replace("x@example.org\"><script>", " onderzoek@gemeente.nl ");
    assert_eq!(parse(&fine).unwrap().contact, "onderzoek@gemeente.nl");
}

#[test]
fn a_condition_no_answer_can_meet_is_refused_with_the_range() {
    let scale = "[[questions]]\nid = \"S\"\ntype = \"scale\"\ntext = \"Hoe vaak?\"\nfrom = 1\nto = 5\n";
    let follow = |cond: &str| {
        with_questions(&format!(
            "{scale}[[questions]]\nid = \"F\"\ntype = \"yesno\"\ntext = \"En?\"\nshow_if = \"{cond}\"\n"
        ))
    };
    let (problem, _, _, text) = single(&follow("S >= 7"));
    assert!(matches!(problem, Problem::NeverTrue { .. }), "{problem:?}");
    assert!(text.contains("de voorwaarde 'S >= 7' kan nooit waar zijn: vraag 'S' loopt van 1 tot en met 5"), "{text}");
    for fine in ["S >= 5", "S < 2", "S = 3", "S != 1", "S in [4, 9]"] {
        peiling::questionnaire::parse(&follow(fine)).unwrap_or_else(|e| panic!("{fine}: {e}"));
    }
    assert!(peiling::questionnaire::parse(&follow("S < 1")).is_err());
    // A number's opt-out box stands for its value in conditions: "N = 0" can hold through it.
    let number = "[[questions]]\nid = \"N\"\ntype = \"number\"\ntext = \"Hoe vaak?\"\nmin = 1\nmax = 20\nopt_out = { label = \"Nooit\", value = 0 }\n";
    let boxed = format!("{number}[[questions]]\nid = \"F\"\ntype = \"yesno\"\ntext = \"En?\"\nshow_if = \"N = 0\"\n");
    peiling::questionnaire::parse(&with_questions(&boxed)).unwrap();
}

/// A new wave keeps the researcher's text: only the values of `id` and `title` change, whatever
/// form they were written in, and the questionnaire read from it is the earlier one otherwise.
#[test]
fn a_new_wave_changes_the_id_and_title_and_keeps_the_comments_and_layout() {
    use peiling::questionnaire::definition::with_id_and_title;
    let bundled = peiling::bundled::MAATWERKBUDGET_2021.definition;
    let copied = with_id_and_title(bundled, "maatwerkbudget-2025", "Maatwerkbudget \"2025\"").unwrap();
    let mut expected = reference();
    expected.id = "maatwerkbudget-2025".into();
    expected.title = "Maatwerkbudget \"2025\"".into();
    assert_eq!(peiling::questionnaire::validate(&copied).unwrap(), expected);
    let changed: Vec<(&str, &str)> = bundled.lines().zip(copied.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(
        changed,
        [
            ("id = \"maatwerkbudget-2021\"", "id = \"maatwerkbudget-2025\""),
            ("title = \"Hulpverleners Maatwerkbudget\"", "title = \"Maatwerkbudget \\\"2025\\\"\"")
        ]
    );
    assert_eq!(bundled.lines().count(), copied.lines().count());

    let own = "# eigen opmaak\ntitle = '''Oud'''   # de titel\n\nid='oud' # de code\n[[groups]]\ncode = \"A\"\nname = \"A\"\n";
    let copied = with_id_and_title(own, "nieuw", "Nieuw").unwrap();
    assert_eq!(
        copied,
        "# eigen opmaak\ntitle = \"Nieuw\"   # de titel\n\nid=\"nieuw\" # de code\n[[groups]]\ncode = \"A\"\nname = \"A\"\n"
    );
}
