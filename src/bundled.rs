//! Definitions shipped inside the binary, so `peiling demo` works from any folder.

pub struct Bundled {
    pub id: &'static str,
    pub definition: &'static str,
    pub report: &'static str,
    pub demo_plan: &'static str,
}

pub const MAATWERKBUDGET_2021: Bundled = Bundled {
    id: "maatwerkbudget-2021",
    definition: include_str!("../surveys/maatwerkbudget-2021.toml"),
    report: include_str!("../reports/maatwerkbudget-2021.toml"),
    demo_plan: include_str!("../surveys/maatwerkbudget-2021.demo.toml"),
};

pub const ALL: &[Bundled] = &[MAATWERKBUDGET_2021];

pub fn find(id: &str) -> Option<&'static Bundled> {
    ALL.iter().find(|b| b.id == id)
}

/// The report definition for a survey: the given file, an edited copy in `reports/<code>.toml`,
/// the one built into the binary, or else a plain one made from the questionnaire, so that
/// every survey has a report.
pub fn report_source(
    questionnaire: &crate::questionnaire::Questionnaire,
    file: Option<&std::path::Path>,
) -> anyhow::Result<String> {
    use anyhow::Context;
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .with_context(|| format!("could not read the report definition {}", path.display()))
    };
    let local = std::path::PathBuf::from("reports").join(format!("{}.toml", questionnaire.id));
    match (file, find(&questionnaire.id)) {
        (Some(file), _) => read(file),
        (None, _) if local.exists() => read(&local),
        (None, Some(b)) => Ok(b.report.to_string()),
        (None, None) => Ok(crate::report::definition::plain_source(questionnaire)),
    }
}

/// Why a survey has no report definition to work with.
#[derive(Debug, thiserror::Error)]
pub enum DefinitionError {
    #[error("{0:#}")]
    Unreadable(anyhow::Error),
    #[error(transparent)]
    Invalid(#[from] crate::report::definition::ReportDefinitionErrors),
}

/// The report definition `report_source` finds, checked against the questionnaire.
pub fn report_definition(
    questionnaire: &crate::questionnaire::Questionnaire,
    file: Option<&std::path::Path>,
) -> Result<crate::report::ReportDefinition, DefinitionError> {
    let source = report_source(questionnaire, file).map_err(DefinitionError::Unreadable)?;
    Ok(crate::report::ReportDefinition::parse(&source, questionnaire)?)
}
