//! A repair the household bore, from its verification to the bill: the cost is in the books
//! once, billed once on the household's next invoice as a line of its own (which a credit note
//! does not reach), and a reopened order put right for nothing posts nothing more.

use courtyard_tests::TestApp;
use serde_json::{Value, json};

use crate::billing::{ACCOUNT, at, bill, verify_clean};
use crate::dispatch::{DISPATCH, FILE, balance, mv, ok, refused, report_leak, residents_household};

/// Dispatches a filed order to the first of the ranking, who accepts and starts.
pub async fn start_work(app: &TestApp, dispatcher: &str, contractor: &str, id: &str) {
    ok(
        &app.gql(Some(dispatcher), DISPATCH, json!({ "id": id }))
            .await,
        "dispatchWorkOrder",
    );
    for op in ["acceptWorkOrder", "startWorkOrder"] {
        ok(&mv(app, contractor, op, id, "").await, op);
    }
}

pub async fn complete(app: &TestApp, contractor: &str, id: &str, cost: &str) -> Value {
    let args = format!(", cost: \"{cost}\"");
    mv(app, contractor, "completeWorkOrder", id, &args).await
}

/// The household's invoice of `period`.
fn invoice_of<'a>(account: &'a Value, period: &str) -> &'a Value {
    account["data"]["householdAccount"]["invoices"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["period"] == period)
        .unwrap_or_else(|| panic!("no invoice of {period}: {account}"))
}

fn repair_lines(invoice: &Value) -> Vec<Value> {
    invoice["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["kind"] == "REPAIR")
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_households_repair_is_billed_once_on_its_next_invoice_and_a_free_redo_posts_nothing() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let resident = app.login("resident@demo.test").await;
    let dispatcher = app.login("dispatcher@demo.test").await;
    let contractor = app.login("contractor@demo.test").await;
    let accountant = app.login("accountant@demo.test").await;
    let household = residents_household(&app, &resident).await;
    let id = report_leak(&app, &resident, &household).await;
    // ¥80 is under the compound's threshold: no agreement needed before dispatch.
    let filing = json!({ "id": id, "i": { "trade": "PLUMBING", "priority": "URGENT", "bearer": "HOUSEHOLD", "estimate": "80" } });
    ok(
        &app.gql(Some(&dispatcher), FILE, filing).await,
        "fileWorkOrder",
    );
    start_work(&app, &dispatcher, &contractor, &id).await;
    ok(
        &complete(&app, &contractor, &id, "80").await,
        "completeWorkOrder",
    );
    let before = balance(&app, &accountant, &household).await;
    ok(
        &mv(&app, &resident, "verifyWorkOrder", &id, "").await,
        "verifyWorkOrder",
    );
    assert_eq!(balance(&app, &accountant, &household).await, before + 8_000);

    // The leak comes back: the contractor puts it right for nothing (a negative cost is
    // refused).
    ok(
        &mv(
            &app,
            &resident,
            "reopenWorkOrder",
            &id,
            ", note: \"又漏了\"",
        )
        .await,
        "reopenWorkOrder",
    );
    start_work(&app, &dispatcher, &contractor, &id).await;
    let negative = complete(&app, &contractor, &id, "-1").await;
    refused(&negative, "BAD_USER_INPUT", Some("cost"));
    ok(
        &complete(&app, &contractor, &id, "0").await,
        "completeWorkOrder",
    );
    ok(
        &mv(&app, &resident, "verifyWorkOrder", &id, "").await,
        "verifyWorkOrder",
    );
    assert_eq!(
        balance(&app, &accountant, &household).await,
        before + 8_000,
        "the free redo posted something"
    );

    // December's bill carries the repair as its own line; the invoice posts only its fees.
    let run = bill(&app, &accountant, "2026-12").await;
    assert!(run["errors"].is_null(), "{run}");
    let account = app
        .gql(Some(&accountant), ACCOUNT, json!({ "h": household }))
        .await;
    let december = invoice_of(&account, "2026-12");
    let lines = repair_lines(december);
    assert_eq!(lines.len(), 1, "{december}");
    assert_eq!(lines[0]["amount"]["fen"], 8_000);
    let due = december["due"]["fen"].as_i64().unwrap_or_default();
    assert!(due > 8_000, "{december}");
    assert_eq!(
        balance(&app, &accountant, &household).await,
        before + due,
        "the receivable holds the repair once and the month's fees"
    );
    let resident_view = app
        .gql(
            Some(&resident),
            "query($h: ID!) { householdAccount(householdId: $h) { invoices { period lines { kind workOrderId } } } }",
            json!({ "h": household }),
        )
        .await;
    let december = invoice_of(&resident_view, "2026-12");
    assert_eq!(repair_lines(december)[0]["workOrderId"], json!(id));

    // A credit note reaches the fees, never the repair: one yuan more than the fees is refused.
    let invoice = invoice_of(&account, "2026-12")["id"].clone();
    let fees = due - 8_000;
    let credit = |fen: i64| {
        let amount = format!("{}.{:02}", fen / 100, fen % 100);
        json!({ "i": invoice, "a": amount })
    };
    let q = "mutation($i: ID!, $a: String!) { issueCreditNote(invoiceId: $i, amount: $a, reason: \"停水三天\") { amount { fen } } }";
    let over = app.gql(Some(&accountant), q, credit(fees + 100)).await;
    refused(&over, "BAD_USER_INPUT", Some("amount"));
    let fine = app.gql(Some(&accountant), q, credit(fees)).await;
    assert_eq!(ok(&fine, "issueCreditNote")["amount"]["fen"], fees);
    assert_eq!(balance(&app, &accountant, &household).await, before + 8_000);

    // January's bill does not bill it again.
    app.db.clock().hold_at(at("2027-01-05T02:00:00Z"));
    let run = bill(&app, &accountant, "2027-01").await;
    assert!(run["errors"].is_null(), "{run}");
    let account = app
        .gql(Some(&accountant), ACCOUNT, json!({ "h": household }))
        .await;
    assert!(repair_lines(invoice_of(&account, "2027-01")).is_empty());
    verify_clean(&app).await;
}
