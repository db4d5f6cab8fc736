//! Receipts (the months paid, the payer, the collector) and the office a firm tells its
//! residents to pay at when online payment is off.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use crate::billing::{at, bill, first_households};
use crate::tenancy::compound_id;

const RECEIPT: &str = "query($p: ID!) { receipt(paymentId: $p) { payment { id payer amount { fen } } months { period amount { fen } } collector } }";
const PAY: &str = "mutation($i: PaymentInput!) { recordPayment(input: $i) { id payer } }";

fn payment(household: &str, amount: &str, key: &str, payer: Option<&str>) -> Value {
    json!({ "i": { "householdId": household, "amount": amount, "method": "CASH", "receiptNo": format!("R-{key}"),
                   "receivedAt": "2026-11-20T10:00:00Z", "idempotencyKey": key, "payer": payer } })
}

fn expect(body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(body), Some(code), "{body}");
    assert_eq!(error_field(body), field, "{body}");
}

#[tokio::test]
async fn a_receipt_names_the_months_paid_the_payer_and_the_collector() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-11-20T10:00:00Z"));
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-10").await;
    bill(&app, &accountant, "2026-11").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let h = first_households(&app, &accountant, &guotai, 5).await[4].clone();
    // ¥70 pays October and November (¥28 each) and holds ¥14 as credit.
    let paid = app
        .gql(
            Some(&accountant),
            PAY,
            payment(&h, "70", "k1", Some(" 张大爷 ")),
        )
        .await;
    assert_eq!(paid["data"]["recordPayment"]["payer"], "张大爷", "{paid}");
    let id = paid["data"]["recordPayment"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let receipt = app
        .gql(Some(&accountant), RECEIPT, json!({ "p": id }))
        .await;
    let r = &receipt["data"]["receipt"];
    assert_eq!(r["payment"]["payer"], "张大爷", "{receipt}");
    assert_eq!(r["collector"], "李会计", "{receipt}");
    let mut months: Vec<(Value, i64)> = r["months"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            (
                m["period"].clone(),
                m["amount"]["fen"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    months.sort_by_key(|(p, _)| p.as_str().unwrap_or("9999").to_owned());
    assert_eq!(
        months,
        vec![
            (json!("2026-10"), 2_800),
            (json!("2026-11"), 2_800),
            (Value::Null, 1_400)
        ],
        "{receipt}"
    );
    // No payer written down: none on the receipt.
    let other = first_households(&app, &accountant, &guotai, 6).await[5].clone();
    let plain = app
        .gql(
            Some(&accountant),
            PAY,
            payment(&other, "28", "k2", Some("  ")),
        )
        .await;
    assert!(plain["data"]["recordPayment"]["payer"].is_null(), "{plain}");
}

#[tokio::test]
async fn a_receipt_is_only_for_its_household_and_the_firms_book_keepers() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-11-20T10:00:00Z"));
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-11").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let h = first_households(&app, &accountant, &guotai, 5).await[4].clone();
    let paid = app
        .gql(Some(&accountant), PAY, payment(&h, "28", "k3", None))
        .await;
    let id = paid["data"]["recordPayment"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Another household's resident, another firm, staff without the books: not there.
    for who in [
        "resident@demo.test",
        "admin@rival.test",
        "dispatcher@demo.test",
    ] {
        let token = app.login(who).await;
        let body = app.gql(Some(&token), RECEIPT, json!({ "p": id })).await;
        expect(&body, "NOT_FOUND", None);
    }
    for (bad, code, field) in [
        ("not-an-id", "BAD_USER_INPUT", Some("paymentId")),
        ("00000000-0000-7000-8000-000000000000", "NOT_FOUND", None),
    ] {
        let body = app
            .gql(Some(&accountant), RECEIPT, json!({ "p": bad }))
            .await;
        expect(&body, code, field);
    }
}

#[tokio::test]
async fn a_payer_name_that_is_too_long_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-11-20T10:00:00Z"));
    let accountant = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let h = first_households(&app, &accountant, &guotai, 1).await[0].clone();
    let before = app.count("SELECT count(*) FROM payments").await;
    let long = "张".repeat(101);
    for payer in [long.as_str(), "a\u{7}b"] {
        let body = app
            .gql(Some(&accountant), PAY, payment(&h, "28", "k4", Some(payer)))
            .await;
        expect(&body, "BAD_USER_INPUT", Some("payer"));
    }
    assert_eq!(app.count("SELECT count(*) FROM payments").await, before);
}

const OFFICE: &str = "{ me { tenant { slug office { address hours phone bank } } } }";
const SET_OFFICE: &str = "mutation($i: OfficeInput!) { setOfficeInfo(input: $i) { office { address hours phone bank } } }";

#[tokio::test]
async fn the_admin_tells_residents_how_to_pay_at_the_office() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let resident = app.login("resident@demo.test").await;
    let none = app.gql(Some(&resident), OFFICE, json!({})).await;
    assert_eq!(
        none["data"]["me"]["tenant"]["office"],
        json!({ "address": null, "hours": null, "phone": null, "bank": null })
    );
    let office = json!({ "address": " 驾鹤路 1 号物业服务中心 ", "hours": "周一至周六 8:30–17:30", "phone": "0772-1234567", "bank": "" });
    let set = app
        .gql(Some(&admin), SET_OFFICE, json!({ "i": office }))
        .await;
    assert!(set["errors"].is_null(), "{set}");
    let seen = app.gql(Some(&resident), OFFICE, json!({})).await;
    assert_eq!(
        seen["data"]["me"]["tenant"]["office"],
        json!({ "address": "驾鹤路 1 号物业服务中心", "hours": "周一至周六 8:30–17:30", "phone": "0772-1234567", "bank": null }),
        "trimmed, and an empty part unset"
    );
    // Another firm's residents and office are untouched.
    let rival = app.login("admin@rival.test").await;
    let theirs = app.gql(Some(&rival), OFFICE, json!({})).await;
    assert!(
        theirs["data"]["me"]["tenant"]["office"]["address"].is_null(),
        "{theirs}"
    );
}

#[tokio::test]
async fn only_the_admin_sets_the_office_and_bad_text_names_its_field() {
    let app = TestApp::spawn().await;
    let accountant = app.login("accountant@demo.test").await;
    let body = app
        .gql(
            Some(&accountant),
            SET_OFFICE,
            json!({ "i": { "address": "x" } }),
        )
        .await;
    expect(&body, "FORBIDDEN", None);
    let admin = app.login("admin@demo.test").await;
    let long = "x".repeat(501);
    for (input, field) in [
        (json!({ "bank": long }), "bank"),
        (json!({ "phone": "01\u{0}2" }), "phone"),
        (json!({ "hours": "8:30\u{7}" }), "hours"),
    ] {
        let body = app
            .gql(Some(&admin), SET_OFFICE, json!({ "i": input }))
            .await;
        expect(&body, "BAD_USER_INPUT", Some(field));
    }
    let seen = app.gql(Some(&admin), OFFICE, json!({})).await;
    assert!(
        seen["data"]["me"]["tenant"]["office"]["bank"].is_null(),
        "nothing written: {seen}"
    );
}
