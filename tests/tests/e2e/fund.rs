//! The committee fund: its statement reconciles with the ledger, and bank payouts take two
//! people of two organisations — the firm's accountant proposes, a committee member decides —
//! never the proposer, once, and never past what the fund holds.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use crate::ledger::accounts;
use crate::tenancy::compound_id;

const STATEMENT: &str = "query($c: ID!, $from: NaiveDate!, $to: NaiveDate!) { committeeFundStatement(compoundId: $c, from: $from, to: $to) {
    opening { fen } shares { fen } payouts { fen } waivers { fen } other { fen } closing { fen } } }";
const PROPOSE: &str = "mutation($i: BankPayoutInput!) { proposeCommitteeBankPayout(input: $i) { id status channel amount { fen } purpose } }";
const DECIDE: &str = "mutation($id: ID!, $ok: Boolean!, $note: String) { decideCommitteePayout(id: $id, approve: $ok, note: $note) { id status decisionNote } }";

fn proposal(compound: &str, matter: &str, amount: &str, key: &str) -> Value {
    json!({ "i": { "compoundId": compound, "matterId": matter, "amount": amount, "payee": "国泰花园专项维修资金账户 6222 0000 1234",
                   "purpose": "补充专项维修资金（业主大会决议〔2026〕5号）", "idempotencyKey": key } })
}

fn fund(accounts: &[Value]) -> i64 {
    accounts
        .iter()
        .find(|a| a["kind"] == "COMMITTEE_FUND")
        .and_then(|a| a["naturalBalance"]["fen"].as_i64())
        .unwrap_or(i64::MIN)
}

fn id(body: &Value) -> String {
    body["data"]["proposeCommitteeBankPayout"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

#[tokio::test]
async fn the_funds_statement_reconciles_with_the_ledger() {
    let app = TestApp::spawn().await;
    let committee = app.login("committee@demo.test").await;
    let guotai = compound_id(&app, &committee, "国泰花园").await;
    let vars = |from: &str, to: &str| json!({ "c": guotai, "from": from, "to": to });
    let all = app
        .gql(
            Some(&committee),
            STATEMENT,
            vars("2026-01-01", "2026-12-31"),
        )
        .await;
    let s = &all["data"]["committeeFundStatement"];
    assert_eq!(s["opening"]["fen"], 0, "{all}");
    assert_eq!(s["shares"]["fen"], 1_870_610);
    assert_eq!(s["payouts"]["fen"], 500_000);
    assert_eq!(
        s["closing"]["fen"],
        fund(&accounts(&app, &committee, &guotai).await)
    );
    // A later span opens where the earlier one closed.
    let to_june = app
        .gql(
            Some(&committee),
            STATEMENT,
            vars("2026-01-01", "2026-06-30"),
        )
        .await;
    let from_july = app
        .gql(
            Some(&committee),
            STATEMENT,
            vars("2026-07-01", "2026-12-31"),
        )
        .await;
    assert_eq!(
        to_june["data"]["committeeFundStatement"]["closing"],
        from_july["data"]["committeeFundStatement"]["opening"]
    );
    let backwards = app
        .gql(
            Some(&committee),
            STATEMENT,
            vars("2026-12-31", "2026-01-01"),
        )
        .await;
    assert_eq!(error_field(&backwards), Some("to"), "{backwards}");
    let resident = app.login("resident@demo.test").await;
    let refused = app
        .gql(Some(&resident), STATEMENT, vars("2026-01-01", "2026-12-31"))
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
}

#[tokio::test]
async fn a_bank_payout_is_proposed_by_the_firm_and_decided_by_the_committee_once() {
    let app = TestApp::spawn().await;
    let accountant = app.login("accountant@demo.test").await;
    let committee = app.login("committee@demo.test").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    // The owners decided to spend it (a use of the fund it replenishes, by a majority).
    let spend = crate::governance::passed_matter(&app, &guotai, "USE_MAINTENANCE_FUND").await;
    let before = fund(&accounts(&app, &accountant, &guotai).await);
    assert_eq!(before, 1_370_610);

    let first = app
        .gql(
            Some(&accountant),
            PROPOSE,
            proposal(&guotai, &spend, "10000.00", "p-1"),
        )
        .await;
    assert_eq!(
        first["data"]["proposeCommitteeBankPayout"]["status"], "PROPOSED",
        "{first}"
    );
    assert_eq!(
        first["data"]["proposeCommitteeBankPayout"]["channel"],
        "BANK_TRANSFER"
    );
    let payout = id(&first);
    // Proposing again with its key returns it; nothing has left the fund yet.
    let again = app
        .gql(
            Some(&accountant),
            PROPOSE,
            proposal(&guotai, &spend, "10000.00", "p-1"),
        )
        .await;
    assert_eq!(id(&again), payout);
    assert_eq!(fund(&accounts(&app, &accountant, &guotai).await), before);
    // The ¥10,000.00 is held back: ¥3,706.10 is all another proposal may take.
    let too_much = app
        .gql(
            Some(&accountant),
            PROPOSE,
            proposal(&guotai, &spend, "3706.11", "p-2"),
        )
        .await;
    assert_eq!(error_field(&too_much), Some("amount"), "{too_much}");
    for (amount, field) in [("0", "amount"), ("-1", "amount"), ("1.001", "amount")] {
        let bad = app
            .gql(
                Some(&accountant),
                PROPOSE,
                proposal(&guotai, &spend, amount, "bad"),
            )
            .await;
        assert_eq!(error_field(&bad), Some(field), "{bad}");
    }
    let mut no_purpose = proposal(&guotai, &spend, "1", "p-3");
    no_purpose["i"]["purpose"] = json!(" ");
    let bad = app.gql(Some(&accountant), PROPOSE, no_purpose).await;
    assert_eq!(error_field(&bad), Some("purpose"), "{bad}");
    // Spending needs the owners' matter of spending: an election of the committee is not one.
    let election = crate::governance::passed_matter(&app, &guotai, "COMMITTEE").await;
    let bad = app
        .gql(
            Some(&accountant),
            PROPOSE,
            proposal(&guotai, &election, "1", "p-6"),
        )
        .await;
    assert_eq!(error_field(&bad), Some("matterId"), "{bad}");

    // The firm does not decide its own proposal; the committee does, once.
    let by_firm = app
        .gql(
            Some(&accountant),
            DECIDE,
            json!({ "id": payout, "ok": true }),
        )
        .await;
    assert_eq!(error_code(&by_firm), Some("FORBIDDEN"), "{by_firm}");
    let no_reason = app
        .gql(
            Some(&committee),
            DECIDE,
            json!({ "id": payout, "ok": false }),
        )
        .await;
    assert_eq!(error_field(&no_reason), Some("note"), "{no_reason}");
    let approved = app
        .gql(
            Some(&committee),
            DECIDE,
            json!({ "id": payout, "ok": true }),
        )
        .await;
    assert_eq!(
        approved["data"]["decideCommitteePayout"]["status"], "PAID",
        "{approved}"
    );
    assert_eq!(
        fund(&accounts(&app, &accountant, &guotai).await),
        before - 1_000_000
    );
    let twice = app
        .gql(
            Some(&committee),
            DECIDE,
            json!({ "id": payout, "ok": false, "note": "x" }),
        )
        .await;
    assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice}");

    // A rejected proposal moves nothing and frees what it held.
    let second = id(&app
        .gql(
            Some(&accountant),
            PROPOSE,
            proposal(&guotai, &spend, "3706.10", "p-4"),
        )
        .await);
    let rejected = app
        .gql(
            Some(&committee),
            DECIDE,
            json!({ "id": second, "ok": false, "note": "决议未通过" }),
        )
        .await;
    assert_eq!(
        rejected["data"]["decideCommitteePayout"]["status"], "REJECTED",
        "{rejected}"
    );
    assert_eq!(
        rejected["data"]["decideCommitteePayout"]["decisionNote"],
        "决议未通过"
    );
    let whole = app
        .gql(
            Some(&accountant),
            PROPOSE,
            proposal(&guotai, &spend, "3706.10", "p-5"),
        )
        .await;
    assert_eq!(
        whole["data"]["proposeCommitteeBankPayout"]["status"], "PROPOSED",
        "{whole}"
    );
    assert_eq!(fund(&accounts(&app, &accountant, &guotai).await), 370_610);
    for (slug, v) in api::tenancy::verify_ledgers(&app.db, None)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
    {
        assert!(v.problems.is_empty(), "{slug}: {:?}", v.problems);
    }
}
