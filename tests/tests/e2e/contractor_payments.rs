//! Paying contractors: verified work is owed to whoever did it until the accountant records a
//! payment settling it — the compound's payable cleared from its bank or cash box, once, even
//! when the request is sent twice or two payments race for the same work.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use crate::billing::{at, verify_clean};
use crate::dispatch::{FILE, mv, ok, report_leak, residents_household};
use crate::ledger::{accounts, natural};
use crate::repair_billing::{complete, start_work};
use crate::tenancy::compound_id;

const ACCOUNT: &str = "query($c: ID!) { contractorAccount(contractorId: $c) {
    id name owed { fen }
    unpaid { id orderId orderNumber round compoundName amount { fen } verifiedAt }
    payments { id amount { fen } method reference paidAt costs { id orderNumber } } } }";

const PAY: &str = "mutation($i: PayContractorInput!) { payContractor(input: $i) {
    owed { fen } unpaid { id } payments { id amount { fen } method reference costs { id orderNumber } } } }";

/// A repair in the resident's household, borne by the compound's budget, done for `cost`
/// by the demo contractor and verified; its order id and the contractor's id.
async fn verified_repair(app: &TestApp, cost: &str) -> (String, String) {
    let resident = app.login("resident@demo.test").await;
    let dispatcher = app.login("dispatcher@demo.test").await;
    let contractor = app.login("contractor@demo.test").await;
    let household = residents_household(app, &resident).await;
    let id = report_leak(app, &resident, &household).await;
    let filing = json!({ "id": id, "i": { "trade": "PLUMBING", "priority": "URGENT", "bearer": "COMPOUND_BUDGET" } });
    ok(
        &app.gql(Some(&dispatcher), FILE, filing).await,
        "fileWorkOrder",
    );
    start_work(app, &dispatcher, &contractor, &id).await;
    ok(
        &complete(app, &contractor, &id, cost).await,
        "completeWorkOrder",
    );
    ok(
        &mv(app, &resident, "verifyWorkOrder", &id, "").await,
        "verifyWorkOrder",
    );
    let order = app
        .gql(
            Some(&dispatcher),
            "query($id: ID!) { workOrder(id: $id) { order { contractor { id } } } }",
            json!({ "id": id }),
        )
        .await;
    let by = order["data"]["workOrder"]["order"]["contractor"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{order}"))
        .to_owned();
    (id, by)
}

fn pay_input(contractor: &str, costs: Value, key: &str) -> Value {
    json!({ "i": { "contractorId": contractor, "costIds": costs, "method": "BANK_TRANSFER",
                   "reference": "转账 20261210-01", "paidAt": "2026-12-10T03:00:00Z", "idempotencyKey": key } })
}

fn refused_as(body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(body), Some(code), "{body}");
    if let Some(f) = field {
        assert_eq!(error_field(body), Some(f), "{body}");
    }
    assert!(body["data"].is_null(), "{body}");
}

#[tokio::test]
async fn verified_work_is_owed_until_paid_once_from_the_compounds_bank() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let (order, contractor) = verified_repair(&app, "120").await;
    let accountant = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let before = accounts(&app, &accountant, &guotai).await;
    assert_eq!(
        natural(&before, "CONTRACTOR_PAYABLE"),
        12_000,
        "owed once verified"
    );

    let account = app
        .gql(Some(&accountant), ACCOUNT, json!({ "c": contractor }))
        .await;
    let owed = ok(&account, "contractorAccount");
    assert_eq!(owed["owed"]["fen"], 12_000, "{account}");
    let unpaid = owed["unpaid"].as_array().cloned().unwrap_or_default();
    assert_eq!(unpaid.len(), 1, "{account}");
    assert_eq!(unpaid[0]["orderId"], json!(order));
    assert_eq!(unpaid[0]["compoundName"], "国泰花园");
    assert_eq!(unpaid[0]["amount"]["fen"], 12_000);
    let cost = unpaid[0]["id"].clone();

    let paid = app
        .gql(
            Some(&accountant),
            PAY,
            pay_input(&contractor, json!([cost]), "pay-1"),
        )
        .await;
    let after = ok(&paid, "payContractor");
    assert_eq!(after["owed"]["fen"], 0, "{paid}");
    assert_eq!(after["unpaid"], json!([]));
    assert_eq!(after["payments"][0]["amount"]["fen"], 12_000);
    assert_eq!(after["payments"][0]["method"], "BANK_TRANSFER");
    assert_eq!(after["payments"][0]["costs"][0]["id"], cost);
    let books = accounts(&app, &accountant, &guotai).await;
    assert_eq!(
        natural(&books, "CONTRACTOR_PAYABLE"),
        0,
        "the payable is cleared"
    );
    assert_eq!(
        natural(&books, "BANK"),
        natural(&before, "BANK") - 12_000,
        "from the bank"
    );
    assert_eq!(
        natural(&books, "CASH_ON_HAND"),
        natural(&before, "CASH_ON_HAND")
    );

    // Sent again: the same payment, nothing more written. Paid again under a new key: refused.
    let again = app
        .gql(
            Some(&accountant),
            PAY,
            pay_input(&contractor, json!([cost]), "pay-1"),
        )
        .await;
    assert_eq!(
        ok(&again, "payContractor")["payments"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let twice = app
        .gql(
            Some(&accountant),
            PAY,
            pay_input(&contractor, json!([cost]), "pay-2"),
        )
        .await;
    refused_as(&twice, "CONFLICT", Some("costIds"));
    let reused = app
        .gql(
            Some(&accountant),
            PAY,
            pay_input(&contractor, json!([]), "pay-1"),
        )
        .await;
    refused_as(&reused, "BAD_USER_INPUT", Some("costIds"));
    assert_eq!(
        natural(&accounts(&app, &accountant, &guotai).await, "BANK"),
        natural(&books, "BANK")
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_payment_is_refused_with_the_field_named_and_nothing_written() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let (_, contractor) = verified_repair(&app, "80").await;
    let accountant = app.login("accountant@demo.test").await;
    let account = app
        .gql(Some(&accountant), ACCOUNT, json!({ "c": contractor }))
        .await;
    let cost = ok(&account, "contractorAccount")["unpaid"][0]["id"].clone();
    let with = |change: &dyn Fn(&mut Value)| {
        let mut v = pay_input(&contractor, json!([cost]), "bad");
        change(&mut v["i"]);
        v
    };
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "no costs",
            with(&|i| i["costIds"] = json!([])),
            "BAD_USER_INPUT",
            "costIds",
        ),
        (
            "a cost twice",
            with(&|i| i["costIds"] = json!([cost, cost])),
            "BAD_USER_INPUT",
            "costIds",
        ),
        (
            "not an id",
            with(&|i| i["costIds"] = json!(["x"])),
            "BAD_USER_INPUT",
            "costIds",
        ),
        (
            "an unknown cost",
            with(&|i| i["costIds"] = json!([uuid::Uuid::now_v7()])),
            "NOT_FOUND",
            "",
        ),
        (
            "no reference",
            with(&|i| i["reference"] = json!("  ")),
            "BAD_USER_INPUT",
            "reference",
        ),
        (
            "a huge reference",
            with(&|i| i["reference"] = json!("号".repeat(65))),
            "BAD_USER_INPUT",
            "reference",
        ),
        (
            "paid next week",
            with(&|i| i["paidAt"] = json!("2026-12-17T00:00:00Z")),
            "BAD_USER_INPUT",
            "paidAt",
        ),
        (
            "paid in 1850",
            with(&|i| i["paidAt"] = json!("1850-01-01T00:00:00Z")),
            "BAD_USER_INPUT",
            "paidAt",
        ),
        (
            "an empty key",
            with(&|i| i["idempotencyKey"] = json!("")),
            "BAD_USER_INPUT",
            "idempotencyKey",
        ),
        (
            "an unknown contractor",
            with(&|i| i["contractorId"] = json!(uuid::Uuid::now_v7())),
            "NOT_FOUND",
            "",
        ),
    ];
    for (what, input, code, field) in cases {
        let body = app.gql(Some(&accountant), PAY, input).await;
        assert_eq!(error_code(&body), Some(code), "{what}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), Some(field), "{what}: {body}");
        }
    }
    // Another contractor's work is not theirs to be paid for.
    let contractors = app
        .gql(Some(&accountant), "{ contractors { id } }", json!({}))
        .await;
    let other = contractors["data"]["contractors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str())
        .find(|c| *c != contractor)
        .unwrap_or_else(|| panic!("{contractors}"))
        .to_owned();
    let wrong = app
        .gql(
            Some(&accountant),
            PAY,
            pay_input(&other, json!([cost]), "other"),
        )
        .await;
    refused_as(&wrong, "NOT_FOUND", None);
    // Only those who keep the books pay; they and the contractor read the account, no one
    // else — not the dispatcher, and not another contractor's.
    for who in [
        "dispatcher@demo.test",
        "contractor@demo.test",
        "resident@demo.test",
    ] {
        let token = app.login(who).await;
        let pay = app
            .gql(
                Some(&token),
                PAY,
                pay_input(&contractor, json!([cost]), who),
            )
            .await;
        refused_as(&pay, "FORBIDDEN", None);
        let read = app
            .gql(Some(&token), ACCOUNT, json!({ "c": contractor }))
            .await;
        if who == "contractor@demo.test" {
            assert_eq!(
                ok(&read, "contractorAccount")["owed"]["fen"],
                8_000,
                "their own"
            );
            let theirs = app.gql(Some(&token), ACCOUNT, json!({ "c": other })).await;
            refused_as(&theirs, "FORBIDDEN", None);
        } else {
            refused_as(&read, "FORBIDDEN", None);
        }
    }
    let still = app
        .gql(Some(&accountant), ACCOUNT, json!({ "c": contractor }))
        .await;
    assert_eq!(
        ok(&still, "contractorAccount")["owed"]["fen"],
        8_000,
        "nothing was paid"
    );
    assert_eq!(ok(&still, "contractorAccount")["payments"], json!([]));
}

/// Two accountants pay the same work at once: one payment commits, the other is refused.
#[tokio::test]
async fn two_payments_racing_for_the_same_work_settle_it_once() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let (_, contractor) = verified_repair(&app, "50").await;
    let accountant = app.login("accountant@demo.test").await;
    let account = app
        .gql(Some(&accountant), ACCOUNT, json!({ "c": contractor }))
        .await;
    let cost = ok(&account, "contractorAccount")["unpaid"][0]["id"].clone();
    let (a, b) = tokio::join!(
        app.gql(
            Some(&accountant),
            PAY,
            pay_input(&contractor, json!([cost]), "race-a")
        ),
        app.gql(
            Some(&accountant),
            PAY,
            pay_input(&contractor, json!([cost]), "race-b")
        ),
    );
    let refused: Vec<&Value> = [&a, &b]
        .into_iter()
        .filter(|r| r["errors"].is_array())
        .collect();
    assert_eq!(refused.len(), 1, "{a}\n{b}");
    assert_eq!(error_code(refused[0]), Some("CONFLICT"), "{}", refused[0]);
    let after = app
        .gql(Some(&accountant), ACCOUNT, json!({ "c": contractor }))
        .await;
    assert_eq!(
        ok(&after, "contractorAccount")["payments"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    verify_clean(&app).await;
}
