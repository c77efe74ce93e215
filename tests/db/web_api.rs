//! The JSON twin of the form: the questions that apply, drafts, validation, and exactly one
//! stored response however many submits arrive at once.

use crate::helpers::{TestApp, open_with_tokens};
use crate::on_both;
use entity::response;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

fn ids(state: &Value) -> Vec<String> {
    state["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_api_follows_the_routing_and_refuses_what_does_not_fit() {
    on_both!("the_api_follows_the_routing_and_refuses_what_does_not_fit", |db| {
        let (_, tokens) = open_with_tokens(&db, 1).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let url = app.url(&format!("/api/v1/r/{}", tokens[0]));

        let state: Value = c.get(&url).send().await.unwrap().json().await.unwrap();
        assert_eq!(state["status"], "open");
        assert_eq!(ids(&state), ["Q1", "Q3", "Q7", "Q8", "Q9", "Q10", "Q12", "Q13"]);
        assert_eq!(state["questions"][0]["kind"]["type"], "number");

        let bad = c
            .put(&url)
            .json(&json!({ "answers": { "Q1": "vaak", "Q3": "misschien", "Q99": 1 } }))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad: Value = bad.json().await.unwrap();
        let codes: Vec<(&str, &str)> = bad["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["question"].as_str().unwrap(), d["code"].as_str().unwrap()))
            .collect();
        assert_eq!(codes, [("Q1", "not_a_whole_number"), ("Q3", "unknown_option"), ("Q99", "unknown_question")]);

        let saved = c
            .put(&url)
            .json(&json!({ "answers": { "Q1": 5, "Q3": "nee", "Q4": ["partners"], "Q6": "ja" } }))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        let saved: Value = saved.json().await.unwrap();
        assert_eq!(saved["dropped"], json!(["Q4"]), "Q4 is only for those who answered ja");
        assert!(ids(&saved).contains(&"Q5".to_string()) && ids(&saved).contains(&"Q6n".to_string()));
        assert_eq!(saved["complete"], false);

        let incomplete = c.post(format!("{url}/submit")).send().await.unwrap();
        assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let incomplete: Value = incomplete.json().await.unwrap();
        assert!(incomplete["details"].as_array().unwrap().iter().all(|d| d["code"] == "required"));

        let not_json =
            c.put(&url).header("content-type", "application/json").body("{\"answers\": [").send().await.unwrap();
        assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response::Entity::find().count(&db).await.unwrap(), 0);
    });
}

#[tokio::test]
async fn fifty_concurrent_submits_of_one_link_store_one_response() {
    on_both!("fifty_concurrent_submits_of_one_link_store_one_response", |db| {
        let (_, tokens) = open_with_tokens(&db, 1).await;
        let app = TestApp::spawn(&db).await;
        let url = app.url(&format!("/api/v1/r/{}/submit", tokens[0]));
        let body = json!({ "answers": {
            "Q1": "nog_nooit", "Q3": "weet_niet", "Q7": ["bijzondere_bijstand"], "Q10": "nee"
        }});
        let sends = (0..50).map(|_| {
            let (url, body) = (url.clone(), body.clone());
            tokio::spawn(async move { TestApp::browser().post(url).json(&body).send().await.unwrap().status() })
        });
        let mut statuses = Vec::new();
        for send in sends {
            statuses.push(send.await.unwrap());
        }
        let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
        let conflicts = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
        assert_eq!((created, conflicts), (1, 49), "{statuses:?}");
        assert_eq!(response::Entity::find().count(&db).await.unwrap(), 1);
        let state: Value = TestApp::browser()
            .get(app.url(&format!("/api/v1/r/{}", tokens[0])))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(state["status"], "submitted");
        assert_eq!(state["questions"], json!([]));
    });
}
