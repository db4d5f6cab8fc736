//! The public accounts board: published at an unguessable address, read without a session,
//! its figures those of the ledger and the monthly closes, nothing about any household,
//! fresh after every posting, and gone from an address the firm has rotated away.

use courtyard_tests::{TestApp, error_code};
use serde_json::{Value, json};

use crate::billing::{PAY, at, bill, first_households};
use crate::ledger::accounts;
use crate::tenancy::compound_id;

const ROTATE: &str = "mutation($c: ID!) { rotatePublicBoard(compoundId: $c) }";
const PATH: &str = "query($c: ID!) { publicBoardPath(compoundId: $c) }";

pub async fn publish(app: &TestApp, token: &str, compound: &str) -> String {
    let body = app.gql(Some(token), ROTATE, json!({ "c": compound })).await;
    body["data"]["rotatePublicBoard"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

pub async fn board(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(&format!("{path}/data")).await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

fn natural(accounts: &[Value], kind: &str) -> i64 {
    accounts
        .iter()
        .find(|a| a["kind"] == kind)
        .and_then(|a| a["naturalBalance"]["fen"].as_i64())
        .unwrap_or_else(|| panic!("no {kind}"))
}

fn category<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .and_then(|l| l.iter().find(|c| c["category"] == code))
        .unwrap_or_else(|| panic!("no {code} in {list}"))
}

#[tokio::test]
async fn the_board_shows_the_ledgers_figures_and_nothing_about_any_household() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-11-20T10:00:00Z"));
    let token = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    bill(&app, &token, "2026-11").await;
    let path = publish(&app, &token, &guotai).await;
    assert!(
        path.starts_with("/board/") && path.len() == "/board/".len() + 22,
        "{path}"
    );

    let (status, text) = board(&app, &path).await;
    assert_eq!(status, 200, "{text}");
    let b: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let a = accounts(&app, &token, &guotai).await;
    // The committee fund: six months of owners' shares less the ¥5,000.00 payout.
    assert_eq!(b["fund"]["balanceFen"], natural(&a, "COMMITTEE_FUND"));
    assert_eq!(b["fund"]["balanceFen"], 1_370_610);
    assert_eq!(b["fund"]["openingFen"], 0);
    assert_eq!(b["fund"]["sharesFen"], 1_870_610);
    assert_eq!(b["fund"]["payoutsFen"], 500_000);
    assert_eq!(
        b["fund"]["payouts"][0]["memo"],
        "业委会决议：补充专项维修资金"
    );
    // Common income of the closed months, as closed: the firm's shares are its account.
    assert_eq!(b["income"]["lastClosed"], "2026-10");
    let year = &b["income"]["year"];
    assert_eq!(category(year, "advertising")["grossFen"], 720_000);
    assert_eq!(category(year, "parking_temporary")["grossFen"], 1_952_295);
    let firm: i64 = year
        .as_array()
        .map(|l| l.iter().filter_map(|c| c["firmFen"].as_i64()).sum())
        .unwrap_or_default();
    assert_eq!(firm, natural(&a, "FIRM_COMMON_INCOME"));
    assert_eq!(
        category(&b["income"]["lastMonth"], "advertising")["ownersBp"],
        7000
    );
    // This month's fees agree with the collection report of the invoices.
    let report = app
        .gql(Some(&token), "query($c: ID!) { collection(compoundId: $c, from: \"2026-11\", to: \"2026-11\") { billed { fen } waived { fen } due { fen } } }", json!({ "c": guotai }))
        .await;
    let month = &report["data"]["collection"][0];
    assert_eq!(
        b["fees"]["month"]["billedFen"], month["billed"]["fen"],
        "{report}"
    );
    assert_eq!(b["fees"]["month"]["waivedFen"], month["waived"]["fen"]);
    assert_eq!(b["fees"]["month"]["collectedFen"], 0);
    assert_eq!(b["fees"]["month"]["collectionRateBp"], 0);

    // The committee sitting, and the owners' votes of the last year as counted.
    assert_eq!(
        b["committee"],
        json!([{ "name": "黄主任", "post": "chair", "body": "owners_committee", "phone": "13807720001", "termTo": "2029-05-31" }])
    );
    let votes = b["votes"].as_array().cloned().unwrap_or_default();
    assert_eq!(votes.len(), 3, "{votes:?}");
    assert_eq!(
        (votes[0]["kind"].as_str(), votes[0]["closedOn"].as_str()),
        (Some("use_maintenance_fund"), Some("2026-11-15"))
    );
    assert_eq!(
        (votes[1]["rule"].as_str(), votes[1]["outcome"].as_str()),
        (Some("three_quarters"), Some("passed"))
    );
    let took_part = |v: &Value| {
        ["yes", "no", "abstain"]
            .iter()
            .filter_map(|c| v[c]["owners"].as_i64())
            .sum::<i64>()
    };
    assert!(
        took_part(&votes[1]) * 3 >= votes[1]["roll"]["owners"].as_i64().unwrap_or(i64::MAX) * 2
    );

    // This year's budget, being implemented: each line against the ledger's figures for the
    // year so far — the same figures the board shows above — and the residents' questions.
    let budget = &b["budgets"][0];
    assert_eq!(
        (budget["year"].as_i64(), budget["stepNumber"].as_i64()),
        (Some(2026), Some(6))
    );
    let line = |c: &str| category(&budget["lines"], c).clone();
    let fees = &b["fees"]["year"];
    let due = ["billedFen", "waivedFen", "creditedFen"].map(|k| fees[k].as_i64().unwrap_or(0));
    assert_eq!(line("fees")["actualFen"], due[0] - due[1] - due[2]);
    assert_eq!(line("fees")["budgetedFen"], 10_032_000);
    assert_eq!(line("owners_share")["actualFen"], b["fund"]["sharesFen"]);
    assert!(line("guards")["actualFen"].is_null());
    assert_eq!(budget["supervisors"].as_array().map(Vec::len), Some(5));
    assert_eq!(budget["questions"].as_array().map(Vec::len), Some(2));

    // Nothing about any household: no ids, rooms or names.
    let admin = app.login("admin@demo.test").await;
    let people = app
        .gql(Some(&admin), "query($c: ID!) { households(compoundId: $c, first: 3) { edges { node { id room members { person { name } } } } } }", json!({ "c": guotai }))
        .await;
    for edge in people["data"]["households"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let n = &edge["node"];
        assert!(!text.contains(n["id"].as_str().unwrap_or("?")), "{text}");
        let name = n["members"][0]["person"]["name"].as_str().unwrap_or("?");
        assert!(!text.contains(name), "{name} on the board");
    }
    assert!(
        !text.contains("household") && !text.contains("dibao"),
        "{text}"
    );

    // A payment is a posting: the board is fresh at once.
    let household = first_households(&app, &token, &guotai, 1).await.remove(0);
    let paid = app.gql(Some(&token), PAY, json!({ "i": { "householdId": household, "amount": "28", "method": "CASH", "receiptNo": "B-1", "receivedAt": "2026-11-20T09:00:00Z", "idempotencyKey": "board-1" } })).await;
    assert!(paid["errors"].is_null(), "{paid}");
    let (_, after) = board(&app, &path).await;
    let after: Value = serde_json::from_str(&after).unwrap_or_default();
    assert_eq!(after["fees"]["month"]["collectedFen"], 2_800);

    // The poster's QR code is drawn by the server.
    let qr = app.get(&format!("{path}/qr.svg")).await;
    assert_eq!(qr.status().as_u16(), 200);
    assert!(qr.text().await.unwrap_or_default().contains("<svg"));
}

#[tokio::test]
async fn a_rotated_address_answers_404_and_only_book_keepers_rotate() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let first = publish(&app, &token, &guotai).await;
    let second = publish(&app, &token, &guotai).await;
    assert_ne!(first, second);
    for path in [
        first.as_str(),
        "/board/AAAAAAAAAAAAAAAAAAAAAA",
        "/board/short",
        "/board/%27%20OR%201=1",
    ] {
        assert_eq!(board(&app, path).await.0, 404, "{path}");
        assert_eq!(app.get(path).await.status().as_u16(), 404, "{path}");
        assert_eq!(
            app.get(&format!("{path}/qr.svg")).await.status().as_u16(),
            404,
            "{path}"
        );
    }
    assert_eq!(board(&app, &second).await.0, 200);

    let committee = app.login("committee@demo.test").await;
    let seen = app
        .gql(Some(&committee), PATH, json!({ "c": guotai }))
        .await;
    assert_eq!(seen["data"]["publicBoardPath"], json!(second), "{seen}");
    let refused = app
        .gql(Some(&committee), ROTATE, json!({ "c": guotai }))
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    let resident = app.login("resident@demo.test").await;
    let hidden = app.gql(Some(&resident), PATH, json!({ "c": guotai })).await;
    assert_eq!(error_code(&hidden), Some("FORBIDDEN"), "{hidden}");
    assert_eq!(
        board(&app, &second).await.0,
        200,
        "refusals changed nothing"
    );
}
