//! Bad input gets BAD_USER_INPUT (or NOT_FOUND / CONFLICT) naming the field, and writes nothing.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use super::tenancy::{CREATE_BUNDLE, CREATE_COMPOUND, CREATE_HOUSEHOLD, household_input, scaffold};

async fn audit_rows(app: &TestApp) -> i64 {
    let db = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    sea_orm::ConnectionTrait::query_one_raw(
        db.connection(),
        sea_orm::Statement::from_string(db.backend(), "SELECT count(*) AS n FROM audit_log"),
    )
    .await
    .ok()
    .flatten()
    .and_then(|r| r.try_get::<i64>("", "n").ok())
    .unwrap_or(-1)
}

fn expect(body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(body), Some(code), "{body}");
    if let Some(field) = field {
        assert_eq!(error_field(body), Some(field), "{body}");
    }
    let msg = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(!msg.to_lowercase().contains("sql"), "leaks SQL: {msg}");
}

#[tokio::test]
async fn bundle_names_must_be_present_and_short() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let before = audit_rows(&app).await;
    for (input, field) in [
        (
            json!({ "name": "  ", "streetOffice": "a", "district": "b" }),
            "name",
        ),
        (
            json!({ "name": "长".repeat(101), "streetOffice": "a", "district": "b" }),
            "name",
        ),
        (
            json!({ "name": "ok", "streetOffice": "", "district": "b" }),
            "streetOffice",
        ),
        (
            json!({ "name": "ok", "streetOffice": "a", "district": "x".repeat(5000) }),
            "district",
        ),
    ] {
        expect(
            &app.gql(Some(&token), CREATE_BUNDLE, json!({ "i": input }))
                .await,
            "BAD_USER_INPUT",
            Some(field),
        );
    }
    let dup = app.gql(Some(&token), CREATE_BUNDLE, json!({ "i": { "name": "柳州城中区老旧小区打包项目", "streetOffice": "a", "district": "b" } })).await;
    expect(&dup, "CONFLICT", Some("name"));
    assert_eq!(
        audit_rows(&app).await,
        before,
        "a refused change was written"
    );
}

#[tokio::test]
async fn household_areas_rooms_and_periods_are_checked() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let (_, compound, building) = scaffold(&app, &token).await;
    let ok = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, "101", "60") }),
        )
        .await;
    assert!(ok["data"]["createHousehold"]["id"].is_string(), "{ok}");
    let before = audit_rows(&app).await;

    for (area, why) in [
        ("0", "zero"),
        ("-5", "negative"),
        ("89.505", "three decimals"),
        ("abc", "text"),
        ("", "empty"),
        ("99999999999999999999", "huge"),
    ] {
        let body = app
            .gql(
                Some(&token),
                CREATE_HOUSEHOLD,
                json!({ "i": household_input(&compound, &building, "102", area) }),
            )
            .await;
        assert_eq!(error_field(&body), Some("area"), "{why}: {body}");
        expect(&body, "BAD_USER_INPUT", Some("area"));
    }
    let dup = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, "101", "70") }),
        )
        .await;
    expect(&dup, "CONFLICT", Some("room"));
    let empty_room = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, " ", "70") }),
        )
        .await;
    expect(&empty_room, "BAD_USER_INPUT", Some("room"));
    let mut backwards = household_input(&compound, &building, "103", "70");
    backwards["activeTo"] = json!("2025-12-31");
    expect(
        &app.gql(Some(&token), CREATE_HOUSEHOLD, json!({ "i": backwards }))
            .await,
        "BAD_USER_INPUT",
        Some("activeTo"),
    );
    let bad_date = app.gql(Some(&token), CREATE_HOUSEHOLD, json!({ "i": { "compoundId": compound, "buildingId": building, "room": "104", "area": "60", "areaSource": "SURVEY", "activeFrom": "2026-13-45" } })).await;
    assert_eq!(error_code(&bad_date), Some("BAD_USER_INPUT"), "{bad_date}");
    assert_eq!(audit_rows(&app).await, before);
}

#[tokio::test]
async fn malformed_and_unknown_ids_are_named() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let malformed = app
        .gql(
            Some(&token),
            "{ compound(id: \"not-a-uuid\") { name } }",
            json!({}),
        )
        .await;
    expect(&malformed, "BAD_USER_INPUT", Some("id"));
    let unknown = app
        .gql(
            Some(&token),
            "query($id: ID!) { household(id: $id) { room } }",
            json!({ "id": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    expect(&unknown, "NOT_FOUND", None);
    let compound = app.gql(Some(&token), CREATE_COMPOUND, json!({ "i": { "bundleId": uuid::Uuid::now_v7().to_string(), "name": "x", "address": "y",
        "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM" } })).await;
    expect(&compound, "NOT_FOUND", None);
    let bad_bundle = app
        .gql(
            Some(&token),
            CREATE_COMPOUND,
            json!({ "i": { "bundleId": "12", "name": "x", "address": "y",
        "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM" } }),
        )
        .await;
    expect(&bad_bundle, "BAD_USER_INPUT", Some("bundleId"));
    let (_, compound_a, building_a) = scaffold(&app, &token).await;
    let other = super::tenancy::compound_id(&app, &token, "燎原新村").await;
    let mismatched = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&other, &building_a, "101", "60") }),
        )
        .await;
    expect(&mismatched, "BAD_USER_INPUT", Some("buildingId"));
    let _ = compound_a;
}

#[tokio::test]
async fn page_sizes_and_cursors_are_bounded() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    for first in [0, -1, 101, 2_147_483_647] {
        let body = app
            .gql(
                Some(&token),
                "query($n: Int) { compounds(first: $n) { edges { cursor } } }",
                json!({ "n": first }),
            )
            .await;
        expect(&body, "BAD_USER_INPUT", Some("first"));
    }
    let body = app
        .gql(
            Some(&token),
            "{ compounds(after: \"garbage!\") { edges { cursor } } }",
            json!({}),
        )
        .await;
    expect(&body, "BAD_USER_INPUT", Some("after"));
}

#[tokio::test]
async fn people_details_are_validated() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let found = app
        .gql(
            Some(&token),
            "{ households(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let household = found["data"]["households"]["edges"][0]["node"]["id"].clone();
    let q = "mutation($i: HouseholdMemberInput!) { addHouseholdMember(input: $i) { role } }";
    let joining = |person: Value| json!({ "i": { "householdId": household, "role": "FAMILY_MEMBER", "newPerson": person } });
    for (person, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "王", "phone": "call me" }), "phone"),
        (
            json!({ "name": "王", "idNumber": "110105194912310021" }),
            "idNumber",
        ),
    ] {
        expect(
            &app.gql(Some(&token), q, joining(person)).await,
            "BAD_USER_INPUT",
            Some(field),
        );
    }
}

#[tokio::test]
async fn over_deep_or_malformed_queries_are_refused_with_a_code() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let deep = "{ households { edges { node { compound { bundle { compounds { edges { node { households { edges { node { compound { bundle { name } } } } } } } } } } } } } }";
    let body = app.gql(Some(&token), deep, json!({})).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(body["data"].is_null());
    let syntax = app.gql(Some(&token), "{ compounds { ", json!({})).await;
    assert_eq!(error_code(&syntax), Some("BAD_USER_INPUT"));
    let passwords = app.gql(None, "mutation { login(input: { identifier: \"not an identifier\", password: \"x\" }) { token } }", json!({})).await;
    expect(&passwords, "BAD_USER_INPUT", Some("identifier"));
}

/// The accountant's token and the first household of 国泰花园.
async fn accountant_and_household(app: &TestApp) -> (String, String) {
    let token = app.login("accountant@demo.test").await;
    let compound = super::tenancy::compound_id(app, &token, "国泰花园").await;
    let h = super::billing::first_households(app, &token, &compound, 1).await[0].clone();
    (token, h)
}

#[tokio::test]
async fn a_nul_character_is_refused_in_any_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (token, h) = accountant_and_household(&app).await;
    let before = audit_rows(&app).await;
    let payments = app.count("SELECT count(*) FROM payments").await;
    let pay = json!({ "i": { "householdId": h, "amount": "1", "method": "CASH", "receiptNo": "R-nul",
        "receivedAt": "2026-11-20T10:00:00Z", "idempotencyKey": "nul\u{0}key" } });
    let body = app.gql(Some(&token), super::billing::PAY, pay).await;
    expect(&body, "BAD_USER_INPUT", Some("idempotencyKey"));
    let hardship = r#"mutation($h: ID!) { recordHardship(input: { householdId: $h, category: OTHER,
        certificateNo: "A\u0000B", evidence: "x", validFrom: "2026-01-01", validTo: "2026-12-31" }) { id } }"#;
    let body = app.gql(Some(&token), hardship, json!({ "h": h })).await;
    expect(&body, "BAD_USER_INPUT", Some("certificateNo"));
    let login = "mutation($i: LoginInput!) { login(input: $i) { token } }";
    let body = app
        .gql(None, login, json!({ "i": { "identifier": "admin@demo.test", "password": "x", "tenant": "de\u{0}mo" } }))
        .await;
    expect(&body, "BAD_USER_INPUT", Some("tenant"));
    assert_eq!(audit_rows(&app).await, before);
    assert_eq!(app.count("SELECT count(*) FROM payments").await, payments);
}

#[tokio::test]
async fn dates_outside_1900_to_2200_are_refused() {
    let app = TestApp::spawn().await;
    let (token, h) = accountant_and_household(&app).await;
    let before = audit_rows(&app).await;
    let hardship = "mutation($h: ID!, $f: NaiveDate!, $t: NaiveDate!) { recordHardship(input: { householdId: $h,
        category: OTHER, certificateNo: \"x\", evidence: \"x\", validFrom: $f, validTo: $t }) { id } }";
    for (from, to, field) in [
        ("-2026-01-01", "2026-12-31", "validFrom"),
        ("1899-12-31", "2026-12-31", "validFrom"),
        ("2026-01-01", "2201-01-01", "validTo"),
    ] {
        let body = app
            .gql(
                Some(&token),
                hardship,
                json!({ "h": h, "f": from, "t": to }),
            )
            .await;
        expect(&body, "BAD_USER_INPUT", Some(field));
    }
    assert_eq!(audit_rows(&app).await, before);
    let admin = app.login("admin@demo.test").await;
    let (_, new_compound, building) = scaffold(&app, &admin).await;
    let before = audit_rows(&app).await;
    let mut input = household_input(&new_compound, &building, "负年", "50");
    input["activeFrom"] = json!("-2026-01-01");
    let body = app
        .gql(Some(&admin), CREATE_HOUSEHOLD, json!({ "i": input }))
        .await;
    expect(&body, "BAD_USER_INPUT", Some("activeFrom"));
    let pay = json!({ "i": { "householdId": h, "amount": "1", "method": "CASH", "receiptNo": "R-old",
        "receivedAt": "1850-11-20T10:00:00Z", "idempotencyKey": "old" } });
    let body = app.gql(Some(&token), super::billing::PAY, pay).await;
    expect(&body, "BAD_USER_INPUT", Some("receivedAt"));
    assert_eq!(audit_rows(&app).await, before);
}

#[tokio::test]
async fn a_payment_is_bounded_by_the_firms_limit_and_its_receipt_is_used_once() {
    let app = TestApp::spawn().await;
    let (token, h) = accountant_and_household(&app).await;
    let pay = async |amount: &str, receipt: &str, key: &str| {
        let input = json!({ "i": { "householdId": h, "amount": amount, "method": "CASH", "receiptNo": receipt,
            "receivedAt": "2026-11-20T10:00:00Z", "idempotencyKey": key } });
        app.gql(Some(&token), super::billing::PAY, input).await
    };
    let payments = app.count("SELECT count(*) FROM payments").await;
    // Money paid online reaches the books from the processor only, never typed in by staff.
    let online = json!({ "i": { "householdId": h, "amount": "10", "method": "ONLINE", "receiptNo": "R-web",
        "receivedAt": "2026-11-20T10:00:00Z", "idempotencyKey": "web" } });
    let body = app.gql(Some(&token), super::billing::PAY, online).await;
    expect(&body, "BAD_USER_INPUT", Some("method"));
    let body = pay("99999999999", "R-big", "big").await;
    expect(&body, "BAD_USER_INPUT", Some("amount"));
    let body = pay("50000.01", "R-big", "big").await;
    expect(&body, "BAD_USER_INPUT", Some("amount"));
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("¥50,000.00"),
        "{body}"
    );
    assert_eq!(app.count("SELECT count(*) FROM payments").await, payments);

    // Only the administrator moves the limit.
    const SET: &str = "mutation($a: String!) { setMaxPayment(amount: $a) { maxPayment { fen } } }";
    let body = app.gql(Some(&token), SET, json!({ "a": "60000" })).await;
    expect(&body, "FORBIDDEN", None);
    let admin = app.login("admin@demo.test").await;
    for bad in ["0", "-1", "lots"] {
        let body = app.gql(Some(&admin), SET, json!({ "a": bad })).await;
        expect(&body, "BAD_USER_INPUT", Some("amount"));
    }
    let body = app.gql(Some(&admin), SET, json!({ "a": "60000" })).await;
    assert_eq!(
        body["data"]["setMaxPayment"]["maxPayment"]["fen"], 6_000_000,
        "{body}"
    );
    let body = pay("50000.01", "R-big", "big").await;
    assert!(body["errors"].is_null(), "{body}");

    // The same receipt number on another payment is a conflict; the same payment again is not.
    let body = pay("10", "R-big", "other").await;
    expect(&body, "CONFLICT", Some("receiptNo"));
    let body = pay("50000.01", "R-big", "big").await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(
        app.count("SELECT count(*) FROM payments").await,
        payments + 1
    );
}
