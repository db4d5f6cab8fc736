//! Common-part income through the API: the owners' terms, income and costs recorded, the
//! monthly close that deducts costs, splits the net 70/30 (the firm rounded down) and locks
//! the month, corrections in the next open month, and who may do what.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use crate::billing::at;
use crate::ledger::accounts;
use crate::tenancy::compound_id;

const RESOLVE: &str = "mutation($i: BusinessUseResolutionInput!) { recordBusinessUseResolution(input: $i) { id documentNo } }";
const RULE: &str = "mutation($i: IncomeSplitRuleInput!) { setIncomeSplitRule(input: $i) { id ownersBp firmBp effectiveFrom } }";
const INCOME: &str = "mutation($i: CommonIncomeInput!) { recordCommonIncome(input: $i) { id period amount { fen } } }";
const COST: &str =
    "mutation($i: CommonPartCostInput!) { recordCommonPartCost(input: $i) { id amount { fen } } }";
const CLOSE: &str = "mutation($c: ID!, $p: String!) { closeCommonIncomeMonth(compoundId: $c, period: $p) { id entryId lines { category gross { fen } deducted { fen } carriedOut { fen } owners { fen } firm { fen } } } }";
const MONTH: &str = "query($c: ID!, $p: String!) { commonIncomeMonth(compoundId: $c, period: $p) { locked closedThrough close { id }
    lines { category ownersBp firmBp gross { fen } costs { fen } carriedIn { fen } deducted { fen } carriedOut { fen } net { fen } owners { fen } firm { fen } }
    total { gross { fen } owners { fen } firm { fen } carriedOut { fen } } records { amount { fen } correctionReason } costs { evidence } } }";

fn expect(body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(body), Some(code), "{body}");
    assert_eq!(error_field(body), field, "{body}");
}

/// The accountant's token and 燎原新村, a demo compound with no common income yet, on
/// 2026-12-10.
async fn liaoyuan(app: &TestApp) -> (String, String) {
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let token = app.login("accountant@demo.test").await;
    let compound = compound_id(app, &token, "燎原新村").await;
    (token, compound)
}

async fn resolve(app: &TestApp, token: &str, compound: &str, decided_on: &str) -> String {
    let matter = crate::governance::passed_matter(app, compound, "COMMON_PARTS_USE").await;
    let body = app
        .gql(
            Some(token),
            RESOLVE,
            json!({ "i": { "compoundId": compound, "matterId": matter, "documentNo": format!("业主大会决议{decided_on}"), "decidedOn": decided_on } }),
        )
        .await;
    body["data"]["recordBusinessUseResolution"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

fn income(
    compound: &str,
    category: &str,
    amount: &str,
    on: &str,
    method: &str,
    key: &str,
) -> Value {
    json!({ "i": { "compoundId": compound, "category": category, "amount": amount, "receivedOn": on,
                   "method": method, "payer": "某广告公司", "reference": "合同2026-07", "idempotencyKey": key } })
}

fn cost(compound: &str, category: &str, period: &str, amount: &str, key: &str) -> Value {
    json!({ "i": { "compoundId": compound, "category": category, "period": period, "amount": amount,
                   "description": "灯箱电费", "evidence": "电费发票 No.0012", "method": "BANK_TRANSFER", "idempotencyKey": key } })
}

async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let body = app.gql(Some(token), query, vars).await;
    assert!(body["errors"].is_null(), "{body}");
    body
}

fn natural(accounts: &[Value], kind: &str) -> i64 {
    accounts
        .iter()
        .find(|a| a["kind"] == kind)
        .and_then(|a| a["naturalBalance"]["fen"].as_i64())
        .unwrap_or_else(|| panic!("no {kind} in {accounts:?}"))
}

fn line<'a>(lines: &'a Value, category: &str) -> &'a Value {
    lines
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["category"] == category))
        .unwrap_or_else(|| panic!("no {category} in {lines}"))
}

async fn verify_clean(app: &TestApp) {
    for (slug, v) in api::tenancy::verify_ledgers(&app.db, None)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
    {
        assert!(v.problems.is_empty(), "{slug}: {:?}", v.problems);
    }
}

#[tokio::test]
async fn a_month_closes_seventy_thirty_after_its_costs_and_locks() {
    let app = TestApp::spawn().await;
    let (token, c) = liaoyuan(&app).await;
    resolve(&app, &token, &c, "2026-10-15").await;
    ok(
        &app,
        &token,
        INCOME,
        income(
            &c,
            "ADVERTISING",
            "1000.01",
            "2026-11-05",
            "BANK_TRANSFER",
            "ad-1",
        ),
    )
    .await;
    ok(
        &app,
        &token,
        INCOME,
        income(
            &c,
            "PARKING_TEMPORARY",
            "333.33",
            "2026-11-30",
            "CASH",
            "park-1",
        ),
    )
    .await;
    ok(
        &app,
        &token,
        COST,
        cost(&c, "ADVERTISING", "2026-11", "100.00", "cost-1"),
    )
    .await;
    // Retrying a record with its key changes nothing.
    ok(
        &app,
        &token,
        INCOME,
        income(
            &c,
            "ADVERTISING",
            "1000.01",
            "2026-11-05",
            "BANK_TRANSFER",
            "ad-1",
        ),
    )
    .await;

    // Before the close, the month shows what closing it would post.
    let open = ok(&app, &token, MONTH, json!({ "c": c, "p": "2026-11" })).await;
    let m = &open["data"]["commonIncomeMonth"];
    assert_eq!(m["locked"], false);
    assert_eq!(m["records"].as_array().map(Vec::len), Some(2), "{open}");
    let ads = line(&m["lines"], "ADVERTISING");
    assert_eq!(ads["gross"]["fen"], 100_001);
    assert_eq!(ads["deducted"]["fen"], 10_000);
    assert_eq!(ads["net"]["fen"], 90_001);
    // 30% of 900.01 is 270.003: the firm gets 270.00, the owners every remaining fen.
    assert_eq!(ads["firm"]["fen"], 27_000);
    assert_eq!(ads["owners"]["fen"], 63_001);
    let parking = line(&m["lines"], "PARKING_TEMPORARY");
    assert_eq!(
        (
            parking["firm"]["fen"].as_i64(),
            parking["owners"]["fen"].as_i64()
        ),
        (Some(9_999), Some(23_334))
    );

    let closed = ok(&app, &token, CLOSE, json!({ "c": c, "p": "2026-11" })).await;
    let close = &closed["data"]["closeCommonIncomeMonth"];
    assert_eq!(
        line(&close["lines"], "ADVERTISING")["owners"]["fen"],
        63_001
    );
    let a = accounts(&app, &token, &c).await;
    assert_eq!(natural(&a, "COMMITTEE_FUND"), 63_001 + 23_334);
    assert_eq!(natural(&a, "FIRM_COMMON_INCOME"), 27_000 + 9_999);
    assert_eq!(natural(&a, "COMMON_INCOME_PENDING"), 0);
    assert_eq!(natural(&a, "COMMON_PART_COST"), 0);
    assert_eq!(natural(&a, "BANK"), 100_001 - 10_000);
    assert_eq!(natural(&a, "CASH_ON_HAND"), 33_333);

    // Closing again answers the same close; the month is locked to new income and costs.
    let again = ok(&app, &token, CLOSE, json!({ "c": c, "p": "2026-11" })).await;
    assert_eq!(again["data"]["closeCommonIncomeMonth"]["id"], close["id"]);
    let late = app
        .gql(
            Some(&token),
            INCOME,
            income(&c, "ADVERTISING", "5", "2026-11-20", "CASH", "late"),
        )
        .await;
    expect(&late, "CONFLICT", Some("receivedOn"));
    let late_cost = app
        .gql(
            Some(&token),
            COST,
            cost(&c, "ADVERTISING", "2026-11", "5", "late-cost"),
        )
        .await;
    expect(&late_cost, "CONFLICT", Some("period"));
    let locked = ok(&app, &token, MONTH, json!({ "c": c, "p": "2026-11" })).await;
    assert_eq!(locked["data"]["commonIncomeMonth"]["locked"], true);
    assert_eq!(
        locked["data"]["commonIncomeMonth"]["total"]["owners"]["fen"],
        86_335
    );
    assert_eq!(
        app.count("SELECT count(*) FROM income_records").await,
        2 + 12
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn costs_above_the_gross_and_corrections_are_carried_never_taken_from_the_fund() {
    let app = TestApp::spawn().await;
    let (token, c) = liaoyuan(&app).await;
    resolve(&app, &token, &c, "2026-09-01").await;
    ok(
        &app,
        &token,
        INCOME,
        income(&c, "ADVERTISING", "50.00", "2026-10-10", "CASH", "oct"),
    )
    .await;
    ok(
        &app,
        &token,
        COST,
        cost(&c, "ADVERTISING", "2026-10", "80.00", "oct-cost"),
    )
    .await;
    let october = ok(&app, &token, CLOSE, json!({ "c": c, "p": "2026-10" })).await;
    let oct = line(
        &october["data"]["closeCommonIncomeMonth"]["lines"],
        "ADVERTISING",
    );
    assert_eq!(oct["deducted"]["fen"], 5_000);
    assert_eq!(oct["carriedOut"]["fen"], 3_000);
    assert_eq!(
        (oct["owners"]["fen"].as_i64(), oct["firm"]["fen"].as_i64()),
        (Some(0), Some(0))
    );
    let a = accounts(&app, &token, &c).await;
    assert_eq!(natural(&a, "COMMITTEE_FUND"), 0);
    // What could not be deducted stays in the costs account, for November.
    assert_eq!(natural(&a, "COMMON_PART_COST"), 3_000);

    // A correction of October's income (¥10.00 handed back) is recorded in November, with
    // its reason; without one, a negative amount is refused.
    let no_reason = app
        .gql(
            Some(&token),
            INCOME,
            income(&c, "ADVERTISING", "-10", "2026-11-02", "CASH", "fix"),
        )
        .await;
    expect(&no_reason, "BAD_USER_INPUT", Some("amount"));
    let mut fix = income(&c, "ADVERTISING", "-10", "2026-11-02", "CASH", "fix");
    fix["i"]["correctionReason"] = json!("退还广告商十月多付款");
    ok(&app, &token, INCOME, fix).await;
    ok(
        &app,
        &token,
        INCOME,
        income(&c, "ADVERTISING", "100.00", "2026-11-12", "CASH", "nov"),
    )
    .await;
    let november = ok(&app, &token, CLOSE, json!({ "c": c, "p": "2026-11" })).await;
    let nov = line(
        &november["data"]["closeCommonIncomeMonth"]["lines"],
        "ADVERTISING",
    );
    // 100.00 − 10.00 = 90.00 gross; the 30.00 carried in comes off; 60.00 is split.
    assert_eq!(nov["gross"]["fen"], 9_000);
    assert_eq!(nov["deducted"]["fen"], 3_000);
    assert_eq!(nov["carriedOut"]["fen"], 0);
    assert_eq!(
        (nov["owners"]["fen"].as_i64(), nov["firm"]["fen"].as_i64()),
        (Some(4_200), Some(1_800))
    );
    let a = accounts(&app, &token, &c).await;
    assert_eq!(natural(&a, "COMMITTEE_FUND"), 4_200);
    assert_eq!(natural(&a, "COMMON_PART_COST"), 0);
    let month = ok(&app, &token, MONTH, json!({ "c": c, "p": "2026-11" })).await;
    let reasons: Vec<&Value> = month["data"]["commonIncomeMonth"]["records"]
        .as_array()
        .map(|rs| rs.iter().map(|r| &r["correctionReason"]).collect())
        .unwrap_or_default();
    assert!(reasons.contains(&&json!("退还广告商十月多付款")), "{month}");
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_new_rule_version_applies_from_its_month_under_the_owners_resolution() {
    let app = TestApp::spawn().await;
    let (token, c) = liaoyuan(&app).await;
    let resolution = resolve(&app, &token, &c, "2026-10-20").await;
    let rule = |from: &str, owners: i32, firm: i32| json!({ "i": { "compoundId": c, "category": "PARKING_PASS", "effectiveFrom": from, "ownersBp": owners, "firmBp": firm, "resolutionId": resolution } });
    ok(&app, &token, RULE, rule("2026-11", 8_000, 2_000)).await;
    // Before the resolution was decided, a version cannot start; twice from one month, never.
    expect(
        &app.gql(Some(&token), RULE, rule("2026-09", 8_000, 2_000))
            .await,
        "BAD_USER_INPUT",
        Some("effectiveFrom"),
    );
    expect(
        &app.gql(Some(&token), RULE, rule("2026-11", 9_000, 1_000))
            .await,
        "CONFLICT",
        Some("effectiveFrom"),
    );
    expect(
        &app.gql(Some(&token), RULE, rule("2026-12", 7_000, 2_999))
            .await,
        "BAD_USER_INPUT",
        Some("ownersBp"),
    );
    expect(
        &app.gql(Some(&token), RULE, rule("2026-12", 10_001, 0))
            .await,
        "BAD_USER_INPUT",
        Some("ownersBp"),
    );
    expect(
        &app.gql(Some(&token), RULE, rule("2026-12", -1, 10_001))
            .await,
        "BAD_USER_INPUT",
        Some("ownersBp"),
    );

    ok(
        &app,
        &token,
        INCOME,
        income(
            &c,
            "PARKING_PASS",
            "150.05",
            "2026-11-03",
            "QR_TRANSFER",
            "pass",
        ),
    )
    .await;
    ok(
        &app,
        &token,
        INCOME,
        income(&c, "RECYCLABLES", "10.00", "2026-11-04", "CASH", "junk"),
    )
    .await;
    let closed = ok(&app, &token, CLOSE, json!({ "c": c, "p": "2026-11" })).await;
    let lines = &closed["data"]["closeCommonIncomeMonth"]["lines"];
    // 20% of 150.05 is 30.01; recyclables have no version, so 70/30.
    assert_eq!(line(lines, "PARKING_PASS")["firm"]["fen"], 3_001);
    assert_eq!(line(lines, "PARKING_PASS")["owners"]["fen"], 12_004);
    assert_eq!(line(lines, "RECYCLABLES")["firm"]["fen"], 300);
    // A version from a closed month would rewrite it.
    expect(
        &app.gql(Some(&token), RULE, rule("2026-10", 5_000, 5_000))
            .await,
        "CONFLICT",
        Some("effectiveFrom"),
    );
    let month = ok(&app, &token, MONTH, json!({ "c": c, "p": "2026-11" })).await;
    let pass = line(&month["data"]["commonIncomeMonth"]["lines"], "PARKING_PASS");
    assert_eq!(
        (pass["ownersBp"].as_i64(), pass["firmBp"].as_i64()),
        (Some(8_000), Some(2_000))
    );
}

#[tokio::test]
async fn bad_income_is_refused_by_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (token, c) = liaoyuan(&app).await;
    let records = || app.count("SELECT count(*) FROM income_records");
    let before = records().await;
    for (amount, on, field) in [
        ("0", "2026-11-01", "amount"),
        ("-5", "2026-11-01", "amount"),
        ("1.001", "2026-11-01", "amount"),
        ("abc", "2026-11-01", "amount"),
        ("99999999999999", "2026-11-01", "amount"),
        ("100", "2026-12-25", "receivedOn"),
    ] {
        let body = app
            .gql(
                Some(&token),
                INCOME,
                income(&c, "ADVERTISING", amount, on, "CASH", amount),
            )
            .await;
        expect(&body, "BAD_USER_INPUT", Some(field));
    }
    // Above the firm's largest single payment (¥1,000,000.00 unless set).
    let huge = app
        .gql(
            Some(&token),
            INCOME,
            income(&c, "ADVERTISING", "5000000", "2026-11-01", "CASH", "huge"),
        )
        .await;
    expect(&huge, "BAD_USER_INPUT", Some("amount"));
    // Staff record money received by hand; an online card payment comes from the processor.
    let online = app
        .gql(
            Some(&token),
            INCOME,
            income(&c, "ADVERTISING", "10", "2026-11-01", "ONLINE", "web"),
        )
        .await;
    expect(&online, "BAD_USER_INPUT", Some("method"));
    let mut online_cost = cost(&c, "ADVERTISING", "2026-11", "1", "web-cost");
    online_cost["i"]["method"] = json!("ONLINE");
    expect(
        &app.gql(Some(&token), COST, online_cost).await,
        "BAD_USER_INPUT",
        Some("method"),
    );
    let mut long_payer = income(&c, "ADVERTISING", "1", "2026-11-01", "CASH", "payer");
    long_payer["i"]["payer"] = json!("广".repeat(101));
    expect(
        &app.gql(Some(&token), INCOME, long_payer).await,
        "BAD_USER_INPUT",
        Some("payer"),
    );
    let unknown = app
        .gql(
            Some(&token),
            INCOME,
            income(
                "0190f0c4-0000-7000-8000-000000000000",
                "ADVERTISING",
                "1",
                "2026-11-01",
                "CASH",
                "u",
            ),
        )
        .await;
    expect(&unknown, "NOT_FOUND", None);
    assert_eq!(records().await, before);

    ok(
        &app,
        &token,
        INCOME,
        income(&c, "ADVERTISING", "12.00", "2026-11-01", "CASH", "k"),
    )
    .await;
    let reused = app
        .gql(
            Some(&token),
            INCOME,
            income(&c, "ADVERTISING", "13.00", "2026-11-01", "CASH", "k"),
        )
        .await;
    expect(&reused, "CONFLICT", Some("idempotencyKey"));

    for (amount, period, field) in [
        ("0", "2026-11", "amount"),
        ("-1", "2026-11", "amount"),
        ("1", "2027-01", "period"),
        ("1", "2026-13", "period"),
    ] {
        expect(
            &app.gql(
                Some(&token),
                COST,
                cost(&c, "ADVERTISING", period, amount, "c"),
            )
            .await,
            "BAD_USER_INPUT",
            Some(field),
        );
    }
    let mut no_evidence = cost(&c, "ADVERTISING", "2026-11", "1", "c");
    no_evidence["i"]["evidence"] = json!("  ");
    expect(
        &app.gql(Some(&token), COST, no_evidence).await,
        "BAD_USER_INPUT",
        Some("evidence"),
    );

    // Closing: not before the month ends, not out of order, not without the owners' resolution.
    expect(
        &app.gql(Some(&token), CLOSE, json!({ "c": c, "p": "2026-12" }))
            .await,
        "BAD_USER_INPUT",
        Some("period"),
    );
    ok(
        &app,
        &token,
        INCOME,
        income(&c, "ADVERTISING", "1.00", "2026-10-31", "CASH", "oct"),
    )
    .await;
    expect(
        &app.gql(Some(&token), CLOSE, json!({ "c": c, "p": "2026-11" }))
            .await,
        "CONFLICT",
        Some("period"),
    );
    expect(
        &app.gql(Some(&token), CLOSE, json!({ "c": c, "p": "2026-10" }))
            .await,
        "CONFLICT",
        Some("compoundId"),
    );
    assert_eq!(
        app.count("SELECT count(*) FROM income_closes").await,
        6,
        "only the demo's closes"
    );
    let passed = crate::governance::passed_matter(&app, &c, "COMMON_PARTS_USE").await;
    let resolve_future = app
        .gql(
            Some(&token),
            RESOLVE,
            json!({ "i": { "compoundId": c, "matterId": passed, "documentNo": "x", "decidedOn": "2027-01-01" } }),
        )
        .await;
    expect(&resolve_future, "BAD_USER_INPUT", Some("decidedOn"));
    // Business use rests on a passed matter of its kind, of this compound: not a majority
    // matter, not one still being voted on, not another compound's.
    let other_kind = crate::governance::passed_matter(&app, &c, "OTHER").await;
    let admin = app.login("admin@demo.test").await;
    let mut open = crate::governance::matter_input(&c, "COMMON_PARTS_USE", false);
    open["closesAt"] = json!("2026-12-20T10:00:00Z");
    let open = crate::governance::opened(&app, &admin, open).await;
    let elsewhere = compound_id(&app, &token, "国泰花园").await;
    let elsewhere = crate::governance::passed_matter(&app, &elsewhere, "COMMON_PARTS_USE").await;
    for matter in [&other_kind, &open, &elsewhere] {
        let refused = app.gql(Some(&token), RESOLVE, json!({ "i": { "compoundId": c, "matterId": matter, "documentNo": "未表决", "decidedOn": "2026-10-01" } })).await;
        expect(&refused, "BAD_USER_INPUT", Some("matterId"));
    }
    let resolution = resolve(&app, &token, &c, "2026-10-01").await;
    let twice = app.gql(Some(&token), RESOLVE, json!({ "i": { "compoundId": c, "matterId": passed, "documentNo": "业主大会决议2026-10-01", "decidedOn": "2026-10-01" } })).await;
    expect(&twice, "CONFLICT", Some("documentNo"));
    let recorded = app
        .count("SELECT count(*) FROM business_use_resolutions WHERE document_no = '未表决'")
        .await;
    assert_eq!(recorded, 0);
    ok(&app, &token, CLOSE, json!({ "c": c, "p": "2026-10" })).await;
    assert!(!resolution.is_empty());

    // An archived compound takes no more income.
    let admin = app.login("admin@demo.test").await;
    ok(
        &app,
        &admin,
        "mutation($id: ID!) { archiveCompound(id: $id) { id } }",
        json!({ "id": c }),
    )
    .await;
    let archived = app
        .gql(
            Some(&token),
            INCOME,
            income(&c, "ADVERTISING", "1", "2026-11-01", "CASH", "arch"),
        )
        .await;
    expect(&archived, "BAD_USER_INPUT", Some("compoundId"));
}

#[tokio::test]
async fn the_committee_reads_its_compounds_income_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let committee = app.login("committee@demo.test").await;
    let guotai = compound_id(&app, &committee, "国泰花园").await;
    let month = ok(
        &app,
        &committee,
        MONTH,
        json!({ "c": guotai, "p": "2026-10" }),
    )
    .await;
    let m = &month["data"]["commonIncomeMonth"];
    assert_eq!(m["locked"], true);
    assert_eq!(m["closedThrough"], "2026-10");
    // October of the demo: parking ¥3,210.50 + 5 × ¥17.33 and ads ¥1,200.00, split 70/30.
    assert_eq!(m["total"]["gross"]["fen"], 329_715 + 120_000);
    assert_eq!(m["total"]["firm"]["fen"], 98_914 + 36_000);
    for (query, vars) in [
        (
            INCOME,
            income(&guotai, "ADVERTISING", "1", "2026-11-01", "CASH", "c"),
        ),
        (COST, cost(&guotai, "ADVERTISING", "2026-11", "1", "c")),
    ] {
        expect(
            &app.gql(Some(&committee), query, vars).await,
            "FORBIDDEN",
            None,
        );
    }
    expect(
        &app.gql(
            Some(&committee),
            CLOSE,
            json!({ "c": guotai, "p": "2026-11" }),
        )
        .await,
        "FORBIDDEN",
        None,
    );
    let resident = app.login("resident@demo.test").await;
    expect(
        &app.gql(
            Some(&resident),
            MONTH,
            json!({ "c": guotai, "p": "2026-10" }),
        )
        .await,
        "FORBIDDEN",
        None,
    );
    let grid = app.login("grid@demo.test").await;
    expect(
        &app.gql(Some(&grid), MONTH, json!({ "c": guotai, "p": "2026-10" }))
            .await,
        "FORBIDDEN",
        None,
    );
}

const BUNDLE_CLOSE: &str = "mutation($b: ID!, $p: String!) { closeBundleCommonIncomeMonth(bundleId: $b, period: $p) { closed alreadyClosed refused { compoundId compoundName code message } } }";

#[tokio::test]
async fn a_bundle_closes_compound_by_compound_and_a_rerun_finishes_what_was_refused() {
    let app = TestApp::spawn().await;
    let (token, c) = liaoyuan(&app).await;
    let body = app
        .gql(Some(&token), "query($c: ID!) { compound(id: $c) { bundle { id } } compounds(first: 100) { edges { node { id name bundle { id } } } } }", json!({ "c": c }))
        .await;
    let bundle = body["data"]["compound"]["bundle"]["id"].clone();
    let siblings: Vec<(String, String)> = body["data"]["compounds"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["node"]["bundle"]["id"] == bundle)
        .filter_map(|e| {
            Some((
                e["node"]["id"].as_str()?.to_owned(),
                e["node"]["name"].as_str()?.to_owned(),
            ))
        })
        .collect();
    assert!(siblings.len() >= 2, "{body}");
    let (other, other_name) = siblings
        .iter()
        // Not 国泰花园: the demo recorded its owners' resolution.
        .find(|(id, name)| *id != c && name != "国泰花园")
        .cloned()
        .unwrap_or_else(|| panic!("{body}"));
    // 燎原新村 has its resolution; the other compound has income and none.
    resolve(&app, &token, &c, "2026-10-01").await;
    ok(
        &app,
        &token,
        INCOME,
        income(&c, "ADVERTISING", "100.00", "2026-11-03", "CASH", "l-1"),
    )
    .await;
    ok(
        &app,
        &token,
        INCOME,
        income(&other, "ADVERTISING", "50.00", "2026-11-04", "CASH", "o-1"),
    )
    .await;
    let vars = json!({ "b": bundle, "p": "2026-11" });

    let first = ok(&app, &token, BUNDLE_CLOSE, vars.clone()).await;
    let r = &first["data"]["closeBundleCommonIncomeMonth"];
    assert_eq!(r["closed"], siblings.len() - 1, "{first}");
    assert_eq!(r["alreadyClosed"], 0);
    assert_eq!(r["refused"][0]["compoundName"], json!(other_name));
    assert_eq!(r["refused"][0]["code"], "CONFLICT");
    let a = accounts(&app, &token, &c).await;
    assert_eq!(natural(&a, "COMMITTEE_FUND"), 7_000);

    // Closing again closes nothing twice; once the refusal is mended, the rest closes.
    let again = ok(&app, &token, BUNDLE_CLOSE, vars.clone()).await;
    let r = &again["data"]["closeBundleCommonIncomeMonth"];
    assert_eq!(
        (r["closed"].as_u64(), r["alreadyClosed"].as_u64()),
        (Some(0), Some(siblings.len() as u64 - 1))
    );
    resolve(&app, &token, &other, "2026-10-01").await;
    let last = ok(&app, &token, BUNDLE_CLOSE, vars).await;
    let r = &last["data"]["closeBundleCommonIncomeMonth"];
    assert_eq!(r["closed"], 1, "{last}");
    assert_eq!(r["refused"], json!([]));
    assert_eq!(
        natural(&accounts(&app, &token, &other).await, "COMMITTEE_FUND"),
        3_500
    );
    assert_eq!(
        natural(&accounts(&app, &token, &c).await, "COMMITTEE_FUND"),
        7_000
    );
    let committee = app.login("committee@demo.test").await;
    let refused = app
        .gql(
            Some(&committee),
            BUNDLE_CLOSE,
            json!({ "b": bundle, "p": "2026-11" }),
        )
        .await;
    expect(&refused, "FORBIDDEN", None);
    verify_clean(&app).await;
}

const REPORT: &str = "query($c: ID, $b: ID, $from: String!, $to: String!) { commonIncomeReport(compoundId: $c, bundleId: $b, from: $from, to: $to) {
    rows { compound period category owners { fen } firm { fen } } funds { compound shares { fen } payouts { fen } closing { fen } } xlsxBase64 } }";

#[tokio::test]
async fn the_income_report_is_the_closes_and_the_fund_and_exports_to_excel() {
    let app = TestApp::spawn().await;
    let committee = app.login("committee@demo.test").await;
    let guotai = compound_id(&app, &committee, "国泰花园").await;
    let vars = |c: Value, b: Value, from: &str, to: &str| json!({ "c": c, "b": b, "from": from, "to": to });
    let body = ok(
        &app,
        &committee,
        REPORT,
        vars(json!(guotai), Value::Null, "2026-05", "2026-10"),
    )
    .await;
    let r = &body["data"]["commonIncomeReport"];
    assert_eq!(r["rows"].as_array().map(Vec::len), Some(12), "{body}");
    let owners: i64 = r["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|x| x["owners"]["fen"].as_i64())
                .sum()
        })
        .unwrap_or_default();
    assert_eq!(owners, 1_870_610);
    assert_eq!(r["funds"][0]["shares"]["fen"], owners);
    assert_eq!(r["funds"][0]["closing"]["fen"], 1_370_610);
    // An XLSX workbook is a zip: "PK\x03\x04", "UEsDB" in base64.
    assert!(
        r["xlsxBase64"]
            .as_str()
            .is_some_and(|x| x.starts_with("UEsDB")),
        "{body}"
    );

    let accountant = app.login("accountant@demo.test").await;
    let bundle = app
        .gql(
            Some(&accountant),
            "query($c: ID!) { compound(id: $c) { bundle { id } } }",
            json!({ "c": guotai }),
        )
        .await["data"]["compound"]["bundle"]["id"]
        .clone();
    let whole = ok(
        &app,
        &accountant,
        REPORT,
        vars(Value::Null, bundle.clone(), "2026-01", "2026-12"),
    )
    .await;
    let funds = whole["data"]["commonIncomeReport"]["funds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        funds.len() > 1 && funds.iter().any(|f| f["compound"] == "国泰花园"),
        "{whole}"
    );
    expect(
        &app.gql(
            Some(&committee),
            REPORT,
            vars(Value::Null, bundle.clone(), "2026-01", "2026-12"),
        )
        .await,
        "FORBIDDEN",
        None,
    );
    expect(
        &app.gql(
            Some(&accountant),
            REPORT,
            vars(json!(guotai), bundle, "2026-01", "2026-12"),
        )
        .await,
        "BAD_USER_INPUT",
        Some("compoundId"),
    );
    expect(
        &app.gql(
            Some(&accountant),
            REPORT,
            vars(json!(guotai), Value::Null, "2026-12", "2026-01"),
        )
        .await,
        "BAD_USER_INPUT",
        Some("to"),
    );
}

const PASS: &str = "mutation($i: ParkingPassInput!) { issueParkingPass(input: $i) { id plate space from to monthly { fen } incomeRecordId } }";

fn pass(compound: &str, plate: &str, from: &str, to: &str, key: &str) -> Value {
    json!({ "i": { "compoundId": compound, "plate": plate, "space": "B-12", "from": from, "to": to, "monthly": "150.00",
                   "method": "QR_TRANSFER", "paidOn": "2026-11-28", "idempotencyKey": key } })
}

#[tokio::test]
async fn a_parking_pass_is_paid_as_parking_income_and_a_plate_has_one_at_a_time() {
    let app = TestApp::spawn().await;
    let (token, c) = liaoyuan(&app).await;
    let issued = ok(
        &app,
        &token,
        PASS,
        pass(&c, "桂b 12345", "2026-12", "2027-05", "p-1"),
    )
    .await;
    let p = &issued["data"]["issueParkingPass"];
    assert_eq!(p["plate"], "桂B12345", "{issued}");
    assert_eq!(p["monthly"]["fen"], 15_000);
    // Six months paid at once, as parking-pass income of November, when it was paid.
    let month = ok(&app, &token, MONTH, json!({ "c": c, "p": "2026-11" })).await;
    let line = line(&month["data"]["commonIncomeMonth"]["lines"], "PARKING_PASS");
    assert_eq!(line["gross"]["fen"], 90_000);
    // Issuing again with its key returns it; the plate cannot have a second pass for those months.
    let again = ok(
        &app,
        &token,
        PASS,
        pass(&c, "桂B12345", "2026-12", "2027-05", "p-1"),
    )
    .await;
    assert_eq!(again["data"]["issueParkingPass"]["id"], p["id"]);
    let overlap = app
        .gql(
            Some(&token),
            PASS,
            pass(&c, "桂B12345", "2027-05", "2027-06", "p-2"),
        )
        .await;
    expect(&overlap, "CONFLICT", Some("plate"));
    ok(
        &app,
        &token,
        PASS,
        pass(&c, "桂B12345", "2027-06", "2027-06", "p-3"),
    )
    .await;
    for (vars, field) in [
        (pass(&c, "12345", "2026-12", "2026-12", "b1"), "plate"),
        (pass(&c, "桂B12346", "2027-01", "2026-12", "b2"), "to"),
        (pass(&c, "桂B12346", "2026-13", "2026-12", "b3"), "from"),
    ] {
        expect(
            &app.gql(Some(&token), PASS, vars).await,
            "BAD_USER_INPUT",
            Some(field),
        );
    }
    let mut free = pass(&c, "桂B12346", "2026-12", "2026-12", "b4");
    free["i"]["monthly"] = json!("0");
    expect(
        &app.gql(Some(&token), PASS, free).await,
        "BAD_USER_INPUT",
        Some("monthly"),
    );
    let listed = ok(
        &app,
        &token,
        "query($c: ID!) { parkingPasses(compoundId: $c) { plate from to } }",
        json!({ "c": c }),
    )
    .await;
    assert_eq!(
        listed["data"]["parkingPasses"].as_array().map(Vec::len),
        Some(2),
        "{listed}"
    );
    assert_eq!(app.count("SELECT count(*) FROM parking_passes").await, 2);
    let committee = app.login("committee@demo.test").await;
    expect(
        &app.gql(
            Some(&committee),
            PASS,
            pass(&c, "桂B99999", "2026-12", "2026-12", "x"),
        )
        .await,
        "FORBIDDEN",
        None,
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_pass_ended_early_refunds_the_months_from_then_on_and_frees_the_plate() {
    let app = TestApp::spawn().await;
    let (token, c) = liaoyuan(&app).await;
    let issued = ok(
        &app,
        &token,
        PASS,
        pass(&c, "桂B12345", "2026-12", "2027-05", "e-1"),
    )
    .await;
    let id = issued["data"]["issueParkingPass"]["id"].clone();
    let end = "mutation($p: ID!, $from: String!, $r: String!) { cancelParkingPass(passId: $p, fromPeriod: $from, method: CASH, reason: $r) { cancelledFrom cancelReason refundRecordId } }";
    let vars = |from: &str, reason: &str| json!({ "p": id, "from": from, "r": reason });
    // Not a month before this one (today is 2026-12-10), not after the pass, never without a
    // reason.
    for (from, reason, field) in [
        ("2026-11", "搬离小区", "fromPeriod"),
        ("2027-06", "搬离小区", "fromPeriod"),
        ("2027-03", " ", "reason"),
    ] {
        let body = app.gql(Some(&token), end, vars(from, reason)).await;
        expect(&body, "BAD_USER_INPUT", Some(field));
    }
    let body = ok(&app, &token, end, vars("2027-03", "车主搬离小区")).await;
    let ended = &body["data"]["cancelParkingPass"];
    assert_eq!(ended["cancelledFrom"], "2027-03", "{body}");
    // March to May refunded: 3 × 150 yuan, a correction of December's parking-pass income.
    let month = ok(&app, &token, MONTH, json!({ "c": c, "p": "2026-12" })).await;
    let records = &month["data"]["commonIncomeMonth"]["records"];
    let refund: Vec<&Value> = records
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter(|r| r["correctionReason"] == "车主搬离小区")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(refund.len(), 1, "{month}");
    assert_eq!(refund[0]["amount"]["fen"], -45_000);
    let again = app
        .gql(Some(&token), end, vars("2027-04", "再退一次"))
        .await;
    expect(&again, "CONFLICT", Some("passId"));
    // The plate may have a pass again from March.
    ok(
        &app,
        &token,
        PASS,
        pass(&c, "桂B12345", "2027-03", "2027-04", "e-2"),
    )
    .await;
    let early = app
        .gql(
            Some(&token),
            PASS,
            pass(&c, "桂B12345", "2027-02", "2027-02", "e-3"),
        )
        .await;
    expect(&early, "CONFLICT", Some("plate"));
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_bundles_report_takes_as_many_statements_for_more_compounds() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let guotai = compound_id(&app, &admin, "国泰花园").await;
    let found = ok(
        &app,
        &admin,
        "query($c: ID!) { compound(id: $c) { bundle { id } } }",
        json!({ "c": guotai }),
    )
    .await;
    let bundle = found["data"]["compound"]["bundle"]["id"].clone();
    let q = "query($b: ID) { commonIncomeReport(bundleId: $b, from: \"2026-05\", to: \"2026-10\") { rows { owners { fen } } funds { compound closing { fen } } } }";
    let mut used = vec![];
    for round in 0..2 {
        if round == 1 {
            for n in 0..3 {
                let i = json!({ "i": { "bundleId": bundle, "name": format!("报表小区{n}"), "address": "报表路 1 号",
                                       "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM" } });
                ok(
                    &app,
                    &admin,
                    "mutation($i: CompoundInput!) { createCompound(input: $i) { id } }",
                    i,
                )
                .await;
            }
        }
        // New compounds change who sees what: the next request signs in afresh (not counted).
        ok(&app, &admin, "{ me { displayName } }", json!({})).await;
        let (before, _) = app.db.statement_stats();
        let body = ok(&app, &admin, q, json!({ "b": bundle })).await;
        let (after, _) = app.db.statement_stats();
        used.push((
            body["data"]["commonIncomeReport"]["funds"]
                .as_array()
                .map_or(0, Vec::len),
            after - before,
        ));
    }
    assert_eq!(used[1].0, used[0].0 + 3, "{used:?}");
    assert_eq!(
        used[0].1, used[1].1,
        "statements grew with the compounds: {used:?}"
    );
}
