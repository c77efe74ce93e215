use crate::on_both;
use entity::{invitee, invitee_group, survey};
use peiling::bundled::MAATWERKBUDGET_2021;
use peiling::domain::EmailAddress;
use peiling::store::{self, StoreError, invitees::NewInvitee};
use sea_orm::{EntityTrait, PaginatorTrait};

#[tokio::test]
async fn a_survey_is_stored_with_its_groups_and_read_back() {
    on_both!("a_survey_is_stored_with_its_groups_and_read_back", |db| {
        let created = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, chrono::Utc::now()).await.unwrap();
        assert_eq!(created.status(), store::surveys::Status::Draft);
        let loaded = store::surveys::load(&db, "maatwerkbudget-2021").await.unwrap();
        assert_eq!(loaded.questionnaire, created.questionnaire);
        assert_eq!(loaded.groups.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(), ["SWT", "JLR"]);
    });
}

#[tokio::test]
async fn a_second_survey_with_the_same_code_is_refused() {
    on_both!("a_second_survey_with_the_same_code_is_refused", |db| {
        store::surveys::create(&db, MAATWERKBUDGET_2021.definition, chrono::Utc::now()).await.unwrap();
        let err = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, chrono::Utc::now()).await.unwrap_err();
        assert!(matches!(err, StoreError::SurveyExists(ref s) if s == "maatwerkbudget-2021"), "{err}");
        assert_eq!(survey::Entity::find().count(&db).await.unwrap(), 1);
        assert_eq!(invitee_group::Entity::find().count(&db).await.unwrap(), 2);
    });
}

#[tokio::test]
async fn an_invalid_definition_stores_nothing() {
    on_both!("an_invalid_definition_stores_nothing", |db| {
        let broken = MAATWERKBUDGET_2021.definition.replace("show_if = \"Q3 = ja\"", "show_if = \"Q3 = jaa\"");
        let err = store::surveys::create(&db, &broken, chrono::Utc::now()).await.unwrap_err();
        assert!(err.to_string().contains("vraag Q4: vraag 'Q3' heeft geen antwoord 'jaa'"), "{err}");
        assert_eq!(survey::Entity::find().count(&db).await.unwrap(), 0);
    });
}

#[tokio::test]
async fn invitees_with_an_unknown_group_are_all_refused() {
    on_both!("invitees_with_an_unknown_group_are_all_refused", |db| {
        let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, chrono::Utc::now()).await.unwrap();
        let person = |email: &str, group: &str| NewInvitee {
            email: EmailAddress::parse(email).unwrap(),
            name: None,
            group: group.into(),
        };
        let batch = vec![person("a@example.org", "SWT"), person("b@example.org", "XYZ")];
        let err = store::invitees::add_all(&db, &survey, batch, chrono::Utc::now()).await.unwrap_err();
        assert!(err.to_string().contains("groep 'XYZ' bestaat niet"), "{err}");
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 0);
        let ok = vec![person("a@example.org", "swt"), person("b@example.org", "JLR")];
        assert_eq!(store::invitees::add_all(&db, &survey, ok, chrono::Utc::now()).await.unwrap(), 2);
    });
}

#[tokio::test]
async fn an_invitee_file_with_one_bad_row_imports_nothing() {
    on_both!("an_invitee_file_with_one_bad_row_imports_nothing", |db| {
        let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, chrono::Utc::now()).await.unwrap();
        let bad = "email;team;naam\na@example.org;SWT;A\nb@example.org;XYZ;B\nc@example.org;JLR;C\n";
        let err = peiling::invitations::import_file(
            &db,
            &peiling::audit::Actor::System,
            &survey,
            bad.as_bytes(),
            chrono::Utc::now(),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("regel 3: team 'XYZ' bestaat niet"), "{err}");
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 0, "nothing imported");

        let good = "\u{feff}email;team;naam\na@example.org;SWT;A\nc@example.org;jlr;C\n";
        assert_eq!(
            peiling::invitations::import_file(
                &db,
                &peiling::audit::Actor::System,
                &survey,
                good.as_bytes(),
                chrono::Utc::now()
            )
            .await
            .unwrap(),
            2
        );
        // The same file again: both addresses are already invited, so again nothing changes.
        let err = peiling::invitations::import_file(
            &db,
            &peiling::audit::Actor::System,
            &survey,
            good.as_bytes(),
            chrono::Utc::now(),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("regel 2: dit adres is al uitgenodigd"), "{err}");
        assert!(err.to_string().contains("regel 3: dit adres is al uitgenodigd"), "{err}");
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 2);
    });
}

/// Two imports at once both pass the duplicate check before either stores anything; the
/// unique index stops the second, which then says so and stores nothing.
#[tokio::test]
async fn an_address_added_meanwhile_by_another_import_refuses_the_whole_list() {
    on_both!("an_address_added_meanwhile_by_another_import_refuses_the_whole_list", |db| {
        let survey = crate::helpers::survey_with_invitees(&db, "eerder", 2).await;
        let person = |email: &str| NewInvitee {
            email: EmailAddress::parse(email).unwrap(),
            name: None,
            group: survey.groups[0].code.clone(),
        };
        let list = vec![person("nieuw@example.org"), person("eerder1@example.org")];
        let refused = store::invitees::add_all(&db, &survey, list, chrono::Utc::now()).await.unwrap_err();
        assert!(matches!(refused, StoreError::AddedMeanwhile), "{refused:?}");
        assert!(refused.to_string().contains("niets geïmporteerd"));
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 2, "nothing of the list stayed");
    });
}

/// Someone added after opening gets no invitation and still counts in the response rate; after
/// the purge their address would escape it. Only a draft takes invitees.
#[tokio::test]
async fn invitees_are_added_only_to_a_survey_that_is_not_open_yet() {
    on_both!("invitees_are_added_only_to_a_survey_that_is_not_open_yet", |db| {
        let survey = crate::helpers::survey_with_invitees(&db, "vooraf", 2).await;
        let now = chrono::Utc::now();
        peiling::invitations::lifecycle::open(
            &db,
            &peiling::audit::Actor::System,
            &survey,
            now + chrono::Duration::days(7),
            now,
        )
        .await
        .unwrap();
        let late = vec![NewInvitee {
            email: EmailAddress::parse("laat@example.org").unwrap(),
            name: None,
            group: survey.groups[0].code.clone(),
        }];
        let opened = store::surveys::load(&db, &survey.row.slug).await.unwrap();
        let refused = store::invitees::add_all(&db, &opened, late.clone(), now).await.unwrap_err();
        assert!(matches!(refused, StoreError::NotDraft(_)), "{refused:?}");
        assert!(refused.to_string().contains("niets geïmporteerd"), "{refused}");
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &opened, now).await.unwrap();
        let closed = store::surveys::load(&db, &survey.row.slug).await.unwrap();
        assert!(matches!(store::invitees::add_all(&db, &closed, late, now).await, Err(StoreError::NotDraft(_))));
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 2, "nobody was added");
    });
}
