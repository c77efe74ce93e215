//! Who may work on a survey: its owner (the researcher who created it) and the researchers the
//! owner added. Admins may see and do everything. Everyone else is told that the survey does
//! not exist, the same answer as for a code nobody used, so a code is never confirmed.
//!
//! Every researcher page, API route and command that takes a survey code goes through
//! `survey_for`; the list of surveys through `surveys_of`.

use crate::accounts::Role;
use crate::audit::{self, Action, Actor};
use crate::store::{self, StoreError, surveys::Survey};
use chrono::{DateTime, Utc};
use entity::{survey, survey_member, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// A researcher or admin, as the membership checks need them.
#[derive(Debug, Clone)]
pub struct Researcher {
    pub user: user::Model,
    pub role: Role,
}

impl From<&crate::accounts::SignedIn> for Researcher {
    fn from(signed_in: &crate::accounts::SignedIn) -> Researcher {
        Researcher { user: signed_in.user.clone(), role: signed_in.role }
    }
}

impl Researcher {
    pub fn actor(&self) -> Actor {
        Actor::account(&self.user)
    }

    pub fn is_admin(&self) -> bool {
        self.role.includes(Role::Admin)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("alleen de eigenaar van het onderzoek of een beheerder kan leden toevoegen of verwijderen")]
    NotOwner,
    #[error("de eigenaar kan niet uit het onderzoek worden verwijderd")]
    OwnerStays,
    #[error("{0} heeft geen onderzoekersaccount")]
    NotResearcher(String),
    #[error("{0} is geen lid van dit onderzoek")]
    NotMember(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for TeamError {
    fn from(e: sea_orm::DbErr) -> TeamError {
        TeamError::Store(StoreError::Db(e))
    }
}

async fn membership(
    db: &impl ConnectionTrait,
    survey_id: i32,
    user_id: i32,
) -> Result<Option<survey_member::Model>, sea_orm::DbErr> {
    survey_member::Entity::find_by_id((survey_id, user_id)).one(db).await
}

/// The survey with code `slug`, if `who` may work on it; `SurveyNotFound` otherwise, exactly
/// as for a code that does not exist.
pub async fn survey_for(db: &impl ConnectionTrait, who: &Researcher, slug: &str) -> Result<Survey, StoreError> {
    let survey = store::surveys::load(db, slug).await?;
    if who.is_admin() || membership(db, survey.row.id, who.user.id).await?.is_some() {
        Ok(survey)
    } else {
        Err(StoreError::SurveyNotFound(slug.to_string()))
    }
}

/// The surveys `who` may work on, oldest first.
pub async fn surveys_of(db: &impl ConnectionTrait, who: &Researcher) -> Result<Vec<survey::Model>, StoreError> {
    let all = store::surveys::list(db).await?;
    if who.is_admin() {
        return Ok(all);
    }
    let mine: std::collections::HashSet<i32> = survey_member::Entity::find()
        .filter(survey_member::Column::UserId.eq(who.user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.survey_id)
        .collect();
    Ok(all.into_iter().filter(|s| mine.contains(&s.id)).collect())
}

/// A member as the pages and the API show them.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Member {
    pub email: String,
    pub owner: bool,
    pub added_at: DateTime<Utc>,
}

/// The members of a survey, owner first.
pub async fn members(db: &impl ConnectionTrait, survey_id: i32) -> Result<Vec<Member>, sea_orm::DbErr> {
    let rows = survey_member::Entity::find()
        .filter(survey_member::Column::SurveyId.eq(survey_id))
        .order_by_desc(survey_member::Column::Owner)
        .order_by_asc(survey_member::Column::AddedAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for row in rows {
        if let Some(user) = user::Entity::find_by_id(row.user_id).one(db).await? {
            out.push(Member { email: user.email, owner: row.owner, added_at: row.added_at });
        }
    }
    Ok(out)
}

/// Who changes a survey's members.
#[derive(Debug, Clone, Copy)]
pub enum Manager<'a> {
    /// A signed-in researcher or a script with their token: checked to be the survey's owner
    /// or an admin.
    Researcher(&'a Researcher),
    /// Someone at the server's command line, who can reach the database anyway and so may do
    /// what an admin may.
    CommandLine,
}

impl Manager<'_> {
    fn actor(self) -> Actor {
        match self {
            Manager::Researcher(who) => who.actor(),
            Manager::CommandLine => Actor::CommandLine,
        }
    }
}

/// May `who` add and remove members of `survey`? Its owner and admins may.
async fn may_manage(db: &impl ConnectionTrait, who: Manager<'_>, survey_id: i32) -> Result<bool, sea_orm::DbErr> {
    match who {
        Manager::CommandLine => Ok(true),
        Manager::Researcher(who) => {
            Ok(who.is_admin() || membership(db, survey_id, who.user.id).await?.is_some_and(|m| m.owner))
        }
    }
}

/// Whether `who` may add and remove members of `survey`: what a page asks before it shows the
/// forms (the change itself checks again).
pub async fn manages(db: &impl ConnectionTrait, who: &Researcher, survey_id: i32) -> Result<bool, sea_orm::DbErr> {
    may_manage(db, Manager::Researcher(who), survey_id).await
}

async fn researcher_account(db: &impl ConnectionTrait, email: &str) -> Result<user::Model, TeamError> {
    let parsed = crate::domain::EmailAddress::parse(email).map_err(|_| TeamError::NotResearcher(email.into()))?;
    match crate::accounts::find_user(db, &parsed).await? {
        Some(u) if Role::stored(&u.role).map_err(sea_orm::DbErr::from)?.includes(Role::Researcher) => Ok(u),
        _ => Err(TeamError::NotResearcher(email.into())),
    }
}

/// Adds the researcher with address `email` to a survey; adding a member again changes nothing.
pub async fn add_member(
    db: &impl ConnectionTrait,
    who: Manager<'_>,
    survey: &survey::Model,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), TeamError> {
    if !may_manage(db, who, survey.id).await? {
        return Err(TeamError::NotOwner);
    }
    let member = researcher_account(db, email).await?;
    if membership(db, survey.id, member.id).await?.is_some() {
        return Ok(());
    }
    let inserted = survey_member::ActiveModel {
        survey_id: Set(survey.id),
        user_id: Set(member.id),
        owner: Set(false),
        added_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => {}
        // Added by a second click at the same moment: the member is there, which was asked.
        Err(e) if crate::db::is_unique_violation(&e) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    audit::record(db, &who.actor(), Some(survey), Action::MemberAdded, &member.email, now).await?;
    Ok(())
}

/// Removes a member (not the owner) from a survey.
pub async fn remove_member(
    db: &impl ConnectionTrait,
    who: Manager<'_>,
    survey: &survey::Model,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), TeamError> {
    if !may_manage(db, who, survey.id).await? {
        return Err(TeamError::NotOwner);
    }
    let member = researcher_account(db, email).await.map_err(|_| TeamError::NotMember(email.into()))?;
    match membership(db, survey.id, member.id).await? {
        None => return Err(TeamError::NotMember(email.into())),
        Some(m) if m.owner => return Err(TeamError::OwnerStays),
        Some(_) => {}
    }
    survey_member::Entity::delete_by_id((survey.id, member.id)).exec(db).await?;
    audit::record(db, &who.actor(), Some(survey), Action::MemberRemoved, &member.email, now).await?;
    Ok(())
}
