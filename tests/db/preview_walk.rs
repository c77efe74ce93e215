//! The researcher walks the bundled survey as a respondent (`/onderzoek/{survey}/voorbeeld/{n}`):
//! two routes (someone who never used the budget, someone who used it twelve times), the
//! screens each one shows, the respondent's errors, and nothing stored on the way.

use crate::helpers::{TestApp, api_token, join};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use entity::{answer, audit_event, draft, response};
use peiling::accounts::Role;
use reqwest::{Client, StatusCode};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

const BASE: &str = "/onderzoek/maatwerkbudget-2021/voorbeeld";

/// The value of the hidden field `name`, as the browser would send it back.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).map_or_else(|| panic!("a field {name} in {html}"), |i| i + marker.len());
    let escaped = html[start..].split('"').next().unwrap();
    escaped
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The number of the screen a page shows: where its form posts to.
fn screen_of(html: &str) -> usize {
    let marker = format!("action=\"{BASE}/");
    let start = html.find(&marker).map_or_else(|| panic!("a preview screen in {html}"), |i| i + marker.len());
    html[start..].split('"').next().unwrap().parse().unwrap()
}

/// One walk through the preview: the page on screen now, and the buttons on it.
struct Walk<'a> {
    app: &'a TestApp,
    c: &'a Client,
    html: String,
}

impl Walk<'_> {
    async fn start<'a>(app: &'a TestApp, c: &'a Client) -> Walk<'a> {
        let r = c.get(app.url(&format!("{BASE}/1"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        Walk { app, c, html: r.text().await.unwrap() }
    }

    /// Presses `button` on the current screen with `fields` filled in; the status of the answer.
    async fn press(&mut self, button: &str, fields: &[(&str, &str)]) -> StatusCode {
        let screen = screen_of(&self.html);
        let csrf = csrf_of(&self.html);
        let carried = hidden(&self.html, "antwoorden");
        let mut all = vec![("csrf", csrf.as_str()), ("antwoorden", carried.as_str()), ("actie", button)];
        all.extend_from_slice(fields);
        let r = self
            .c
            .post(self.app.url(&format!("{BASE}/{screen}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&all).unwrap())
            .send()
            .await
            .unwrap();
        let status = r.status();
        self.html = r.text().await.unwrap();
        status
    }

    /// "Volgende" with `fields`; the screen shown next (0 for the end of the route).
    async fn next(&mut self, fields: &[(&str, &str)]) -> usize {
        assert_eq!(self.press("volgende", fields).await, StatusCode::OK, "{}", self.html);
        if self.html.contains("Einde van het voorbeeld") { 0 } else { screen_of(&self.html) }
    }
}

/// What a walk must leave as it was.
async fn stored(db: &DatabaseConnection) -> [u64; 4] {
    [
        draft::Entity::find().count(db).await.unwrap(),
        response::Entity::find().count(db).await.unwrap(),
        answer::Entity::find().count(db).await.unwrap(),
        audit_event::Entity::find().count(db).await.unwrap(),
    ]
}

#[tokio::test]
async fn two_routes_through_the_preview_show_their_own_screens_and_store_nothing() {
    on_both!("two_routes_through_the_preview_show_their_own_screens_and_store_nothing", |db| {
        let definition = peiling::bundled::find("maatwerkbudget-2021").unwrap().definition;
        let survey = peiling::store::surveys::create(&db, definition, chrono::Utc::now()).await.unwrap();
        api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        assert_eq!(
            login(&app, &c, "onderzoeker@example.org", "een lang wachtwoord").await.status(),
            StatusCode::SEE_OTHER
        );
        let before = stored(&db).await;

        let overview = c.get(app.url(BASE)).send().await.unwrap().text().await.unwrap();
        assert!(overview.contains(&format!("href=\"{BASE}/1\">Doorlopen als respondent</a>")), "{overview}");
        assert!(overview.contains("Routering: alleen als Q1 is minstens 1"), "{overview}");

        // Never used: the experience and the regrets are skipped.
        let mut never = Walk::start(&app, &c).await;
        assert!(never.html.contains("Voorbeeld: er wordt niets opgeslagen"), "{}", never.html);
        assert!(never.html.contains("Stap 1 van"));
        assert_eq!(never.next(&[("Q1.optout", "ja")]).await, 3);
        assert_eq!(never.press("volgende", &[]).await, StatusCode::UNPROCESSABLE_ENTITY, "Q3 is required");
        assert!(never.html.contains("error-summary") && never.html.contains("href=\"#vraag-Q3\""), "{}", never.html);
        assert_eq!(screen_of(&never.html), 3, "the same screen, with its error");
        assert_eq!(never.next(&[("Q3", "nee")]).await, 4);
        assert!(never.html.contains("id=\"vraag-Q5\"") && !never.html.contains("id=\"vraag-Q4\""));
        assert_eq!(never.press("vorige", &[]).await, StatusCode::OK);
        assert_eq!(screen_of(&never.html), 3, "back where it came from");
        assert!(never.html.contains("value=\"nee\" checked"), "the answer is still picked");
        let mut seen = vec![1, 3];
        for fields in
            [&[("Q3", "nee")][..], &[("Q5", "voldoende")], &[("Q7", "fondsen")], &[], &[("Q10", "nee")], &[], &[]]
        {
            seen.push(never.next(fields).await);
        }
        assert_eq!(seen, [1, 3, 4, 7, 8, 9, 11, 12, 0]);
        assert!(never.html.contains("ziet een respondent 8 van de 12 schermen"), "{}", never.html);
        assert!(never.html.contains("Scherm 2: Ervaring (overgeslagen)"), "{}", never.html);
        assert!(never.html.contains("Niet gesteld (alleen als Q1 is minstens 1)"), "{}", never.html);
        assert!(never.html.contains("Nog nooit"), "the answer given: {}", never.html);

        // Twelve times: every screen up to the needs, the regrets with their follow-up.
        let mut twelve = Walk::start(&app, &c).await;
        let mut seen = vec![1];
        for fields in [
            &[("Q1", "12")][..],
            &[("Q2", "positief")],
            &[("Q3", "ja")],
            &[("Q4", "partners")],
            &[("Q6", "ja")],
            &[("Q6n", "2"), ("Q6t", "te duur")],
            &[("Q7", "fondsen")],
            &[],
            &[("Q10", "nee")],
            &[],
            &[],
        ] {
            seen.push(twelve.next(fields).await);
        }
        assert_eq!(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 0]);
        assert!(twelve.html.contains("ziet een respondent 11 van de 12 schermen"), "{}", twelve.html);
        assert!(twelve.html.contains("te duur"));

        // Someone else's form or an old page: refused like any researcher's form.
        let r = c
            .post(app.url(&format!("{BASE}/1")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("csrf=oud&actie=volgende&Q1=3")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(c.get(app.url(&format!("{BASE}/13"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        // Screen 2 waits for Q1: a walk cannot start there.
        let r = c.get(app.url(&format!("{BASE}/2"))).send().await.unwrap();
        assert_eq!(
            (r.status(), r.headers()["location"].to_str().unwrap()),
            (StatusCode::SEE_OTHER, &*format!("{BASE}/3"))
        );

        assert_eq!(stored(&db).await, before, "no draft, response, answer or trail line");
        let after = peiling::store::surveys::load(&db, "maatwerkbudget-2021").await.unwrap();
        assert_eq!(after.row.status, survey.row.status);
    });
}
