//! A compound's budget through the seven steps of the democratic decision method: residents'
//! opinions, drafts and revisions with their diff, the street office's review, the owners'
//! vote, implementation under a supervision group of five, final accounts against the ledger
//! on the public board with residents' questions answered; every skipped step and bad line
//! refused, changing nothing.

use courtyard_tests::{TestApp, error_code};
use serde_json::{Value, json};

use crate::billing::{at, bill};
use crate::board::{board, publish};
use crate::dispatch::{ok, refused};
use crate::governance::passed_matter;
use crate::tenancy::compound_id;

const START: &str =
    "mutation($i: StartBudgetInput!) { startBudget(input: $i) { id step stepNumber year } }";
const REVISE: &str = "mutation($i: ReviseBudgetInput!) { reviseBudget(input: $i) {
    number income { fen } expense { fen } balance { fen } lines { category income amount { fen } } } }";
const ADVANCE: &str =
    "mutation($i: AdvanceBudgetInput!) { advanceBudget(input: $i) { step stepNumber matterId } }";
const BACK: &str =
    "mutation($b: ID!, $r: String!) { sendBudgetBack(budgetId: $b, reason: $r) { step } }";
pub const ASK: &str = "mutation($b: ID!, $q: String!) { askBudgetQuestion(budgetId: $b, question: $q) { id question answer } }";
const ANSWER: &str = "mutation($id: ID!, $a: String!) { answerBudgetQuestion(id: $id, answer: $a) { answer answeredAt } }";
const BUDGET: &str = "query($id: ID!) { budget(id: $id) {
    budget { step matterId }
    versions { number note income { fen } changes { category before { fen } after { fen } } }
    steps { from to back note reviewer matterId }
    supervisors
    questions { question answer }
    actuals { category income budgeted { fen } actual { fen } } } }";

/// Fees the ledger asked 国泰花园's households to pay in 2027: billed, less waivers and
/// credit notes, summed from the postings themselves.
const FEES_DUE_2027: &str = "SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM postings p
    JOIN ledger_accounts a ON a.tenant_id = p.tenant_id AND a.id = p.account_id
    JOIN journal_entries e ON e.tenant_id = p.tenant_id AND e.id = p.entry_id
    JOIN compounds c ON c.tenant_id = a.tenant_id AND c.id = a.compound_id
    WHERE c.name = '国泰花园' AND a.kind = 'household_receivable'
      AND e.kind IN ('invoice_issued', 'waiver_granted', 'credit_note')
      AND e.occurred_at >= '2027-01-01' AND e.occurred_at < '2028-01-01'";

fn lines(pairs: &[(&str, &str)]) -> Value {
    pairs
        .iter()
        .map(|(c, a)| json!({ "category": c, "amount": a }))
        .collect()
}

async fn advance(app: &TestApp, token: &str, budget: &str, to: &str, extra: Value) -> Value {
    let mut input = json!({ "budgetId": budget, "to": to });
    for (k, v) in extra.as_object().into_iter().flatten() {
        input[k] = v.clone();
    }
    app.gql(Some(token), ADVANCE, json!({ "i": input })).await
}

async fn revise(app: &TestApp, token: &str, budget: &str, l: Value) -> Value {
    let input = json!({ "budgetId": budget, "lines": l, "note": "按业主代表意见调整" });
    app.gql(Some(token), REVISE, json!({ "i": input })).await
}

pub async fn started(app: &TestApp, token: &str, compound: &str, year: i32) -> String {
    let input = json!({ "compoundId": compound, "year": year, "title": "年度物业服务收支预算" });
    let body = app.gql(Some(token), START, json!({ "i": input })).await;
    let b = ok(&body, "startBudget");
    assert_eq!(
        (b["step"].as_str(), b["stepNumber"].as_u64()),
        (Some("OPINIONS"), Some(1))
    );
    b["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// Takes the budget from drafting through a first version to the vote.
async fn to_the_vote(app: &TestApp, token: &str, budget: &str) {
    for (to, extra) in [
        (
            "DRAFTING",
            json!({ "note": "收集意见 37 条，多数要求增加保洁" }),
        ),
        ("DISCUSSION", json!({})),
        ("REVIEW", json!({})),
        (
            "VOTE",
            json!({ "reviewer": "新华街道办事处", "note": "合法可行" }),
        ),
    ] {
        if to == "DISCUSSION" {
            let body = revise(app, token, budget, lines(&[("FEES", "1003.20")])).await;
            ok(&body, "reviseBudget");
        }
        let body = advance(app, token, budget, to, extra).await;
        assert_eq!(ok(&body, "advanceBudget")["step"], to, "{body}");
    }
}

/// The compound's passed matter of `kind` (the demo has one of each kind it needs).
async fn demo_matter(app: &TestApp, token: &str, compound: &str, kind: &str) -> String {
    let q = "query($c: ID!) { matters(compoundId: $c) { id kind outcome } }";
    let body = app.gql(Some(token), q, json!({ "c": compound })).await;
    ok(&body, "matters")
        .as_array()
        .and_then(|ms| {
            ms.iter()
                .find(|m| m["kind"] == kind && m["outcome"] == "PASSED")
        })
        .and_then(|m| m["id"].as_str())
        .unwrap_or_else(|| panic!("no passed {kind} in {body}"))
        .to_owned()
}

const FIVE: [&str; 5] = ["张建国", "李秀英", "王志强", "赵桂兰", "刘德明"];

#[tokio::test]
async fn a_budget_goes_through_the_seven_steps_to_its_final_accounts_on_the_board() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let committee = app.login("committee@demo.test").await;
    let resident = app.login("resident@demo.test").await;
    let compound = compound_id(&app, &committee, "国泰花园").await;
    // The demo's 2026 budget is being implemented; next year's starts in December.
    let budget = started(&app, &committee, &compound, 2027).await;

    // Step 1: a resident's opinion; the committee may not skip to discussion, and sums the
    // opinions up to move on.
    let body = app
        .gql(
            Some(&resident),
            ASK,
            json!({ "b": budget, "q": "保洁能否每天两次？" }),
        )
        .await;
    let question = ok(&body, "askBudgetQuestion")["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let body = advance(&app, &committee, &budget, "DISCUSSION", json!({})).await;
    refused(&body, "CONFLICT", Some("to"));
    let body = advance(&app, &committee, &budget, "DRAFTING", json!({})).await;
    refused(&body, "BAD_USER_INPUT", Some("note"));
    let note = json!({ "note": "收集意见 37 条，多数要求增加保洁" });
    let body = advance(&app, &committee, &budget, "DRAFTING", note).await;
    assert_eq!(ok(&body, "advanceBudget")["stepNumber"], 2);

    // Steps 2–3: a draft, discussed and revised; the revision's diff line by line.
    let first = [
        ("FEES", "100320"),
        ("GUARDS", "72000"),
        ("CLEANING", "36000"),
    ];
    let body = revise(&app, &committee, &budget, lines(&first)).await;
    let v = ok(&body, "reviseBudget");
    assert_eq!(
        (
            v["number"].as_u64(),
            v["income"]["fen"].as_i64(),
            v["expense"]["fen"].as_i64()
        ),
        (Some(1), Some(10_032_000), Some(10_800_000))
    );
    assert_eq!(v["balance"]["fen"], -768_000, "a deficit shows as one");
    let body = advance(&app, &committee, &budget, "DISCUSSION", json!({})).await;
    ok(&body, "advanceBudget");
    let second = [
        ("FEES", "100320"),
        ("GUARDS", "60000"),
        ("CLEANING", "36000"),
        ("REPAIRS", "12000.50"),
    ];
    let body = revise(&app, &committee, &budget, lines(&second)).await;
    assert_eq!(ok(&body, "reviseBudget")["number"], 2);

    // Step 4: the review sends it back once; the lines are closed while it is reviewed.
    let body = advance(&app, &committee, &budget, "REVIEW", json!({})).await;
    ok(&body, "advanceBudget");
    let body = revise(&app, &committee, &budget, lines(&second)).await;
    refused(&body, "CONFLICT", Some("budgetId"));
    let body = app
        .gql(
            Some(&committee),
            BACK,
            json!({ "b": budget, "r": "街道办要求附保安服务合同" }),
        )
        .await;
    assert_eq!(ok(&body, "sendBudgetBack")["step"], "DRAFTING");
    for to in ["DISCUSSION", "REVIEW"] {
        let body = advance(&app, &committee, &budget, to, json!({})).await;
        ok(&body, "advanceBudget");
    }
    let body = advance(&app, &committee, &budget, "VOTE", json!({})).await;
    refused(&body, "BAD_USER_INPUT", Some("reviewer"));
    let review = json!({ "reviewer": "新华街道办事处", "note": "合法可行" });
    let body = advance(&app, &committee, &budget, "VOTE", review).await;
    ok(&body, "advanceBudget");

    // Step 5→6: only a passed matter of this compound of kind OTHER, and five supervisors.
    // (the demo's passed votes: one on business use, one that approved the 2026 budget)
    let business = demo_matter(&app, &committee, &compound, "COMMON_PARTS_USE").await;
    let last_years = demo_matter(&app, &committee, &compound, "OTHER").await;
    let matter = passed_matter(&app, &compound, "OTHER").await;
    // Its result is publicised for seven days first (it closed at 11:00 on the 10th).
    let five = json!({ "matterId": matter, "supervisors": FIVE });
    let body = advance(&app, &committee, &budget, "IMPLEMENTATION", five).await;
    refused(&body, "BAD_USER_INPUT", Some("matterId"));
    app.db.clock().hold_at(at("2026-12-18T09:00:00Z"));
    for (extra, field) in [
        (json!({ "supervisors": FIVE }), "matterId"),
        (
            json!({ "matterId": business, "supervisors": FIVE }),
            "matterId",
        ),
        (
            json!({ "matterId": last_years, "supervisors": FIVE }),
            "matterId",
        ),
        (
            json!({ "matterId": matter, "supervisors": &FIVE[..4] }),
            "supervisors",
        ),
        (
            json!({ "matterId": matter, "supervisors": ["张建国", "李秀英", "王志强", "赵桂兰", "张建国"] }),
            "supervisors",
        ),
    ] {
        let body = advance(&app, &committee, &budget, "IMPLEMENTATION", extra).await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    let body = advance(
        &app,
        &committee,
        &budget,
        "IMPLEMENTATION",
        json!({ "matterId": matter, "supervisors": FIVE }),
    )
    .await;
    assert_eq!(ok(&body, "advanceBudget")["matterId"], matter.as_str());

    // The year runs: January is billed. Step 7 waits for the year to end; then the final
    // accounts are the ledger's.
    app.db.clock().hold_at(at("2027-02-01T09:00:00Z"));
    let accountant = app.login("accountant@demo.test").await;
    let run = bill(&app, &accountant, "2027-01").await;
    assert!(run["errors"].is_null(), "{run}");
    let body = advance(&app, &committee, &budget, "FINAL_ACCOUNTS", json!({})).await;
    refused(&body, "CONFLICT", Some("to"));
    app.db.clock().hold_at(at("2028-01-05T09:00:00Z"));
    let body = advance(&app, &committee, &budget, "FINAL_ACCOUNTS", json!({})).await;
    assert_eq!(ok(&body, "advanceBudget")["stepNumber"], 7);
    let body = app
        .gql(
            Some(&committee),
            ANSWER,
            json!({ "id": question, "a": "明年起每天两次" }),
        )
        .await;
    assert!(ok(&body, "answerBudgetQuestion")["answeredAt"].is_string());
    let body = app
        .gql(
            Some(&committee),
            ANSWER,
            json!({ "id": question, "a": "改口" }),
        )
        .await;
    refused(&body, "CONFLICT", Some("id"));

    let body = app
        .gql(Some(&resident), BUDGET, json!({ "id": budget }))
        .await;
    let d = ok(&body, "budget");
    assert_eq!(d["budget"]["matterId"], matter.as_str());
    assert_eq!(d["supervisors"], json!(FIVE));
    assert_eq!(
        d["versions"][1]["changes"],
        json!([
            { "category": "GUARDS", "before": { "fen": 7_200_000 }, "after": { "fen": 6_000_000 } },
            { "category": "REPAIRS", "before": null, "after": { "fen": 1_200_050 } },
        ])
    );
    let steps: Vec<(&str, &str, bool)> = d["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["from"].as_str().unwrap_or(""),
                s["to"].as_str().unwrap_or(""),
                s["back"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(steps.len(), 9, "{steps:?}");
    assert_eq!(steps[3], ("REVIEW", "DRAFTING", true));
    assert_eq!(d["steps"][3]["note"], "街道办要求附保安服务合同");
    assert_eq!(d["steps"][6]["reviewer"], "新华街道办事处");
    assert_eq!(d["steps"][7]["matterId"], matter.as_str());
    let actual = |c: &str| {
        d["actuals"]
            .as_array()
            .and_then(|a| a.iter().find(|l| l["category"] == c))
            .cloned()
            .unwrap_or_else(|| panic!("no {c} in {d}"))
    };
    let fees_due = app.count(FEES_DUE_2027).await;
    assert!(fees_due > 0, "January 2027 was billed");
    assert_eq!(actual("FEES")["actual"]["fen"], fees_due);
    assert_eq!(actual("FEES")["budgeted"]["fen"], 10_032_000);
    assert!(
        actual("GUARDS")["actual"].is_null(),
        "the ledger keeps no guards' wages"
    );
    assert_eq!(actual("REPAIRS")["budgeted"]["fen"], 1_200_050);

    // The public board: the final accounts and the answered question, without names.
    let admin = app.login("admin@demo.test").await;
    let path = publish(&app, &admin, &compound).await;
    let (status, text) = board(&app, &path).await;
    assert_eq!(status, 200, "{text}");
    let page: Value = serde_json::from_str(&text).unwrap_or_default();
    let b = &page["budgets"][0];
    assert_eq!(
        (b["year"].as_i64(), b["step"].as_str()),
        (Some(2027), Some("final_accounts"))
    );
    let fees = b["lines"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["category"] == "fees"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(fees["actualFen"], fees_due);
    assert_eq!(b["questions"][0]["answer"], "明年起每天两次");
    assert!(!text.contains("resident@demo.test"));

    // The owner's phone lists their compound's budgets, newest first.
    let body = app
        .gql(
            Some(&resident),
            "{ myBudgets { budget { year step } } }",
            json!({}),
        )
        .await;
    let years: Vec<i64> = ok(&body, "myBudgets")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["budget"]["year"].as_i64())
        .collect();
    assert_eq!(years, [2027, 2026]);
}

#[tokio::test]
async fn bad_budgets_are_refused_naming_their_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let committee = app.login("committee@demo.test").await;
    let compound = compound_id(&app, &committee, "国泰花园").await;
    let budget = started(&app, &committee, &compound, 2027).await;
    let tables = [
        "budgets",
        "budget_versions",
        "budget_steps",
        "budget_questions",
    ];
    let mut before = vec![];
    for t in tables {
        before.push(app.count(&format!("SELECT COUNT(*) FROM {t}")).await);
    }

    let with = |k: &str, v: Value| {
        let mut i = json!({ "compoundId": compound, "year": 2026, "title": "预算" });
        i[k] = v;
        i
    };
    for (input, code, field) in [
        (with("year", json!(2027)), "CONFLICT", "year"),
        (with("year", json!(2029)), "BAD_USER_INPUT", "year"),
        (with("year", json!(2024)), "BAD_USER_INPUT", "year"),
        (with("title", json!(" ")), "BAD_USER_INPUT", "title"),
        (
            with("compoundId", json!("x")),
            "BAD_USER_INPUT",
            "compoundId",
        ),
    ] {
        let body = app
            .gql(Some(&committee), START, json!({ "i": input }))
            .await;
        refused(&body, code, Some(field));
    }

    // Lines are refused at step 1, and when bad in drafting.
    let body = revise(&app, &committee, &budget, lines(&[("FEES", "1")])).await;
    refused(&body, "CONFLICT", Some("budgetId"));
    let body = advance(
        &app,
        &committee,
        &budget,
        "DRAFTING",
        json!({ "note": "意见汇总" }),
    )
    .await;
    ok(&body, "advanceBudget");
    for bad in [
        lines(&[("GUARDS", "-1")]),
        lines(&[("GUARDS", "1"), ("GUARDS", "2")]),
        lines(&[("GUARDS", "一百")]),
        lines(&[("GUARDS", "0.001")]),
        lines(&[("FEES", "92233720368547758.07"), ("SUBSIDY", "0.01")]),
        lines(&[]),
    ] {
        let body = revise(&app, &committee, &budget, bad.clone()).await;
        refused(&body, "BAD_USER_INPUT", Some("lines"));
    }
    let body = advance(&app, &committee, &budget, "DISCUSSION", json!({})).await;
    refused(&body, "BAD_USER_INPUT", Some("to"));
    let body = app
        .gql(Some(&committee), BACK, json!({ "b": budget, "r": "重来" }))
        .await;
    refused(&body, "CONFLICT", Some("budgetId"));

    // Residents and the accountant run no budgets; a resident asks, but a question is not
    // blank, and only a resident of the compound asks.
    for who in ["resident@demo.test", "accountant@demo.test"] {
        let token = app.login(who).await;
        let body = advance(&app, &token, &budget, "DISCUSSION", json!({})).await;
        assert!(
            matches!(error_code(&body), Some("FORBIDDEN" | "NOT_FOUND")),
            "{who}: {body}"
        );
    }
    let accountant = app.login("accountant@demo.test").await;
    let body = app
        .gql(Some(&accountant), ASK, json!({ "b": budget, "q": "?" }))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let resident = app.login("resident@demo.test").await;
    let body = app
        .gql(Some(&resident), ASK, json!({ "b": budget, "q": "  " }))
        .await;
    refused(&body, "BAD_USER_INPUT", Some("question"));
    let body = app
        .gql(
            Some(&resident),
            ASK,
            json!({ "b": budget, "q": "问".repeat(501) }),
        )
        .await;
    refused(&body, "BAD_USER_INPUT", Some("question"));
    let mut after = vec![];
    for t in tables {
        after.push(app.count(&format!("SELECT COUNT(*) FROM {t}")).await);
    }
    // One step was taken (into drafting); nothing else was written.
    before[2] += 1;
    assert_eq!(after, before, "{tables:?}");
}

#[tokio::test]
async fn a_vote_cited_for_a_budget_is_a_vote_of_its_own_compound() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T10:00:00Z"));
    let admin = app.login("admin@demo.test").await;
    let compound = compound_id(&app, &admin, "国泰花园").await;
    let elsewhere = compound_id(&app, &admin, "文惠路供销社家属院").await;
    let budget = started(&app, &admin, &compound, 2027).await;
    let supervisors = "SELECT COUNT(*) FROM budget_supervisors";
    let seated = app.count(supervisors).await;
    to_the_vote(&app, &admin, &budget).await;
    let other = passed_matter(&app, &elsewhere, "OTHER").await;
    let input = json!({ "matterId": other, "supervisors": FIVE });
    let body = advance(&app, &admin, &budget, "IMPLEMENTATION", input).await;
    refused(&body, "BAD_USER_INPUT", Some("matterId"));
    let body = advance(
        &app,
        &admin,
        &budget,
        "IMPLEMENTATION",
        json!({ "supervisors": FIVE }),
    )
    .await;
    refused(&body, "BAD_USER_INPUT", Some("matterId"));
    assert_eq!(app.count(supervisors).await, seated);
    // A vote that did not pass sends the budget back to drafting, with the reason.
    let body = app
        .gql(
            Some(&admin),
            BACK,
            json!({ "b": budget, "r": "业主大会未通过" }),
        )
        .await;
    assert_eq!(ok(&body, "sendBudgetBack")["step"], "DRAFTING");
}
