//! The respondent's form over real HTTP: a server on a random port, a fresh database, a
//! client that keeps cookies like a browser. Walks the reference survey's branches.

use crate::helpers::{TestApp, open_with_tokens};
use crate::on_both;
use entity::response;
use reqwest::{Client, Response, StatusCode};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

pub fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}

fn location(response: &Response) -> String {
    response.headers().get("location").expect("a redirect").to_str().unwrap().to_string()
}

async fn get(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Opens `path`, then posts `fields` with the page's csrf value, as pressing a button does.
async fn fill(app: &TestApp, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
    let (status, page) = get(app, client, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {page}");
    let csrf = csrf_of(&page);
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    all.extend_from_slice(fields);
    client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&all).unwrap())
        .send()
        .await
        .unwrap()
}

async fn responses(db: &DatabaseConnection) -> u64 {
    response::Entity::find().count(db).await.unwrap()
}

#[tokio::test]
async fn a_respondent_walks_the_form_stops_resumes_goes_back_and_submits_once() {
    on_both!("a_respondent_walks_the_form_stops_resumes_goes_back_and_submits_once", |db| {
        let (_, tokens) = open_with_tokens(&db, 2).await;
        let app = TestApp::spawn(&db).await;
        let t = &tokens[0];
        let phone = TestApp::browser();

        let (status, start) = get(&app, &phone, &format!("/s/{t}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(start.contains("<html lang=\"nl\">"));
        assert!(start.contains("Begin met de vragenlijst"));
        assert!(start.contains(&format!("href=\"/s/{t}/1\"")));

        // A post without the page's csrf value is refused and changes nothing.
        let forged = phone
            .post(app.url(&format!("/s/{t}/1")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("Q1=3&actie=volgende")
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);

        // Validation next to the field, keeping what was typed.
        let empty = fill(&app, &phone, &format!("/s/{t}/1"), &[("Q1", ""), ("actie", "volgende")]).await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.text().await.unwrap().contains("Vul een heel getal in, of kies &#x27;nog nooit&#x27;."));
        let typo = fill(&app, &phone, &format!("/s/{t}/1"), &[("Q1", "twaalf"), ("actie", "volgende")]).await;
        let typo = typo.text().await.unwrap();
        assert!(typo.contains("value=\"twaalf\""), "what was typed stays");
        assert!(typo.contains("id=\"fout-Q1\""));
        let both =
            fill(&app, &phone, &format!("/s/{t}/1"), &[("Q1", "4"), ("Q1.optout", "ja"), ("actie", "volgende")]).await;
        assert!(both.text().await.unwrap().contains("niet allebei"));

        let ok = fill(&app, &phone, &format!("/s/{t}/1"), &[("Q1", "12"), ("actie", "volgende")]).await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&ok), format!("/s/{t}/2"));
        let hostile = "<script>alert('x')</script> & \"quotes\"";
        let ok =
            fill(&app, &phone, &format!("/s/{t}/2"), &[("Q2", "positief"), ("Q2t", hostile), ("actie", "volgende")])
                .await;
        assert_eq!(location(&ok), format!("/s/{t}/3"));

        // Stop here; a new browser (no cookies) resumes from the link.
        let laptop = TestApp::browser();
        let (_, resumed) = get(&app, &laptop, &format!("/s/{t}")).await;
        assert!(resumed.contains("Verder waar je gebleven was"));
        assert!(resumed.contains(&format!("href=\"/s/{t}/3\"")));

        // Back keeps the answers, and what was typed comes back escaped.
        let back = fill(&app, &laptop, &format!("/s/{t}/3"), &[("actie", "vorige")]).await;
        assert_eq!(location(&back), format!("/s/{t}/2"));
        let (_, page2) = get(&app, &laptop, &format!("/s/{t}/2")).await;
        assert!(page2.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2F;script&gt; &amp; &quot;quotes&quot;"));
        assert!(!page2.contains("<script>"));
        assert!(page2.contains("value=\"positief\" checked"));

        // Q3 = ja leads to Q4 (Q5 is for "nee"); Q6 = nee skips the follow-up screen.
        let r = fill(&app, &laptop, &format!("/s/{t}/3"), &[("Q3", "ja"), ("actie", "volgende")]).await;
        assert_eq!(location(&r), format!("/s/{t}/4"));
        let (_, page4) = get(&app, &laptop, &format!("/s/{t}/4")).await;
        assert!(page4.contains("Wat is hiervoor nodig?") && !page4.contains("niet vaker in willen zetten"));
        let missing_other =
            fill(&app, &laptop, &format!("/s/{t}/4"), &[("Q4", "partners"), ("Q4", "anders"), ("actie", "volgende")])
                .await;
        assert_eq!(missing_other.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = fill(
            &app,
            &laptop,
            &format!("/s/{t}/4"),
            &[("Q4", "partners"), ("Q4", "anders"), ("Q4.anders", "minder papierwerk"), ("actie", "volgende")],
        )
        .await;
        assert_eq!(location(&r), format!("/s/{t}/5"));
        let r = fill(&app, &laptop, &format!("/s/{t}/5"), &[("Q6", "nee"), ("actie", "volgende")]).await;
        assert_eq!(location(&r), format!("/s/{t}/7"), "the Spijt follow-ups are skipped");
        let r = fill(&app, &laptop, &format!("/s/{t}/7"), &[("Q7", "fondsen"), ("actie", "volgende")]).await;
        assert_eq!(location(&r), format!("/s/{t}/8"));
        let r =
            fill(&app, &laptop, &format!("/s/{t}/8"), &[("Q8", ""), ("Q9", "snel geregeld"), ("actie", "volgende")])
                .await;
        assert_eq!(location(&r), format!("/s/{t}/9"));
        let r = fill(&app, &laptop, &format!("/s/{t}/9"), &[("Q10", "nee"), ("actie", "volgende")]).await;
        assert_eq!(location(&r), format!("/s/{t}/11"));
        let r = fill(&app, &laptop, &format!("/s/{t}/11"), &[("Q12", ""), ("actie", "volgende")]).await;
        assert_eq!(location(&r), format!("/s/{t}/12"));
        let r = fill(&app, &laptop, &format!("/s/{t}/12"), &[("actie", "volgende")]).await;
        assert_eq!(location(&r), format!("/s/{t}/controle"));

        let (status, review) = get(&app, &laptop, &format!("/s/{t}/controle")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(review.contains("12 keer") && review.contains("Anders, namelijk: minder papierwerk"));
        assert!(!review.contains("disabled"), "a complete form can be sent");
        assert_eq!(responses(&db).await, 0);

        // A double click: two posts of the same page; one response.
        let csrf = csrf_of(&review);
        let body = serde_urlencoded::to_string([("csrf", csrf.as_str())]).unwrap();
        let send = || {
            laptop
                .post(app.url(&format!("/s/{t}/versturen")))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
        };
        let (first, second) = tokio::join!(send(), send());
        assert_eq!(first.unwrap().status(), StatusCode::SEE_OTHER);
        assert_eq!(second.unwrap().status(), StatusCode::SEE_OTHER);
        assert_eq!(responses(&db).await, 1);
        let (status, thanks) = get(&app, &phone, &format!("/s/{t}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(thanks.contains("Dank je wel"));
        // The link cannot change the response any more: pages and posts lead to the thanks page.
        let (_, again) = get(&app, &phone, &format!("/s/{t}/1")).await;
        assert!(again.contains("Dank je wel"));
        let late = phone
            .post(app.url(&format!("/s/{t}/1")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("Q1=99&actie=volgende")
            .send()
            .await
            .unwrap();
        assert_eq!(location(&late), format!("/s/{t}"));
        assert_eq!(responses(&db).await, 1);

        let stored: Vec<entity::answer::Model> = entity::answer::Entity::find().all(&db).await.unwrap();
        assert!(stored.iter().any(|a| a.question == "Q2t" && a.text.as_deref() == Some(hostile)));
        assert!(stored.iter().any(|a| a.question == "Q4" && a.option.as_deref() == Some("anders")));
        assert!(!stored.iter().any(|a| a.question == "Q5" || a.question == "Q6n" || a.question == "Q11"));
    });
}

#[tokio::test]
async fn changing_an_earlier_answer_drops_the_answers_it_made_irrelevant() {
    on_both!("changing_an_earlier_answer_drops_the_answers_it_made_irrelevant", |db| {
        let (_, tokens) = open_with_tokens(&db, 1).await;
        let app = TestApp::spawn(&db).await;
        let t = &tokens[0];
        let b = TestApp::browser();
        fill(&app, &b, &format!("/s/{t}/1"), &[("Q1", "3"), ("actie", "volgende")]).await;
        fill(&app, &b, &format!("/s/{t}/2"), &[("Q2", "neutraal"), ("actie", "volgende")]).await;
        let r = fill(&app, &b, &format!("/s/{t}/1"), &[("Q1.optout", "ja"), ("actie", "volgende")]).await;
        assert_eq!(location(&r), format!("/s/{t}/3"), "Ervaring no longer applies");
        let state: serde_json::Value =
            b.get(app.url(&format!("/api/v1/r/{t}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(state["answers"], serde_json::json!({ "Q1": "nog_nooit" }));
        // A screen that does not apply sends the respondent on.
        let skipped = b.get(app.url(&format!("/s/{t}/2"))).send().await.unwrap();
        assert_eq!(location(&skipped), format!("/s/{t}/3"));
    });
}

#[tokio::test]
async fn bad_links_closed_surveys_and_oversized_posts_get_clear_answers() {
    on_both!("bad_links_closed_surveys_and_oversized_posts_get_clear_answers", |db| {
        let (survey, tokens) = open_with_tokens(&db, 1).await;
        let app = TestApp::spawn(&db).await;
        let b = TestApp::browser();
        let (short, short_page) = get(&app, &b, "/s/abc").await;
        let unknown_token = "A".repeat(43);
        let (unknown, unknown_page) = get(&app, &b, &format!("/s/{unknown_token}")).await;
        assert_eq!((short, unknown), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
        assert_eq!(short_page, unknown_page, "nothing tells whether a token exists");
        assert!(unknown_page.contains("Deze pagina bestaat niet"));
        let api = b.get(app.url(&format!("/api/v1/r/{unknown_token}"))).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::NOT_FOUND);

        // Every response carries the security headers.
        let response = b.get(app.url(&format!("/s/{}", tokens[0]))).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
        assert!(!headers["content-security-policy"].to_str().unwrap().contains("script-src"));

        let huge = vec![b'a'; 10 * 1024 * 1024];
        let big = b
            .post(app.url(&format!("/s/{}/1", tokens[0])))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(huge.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let big = b
            .put(app.url(&format!("/api/v1/r/{}", tokens[0])))
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);

        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
            .await
            .unwrap();
        let (status, closed) = get(&app, &b, &format!("/s/{}", tokens[0])).await;
        assert_eq!(status, StatusCode::GONE);
        assert!(closed.contains("Deze vragenlijst is gesloten") && closed.contains("onderzoek@example.org"));
        let (status, _) = get(&app, &b, &format!("/s/{}/1", tokens[0])).await;
        assert_eq!(status, StatusCode::GONE);
        let api = b.get(app.url(&format!("/api/v1/r/{}", tokens[0]))).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::GONE);
    });
}

#[tokio::test]
async fn a_passed_closing_moment_closes_the_link_before_anyone_closes_the_survey() {
    on_both!("a_passed_closing_moment_closes_the_link_before_anyone_closes_the_survey", |db| {
        let (survey, tokens) = open_with_tokens(&db, 1).await;
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let mut row = survey.row.clone().into_active_model();
        row.closes_at = Set(Some(chrono::Utc::now() - chrono::Duration::minutes(1)));
        row.update(&db).await.unwrap();
        let app = TestApp::spawn(&db).await;
        let (status, page) = get(&app, &TestApp::browser(), &format!("/s/{}", tokens[0])).await;
        assert_eq!(status, StatusCode::GONE);
        assert!(page.contains("gesloten op"));
        let _ = survey;
    });
}
