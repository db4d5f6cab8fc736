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

    // The first request of a session loads the session; the ones after find it held.
    let (_, _) = statements(&app, &accountant, "{ me { displayName } }", json!({})).await;
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
    let (_, _) = statements(&app, &token, "{ me { displayName } }", json!({})).await;
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
}
