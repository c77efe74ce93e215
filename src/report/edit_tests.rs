use super::*;
use crate::questionnaire::{self, Questionnaire};
use crate::report::sentence::{self, Context, Preview};
use crate::report::write::to_toml;

const QUESTIONS: &str = r#"
id = "zwembad-2027"
title = "Het zwembad"
[[groups]]
code = "A"
name = "Bad A"
[[questions]]
id = "Z1"
type = "yesno"
text = "Zwemt u weleens?"
dont_know = "Weet niet"
[[questions]]
id = "Z2"
type = "number"
text = "Hoe vaak per maand?"
min = 0
max = 31
[[questions]]
id = "Z3"
type = "longtext"
text = "Wat mist u?"
"#;

fn questionnaire() -> Questionnaire {
    questionnaire::parse(QUESTIONS).unwrap()
}

fn empty() -> ReportDefinition {
    ReportDefinition::parse("survey = \"zwembad-2027\"\ntitle = \"Zwembad\"\n", &questionnaire()).unwrap()
}

fn apply(def: &ReportDefinition, edits: &[Edit]) -> ReportDefinition {
    edits.iter().fold(def.clone(), |d, e| edited(&d, e).unwrap())
}

/// What the editor stores: the written file, read back against the questionnaire.
fn stored(def: &ReportDefinition) -> ReportDefinition {
    ReportDefinition::parse(&to_toml(def), &questionnaire()).unwrap()
}

fn titles(def: &ReportDefinition) -> Vec<&str> {
    def.sections.iter().map(|s| s.title.as_str()).collect()
}

#[test]
fn sections_are_added_renamed_moved_and_removed_and_the_file_reads_back() {
    let def = apply(
        &empty(),
        &[
            Edit::AddSection { title: "Zwemmen".into() },
            Edit::AddSection { title: "Wensen".into() },
            Edit::AddSection { title: "Weg".into() },
            Edit::RenameSection { section: 0, title: "Hoe vaak".into() },
            Edit::SectionUp(1),
            Edit::SectionDown(2),
            Edit::RemoveSection(2),
        ],
    );
    assert_eq!(titles(&def), ["Wensen", "Hoe vaak"]);
    assert_eq!(stored(&def), def);
    // The first up and the last down change nothing.
    assert_eq!(edited(&def, &Edit::SectionUp(0)).unwrap(), def);
    assert_eq!(edited(&def, &Edit::SectionDown(1)).unwrap(), def);
}

#[test]
fn figures_are_added_moved_removed_and_get_their_sentences() {
    let def = apply(
        &empty(),
        &[
            Edit::AddSection { title: "Zwemmen".into() },
            Edit::AddFigure { section: 0, question: "Z1".into() },
            Edit::AddFigure { section: 0, question: "Z2".into() },
            Edit::BlockUp { section: 0, block: 1 },
            Edit::Sentences {
                section: 0,
                block: 1,
                text: " {Q:ja} zwemt weleens; {dont_know} weet het niet. ".into(),
                summary: "{pct:ja} zwemt.".into(),
            },
        ],
    );
    let questions: Vec<_> = def.figures().map(|f| f.question.as_str()).collect();
    assert_eq!(questions, ["Z2", "Z1"]);
    let z1 = def.figures().nth(1).unwrap();
    assert_eq!(z1.text.as_deref(), Some("{Q:ja} zwemt weleens; {dont_know} weet het niet."));
    assert_eq!(z1.summary.as_deref(), Some("{pct:ja} zwemt."));
    assert_eq!(stored(&def), def);

    // An empty sentence gives the report's own back.
    let cleared = edited(&def, &Edit::Sentences { section: 0, block: 1, text: "  ".into(), summary: String::new() });
    let cleared = cleared.unwrap();
    assert_eq!(cleared.figures().nth(1).unwrap().text, None);
    let removed = edited(&def, &Edit::RemoveBlock { section: 0, block: 0 }).unwrap();
    assert_eq!(removed.figures().count(), 1);
    assert_eq!(stored(&removed), removed);
}

#[test]
fn an_unknown_section_or_block_is_refused_and_only_a_figure_has_sentences() {
    let def = apply(&empty(), &[Edit::AddSection { title: "S".into() }]);
    assert_eq!(edited(&def, &Edit::SectionUp(3)), Err(EditError::NoSection(4)));
    assert_eq!(edited(&def, &Edit::RenameSection { section: 1, title: "x".into() }), Err(EditError::NoSection(2)));
    assert_eq!(edited(&def, &Edit::AddFigure { section: 5, question: "Z1".into() }), Err(EditError::NoSection(6)));
    assert_eq!(
        edited(&def, &Edit::RemoveBlock { section: 0, block: 0 }),
        Err(EditError::NoBlock { section: 1, block: 1 })
    );
    let with_text = ReportDefinition {
        sections: vec![Section { blocks: vec![Block::Text { text: "Hallo".into() }], ..def.sections[0].clone() }],
        ..def.clone()
    };
    let sentences = Edit::Sentences { section: 0, block: 0, text: "{base}".into(), summary: String::new() };
    assert_eq!(edited(&with_text, &sentences), Err(EditError::NotAFigure { section: 1, block: 1 }));
}

#[test]
fn a_placeholder_that_does_not_fit_is_refused_by_the_check_of_the_definition() {
    let def = apply(
        &empty(),
        &[
            Edit::AddSection { title: "S".into() },
            Edit::AddFigure { section: 0, question: "Z1".into() },
            Edit::Sentences { section: 0, block: 0, text: "Gemiddeld {mean_all}.".into(), summary: String::new() },
        ],
    );
    let errors = ReportDefinition::parse(&to_toml(&def), &questionnaire()).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("'{mean_all}' past alleen bij een getalvraag of een cijferschaal"), "{errors:?}");
    // An open question gets no figure, by the same check.
    let open = edited(&def, &Edit::AddFigure { section: 0, question: "Z3".into() }).unwrap();
    let errors = ReportDefinition::parse(&to_toml(&open), &questionnaire()).unwrap_err().0;
    assert!(errors.iter().any(|e| e.contains("is een open vraag")), "{errors:?}");
}

#[test]
fn the_form_fields_are_read_with_sections_counted_from_one() {
    let p = Posted { action: "sectie-hernoemen", section: "2", title: " Nieuw ", ..Default::default() };
    assert_eq!(Edit::parse(p), Ok(Edit::RenameSection { section: 1, title: "Nieuw".into() }));
    let p = Posted { action: "omlaag", section: "1", block: "3", ..Default::default() };
    assert_eq!(Edit::parse(p), Ok(Edit::BlockDown { section: 0, block: 2 }));
    assert_eq!(Edit::parse(Posted { action: "sectie-toevoegen", ..Default::default() }), Err(EditError::NoTitle));
    assert!(Edit::parse(Posted { action: "omhoog", section: "0", block: "1", ..Default::default() }).is_err());
    assert!(Edit::parse(Posted { action: "iets", ..Default::default() }).is_err());
}

#[test]
fn the_placeholders_offered_are_those_the_check_accepts() {
    let q = questionnaire();
    let spec = |id: &str| FigureSpec { question: id.into(), ..Default::default() };
    let yesno: Vec<_> =
        sentence::offered(q.question("Z1").unwrap(), &spec("Z1")).into_iter().map(|o| o.written).collect();
    assert!(yesno.contains(&"{pct:ja}".to_string()) && yesno.contains(&"{dont_know}".to_string()), "{yesno:?}");
    assert!(!yesno.iter().any(|p| p.starts_with("{mean")), "{yesno:?}");
    let number: Vec<_> =
        sentence::offered(q.question("Z2").unwrap(), &spec("Z2")).into_iter().map(|o| o.written).collect();
    assert!(number.contains(&"{mean_all}".to_string()) && !number.contains(&"{dont_know}".to_string()), "{number:?}");
    // Every one offered passes the check on its own question.
    for (id, offered) in [("Z1", &yesno), ("Z2", &number)] {
        for p in offered.iter() {
            let def = apply(
                &empty(),
                &[
                    Edit::AddSection { title: "S".into() },
                    Edit::AddFigure { section: 0, question: id.into() },
                    Edit::Sentences { section: 0, block: 0, text: p.clone(), summary: String::new() },
                ],
            );
            assert!(ReportDefinition::parse(&to_toml(&def), &q).is_ok(), "{p} on {id}");
        }
    }
}

#[test]
fn a_preview_fills_the_sentence_with_made_up_numbers() {
    let q = questionnaire();
    let def = empty();
    let context = Context { definition: &def, questionnaire: &q };
    let z1 = q.question("Z1").unwrap();
    let spec =
        FigureSpec { question: "Z1".into(), text: Some("{pct:ja} zwemt ({base}).".into()), ..Default::default() };
    // 14 ja, 9 nee, 5 weet niet: a base of 23.
    assert_eq!(context.paragraph(z1, &spec, &sentence::made_up(z1)), Preview::Text("61% zwemt (23).".into()));
    let wrong = FigureSpec { text: Some("{pct:jaa}".into()), ..spec.clone() };
    let Preview::Problems(problems) = context.paragraph(z1, &wrong, &sentence::made_up(z1)) else { panic!() };
    assert!(problems[0].contains("'jaa' is geen categorie"), "{problems:?}");
    let z2 = q.question("Z2").unwrap();
    let plain = FigureSpec { question: "Z2".into(), ..Default::default() };
    let Preview::Text(text) = context.paragraph(z2, &plain, &sentence::made_up(z2)) else { panic!() };
    assert!(text.chars().any(|c| c.is_ascii_digit()), "{text}");
}

#[test]
fn every_placeholder_has_its_meaning_for_the_editor() {
    for (name, _, _) in crate::report::prose::PLACEHOLDERS {
        assert!(!crate::report::prose::meaning(name).is_empty(), "{name}");
    }
}

#[test]
fn an_open_question_gets_its_answers_and_an_annex_of_casussen() {
    let def = apply(
        &empty(),
        &[
            Edit::AddSection { title: "Wensen".into() },
            Edit::AddOpenAnswers { section: 0, question: "Z3".into() },
            Edit::AddSection { title: "Bijlage".into() },
            Edit::AddCasussen { section: 1, question: "Z3".into() },
        ],
    );
    assert_eq!(def.sections[0].blocks, [Block::OpenAnswers { question: "Z3".into(), text: String::new(), quotes: 3 }]);
    assert_eq!(def.sections[1].blocks, [Block::Casussen { question: "Z3".into() }]);
    assert_eq!(stored(&def), def);
    assert_eq!(describe(&def.sections[1].blocks[0], &questionnaire()), "Casussen bij Z3");
    // A closed question has no answers to quote: the check says so.
    let closed = edited(&def, &Edit::AddCasussen { section: 1, question: "Z1".into() }).unwrap();
    let errors = ReportDefinition::parse(&to_toml(&closed), &questionnaire()).unwrap_err().0;
    assert!(errors.iter().any(|e| e.contains("vraag 'Z1' is geen open vraag")), "{errors:?}");
    let p = Posted { action: "casussen-toevoegen", section: "2", question: "Z3", ..Default::default() };
    assert_eq!(Edit::parse(p), Ok(Edit::AddCasussen { section: 1, question: "Z3".into() }));
}
