use std::collections::HashSet;

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

pub const CREATE_BUNDLE: &str =
    "mutation($i: BundleInput!) { createBundle(input: $i) { id name } }";
pub const CREATE_COMPOUND: &str = "mutation($i: CompoundInput!) { createCompound(input: $i) { id name onboardingStep security { met } } }";
pub const CREATE_BUILDING: &str =
    "mutation($i: BuildingInput!) { createBuilding(input: $i) { id label } }";
pub const CREATE_HOUSEHOLD: &str =
    "mutation($i: HouseholdInput!) { createHousehold(input: $i) { id room area areaCenti } }";

/// `{ id }` of what a mutation or query returns.
#[derive(serde::Deserialize)]
pub struct Id {
    pub id: String,
}

/// A connection's nodes: `{ edges { node { … } } }`.
#[derive(serde::Deserialize)]
pub struct Connection<T> {
    pub edges: Vec<Edge<T>>,
}

#[derive(serde::Deserialize)]
pub struct Edge<T> {
    pub node: T,
}

pub async fn compound_id(app: &TestApp, token: &str, name: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Found {
        compounds: Connection<Id>,
    }
    let found: Found = app
        .data(
            Some(token),
            "query($s: String) { compounds(search: $s) { edges { node { id } } } }",
            json!({ "s": name }),
        )
        .await;
    let first = found.compounds.edges.into_iter().next();
    first
        .unwrap_or_else(|| panic!("no compound {name}"))
        .node
        .id
}

/// A fresh bundle → compound → building, returning (bundle, compound, building) ids.
pub async fn scaffold(app: &TestApp, token: &str) -> (String, String, String) {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Bundle {
        create_bundle: Id,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Compound {
        create_compound: NewCompound,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct NewCompound {
        id: String,
        onboarding_step: i64,
        security: Security,
    }
    #[derive(serde::Deserialize)]
    struct Security {
        met: i64,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Building {
        create_building: Id,
    }
    let b: Bundle = app.data(Some(token), CREATE_BUNDLE, json!({ "i": { "name": "测试项目", "streetOffice": "测试街道", "district": "测试区" } })).await;
    let bundle = b.create_bundle.id;
    let c: Compound = app.data(Some(token), CREATE_COMPOUND, json!({ "i": { "bundleId": bundle, "name": "测试小区", "address": "测试路1号",
        "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM", "security": { "cctv": true, "gate": true } } })).await;
    assert_eq!(c.create_compound.onboarding_step, 1);
    assert_eq!(c.create_compound.security.met, 2);
    let compound = c.create_compound.id;
    let g: Building = app
        .data(
            Some(token),
            CREATE_BUILDING,
            json!({ "i": { "compoundId": compound, "label": "1栋" } }),
        )
        .await;
    (bundle, compound, g.create_building.id)
}

pub fn household_input(compound: &str, building: &str, room: &str, area: &str) -> Value {
    json!({ "compoundId": compound, "buildingId": building, "unit": "1单元", "room": room, "area": area,
            "areaSource": "PROPERTY_REGISTER", "activeFrom": "2026-01-01" })
}

#[tokio::test]
async fn the_admin_browses_bundles_compounds_and_households() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let body = app
        .gql(Some(&token), "{ bundles { edges { node { name streetOffice compounds { edges { node { name householdCount } } } } } } }", json!({}))
        .await;
    let bundles = body["data"]["bundles"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(bundles.len(), 2, "{body}");
    let compounds: Vec<Value> = bundles
        .iter()
        .flat_map(|b| {
            b["node"]["compounds"]["edges"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(compounds.len(), 10);
    let guotai = compounds
        .iter()
        .find(|c| c["node"]["name"] == "国泰花园")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        guotai["node"]["householdCount"],
        app.households_in("国泰花园").await
    );
    let longsha = compounds
        .iter()
        .find(|c| c["node"]["name"] == "龙沙乡家属楼")
        .cloned()
        .unwrap_or_default();
    assert_eq!(longsha["node"]["householdCount"], 120);

    let id = compound_id(&app, &token, "国泰").await;
    let detail = app.gql(Some(&token), "query($id: ID!) { compound(id: $id) { name buildings { label } bundle { name } managementMode } }", json!({ "id": id })).await;
    assert_eq!(
        detail["data"]["compound"]["buildings"]
            .as_array()
            .map(Vec::len),
        Some(9),
        "{detail}"
    );
    assert_eq!(
        detail["data"]["compound"]["bundle"]["name"],
        "柳州城中区老旧小区打包项目"
    );
}

#[tokio::test]
async fn households_page_through_with_cursors_without_gaps_or_repeats() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let id = compound_id(&app, &token, "国泰花园").await;
    let q = "query($c: ID!, $after: String) { compound(id: $c) { households(first: 100, after: $after) {
               edges { cursor node { id room building { label } } } pageInfo { hasNextPage endCursor } } } }";
    let mut seen = HashSet::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let body = app
            .gql(Some(&token), q, json!({ "c": id, "after": after }))
            .await;
        let conn = &body["data"]["compound"]["households"];
        for e in conn["edges"].as_array().cloned().unwrap_or_default() {
            assert!(
                seen.insert(e["node"]["id"].as_str().unwrap_or_default().to_owned()),
                "repeated household"
            );
            assert!(
                e["node"]["building"]["label"]
                    .as_str()
                    .is_some_and(|l| l.ends_with('栋'))
            );
        }
        pages += 1;
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let households = app.households_in("国泰花园").await;
    assert_eq!(seen.len() as i64, households);
    assert_eq!(pages, (households + 99) / 100, "pages of 100");
}

#[tokio::test]
async fn households_are_searchable_by_room() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let id = compound_id(&app, &token, "国泰花园").await;
    let body = app.gql(Some(&token), "query($c: ID!) { households(compoundId: $c, room: \"101\", first: 100) { edges { node { room } } } }", json!({ "c": id })).await;
    let rooms: Vec<String> = body["data"]["households"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| e["node"]["room"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(!rooms.is_empty(), "{body}");
    assert!(rooms.iter().all(|r| r.contains("101")));
    // LIKE wildcards in the search are literal.
    let none = app.gql(Some(&token), "query($c: ID!) { households(compoundId: $c, room: \"%\") { edges { node { room } } } }", json!({ "c": id })).await;
    assert_eq!(none["data"]["households"]["edges"], json!([]));
}

#[tokio::test]
async fn listing_compounds_with_counts_takes_the_same_number_of_statements_for_2_or_10() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let q = "query($n: Int) { compounds(first: $n) { edges { node { name householdCount bundle { name } } } } }";
    let mut used = vec![];
    // The session's first request loads it (not counted).
    app.gql(Some(&token), "{ me { displayName } }", json!({}))
        .await;
    for n in [2, 10] {
        let (before, _) = app.db.statement_stats();
        let body = app.gql(Some(&token), q, json!({ "n": n })).await;
        let (after, _) = app.db.statement_stats();
        assert_eq!(
            body["data"]["compounds"]["edges"].as_array().map(Vec::len),
            Some(n),
            "{body}"
        );
        used.push(after - before);
    }
    assert_eq!(used[0], used[1], "statements grew with the page: {used:?}");
    assert!(used[1] <= 20, "too many statements: {used:?}");
}

#[tokio::test]
async fn the_admin_builds_a_compound_and_adds_households_and_people() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let (_, compound, building) = scaffold(&app, &token).await;
    let h = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, "301", "89.5") }),
        )
        .await;
    assert_eq!(h["data"]["createHousehold"]["area"], "89.50", "{h}");
    assert_eq!(h["data"]["createHousehold"]["areaCenti"], 8950);
    let household = h["data"]["createHousehold"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Its receivable account is open from the start, at ¥0, so billing only posts to it.
    let accounts = app
        .gql(
            Some(&token),
            "query($c: ID!) { ledgerAccounts(compoundId: $c, first: 100) { edges { node { kind householdId balance { fen } } } } }",
            json!({ "c": compound }),
        )
        .await;
    let receivables: Vec<&Value> = accounts["data"]["ledgerAccounts"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{accounts}"))
        .iter()
        .map(|e| &e["node"])
        .filter(|n| n["kind"] == "HOUSEHOLD_RECEIVABLE")
        .collect();
    assert_eq!(receivables.len(), 1, "{accounts}");
    assert_eq!(
        receivables[0]["householdId"],
        household.as_str(),
        "{accounts}"
    );
    assert_eq!(receivables[0]["balance"]["fen"], 0, "{accounts}");

    let m = app.gql(Some(&token), "mutation($h: ID!) { addHouseholdMember(input: { householdId: $h, newPerson: { name: \"王秀英\", phone: \"138-0013-8000\", idNumber: \"11010519491231002X\" }, role: OWNER, designatedVoter: true }) { role designatedVoter person { id name phoneMasked idNumberMasked } } }",
        json!({ "h": household })).await;
    let added = &m["data"]["addHouseholdMember"];
    assert_eq!(added["designatedVoter"], true, "{m}");
    assert_eq!(added["person"]["phoneMasked"], "138****8000", "{m}");
    assert_eq!(added["person"]["idNumberMasked"], "110***********002X");
    let person = added["person"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let dup = app.gql(Some(&token), "mutation($h: ID!, $p: ID!) { addHouseholdMember(input: { householdId: $h, personId: $p, role: CO_OWNER }) { role } }",
        json!({ "h": household, "p": person })).await;
    assert_eq!(error_code(&dup), Some("CONFLICT"));
    assert_eq!(error_field(&dup), Some("personId"));

    let count = app
        .gql(
            Some(&token),
            "query($id: ID!) { compound(id: $id) { householdCount } }",
            json!({ "id": compound }),
        )
        .await;
    assert_eq!(count["data"]["compound"]["householdCount"], 1);
}

#[tokio::test]
async fn archiving_keeps_history_and_hides_from_lists() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let (bundle, compound, building) = scaffold(&app, &token).await;
    let h = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, "101", "60") }),
        )
        .await;
    let household = h["data"]["createHousehold"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let busy = app
        .gql(
            Some(&token),
            "mutation($id: ID!) { archiveBundle(id: $id) { id } }",
            json!({ "id": bundle }),
        )
        .await;
    assert_eq!(error_code(&busy), Some("CONFLICT"), "{busy}");

    let archived = app
        .gql(
            Some(&token),
            "mutation($id: ID!) { archiveHousehold(id: $id) { archivedAt } }",
            json!({ "id": household }),
        )
        .await;
    assert!(
        archived["data"]["archiveHousehold"]["archivedAt"].is_string(),
        "{archived}"
    );
    let still = app
        .gql(
            Some(&token),
            "query($id: ID!) { household(id: $id) { room archivedAt } }",
            json!({ "id": household }),
        )
        .await;
    assert_eq!(still["data"]["household"]["room"], "101");
    let listed = app
        .gql(
            Some(&token),
            "query($c: ID!) { households(compoundId: $c) { edges { node { id } } } }",
            json!({ "c": compound }),
        )
        .await;
    assert_eq!(listed["data"]["households"]["edges"], json!([]));

    app.gql(
        Some(&token),
        "mutation($id: ID!) { archiveCompound(id: $id) { id } }",
        json!({ "id": compound }),
    )
    .await;
    let done = app
        .gql(
            Some(&token),
            "mutation($id: ID!) { archiveBundle(id: $id) { archivedAt } }",
            json!({ "id": bundle }),
        )
        .await;
    assert!(
        done["data"]["archiveBundle"]["archivedAt"].is_string(),
        "{done}"
    );
}

#[tokio::test]
async fn updates_change_what_they_say() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let (bundle, compound, building) = scaffold(&app, &token).await;
    let b = app.gql(Some(&token), "mutation($id: ID!) { updateBundle(id: $id, input: { name: \"改名项目\", streetOffice: \"新街道\", district: \"新区\" }) { name streetOffice } }", json!({ "id": bundle })).await;
    assert_eq!(b["data"]["updateBundle"]["streetOffice"], "新街道", "{b}");
    let c = app.gql(Some(&token), "mutation($id: ID!, $b: ID!) { updateCompound(id: $id, input: { bundleId: $b, name: \"改名小区\", address: \"新路\", managementMode: SELF_GOVERNED, chargingMode: COMMISSION, onboardingStage: STANDARDISE }) { name chargingMode onboardingStep } }",
        json!({ "id": compound, "b": bundle })).await;
    assert_eq!(
        c["data"]["updateCompound"]["chargingMode"], "COMMISSION",
        "{c}"
    );
    assert_eq!(c["data"]["updateCompound"]["onboardingStep"], 7);
    let h = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, "101", "60") }),
        )
        .await;
    let household = h["data"]["createHousehold"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let u = app.gql(Some(&token), "mutation($id: ID!) { updateHousehold(id: $id, input: { area: \"61.25\", areaSource: SURVEY, activeTo: \"2026-12-31\" }) { area areaSource activeTo } }", json!({ "id": household })).await;
    assert_eq!(
        u["data"]["updateHousehold"],
        json!({ "area": "61.25", "areaSource": "SURVEY", "activeTo": "2026-12-31" }),
        "{u}"
    );
}

#[tokio::test]
async fn rooms_list_as_people_count_them_page_after_page() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let (_, compound, building) = scaffold(&app, &token).await;
    for room in ["1001", "101", "201", "99", "1002"] {
        let body = app
            .gql(
                Some(&token),
                CREATE_HOUSEHOLD,
                json!({ "i": household_input(&compound, &building, room, "50") }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let q = "query($c: ID!, $after: String) { households(compoundId: $c, first: 2, after: $after) { edges { node { room } } pageInfo { endCursor hasNextPage } } }";
    let mut rooms = Vec::new();
    let mut after = Value::Null;
    for _ in 0..3 {
        let body = app
            .gql(Some(&token), q, json!({ "c": compound, "after": after }))
            .await;
        let page = &body["data"]["households"];
        for e in page["edges"].as_array().cloned().unwrap_or_default() {
            rooms.push(e["node"]["room"].as_str().unwrap_or_default().to_owned());
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(rooms, ["99", "101", "201", "1001", "1002"]);
}

#[tokio::test]
async fn a_new_person_joins_a_household_in_one_step_or_not_at_all() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let (_, compound, building) = scaffold(&app, &token).await;
    let made = app
        .gql(
            Some(&token),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, "101", "50") }),
        )
        .await;
    let household = made["data"]["createHousehold"]["id"].clone();
    let add = "mutation($i: HouseholdMemberInput!) { addHouseholdMember(input: $i) { role designatedVoter person { name phone } } }";
    let persons = || app.count("SELECT count(*) FROM persons");
    let before = persons().await;
    let input = |person: Value, role: &str, voter: bool| json!({ "i": { "householdId": household, "newPerson": person, "role": role, "designatedVoter": voter } });
    // Refused before or while adding: no person is left without a household.
    for (vars, field) in [
        (
            input(
                json!({ "name": "李桂兰", "phone": "not a phone" }),
                "OWNER",
                true,
            ),
            "phone",
        ),
        (
            input(json!({ "name": "李桂兰" }), "TENANT", true),
            "designatedVoter",
        ),
        (
            json!({ "i": { "householdId": household, "role": "OWNER" } }),
            "personId",
        ),
    ] {
        let body = app.gql(Some(&token), add, vars).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(error_field(&body), Some(field), "{body}");
    }
    assert_eq!(persons().await, before);
    let body = app
        .gql(
            Some(&token),
            add,
            input(
                json!({ "name": "李桂兰", "phone": "13900001234" }),
                "OWNER",
                true,
            ),
        )
        .await;
    let m = &body["data"]["addHouseholdMember"];
    assert_eq!(m["person"]["name"], "李桂兰", "{body}");
    assert_eq!(m["designatedVoter"], true);
    assert_eq!(persons().await, before + 1);
}

/// Every household of a compound in `order`, a page of `first` at a time: (area in centi-m²,
/// id) of each, and how many pages it took.
async fn all_in_order(
    app: &TestApp,
    token: &str,
    compound: &str,
    order: &str,
) -> (Vec<(i64, String)>, usize) {
    const PAGE: &str = "query($c: ID!, $o: HouseholdOrder, $a: String) {
        households(compoundId: $c, orderBy: $o, first: 100, after: $a) {
            edges { node { id area } } pageInfo { hasNextPage endCursor } } }";
    let (mut seen, mut pages, mut after) = (Vec::new(), 0, Value::Null);
    loop {
        let body = app
            .gql(
                Some(token),
                PAGE,
                json!({ "c": compound, "o": order, "a": after }),
            )
            .await;
        let page = &body["data"]["households"];
        for e in page["edges"].as_array().unwrap_or_else(|| panic!("{body}")) {
            let area = e["node"]["area"]
                .as_str()
                .unwrap_or_default()
                .replace('.', "");
            let centi: i64 = area.parse().unwrap_or_else(|_| panic!("{body}"));
            seen.push((
                centi,
                e["node"]["id"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        pages += 1;
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            return (seen, pages);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn households_are_listed_by_area_across_pages_each_once() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    let guotai = compound_id(&app, &token, "国泰").await;
    let (by_place, _) = all_in_order(&app, &token, &guotai, "PLACE").await;
    let (up, pages) = all_in_order(&app, &token, &guotai, "AREA_ASCENDING").await;
    let (down, _) = all_in_order(&app, &token, &guotai, "AREA_DESCENDING").await;
    assert!(pages > 1, "the compound fills more than one page");
    let mut expected = by_place.clone();
    expected.sort();
    assert_eq!(up, expected, "smallest first, each household once");
    expected.reverse();
    assert_eq!(down, expected, "largest first, each household once");
    let bad = app
        .gql(
            Some(&token),
            "query($c: ID!) { households(compoundId: $c, orderBy: SIDEWAYS) { edges { node { id } } } }",
            json!({ "c": guotai }),
        )
        .await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");
}
