use courtyard_tests::{PASSWORD, TestApp, error_code, error_field};
use serde_json::{Value, json};

const LOGIN: &str = "mutation($i: LoginInput!) { login(input: $i) { token tenant { slug } } }";
const ME: &str =
    "{ me { displayName identifier tenant { slug } memberships { role scopeKind scopeId } } }";

async fn attempt(app: &TestApp, identifier: &str, password: &str) -> Value {
    app.gql(
        None,
        LOGIN,
        json!({ "i": { "identifier": identifier, "password": password } }),
    )
    .await
}

#[tokio::test]
async fn the_firm_admin_signs_in_and_sees_their_roles() {
    let app = TestApp::spawn().await;
    let body = attempt(&app, "Admin@Demo.Test", PASSWORD).await;
    assert_eq!(body["data"]["login"]["tenant"]["slug"], "demo", "{body}");
    let token = body["data"]["login"]["token"].as_str().unwrap_or_default();
    let me = app.gql(Some(token), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["identifier"], "admin@demo.test");
    assert_eq!(
        me["data"]["me"]["memberships"],
        json!([{ "role": "firm_admin", "scopeKind": "tenant", "scopeId": null }])
    );
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_is_refused_alike() {
    let app = TestApp::spawn().await;
    let wrong = attempt(&app, "admin@demo.test", "not-the-password").await;
    assert_eq!(error_code(&wrong), Some("UNAUTHENTICATED"));
    assert!(wrong["data"].is_null());
    let unknown = attempt(&app, "nobody@demo.test", PASSWORD).await;
    assert_eq!(error_code(&unknown), Some("UNAUTHENTICATED"));
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_identifier_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        assert_eq!(
            error_code(&attempt(&app, "accountant@demo.test", "guess-guess").await),
            Some("UNAUTHENTICATED")
        );
    }
    let locked = attempt(&app, "accountant@demo.test", PASSWORD).await;
    assert_eq!(error_code(&locked), Some("FORBIDDEN"), "{locked}");
    // Another identifier is unaffected.
    assert!(attempt(&app, "admin@demo.test", PASSWORD).await["data"]["login"]["token"].is_string());
}

#[tokio::test]
async fn requests_without_a_valid_session_are_unauthenticated() {
    let app = TestApp::spawn().await;
    assert_eq!(
        error_code(&app.gql(None, ME, json!({})).await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        error_code(&app.gql(Some("cyt_forged"), ME, json!({})).await),
        Some("UNAUTHENTICATED")
    );
    let bundles = app
        .gql(None, "{ bundles { edges { node { name } } } }", json!({}))
        .await;
    assert_eq!(error_code(&bundles), Some("UNAUTHENTICATED"));
    assert!(bundles["data"].is_null());
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let out = app
        .gql(Some(&token), "mutation { logout }", json!({}))
        .await;
    assert_eq!(out["data"]["logout"], true);
    assert_eq!(
        error_code(&app.gql(Some(&token), ME, json!({})).await),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let db = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    let rows = sea_orm::ConnectionTrait::query_all_raw(
        db.connection(),
        sea_orm::Statement::from_string(db.backend(), "SELECT token_hash FROM sessions"),
    )
    .await
    .unwrap_or_default();
    let hashes: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "token_hash").ok())
        .collect();
    assert_eq!(hashes.len(), 1);
    assert_ne!(hashes[0], token);
    assert_eq!(hashes[0], api::services::auth::hash_token(&token));
}

const ISSUE: &str = "mutation($h: ID!) { issueInviteCode(householdId: $h) { code householdId } }";
const REDEEM: &str = "mutation($i: RedeemInviteInput!) { redeemInviteCode(input: $i) { token } }";

async fn some_household(app: &TestApp, token: &str) -> String {
    let body = app
        .gql(
            Some(token),
            "{ households(first: 3) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    body["data"]["households"]["edges"][2]["node"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_resident_joins_with_an_invite_code_and_sees_only_that_household() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let household = some_household(&app, &admin).await;
    let issued = app
        .gql(Some(&admin), ISSUE, json!({ "h": household }))
        .await;
    let code = issued["data"]["issueInviteCode"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(code.len(), 9, "{issued}");

    let input = json!({ "tenant": "demo", "code": code.to_lowercase().replace('-', " "), "identifier": "13900001111",
                        "password": "a good passphrase", "displayName": "刘秀英" });
    let redeemed = app.gql(None, REDEEM, json!({ "i": input })).await;
    let token = redeemed["data"]["redeemInviteCode"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!token.is_empty(), "{redeemed}");

    let mine = app
        .gql(
            Some(&token),
            "{ households { edges { node { id room } } } }",
            json!({}),
        )
        .await;
    let edges = mine["data"]["households"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 1, "{mine}");
    assert_eq!(edges[0]["node"]["id"], household);

    // The code is spent: a second redemption fails and names the field.
    let again = app
        .gql(
            None,
            REDEEM,
            json!({ "i": { "tenant": "demo", "code": code, "identifier": "13900002222",
        "password": "another passphrase", "displayName": "李四" } }),
        )
        .await;
    assert_eq!(error_code(&again), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&again), Some("code"));
    // …and the second account was created but holds no role in the firm.
    let login = app
        .gql(
            None,
            LOGIN,
            json!({ "i": { "identifier": "13900002222", "password": "another passphrase" } }),
        )
        .await;
    assert_eq!(error_code(&login), Some("FORBIDDEN"), "{login}");
}

#[tokio::test]
async fn invalid_invite_codes_are_refused_and_create_nothing() {
    let app = TestApp::spawn().await;
    for (tenant, code) in [
        ("demo", "AAAA-AAAA"),
        ("demo", "0000-0000"),
        ("nosuch", "ABCD-EFGH"),
        ("demo", ""),
    ] {
        let body = app
            .gql(
                None,
                REDEEM,
                json!({ "i": { "tenant": tenant, "code": code, "identifier": "x@y.cn",
            "password": "a good passphrase", "displayName": "某人" } }),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(error_field(&body), Some("code"));
    }
}

#[tokio::test]
async fn the_resident_sees_their_household_and_nothing_else() {
    let app = TestApp::spawn().await;
    let token = app.login("resident@demo.test").await;
    let body = app
        .gql(
            Some(&token),
            "{ households { edges { node { id room members { role person { name } } } } } }",
            json!({}),
        )
        .await;
    let edges = body["data"]["households"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 1, "{body}");
    assert!(
        !edges[0]["node"]["members"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .is_empty()
    );

    let admin = app.login("admin@demo.test").await;
    let other = some_household(&app, &admin).await;
    let denied = app
        .gql(
            Some(&token),
            "query($id: ID!) { household(id: $id) { room } }",
            json!({ "id": other }),
        )
        .await;
    assert_eq!(error_code(&denied), Some("NOT_FOUND"));
    assert!(denied["data"].is_null());
    let compounds = app
        .gql(
            Some(&token),
            "{ compounds { edges { node { name householdCount } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        compounds["data"]["compounds"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{compounds}"
    );
    assert_eq!(
        compounds["data"]["compounds"]["edges"][0]["node"]["householdCount"],
        1
    );
}

#[tokio::test]
async fn a_committee_member_sees_their_compound_but_no_personal_details() {
    let app = TestApp::spawn().await;
    let token = app.login("committee@demo.test").await;
    let body = app
        .gql(
            Some(&token),
            "{ compounds { edges { node { name householdCount } } } }",
            json!({}),
        )
        .await;
    let edges = body["data"]["compounds"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 1, "{body}");
    assert_eq!(edges[0]["node"]["name"], "国泰花园");
    assert_eq!(edges[0]["node"]["householdCount"], 418);
    let members = app
        .gql(
            Some(&token),
            "{ households(first: 1) { edges { node { members { person { phone } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&members), Some("FORBIDDEN"), "{members}");
}

#[tokio::test]
async fn a_contractor_sees_no_households() {
    let app = TestApp::spawn().await;
    let token = app.login("contractor@demo.test").await;
    let body = app
        .gql(
            Some(&token),
            "{ households { edges { node { id } } } compounds { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["households"]["edges"], json!([]), "{body}");
    assert_eq!(body["data"]["compounds"]["edges"], json!([]));
}

#[tokio::test]
async fn staff_other_than_the_admin_cannot_change_the_firm() {
    let app = TestApp::spawn().await;
    for who in [
        "accountant@demo.test",
        "grid@demo.test",
        "resident@demo.test",
        "committee@demo.test",
    ] {
        let token = app.login(who).await;
        let body = app
            .gql(Some(&token), "mutation { createBundle(input: { name: \"新项目\", streetOffice: \"某街道\", district: \"某区\" }) { id } }", json!({}))
            .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{who}: {body}");
    }
    let admin = app.login("admin@demo.test").await;
    let bundles = app
        .gql(
            Some(&admin),
            "{ bundles { edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        bundles["data"]["bundles"]["edges"].as_array().map(Vec::len),
        Some(2)
    );
}

const ADD: &str =
    "mutation($i: MemberInput!) { addMember(input: $i) { id role scopeKind revoked } }";

#[tokio::test]
async fn the_admin_adds_and_removes_staff() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let added = app
        .gql(
            Some(&admin),
            ADD,
            json!({ "i": { "identifier": "new.accountant@demo.test", "displayName": "孙会计",
        "initialPassword": "a fresh passphrase", "role": "ACCOUNTANT", "scopeKind": "TENANT" } }),
        )
        .await;
    let id = added["data"]["addMember"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{added}"))
        .to_owned();
    let login = attempt(&app, "new.accountant@demo.test", "a fresh passphrase").await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let me = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(
        me["data"]["me"]["memberships"][0]["role"], "accountant",
        "{me}"
    );

    let removed = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { revokeMember(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(removed["data"]["revokeMember"], true, "{removed}");
    assert_eq!(
        error_code(&app.gql(Some(&token), ME, json!({})).await),
        Some("UNAUTHENTICATED"),
        "the role is gone at once"
    );

    let members = app
        .gql(Some(&admin), "{ members { id role revoked } }", json!({}))
        .await;
    let admin_row = members["data"]["members"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|m| m["role"] == "firm_admin")
        .unwrap_or_default();
    let last = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { revokeMember(id: $id) }",
            json!({ "id": admin_row["id"] }),
        )
        .await;
    assert_eq!(error_code(&last), Some("CONFLICT"), "{last}");
}

#[tokio::test]
async fn roles_must_fit_their_scope() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let cases = [
        (
            json!({ "identifier": "x@demo.test", "displayName": "x", "initialPassword": "long enough!", "role": "COMMITTEE_MEMBER", "scopeKind": "TENANT" }),
            "scopeKind",
        ),
        (
            json!({ "identifier": "x@demo.test", "displayName": "x", "initialPassword": "long enough!", "role": "ACCOUNTANT", "scopeKind": "COMPOUND" }),
            "scopeId",
        ),
        (
            json!({ "identifier": "x@demo.test", "displayName": "x", "role": "ACCOUNTANT", "scopeKind": "TENANT" }),
            "initialPassword",
        ),
        (
            json!({ "identifier": "not an address", "displayName": "x", "initialPassword": "long enough!", "role": "ACCOUNTANT", "scopeKind": "TENANT" }),
            "identifier",
        ),
    ];
    for (input, field) in cases {
        let body = app.gql(Some(&admin), ADD, json!({ "i": input })).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(error_field(&body), Some(field), "{body}");
    }
    let unknown = app.gql(Some(&admin), ADD, json!({ "i": { "identifier": "x@demo.test", "displayName": "x", "initialPassword": "long enough!",
        "role": "COMMITTEE_MEMBER", "scopeKind": "COMPOUND", "scopeId": uuid::Uuid::now_v7().to_string() } })).await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));
    let accountant = app.login("accountant@demo.test").await;
    let denied = app.gql(Some(&accountant), ADD, json!({ "i": { "identifier": "y@demo.test", "displayName": "y", "initialPassword": "long enough!", "role": "ACCOUNTANT", "scopeKind": "TENANT" } })).await;
    assert_eq!(error_code(&denied), Some("FORBIDDEN"));
    // Nothing was created: the refused identifier cannot sign in.
    assert_eq!(
        error_code(&attempt(&app, "x@demo.test", "long enough!").await),
        Some("UNAUTHENTICATED")
    );
}
