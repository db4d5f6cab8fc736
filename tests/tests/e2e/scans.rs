//! An owners' resolution's scan: attached once by a book-keeper (a PDF or a photograph, told
//! by its content), read back by the book-keepers and the compound's own committee, and by
//! nobody else.

use courtyard_tests::TestApp;
use serde_json::{Value, json};

use crate::tenancy::compound_id;

const RESOLVE: &str = "mutation($c: ID!, $m: ID!, $n: String!) { recordBusinessUseResolution(input: { compoundId: $c, matterId: $m, documentNo: $n, decidedOn: \"2026-10-15\" }) { id scanType } }";

async fn resolution(app: &TestApp, token: &str, compound: &str, number: &str) -> String {
    let matter = crate::governance::passed_matter(app, compound, "COMMON_PARTS_USE").await;
    let body = app
        .gql(
            Some(token),
            RESOLVE,
            json!({ "c": compound, "m": matter, "n": number }),
        )
        .await;
    body["data"]["recordBusinessUseResolution"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

fn path(id: &str) -> String {
    format!("/income/resolutions/{id}/scan")
}

fn field(body: &Value) -> Value {
    body["errors"][0]["extensions"]["field"].clone()
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

#[tokio::test]
async fn a_scan_is_attached_once_and_read_back_by_those_who_read_the_books() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let id = resolution(&app, &token, &guotai, "业主大会决议〔2026〕7号").await;
    let scan = pdf("业主大会决议 签字页");
    let (status, body) = app.post_file(Some(&token), &path(&id), scan.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scanType"], "application/pdf");
    let (status, back) = app.get_file(&token, &path(&id)).await;
    assert_eq!((status, back), (200, scan.clone()));
    let listed = app
        .gql(
            Some(&token),
            "query($c: ID!) { businessUseResolutions(compoundId: $c) { id scanType } }",
            json!({ "c": guotai }),
        )
        .await;
    let mine = listed["data"]["businessUseResolutions"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id.as_str()))
        .cloned()
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(mine["scanType"], "application/pdf");

    // Evidence is never replaced.
    let (status, body) = app
        .post_file(Some(&token), &path(&id), pdf("another"))
        .await;
    assert_eq!((status, field(&body)), (400, json!("file")), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "CONFLICT");
    assert_eq!(app.get_file(&token, &path(&id)).await.1, scan);

    // The compound's committee reads it.
    let committee = app.login("committee@demo.test").await;
    let (status, back) = app.get_file(&committee, &path(&id)).await;
    assert_eq!((status, back), (200, scan));
}

#[tokio::test]
async fn only_scans_by_content_are_kept_and_only_for_the_books_readers() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let liaoyuan = compound_id(&app, &token, "燎原新村").await;
    let id = resolution(&app, &token, &liaoyuan, "业主大会决议〔2026〕8号").await;

    // A text file named like a PDF is not a scan; nor is an empty body or one above 10 MB.
    for body in [b"just text, not a scan.pdf".to_vec(), Vec::new()] {
        let (status, answer) = app.post_file(Some(&token), &path(&id), body).await;
        assert_eq!((status, field(&answer)), (400, json!("file")), "{answer}");
    }
    let mut huge = pdf("big");
    huge.resize(11 * 1024 * 1024, b' ');
    let (status, answer) = app.post_file(Some(&token), &path(&id), huge).await;
    assert_eq!((status, field(&answer)), (413, json!("file")), "{answer}");
    let (status, _) = app.get_file(&token, &path(&id)).await;
    assert_eq!(status, 404, "no scan was kept");

    let scan = pdf("ok");
    let (status, _) = app.post_file(None, &path(&id), scan.clone()).await;
    assert_eq!(status, 401);
    // The committee of another compound, a resident and a grid worker neither attach nor read.
    for who in [
        "committee@demo.test",
        "resident@demo.test",
        "grid@demo.test",
    ] {
        let t = app.login(who).await;
        let (status, body) = app.post_file(Some(&t), &path(&id), scan.clone()).await;
        assert!(matches!(status, 403 | 404), "{who}: {status} {body}");
    }
    let (status, _) = app.post_file(Some(&token), &path(&id), scan.clone()).await;
    assert_eq!(status, 200);
    for who in [
        "committee@demo.test",
        "resident@demo.test",
        "grid@demo.test",
    ] {
        let t = app.login(who).await;
        let (status, _) = app.get_file(&t, &path(&id)).await;
        assert!(matches!(status, 403 | 404), "{who}: {status}");
    }
    // Another firm's administrator finds nothing; a malformed id names its field.
    let rival = app.login("admin@rival.test").await;
    assert_eq!(app.get_file(&rival, &path(&id)).await.0, 404);
    let (status, body) = app.post_file(Some(&rival), &path(&id), pdf("x")).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = app.post_file(Some(&token), &path("nope"), pdf("x")).await;
    assert_eq!((status, field(&body)), (400, json!("id")), "{body}");
}
