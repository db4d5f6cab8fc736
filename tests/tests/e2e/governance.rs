//! Owners' governance through the API: a vote from its draft to its certificate on a roll
//! frozen from the register (a person with two units, the developer's unsold unit, co-owners
//! through their designated voter), paper ballots changed until the close, the rule each kind
//! takes; an owner voting online on a secret matter that staff see only as participation;
//! refusals and bad input; committee terms that give and take the committee's role.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use crate::billing::at;
use crate::dispatch::{ok, refused};
use crate::tenancy::{CREATE_HOUSEHOLD, compound_id, household_input, scaffold};

pub const DRAFT: &str =
    "mutation($i: MatterInput!) { draftMatter(input: $i) { id state rule secret } }";
const OPEN: &str = "mutation($id: ID!) { openVote(id: $id) { state roll { owners area } } }";
const CLOSE: &str = "mutation($id: ID!) { closeVote(id: $id) { state outcome rule publicityUntil
    roll { owners area } participation { owners area } yes { owners area } no { owners area }
    abstain { owners area } } }";
const VOTERS: &str = "query($id: ID!) { matter(id: $id) { participation { owners areaCenti }
    voters { voterNo name developer units area { area } ballot { choice channel receipt } } } }";
const CAST: &str = "mutation($m: ID!, $c: BallotChoice!) { castBallot(matterId: $m, choice: $c) { voterNo ballot { choice channel receipt } } }";
const RECEIPTS: &str =
    "query($id: ID!) { matter(id: $id) { receipts { receipt choice areaCenti } } }";

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("{v}")).to_owned()
}

pub fn matter_input(compound: &str, kind: &str, secret: bool) -> Value {
    json!({ "compoundId": compound, "kind": kind, "title": "关于利用公共部位设置广告的决定",
            "body": "利用小区公共部位设置广告，收益按业主七成、物业三成分配。", "secret": secret,
            "closesAt": "2026-12-20T10:00:00Z", "publicityDays": 7 })
}

/// Drafts and opens a matter; returns its id.
pub async fn opened(app: &TestApp, token: &str, input: Value) -> String {
    let body = app.gql(Some(token), DRAFT, json!({ "i": input })).await;
    let matter = id(ok(&body, "draftMatter"));
    let body = app.gql(Some(token), OPEN, json!({ "id": matter })).await;
    assert_eq!(ok(&body, "openVote")["state"], "OPEN", "{body}");
    matter
}

/// Enters a paper ballot; the status and the answer.
pub async fn paper(
    app: &TestApp,
    token: &str,
    matter: &str,
    voter: &str,
    choice: &str,
) -> (u16, Value) {
    let scan = b"%PDF-1.4 a signed ballot".to_vec();
    let path = format!("/matters/{matter}/paper-ballots?voterNo={voter}&choice={choice}");
    app.post_file(Some(token), &path, scan).await
}

/// A matter of `kind` the owners of `compound` passed: drafted and opened by the admin at the
/// clock's moment, a paper "yes" from every voter on the roll, counted an hour later; the clock
/// is then held at the moment it started from.
pub async fn passed_matter(app: &TestApp, compound: &str, kind: &str) -> String {
    let now = app.db.clock().now();
    let admin = app.login("admin@demo.test").await;
    let mut input = matter_input(compound, kind, false);
    input["closesAt"] = json!((now + chrono::Duration::hours(1)).to_rfc3339());
    let matter = opened(app, &admin, input).await;
    let roll = voters(app, &admin, &matter).await;
    let numbers: Vec<String> = roll["voters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v["voterNo"].to_string())
        .collect();
    for chunk in numbers.chunks(8) {
        let cast = chunk.iter().map(|n| paper(app, &admin, &matter, n, "yes"));
        for (status, answer) in futures_util::future::join_all(cast).await {
            assert_eq!(status, 200, "{answer}");
        }
    }
    app.db.clock().hold_at(now + chrono::Duration::hours(1));
    let body = app.gql(Some(&admin), CLOSE, json!({ "id": matter })).await;
    assert_eq!(ok(&body, "closeVote")["outcome"], "PASSED", "{body}");
    app.db.clock().hold_at(now);
    matter
}

async fn voters(app: &TestApp, token: &str, matter: &str) -> Value {
    let body = app.gql(Some(token), VOTERS, json!({ "id": matter })).await;
    ok(&body, "matter").clone()
}

async fn add_member(
    app: &TestApp,
    token: &str,
    household: &str,
    who: Value,
    role: &str,
    designated: bool,
) -> String {
    let mut input =
        json!({ "householdId": household, "role": role, "designatedVoter": designated });
    for (k, v) in who.as_object().into_iter().flatten() {
        input[k] = v.clone();
    }
    let body = app
        .gql(Some(token), "mutation($i: HouseholdMemberInput!) { addHouseholdMember(input: $i) { person { id } } }", json!({ "i": input }))
        .await;
    ok(&body, "addHouseholdMember")["person"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// A compound of four units: 老李 owns 1-101 (100 m²) and 1-102 (50 m²); 1-103 (80 m²) is
/// unsold; 1-104 (70 m²) is co-owned by 老王 and 王太太, who is designated to vote.
async fn four_units(app: &TestApp, admin: &str) -> String {
    let (_, compound, building) = scaffold(app, admin).await;
    let mut homes = vec![];
    for (room, area) in [("101", "100"), ("102", "50"), ("103", "80"), ("104", "70")] {
        let body = app
            .gql(
                Some(admin),
                CREATE_HOUSEHOLD,
                json!({ "i": household_input(&compound, &building, room, area) }),
            )
            .await;
        homes.push(id(ok(&body, "createHousehold")));
    }
    let li = json!({ "newPerson": { "name": "老李" } });
    let li = add_member(app, admin, &homes[0], li, "OWNER", true).await;
    for (home, who, role, designated) in [
        (1, json!({ "personId": li }), "OWNER", true),
        (
            3,
            json!({ "newPerson": { "name": "老王" } }),
            "OWNER",
            false,
        ),
        (
            3,
            json!({ "newPerson": { "name": "王太太" } }),
            "CO_OWNER",
            true,
        ),
    ] {
        add_member(app, admin, &homes[home], who, role, designated).await;
    }
    compound
}

/// The roll's voter numbers by name (the developer as "developer").
fn numbers(roll: &Value) -> std::collections::HashMap<String, String> {
    roll["voters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            let name = v["name"].as_str().unwrap_or("developer").to_owned();
            (name, v["voterNo"].to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_vote_runs_from_its_draft_to_its_certificate() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let admin = app.login("admin@demo.test").await;
    let compound = four_units(&app, &admin).await;
    // The demo's votes, held before.
    let demo_ballots = app.count("SELECT COUNT(*) FROM ballots").await;

    let body = app
        .gql(
            Some(&admin),
            DRAFT,
            json!({ "i": matter_input(&compound, "COMMON_PARTS_USE", false) }),
        )
        .await;
    let draft = ok(&body, "draftMatter").clone();
    assert_eq!(
        (draft["state"].as_str(), draft["rule"].as_str()),
        (Some("DRAFT"), Some("THREE_QUARTERS"))
    );
    let matter = id(&draft);
    // A draft has no roll: no ballot yet.
    let (status, answer) = paper(&app, &admin, &matter, "1", "yes").await;
    assert_eq!(
        (status, error_code(&answer), error_field(&answer)),
        (400, Some("CONFLICT"), Some("matterId")),
        "{answer}"
    );

    // The roll: 老李 once by head with both units' area; the unsold unit as the developer;
    // the co-owned unit under 王太太, the designated voter.
    let body = app.gql(Some(&admin), OPEN, json!({ "id": matter })).await;
    assert_eq!(
        ok(&body, "openVote")["roll"],
        json!({ "owners": 3, "area": "300.00" })
    );
    let roll = voters(&app, &admin, &matter).await;
    let mut seen: Vec<(String, bool, i64, String)> = roll["voters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or("").to_owned(),
                v["developer"] == true,
                v["units"].as_i64().unwrap_or(0),
                v["area"]["area"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (String::new(), true, 1, "80.00".to_owned()),
            ("王太太".to_owned(), false, 1, "70.00".to_owned()),
            ("老李".to_owned(), false, 2, "150.00".to_owned()),
        ]
    );
    let no = numbers(&roll);
    // Opening twice, or closing before its time, is refused.
    let body = app.gql(Some(&admin), OPEN, json!({ "id": matter })).await;
    refused(&body, "CONFLICT", Some("id"));
    let body = app.gql(Some(&admin), CLOSE, json!({ "id": matter })).await;
    refused(&body, "CONFLICT", Some("id"));

    // Paper ballots; 王太太 changes her mind twice and her last ballot stands.
    for (who, choice) in [
        ("老李", "yes"),
        ("王太太", "yes"),
        ("王太太", "no"),
        ("developer", "no"),
        ("王太太", "yes"),
    ] {
        let (status, answer) = paper(&app, &admin, &matter, &no[who], choice).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["choice"], choice, "{answer}");
    }
    let kept = app.count("SELECT COUNT(*) FROM ballots").await - demo_ballots;
    assert_eq!(kept, 5, "every ballot is kept");
    // Each paper ballot shows who entered it, and its scan is there to read.
    let papers =
        "query($id: ID!) { matter(id: $id) { voters { name ballot { enteredBy scanPath } } } }";
    let body = app.gql(Some(&admin), papers, json!({ "id": matter })).await;
    let li = ok(&body, "matter")["voters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["name"] == "老李")
        .cloned()
        .unwrap_or_default();
    assert_eq!(li["ballot"]["enteredBy"], "王经理", "{li}");
    let path = li["ballot"]["scanPath"]
        .as_str()
        .unwrap_or_else(|| panic!("{li}"));
    let (status, scan) = app.get_file(&admin, path).await;
    assert_eq!((status, &scan[..5]), (200, &b"%PDF-"[..]));
    let roll = voters(&app, &admin, &matter).await;
    assert_eq!(
        roll["participation"],
        json!({ "owners": 3, "areaCenti": 30000 })
    );

    // After its time: no more ballots; closed, 2 of 3 heads and 220 of 300 m² say yes — a
    // majority, but not the three quarters business use of common parts needs.
    app.db.clock().hold_at(at("2026-12-20T10:00:00Z"));
    let (_, answer) = paper(&app, &admin, &matter, &no["老李"], "no").await;
    assert_eq!(
        (error_code(&answer), error_field(&answer)),
        (Some("CONFLICT"), Some("matterId")),
        "{answer}"
    );
    let body = app.gql(Some(&admin), CLOSE, json!({ "id": matter })).await;
    let cert = ok(&body, "closeVote");
    assert_eq!(cert["outcome"], "REJECTED", "{cert}");
    assert_eq!(cert["publicityUntil"], "2026-12-27");
    assert_eq!(
        cert["participation"],
        json!({ "owners": 3, "area": "300.00" })
    );
    assert_eq!(cert["yes"], json!({ "owners": 2, "area": "220.00" }));
    assert_eq!(cert["no"], json!({ "owners": 1, "area": "80.00" }));
    assert_eq!(cert["abstain"], json!({ "owners": 0, "area": "0.00" }));
    let (_, answer) = paper(&app, &admin, &matter, &no["老李"], "no").await;
    assert_eq!(error_code(&answer), Some("CONFLICT"), "{answer}");

    // The receipts recount the tally and name no one.
    let body = app
        .gql(Some(&admin), RECEIPTS, json!({ "id": matter }))
        .await;
    let receipts = ok(&body, "matter")["receipts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(receipts.len(), 3);
    let yes: i64 = receipts
        .iter()
        .filter(|r| r["choice"] == "YES")
        .filter_map(|r| r["areaCenti"].as_i64())
        .sum();
    assert_eq!(yes, 22000);
    assert!(
        receipts
            .iter()
            .all(|r| r.as_object().is_some_and(|o| o.len() == 3))
    );

    // The same ballots on a matter that takes a majority pass it.
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let other = opened(&app, &admin, matter_input(&compound, "OTHER", false)).await;
    for (who, choice) in [("老李", "yes"), ("王太太", "yes"), ("developer", "no")] {
        assert_eq!(paper(&app, &admin, &other, &no[who], choice).await.0, 200);
    }
    app.db.clock().hold_at(at("2026-12-21T00:00:00Z"));
    let body = app.gql(Some(&admin), CLOSE, json!({ "id": other })).await;
    assert_eq!(ok(&body, "closeVote")["outcome"], "PASSED");
}

#[tokio::test]
async fn an_owner_votes_online_and_a_secret_vote_shows_staff_only_participation() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let committee = app.login("committee@demo.test").await;
    let resident = app.login("resident@demo.test").await;
    let compound = compound_id(&app, &committee, "国泰花园").await;
    let matter = opened(&app, &committee, matter_input(&compound, "OTHER", true)).await;

    let body = app
        .gql(
            Some(&resident),
            "{ myMatters { matter { id secret state } me { voterNo ballot { choice } } } }",
            json!({}),
        )
        .await;
    let mine = ok(&body, "myMatters")[0].clone();
    assert_eq!(mine["matter"]["id"], matter.as_str());
    assert!(
        mine["me"]["voterNo"].is_u64() && mine["me"]["ballot"].is_null(),
        "{mine}"
    );

    // The owner votes, changes their mind, and sees their own choice and receipt.
    let body = app
        .gql(Some(&resident), CAST, json!({ "m": matter, "c": "YES" }))
        .await;
    assert_eq!(ok(&body, "castBallot")["ballot"]["choice"], "YES");
    let body = app
        .gql(Some(&resident), CAST, json!({ "m": matter, "c": "NO" }))
        .await;
    let mine = ok(&body, "castBallot")["ballot"].clone();
    assert_eq!(
        (mine["choice"].as_str(), mine["channel"].as_str()),
        (Some("NO"), Some("ONLINE"))
    );
    let receipt = mine["receipt"]
        .as_str()
        .unwrap_or_else(|| panic!("{mine}"))
        .to_owned();

    // The committee and the bundle's grid worker see that they voted, not how.
    let grid = app.login("grid@demo.test").await;
    for token in [&committee, &grid] {
        let roll = voters(&app, token, &matter).await;
        assert_eq!(roll["participation"]["owners"], 1);
        let cast: Vec<&Value> = roll["voters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| !v["ballot"].is_null())
            .collect();
        assert_eq!(cast.len(), 1);
        assert_eq!(
            cast[0]["ballot"],
            json!({ "choice": null, "channel": "ONLINE", "receipt": null })
        );
    }
    // A paper ballot of a secret vote: entered, but its scan (which shows the choice) is read
    // by no one through the product.
    let roll = voters(&app, &committee, &matter).await;
    let other = roll["voters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["ballot"].is_null())
        .map(|v| v["voterNo"].to_string())
        .unwrap_or_default();
    let (status, answer) = paper(&app, &committee, &matter, &other, "yes").await;
    assert_eq!(status, 200, "{answer}");
    let scan = format!("/matters/{matter}/paper-ballots/{other}/scan");
    assert_eq!(app.get_file(&committee, &scan).await.0, 403);
    let papers =
        "query($id: ID!) { matter(id: $id) { voters { voterNo ballot { choice scanPath } } } }";
    let body = app
        .gql(Some(&committee), papers, json!({ "id": matter }))
        .await;
    let entered = ok(&body, "matter")["voters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["voterNo"] == other.parse::<u64>().unwrap_or_default())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        entered["ballot"],
        json!({ "choice": null, "scanPath": null })
    );

    // Nor does the audit log hold the choice.
    let sql = "SELECT COUNT(*) FROM audit_log WHERE action = 'governance.ballot'";
    assert_eq!(app.count(sql).await, 3);
    assert_eq!(
        app.count(&format!("{sql} AND CAST(detail AS TEXT) LIKE '%choice%'"))
            .await,
        0
    );
    // The accountant runs no votes and sees no roll; a staff member has no home to vote for.
    let accountant = app.login("accountant@demo.test").await;
    let body = app
        .gql(Some(&accountant), VOTERS, json!({ "id": matter }))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = app
        .gql(Some(&committee), CAST, json!({ "m": matter, "c": "YES" }))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    // One ballot of 418 households is no quorum; the published receipts hold the owner's.
    app.db.clock().hold_at(at("2026-12-20T10:00:00Z"));
    let body = app
        .gql(Some(&resident), CAST, json!({ "m": matter, "c": "YES" }))
        .await;
    refused(&body, "CONFLICT", Some("matterId"));
    let body = app
        .gql(Some(&committee), CLOSE, json!({ "id": matter }))
        .await;
    assert_eq!(ok(&body, "closeVote")["outcome"], "NO_QUORUM");
    let body = app
        .gql(Some(&resident), RECEIPTS, json!({ "id": matter }))
        .await;
    let receipts = ok(&body, "matter")["receipts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(receipts.len(), 2);
    let mine = json!({ "receipt": receipt, "choice": "NO", "areaCenti": mine_area(&app, &resident).await });
    assert!(receipts.contains(&mine), "{receipts:?}");
}

/// The resident's household's area, in 0.01 m².
async fn mine_area(app: &TestApp, resident: &str) -> i64 {
    let body = app
        .gql(
            Some(resident),
            "{ households { edges { node { areaCenti } } } }",
            json!({}),
        )
        .await;
    body["data"]["households"]["edges"][0]["node"]["areaCenti"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"))
}

#[tokio::test]
async fn bad_votes_are_refused_naming_their_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let admin = app.login("admin@demo.test").await;
    let compound = compound_id(&app, &admin, "文惠路供销社家属院").await;
    let good = matter_input(&compound, "OTHER", false);
    let (matters, ballots) = (
        app.count("SELECT COUNT(*) FROM matters").await,
        app.count("SELECT COUNT(*) FROM ballots").await,
    );
    let with = |k: &str, v: Value| {
        let mut i = good.clone();
        i[k] = v;
        i
    };
    for (input, field) in [
        (with("title", json!("  ")), "title"),
        (with("title", json!("题".repeat(101))), "title"),
        (with("body", json!("")), "body"),
        (with("body", json!("字".repeat(4001))), "body"),
        (with("closesAt", json!("2026-12-10T09:00:00Z")), "closesAt"),
        (with("closesAt", json!("2027-12-10T09:00:00Z")), "closesAt"),
        (with("publicityDays", json!(0)), "publicityDays"),
        (with("publicityDays", json!(91)), "publicityDays"),
        (with("compoundId", json!("nope")), "compoundId"),
    ] {
        let body = app.gql(Some(&admin), DRAFT, json!({ "i": input })).await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    let body = app
        .gql(
            Some(&admin),
            DRAFT,
            json!({ "i": with("compoundId", json!(uuid::Uuid::nil().to_string())) }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM matters").await, matters);
    // The accountant and a resident run no votes.
    for who in ["accountant@demo.test", "resident@demo.test"] {
        let token = app.login(who).await;
        let body = app.gql(Some(&token), DRAFT, json!({ "i": good })).await;
        assert!(
            matches!(error_code(&body), Some("FORBIDDEN" | "NOT_FOUND")),
            "{who}: {body}"
        );
    }

    let matter = opened(&app, &admin, good.clone()).await;
    for (voter, choice, field) in [
        ("9999", "yes", "voterNo"),
        ("x", "yes", "voterNo"),
        ("1", "maybe", "choice"),
    ] {
        let (_, answer) = paper(&app, &admin, &matter, voter, choice).await;
        assert_eq!(
            (error_code(&answer), error_field(&answer)),
            (Some("BAD_USER_INPUT"), Some(field)),
            "{answer}"
        );
    }
    let (_, answer) = app
        .post_file(
            Some(&admin),
            &format!("/matters/{matter}/paper-ballots?voterNo=1&choice=yes"),
            b"not a scan".to_vec(),
        )
        .await;
    assert_eq!(error_field(&answer), Some("file"), "{answer}");
    assert_eq!(app.count("SELECT COUNT(*) FROM ballots").await, ballots);

    // A compound with no households has no one to vote.
    let (_, empty, _) = scaffold(&app, &admin).await;
    let body = app
        .gql(
            Some(&admin),
            DRAFT,
            json!({ "i": matter_input(&empty, "OTHER", false) }),
        )
        .await;
    let draft = id(ok(&body, "draftMatter"));
    let body = app.gql(Some(&admin), OPEN, json!({ "id": draft })).await;
    refused(&body, "BAD_USER_INPUT", Some("id"));
}

/// `token`'s holder drafts a matter in `compound`: the answer.
async fn draft_as(app: &TestApp, token: &str, compound: &str) -> Value {
    let input = matter_input(compound, "OTHER", false);
    app.gql(Some(token), DRAFT, json!({ "i": input })).await
}

const APPOINT: &str =
    "mutation($i: CommitteeSeatInput!) { appointCommitteeMember(input: $i) { id post lastDay } }";

#[tokio::test]
async fn a_committee_term_gives_the_role_and_its_end_takes_it_away() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let admin = app.login("admin@demo.test").await;
    let compound = compound_id(&app, &admin, "文惠路供销社家属院").await;
    let grid = app.login("grid@demo.test").await;
    let body = app.gql(Some(&grid), "{ me { userId } }", json!({})).await;
    let user = ok(&body, "me")["userId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let seat = json!({ "compoundId": compound, "body": "SELF_MANAGEMENT", "name": "赵网格员", "post": "MEMBER",
        "phone": "138-0000-1111", "userId": user, "termFrom": "2026-12-01", "termTo": "2027-11-30" });
    let body = app.gql(Some(&admin), APPOINT, json!({ "i": seat })).await;
    let seat_id = id(ok(&body, "appointCommitteeMember"));
    // On the committee, they run the compound's votes.
    let body = draft_as(&app, &grid, &compound).await;
    ok(&body, "draftMatter");
    let body = app
        .gql(
            Some(&grid),
            "query($c: ID!) { committee(compoundId: $c) { name post phone lastDay } }",
            json!({ "c": compound }),
        )
        .await;
    assert_eq!(
        ok(&body, "committee"),
        &json!([{ "name": "赵网格员", "post": "MEMBER", "phone": "13800001111", "lastDay": "2027-11-30" }])
    );

    // Ended early, the role ends with the day.
    let body = app.gql(Some(&admin), "mutation($id: ID!, $on: NaiveDate!) { endCommitteeTerm(id: $id, on: $on) { lastDay } }", json!({ "id": seat_id, "on": "2026-12-10" })).await;
    assert_eq!(ok(&body, "endCommitteeTerm")["lastDay"], "2026-12-10");
    let body = draft_as(&app, &grid, &compound).await;
    ok(&body, "draftMatter");
    app.db.clock().hold_at(at("2026-12-11T10:00:00Z"));
    let body = draft_as(&app, &grid, &compound).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    // Bad seats.
    let bad = |k: &str, v: Value| {
        let mut s = seat.clone();
        s[k] = v;
        s
    };
    for (input, field) in [
        (bad("name", json!("")), "name"),
        (bad("phone", json!("电话")), "phone"),
        (bad("termTo", json!("2026-11-30")), "termTo"),
        (bad("termTo", json!("2032-12-01")), "termTo"),
        (
            bad("userId", json!(uuid::Uuid::nil().to_string())),
            "userId",
        ),
    ] {
        let body = app.gql(Some(&admin), APPOINT, json!({ "i": input })).await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    let body = app.gql(Some(&grid), APPOINT, json!({ "i": seat })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
}

const ACTIVATE: &str = "mutation($c: ID!, $m: ID!) { activateAddon(input: { compoundId: $c, kind: GREENERY_CARE, fromPeriod: \"2027-01\", matterId: $m }) { id matterId decisionRef } }";

#[tokio::test]
async fn an_add_on_fee_is_activated_only_under_a_passed_matter_of_its_kind() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let accountant = app.login("accountant@demo.test").await;
    let admin = app.login("admin@demo.test").await;
    let compound = compound_id(&app, &accountant, "驾鹤路机械厂宿舍").await;
    // A matter still being voted on, one of business use (not the firm's service), another
    // compound's: each refused at matterId, nothing written.
    let open = opened(
        &app,
        &admin,
        matter_input(&compound, "PROPERTY_FIRM", false),
    )
    .await;
    let business = passed_matter(&app, &compound, "COMMON_PARTS_USE").await;
    let elsewhere = compound_id(&app, &accountant, "文惠路供销社家属院").await;
    let elsewhere = passed_matter(&app, &elsewhere, "PROPERTY_FIRM").await;
    for matter in [&open, &business, &elsewhere] {
        let body = app
            .gql(
                Some(&accountant),
                ACTIVATE,
                json!({ "c": compound, "m": matter }),
            )
            .await;
        refused(&body, "BAD_USER_INPUT", Some("matterId"));
    }
    let listed =
        "query($c: ID!) { addonActivations(compoundId: $c) { kind matterId decisionRef } }";
    let body = app
        .gql(Some(&accountant), listed, json!({ "c": compound }))
        .await;
    assert_eq!(ok(&body, "addonActivations"), &json!([]));

    let passed = passed_matter(&app, &compound, "PROPERTY_FIRM").await;
    let body = app
        .gql(
            Some(&accountant),
            ACTIVATE,
            json!({ "c": compound, "m": passed }),
        )
        .await;
    let a = ok(&body, "activateAddon");
    assert_eq!(
        (a["matterId"].as_str(), a["decisionRef"].as_str()),
        (
            Some(passed.as_str()),
            Some("关于利用公共部位设置广告的决定")
        )
    );
    // The demo's add-on, recorded before votes existed, keeps its text and has no matter.
    let liaoyuan = compound_id(&app, &accountant, "燎原新村").await;
    let body = app
        .gql(Some(&accountant), listed, json!({ "c": liaoyuan }))
        .await;
    assert_eq!(ok(&body, "addonActivations")[0]["matterId"], Value::Null);
    assert_eq!(
        ok(&body, "addonActivations")[0]["decisionRef"],
        "2026年第1次业主大会决议（停车管理）"
    );
}

#[tokio::test]
async fn the_demo_shows_a_counted_vote_and_its_committee() {
    let app = TestApp::spawn().await;
    let committee = app.login("committee@demo.test").await;
    let compound = compound_id(&app, &committee, "国泰花园").await;
    let body = app
        .gql(Some(&committee), "query($c: ID!) { matters(compoundId: $c) { kind outcome roll { owners } participation { owners } } committee(compoundId: $c) { name post lastDay } }", json!({ "c": compound }))
        .await;
    let matters = ok(&body, "matters").as_array().cloned().unwrap_or_default();
    assert_eq!(matters.len(), 3);
    for m in &matters {
        assert_eq!(m["outcome"], "PASSED", "{m}");
        // One in twenty (one in ten, on the budget) stays away.
        let (roll, took_part) = (
            m["roll"]["owners"].as_i64().unwrap_or(0),
            m["participation"]["owners"].as_i64().unwrap_or(0),
        );
        assert!(
            roll > 400 && took_part < roll && took_part * 3 >= roll * 2,
            "{m}"
        );
    }
    assert_eq!(
        body["data"]["committee"],
        json!([{ "name": "黄主任", "post": "CHAIR", "lastDay": "2029-05-31" }])
    );
    // The income resolution records the business-use vote.
    let body = app
        .gql(
            Some(&committee),
            "query($c: ID!) { businessUseResolutions(compoundId: $c) { matterId } }",
            json!({ "c": compound }),
        )
        .await;
    let business = matters.iter().position(|m| m["kind"] == "COMMON_PARTS_USE");
    assert!(
        business.is_some() && ok(&body, "businessUseResolutions")[0]["matterId"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn a_new_split_rule_needs_a_resolution_of_the_owners_vote() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let accountant = app.login("accountant@demo.test").await;
    let compound = compound_id(&app, &accountant, "燎原新村").await;
    // A resolution recorded before votes existed, as the migration kept them.
    let owner = app.owner_db().await;
    let db = owner.as_ref().unwrap_or(&app.db);
    let tenant: uuid::Uuid = {
        let body = app
            .gql(Some(&accountant), "{ me { tenant { id } } }", json!({}))
            .await;
        ok(&body, "me")["tenant"]["id"]
            .as_str()
            .unwrap_or_default()
            .parse()
            .unwrap_or_default()
    };
    let legacy = uuid::Uuid::now_v7();
    let backend = db.backend();
    let slots = if backend == sea_orm::DbBackend::Postgres {
        "$1, $2, $3, $4, $5, $6, $7"
    } else {
        "?, ?, ?, ?, ?, ?, ?"
    };
    let values: Vec<sea_orm::Value> = vec![
        tenant.into(),
        legacy.into(),
        at("2026-01-05T00:00:00Z").into(),
        compound.parse::<uuid::Uuid>().unwrap_or_default().into(),
        "旧决议".into(),
        chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap_or_default()
            .into(),
        uuid::Uuid::nil().into(),
    ];
    db.connection()
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            format!("INSERT INTO business_use_resolutions (tenant_id, id, created_at, compound_id, document_no, decided_on, recorded_by) VALUES ({slots})"),
            values,
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let rule = "mutation($i: IncomeSplitRuleInput!) { setIncomeSplitRule(input: $i) { id } }";
    let input = |resolution: String| {
        json!({ "i": { "compoundId": compound, "category": "ADVERTISING", "effectiveFrom": "2026-12",
        "ownersBp": 8000, "firmBp": 2000, "resolutionId": resolution } })
    };
    let body = app
        .gql(Some(&accountant), rule, input(legacy.to_string()))
        .await;
    refused(&body, "BAD_USER_INPUT", Some("resolutionId"));
    // With the owners' vote recorded, the rule is adopted.
    let matter = passed_matter(&app, &compound, "COMMON_PARTS_USE").await;
    let recorded = app
        .gql(Some(&accountant), "mutation($c: ID!, $m: ID!) { recordBusinessUseResolution(input: { compoundId: $c, matterId: $m, documentNo: \"新决议\", decidedOn: \"2026-12-10\" }) { id } }", json!({ "c": compound, "m": matter }))
        .await;
    let resolution = id(ok(&recorded, "recordBusinessUseResolution"));
    let body = app.gql(Some(&accountant), rule, input(resolution)).await;
    ok(&body, "setIncomeSplitRule");
}
