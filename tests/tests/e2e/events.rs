//! Events: a unit of work publishes what happened only after it commits, never after a
//! rollback, whether the use case refused early or its last write failed at the commit.

use api::platform::events::{Event, Published};
use courtyard_tests::{TestApp, error_code};
use serde_json::{Value, json};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::TryRecvError;

use super::billing::PAY;
use super::ledger::{account_id, accounts};
use super::tenancy::{CREATE_HOUSEHOLD, Id, household_input, scaffold};

const ARCHIVE: &str = "mutation($id: ID!) { archiveLedgerAccount(id: $id) { archived } }";

fn payment(household: &str, receipt: &str, key: &str) -> Value {
    json!({ "i": { "householdId": household, "amount": "12.30", "method": "CASH", "receiptNo": receipt,
                   "receivedAt": "2026-11-20T10:00:00Z", "idempotencyKey": key } })
}

/// Records a cash payment of ¥12.30; its id.
async fn pay(app: &TestApp, token: &str, household: &str, receipt: &str, key: &str) -> String {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Recorded {
        record_payment: Id,
    }
    let paid: Recorded = app
        .data(Some(token), PAY, payment(household, receipt, key))
        .await;
    paid.record_payment.id
}

/// A new compound of the demo firm with one household, none of whose accounts has moved.
async fn fresh_household(app: &TestApp, admin: &str) -> (String, String) {
    let (_, compound, building) = scaffold(app, admin).await;
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Created {
        create_household: Id,
    }
    let h: Created = app
        .data(
            Some(admin),
            CREATE_HOUSEHOLD,
            json!({ "i": household_input(&compound, &building, "101", "80.00") }),
        )
        .await;
    (compound, h.create_household.id)
}

/// Everything published so far, without waiting: publishing happens before the response.
fn published(rx: &mut Receiver<Published>) -> Vec<Published> {
    let mut out = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(p) => out.push(p),
            Err(TryRecvError::Empty) => return out,
            Err(e) => panic!("{e}"),
        }
    }
}

#[tokio::test]
async fn a_payment_is_heard_of_once_it_is_committed() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let (_, household) = fresh_household(&app, &admin).await;
    let accountant = app.login("accountant@demo.test").await;
    let mut rx = app.db.events().subscribe();

    let id = pay(&app, &accountant, &household, "E-1", "events-1").await;

    let heard = published(&mut rx);
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(
        heard[0].event,
        Event::PaymentRecorded {
            payment: id.parse().unwrap_or_else(|e| panic!("{e}")),
            household: household.parse().unwrap_or_else(|e| panic!("{e}")),
            amount: domain::Money::from_fen(1_230),
        }
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE action = 'payment.record' AND CAST(detail AS TEXT) LIKE '%E-1%'"
        )
        .await,
        1,
        "the unit of work wrote the payment's audit record"
    );
}

#[tokio::test]
async fn nothing_is_heard_of_a_payment_refused_before_it_was_written() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let (_, household) = fresh_household(&app, &admin).await;
    let accountant = app.login("accountant@demo.test").await;
    pay(&app, &accountant, &household, "E-2", "events-2").await;
    let mut rx = app.db.events().subscribe();

    // The same receipt number again, under another key: refused inside the transaction.
    let again = app
        .gql(
            Some(&accountant),
            PAY,
            payment(&household, "E-2", "events-3"),
        )
        .await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    assert_eq!(published(&mut rx), Vec::new());
}

#[tokio::test]
async fn nothing_is_heard_of_a_payment_whose_ledger_entry_failed_at_the_commit() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let (compound, household) = fresh_household(&app, &admin).await;
    let accountant = app.login("accountant@demo.test").await;
    // The compound's cash account, empty, is archived: a cash payment's entry, appended
    // last by the unit of work, cannot post to it.
    let cash = account_id(
        &accounts(&app, &accountant, &compound).await,
        "CASH_ON_HAND",
    );
    let archived = app
        .gql(Some(&accountant), ARCHIVE, json!({ "id": cash }))
        .await;
    assert_eq!(
        archived["data"]["archiveLedgerAccount"]["archived"], true,
        "{archived}"
    );
    let mut rx = app.db.events().subscribe();

    let refused = app
        .gql(
            Some(&accountant),
            PAY,
            payment(&household, "E-4", "events-4"),
        )
        .await;
    assert!(error_code(&refused).is_some(), "{refused}");
    assert_eq!(published(&mut rx), Vec::new());
    assert_eq!(
        app.count("SELECT count(*) FROM payments WHERE receipt_no = 'E-4'")
            .await,
        0,
        "the payment written before the append was rolled back with it"
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE action = 'payment.record' AND CAST(detail AS TEXT) LIKE '%E-4%'"
        )
        .await,
        0,
        "nor its audit record"
    );
}

const RUNS_LIVE: &str = "subscription { billingRunChanged { id status total processed } }";

#[tokio::test]
async fn the_books_follow_a_billing_run_live_and_no_one_else_hears_it() {
    let app = TestApp::spawn().await;
    let wait = std::time::Duration::from_millis(1500);
    let accountant = app.login("accountant@demo.test").await;
    let books = app.hears(&accountant, RUNS_LIVE, wait).await;
    let rival = app.login("admin@rival.test").await;
    let other_firm = app.hears(&rival, RUNS_LIVE, wait).await;
    let resident = app.login("resident@demo.test").await;
    let refused = app.hears(&resident, RUNS_LIVE, wait).await;

    let run = super::billing::bill(&app, &accountant, "2026-11").await;
    let id = run["data"]["runBilling"]["runId"].clone();
    assert!(id.is_string(), "{run}");

    // Started, one batch (the demo firm is smaller than a batch), finished: each read afresh.
    let heard = books.await.unwrap_or_default();
    assert_eq!(heard.len(), 3, "{heard:?}");
    assert!(
        heard.iter().all(|m| m["billingRunChanged"]["id"] == id),
        "{heard:?}"
    );
    let last = &heard[2]["billingRunChanged"];
    assert_eq!(last["status"], "FINISHED", "{heard:?}");
    assert_eq!(last["processed"], last["total"], "{heard:?}");
    assert_eq!(last["total"], 836);
    assert_eq!(other_firm.await.unwrap_or_default(), Vec::<Value>::new());
    assert_eq!(
        refused.await.unwrap_or_default(),
        vec![json!({ "refused": "FORBIDDEN" })],
        "a resident may not follow the firm's billing"
    );
}
