//! The synthetic city `courtyard demo --households N` builds: its shape, and months of bills
//! and payments written through billing's and collection's own paths, with the books clean.

use courtyard_tests::TestApp;

use super::billing::{at, verify_clean};

const BENCH: &str = "(SELECT id FROM tenants WHERE slug = 'bench')";

/// The rows of `table` the firm `bench` has.
async fn rows(app: &TestApp, table: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) FROM {table} WHERE tenant_id = {BENCH}"
    ))
    .await
}

#[tokio::test]
async fn the_synthetic_city_has_its_shape_and_months_of_bills_and_payments() {
    let app = TestApp::spawn_empty().await;
    app.db.clock().hold_at(at("2026-12-04T09:00:00Z"));
    // More payers than one payment transaction takes (5,000), so that batches turn over.
    let plan = api::demo::Synthetic {
        months: 3,
        ..api::demo::Synthetic::city(6_000)
    };
    assert_eq!((plan.compounds, plan.bundles), (30, 1));
    let plan = api::demo::Synthetic { bundles: 3, ..plan };
    let report = api::demo::seed_synthetic(&app.db, plan)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.households, 6_000);
    assert_eq!(rows(&app, "bundles").await, 3);
    assert_eq!(rows(&app, "compounds").await, 30);
    assert_eq!(rows(&app, "households").await, 6_000);
    let per_compound = app
        .count(&format!(
            "SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM households \
             WHERE tenant_id = {BENCH} GROUP BY compound_id) AS sizes"
        ))
        .await;
    assert_eq!(per_compound, 1, "200 households in every compound");

    // The three months before this one, each billed to every household on its first day.
    let billed = app
        .count(&format!(
            "SELECT count(*) FROM invoices WHERE tenant_id = {BENCH} AND period IN (202609, 202610, 202611)"
        ))
        .await;
    assert_eq!(billed, 18_000);
    assert_eq!(rows(&app, "invoices").await, 18_000);

    // One payment round, on the last month's 25th: nine in ten pay all they owe, the rest
    // owe all three months.
    let payments = rows(&app, "payments").await;
    let owing = app
        .count(&format!(
            "SELECT count(*) FROM ledger_accounts WHERE tenant_id = {BENCH} \
             AND household_id IS NOT NULL AND balance > 0"
        ))
        .await;
    assert_eq!(payments + owing, 6_000, "each household paid up or owes");
    assert!(
        (300..=900).contains(&owing),
        "about one in ten never pays: {owing}"
    );
    let due = app
        .count(&format!(
            "SELECT CAST(SUM(due_fen) AS BIGINT) FROM invoices WHERE tenant_id = {BENCH}"
        ))
        .await;
    let paid = app
        .count(&format!(
            "SELECT CAST(SUM(amount_fen) AS BIGINT) FROM payments WHERE tenant_id = {BENCH}"
        ))
        .await;
    let owed = app
        .count(&format!(
            "SELECT CAST(SUM(balance) AS BIGINT) FROM ledger_accounts \
             WHERE tenant_id = {BENCH} AND household_id IS NOT NULL"
        ))
        .await;
    assert_eq!(
        paid + owed,
        due,
        "what was billed was paid or is owed, to the fen"
    );
    let days = app
        .count(&format!(
            "SELECT count(DISTINCT received_at) FROM payments WHERE tenant_id = {BENCH}"
        ))
        .await;
    assert_eq!(days, 1, "all paid at one moment: the last month's 25th");
    verify_clean(&app).await;

    // Seeding again changes nothing.
    let again = api::demo::seed_synthetic(&app.db, plan)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again.tenants_skipped, ["bench"]);
    assert_eq!(rows(&app, "invoices").await, 18_000);
}
