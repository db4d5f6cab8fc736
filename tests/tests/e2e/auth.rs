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
async fn each_role_is_told_what_it_may_do() {
    let app = TestApp::spawn().await;
    let can = "{ me { can { administer keepBooks handleWaivers issueInvites readPeople } } }";
    let expected = [
        ("admin@demo.test", [true, true, true, true, true]),
        ("accountant@demo.test", [false, true, true, true, true]),
        ("grid@demo.test", [false, false, true, false, true]),
        ("dispatcher@demo.test", [false, false, false, false, true]),
        ("committee@demo.test", [false, false, false, false, false]),
        ("resident@demo.test", [false, false, false, false, false]),
    ];
    for (who, flags) in expected {
        let token = app.login(who).await;
        let body = app.gql(Some(&token), can, json!({})).await;
        let [
            administer,
            keep_books,
            handle_waivers,
            issue_invites,
            read_people,
        ] = flags;
        assert_eq!(
            body["data"]["me"]["can"],
            json!({ "administer": administer, "keepBooks": keep_books, "handleWaivers": handle_waivers,
                    "issueInvites": issue_invites, "readPeople": read_people }),
            "{who}"
        );
    }
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
    // The reason lets the sign-in page say "locked, try later" rather than "not allowed".
    assert_eq!(
        locked["errors"][0]["extensions"]["reason"], "LOCKED_OUT",
        "{locked}"
    );
    // Another identifier is unaffected.
    assert!(attempt(&app, "admin@demo.test", PASSWORD).await["data"]["login"]["token"].is_string());
}

#[tokio::test]
async fn signing_into_a_firm_without_a_role_there_says_so() {
    let app = TestApp::spawn().await;
    let body = app
        .gql(
            None,
            LOGIN,
            json!({ "i": { "identifier": "admin@demo.test", "password": PASSWORD, "tenant": "rival" } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "NO_ROLE",
        "{body}"
    );
    // A wrong password never reveals whether the account has a role anywhere.
    let wrong = app
        .gql(
            None,
            LOGIN,
            json!({ "i": { "identifier": "admin@demo.test", "password": "nope-nope", "tenant": "rival" } }),
        )
        .await;
    assert_eq!(error_code(&wrong), Some("UNAUTHENTICATED"), "{wrong}");
    assert!(wrong["errors"][0]["extensions"]["reason"].is_null());
}

#[tokio::test]
async fn a_person_in_two_firms_is_offered_both_and_signs_into_the_one_chosen() {
    let app = TestApp::spawn().await;
    // The rival firm takes on the demo firm's accountant as well.
    let rival = app.login("admin@rival.test").await;
    let add = "mutation($i: MemberInput!) { addMember(input: $i) { id } }";
    let i = json!({ "i": { "identifier": "accountant@demo.test", "displayName": "兼职会计", "role": "ACCOUNTANT", "scopeKind": "TENANT" } });
    let added = app.gql(Some(&rival), add, i).await;
    assert!(added["errors"].is_null(), "{added}");
    let body = attempt(&app, "accountant@demo.test", PASSWORD).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(error_field(&body), Some("tenant"));
    let offered: Vec<&str> = body["errors"][0]["extensions"]["choices"]
        .as_array()
        .map(|cs| cs.iter().filter_map(|c| c["value"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(offered, ["demo", "rival"], "{body}");
    assert!(body["errors"][0]["extensions"]["choices"][0]["label"].is_string());
    // A wrong password offers nothing.
    let wrong = attempt(&app, "accountant@demo.test", "nope-nope").await;
    assert!(
        wrong["errors"][0]["extensions"]["choices"].is_null(),
        "{wrong}"
    );
    let chosen = app
        .gql(
            None,
            LOGIN,
            json!({ "i": { "identifier": "accountant@demo.test", "password": PASSWORD, "tenant": "rival" } }),
        )
        .await;
    assert_eq!(
        chosen["data"]["login"]["tenant"]["slug"], "rival",
        "{chosen}"
    );
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
    assert_eq!(hashes[0], api::people::hash_token(&token));
}

const ISSUE: &str = "mutation($h: ID!) { issueInviteCode(householdId: $h) { code householdId } }";
const REDEEM: &str = "mutation($i: RedeemInviteInput!) { redeemInviteCode(input: $i) { token } }";

/// A household's fresh invite code, issued by the admin: (household, code).
async fn issue_code(app: &TestApp) -> (String, String) {
    let admin = app.login("admin@demo.test").await;
    let household = some_household(app, &admin).await;
    let issued = app
        .gql(Some(&admin), ISSUE, json!({ "h": household }))
        .await;
    let code = issued["data"]["issueInviteCode"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{issued}"))
        .to_owned();
    (household, code)
}

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
    let (household, code) = issue_code(&app).await;
    assert_eq!(code.len(), 9, "{code}");

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
    // …and creates no account: the identifier is still free.
    let login = app
        .gql(
            None,
            LOGIN,
            json!({ "i": { "identifier": "13900002222", "password": "another passphrase" } }),
        )
        .await;
    assert_eq!(error_code(&login), Some("UNAUTHENTICATED"), "{login}");
}

#[tokio::test]
async fn invalid_invite_codes_are_refused_and_create_nothing() {
    let app = TestApp::spawn().await;
    let users = app.count("SELECT count(*) FROM users").await;
    let members = app.count("SELECT count(*) FROM memberships").await;
    for (tenant, code) in [
        ("demo", "AAAA-AAAA"),
        ("demo", "0000-0000"),
        ("nosuch", "ABCD-EFGH"),
        ("demo", ""),
    ] {
        let mut input = redemption(code, "x@y.cn");
        input["i"]["tenant"] = json!(tenant);
        let body = app.gql(None, REDEEM, input).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(error_field(&body), Some("code"));
    }
    assert_eq!(app.count("SELECT count(*) FROM users").await, users);
    assert_eq!(app.count("SELECT count(*) FROM memberships").await, members);
    // The identifier is still free: a real code redeems it.
    let (_, code) = issue_code(&app).await;
    let body = app.gql(None, REDEEM, redemption(&code, "x@y.cn")).await;
    assert!(
        body["data"]["redeemInviteCode"]["token"].is_string(),
        "{body}"
    );
    assert_eq!(app.count("SELECT count(*) FROM users").await, users + 1);
}

fn redemption(code: &str, identifier: &str) -> Value {
    json!({ "i": { "tenant": "demo", "code": code, "identifier": identifier,
        "password": "a good passphrase", "displayName": "某人" } })
}

#[tokio::test]
async fn wrong_invite_codes_are_throttled_per_client_and_per_code_prefix() {
    let app = TestApp::spawn().await;
    let (_, code) = issue_code(&app).await;
    let prefix = &code[..4];
    let (guesser, neighbour) = (
        "127.0.0.2".parse().unwrap_or_else(|_| unreachable!()),
        "127.0.0.3".parse().unwrap_or_else(|_| unreachable!()),
    );
    // Ten wrong guesses at the real code's first half, from one client.
    let mut guesses = 0;
    for tail in [
        "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9999", "AAAA", "BBBB", "CCCC",
    ] {
        let guess = format!("{prefix}-{tail}");
        if guess == code || guesses == 10 {
            continue;
        }
        let body = app
            .gql_from(guesser, None, REDEEM, redemption(&guess, "g@y.cn"))
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        guesses += 1;
    }
    // The prefix is spent for everyone, even with the right code…
    let right = app
        .gql_from(neighbour, None, REDEEM, redemption(&code, "n@y.cn"))
        .await;
    assert_eq!(error_code(&right), Some("FORBIDDEN"), "{right}");
    assert_eq!(
        right["errors"][0]["extensions"]["reason"], "LOCKED_OUT",
        "{right}"
    );
    assert!(
        right["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("too many wrong invite codes")
    );
    // …while the other client may still try other codes, and the guesser may not.
    let other = app
        .gql_from(neighbour, None, REDEEM, redemption("ZZZZ-ZZZZ", "n@y.cn"))
        .await;
    assert_eq!(error_code(&other), Some("BAD_USER_INPUT"), "{other}");
    let other = app
        .gql_from(guesser, None, REDEEM, redemption("YYYY-YYYY", "g@y.cn"))
        .await;
    assert_eq!(error_code(&other), Some("FORBIDDEN"), "{other}");
    let created = app
        .count("SELECT count(*) FROM users WHERE identifier IN ('g@y.cn', 'n@y.cn')")
        .await;
    assert_eq!(created, 0);
}

/// Sign-in attempts sent at once, each from a task of its own.
async fn at_once(app: &TestApp, attempts: Vec<(&str, &str)>) -> Vec<Value> {
    let client = reqwest::Client::new();
    let tasks: Vec<_> = attempts
        .into_iter()
        .map(|(identifier, password)| {
            let (client, address) = (client.clone(), app.address.clone());
            let vars = json!({ "i": { "identifier": identifier, "password": password } });
            tokio::spawn(
                async move { TestApp::post_gql(&client, &address, None, LOGIN, vars).await },
            )
        })
        .collect();
    let mut bodies = Vec::new();
    for task in tasks {
        bodies.push(task.await.unwrap_or_else(|e| panic!("{e}")));
    }
    bodies
}

const ACCOUNTS: [&str; 8] = [
    "admin@demo.test",
    "accountant@demo.test",
    "dispatcher@demo.test",
    "grid@demo.test",
    "committee@demo.test",
    "resident@demo.test",
    "contractor@demo.test",
    "admin@rival.test",
];

#[tokio::test]
async fn sign_ins_at_once_all_get_their_answer() {
    let app = TestApp::spawn().await;
    let right: Vec<_> = ACCOUNTS
        .iter()
        .cycle()
        .take(24)
        .map(|a| (*a, PASSWORD))
        .collect();
    for body in at_once(&app, right).await {
        assert!(body["data"]["login"]["token"].is_string(), "{body}");
    }
    let wrong: Vec<_> = ACCOUNTS
        .iter()
        .cycle()
        .take(30)
        .map(|a| (*a, "wrong password"))
        .collect();
    for body in at_once(&app, wrong).await {
        assert!(
            matches!(error_code(&body), Some("UNAUTHENTICATED" | "FORBIDDEN")),
            "{body}"
        );
    }
}

#[tokio::test]
async fn wrong_passwords_at_once_get_only_five_checked() {
    let app = TestApp::spawn().await;
    let wrong = vec![("accountant@demo.test", "wrong password"); 50];
    let bodies = at_once(&app, wrong).await;
    let checked = bodies
        .iter()
        .filter(|b| error_code(b) == Some("UNAUTHENTICATED"))
        .count();
    let locked = bodies
        .iter()
        .filter(|b| error_code(b) == Some("FORBIDDEN"))
        .count();
    assert_eq!((checked, locked), (5, 45), "{bodies:?}");
    let failures = app
        .count("SELECT count(*) FROM login_failures WHERE identifier = 'accountant@demo.test'")
        .await;
    assert_eq!(failures, 5);
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
    assert_eq!(
        edges[0]["node"]["householdCount"],
        app.households_in("国泰花园").await
    );
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

/// The admin adds an accountant, who signs in: the membership's id and their token.
async fn new_accountant(app: &TestApp, admin: &str, identifier: &str) -> (String, String) {
    let added = app
        .gql(
            Some(admin),
            ADD,
            json!({ "i": { "identifier": identifier, "displayName": "孙会计",
        "initialPassword": "a fresh passphrase", "role": "ACCOUNTANT", "scopeKind": "TENANT" } }),
        )
        .await;
    let id = added["data"]["addMember"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{added}"))
        .to_owned();
    let login = attempt(app, identifier, "a fresh passphrase").await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{login}"))
        .to_owned();
    (id, token)
}

#[tokio::test]
async fn the_admin_adds_and_removes_staff() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let (id, token) = new_accountant(&app, &admin, "new.accountant@demo.test").await;
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

/// Whether the other server refuses `token` within two seconds (it hears of the change
/// through PostgreSQL's `NOTIFY`).
async fn refused_there_soon(other: &str, token: &str) -> bool {
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
    while tokio::time::Instant::now() < deadline {
        let me = TestApp::post_gql(&client, other, Some(token), ME, json!({})).await;
        if error_code(&me) == Some("UNAUTHENTICATED") {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
#[ignore = "PostgreSQL only: the PostgreSQL pass of scripts/test runs it"]
async fn a_sign_out_or_a_removed_role_on_one_server_is_honoured_on_the_other() {
    let app = TestApp::spawn_on_postgres().await;
    let (other, _) = app.another_server().await;
    // Give the other server's listener a moment to start listening.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let client = reqwest::Client::new();
    let held_there = |token: String| {
        let (client, other) = (client.clone(), other.clone());
        async move {
            let me = TestApp::post_gql(&client, &other, Some(&token), ME, json!({})).await;
            assert!(me["data"]["me"].is_object(), "{me}");
        }
    };

    let resident = app.login("resident@demo.test").await;
    held_there(resident.clone()).await;
    let out = app
        .gql(Some(&resident), "mutation { logout }", json!({}))
        .await;
    assert_eq!(out["data"]["logout"], true, "{out}");
    assert!(
        refused_there_soon(&other, &resident).await,
        "signed out here, still in there"
    );

    let admin = app.login("admin@demo.test").await;
    let (id, token) = new_accountant(&app, &admin, "temp@demo.test").await;
    held_there(token.clone()).await;
    let removed = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { revokeMember(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(removed["data"]["revokeMember"], true, "{removed}");
    assert!(
        refused_there_soon(&other, &token).await,
        "the role removed here is still held there"
    );
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
