//! Advertising contracts through the API: a contract over two compounds, its instalments
//! and overdue months, payments shared among the compounds exactly and recorded as each
//! one's advertising income, renewal, early termination, bad input and who may do what.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use crate::billing::at;
use crate::tenancy::compound_id;

pub const SIGN: &str =
    "mutation($i: AdvertisingContractInput!) { signAdvertisingContract(input: $i) { id } }";
const CONTRACT: &str = "id number advertiser licenceNo pricing price { fen } from to dueDay status allocationKey
    terminationReason placements { compoundId compoundName kind location quantity } weights { compoundId weight }
    instalments { seq period dueOn amount { fen } paid { fen } state }
    payments { amount { fen } method shares { compoundId amount { fen } incomeRecordId } }
    paid { fen } outstanding { fen } overdue { fen }";
const PAY: &str = "mutation($i: AdPaymentInput!) { recordAdvertisingPayment(input: $i) { paid { fen } outstanding { fen } } }";
const LIST: &str = "query($c: ID!) { advertisingContracts(compoundId: $c) { id number } }";

/// A contract on `compounds` (two lift panels in the first, one outdoor board in each
/// other), 2026-10 to 2027-03 at 1000 yuan a month, due on the 5th, shared by placements.
pub fn contract_on(compounds: &[&str], number: &str) -> Value {
    let placements: Vec<Value> = compounds
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                json!({ "compoundId": c, "kind": "LIFT_PANEL", "location": "1栋电梯", "quantity": 2 })
            } else {
                json!({ "compoundId": c, "kind": "OUTDOOR_BOARD", "quantity": 1 })
            }
        })
        .collect();
    json!({ "i": { "number": number, "advertiser": "桂林某传媒有限公司", "contact": "0773-1234567",
                   "licenceNo": "91450300MA5K123456", "placements": placements, "from": "2026-10", "to": "2027-03",
                   "pricing": "MONTHLY", "price": "1000", "dueDay": 5, "allocationKey": "PLACEMENTS" } })
}

fn expect(body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(body), Some(code), "{body}");
    assert_eq!(error_field(body), field, "{body}");
}

/// The accountant's token and two compounds of the demo firm, on 2026-12-10.
async fn setup(app: &TestApp) -> (String, String, String) {
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let token = app.login("accountant@demo.test").await;
    let a = compound_id(app, &token, "燎原新村").await;
    let b = compound_id(app, &token, "国泰花园").await;
    (token, a, b)
}

async fn sign(app: &TestApp, token: &str, vars: Value) -> String {
    let body = app.gql(Some(token), SIGN, vars).await;
    body["data"]["signAdvertisingContract"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn read(app: &TestApp, token: &str, id: &str) -> Value {
    let q = format!("query($id: ID!) {{ advertisingContract(id: $id) {{ {CONTRACT} }} }}");
    let body = app.gql(Some(token), &q, json!({ "id": id })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["advertisingContract"].clone()
}

fn pay(contract: &str, amount: &str, key: &str) -> Value {
    json!({ "i": { "contractId": contract, "amount": amount, "receivedOn": "2026-12-08",
                   "method": "BANK_TRANSFER", "idempotencyKey": key } })
}

fn fen(v: &Value) -> i64 {
    v["fen"].as_i64().unwrap_or_else(|| panic!("no fen in {v}"))
}

/// The advertising income recorded for a compound in December 2026.
async fn december_advertising(app: &TestApp, token: &str, compound: &str) -> Vec<i64> {
    let q = "query($c: ID!) { commonIncomeMonth(compoundId: $c, period: \"2026-12\") { records { category amount { fen } reference payer } } }";
    let body = app.gql(Some(token), q, json!({ "c": compound })).await;
    body["data"]["commonIncomeMonth"]["records"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter(|r| r["category"] == "ADVERTISING" && r["reference"] == "粤-广告-001")
        .map(|r| fen(&r["amount"]))
        .collect()
}

#[tokio::test]
async fn a_payment_settles_the_oldest_months_and_is_shared_by_placements_to_the_fen() {
    let app = TestApp::spawn().await;
    let (token, a, b) = setup(&app).await;
    let id = sign(&app, &token, contract_on(&[&a, &b], "粤-广告-001")).await;
    let c = read(&app, &token, &id).await;
    assert_eq!(c["status"], "ACTIVE");
    assert_eq!(c["instalments"].as_array().map(Vec::len), Some(6));
    assert_eq!(c["instalments"][2]["dueOn"], "2026-12-05");
    // October, November and December fell due on the 5th and are unpaid.
    assert_eq!(fen(&c["overdue"]), 300_000);
    assert_eq!(fen(&c["outstanding"]), 600_000);
    let weight = |c: &Value, id: &str| {
        c["weights"]
            .as_array()
            .and_then(|ws| ws.iter().find(|w| w["compoundId"] == id))
            .and_then(|w| w["weight"].as_u64())
            .unwrap_or_else(|| panic!("{c}"))
    };
    assert_eq!((weight(&c, &a), weight(&c, &b)), (2, 1));

    // 1000.01 yuan by weights 2 : 1 — 666.67 and 333.34, the odd fen by largest remainder.
    let body = app
        .gql(Some(&token), PAY, pay(&id, "1000.01", "ad-pay-1"))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let c = read(&app, &token, &id).await;
    assert_eq!(fen(&c["paid"]), 100_001);
    assert_eq!(fen(&c["outstanding"]), 499_999);
    assert_eq!(fen(&c["overdue"]), 199_999);
    assert_eq!(c["instalments"][0]["state"], "PAID");
    assert_eq!(fen(&c["instalments"][1]["paid"]), 1);
    assert_eq!(c["instalments"][1]["state"], "OVERDUE");
    assert_eq!(c["instalments"][3]["state"], "OPEN");
    let shares = &c["payments"][0]["shares"];
    let share = |id: &str| {
        shares
            .as_array()
            .and_then(|s| s.iter().find(|s| s["compoundId"] == id))
            .map(|s| fen(&s["amount"]))
            .unwrap_or_else(|| panic!("{shares}"))
    };
    assert_eq!((share(&a), share(&b)), (66_667, 33_334));
    // Each share is that compound's advertising income of the month it was received.
    assert_eq!(december_advertising(&app, &token, &a).await, vec![66_667]);
    assert_eq!(december_advertising(&app, &token, &b).await, vec![33_334]);

    // The same key again changes nothing; with another amount it is refused.
    let again = app
        .gql(Some(&token), PAY, pay(&id, "1000.01", "ad-pay-1"))
        .await;
    assert_eq!(
        fen(&again["data"]["recordAdvertisingPayment"]["paid"]),
        100_001,
        "{again}"
    );
    let other = app.gql(Some(&token), PAY, pay(&id, "5", "ad-pay-1")).await;
    expect(&other, "CONFLICT", Some("idempotencyKey"));
    // Never more than is owed.
    let above = app
        .gql(Some(&token), PAY, pay(&id, "5000.00", "ad-pay-2"))
        .await;
    expect(&above, "BAD_USER_INPUT", Some("amount"));
    let zero = app.gql(Some(&token), PAY, pay(&id, "0", "ad-pay-3")).await;
    expect(&zero, "BAD_USER_INPUT", Some("amount"));
    assert_eq!(december_advertising(&app, &token, &a).await, vec![66_667]);
    assert_eq!(fen(&read(&app, &token, &id).await["paid"]), 100_001);
}

#[tokio::test]
async fn households_as_the_key_weigh_each_compound_by_its_households_when_signed() {
    let app = TestApp::spawn().await;
    let (token, a, b) = setup(&app).await;
    let mut vars = contract_on(&[&a, &b], "粤-广告-002");
    vars["i"]["allocationKey"] = json!("HOUSEHOLDS");
    let id = sign(&app, &token, vars).await;
    let c = read(&app, &token, &id).await;
    let count = |c: &str| {
        let app = &app;
        let token = &token;
        let c = c.to_owned();
        async move {
            let q = "query($c: ID!) { compound(id: $c) { householdCount } }";
            let body = app.gql(Some(token), q, json!({ "c": c })).await;
            body["data"]["compound"]["householdCount"]
                .as_u64()
                .unwrap_or_else(|| panic!("{body}"))
        }
    };
    let (ha, hb) = (count(&a).await, count(&b).await);
    assert!(ha > 0 && hb > 0);
    let weights: Vec<(String, u64)> = c["weights"]
        .as_array()
        .unwrap_or_else(|| panic!("{c}"))
        .iter()
        .map(|w| {
            (
                w["compoundId"].as_str().unwrap_or("").to_owned(),
                w["weight"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        weights.contains(&(a.clone(), ha)) && weights.contains(&(b.clone(), hb)),
        "{c}"
    );
    let body = app
        .gql(Some(&token), PAY, pay(&id, "777.77", "ad-hh-1"))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let c = read(&app, &token, &id).await;
    let total: i64 = c["payments"][0]["shares"]
        .as_array()
        .unwrap_or_else(|| panic!("{c}"))
        .iter()
        .map(|s| fen(&s["amount"]))
        .sum();
    assert_eq!(total, 77_777, "every fen of the payment is shared out");
}

#[tokio::test]
async fn a_contract_renews_and_ends_early_but_never_behind_what_was_paid() {
    let app = TestApp::spawn().await;
    let (token, a, _) = setup(&app).await;
    let id = sign(&app, &token, contract_on(&[&a], "粤-广告-003")).await;
    let renew = "mutation($id: ID!, $to: String!, $p: String) { renewAdvertisingContract(contractId: $id, to: $to, price: $p) { to price { fen } instalments { period amount { fen } } } }";
    let body = app
        .gql(
            Some(&token),
            renew,
            json!({ "id": id, "to": "2027-06", "p": "1200" }),
        )
        .await;
    let r = &body["data"]["renewAdvertisingContract"];
    assert_eq!(r["to"], "2027-06", "{body}");
    assert_eq!(r["instalments"].as_array().map(Vec::len), Some(9));
    assert_eq!(fen(&r["instalments"][5]["amount"]), 100_000);
    assert_eq!(fen(&r["instalments"][6]["amount"]), 120_000);
    let shorter = app
        .gql(
            Some(&token),
            renew,
            json!({ "id": id, "to": "2027-01", "p": null }),
        )
        .await;
    expect(&shorter, "BAD_USER_INPUT", Some("to"));

    // Three months paid: ending after November would leave a month paid for and not given.
    let body = app
        .gql(Some(&token), PAY, pay(&id, "3000", "ad-end-1"))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let end = "mutation($id: ID!, $last: String!, $r: String!) { terminateAdvertisingContract(contractId: $id, lastPeriod: $last, reason: $r) { status to terminationReason instalments { period } outstanding { fen } } }";
    let early = app
        .gql(
            Some(&token),
            end,
            json!({ "id": id, "last": "2026-11", "r": "广告商经营困难" }),
        )
        .await;
    expect(&early, "CONFLICT", Some("lastPeriod"));
    let no_reason = app
        .gql(
            Some(&token),
            end,
            json!({ "id": id, "last": "2027-01", "r": " " }),
        )
        .await;
    expect(&no_reason, "BAD_USER_INPUT", Some("reason"));
    let outside = app
        .gql(
            Some(&token),
            end,
            json!({ "id": id, "last": "2027-09", "r": "x" }),
        )
        .await;
    expect(&outside, "BAD_USER_INPUT", Some("lastPeriod"));
    let body = app
        .gql(
            Some(&token),
            end,
            json!({ "id": id, "last": "2027-01", "r": "广告商经营困难" }),
        )
        .await;
    let t = &body["data"]["terminateAdvertisingContract"];
    assert_eq!(t["status"], "TERMINATED", "{body}");
    assert_eq!(t["to"], "2027-01");
    assert_eq!(t["instalments"].as_array().map(Vec::len), Some(4));
    assert_eq!(fen(&t["outstanding"]), 100_000);
    assert_eq!(t["terminationReason"], "广告商经营困难");
    let after = app
        .gql(
            Some(&token),
            renew,
            json!({ "id": id, "to": "2027-12", "p": null }),
        )
        .await;
    expect(&after, "CONFLICT", Some("contractId"));
    // What is still owed can still be paid.
    let body = app
        .gql(Some(&token), PAY, pay(&id, "1000", "ad-end-2"))
        .await;
    assert_eq!(
        fen(&body["data"]["recordAdvertisingPayment"]["outstanding"]),
        0,
        "{body}"
    );
}

#[tokio::test]
async fn bad_contracts_are_refused_naming_the_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (token, a, b) = setup(&app).await;
    let base = contract_on(&[&a], "粤-广告-004");
    let with = |path: &[&str], v: Value| {
        let mut vars = base.clone();
        let mut at = &mut vars["i"];
        for (i, p) in path.iter().enumerate() {
            if i + 1 == path.len() {
                at[*p] = v.clone();
            } else {
                at = if let Ok(n) = p.parse::<usize>() {
                    &mut at[n]
                } else {
                    &mut at[*p]
                };
            }
        }
        vars
    };
    let cases = [
        (with(&["to"], json!("2026-09")), "to"),
        (with(&["price"], json!("0")), "price"),
        (with(&["price"], json!("-5")), "price"),
        (with(&["price"], json!("99999999999999999")), "price"),
        (with(&["dueDay"], json!(29)), "dueDay"),
        (with(&["dueDay"], json!(0)), "dueDay"),
        (with(&["placements"], json!([])), "placements"),
        (with(&["placements", "0", "quantity"], json!(0)), "quantity"),
        (with(&["licenceNo"], json!("ABC")), "licenceNo"),
        (with(&["advertiser"], json!("  ")), "advertiser"),
        (with(&["number"], json!("")), "number"),
        (with(&["from"], json!("2026-13")), "from"),
    ];
    for (vars, field) in cases {
        let body = app.gql(Some(&token), SIGN, vars).await;
        expect(&body, "BAD_USER_INPUT", Some(field));
    }
    let unknown = with(
        &["placements", "0", "compoundId"],
        json!(uuid::Uuid::nil().to_string()),
    );
    let body = app.gql(Some(&token), SIGN, unknown).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let listed = app.gql(Some(&token), LIST, json!({ "c": a })).await;
    assert_eq!(
        listed["data"]["advertisingContracts"],
        json!([]),
        "{listed}"
    );

    sign(&app, &token, base.clone()).await;
    let twice = app.gql(Some(&token), SIGN, base).await;
    expect(&twice, "CONFLICT", Some("number"));
    let listed = app.gql(Some(&token), LIST, json!({ "c": a })).await;
    let count = |v: &Value| v["data"]["advertisingContracts"].as_array().map(Vec::len);
    assert_eq!(count(&listed), Some(1));

    // An archived compound takes no new advertising.
    let admin = app.login("admin@demo.test").await;
    let archive = "mutation($id: ID!) { archiveCompound(id: $id) { id } }";
    let archived = app.gql(Some(&admin), archive, json!({ "id": b })).await;
    assert!(archived["errors"].is_null(), "{archived}");
    let body = app
        .gql(Some(&token), SIGN, contract_on(&[&a, &b], "粤-广告-007"))
        .await;
    expect(&body, "BAD_USER_INPUT", Some("compoundId"));
    let listed = app.gql(Some(&token), LIST, json!({ "c": a })).await;
    assert_eq!(count(&listed), Some(1));
}

#[tokio::test]
async fn the_committee_reads_its_compounds_contracts_and_only_book_keepers_write() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let committee = app.login("committee@demo.test").await;
    let mine = app
        .gql(
            Some(&committee),
            "{ me { memberships { scopeId } } }",
            json!({}),
        )
        .await;
    let compound = mine["data"]["me"]["memberships"][0]["scopeId"]
        .as_str()
        .unwrap_or_else(|| panic!("{mine}"))
        .to_owned();
    let token = app.login("accountant@demo.test").await;
    let id = sign(&app, &token, contract_on(&[&compound], "粤-广告-005")).await;
    let listed = app
        .gql(Some(&committee), LIST, json!({ "c": compound }))
        .await;
    assert_eq!(
        listed["data"]["advertisingContracts"][0]["id"],
        id.as_str(),
        "{listed}"
    );
    let body = app
        .gql(Some(&committee), PAY, pay(&id, "1", "committee-pay"))
        .await;
    expect(&body, "FORBIDDEN", None);
    let body = app
        .gql(
            Some(&committee),
            SIGN,
            contract_on(&[&compound], "粤-广告-006"),
        )
        .await;
    expect(&body, "FORBIDDEN", None);
    for who in [
        "grid@demo.test",
        "resident@demo.test",
        "dispatcher@demo.test",
    ] {
        let t = app.login(who).await;
        let body = app.gql(Some(&t), LIST, json!({ "c": compound })).await;
        assert!(
            matches!(error_code(&body), Some("FORBIDDEN" | "NOT_FOUND")),
            "{who}: {body}"
        );
    }
}
