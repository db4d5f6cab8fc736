//! The arrears list: households owing the most first, a page at a time, across the firm, a
//! bundle or a compound; what it shows agrees with the ledger and with the compound's arrears.

use std::collections::BTreeSet;

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use super::billing::{ACCOUNT, PAY, at, bill, first_households, pay_input};
use super::tenancy::compound_id;

const LIST: &str = "query($b: ID, $c: ID, $n: Int, $after: String, $asOf: NaiveDate) {
    arrearsList(bundleId: $b, compoundId: $c, first: $n, after: $after, asOf: $asOf) {
      edges { cursor node { householdId compoundId compoundName building unit room owed { fen }
        aged { total { fen } days0To30 { fen } days31To90 { fen } days91To180 { fen } oldestPeriod } } }
      pageInfo { hasNextPage endCursor } } }";

/// Every row of the list `vars` asks for, `n` a page.
async fn all_pages(app: &TestApp, token: &str, vars: &Value, n: i64) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut v = vars.clone();
        v["n"] = json!(n);
        v["after"] = after;
        let body = app.gql(Some(token), LIST, v).await;
        let list = &body["data"]["arrearsList"];
        let edges = list["edges"].as_array().unwrap_or_else(|| panic!("{body}"));
        assert!(edges.len() as i64 <= n, "a page longer than asked: {body}");
        rows.extend(edges.iter().map(|e| e["node"].clone()));
        if list["pageInfo"]["hasNextPage"] != true {
            return rows;
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
}

fn fen(v: &Value) -> i64 {
    v["fen"].as_i64().unwrap_or_else(|| panic!("no fen in {v}"))
}

fn ids(rows: &[Value]) -> BTreeSet<String> {
    rows.iter()
        .map(|r| r["householdId"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn balance(app: &TestApp, token: &str, household: &str) -> i64 {
    let body = app
        .gql(Some(token), ACCOUNT, json!({ "h": household }))
        .await;
    fen(&body["data"]["householdAccount"]["balance"])
}

#[tokio::test]
async fn the_arrears_list_ranks_the_most_owed_first_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let token = app.login("accountant@demo.test").await;
    for period in ["2026-10", "2026-11"] {
        let run = bill(&app, &token, period).await;
        assert!(run["errors"].is_null(), "{run}");
    }
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let hs = first_households(&app, &token, &guotai, 10).await;
    // One household pays everything, another ¥1 of its oldest invoice.
    let (paid_up, part_paid) = (&hs[8], &hs[9]);
    let owed = balance(&app, &token, paid_up).await;
    let yuan = format!("{}.{:02}", owed / 100, owed % 100);
    let paid = app
        .gql(Some(&token), PAY, pay_input(paid_up, &yuan, "all"))
        .await;
    assert!(paid["errors"].is_null(), "{paid}");
    let before = balance(&app, &token, part_paid).await;
    let paid = app
        .gql(Some(&token), PAY, pay_input(part_paid, "1", "one"))
        .await;
    assert!(paid["errors"].is_null(), "{paid}");

    let firm = all_pages(&app, &token, &json!({}), 7).await;
    assert_eq!(
        firm,
        all_pages(&app, &token, &json!({}), 50).await,
        "pages of 7 and of 50 list the same rows in the same order"
    );
    assert_eq!(ids(&firm).len(), firm.len(), "a household listed twice");
    for pair in firm.windows(2) {
        let (a, b) = (fen(&pair[0]["owed"]), fen(&pair[1]["owed"]));
        assert!(
            a > b || (a == b && pair[0]["householdId"].as_str() > pair[1]["householdId"].as_str()),
            "out of order: {pair:?}"
        );
    }
    // What the list shows is what the ledger's receivables say is owed, row by row and in all.
    let in_ledger = app
        .count(
            "SELECT CAST(COALESCE(SUM(a.balance), 0) AS BIGINT) FROM ledger_accounts a \
             JOIN tenants t ON t.id = a.tenant_id \
             WHERE t.slug = 'demo' AND a.household_id IS NOT NULL AND a.balance > 0",
        )
        .await;
    assert_eq!(firm.iter().map(|r| fen(&r["owed"])).sum::<i64>(), in_ledger);
    for r in &firm {
        assert!(fen(&r["owed"]) > 0, "{r}");
        assert_eq!(
            fen(&r["aged"]["total"]),
            fen(&r["owed"]),
            "no credit held: {r}"
        );
        assert!(!r["room"].as_str().unwrap_or_default().is_empty(), "{r}");
    }
    assert!(
        !ids(&firm).contains(paid_up.as_str()),
        "paid up, yet listed"
    );
    let row = firm
        .iter()
        .find(|r| r["householdId"] == part_paid.as_str())
        .unwrap_or_else(|| panic!("{part_paid} owes, yet is not listed"));
    assert_eq!(fen(&row["owed"]), before - 100);
    assert_eq!(row["compoundName"], "国泰花园");
    assert_eq!(
        row["aged"]["oldestPeriod"], "2026-10",
        "¥1 leaves October open"
    );
    // On 2026-12-10 November is 10 days past, October 40.
    assert_eq!(
        fen(&row["aged"]["days0To30"]) + fen(&row["aged"]["days31To90"]),
        fen(&row["owed"])
    );

    // A compound's list is the firm's rows of that compound, and the compound's arrears.
    let own = all_pages(&app, &token, &json!({ "c": guotai }), 50).await;
    let expected: Vec<&Value> = firm
        .iter()
        .filter(|r| r["compoundId"] == guotai.as_str())
        .collect();
    assert_eq!(own.iter().collect::<Vec<_>>(), expected);
    let arrears = app
        .gql(
            Some(&token),
            "query($c: ID!) { arrears(compoundId: $c) { householdId total { fen } } }",
            json!({ "c": guotai }),
        )
        .await;
    let arrears = arrears["data"]["arrears"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(ids(&arrears), ids(&own));

    // A bundle's: the firm's rows of its compounds.
    let bundle = app
        .gql(Some(&token), "query($c: ID!) { compound(id: $c) { bundle { id compounds(first: 100) { edges { node { id } } } } } }", json!({ "c": guotai }))
        .await;
    let b = &bundle["data"]["compound"]["bundle"];
    let members: BTreeSet<&str> = b["compounds"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{bundle}"))
        .iter()
        .filter_map(|c| c["node"]["id"].as_str())
        .collect();
    let in_bundle = all_pages(&app, &token, &json!({ "b": b["id"] }), 50).await;
    let expected: Vec<&Value> = firm
        .iter()
        .filter(|r| members.contains(r["compoundId"].as_str().unwrap_or_default()))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(in_bundle.iter().collect::<Vec<_>>(), expected);

    // Aged as of a later day, the same debts are older.
    let later = all_pages(
        &app,
        &token,
        &json!({ "c": guotai, "asOf": "2027-03-15" }),
        50,
    )
    .await;
    assert!(
        later
            .iter()
            .all(|r| fen(&r["aged"]["days91To180"]) == fen(&r["owed"])),
        "{later:?}"
    );

    // Another firm's list holds none of these households.
    let rival = app.login("admin@rival.test").await;
    let theirs = all_pages(&app, &rival, &json!({}), 50).await;
    assert!(ids(&theirs).is_disjoint(&ids(&firm)));
}

#[tokio::test]
async fn the_arrears_list_refuses_bad_pages_and_people_without_the_books() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let cases = [
        (json!({ "n": 0 }), "first"),
        (json!({ "n": -1 }), "first"),
        (json!({ "n": 101 }), "first"),
        (json!({ "after": "not-a-cursor" }), "after"),
        (json!({ "after": "AAAA" }), "after"),
        (json!({ "c": "nope" }), "compoundId"),
        (json!({ "b": "nope" }), "bundleId"),
        (json!({ "b": guotai, "c": guotai }), "compoundId"),
        (json!({ "asOf": "1899-12-31" }), "asOf"),
    ];
    for (vars, field) in cases {
        let body = app.gql(Some(&token), LIST, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
        assert_eq!(error_field(&body), Some(field), "{vars}: {body}");
    }
    let unknown = json!({ "c": uuid::Uuid::now_v7().to_string() });
    let body = app.gql(Some(&token), LIST, unknown).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    for who in [
        "resident@demo.test",
        "committee@demo.test",
        "dispatcher@demo.test",
        "grid@demo.test",
    ] {
        let other = app.login(who).await;
        let body = app.gql(Some(&other), LIST, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{who}: {body}");
        assert!(
            body["data"].is_null() || body["data"]["arrearsList"].is_null(),
            "{who}: {body}"
        );
    }
}
