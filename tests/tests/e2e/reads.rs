//! The read path: what a page's query costs the database, whatever it shows.

use courtyard_tests::{TestApp, error_code};
use serde_json::{Value, json};

use super::billing::{PAY, RUN, pay_input};
use super::tenancy::{CREATE_HOUSEHOLD, household_input, scaffold};

/// The web app's resident bill page, as `frontend/src/resident/Bills.tsx` sends it.
const HOUSEHOLD_BILLS: &str = "query HouseholdBills($id: ID!) {
    householdAccount(householdId: $id) {
      balance { fen }
      invoices { id number period daysBilled gross { fen } waived { fen } due { fen } paid { fen } credited { fen } outstanding { fen } lines { kind amount { fen } lateFeeFor workOrderId } }
      payments { id amount { fen } method receiptNo receivedAt reversed }
    }
    onlinePayment { enabled }
  }";

/// The statements one request of `query` took, and its answer.
async fn statements(app: &TestApp, token: &str, query: &str, variables: Value) -> (u64, Value) {
    let (before, _) = app.db.statement_stats();
    let body = app.gql(Some(token), query, variables).await;
    let (after, _) = app.db.statement_stats();
    assert!(body["errors"].is_null(), "{body}");
    (after - before, body)
}

/// Signs `token` in on the server: a session's first request loads it (not counted by the
/// tests), the ones after find it held.
async fn hold_session(app: &TestApp, token: &str) {
    statements(app, token, "{ me { displayName } }", json!({})).await;
}

/// Months from 2022-10 on, `n` of them.
fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", 2022 + (9 + i) / 12, (9 + i) % 12 + 1))
        .collect()
}

async fn new_household(
    app: &TestApp,
    token: &str,
    ids: (&str, &str),
    room: &str,
    from: &str,
) -> String {
    let mut input = household_input(ids.0, ids.1, room, "80");
    input["activeFrom"] = json!(from);
    let h = app
        .gql(Some(token), CREATE_HOUSEHOLD, json!({ "i": input }))
        .await;
    h["data"]["createHousehold"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{h}"))
        .to_owned()
}

#[tokio::test]
async fn the_bill_page_takes_four_statements_for_one_month_or_fifty() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let (_, compound, building) = scaffold(&app, &admin).await;
    let ids = (compound.as_str(), building.as_str());
    let long = new_household(&app, &admin, ids, "301", "2022-01-01").await;
    let short = new_household(&app, &admin, ids, "302", "2026-11-01").await;
    let schedule = app
        .gql(
            Some(&admin),
            "mutation($i: FeeScheduleInput!) { setFeeSchedule(input: $i) { id } }",
            json!({ "i": { "compoundId": compound, "effectiveFrom": "2022-10", "note": "测试",
            "items": [{ "kind": "GARBAGE_REMOVAL", "pricing": "PER_HOUSEHOLD", "rate": "10" },
                      { "kind": "SECURITY_PATROL", "pricing": "PER_HOUSEHOLD", "rate": "20" }] } }),
        )
        .await;
    assert!(schedule["errors"].is_null(), "{schedule}");
    let accountant = app.login("accountant@demo.test").await;
    for period in months(50) {
        let run = app
            .gql(
                Some(&accountant),
                RUN,
                json!({ "i": { "period": period, "compoundId": compound } }),
            )
            .await;
        assert!(
            run["data"]["runBilling"]["invoiced"].as_u64() >= Some(1),
            "{period}: {run}"
        );
    }
    for (household, key) in [(&long, "long-1"), (&long, "long-2"), (&short, "short-1")] {
        let paid = app
            .gql(Some(&accountant), PAY, pay_input(household, "30", key))
            .await;
        assert!(paid["errors"].is_null(), "{paid}");
    }

    hold_session(&app, &accountant).await;
    let mut used = vec![];
    for (household, invoices, payments) in [(&short, 1, 1), (&long, 50, 2)] {
        let (n, body) = statements(
            &app,
            &accountant,
            HOUSEHOLD_BILLS,
            json!({ "id": household }),
        )
        .await;
        let account = &body["data"]["householdAccount"];
        assert_eq!(
            account["invoices"].as_array().map(Vec::len),
            Some(invoices),
            "{body}"
        );
        let lines: usize = account["invoices"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| i["lines"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(lines, invoices * 2, "{body}");
        // Every month is ¥30.00; the payments of ¥30.00 paid the oldest months.
        assert_eq!(
            account["invoices"][invoices - 1]["paid"]["fen"],
            3_000,
            "{body}"
        );
        assert_eq!(
            account["payments"].as_array().map(Vec::len),
            Some(payments),
            "{body}"
        );
        let owed = 3_000 * (invoices - payments);
        assert_eq!(account["balance"]["fen"], json!(owed), "{body}");
        used.push(n);
    }
    assert_eq!(
        used[0], used[1],
        "statements grew with the months shown: {used:?}"
    );
    assert!(used[1] <= 4, "the bill page took {} statements", used[1]);
}

#[tokio::test]
async fn a_request_refused_for_its_size_costs_the_database_nothing() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    hold_session(&app, &token).await;
    let aliases: String = (0..40)
        .map(|i| format!("a{i}: households(first: 200) {{ edges {{ node {{ id compound {{ households(first: 200) {{ edges {{ node {{ id }} }} }} }} }} }} }}"))
        .collect();
    let (before, _) = app.db.statement_stats();
    let body = app
        .gql(Some(&token), &format!("{{ {aliases} }}"), json!({}))
        .await;
    let (after, _) = app.db.statement_stats();
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(after - before, 0, "the refusal took statements");

    // A page above the largest is refused by its argument, before any read.
    let (before, _) = app.db.statement_stats();
    let body = app
        .gql(
            Some(&token),
            "{ households(first: 101) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let (after, _) = app.db.statement_stats();
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(courtyard_tests::error_field(&body), Some("first"), "{body}");
    assert_eq!(after - before, 0, "the refusal took statements");
}

/// A page's query, as the web app sends it, with its page size or range a variable.
struct Page {
    name: &'static str,
    query: &'static str,
    /// Where the page's items are in the answer.
    items: &'static [&'static str],
}

fn count_items(body: &Value, path: &[&str]) -> usize {
    path.iter()
        .fold(body, |v, key| &v[*key])
        .as_array()
        .map_or(0, Vec::len)
}

const HOUSEHOLDS: Page = Page {
    name: "CompoundHouseholds",
    query: "query CompoundHouseholds($id: ID!, $n: Int) { households(compoundId: $id, first: $n) {
        edges { node { id unit room area activeTo building { label } } } pageInfo { hasNextPage endCursor } } }",
    items: &["data", "households", "edges"],
};

const ARREARS_LIST: Page = Page {
    name: "ArrearsList",
    query: "query ArrearsList($n: Int) { arrearsList(first: $n) {
        edges { node { householdId compoundName building unit room owed { fen } aged { total { fen } oldestPeriod } } }
        pageInfo { hasNextPage endCursor } } }",
    items: &["data", "arrearsList", "edges"],
};

const STATEMENT: Page = Page {
    name: "AccountStatement",
    query: "query AccountStatement($id: ID!, $n: Int) { accountStatement(accountId: $id, from: \"2026-01-01\", to: \"2026-12-31\", first: $n) {
        account { id kind compoundId naturalBalance { display } } openingBalance { fen }
        edges { node { entryId occurredAt memo kind amount { fen } balanceAfter { fen } } } pageInfo { hasNextPage endCursor } } }",
    items: &["data", "accountStatement", "edges"],
};

const COLLECTION: Page = Page {
    name: "Collection",
    query: "query Collection($id: ID!, $from: String!, $to: String!) { collection(compoundId: $id, from: $from, to: $to) {
        period due { fen } collected { fen } waived { fen } householdsBilled householdsPaid collectionRateBp } }",
    items: &["data", "collection"],
};

const BUNDLE_COLLECTION: Page = Page {
    name: "BundleCollection",
    query: "query BundleCollection($id: ID!, $from: String!, $to: String!) { bundleCollection(bundleId: $id, from: $from, to: $to) {
        months { period collectionRateBp } compounds { compoundId name months { collectionRateBp } } } }",
    items: &["data", "bundleCollection", "compounds"],
};

/// The statements `page` took for each of two requests, after checking each showed the
/// number of items it should.
async fn compare(app: &TestApp, token: &str, page: &Page, runs: [(Value, usize); 2]) {
    let mut used = [0; 2];
    for (i, (variables, items)) in runs.into_iter().enumerate() {
        let (n, body) = statements(app, token, page.query, variables).await;
        assert_eq!(
            count_items(&body, page.items),
            items,
            "{}: {body}",
            page.name
        );
        used[i] = n;
    }
    assert_eq!(
        used[0], used[1],
        "{}: statements grew with the items shown",
        page.name
    );
}

#[tokio::test]
async fn each_main_page_takes_as_many_statements_for_fifty_items_as_for_one() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let accountant = app.login("accountant@demo.test").await;
    let billed = app
        .gql(
            Some(&accountant),
            RUN,
            json!({ "i": { "period": "2026-11" } }),
        )
        .await;
    assert!(billed["errors"].is_null(), "{billed}");
    let guotai = super::tenancy::compound_id(&app, &accountant, "国泰花园").await;
    hold_session(&app, &accountant).await;

    compare(
        &app,
        &accountant,
        &HOUSEHOLDS,
        [
            (json!({ "id": guotai, "n": 1 }), 1),
            (json!({ "id": guotai, "n": 50 }), 50),
        ],
    )
    .await;

    compare(
        &app,
        &accountant,
        &ARREARS_LIST,
        [(json!({ "n": 1 }), 1), (json!({ "n": 50 }), 50)],
    )
    .await;

    let accounts = super::ledger::accounts(&app, &accountant, &guotai).await;
    let income = super::ledger::account_id(&accounts, "FEE_INCOME");
    compare(
        &app,
        &accountant,
        &STATEMENT,
        [
            (json!({ "id": income, "n": 1 }), 1),
            (json!({ "id": income, "n": 50 }), 50),
        ],
    )
    .await;

    let months = months(50);
    let (first, last) = (&months[0], &months[49]);
    compare(
        &app,
        &accountant,
        &COLLECTION,
        [
            (json!({ "id": guotai, "from": last, "to": last }), 1),
            (json!({ "id": guotai, "from": first, "to": last }), 50),
        ],
    )
    .await;

    // A bundle of one compound, then of fifty.
    let (bundle, _, _) = scaffold(&app, &admin).await;
    hold_session(&app, &accountant).await;
    let one = json!({ "id": bundle, "from": "2026-11", "to": "2026-11" });
    let mut used = vec![statements(&app, &accountant, BUNDLE_COLLECTION.query, one.clone()).await];
    for i in 2..=50 {
        let created = app.gql(Some(&admin), "mutation($i: CompoundInput!) { createCompound(input: $i) { id } }",
            json!({ "i": { "bundleId": bundle, "name": format!("测试小区{i}"), "address": format!("测试路{i}号"),
                "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM", "security": {} } })).await;
        assert!(created["errors"].is_null(), "{created}");
    }
    // The new compounds changed who sees what: the session is loaded afresh (not counted).
    hold_session(&app, &accountant).await;
    used.push(statements(&app, &accountant, BUNDLE_COLLECTION.query, one).await);
    let shown: Vec<usize> = used
        .iter()
        .map(|(_, b)| count_items(b, BUNDLE_COLLECTION.items))
        .collect();
    assert_eq!(shown, [1, 50], "{used:?}");
    assert_eq!(
        used[0].0, used[1].0,
        "BundleCollection: statements grew with the compounds"
    );
}

#[tokio::test]
async fn a_residents_budgets_take_as_many_statements_for_three_as_for_one() {
    const MY_BUDGETS: &str = "query MyBudgets { myBudgets {
        budget { id year title step stepNumber }
        versions { number income { fen } expense { fen } lines { category income amount { fen } } }
        actuals { category budgeted { fen } actual { fen } }
        questions { id question askedAt answer answeredAt } } }";
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let committee = app.login("committee@demo.test").await;
    let guotai = super::tenancy::compound_id(&app, &committee, "国泰花园").await;
    hold_session(&app, &resident).await;
    let (one, body) = statements(&app, &resident, MY_BUDGETS, json!({})).await;
    assert_eq!(
        body["data"]["myBudgets"].as_array().map(Vec::len),
        Some(1),
        "{body}"
    );
    assert!(
        body["data"]["myBudgets"][0]["actuals"].is_array(),
        "implemented: {body}"
    );
    for year in [2027, 2028] {
        let id = super::budgets::started(&app, &committee, &guotai, year).await;
        let asked = app
            .gql(
                Some(&resident),
                super::budgets::ASK,
                json!({ "b": id, "q": "保安费为什么涨了？" }),
            )
            .await;
        assert!(asked["errors"].is_null(), "{asked}");
    }
    let (three, body) = statements(&app, &resident, MY_BUDGETS, json!({})).await;
    let years: Vec<i64> = body["data"]["myBudgets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["budget"]["year"].as_i64())
        .collect();
    assert_eq!(years, [2028, 2027, 2026], "{body}");
    assert_eq!(
        body["data"]["myBudgets"][0]["questions"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{body}"
    );
    assert_eq!(one, three, "statements grew with the budgets shown");
}

#[tokio::test]
async fn a_residents_votes_take_as_many_statements_for_five_as_for_three() {
    const MY_MATTERS: &str = "query MyMatters { myMatters {
        matter { id title body kind state secret closesAt outcome yes { owners area } no { owners area } abstain { owners area } }
        me { voterNo ballot { choice receipt castAt } } } }";
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let admin = app.login("admin@demo.test").await;
    let guotai = super::tenancy::compound_id(&app, &admin, "国泰花园").await;
    hold_session(&app, &resident).await;
    let (three, body) = statements(&app, &resident, MY_MATTERS, json!({})).await;
    let shown = |b: &Value| b["data"]["myMatters"].as_array().map_or(0, Vec::len);
    assert_eq!(shown(&body), 3, "{body}");
    for kind in ["OTHER", "COMMON_PARTS_USE"] {
        super::governance::opened(
            &app,
            &admin,
            super::governance::matter_input(&guotai, kind, false),
        )
        .await;
    }
    let (five, body) = statements(&app, &resident, MY_MATTERS, json!({})).await;
    assert_eq!(shown(&body), 5, "{body}");
    let on_roll = body["data"]["myMatters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["me"]["voterNo"].is_u64())
        .count();
    assert_eq!(on_roll, 5, "the owner is on every roll: {body}");
    assert_eq!(three, five, "statements grew with the votes shown");
}

#[tokio::test]
async fn the_dispatchers_board_takes_as_many_statements_for_fifty_orders_as_for_ten() {
    const BOARD: &str = "query WorkOrderBoard($n: Int) {
        workOrders(states: [], first: $n) {
          edges { node { id number compoundName location trade priority state overdue resolveBy awaitsConfirmation contractor { name } } }
          pageInfo { hasNextPage } }
        compounds(first: 100) { edges { node { id name } } } }";
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let household = super::dispatch::residents_household(&app, &resident).await;
    for _ in 0..50 {
        super::dispatch::report_leak(&app, &resident, &household).await;
    }
    let dispatcher = app.login("dispatcher@demo.test").await;
    hold_session(&app, &dispatcher).await;
    let edges = |b: &Value| {
        b["data"]["workOrders"]["edges"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let held = |b: &Value| {
        edges(b)
            .iter()
            .filter(|e| e["node"]["contractor"].is_object())
            .count()
    };
    // A page naming contractors reads their details once, whatever their number: both pages
    // hold some (the demo's oldest orders are dispatched), the second five times as many rows.
    let (ten, body) = statements(&app, &dispatcher, BOARD, json!({ "n": 10 })).await;
    assert_eq!(edges(&body).len(), 10, "{body}");
    assert!(held(&body) > 0, "{body}");
    let (fifty, body) = statements(&app, &dispatcher, BOARD, json!({ "n": 50 })).await;
    assert_eq!(edges(&body).len(), 50, "{body}");
    assert_eq!(ten, fifty, "statements grew with the orders shown");
}
