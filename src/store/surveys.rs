use super::StoreError;
use crate::domain::stored::UnknownValue;
use crate::questionnaire::{self, Questionnaire};
use chrono::{DateTime, Utc};
use entity::{invitee_group, survey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession,
    TransactionTrait,
};

/// Where a survey stands; in the API as `draft`, `open` or `closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Open,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    /// The word a Dutch page shows for the status.
    pub fn dutch(self) -> &'static str {
        match self {
            Status::Draft => "concept",
            Status::Open => "open",
            Status::Closed => "gesloten",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Draft, Status::Open, Status::Closed].into_iter().find(|st| st.as_str() == s)
    }

    /// The status a survey row holds in `surveys.status`; a word that is none of them is an error.
    pub fn stored(s: &str) -> Result<Status, UnknownValue> {
        Status::parse(s).ok_or_else(|| UnknownValue::new("surveys", "status", s))
    }
}

/// Whether a survey in `status`, closing at `closes_at`, still takes answers at `now`: open and
/// before the closing moment (the moment itself is too late).
pub fn takes_answers(status: Status, closes_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == Status::Open && closes_at.is_none_or(|c| now < c)
}

/// A stored survey with its questionnaire read back and its groups.
#[derive(Debug, Clone)]
pub struct Survey {
    pub row: survey::Model,
    pub questionnaire: Questionnaire,
    pub groups: Vec<invitee_group::Model>,
    /// The report definition the researcher stored for it (`report::source`), if any.
    pub report: Option<String>,
    /// `row.status`, checked when the row was read.
    status: Status,
}

impl Survey {
    pub fn status(&self) -> Status {
        self.status
    }

    /// The definition's text its questionnaire was read from: the frozen copy once opened.
    pub fn source(&self) -> &str {
        self.row.frozen_definition.as_deref().unwrap_or(&self.row.definition)
    }

    pub fn group_by_code(&self, code: &str) -> Option<&invitee_group::Model> {
        self.groups.iter().find(|g| g.code.eq_ignore_ascii_case(code.trim()))
    }
}

/// Validates a definition and stores it as a new draft survey with its groups, with no owner:
/// only admins see it until one adds members (`peiling survey members`).
pub async fn create(db: &impl TransactionTrait, source: &str, now: DateTime<Utc>) -> Result<Survey, StoreError> {
    create_owned(db, source, None, now).await
}

/// As `create`, with `owner` as the survey's owner (`crate::teams`), recorded in the audit
/// trail as done by `actor`, all in one transaction.
pub async fn create_owned(
    db: &impl TransactionTrait,
    source: &str,
    owner: Option<(&entity::user::Model, &crate::audit::Actor)>,
    now: DateTime<Utc>,
) -> Result<Survey, StoreError> {
    let questionnaire = questionnaire::validate(source)?;
    create_checked(db, source, questionnaire, owner, now).await
}

/// As `create_owned`, for a `source` that `questionnaire::validate` turned into `questionnaire`
/// already (the web pages do that off the request threads).
pub async fn create_checked(
    db: &impl TransactionTrait,
    source: &str,
    questionnaire: Questionnaire,
    owner: Option<(&entity::user::Model, &crate::audit::Actor)>,
    now: DateTime<Utc>,
) -> Result<Survey, StoreError> {
    use crate::audit::{self, Action};
    let txn = crate::db::begin_write(db).await?;
    let survey = insert_draft(&txn, source, questionnaire, owner.map(|(user, _)| user), now).await?;
    if let Some((owner, actor)) = owner {
        audit::record(&txn, actor, Some(&survey.row), Action::SurveyCreated, "", now).await?;
        audit::record(&txn, actor, Some(&survey.row), Action::OwnerSet, &owner.email, now).await?;
    }
    txn.commit().await?;
    Ok(survey)
}

/// Stores a checked definition as a new draft survey with its groups and `owner`, on `txn`
/// (a write transaction, `db::begin_write`) that the caller commits: `create_checked`, and a
/// new wave that stores its report definition with it (`crate::waves`). No audit line: the
/// caller says what happened.
pub async fn insert_draft(
    txn: &impl ConnectionTrait,
    source: &str,
    questionnaire: Questionnaire,
    owner: Option<&entity::user::Model>,
    now: DateTime<Utc>,
) -> Result<Survey, StoreError> {
    if survey::Entity::find().filter(survey::Column::Slug.eq(&questionnaire.id)).one(txn).await?.is_some() {
        return Err(StoreError::SurveyExists(questionnaire.id));
    }
    let row = survey::ActiveModel {
        slug: Set(questionnaire.id.clone()),
        title: Set(questionnaire.title.clone()),
        status: Set(Status::Draft.as_str().into()),
        definition: Set(source.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| {
        // PostgreSQL lets two creations pass the check above at once; the unique code stops one.
        if crate::db::is_unique_violation(&e) { StoreError::SurveyExists(questionnaire.id.clone()) } else { e.into() }
    })?;
    let mut groups = Vec::new();
    for (position, group) in questionnaire.groups.iter().enumerate() {
        groups.push(
            invitee_group::ActiveModel {
                survey_id: Set(row.id),
                code: Set(group.code.clone()),
                name: Set(group.name.clone()),
                position: Set(position as i32),
                ..Default::default()
            }
            .insert(txn)
            .await?,
        );
    }
    if let Some(owner) = owner {
        entity::survey_member::ActiveModel {
            survey_id: Set(row.id),
            user_id: Set(owner.id),
            owner: Set(true),
            added_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(Survey { row, questionnaire, groups, report: None, status: Status::Draft })
}

/// Loads a survey by its code. Once opened, the frozen copy is what respondents answer.
pub async fn load(db: &impl ConnectionTrait, slug: &str) -> Result<Survey, StoreError> {
    let row = survey::Entity::find()
        .filter(survey::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or_else(|| StoreError::SurveyNotFound(slug.to_string()))?;
    let status = Status::stored(&row.status)?;
    let source = row.frozen_definition.as_deref().unwrap_or(&row.definition);
    let questionnaire =
        questionnaire::parse(source).map_err(|e| StoreError::Corrupt(row.slug.clone(), e.to_string()))?;
    let groups = invitee_group::Entity::find()
        .filter(invitee_group::Column::SurveyId.eq(row.id))
        .order_by_asc(invitee_group::Column::Position)
        .all(db)
        .await?;
    let report = super::report_definitions::get(db, row.id).await?;
    Ok(Survey { row, questionnaire, groups, report, status })
}

/// Every survey row, each with a status peiling knows (`Status::stored`).
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<survey::Model>, StoreError> {
    let rows = survey::Entity::find().order_by_asc(survey::Column::Id).all(db).await?;
    rows.iter().try_for_each(|row| Status::stored(&row.status).map(drop))?;
    Ok(rows)
}
