//! Text pasted from Word or Outlook, with characters nobody sees: the anonymiser must see what
//! a reader sees, and what is stored must be what a reader sees. Each evasion below passed the
//! anonymiser unredacted before the text was normalised.

use crate::with_questions;
use peiling::anonymise::Anonymiser;
use peiling::invitations::import::{self, Column, RowProblem};
use peiling::questionnaire::{Answer, Answers, Mode, parse};
use serde_json::json;
use std::collections::HashSet;

fn redacted(text: &str) -> String {
    Anonymiser::new().redact(text).text
}

#[test]
fn a_zero_width_space_or_soft_hyphen_inside_a_listed_surname_hides_it_no_more() {
    for typed in ["Pieter Jan\u{200B}sen", "Pieter Jan\u{00AD}sen", "Pieter Jan\u{2060}sen", "Pieter Jan\u{FEFF}sen"] {
        let text = format!("Gisteren belde {typed} over de aanvraag.");
        assert_eq!(redacted(&text), "Gisteren belde [naam] over de aanvraag.", "{text:?}");
    }
}

#[test]
fn a_right_to_left_override_inside_a_name_hides_it_no_more() {
    let text = "Gisteren belde Pieter Jan\u{202E}sen\u{202C} over de aanvraag.";
    assert_eq!(redacted(text), "Gisteren belde [naam] over de aanvraag.");
}

#[test]
fn invisible_characters_inside_a_bsn_that_passes_the_elfproef() {
    assert!(peiling::anonymise::elfproef("111222333"));
    for typed in ["1112\u{200B}22333", "111\u{00A0}222\u{00A0}333", "111.222\u{200B}.333", "11122\u{2060}2333"] {
        let text = format!("Zijn BSN is {typed}, dat staat in het dossier.");
        assert_eq!(redacted(&text), "Zijn BSN is [BSN], dat staat in het dossier.", "{text:?}");
    }
}

#[test]
fn invisible_characters_inside_and_around_a_dutch_phone_number() {
    for typed in [
        "06-1234\u{200B}5678",
        "06\u{200B}12345678",
        "\u{200B}0612345678\u{200B}",
        "\u{FEFF}06-12345678",
        "071\u{00A0}512\u{00A0}34\u{00A0}56",
        "06\u{00A0}12\u{00A0}34\u{00A0}56\u{00A0}78",
        "+31\u{202F}6\u{202F}12345678",
    ] {
        let text = format!("Bel {typed} na vijf uur.");
        assert_eq!(redacted(&text), "Bel [telefoonnummer] na vijf uur.", "{text:?}");
    }
}

#[test]
fn a_zero_width_space_before_the_at_of_an_email_address() {
    for typed in ["p.jansen\u{200B}@gmail.com", "p.jansen@\u{200B}gmail.com", "p.jansen\u{FF20}gmail.com"] {
        let text = format!("Mail naar {typed} graag.");
        assert_eq!(redacted(&text), "Mail naar [e-mailadres] graag.", "{text:?}");
    }
}

#[test]
fn full_width_digits_of_a_bsn_a_phone_number_and_a_postcode() {
    assert_eq!(redacted("BSN \u{FF11}\u{FF11}\u{FF11}\u{FF12}\u{FF12}\u{FF12}\u{FF13}\u{FF13}\u{FF13}."), "BSN [BSN].");
    assert_eq!(
        redacted("Bel \u{FF10}\u{FF16}\u{FF0D}\u{FF11}\u{FF12}\u{FF13}\u{FF14}\u{FF15}\u{FF16}\u{FF17}\u{FF18}."),
        "Bel [telefoonnummer]."
    );
    assert_eq!(
        redacted("Ze woont in \u{FF12}\u{FF13}\u{FF11}\u{FF13} \u{FF21}\u{FF22} Leiden."),
        "Ze woont in [postcode] Leiden."
    );
}

#[test]
fn a_stored_invitee_name_with_invisible_characters_still_redacts_the_name() {
    // A name imported before names were cleaned.
    let a = Anonymiser::new().with_known_names(["Gerrit Hoek\u{200B}stra", "Ilse van Wijn\u{00AD}gaarden"]);
    let r = a.redact("Overleg gehad met Hoekstra; wijngaarden belde terug.");
    assert_eq!(r.text, "Overleg gehad met [naam]; [naam] belde terug.");
}

#[test]
fn finds_point_at_the_text_as_it_was_typed() {
    let typed = "Bel ０６\u{00A0}1234\u{200B}5678 of mail p.jansen\u{200B}@gmail.com.";
    let found = Anonymiser::new().find(typed);
    let spans: Vec<&str> = found.iter().map(|f| &typed[f.start..f.end]).collect();
    assert_eq!(spans, ["０６\u{00A0}1234\u{200B}5678", "p.jansen\u{200B}@gmail.com"]);
}

fn own_questionnaire() -> peiling::questionnaire::Questionnaire {
    parse(&with_questions(
        r#"
[[questions]]
id = "kort"
type = "text"
text = "Hoe heet je team?"

[[questions]]
id = "lang"
type = "longtext"
text = "Beschrijf een casus"

[[questions]]
id = "hulp"
type = "single"
text = "Waar kwam de hulp vandaan?"
options = ["Wijkteam", { label = "Anders, namelijk", other = true }]
"#,
    ))
    .unwrap()
}

#[test]
fn answers_are_stored_as_a_reader_sees_them() {
    let q = own_questionnaire();
    let raw = json!({
        "kort": "Team\u{00A0}Noord\u{200B}\r\nwest ",
        "lang": "  Pieter Jan\u{200B}sen\u{202E}\r\nbelde\u{0}\u{0B}twee keer\u{FEFF}\r\rover \u{FF10}\u{FF16}.\t",
        "hulp": { "option": "anders_namelijk", "other": "via\u{2028}de\u{00AD} buurvrouw\u{7}" },
    });
    let answers = Answers::parse(&q, raw.as_object().unwrap(), Mode::Submit).unwrap();
    assert_eq!(answers.get("kort"), Some(&Answer::Text("Team Noord west".into())));
    assert_eq!(answers.get("lang"), Some(&Answer::Text("Pieter Jansen\nbelde\ntwee keer\n\nover 06.".into())));
    assert_eq!(
        answers.get("hulp"),
        Some(&Answer::Choice { option: "anders_namelijk".into(), other: Some("via de buurvrouw".into()) })
    );
    let only_invisible = json!({ "kort": "\u{200B}\u{FEFF}\u{00A0}" });
    let answers = Answers::parse(&q, only_invisible.as_object().unwrap(), Mode::Draft).unwrap();
    assert!(answers.is_empty(), "an answer of only invisible characters is no answer: {answers:?}");
}

fn teams() -> Vec<String> {
    vec!["SWT".into(), "JLR".into()]
}

#[test]
fn an_invitee_list_with_a_control_character_in_a_name_is_refused_with_its_line_and_field() {
    let list =
        "email;team;naam\na@example.org;SWT;Anna\nb@example.org;SWT;Bram\u{0}Bakker\nc@example.org;JLR;Cor\u{1B}[31m\n";
    let e = import::parse(list.as_bytes(), &teams(), &HashSet::new()).unwrap_err();
    let lines: Vec<(usize, &RowProblem)> = e.rows.iter().map(|r| (r.line, &r.problem)).collect();
    assert_eq!(
        lines,
        [
            (3, &RowProblem::ControlCharacter { field: Column::Naam, character: '\0' }),
            (4, &RowProblem::ControlCharacter { field: Column::Naam, character: '\u{1B}' })
        ]
    );
    let message = e.rows[0].to_string();
    assert!(message.starts_with("regel 3: in de kolom 'naam' staat een stuurteken U+0000 (nulteken)"), "{message}");
    let in_address = "email;team\na\u{0}b@example.org;SWT\n";
    let e = import::parse(in_address.as_bytes(), &teams(), &HashSet::new()).unwrap_err();
    assert_eq!(e.rows[0].problem, RowProblem::ControlCharacter { field: Column::Email, character: '\0' });
}

#[test]
fn invisible_characters_in_an_invitee_list_are_removed_from_names_addresses_and_teams() {
    let list = "email;team;naam\n\
                anna\u{200B}@example.org;SWT\u{FEFF};\u{202E}Anna\u{202C} de\u{00A0}Vries\u{200F}\n\
                \u{FF42}ram@example.org;jlr;Bram Bak\u{00AD}ker\n";
    let rows = import::parse(list.as_bytes(), &teams(), &HashSet::new()).unwrap();
    let got: Vec<(&str, &str, Option<&str>)> =
        rows.iter().map(|r| (r.email.as_str(), r.group.as_str(), r.name.as_deref())).collect();
    assert_eq!(
        got,
        [("anna@example.org", "SWT", Some("Anna de Vries")), ("bram@example.org", "JLR", Some("Bram Bakker"))]
    );
}

#[test]
fn a_definition_with_a_bidi_override_or_a_control_character_is_refused_with_its_line() {
    let source = with_questions(
        "[[questions]]\nid = \"Q1\"\ntype = \"yesno\"\ntext = \"Ik ga \u{202E}kkoorda\u{202C}\"\n\n\
         [[questions]]\nid = \"Q2\"\ntype = \"text\"\n# een opmerking\u{2066}\ntext = \"Toelichting\"\n",
    );
    let errors = peiling::questionnaire::validate(&source).unwrap_err();
    let lines: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    let line_of = |needle: &str| source.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert_eq!(
        lines,
        [
            format!(
                "regel {}: de definitie bevat U+202E (stuurt of keert de leesrichting om): een teken dat niemand ziet maar dat verandert hoe de tekst eromheen eruitziet; verwijder het",
                line_of("kkoorda")
            ),
            format!(
                "regel {}: de definitie bevat U+2066 (stuurt of keert de leesrichting om): een teken dat niemand ziet maar dat verandert hoe de tekst eromheen eruitziet; verwijder het",
                line_of("opmerking")
            ),
        ]
    );
    // Already stored definitions still load: the check is for what a researcher hands in.
    assert!(parse(&source).is_ok());
    let clean =
        with_questions("[[questions]]\nid = \"Q1\"\ntype = \"yesno\"\ntext = \"Ik ga akkoord\u{00A0}\u{00AD}\"\n");
    assert!(peiling::questionnaire::validate(&clean).is_ok());
}

/// What a respondent's browser let through (`maxlength` counts what is typed) is not refused
/// because the normal form spells a character out: "…" becomes "...", "½" becomes "1⁄2".
#[test]
fn an_answer_within_its_length_as_typed_is_not_refused_for_its_normal_form() {
    let q = parse(&with_questions(
        r#"
[[questions]]
id = "kort"
type = "text"
text = "In een woord?"
max_length = 10
"#,
    ))
    .unwrap();
    let typed = json!({ "kort": "ok…………" });
    let answers = Answers::parse(&q, typed.as_object().unwrap(), Mode::Submit).unwrap();
    assert_eq!(answers.get("kort"), Some(&Answer::Text("ok............".into())));
    let too_long = json!({ "kort": "elf tekens!" });
    assert!(Answers::parse(&q, too_long.as_object().unwrap(), Mode::Submit).is_err(), "11 typed characters");
}

/// Characters that are printed as a blank but are neither spaces nor invisible (the braille
/// blank, the Hangul fillers) are read as the space they look like.
#[test]
fn blanks_that_are_not_spaces_split_nothing_the_anonymiser_looks_for() {
    for (typed, expected) in [
        ("Bel 06\u{2800}123\u{2800}45678 na vijf uur.", "Bel [telefoonnummer] na vijf uur."),
        ("Mail piet\u{2800}@gmail.com graag.", "Mail [e-mailadres] graag."),
        ("Bel 06\u{3164}12345678 na vijf uur.", "Bel [telefoonnummer] na vijf uur."),
        ("Bel 06\u{FFA0}12345678 na vijf uur.", "Bel [telefoonnummer] na vijf uur."),
    ] {
        assert_eq!(redacted(typed), expected, "{typed:?}");
    }
}
