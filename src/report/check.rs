//! Checking a report definition before any report is made of it (`peiling report check`):
//! which questionnaire it is about, and every problem with its line.

use super::definition::ReportDefinitionErrors;
use crate::questionnaire::Questionnaire;
use crate::store::{self, StoreError};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

/// The questionnaire a report definition is checked against: the stored survey with that code
/// (what its report will be made of), else the bundled questionnaire.
pub async fn questionnaire(db: &impl ConnectionTrait, id: &str) -> Result<Questionnaire, StoreError> {
    match store::surveys::load(db, id).await {
        Ok(survey) => Ok(survey.questionnaire),
        Err(StoreError::SurveyNotFound(_)) => match crate::bundled::find(id) {
            Some(bundled) => Ok(crate::questionnaire::parse(bundled.definition)?),
            None => Err(StoreError::SurveyNotFound(id.to_string())),
        },
        Err(e) => Err(e),
    }
}

/// The questionnaire a definition names with `survey`, read before the questionnaire is known.
pub fn survey_of(source: &str) -> Result<String, ReportDefinitionErrors> {
    #[derive(Deserialize)]
    struct Head {
        survey: Option<toml::Spanned<String>>,
    }
    let head: Head = toml::from_str(source).map_err(|e| {
        let line = e.span().map(|s| crate::lines::line_at(source.as_bytes(), s.start));
        ReportDefinitionErrors(vec![match line {
            Some(line) => format!("regel {line}: {}", e.message().trim()),
            None => e.message().trim().to_string(),
        }])
    })?;
    match head.survey {
        Some(id) if !id.get_ref().trim().is_empty() => Ok(id.into_inner()),
        Some(id) => {
            let line = crate::lines::line_at(source.as_bytes(), id.span().start);
            Err(ReportDefinitionErrors(vec![format!("regel {line}: 'survey' is leeg; noem de code van de vragenlijst")]))
        }
        None => Err(ReportDefinitionErrors(vec![
            "regel 1: 'survey' ontbreekt; noem de code van de vragenlijst, bijvoorbeeld survey = \"maatwerkbudget-2021\""
                .into(),
        ])),
    }
}

#[cfg(test)]
mod tests {
    use super::survey_of;
    use crate::report::ReportDefinition;

    const QUESTIONNAIRE: &str = r#"
id = "wijkpeiling"
title = "Wijkpeiling"
[[groups]]
code = "N"
name = "Noord"
[[questions]]
id = "K"
type = "yesno"
text = "Kent u het wijkcentrum?"
[[questions]]
id = "T"
type = "scale"
text = "Hoe tevreden bent u?"
points = ["Zeer tevreden", "Tevreden", "Ontevreden"]
dont_know = "Weet niet"
[[questions]]
id = "N"
type = "number"
text = "Hoe vaak kwam u er?"
opt_out = { label = "Nooit", value = 0 }
[[questions]]
id = "O"
type = "text"
text = "Wat kan beter?"
"#;

    // Line numbers matter here: every error names the line of what it is about.
    const DEFINITION: &str = r#"survey = "wijkpeiling"
title = "Wijkpeiling 2026"

[disclosure]
min_count = 0

[[sections]]
title = "Uitkomsten"

[[sections.blocks]]
kind = "figure"
question = "X9"

[[sections.blocks]]
kind = "figure"
question = "O"

[[sections.blocks]]
kind = "open_answers"
question = "K"

[[sections.blocks]]
kind = "figure"
question = "T"
text = """
Van wie het weet, is {q:zeer_tevreden+tevreden} (zeer) tevreden \
en {dont_know} weten het niet; gemiddeld {mean_all}.
"""
summary = "{Q:blij} is blij."

[[sections.blocks]]
kind = "figure"
question = "K"
caption = "% van de {base} respondenten"
text = "{dont_know} weten het niet; {pct:ja ja."
bins = [{ label = "Weinig", from = 1, to = 4 }]

[[sections.blocks]]
kind = "figure"
question = "N"
text = "Gemiddeld {mean_given:.1} keer."
bins = [
  { label = "Nooit", opt_out = true },
  { label = "1-4", from = 1, to = 4 },
  { label = "3-9", from = 3, to = 9 },
]
"#;

    #[test]
    fn every_error_in_the_content_starts_with_its_line() {
        let q = crate::questionnaire::parse(QUESTIONNAIRE).unwrap();
        let errors = ReportDefinition::parse(DEFINITION, &q).unwrap_err().0;
        let expected = [
            "regel 5: [disclosure] min_count = 0",
            "regel 12: sectie 1 ('Uitkomsten'): vraag 'X9' bestaat niet",
            "regel 16: sectie 1 ('Uitkomsten'): vraag 'O' is een open vraag",
            "regel 20: sectie 1 ('Uitkomsten'): vraag 'K' is geen open vraag",
            "regel 27: sectie 1 ('Uitkomsten'), figuur van T, 'text': '{mean_all}' past alleen bij een getalvraag of een cijferschaal, niet bij een schaal met labels",
            "regel 29: sectie 1 ('Uitkomsten'), figuur van T, 'summary': '{Q:blij}': 'blij' is geen categorie",
            "regel 36: sectie 1 ('Uitkomsten'): vraag 'K' is geen getalvraag",
            "regel 34: sectie 1 ('Uitkomsten'), figuur van K, 'caption': '{base}' is geen bekende invulplek",
            "regel 35: sectie 1 ('Uitkomsten'), figuur van K, 'text': '{dont_know}' past alleen bij een vraag met een antwoord 'weet niet'",
            "regel 35: sectie 1 ('Uitkomsten'), figuur van K, 'text': '{pct:ja ja.' is niet afgesloten",
            "regel 45: sectie 1 ('Uitkomsten'): klassen '1-4' en '3-9' overlappen",
            "regel 41: sectie 1 ('Uitkomsten'), figuur van N, 'text': '{mean_given:.1}': na ':' komt het aantal decimalen",
        ];
        for e in expected {
            assert!(errors.iter().any(|x| x.starts_with(e)), "missing {e:?} in\n{}", errors.join("\n"));
        }
        assert_eq!(errors.len(), expected.len(), "{}", errors.join("\n"));
    }

    #[test]
    fn a_definition_for_another_questionnaire_names_the_line_of_survey() {
        let q = crate::questionnaire::parse(QUESTIONNAIRE).unwrap();
        let source = format!("# een andere\n{}", DEFINITION.replace("\"wijkpeiling\"", "\"andere\""));
        let errors = ReportDefinition::parse(&source, &q).unwrap_err().0;
        assert!(
            errors[0]
                .starts_with("regel 2: de rapportdefinitie hoort bij vragenlijst 'andere', niet bij 'wijkpeiling'"),
            "{errors:?}"
        );
    }

    #[test]
    fn the_survey_is_read_before_the_questionnaire_is_known() {
        assert_eq!(survey_of(DEFINITION).unwrap(), "wijkpeiling");
        assert_eq!(
            survey_of("title = \"x\"").unwrap_err().0[0].split(';').next().unwrap(),
            "regel 1: 'survey' ontbreekt"
        );
        assert!(survey_of("title = \"x\"\nsurvey = ").unwrap_err().0[0].starts_with("regel 2:"));
    }
}
