//! Hostile bodies: too large (declared or streamed), nested 100,000 deep, not UTF-8, and a
//! city-wide invitee list. Each gets a clear answer, and nothing is stored from a refused one.

use crate::helpers::{TestApp, TestDb, api_token, open_with_tokens, run_demo};
use crate::on_both;
use entity::{invitee, text_review};
use peiling::accounts::Role;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The status line and body of the response to `head` followed by `body`, over a plain socket,
/// so a request can promise more than it sends.
async fn raw(app: &TestApp, head: &str, body: &[u8]) -> (u16, String) {
    let exchange = async {
        let mut socket = TcpStream::connect(app.address.trim_start_matches("http://")).await.unwrap();
        socket.write_all(head.as_bytes()).await.unwrap();
        // The server may answer and close before it has taken everything.
        let _ = socket.write_all(body).await;
        let mut received = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            let text = String::from_utf8_lossy(&received).to_string();
            if let Some((headers, rest)) = text.split_once("\r\n\r\n") {
                let length = headers
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if rest.len() >= length {
                    let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
                    return (status, rest.to_string());
                }
            }
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => panic!("the connection closed before a whole response: {text}"),
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    };
    // Not a measure of speed: a server that waited for the promised body would never answer.
    tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .expect("the server waits for a body it should have refused from its declared length")
}

fn head(method: &str, path: &str, token: Option<&str>, length_or_chunked: Result<u64, ()>) -> String {
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let length = match length_or_chunked {
        Ok(n) => format!("Content-Length: {n}\r\n"),
        Err(()) => "Transfer-Encoding: chunked\r\n".to_string(),
    };
    format!("{method} {path} HTTP/1.1\r\nHost: peiling.test\r\n{auth}Content-Type: application/json\r\n{length}\r\n")
}

/// `total` bytes of `fill` as 64 kB chunks; without the closing chunk unless `end`, so the
/// stream seems to go on.
fn chunks(total: usize, fill: u8, end: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut left = total;
    while left > 0 {
        let n = left.min(64 * 1024);
        out.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        out.extend(std::iter::repeat_n(fill, n));
        out.extend_from_slice(b"\r\n");
        left -= n;
    }
    if end {
        out.extend_from_slice(b"0\r\n\r\n");
    }
    out
}

fn error_of(body: &str) -> Value {
    let value: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    assert!(value["error"].is_string() && value["message"].is_string(), "not the ApiError shape: {value}");
    value
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_from_their_declared_length_or_once_they_stream_past_it() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let (survey, tokens) = open_with_tokens(&db, 1).await;
    let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
    crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
    let app = TestApp::spawn(&db).await;
    let answers = format!("/api/v1/r/{}", tokens[0]);
    let invitees = format!("/api/v1/surveys/{}/invitees", survey.row.slug);
    let hundred_mb = 100 * 1024 * 1024;

    // Declared: answered at once, without a byte of the body.
    let (status, body) = raw(&app, &head("PUT", &answers, None, Ok(hundred_mb)), b"").await;
    assert_eq!(status, 413);
    assert_eq!(error_of(&body)["message"], "De inhoud is groter dan 256 kB, de grens voor dit verzoek.");
    let (status, body) = raw(&app, &head("POST", &invitees, Some(&researcher), Ok(hundred_mb)), b"email;team\n").await;
    assert_eq!(status, 413);
    let message = error_of(&body)["message"].as_str().unwrap().to_string();
    assert!(message.contains("groter dan 10 MB, de grens voor één genodigdenlijst"), "{message}");
    let page = head("POST", &format!("/s/{}/1", tokens[0]), None, Ok(hundred_mb));
    let (status, body) = raw(&app, &page.replace("application/json", "application/x-www-form-urlencoded"), b"").await;
    assert_eq!(status, 413);
    assert!(body.contains("Een formulier mag hoogstens 256 kB zijn"), "{body}");

    // Streamed without a length: read up to the limit, then refused.
    let (status, body) = raw(&app, &head("PUT", &answers, None, Err(())), &chunks(300 * 1024, b' ', false)).await;
    assert_eq!((status, error_of(&body)["error"].as_str()), (413, Some("too_large")));
    let csv = chunks(10 * 1024 * 1024 + 64 * 1024, b'\n', false);
    let (status, body) = raw(&app, &head("POST", &invitees, Some(&researcher), Err(())), &csv).await;
    assert_eq!(status, 413);
    assert!(error_of(&body)["message"].as_str().unwrap().contains("10 MB"), "{body}");

    // Just under the limit is read and judged on its content.
    let (status, body) = raw(&app, &head("PUT", &answers, None, Err(())), &chunks(200 * 1024, b' ', true)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 1, "nothing imported");
}

#[tokio::test]
async fn an_invitee_file_over_the_limit_gets_413_and_a_city_wide_one_is_imported() {
    on_both!("an_invitee_file_over_the_limit_gets_413_and_a_city_wide_one_is_imported", |db| {
        let survey =
            peiling::store::surveys::create(&db, peiling::bundled::MAATWERKBUDGET_2021.definition, chrono::Utc::now())
                .await
                .unwrap();
        let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let url = app.url("/api/v1/surveys/maatwerkbudget-2021/invitees");

        // 100,000 residents, about 4 MB: over the app's 256 kB for other bodies, within the import's 10 MB.
        let mut city = String::from("email;team;naam\n");
        for i in 0..100_000 {
            city.push_str(&format!("inwoner.{i}@example.org;{};Inwoner {i}\n", if i % 2 == 0 { "SWT" } else { "JLR" }));
        }
        let mut too_large = city.clone().into_bytes();
        too_large.resize(12 * 1024 * 1024, b'\n');
        let refused = c.post(&url).bearer_auth(&researcher).body(too_large).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let refused = error_of(&refused.text().await.unwrap());
        assert!(refused["message"].as_str().unwrap().contains("groter dan 10 MB"), "{refused}");
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 0, "nothing imported");

        let imported = c.post(&url).bearer_auth(&researcher).body(city).send().await.unwrap();
        assert_eq!(imported.status(), StatusCode::CREATED);
        assert_eq!(imported.json::<Value>().await.unwrap()["imported"], 100_000);
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 100_000);

        // A file wrong throughout lists its first 100 rows and counts the rest.
        let mut wrong = String::from("email;team\n");
        for i in 0..5_000 {
            wrong.push_str(&format!("nieuw.{i}@example.org;XYZ\n"));
        }
        let refused = c.post(&url).bearer_auth(&researcher).body(wrong).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused = error_of(&refused.text().await.unwrap());
        assert_eq!(refused["details"].as_array().unwrap().len(), 100);
        assert_eq!(refused["details"][99]["line"], 101);
        assert_eq!(
            refused["message"],
            "Er is niets geïmporteerd: 5000 fouten in het bestand. De eerste 100 staan in details; daarna nog 4900 fouten."
        );
    });
}

#[tokio::test]
async fn json_nested_100000_deep_gets_400_not_a_stack_overflow() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let survey = run_demo(&db).await;
    let (renamed, tokens) = open_with_tokens_renamed(&db).await;
    let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
    crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
    crate::helpers::join(&db, "onderzoeker@example.org", &renamed).await;
    let app = TestApp::spawn(&db).await;
    let c = TestApp::browser();
    let deep = "[".repeat(100_000);
    let answers = format!("{{\"answers\": {{\"Q2t\": {deep}");
    let slug = &survey.row.slug;
    // Where a body holds any JSON (answers), the parser's depth limit speaks; where it has a
    // fixed shape, the first or second '[' is already wrong.
    let too_deep = "de lijsten en objecten zijn te diep in elkaar genest (hoogstens 128 niveaus)";
    let not_an_object = ", niet een lijst";
    let requests = [
        (c.put(app.url(&format!("/api/v1/r/{}", tokens[0]))).body(answers.clone()), too_deep),
        (c.post(app.url(&format!("/api/v1/r/{}/submit", tokens[0]))).body(answers), too_deep),
        (c.put(app.url(&format!("/api/v1/r/{}", tokens[0]))).body(deep.clone()), not_an_object),
        (
            c.post(app.url("/api/v1/surveys/open-peiling/open")).bearer_auth(&researcher).body(deep.clone()),
            not_an_object,
        ),
        (
            c.put(app.url("/api/v1/surveys/open-peiling/reminder")).bearer_auth(&researcher).body(deep.clone()),
            not_an_object,
        ),
        (
            c.put(app.url(&format!("/api/v1/surveys/{slug}/casussen/1"))).bearer_auth(&researcher).body(deep),
            not_an_object,
        ),
    ];
    for (request, why) in requests {
        let response = request.header("content-type", "application/json").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let error = error_of(&response.text().await.unwrap());
        assert_eq!(error["error"], "bad_json");
        assert!(error["message"].as_str().unwrap().contains(why), "{error}");
    }
    let state: Value = c.get(app.url(&format!("/api/v1/r/{}", tokens[0]))).send().await.unwrap().json().await.unwrap();
    assert_eq!((state["status"].as_str(), &state["answers"]), (Some("open"), &json!({})), "nothing stored");
}

/// The bundled survey under another code, opened, beside the demo's.
async fn open_with_tokens_renamed(db: &sea_orm::DatabaseConnection) -> (peiling::store::surveys::Survey, Vec<String>) {
    let definition = peiling::bundled::MAATWERKBUDGET_2021.definition.replacen(
        "id = \"maatwerkbudget-2021\"",
        "id = \"open-peiling\"",
        1,
    );
    crate::helpers::open_of_with_tokens(db, &definition, 1).await
}

#[tokio::test]
async fn text_that_is_not_utf8_is_refused_and_nothing_is_stored() {
    on_both!("text_that_is_not_utf8_is_refused_and_nothing_is_stored", |db| {
        let (survey, tokens) = open_with_tokens(&db, 1).await;
        let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let state_url = app.url(&format!("/api/v1/r/{}", tokens[0]));

        // JSON: a Windows-1252 "é" in an answer.
        let latin1 = b"{\"answers\": {\"Q1\": 3, \"Q2t\": \"caf\xe9\"}}".to_vec();
        let refused = c.put(&state_url).header("content-type", "application/json").body(latin1).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let refused = error_of(&refused.text().await.unwrap());
        assert_eq!(refused["error"], "not_utf8");
        assert_eq!(refused["message"], "De inhoud is geen UTF-8 (regel 1, byte 34); JSON moet UTF-8 zijn.");

        // A form post, as raw bytes and percent-encoded, with a valid CSRF value.
        let screen = app.url(&format!("/s/{}/1", tokens[0]));
        let page = c.get(&screen).send().await.unwrap().text().await.unwrap();
        let start = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
        let csrf = page[start..].split('"').next().unwrap().to_string();
        for bad in [b"=\xff".to_vec(), b"=%FF".to_vec()] {
            let mut form = format!("csrf={csrf}&actie=volgende&Q1").into_bytes();
            form.extend_from_slice(&bad);
            let refused = c
                .post(&screen)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
            let refused = refused.text().await.unwrap();
            assert!(refused.contains("In het veld &#x27;Q1&#x27; staan tekens die geen UTF-8 zijn"), "{refused}");
        }
        let state: Value = c.get(&state_url).send().await.unwrap().json().await.unwrap();
        assert_eq!(state["answers"], json!({}), "nothing stored");

        // The login form too.
        let login = c
            .post(app.url("/inloggen"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"email=a%E9@example.org&wachtwoord=x".to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), StatusCode::BAD_REQUEST);

        // An invitee list from Excel's plain "CSV" (Windows-1252) through the API.
        let list = b"email;team;naam\nanna@example.org;SWT;Anna\nrene@example.org;JLR;Ren\xe9\n".to_vec();
        let url = app.url(&format!("/api/v1/surveys/{}/invitees", survey.row.slug));
        let refused = c.post(&url).bearer_auth(&researcher).body(list).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused = error_of(&refused.text().await.unwrap());
        assert_eq!(refused["details"][0]["line"], 3);
        assert!(refused["details"][0]["message"].as_str().unwrap().contains("geen UTF-8"), "{refused}");
        assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 1, "only the invitee from before");
    });
}

#[tokio::test]
async fn every_api_error_has_the_json_error_shape() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let (survey, tokens) = open_with_tokens(&db, 1).await;
    let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
    crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
    let app = TestApp::spawn(&db).await;
    let c = TestApp::browser();
    let base = app.url("/api/v1/surveys/maatwerkbudget-2021");

    let cases = [
        (c.get(format!("{base}/casussen/abc")), StatusCode::NOT_FOUND, "not_found"),
        (c.get(format!("{base}/casussen/-1")), StatusCode::NOT_FOUND, "not_found"),
        (c.get(app.url("/api/v1/bestaat-niet")), StatusCode::NOT_FOUND, "not_found"),
        (c.get(app.url("/api/v1/r/kort")), StatusCode::NOT_FOUND, "not_found"),
        (c.delete(format!("{base}/progress")), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        (c.post(format!("{base}/open")).body("{\"closes\": \"morgen\"}"), StatusCode::BAD_REQUEST, "bad_json"),
        (c.post(format!("{base}/open")).body("{\"sluit\": 1}"), StatusCode::BAD_REQUEST, "bad_json"),
        (c.post(format!("{base}/open")).body(""), StatusCode::BAD_REQUEST, "bad_json"),
        (
            c.put(format!("{base}/reminder")).body("{\"on\": \"2020-01-01\"}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_date",
        ),
        (c.post(format!("{base}/invitees")).body(""), StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows"),
    ];
    let mut messages = Vec::new();
    for (request, status, code) in cases {
        let response = request.bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(response.status(), status);
        let allow = response.headers().get("allow").map(|v| v.to_str().unwrap().to_string());
        let body = error_of(&response.text().await.unwrap());
        assert_eq!(body["error"], code, "{body}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert_eq!(allow.as_deref(), Some("GET"));
        }
        messages.push(body["message"].as_str().unwrap().to_string());
    }
    assert!(messages[5].contains("een datum moet de vorm JJJJ-MM-DD hebben"), "{}", messages[5]);
    assert!(messages[6].contains("het veld 'sluit' bestaat niet (wel: 'closes', 'remind_on')"), "{}", messages[6]);
    assert!(messages[7].contains("de inhoud houdt halverwege op"), "{}", messages[7]);
    let put = c.post(app.url(&format!("/api/v1/r/{}", tokens[0]))).send().await.unwrap();
    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(put.headers()["allow"], "GET, PUT");
}

#[tokio::test]
async fn researchers_opening_the_review_at_once_all_get_it() {
    on_both!("researchers_opening_the_review_at_once_all_get_it", |db| {
        let survey = run_demo(&db).await;
        let reviewed = text_review::Entity::find().count(&db).await.unwrap();
        // As if nobody had opened the review yet: the first requests prepare it together.
        text_review::Entity::delete_many().exec(&db).await.unwrap();
        let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let url = app.url(&format!("/api/v1/surveys/{}/casussen", survey.row.slug));
        let requests: Vec<_> = (0..8)
            .map(|_| {
                let (url, researcher) = (url.clone(), researcher.clone());
                tokio::spawn(async move { TestApp::browser().get(url).bearer_auth(researcher).send().await.unwrap() })
            })
            .collect();
        for request in requests {
            let response = request.await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let list: Value = response.json().await.unwrap();
            assert_eq!(list["casussen"].as_array().unwrap().len() as u64, reviewed);
        }
        assert_eq!(text_review::Entity::find().count(&db).await.unwrap(), reviewed);
    });
}

#[tokio::test]
async fn the_command_line_refuses_a_100_mb_list_and_lists_only_the_first_bad_rows() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    peiling::store::surveys::create(&db, peiling::bundled::MAATWERKBUDGET_2021.definition, chrono::Utc::now())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let import = |file: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_peiling"))
            .args(["invitees", "import", "maatwerkbudget-2021"])
            .arg(file)
            .env("DATABASE_URL", &test.url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
    };

    // A sparse file: 100 MB on paper, refused on its size without reading it.
    let huge = dir.path().join("groot.csv");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let (ok, stderr) = import(&huge);
    assert!(!ok);
    assert!(stderr.contains("groot.csv: niets geïmporteerd: het bestand is groter dan 10 MB"), "{stderr}");

    let mut wrong = String::from("email;team\n");
    for i in 0..250_000 {
        wrong.push_str(&format!("p{i}@example.org;XYZ\n"));
    }
    let bad = dir.path().join("fout.csv");
    std::fs::write(&bad, wrong).unwrap();
    let (ok, stderr) = import(&bad);
    assert!(!ok);
    assert!(stderr.contains("er is niets geïmporteerd: 250000 fouten in het bestand"), "{stderr}");
    assert!(stderr.contains("en nog 249900 fouten (alleen de eerste 100 staan hierboven)"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1 + 100 + 1, "{stderr}");
    assert_eq!(invitee::Entity::find().count(&db).await.unwrap(), 0);
}

#[tokio::test]
async fn an_upload_streamed_past_the_limit_is_refused_at_the_limit() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let survey =
        peiling::store::surveys::create(&db, peiling::bundled::MAATWERKBUDGET_2021.definition, chrono::Utc::now())
            .await
            .unwrap();
    api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
    crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
    let app = TestApp::spawn(&db).await;
    let c = TestApp::browser();
    let login = c.get(app.url("/inloggen")).send().await.unwrap().text().await.unwrap();
    let start = login.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let csrf = login[start..].split('"').next().unwrap().to_string();
    let form = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("email", "onderzoeker@example.org"),
        ("wachtwoord", "een lang wachtwoord"),
    ])
    .unwrap();
    let signed_in = c
        .post(app.url("/inloggen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    let session = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();

    // Chunked, so no declared length gives it away, and more than the limit of 10 MB plus 256 kB.
    let mut multipart =
        b"--grens\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"groot.csv\"\r\n\r\n".to_vec();
    multipart.resize(multipart.len() + 11 * 1024 * 1024, b'x');
    multipart.extend_from_slice(b"\r\n--grens--\r\n");
    let mut body = Vec::new();
    for part in multipart.chunks(64 * 1024) {
        body.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        body.extend_from_slice(part);
        body.extend_from_slice(b"\r\n");
    }
    // No closing chunk: the answer must come at the limit, not at the end of the stream.
    let head = format!(
        "POST /onderzoek/maatwerkbudget-2021/genodigden HTTP/1.1\r\nHost: peiling.test\r\nCookie: {session}\r\n\
         Content-Type: multipart/form-data; boundary=grens\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let (status, page) = raw(&app, &head, &body).await;
    assert_eq!(status, 413, "{page}");
    assert!(page.contains("Een bestand mag hoogstens 10 MB zijn"), "{page}");
}

/// 22,000 unknown keys in a 230 kB body: the reply lists the first hundred problems and
/// counts the rest, instead of answering with megabytes.
#[tokio::test]
async fn an_answer_body_with_thousands_of_problems_gets_a_short_reply() {
    let t = crate::helpers::TestDb::sqlite().await;
    let db = t.connect().await;
    let (_, tokens) = open_with_tokens(&db, 1).await;
    let app = TestApp::spawn(&db).await;
    let answers: serde_json::Map<String, Value> = (0..22_000).map(|i| (format!("x{i}"), json!(1))).collect();
    let body = serde_json::to_vec(&json!({ "answers": answers })).unwrap();
    assert!(body.len() < 256 * 1024, "under the body limit: {} bytes", body.len());
    let reply = TestApp::browser()
        .put(app.url(&format!("/api/v1/r/{}", tokens[0])))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = reply.text().await.unwrap();
    assert!(text.len() < 64 * 1024, "a reply of {} bytes", text.len());
    let error = error_of(&text);
    assert_eq!(error["details"].as_array().unwrap().len(), 100);
    assert!(error["message"].as_str().unwrap().contains("en nog 21900 andere problemen"), "{error}");
}
