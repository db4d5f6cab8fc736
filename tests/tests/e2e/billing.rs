//! Fees, waivers, billing, payments, collection and arrears through the API.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use super::tenancy::{Connection, Id, compound_id};

pub const RUN: &str = "mutation($i: RunBillingInput!) { runBilling(input: $i) { runId households invoiced skippedAlreadyInvoiced skippedNoSchedule totalDue { fen } } }";
pub const ACCOUNT: &str = "query($h: ID!) { householdAccount(householdId: $h) { balance { fen } invoices { id number period gross { fen } waived { fen } due { fen } paid { fen } outstanding { fen } lines { kind amount { fen } } } payments { id reversed allocations { invoiceId amount { fen } } } } }";
pub const PAY: &str = "mutation($i: PaymentInput!) { recordPayment(input: $i) { id amount { fen } reversed allocations { invoiceId amount { fen } } } }";

pub async fn first_households(app: &TestApp, token: &str, compound: &str, n: usize) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Found {
        households: Connection<Id>,
    }
    let found: Found = app.data(Some(token), "query($c: ID!, $n: Int) { households(compoundId: $c, first: $n) { edges { node { id } } } }", json!({ "c": compound, "n": n })).await;
    found
        .households
        .edges
        .into_iter()
        .map(|e| e.node.id)
        .collect()
}

/// An instant in RFC 3339.
pub fn at(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .with_timezone(&chrono::Utc)
}

pub async fn bill(app: &TestApp, token: &str, period: &str) -> Value {
    app.gql(Some(token), RUN, json!({ "i": { "period": period } }))
        .await
}

pub fn pay_input(household: &str, amount: &str, key: &str) -> Value {
    json!({ "i": { "householdId": household, "amount": amount, "method": "CASH", "receiptNo": format!("R-{key}"), "receivedAt": "2026-11-20T10:00:00Z", "idempotencyKey": key } })
}

pub async fn verify_clean(app: &TestApp) {
    for (slug, v) in api::tenancy::verify_ledgers(&app.db, None)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
    {
        assert!(v.problems.is_empty(), "{slug}: {:?}", v.problems);
    }
}

#[tokio::test]
async fn a_month_is_billed_once_with_waivers_and_the_ledger_agrees() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let first = bill(&app, &token, "2026-11").await;
    let r = &first["data"]["runBilling"];
    assert_eq!(r["invoiced"], 836, "{first}");
    assert_eq!(r["skippedNoSchedule"], 0);
    let again = bill(&app, &token, "2026-11").await;
    assert_eq!(again["data"]["runBilling"]["invoiced"], 0);
    assert_eq!(again["data"]["runBilling"]["skippedAlreadyInvoiced"], 836);

    // The demo resident's household: ¥28.00 with a 50% 低保 waiver.
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let hs = first_households(&app, &token, &guotai, 4).await;
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[0] })).await;
    let inv = &acct["data"]["householdAccount"]["invoices"][0];
    assert_eq!(inv["gross"]["fen"], 2_800, "{acct}");
    assert_eq!(inv["waived"]["fen"], 1_400);
    assert_eq!(inv["due"]["fen"], 1_400);
    assert_eq!(inv["lines"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        acct["data"]["householdAccount"]["balance"]["fen"], 1_400,
        "the ledger receivable equals what is due"
    );
    // Fully waived household owes nothing; an ordinary one owes ¥28.
    let full = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[1] })).await;
    assert_eq!(
        full["data"]["householdAccount"]["invoices"][0]["due"]["fen"],
        0
    );
    let plain = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[3] })).await;
    assert_eq!(
        plain["data"]["householdAccount"]["invoices"][0]["due"]["fen"],
        2_800
    );

    // Invoice numbers run 1..=836 without gaps.
    let n = plain["data"]["householdAccount"]["invoices"][0]["number"]
        .as_i64()
        .unwrap_or(0);
    assert!((1..=836).contains(&n));
    verify_clean(&app).await;
}

/// `courtyard bill` for the demo firm's November in batches of 100, aborting before the
/// second batch commits when `crash_at` is given; its output.
async fn bill_cli(app: &TestApp, crash_at: Option<&str>) -> std::process::Output {
    let mut cmd = tokio::process::Command::new(courtyard_tests::courtyard_bin());
    cmd.args([
        "bill", "--tenant", "demo", "--period", "2026-11", "--batch", "100",
    ])
    .env("DATABASE_URL", app.database_url())
    .env("RUST_LOG", "warn")
    .env_remove("COURTYARD_CRASH_AT");
    if let Some(point) = crash_at {
        cmd.env("COURTYARD_CRASH_AT", point);
    }
    cmd.output().await.unwrap_or_else(|e| panic!("{e}"))
}

/// The firm's billing runs as the API reports them.
async fn runs(app: &TestApp, token: &str) -> Vec<Value> {
    let body = app
        .gql(
            Some(token),
            "{ billingRuns { status processed total } }",
            json!({}),
        )
        .await;
    body["data"]["billingRuns"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone()
}

/// The number before `label` in a `courtyard bill` summary ("…, 836 invoiced (…), …").
fn count_before(summary: &str, label: &str) -> u64 {
    let at = summary
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in {summary}"));
    summary[..at]
        .trim_end()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before {label:?} in {summary}"))
}

#[tokio::test]
async fn two_runs_of_one_month_at_once_invoice_each_household_once_without_gaps() {
    let app = TestApp::spawn().await;
    // Batches of 100, two in flight each: the runs interleave, and a batch may find under
    // the firm's lock that the other run invoiced its households since it looked.
    let (a, b) = tokio::join!(bill_cli(&app, None), bill_cli(&app, None));
    let (a, b) = (
        String::from_utf8_lossy(&a.stderr).into_owned(),
        String::from_utf8_lossy(&b.stderr).into_owned(),
    );
    let summary = |said: &str| {
        said.lines()
            .find(|l| l.contains(" invoiced ("))
            .unwrap_or_else(|| panic!("a run failed: {said}"))
            .to_owned()
    };
    let (a, b) = (summary(&a), summary(&b));
    assert_eq!(
        count_before(&a, "invoiced (") + count_before(&b, "invoiced ("),
        836,
        "{a}\n{b}"
    );
    assert_eq!(
        count_before(&a, "already invoiced") + count_before(&b, "already invoiced"),
        836,
        "{a}\n{b}"
    );
    for (sql, expected) in [
        ("SELECT COUNT(*) FROM invoices", 836),
        ("SELECT COUNT(DISTINCT household_id) FROM invoices", 836),
        ("SELECT COUNT(DISTINCT number) FROM invoices", 836),
        ("SELECT CAST(MIN(number) AS BIGINT) FROM invoices", 1),
        ("SELECT CAST(MAX(number) AS BIGINT) FROM invoices", 836),
        (
            "SELECT COUNT(*) FROM journal_entries WHERE kind = 'invoice_issued'",
            836,
        ),
    ] {
        assert_eq!(app.count(sql).await, expected, "{sql}");
    }
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_billing_run_killed_midway_resumes_without_duplicates_or_gaps() {
    let app = TestApp::spawn().await;
    // The process dies after its first batch committed, inside its second.
    let crashed = bill_cli(&app, Some("billing-later-batch-before-commit")).await;
    assert!(!crashed.status.success(), "{crashed:?}");
    let kept = app.count("SELECT COUNT(*) FROM invoices").await;
    assert!(
        (1..=100).contains(&kept),
        "the first batch stays, nothing of the second: {kept}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM journal_entries WHERE kind = 'invoice_issued'")
            .await,
        kept,
        "every kept invoice is booked, no booking without its invoice"
    );

    // The dead run says so once it has been silent past the stall limit.
    let token = app.login("accountant@demo.test").await;
    let dead = runs(&app, &token).await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0]["status"], "RUNNING", "{dead:?}");
    assert_eq!(dead[0]["processed"], 100, "{dead:?}");
    let owner = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    let eleven_minutes_ago = if app.is_postgres() {
        "now() - interval '11 minutes'"
    } else {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-11 minutes')"
    };
    sea_orm::ConnectionTrait::execute_unprepared(
        owner.connection(),
        &format!("UPDATE billing_runs SET progressed_at = {eleven_minutes_ago}"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(runs(&app, &token).await[0]["status"], "INTERRUPTED");

    // Run again: it bills only who is not yet billed, numbering on without a gap.
    let resumed = bill_cli(&app, None).await;
    let said = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{said}");
    assert!(
        said.contains(&format!("{} invoiced", 836 - kept))
            && said.contains(&format!("{kept} already invoiced")),
        "{said}"
    );
    for (sql, expected) in [
        ("SELECT COUNT(*) FROM invoices", 836),
        ("SELECT COUNT(DISTINCT household_id) FROM invoices", 836),
        ("SELECT CAST(MIN(number) AS BIGINT) FROM invoices", 1),
        ("SELECT CAST(MAX(number) AS BIGINT) FROM invoices", 836),
        (
            "SELECT COUNT(*) FROM journal_entries WHERE kind = 'invoice_issued'",
            836,
        ),
    ] {
        assert_eq!(app.count(sql).await, expected, "{sql}");
    }
    let mut statuses: Vec<String> = runs(&app, &token)
        .await
        .iter()
        .map(|r| r["status"].as_str().unwrap_or_default().to_owned())
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["FINISHED", "INTERRUPTED"]);
    verify_clean(&app).await;
}

#[tokio::test]
async fn addons_bill_only_where_the_owners_approved_them_and_area_rates_round_once() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-11").await;
    let liaoyuan = compound_id(&app, &token, "燎原新村").await;
    let h = first_households(&app, &token, &liaoyuan, 1).await;
    let detail = app
        .gql(
            Some(&token),
            "query($h: ID!) { household(id: $h) { areaCenti } }",
            json!({ "h": h[0] }),
        )
        .await;
    let centi = detail["data"]["household"]["areaCenti"]
        .as_i64()
        .unwrap_or(0);
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h[0] })).await;
    let lines = acct["data"]["householdAccount"]["invoices"][0]["lines"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let amount = |k: &str| {
        lines
            .iter()
            .find(|l| l["kind"] == k)
            .and_then(|l| l["amount"]["fen"].as_i64())
    };
    assert_eq!(amount("PARKING_MANAGEMENT"), Some(1_000), "{acct}");
    assert_eq!(
        amount("SECURITY_PATROL"),
        Some((centi * 15 + 50) / 100),
        "area × ¥0.15, half up once"
    );
    // 龙沙乡家属楼 has no add-on: the bundle's ¥20 default applies.
    let longsha = compound_id(&app, &token, "龙沙乡家属楼").await;
    let h2 = first_households(&app, &token, &longsha, 1).await;
    let acct2 = app.gql(Some(&token), ACCOUNT, json!({ "h": h2[0] })).await;
    assert_eq!(
        acct2["data"]["householdAccount"]["invoices"][0]["due"]["fen"], 2_000,
        "{acct2}"
    );
}

#[tokio::test]
async fn a_new_schedule_version_bills_from_its_month_and_older_months_keep_theirs() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let longsha = compound_id(&app, &token, "龙沙乡家属楼").await;
    let set = "mutation($i: FeeScheduleInput!) { setFeeSchedule(input: $i) { id effectiveFrom items { kind rate { fen } } } }";
    let v = app.gql(Some(&token), set, json!({ "i": { "compoundId": longsha, "effectiveFrom": "2026-11", "note": "调价", "items": [{ "kind": "GARBAGE_REMOVAL", "pricing": "PER_HOUSEHOLD", "rate": "25" }] } })).await;
    assert_eq!(
        v["data"]["setFeeSchedule"]["effectiveFrom"], "2026-11",
        "{v}"
    );
    let dup = app.gql(Some(&token), set, json!({ "i": { "compoundId": longsha, "effectiveFrom": "2026-11", "note": "", "items": [{ "kind": "GARBAGE_REMOVAL", "pricing": "PER_HOUSEHOLD", "rate": "26" }] } })).await;
    assert_eq!(error_code(&dup), Some("CONFLICT"), "{dup}");
    assert_eq!(error_field(&dup), Some("effectiveFrom"));
    bill(&app, &token, "2026-10").await;
    bill(&app, &token, "2026-11").await;
    let h = first_households(&app, &token, &longsha, 1).await;
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h[0] })).await;
    let invoices = acct["data"]["householdAccount"]["invoices"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let due = |p: &str| {
        invoices
            .iter()
            .find(|i| i["period"] == p)
            .and_then(|i| i["due"]["fen"].as_i64())
    };
    assert_eq!(due("2026-11"), Some(2_500), "{acct}");
    assert_eq!(due("2026-10"), Some(2_000));
}

#[tokio::test]
async fn payments_pay_the_oldest_first_overpayment_is_credit_for_the_next_bill() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-11-20T10:00:00Z"));
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-10").await;
    bill(&app, &token, "2026-11").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let h = first_households(&app, &token, &guotai, 5).await[4].clone();
    // Owes 2 × ¥28. Pays ¥70: October, November, and ¥14 held as credit.
    let p = app
        .gql(Some(&token), PAY, pay_input(&h, "70", "pay-1"))
        .await;
    let allocations = p["data"]["recordPayment"]["allocations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(allocations.len(), 3, "{p}");
    assert!(
        allocations
            .iter()
            .any(|a| a["invoiceId"].is_null() && a["amount"]["fen"] == 1_400)
    );
    let retry = app
        .gql(Some(&token), PAY, pay_input(&h, "70", "pay-1"))
        .await;
    assert_eq!(
        retry["data"]["recordPayment"]["id"], p["data"]["recordPayment"]["id"],
        "same key, same payment"
    );
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
    assert_eq!(
        acct["data"]["householdAccount"]["balance"]["fen"], -1_400,
        "credit shows as a negative receivable: {acct}"
    );

    // December's bill (billable: the server's clock says November) uses the credit first.
    bill(&app, &token, "2026-12").await;
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
    let dec = acct["data"]["householdAccount"]["invoices"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|i| i["period"] == "2026-12")
        .unwrap_or_else(|| panic!("no December invoice: {acct}"));
    assert_eq!(dec["paid"]["fen"], 1_400, "{acct}");
    assert_eq!(dec["outstanding"]["fen"], 1_400);
    assert_eq!(acct["data"]["householdAccount"]["balance"]["fen"], 1_400);
    // A month after next is not billable yet.
    let early = bill(&app, &token, "2027-01").await;
    assert_eq!(error_field(&early), Some("period"), "{early}");
    verify_clean(&app).await;
}

#[tokio::test]
async fn payments_arriving_at_once_for_one_household_never_pay_an_invoice_twice() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-10").await;
    bill(&app, &token, "2026-11").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let h = first_households(&app, &token, &guotai, 5).await[4].clone();
    // Owes 2 × ¥28; ten payments of ¥28 arrive at the same moment. Two pay the invoices,
    // eight are held as credit, whatever order they commit in.
    let burst: Vec<_> = (0..10)
        .map(|n| {
            let (app, token, h) = (app.clone(), token.clone(), h.clone());
            tokio::spawn(async move {
                app.gql(
                    Some(&token),
                    PAY,
                    pay_input(&h, "28", &format!("burst-{n}")),
                )
                .await
            })
        })
        .collect();
    for p in burst {
        let body = p.await.unwrap_or_else(|e| panic!("{e}"));
        assert!(body["errors"].is_null(), "{body}");
    }
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
    let invoices = acct["data"]["householdAccount"]["invoices"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{acct}"));
    assert_eq!(invoices.len(), 2, "{acct}");
    for i in &invoices {
        assert_eq!(i["paid"]["fen"], 2_800, "{acct}");
        assert_eq!(i["outstanding"]["fen"], 0, "{acct}");
    }
    assert_eq!(
        acct["data"]["householdAccount"]["balance"]["fen"],
        -8 * 2_800,
        "the rest is credit: {acct}"
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_billing_run_and_payments_at_the_same_moment_neither_deadlock_nor_spend_credit_twice() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-10").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let hs = first_households(&app, &token, &guotai, 5).await;
    // hs[4] pays ¥84 on an October bill of ¥28: ¥56 is held as credit, which November's run
    // spends while payments for it and its neighbours arrive.
    let first = app
        .gql(Some(&token), PAY, pay_input(&hs[4], "84", "credit"))
        .await;
    assert!(first["errors"].is_null(), "{first}");
    let run = {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move { bill(&app, &token, "2026-11").await })
    };
    let payments: Vec<_> = (0..8)
        .map(|n| {
            let (app, token) = (app.clone(), token.clone());
            let (h, amount) = if n < 4 {
                (hs[n].clone(), "28")
            } else {
                (hs[4].clone(), "10")
            };
            tokio::spawn(async move {
                app.gql(
                    Some(&token),
                    PAY,
                    pay_input(&h, amount, &format!("during-{n}")),
                )
                .await
            })
        })
        .collect();
    let run = run.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(run["errors"].is_null(), "{run}");
    for p in payments {
        let body = p.await.unwrap_or_else(|e| panic!("{e}"));
        assert!(body["errors"].is_null(), "{body}");
    }
    // Whatever the order: no invoice is paid beyond what it asks; what each household owes
    // is its bills less its payments; hs[4]'s November bill is paid (from its credit).
    for (n, h) in hs.iter().enumerate() {
        let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
        let a = &acct["data"]["householdAccount"];
        let invoices = a["invoices"].as_array().cloned().unwrap_or_default();
        assert_eq!(invoices.len(), 2, "{acct}");
        let fen = |v: &Value| v["fen"].as_i64().unwrap_or_else(|| panic!("{acct}"));
        for i in &invoices {
            assert!(fen(&i["paid"]) <= fen(&i["due"]), "{acct}");
            assert_eq!(
                fen(&i["due"]) - fen(&i["paid"]),
                fen(&i["outstanding"]),
                "{acct}"
            );
        }
        let billed: i64 = invoices.iter().map(|i| fen(&i["due"])).sum();
        let paid = if n < 4 { 2_800 } else { 8_400 + 4 * 1_000 };
        assert_eq!(fen(&a["balance"]), billed - paid, "{acct}");
        if n == 4 {
            assert!(
                invoices.iter().all(|i| fen(&i["outstanding"]) == 0),
                "{acct}"
            );
        }
    }
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_mistaken_payment_is_reversed_not_deleted() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-11").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let h = first_households(&app, &token, &guotai, 6).await[5].clone();
    let p = app
        .gql(Some(&token), PAY, pay_input(&h, "28", "pay-wrong"))
        .await;
    let id = p["data"]["recordPayment"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let q = "mutation($id: ID!) { reversePayment(id: $id, reason: \"记错住户\") { reversed reversalReason allocations { amount { fen } } } }";
    let r = app.gql(Some(&token), q, json!({ "id": id })).await;
    assert_eq!(r["data"]["reversePayment"]["reversed"], true, "{r}");
    assert_eq!(
        r["data"]["reversePayment"]["allocations"],
        json!([]),
        "net allocations are zero"
    );
    let again = app.gql(Some(&token), q, json!({ "id": id })).await;
    assert_eq!(error_code(&again), Some("CONFLICT"));
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
    assert_eq!(
        acct["data"]["householdAccount"]["balance"]["fen"], 2_800,
        "{acct}"
    );
    assert_eq!(
        acct["data"]["householdAccount"]["invoices"][0]["outstanding"]["fen"],
        2_800
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn collection_and_arrears_add_up() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-11").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let hs = first_households(&app, &token, &guotai, 10).await;
    for (i, h) in hs.iter().enumerate().skip(3) {
        app.gql(Some(&token), PAY, pay_input(h, "28", &format!("c-{i}")))
            .await;
    }
    let q = "query($c: ID!) { collection(compoundId: $c, from: \"2026-10\", to: \"2026-11\") { period billed { fen } waived { fen } due { fen } collected { fen } householdsBilled householdsPaid collectionRateBp } }";
    let body = app.gql(Some(&token), q, json!({ "c": guotai })).await;
    let months = body["data"]["collection"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(months.len(), 2, "{body}");
    assert_eq!(months[0]["householdsBilled"], 0);
    assert!(
        months[0]["collectionRateBp"].is_null(),
        "nothing due: {body}"
    );
    let nov = &months[1];
    // Every household billed ¥28, three waived in part or whole, seven paid.
    let households = app.households_in("国泰花园").await;
    let due = households * 2_800 - 5_600;
    assert_eq!(
        nov["collectionRateBp"],
        19_600 * 10_000 / due,
        "rounded down"
    );
    assert_eq!(nov["billed"]["fen"], households * 2_800);
    assert_eq!(nov["waived"]["fen"], 1_400 + 2_800 + 1_400);
    assert_eq!(nov["due"]["fen"], due);
    assert_eq!(nov["collected"]["fen"], 7 * 2_800);
    assert_eq!(
        nov["householdsPaid"],
        7 + 1,
        "the fully waived household owes nothing and counts as paid"
    );
    // The committee reads the same aggregates.
    let committee = app.login("committee@demo.test").await;
    assert_eq!(
        app.gql(Some(&committee), q, json!({ "c": guotai })).await["data"]["collection"],
        body["data"]["collection"]
    );

    // Every field an arrears row has, asked for: none of them may say who receives 低保.
    let fields = app
        .gql(
            Some(&token),
            "{ __type(name: \"ArrearsRow\") { fields { name type { ofType { name } } } } }",
            json!({}),
        )
        .await;
    let fields: Vec<(String, bool)> = fields["data"]["__type"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("{fields}"))
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_owned(),
                f["type"]["ofType"]["name"] == "MoneyAmount",
            )
        })
        .collect();
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "householdId",
            "days0To30",
            "days31To90",
            "days91To180",
            "over180Days",
            "total",
            "oldestPeriod"
        ],
        "a new field on arrears rows: make sure it reveals no hardship, then list it here"
    );
    let selection: String = fields
        .iter()
        .map(|(n, money)| {
            if *money {
                format!("{n} {{ fen display }} ")
            } else {
                format!("{n} ")
            }
        })
        .collect();
    let arrears = app.gql(Some(&token), &format!("query($c: ID!) {{ arrears(compoundId: $c, asOf: \"2027-03-15\") {{ {selection} }} }}"), json!({ "c": guotai })).await;
    let rows = arrears["data"]["arrears"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let households = app.households_in("国泰花园").await;
    assert_eq!(rows.len() as i64, households - 7 - 1, "{arrears}");
    assert!(
        rows.iter()
            .all(|r| r["days91To180"]["fen"] == r["total"]["fen"]),
        "Nov 2026 is 91–180 days old on 2027-03-15"
    );
    // The half-waived 低保 households are listed like any other, by what they owe.
    let text = arrears.to_string().to_lowercase();
    for word in ["dibao", "低保", "waive", "hardship"] {
        assert!(!text.contains(word), "{word} on an arrears list: {arrears}");
    }
    assert!(
        rows.iter().any(|r| r["total"]["fen"] == 1_400),
        "a half-waived household owes its half: {arrears}"
    );
    let denied = app
        .gql(
            Some(&committee),
            "query($c: ID!) { arrears(compoundId: $c) { householdId } }",
            json!({ "c": guotai }),
        )
        .await;
    assert_eq!(error_code(&denied), Some("FORBIDDEN"));
}

#[tokio::test]
async fn waivers_need_a_second_person_and_hardship_stays_private() {
    let app = TestApp::spawn().await;
    let grid = app.login("grid@demo.test").await;
    let accountant = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let h = first_households(&app, &accountant, &guotai, 8).await[7].clone();
    let rec = app.gql(Some(&grid), "mutation($h: ID!) { recordHardship(input: { householdId: $h, category: ELDERLY_ALONE, certificateNo: \"孤老2026-08\", evidence: \"社区证明\", validFrom: \"2026-01-01\", validTo: \"2026-12-31\" }) { id category } }", json!({ "h": h })).await;
    let hardship = rec["data"]["recordHardship"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{rec}"))
        .to_owned();
    let propose = "mutation($i: WaiverInput!) { proposeWaiver(input: $i) { id status } }";
    let too_long = app.gql(Some(&grid), propose, json!({ "i": { "householdId": h, "hardshipId": hardship, "kind": "FULL", "fromPeriod": "2026-11", "toPeriod": "2027-06", "funding": "COMMITTEE_FUND" } })).await;
    assert_eq!(
        error_field(&too_long),
        Some("toPeriod"),
        "a waiver ends with its certificate: {too_long}"
    );
    let over = app.gql(Some(&grid), propose, json!({ "i": { "householdId": h, "kind": "PERCENT", "percentBp": 10_001, "fromPeriod": "2026-11", "toPeriod": "2026-12", "funding": "FIRM_ABSORBS" } })).await;
    assert_eq!(error_field(&over), Some("percentBp"), "{over}");
    let backwards = app.gql(Some(&grid), propose, json!({ "i": { "householdId": h, "kind": "FULL", "fromPeriod": "2026-12", "toPeriod": "2026-11", "funding": "FIRM_ABSORBS" } })).await;
    assert_eq!(error_field(&backwards), Some("toPeriod"));
    let ok = app.gql(Some(&accountant), propose, json!({ "i": { "householdId": h, "hardshipId": hardship, "kind": "FIXED_PER_MONTH", "fixedPerMonth": "10", "fromPeriod": "2026-11", "toPeriod": "2026-12", "funding": "COMMITTEE_FUND" } })).await;
    let grant = ok["data"]["proposeWaiver"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{ok}"))
        .to_owned();
    let decide = "mutation($id: ID!) { decideWaiver(id: $id, approve: true) { status } }";
    let self_approved = app
        .gql(Some(&accountant), decide, json!({ "id": grant }))
        .await;
    assert_eq!(
        error_code(&self_approved),
        Some("FORBIDDEN"),
        "{self_approved}"
    );
    assert_eq!(
        self_approved["errors"][0]["extensions"]["reason"], "PROPOSER",
        "{self_approved}"
    );
    let admin = app.login("admin@demo.test").await;
    let approved = app.gql(Some(&admin), decide, json!({ "id": grant })).await;
    assert_eq!(
        approved["data"]["decideWaiver"]["status"], "APPROVED",
        "{approved}"
    );
    bill(&app, &accountant, "2026-11").await;
    let acct = app.gql(Some(&accountant), ACCOUNT, json!({ "h": h })).await;
    assert_eq!(
        acct["data"]["householdAccount"]["invoices"][0]["waived"]["fen"], 1_000,
        "{acct}"
    );

    // Hardship records: waiver handlers only, and every read leaves an audit row.
    let read = "query($h: ID!) { hardshipRecords(householdId: $h) { category certificateNo } }";
    for who in [
        "committee@demo.test",
        "dispatcher@demo.test",
        "resident@demo.test",
    ] {
        let t = app.login(who).await;
        let body = app.gql(Some(&t), read, json!({ "h": h })).await;
        assert!(
            matches!(error_code(&body), Some("FORBIDDEN" | "NOT_FOUND")),
            "{who}: {body}"
        );
    }
    let seen = app.gql(Some(&accountant), read, json!({ "h": h })).await;
    assert_eq!(
        seen["data"]["hardshipRecords"][0]["category"],
        "ELDERLY_ALONE"
    );
    let db = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    let n: i64 = sea_orm::ConnectionTrait::query_one_raw(
        db.connection(),
        sea_orm::Statement::from_string(
            db.backend(),
            "SELECT count(*) AS n FROM audit_log WHERE action = 'hardship.read'",
        ),
    )
    .await
    .ok()
    .flatten()
    .and_then(|r| r.try_get("", "n").ok())
    .unwrap_or(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn bad_billing_input_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    for (period, why) in [
        ("2026-13", "month 13"),
        ("26-11", "malformed"),
        ("2099-01", "far future"),
        ("", "empty"),
    ] {
        let body = bill(&app, &token, period).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{why}: {body}");
        assert_eq!(error_field(&body), Some("period"));
    }
    let set = "mutation($i: FeeScheduleInput!) { setFeeSchedule(input: $i) { id } }";
    for (rate, why) in [
        ("0", "zero"),
        ("-5", "negative"),
        ("100000", "absurd"),
        ("1.234", "three decimals"),
    ] {
        let body = app.gql(Some(&token), set, json!({ "i": { "compoundId": guotai, "effectiveFrom": "2026-12", "note": "x", "items": [{ "kind": "GARBAGE_REMOVAL", "pricing": "PER_HOUSEHOLD", "rate": rate }] } })).await;
        assert_eq!(error_field(&body), Some("items.rate"), "{why}: {body}");
    }
    let both = app
        .gql(
            Some(&token),
            set,
            json!({ "i": { "effectiveFrom": "2026-12", "note": "x", "items": [] } }),
        )
        .await;
    assert_eq!(error_code(&both), Some("BAD_USER_INPUT"));
    let dup = app.gql(Some(&token), set, json!({ "i": { "compoundId": guotai, "effectiveFrom": "2026-12", "note": "x", "items": [
        { "kind": "GARBAGE_REMOVAL", "pricing": "PER_HOUSEHOLD", "rate": "1" }, { "kind": "GARBAGE_REMOVAL", "pricing": "PER_HOUSEHOLD", "rate": "2" }] } })).await;
    assert_eq!(error_field(&dup), Some("items"), "{dup}");
    let base_addon = app.gql(Some(&token), "mutation($c: ID!) { activateAddon(input: { compoundId: $c, kind: GARBAGE_REMOVAL, fromPeriod: \"2026-11\", matterId: \"00000000-0000-0000-0000-000000000000\" }) { id } }", json!({ "c": guotai })).await;
    assert_eq!(error_field(&base_addon), Some("kind"));

    bill(&app, &token, "2026-11").await;
    let h = first_households(&app, &token, &guotai, 4).await[3].clone();
    for (amount, why) in [
        ("0", "zero"),
        ("-28", "negative"),
        ("28.001", "three decimals"),
        ("abc", "text"),
    ] {
        let body = app.gql(Some(&token), PAY, pay_input(&h, amount, why)).await;
        assert_eq!(error_field(&body), Some("amount"), "{why}: {body}");
    }
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
    assert_eq!(acct["data"]["householdAccount"]["payments"], json!([]));
    let resident = app.login("resident@demo.test").await;
    let forbidden = app
        .gql(Some(&resident), PAY, pay_input(&h, "28", "steal"))
        .await;
    assert_eq!(error_code(&forbidden), Some("FORBIDDEN"));
    let forbidden_run = bill(&app, &resident, "2026-11").await;
    assert_eq!(error_code(&forbidden_run), Some("FORBIDDEN"));
}

#[tokio::test]
async fn the_resident_sees_their_bill_and_no_one_elses() {
    let app = TestApp::spawn().await;
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-11").await;
    let resident = app.login("resident@demo.test").await;
    let mine = app
        .gql(
            Some(&resident),
            "{ households { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let h = mine["data"]["households"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let acct = app.gql(Some(&resident), ACCOUNT, json!({ "h": h })).await;
    assert_eq!(
        acct["data"]["householdAccount"]["invoices"][0]["due"]["fen"], 1_400,
        "{acct}"
    );
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let other = first_households(&app, &accountant, &guotai, 2).await[1].clone();
    let denied = app
        .gql(Some(&resident), ACCOUNT, json!({ "h": other }))
        .await;
    assert_eq!(error_code(&denied), Some("NOT_FOUND"), "{denied}");
}

#[tokio::test]
async fn a_credit_note_corrects_an_invoice_without_changing_it() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-11").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let h = first_households(&app, &token, &guotai, 10).await[9].clone();
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
    let invoice = acct["data"]["householdAccount"]["invoices"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let q = "mutation($i: ID!, $a: String!) { issueCreditNote(invoiceId: $i, amount: $a, reason: \"停水三天，按比例减收\") { amount { fen } reason } }";
    let note = app
        .gql(Some(&token), q, json!({ "i": invoice, "a": "2.80" }))
        .await;
    assert_eq!(
        note["data"]["issueCreditNote"]["amount"]["fen"], 280,
        "{note}"
    );
    let too_much = app
        .gql(Some(&token), q, json!({ "i": invoice, "a": "25.21" }))
        .await;
    assert_eq!(
        error_field(&too_much),
        Some("amount"),
        "only ¥25.20 is left: {too_much}"
    );
    for bad in ["0", "-1", "1.001"] {
        assert_eq!(
            error_field(
                &app.gql(Some(&token), q, json!({ "i": invoice, "a": bad }))
                    .await
            ),
            Some("amount"),
            "{bad}"
        );
    }
    let after = app.gql(Some(&token), ACCOUNT, json!({ "h": h })).await;
    let inv = &after["data"]["householdAccount"]["invoices"][0];
    assert_eq!(
        inv["due"]["fen"], 2_800,
        "the invoice itself is unchanged: {after}"
    );
    assert_eq!(inv["outstanding"]["fen"], 2_520);
    assert_eq!(
        after["data"]["householdAccount"]["balance"]["fen"], 2_520,
        "the ledger agrees"
    );
    let resident = app.login("resident@demo.test").await;
    let denied = app
        .gql(Some(&resident), q, json!({ "i": invoice, "a": "1" }))
        .await;
    assert!(matches!(error_code(&denied), Some("FORBIDDEN")), "{denied}");
    verify_clean(&app).await;
}

#[tokio::test]
async fn the_subsidy_claim_lists_masked_households_and_exports_csv_and_xlsx() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-11").await;
    let q = "query { subsidyClaim(funding: GOVERNMENT_SUBSIDY, from: \"2026-11\", to: \"2026-11\") { rows { household category certificate waived { fen } } total { fen } csv xlsxBase64 } }";
    let body = app.gql(Some(&token), q, json!({})).await;
    let claim = &body["data"]["subsidyClaim"];
    let rows = claim["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 3, "{body}");
    assert_eq!(claim["total"]["fen"], 1_400 + 2_800 + 1_400);
    assert!(
        rows.iter().all(|r| r["category"] == "DIBAO"
            && r["household"].as_str().is_some_and(|h| h.contains('*'))),
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| {
        r["certificate"]
            .as_str()
            .is_some_and(|c| c.starts_with("***"))
    }));
    let csv = claim["csv"].as_str().unwrap_or_default();
    assert!(csv.starts_with("\u{feff}账期,小区,住户"), "{csv}");
    assert!(csv.trim_end().ends_with("合计,56.00"), "{csv}");
    assert_eq!(csv.lines().count(), 5);
    let xlsx = base64::engine::general_purpose::STANDARD
        .decode(claim["xlsxBase64"].as_str().unwrap_or_default())
        .unwrap_or_default();
    // The workbook says what the CSV says, cell for cell (amounts as numbers).
    let cells = workbook_cells(xlsx);
    let csv_cells: Vec<Vec<String>> = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(cells, csv_cells);
    let committee = app.login("committee@demo.test").await;
    assert_eq!(
        error_code(&app.gql(Some(&committee), q, json!({})).await),
        Some("FORBIDDEN")
    );
    let bad = app.gql(Some(&token), "query { subsidyClaim(funding: FIRM_ABSORBS, from: \"2026-12\", to: \"2026-11\") { total { fen } } }", json!({})).await;
    assert_eq!(error_field(&bad), Some("to"));
}

/// Every cell of the subsidy claim workbook's sheet, as the CSV writes it.
fn workbook_cells(xlsx: Vec<u8>) -> Vec<Vec<String>> {
    use calamine::{Data, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx))
        .unwrap_or_else(|e| panic!("not an XLSX workbook: {e}"));
    let sheet = book
        .worksheet_range_at(0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .rows()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(column, cell)| match (column, cell) {
                    // The invoice number; then the amounts, in yuan.
                    (5, Data::Float(f)) => format!("{f}"),
                    (_, Data::Float(f)) => format!("{f:.2}"),
                    (_, other) => other.to_string(),
                })
                .collect()
        })
        .collect()
}

const SET_LATE_FEE: &str = "mutation($c: ID!, $t: LateFeeInput) { setLateFee(compoundId: $c, terms: $t) { id lateFee { dailyRateBp graceDays capBp } } }";

#[tokio::test]
async fn a_contract_late_fee_is_simple_capped_on_open_principal_and_its_own_line() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;

    // Bad terms name their field and change nothing; residents may not set terms.
    for (terms, field) in [
        (
            json!({ "dailyRateBp": 0, "graceDays": 0, "capBp": 1000 }),
            "dailyRateBp",
        ),
        (
            json!({ "dailyRateBp": 11, "graceDays": 0, "capBp": 1000 }),
            "dailyRateBp",
        ),
        (
            json!({ "dailyRateBp": 5, "graceDays": -1, "capBp": 1000 }),
            "graceDays",
        ),
        (
            json!({ "dailyRateBp": 5, "graceDays": 0, "capBp": 10001 }),
            "capBp",
        ),
    ] {
        let body = app
            .gql(
                Some(&token),
                SET_LATE_FEE,
                json!({ "c": guotai, "t": terms }),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(error_field(&body), Some(field), "{body}");
    }
    let resident = app.login("resident@demo.test").await;
    let body = app
        .gql(
            Some(&resident),
            SET_LATE_FEE,
            json!({ "c": guotai, "t": { "dailyRateBp": 5, "graceDays": 0, "capBp": 1000 } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let unchanged = app
        .gql(
            Some(&token),
            "query($c: ID!) { compound(id: $c) { lateFee { dailyRateBp } } }",
            json!({ "c": guotai }),
        )
        .await;
    assert!(
        unchanged["data"]["compound"]["lateFee"].is_null(),
        "{unchanged}"
    );

    // 万分之五 a day, no grace, at most 10% of an invoice's principal.
    let set = app
        .gql(
            Some(&token),
            SET_LATE_FEE,
            json!({ "c": guotai, "t": { "dailyRateBp": 5, "graceDays": 0, "capBp": 1000 } }),
        )
        .await;
    assert_eq!(
        set["data"]["setLateFee"]["lateFee"]["dailyRateBp"], 5,
        "{set}"
    );

    // 万分之十 a day capped at 1% of the principal: the cap bites in the first month.
    let liaoyuan = compound_id(&app, &token, "燎原新村").await;
    let set = app
        .gql(
            Some(&token),
            SET_LATE_FEE,
            json!({ "c": liaoyuan, "t": { "dailyRateBp": 10, "graceDays": 0, "capBp": 100 } }),
        )
        .await;
    assert_eq!(set["data"]["setLateFee"]["lateFee"]["capBp"], 100, "{set}");
    let capped = first_households(&app, &token, &liaoyuan, 1).await[0].clone();

    let hs = first_households(&app, &token, &guotai, 6).await;
    bill(&app, &token, "2026-09").await;
    // Paid in full, half paid, and nothing paid of September's ¥28.00.
    let paid = app
        .gql(Some(&token), PAY, pay_input(&hs[4], "28.00", "late-full"))
        .await;
    assert!(paid["errors"].is_null(), "{paid}");
    app.gql(Some(&token), PAY, pay_input(&hs[5], "14.00", "late-half"))
        .await;
    // October's run: September's invoice fell due on 30 September, overdue no day of
    // September, so no late fee yet.
    bill(&app, &token, "2026-10").await;
    let acct = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[3] })).await;
    let oct = &acct["data"]["householdAccount"]["invoices"][0];
    assert_eq!(oct["period"], "2026-10", "{acct}");
    assert_eq!(oct["due"]["fen"], 2_800);

    bill(&app, &token, "2026-11").await;
    let late_line = |acct: &Value| -> Option<i64> {
        acct["data"]["householdAccount"]["invoices"][0]["lines"]
            .as_array()?
            .iter()
            .find(|l| l["kind"] == "LATE_FEE")
            .and_then(|l| l["amount"]["fen"].as_i64())
    };
    // Unpaid: 2800 × 5/10000 × 31 October days = 43.4 → 43 fen (rounded down); October's own
    // invoice only fell due on 31 October.
    let unpaid = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[3] })).await;
    assert_eq!(late_line(&unpaid), Some(43), "{unpaid}");
    let nov = &unpaid["data"]["householdAccount"]["invoices"][0];
    assert_eq!(nov["due"]["fen"], 2_843);
    assert_eq!(nov["waived"]["fen"], 0);
    assert_eq!(
        unpaid["data"]["householdAccount"]["balance"]["fen"],
        2_800 * 3 + 43,
        "the ledger receivable includes the late fee"
    );
    // Half paid: 1400 × 5/10000 × 31 = 21.7 → 21 fen. Paid up: none.
    let half = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[5] })).await;
    assert_eq!(late_line(&half), Some(21), "{half}");
    let full = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[4] })).await;
    assert_eq!(late_line(&full), None, "{full}");

    // Capped: ¥23.81 a month there; 2381 × 10/10000 × 31 = 73 fen uncapped, 1% is 23 fen.
    let late_lines = |acct: &Value| -> Vec<i64> {
        acct["data"]["householdAccount"]["invoices"][0]["lines"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|l| l["kind"] == "LATE_FEE")
            .filter_map(|l| l["amount"]["fen"].as_i64())
            .collect()
    };
    let at_cap = app.gql(Some(&token), ACCOUNT, json!({ "h": capped })).await;
    assert_eq!(late_lines(&at_cap), vec![23], "{at_cap}");

    // A compound without a late fee in its contract charges none.
    let other = compound_id(&app, &token, "龙沙乡家属楼").await;
    let oh = first_households(&app, &token, &other, 1).await;
    let plain = app.gql(Some(&token), ACCOUNT, json!({ "h": oh[0] })).await;
    assert_eq!(late_line(&plain), None, "{plain}");

    // Removing the terms stops further late fees.
    let off = app
        .gql(
            Some(&token),
            SET_LATE_FEE,
            json!({ "c": guotai, "t": null }),
        )
        .await;
    assert!(off["data"]["setLateFee"]["lateFee"].is_null(), "{off}");
    bill(&app, &token, "2026-12").await;
    let dec = app.gql(Some(&token), ACCOUNT, json!({ "h": hs[3] })).await;
    assert_eq!(
        dec["data"]["householdAccount"]["invoices"][0]["period"],
        "2026-12"
    );
    assert_eq!(late_line(&dec), None, "{dec}");
    // September's invoice has reached its cap and is charged no more; October's (overdue 30
    // November days: 71 fen uncapped) is capped at 23 in its first month.
    let dec = app.gql(Some(&token), ACCOUNT, json!({ "h": capped })).await;
    assert_eq!(late_lines(&dec), vec![23], "{dec}");
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_bundles_collection_is_the_sum_of_its_compounds() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    bill(&app, &token, "2026-11").await;
    let guotai = compound_id(&app, &token, "国泰花园").await;
    let hs = first_households(&app, &token, &guotai, 4).await;
    let paid = app
        .gql(Some(&token), PAY, pay_input(&hs[3], "28.00", "bundle-1"))
        .await;
    assert!(paid["errors"].is_null(), "{paid}");
    let c = app
        .gql(
            Some(&token),
            "query($c: ID!) { compound(id: $c) { bundle { id } } }",
            json!({ "c": guotai }),
        )
        .await;
    let bundle = c["data"]["compound"]["bundle"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    const Q: &str = "query($b: ID!, $f: String!, $t: String!) { bundleCollection(bundleId: $b, from: $f, to: $t) { months { period due { fen } collected { fen } householdsBilled householdsPaid } compounds { compoundId name months { due { fen } collected { fen } householdsBilled } } } }";
    let body = app
        .gql(
            Some(&token),
            Q,
            json!({ "b": bundle, "f": "2026-10", "t": "2026-11" }),
        )
        .await;
    let b = &body["data"]["bundleCollection"];
    let months = b["months"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert_eq!(months.len(), 2, "one row per month, empty months included");
    assert_eq!(months[0]["due"]["fen"], 0);
    let compounds = b["compounds"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    assert!(compounds.len() > 1, "{body}");
    let sum = |field: &str| -> i64 {
        compounds
            .iter()
            .map(|c| c["months"][1][field]["fen"].as_i64().unwrap_or(0))
            .sum()
    };
    assert_eq!(months[1]["due"]["fen"].as_i64(), Some(sum("due")));
    assert_eq!(months[1]["collected"]["fen"], 2_800);
    assert_eq!(sum("collected"), 2_800);
    let billed: i64 = compounds
        .iter()
        .map(|c| c["months"][1]["householdsBilled"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(months[1]["householdsBilled"].as_i64(), Some(billed));
    // The same figures as the compound's own collection.
    let own = app
        .gql(Some(&token), "query($c: ID!) { collection(compoundId: $c, from: \"2026-11\", to: \"2026-11\") { due { fen } collected { fen } } }", json!({ "c": guotai }))
        .await;
    let g = compounds
        .iter()
        .find(|c| c["compoundId"] == guotai.as_str())
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(g["months"][1]["due"], own["data"]["collection"][0]["due"]);
    assert_eq!(
        g["months"][1]["collected"],
        own["data"]["collection"][0]["collected"]
    );

    let backwards = app
        .gql(
            Some(&token),
            Q,
            json!({ "b": bundle, "f": "2026-11", "t": "2026-10" }),
        )
        .await;
    assert_eq!(error_field(&backwards), Some("to"), "{backwards}");
    let resident = app.login("resident@demo.test").await;
    let body = app
        .gql(
            Some(&resident),
            Q,
            json!({ "b": bundle, "f": "2026-11", "t": "2026-11" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
}
