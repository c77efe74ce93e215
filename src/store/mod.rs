//! Queries and mutations per aggregate. Handlers and commands call these; none of them
//! decides anything about questionnaires or reports.

pub mod forget;
pub mod invitees;
pub mod report_definitions;
pub mod report_texts;
pub mod responses;
pub mod survey_lock;
pub mod surveys;

use crate::questionnaire::DefinitionErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Definition(#[from] DefinitionErrors),
    #[error("er bestaat al een vragenlijst met code '{0}'")]
    SurveyExists(String),
    #[error("er is geen vragenlijst met code '{0}'")]
    SurveyNotFound(String),
    #[error("groep '{group}' bestaat niet in vragenlijst '{survey}'")]
    UnknownGroup { survey: String, group: String },
    #[error("de opgeslagen vragenlijst '{0}' is onleesbaar geworden: {1}")]
    Corrupt(String, String),
    #[error("vragenlijst '{0}' is nog niet gesloten; persoonsgegevens worden pas na het sluiten verwijderd")]
    NotClosed(String),
    #[error(
        "een of meer adressen zijn intussen al toegevoegd, door een import die tegelijk liep; \
         er is niets geïmporteerd: bekijk de lijst en importeer opnieuw"
    )]
    AddedMeanwhile,
    #[error(
        "vragenlijst '{0}' is al geopend: genodigden kunnen alleen aan een concept worden toegevoegd \
         (wie later wordt toegevoegd, krijgt geen uitnodiging en telt wel mee in de respons); er is niets geïmporteerd"
    )]
    NotDraft(String),
    #[error(
        "de persoonsgegevens van '{survey}' zijn verwijderd, maar het databasebestand is niet opgeschoond \
         ({reason}), zodat er nog resten in kunnen staan; `peiling purge {survey}` probeert het opnieuw"
    )]
    FilesNotCleaned { survey: String, reason: String },
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<crate::domain::stored::UnknownValue> for StoreError {
    fn from(e: crate::domain::stored::UnknownValue) -> StoreError {
        StoreError::Db(e.into())
    }
}
