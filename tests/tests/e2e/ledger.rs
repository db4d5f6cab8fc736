//! The ledger through the API: balances from the 70/30 rule, statements, trial balances,
//! idempotent adjustments, reversals, refusals, append-only storage and verification.

use courtyard_tests::{TestApp, error_code, error_field};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use super::tenancy::compound_id;

const ACCOUNTS: &str = "query($c: ID!) { ledgerAccounts(compoundId: $c) { edges { node { id kind naturalBalance { fen } balance { fen yuan display } } } } }";
const POST: &str = "mutation($i: JournalEntryInput!) { postJournalEntry(input: $i) { id seq kind hash postings { accountId amount { fen } } } }";
const ARCHIVE: &str = "mutation($id: ID!) { archiveLedgerAccount(id: $id) { archived } }";
const REVERSE: &str = "mutation($i: ReverseEntryInput!) { reverseJournalEntry(input: $i) { id seq kind reversesEntryId } }";

pub async fn accounts(app: &TestApp, token: &str, compound: &str) -> Vec<Value> {
    let body = app
        .gql(Some(token), ACCOUNTS, json!({ "c": compound }))
        .await;
    body["data"]["ledgerAccounts"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

pub fn account_id(accounts: &[Value], kind: &str) -> String {
    accounts
        .iter()
        .find(|a| a["kind"] == kind)
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("no {kind}"))
        .to_owned()
}

pub fn natural(accounts: &[Value], kind: &str) -> i64 {
    accounts
        .iter()
        .find(|a| a["kind"] == kind)
        .and_then(|a| a["naturalBalance"]["fen"].as_i64())
        .unwrap_or(i64::MIN)
}

async fn verify_clean(app: &TestApp) {
    let results = api::tenancy::verify_ledgers(&app.db, None)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    for (slug, v) in results {
        assert!(v.problems.is_empty(), "{slug}: {:?}", v.problems);
    }
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.count(&format!("SELECT count(*) FROM {table}")).await
}

fn entry(compound: &str, key: &str, postings: Value) -> Value {
    json!({ "i": { "compoundId": compound, "occurredAt": "2026-11-01T09:00:00Z", "idempotencyKey": key, "memo": "期初余额调整", "postings": postings } })
}

#[tokio::test]
async fn common_income_is_split_seventy_thirty_to_the_fen() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let compound = compound_id(&app, &token, "国泰花园").await;
    let a = accounts(&app, &token, &compound).await;
    // Six months of parking (¥3,210.50 rising by ¥17.33) and ads (¥1,200.00), firm's 30%
    // rounded down each time, less a ¥5,000.00 payout from the committee fund.
    assert_eq!(natural(&a, "COMMITTEE_FUND"), 1_370_610);
    assert_eq!(natural(&a, "FIRM_COMMON_INCOME"), 801_685);
    assert_eq!(natural(&a, "BANK"), 2_172_295);
    let bank = a
        .iter()
        .find(|x| x["kind"] == "BANK")
        .cloned()
        .unwrap_or_default();
    assert_eq!(bank["balance"]["display"], "¥21,722.95");
    assert_eq!(bank["balance"]["yuan"], "21722.95");
    verify_clean(&app).await;
}

#[tokio::test]
async fn the_trial_balance_balances_at_any_date() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let compound = compound_id(&app, &token, "国泰花园").await;
    let q = "query($c: ID!, $at: NaiveDate!) { trialBalance(compoundId: $c, at: $at) { balanced totalDebits { fen } totalCredits { fen } rows { account { kind } debit { fen } credit { fen } } } }";
    let end = app
        .gql(
            Some(&token),
            q,
            json!({ "c": compound, "at": "2026-10-31" }),
        )
        .await;
    let tb = &end["data"]["trialBalance"];
    assert_eq!(tb["balanced"], true, "{end}");
    assert_eq!(tb["totalDebits"]["fen"], 2_172_295);
    assert_eq!(tb["totalCredits"]["fen"], 2_172_295);
    let june = app
        .gql(
            Some(&token),
            q,
            json!({ "c": compound, "at": "2026-06-30" }),
        )
        .await;
    // May and June only: 321050 + 322783 + 2 × 120000.
    assert_eq!(
        june["data"]["trialBalance"]["totalDebits"]["fen"], 883_833,
        "{june}"
    );
    let before = app
        .gql(
            Some(&token),
            q,
            json!({ "c": compound, "at": "2026-01-01" }),
        )
        .await;
    assert_eq!(before["data"]["trialBalance"]["rows"], json!([]));
}

#[tokio::test]
async fn the_committee_reads_its_fund_statement_page_by_page() {
    let app = TestApp::spawn().await;
    let token = app.login("committee@demo.test").await;
    let compound = compound_id(&app, &token, "国泰花园").await;
    let a = accounts(&app, &token, &compound).await;
    assert_eq!(
        a.len(),
        1,
        "a committee member sees only the committee fund: {a:?}"
    );
    let fund = account_id(&a, "COMMITTEE_FUND");
    let q = "query($a: ID!, $after: String) { accountStatement(accountId: $a, from: \"2026-05-01\", to: \"2026-10-31\", first: 5, after: $after) {
               openingBalance { fen } edges { cursor node { seq kind amount { fen } balanceAfter { fen } } } pageInfo { hasNextPage endCursor } } }";
    let (mut after, mut lines, mut last_balance) = (None::<String>, 0, 0i64);
    loop {
        let body = app
            .gql(Some(&token), q, json!({ "a": fund, "after": after }))
            .await;
        let s = &body["data"]["accountStatement"];
        assert_eq!(
            s["openingBalance"]["fen"].as_i64(),
            Some(last_balance),
            "{body}"
        );
        for e in s["edges"].as_array().cloned().unwrap_or_default() {
            last_balance += e["node"]["amount"]["fen"].as_i64().unwrap_or(0);
            assert_eq!(
                e["node"]["balanceAfter"]["fen"].as_i64(),
                Some(last_balance)
            );
            lines += 1;
        }
        if s["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = s["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    // Six monthly closes and one payout.
    assert_eq!(lines, 7);
    // Balances here are debits minus credits: the fund, a credit balance, is negative.
    assert_eq!(last_balance, -1_370_610);

    let other = compound_id(&app, &app.login("admin@demo.test").await, "燎原新村").await;
    let denied = app.gql(Some(&token), ACCOUNTS, json!({ "c": other })).await;
    assert_eq!(error_code(&denied), Some("NOT_FOUND"), "{denied}");
    let accountant = app.login("accountant@demo.test").await;
    let bank = account_id(&accounts(&app, &accountant, &compound).await, "BANK");
    let hidden = app
        .gql(
            Some(&token),
            "query($a: ID!) { ledgerAccount(id: $a) { kind } }",
            json!({ "a": bank }),
        )
        .await;
    assert_eq!(error_code(&hidden), Some("NOT_FOUND"), "{hidden}");
}

#[tokio::test]
async fn an_adjustment_posts_once_per_idempotency_key() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let compound = compound_id(&app, &token, "燎原新村").await;
    let a = accounts(&app, &token, &compound).await;
    let (cash, bank) = (account_id(&a, "CASH_ON_HAND"), account_id(&a, "BANK"));
    let postings =
        json!([{ "accountId": cash, "amount": "100.00" }, { "accountId": bank, "amount": "-100" }]);
    let first = app
        .gql(
            Some(&token),
            POST,
            entry(&compound, "adj-1", postings.clone()),
        )
        .await;
    let second = app
        .gql(Some(&token), POST, entry(&compound, "adj-1", postings))
        .await;
    assert_eq!(
        first["data"]["postJournalEntry"]["id"], second["data"]["postJournalEntry"]["id"],
        "{first} {second}"
    );
    assert_eq!(
        first["data"]["postJournalEntry"]["seq"],
        second["data"]["postJournalEntry"]["seq"]
    );
    let after = accounts(&app, &token, &compound).await;
    assert_eq!(natural(&after, "CASH_ON_HAND"), 10_000);
    assert_eq!(natural(&after, "BANK"), -10_000);

    let changed = app.gql(Some(&token), POST, entry(&compound, "adj-1", json!([{ "accountId": cash, "amount": "1" }, { "accountId": bank, "amount": "-1" }]))).await;
    assert_eq!(error_code(&changed), Some("CONFLICT"), "{changed}");
    assert_eq!(error_field(&changed), Some("idempotencyKey"));
    verify_clean(&app).await;
}

/// Posts `yuan` from the maintenance fund to cash in 燎原新村; its compound and entry id.
async fn cash_into_the_fund(app: &TestApp, token: &str, key: &str, yuan: &str) -> (String, String) {
    let compound = compound_id(app, token, "燎原新村").await;
    let a = accounts(app, token, &compound).await;
    let (cash, fund) = (
        account_id(&a, "CASH_ON_HAND"),
        account_id(&a, "MAINTENANCE_FUND"),
    );
    let postings = json!([{ "accountId": cash, "amount": yuan }, { "accountId": fund, "amount": format!("-{yuan}") }]);
    let posted = app
        .gql(Some(token), POST, entry(&compound, key, postings))
        .await;
    let id = posted["data"]["postJournalEntry"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{posted}"))
        .to_owned();
    (compound, id)
}

#[tokio::test]
async fn ten_reversals_of_one_entry_at_once_make_one_and_conflict_nine() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let token = app.login("accountant@demo.test").await;
    let (compound, id) = cash_into_the_fund(&app, &token, "race-1", "9.99").await;
    let reversals: Vec<_> = (0..10)
        .map(|n| {
            let (app, token) = (app.clone(), token.clone());
            let vars = json!({ "i": { "entryId": id, "idempotencyKey": format!("race-rev-{n}"), "memo": "重复冲销" } });
            tokio::spawn(async move { app.gql(Some(&token), REVERSE, vars).await })
        })
        .collect();
    let mut made = 0;
    for r in reversals {
        let body = r.await.unwrap_or_else(|e| panic!("{e}"));
        match error_code(&body) {
            None => made += 1,
            Some("CONFLICT") => assert_eq!(error_field(&body), Some("entryId"), "{body}"),
            _ => panic!("neither a reversal nor a conflict: {body}"),
        }
    }
    assert_eq!(made, 1);
    let after = accounts(&app, &token, &compound).await;
    assert_eq!(natural(&after, "CASH_ON_HAND"), 0);
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_reversal_restores_balances_and_happens_once() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let (compound, id) = cash_into_the_fund(&app, &token, "open-1", "250.75").await;

    let r = app
        .gql(
            Some(&token),
            REVERSE,
            json!({ "i": { "entryId": id, "idempotencyKey": "rev-1", "memo": "录入错误" } }),
        )
        .await;
    assert_eq!(
        r["data"]["reverseJournalEntry"]["reversesEntryId"],
        id.as_str(),
        "{r}"
    );
    assert_eq!(r["data"]["reverseJournalEntry"]["kind"], "REVERSAL");
    let after = accounts(&app, &token, &compound).await;
    assert_eq!(natural(&after, "CASH_ON_HAND"), 0);
    assert_eq!(natural(&after, "MAINTENANCE_FUND"), 0);

    let retry = app
        .gql(
            Some(&token),
            REVERSE,
            json!({ "i": { "entryId": id, "idempotencyKey": "rev-1", "memo": "录入错误" } }),
        )
        .await;
    assert_eq!(
        retry["data"]["reverseJournalEntry"]["id"],
        r["data"]["reverseJournalEntry"]["id"]
    );
    let twice = app
        .gql(
            Some(&token),
            REVERSE,
            json!({ "i": { "entryId": id, "idempotencyKey": "rev-2", "memo": "再次" } }),
        )
        .await;
    assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice}");
    let rid = r["data"]["reverseJournalEntry"]["id"]
        .as_str()
        .unwrap_or_default();
    let of_reversal = app
        .gql(
            Some(&token),
            REVERSE,
            json!({ "i": { "entryId": rid, "idempotencyKey": "rev-3", "memo": "x" } }),
        )
        .await;
    assert_eq!(error_code(&of_reversal), Some("CONFLICT"));
    verify_clean(&app).await;
}

#[tokio::test]
async fn bad_entries_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let token = app.login("accountant@demo.test").await;
    let compound = compound_id(&app, &token, "燎原新村").await;
    let a = accounts(&app, &token, &compound).await;
    let (cash, bank, repair) = (
        account_id(&a, "CASH_ON_HAND"),
        account_id(&a, "BANK"),
        account_id(&a, "REPAIR_EXPENSE"),
    );
    let other_compound = compound_id(&app, &token, "国泰花园").await;
    let foreign_bank = account_id(&accounts(&app, &token, &other_compound).await, "BANK");
    let archived = app
        .gql(Some(&token), ARCHIVE, json!({ "id": repair }))
        .await;
    assert_eq!(
        archived["data"]["archiveLedgerAccount"]["archived"], true,
        "{archived}"
    );
    let again = app
        .gql(Some(&token), ARCHIVE, json!({ "id": repair }))
        .await;
    assert_eq!(
        again["data"]["archiveLedgerAccount"]["archived"], true,
        "archiving twice is archiving once: {again}"
    );
    let nonempty = app
        .gql(Some(&token), ARCHIVE, json!({ "id": foreign_bank }))
        .await;
    assert_eq!(error_code(&nonempty), Some("CONFLICT"));

    let before = (
        count(&app, "journal_entries").await,
        count(&app, "postings").await,
    );
    let p = |x: &str, y: &str| json!([{ "accountId": cash, "amount": x }, { "accountId": bank, "amount": y }]);
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "unbalanced",
            entry(&compound, "b1", p("10", "-9.99")),
            "BAD_USER_INPUT",
            "postings",
        ),
        (
            "three decimals",
            entry(&compound, "b2", p("10.001", "-10.001")),
            "BAD_USER_INPUT",
            "postings.amount",
        ),
        (
            "overflow",
            entry(
                &compound,
                "b3",
                p("99999999999999999", "-99999999999999999"),
            ),
            "BAD_USER_INPUT",
            "postings.amount",
        ),
        (
            "zero",
            entry(&compound, "b4", p("0", "0")),
            "BAD_USER_INPUT",
            "postings",
        ),
        (
            "one posting",
            entry(
                &compound,
                "b5",
                json!([{ "accountId": cash, "amount": "1" }]),
            ),
            "BAD_USER_INPUT",
            "postings",
        ),
        (
            "no postings",
            entry(&compound, "b6", json!([])),
            "BAD_USER_INPUT",
            "postings",
        ),
        (
            "archived account",
            entry(
                &compound,
                "b7",
                json!([{ "accountId": cash, "amount": "1" }, { "accountId": repair, "amount": "-1" }]),
            ),
            "BAD_USER_INPUT",
            "postings",
        ),
        (
            "another compound's account",
            entry(
                &compound,
                "b8",
                json!([{ "accountId": cash, "amount": "1" }, { "accountId": foreign_bank, "amount": "-1" }]),
            ),
            "BAD_USER_INPUT",
            "postings",
        ),
        (
            "unknown account",
            entry(
                &compound,
                "b9",
                json!([{ "accountId": cash, "amount": "1" }, { "accountId": uuid::Uuid::now_v7().to_string(), "amount": "-1" }]),
            ),
            "NOT_FOUND",
            "",
        ),
        (
            "malformed account",
            entry(
                &compound,
                "b10",
                json!([{ "accountId": cash, "amount": "1" }, { "accountId": "x", "amount": "-1" }]),
            ),
            "BAD_USER_INPUT",
            "postings.accountId",
        ),
        (
            "empty key",
            entry(&compound, " ", p("1", "-1")),
            "BAD_USER_INPUT",
            "idempotencyKey",
        ),
    ];
    for (why, vars, code, field) in cases {
        let body = app.gql(Some(&token), POST, vars).await;
        assert_eq!(error_code(&body), Some(code), "{why}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), Some(field), "{why}: {body}");
        }
    }
    let mut usd = entry(&compound, "b11", p("1", "-1"));
    usd["i"]["currency"] = json!("USD");
    assert_eq!(
        error_field(&app.gql(Some(&token), POST, usd).await),
        Some("currency")
    );
    let mut future = entry(&compound, "b12", p("1", "-1"));
    future["i"]["occurredAt"] = json!("2999-01-01T00:00:00Z");
    assert_eq!(
        error_field(&app.gql(Some(&token), POST, future).await),
        Some("occurredAt")
    );
    let mut blank = entry(&compound, "b13", p("1", "-1"));
    blank["i"]["memo"] = json!("");
    assert_eq!(
        error_field(&app.gql(Some(&token), POST, blank).await),
        Some("memo")
    );

    let resident = app.login("resident@demo.test").await;
    let forbidden = app
        .gql(Some(&resident), POST, entry(&compound, "b14", p("1", "-1")))
        .await;
    assert_eq!(error_code(&forbidden), Some("FORBIDDEN"));

    assert_eq!(
        (
            count(&app, "journal_entries").await,
            count(&app, "postings").await
        ),
        before,
        "a refused entry was written"
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn stored_entries_and_postings_cannot_be_changed_or_deleted() {
    let app = TestApp::spawn().await;
    let db = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    for sql in [
        "UPDATE postings SET amount = amount + 1",
        "DELETE FROM postings",
        "UPDATE journal_entries SET memo = 'edited'",
        "DELETE FROM journal_entries",
    ] {
        let r = db.connection().execute_unprepared(sql).await;
        assert!(r.is_err(), "{sql} was allowed");
        assert!(format!("{r:?}").contains("append-only"), "{sql}: {r:?}");
    }
    if app.is_postgres() {
        // The application role is not even granted the privilege.
        let r = app
            .db
            .connection()
            .execute_unprepared("DELETE FROM postings")
            .await;
        assert!(format!("{r:?}").contains("permission denied"), "{r:?}");
    }
    verify_clean(&app).await;
}

/// What `ledger verify` finds in the demo firm's books after `sql` ran as the owner.
async fn problems_after(app: &TestApp, owner: &api::platform::db::Db, sql: &str) -> Vec<String> {
    owner
        .connection()
        .execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let results = api::tenancy::verify_ledgers(&app.db, Some("demo"))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    results[0].1.problems.clone()
}

#[tokio::test]
async fn verification_finds_a_tampered_amount() {
    let app = TestApp::spawn().await;
    let db = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    let sql = if app.is_postgres() {
        "ALTER TABLE postings DISABLE TRIGGER USER;
         UPDATE postings SET amount = amount + 1 WHERE id = (SELECT id FROM postings ORDER BY id LIMIT 1);"
    } else {
        "DROP TRIGGER postings_no_update;
         UPDATE postings SET amount = amount + 1 WHERE id = (SELECT id FROM postings ORDER BY id LIMIT 1);"
    };
    let problems = &problems_after(&app, &db, sql).await;
    assert!(
        problems.iter().any(|p| p.contains("does not balance")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("was altered")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("postings sum to")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn verification_finds_a_removed_entry_and_the_postings_it_left() {
    let app = TestApp::spawn().await;
    let db = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    let allow = if app.is_postgres() {
        "ALTER TABLE journal_entries DISABLE TRIGGER USER;"
    } else {
        "DROP TRIGGER journal_entries_no_delete;"
    };
    let second = "FROM journal_entries WHERE seq = 2
                    AND tenant_id = (SELECT id FROM tenants WHERE slug = 'demo')";
    let left = app
        .count(&format!(
            "SELECT COUNT(*) FROM postings WHERE entry_id = (SELECT id {second})"
        ))
        .await;
    assert!(left >= 2, "the second entry has {left} postings");
    let problems = &problems_after(&app, &db, &format!("{allow} DELETE {second};")).await;
    let has = |s: &str| problems.iter().any(|p| p.contains(s));
    assert!(has("(seq 1) has a gap after it"), "{problems:?}");
    assert!(has("(seq 3) has a gap before it"), "{problems:?}");
    assert!(has("but its postings sum to"), "{problems:?}");
    let orphans = format!("{left} posting(s) belong to no entry");
    assert!(problems.contains(&orphans), "{problems:?}");
}

#[tokio::test]
async fn verification_finds_entries_that_refer_to_nothing() {
    // PostgreSQL's ledger tables carry no foreign keys (migration 000008): verify checks
    // what they would have. The row is written behind the checks' back on both databases.
    let app = TestApp::spawn().await;
    let db = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    let (id, nowhere) = if app.is_postgres() {
        ("gen_random_uuid()", "gen_random_uuid()")
    } else {
        ("randomblob(16)", "randomblob(16)")
    };
    let sql = format!(
        "{}INSERT INTO journal_entries (tenant_id, id, created_at, seq, compound_id, kind,
           occurred_at, idempotency_key, actor_user_id, reverses_entry_id, memo, prev_hash, hash)
         SELECT tenant_id, {id}, created_at, seq + 1000000, {nowhere}, kind, occurred_at,
           'orphan', NULL, {nowhere}, memo, prev_hash, hash
         FROM journal_entries ORDER BY seq LIMIT 1;",
        if app.is_postgres() {
            ""
        } else {
            "PRAGMA foreign_keys = OFF; "
        }
    );
    let problems = &problems_after(&app, &db, &sql).await;
    for what in [
        "entries that refer to an unknown compound: 1",
        "entries that refer to an unknown reversed entry: 1",
    ] {
        assert!(problems.iter().any(|p| p == what), "{what}: {problems:?}");
    }
}

/// The demo firm's id and that of its compound 燎原新村, for tests that append directly.
async fn liaoyuan(app: &TestApp) -> (uuid::Uuid, uuid::Uuid) {
    let owner = app.owner_db().await.unwrap_or_else(|| app.db.clone());
    let row = owner
        .connection()
        .query_one_raw(Statement::from_string(
            owner.backend(),
            "SELECT tenant_id, id FROM compounds WHERE name = '燎原新村'",
        ))
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no compound"));
    let tenant: uuid::Uuid = row.try_get("", "tenant_id").unwrap_or_default();
    let compound: uuid::Uuid = row.try_get("", "id").unwrap_or_default();
    (tenant, compound)
}

/// Cash common-income entries of ¥10.00 + i fen, keyed `{prefix}-{i}`.
fn income_entries(
    compound: uuid::Uuid,
    prefix: &str,
    keys: std::ops::Range<i64>,
) -> Vec<api::ledger::NewEntry> {
    use domain::ledger::{PaymentMethod, rules};
    keys.map(|i| api::ledger::NewEntry {
        entry: rules::common_income(
            compound,
            PaymentMethod::Cash,
            domain::Money::from_fen(1_000 + i),
        )
        .unwrap_or_else(|e| panic!("{e}")),
        occurred_at: chrono::Utc::now(),
        idempotency_key: format!("{prefix}-{i}"),
        memo: prefix.into(),
        actor: None,
        reverses: None,
    })
    .collect()
}

/// The compound's common income held until its month closes, as the accountant lists it.
async fn pending_income(app: &TestApp, token: &str, compound: uuid::Uuid) -> Value {
    accounts(app, token, &compound.to_string())
        .await
        .into_iter()
        .find(|a| a["kind"] == "COMMON_INCOME_PENDING")
        .unwrap_or_else(|| panic!("no pending income account"))
}

/// The accountant's token, the firm and compound of 燎原新村, and the compound's pending
/// common income, which the archiving tests need empty.
async fn empty_pending_income(app: &TestApp) -> (String, uuid::Uuid, uuid::Uuid, Value) {
    let token = app.login("accountant@demo.test").await;
    let (tenant, compound) = liaoyuan(app).await;
    let account = pending_income(app, &token, compound).await;
    assert_eq!(
        account["balance"]["fen"], 0,
        "the test needs an empty account"
    );
    (token, tenant, compound, account)
}

#[tokio::test]
async fn an_account_cannot_be_archived_under_a_posting_in_flight() {
    let app = TestApp::spawn().await;
    let (token, tenant, compound, account) = empty_pending_income(&app).await;

    // A posting to it is written but not committed when the archiving arrives.
    let tx = app
        .db
        .begin_tenant_writes(tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    api::ledger::journal::append(&tx, tenant, income_entries(compound, "inflight", 0..1))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let archive = app.gql(Some(&token), ARCHIVE, json!({ "id": account["id"] }));
    let commit_later = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        tx.commit().await
    };
    let (answer, committed) = tokio::join!(archive, commit_later);
    committed.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(error_code(&answer), Some("CONFLICT"), "{answer}");
    let after = pending_income(&app, &token, compound).await;
    assert_ne!(after["balance"]["fen"], 0, "{after}");
    verify_clean(&app).await;
}

/// The other order: the append has found the account open but not yet written when the
/// archiving commits. PostgreSQL only: on SQLite the append holds the write lock from its
/// first statement, so the archiving waits for it (the test above).
#[tokio::test]
#[ignore = "PostgreSQL only: the PostgreSQL pass of scripts/test runs it"]
async fn a_posting_cannot_reach_an_account_archived_after_the_append_found_it() {
    use api::ledger::journal::{AppendError, accounts_for, append_to};
    let app = TestApp::spawn_on_postgres().await;
    let (token, tenant, compound, income) = empty_pending_income(&app).await;
    let entries = income_entries(compound, "late", 0..1);

    let tx = app
        .db
        .begin_tenant_writes(tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let found = accounts_for(&tx, tenant, &entries)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let archived = app
        .gql(Some(&token), ARCHIVE, json!({ "id": income["id"] }))
        .await;
    assert_eq!(
        archived["data"]["archiveLedgerAccount"]["archived"], true,
        "{archived}"
    );
    match append_to(&tx, tenant, entries, &found).await {
        Err(AppendError::ArchivedAccount(id)) => assert_eq!(income["id"], id.to_string()),
        other => panic!("the append was not refused for the archived account: {other:?}"),
    }
    drop(tx);

    let after = accounts(&app, &token, &compound.to_string()).await;
    let after = after
        .iter()
        .find(|a| a["id"] == income["id"])
        .unwrap_or_else(|| panic!("the account is gone"));
    assert_eq!(after["balance"]["fen"], 0, "{after}");
    assert_eq!(
        count(&app, "journal_entries WHERE idempotency_key LIKE 'late-%'").await,
        0
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_bulk_append_returns_stored_entries_for_stored_keys_and_writes_the_rest() {
    use api::ledger::journal::{NewEntry, append};

    let app = TestApp::spawn().await;
    let (tenant, compound) = liaoyuan(&app).await;
    let batch = |keys: std::ops::Range<i64>| income_entries(compound, "bulk", keys);
    let append_in_tx = |entries: Vec<NewEntry>| {
        let db = app.db.clone();
        async move {
            let tx = db
                .begin_tenant(tenant)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let out = append(&tx, tenant, entries)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
            out
        }
    };
    let before = count(&app, "journal_entries").await;
    // One key of the coming batch is stored already (an append of one entry).
    let first = append_in_tx(batch(7..8)).await;
    // A bulk batch of 150 (the optimistic write meets the stored key and starts again).
    let out = append_in_tx(batch(0..150)).await;
    assert_eq!(out.len(), 150);
    assert_eq!(
        out[7].id, first[0].id,
        "the stored entry stands in for its key"
    );
    assert_eq!(count(&app, "journal_entries").await, before + 150);
    // The same batch again writes nothing and returns what is stored.
    let again = append_in_tx(batch(0..150)).await;
    assert_eq!(
        again.iter().map(|e| e.id).collect::<Vec<_>>(),
        out.iter().map(|e| e.id).collect::<Vec<_>>()
    );
    assert_eq!(count(&app, "journal_entries").await, before + 150);
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_writer_killed_mid_batch_leaves_no_partial_entry() {
    use api::ledger::journal::append;

    let app = TestApp::spawn().await;
    let (tenant, compound) = liaoyuan(&app).await;
    let before = (
        count(&app, "journal_entries").await,
        count(&app, "postings").await,
    );

    let db = app.db.clone();
    let writer = tokio::spawn(async move {
        let tx = db
            .begin_tenant(tenant)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let entries = income_entries(compound, "killed", 0..5_000);
        let _ = append(&tx, tenant, entries).await;
        // Never reached in time: the writer is killed first.
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        tx.commit().await.ok();
    });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    writer.abort();
    let _ = writer.await;
    // Let the pool roll back the abandoned transaction.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    assert_eq!(
        (
            count(&app, "journal_entries").await,
            count(&app, "postings").await
        ),
        before
    );
    verify_clean(&app).await;
    // The ledger still takes entries afterwards.
    let token = app.login("accountant@demo.test").await;
    let a = accounts(&app, &token, &compound.to_string()).await;
    let ok = app.gql(Some(&token), POST, entry(&compound.to_string(), "after-kill", json!([{ "accountId": account_id(&a, "CASH_ON_HAND"), "amount": "1" }, { "accountId": account_id(&a, "BANK"), "amount": "-1" }]))).await;
    assert!(ok["data"]["postJournalEntry"]["id"].is_string(), "{ok}");
    verify_clean(&app).await;
}

#[tokio::test]
async fn verification_reads_one_moment_of_a_ledger_being_appended_to() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use api::ledger::journal::append;

    let app = TestApp::spawn().await;
    let (tenant, compound) = liaoyuan(&app).await;
    let before = count(&app, "journal_entries").await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (app.db.clone(), Arc::clone(&stop));
        tokio::spawn(async move {
            let mut rounds = 0;
            while !stop.load(Ordering::SeqCst) {
                let tx = db
                    .begin_tenant_writes(tenant)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let entries = income_entries(compound, &format!("live-{rounds}"), 0..5);
                append(&tx, tenant, entries)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"));
                tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
                rounds += 1;
            }
            rounds
        })
    };
    // Each run, on PostgreSQL over three connections, sees the ledger at one moment, whole:
    // no entry without its postings, no posting without its entry, the head its last entry.
    let mut seen = Vec::new();
    for run in 0..10 {
        let results = api::tenancy::verify_ledgers(&app.db, None)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        for (slug, v) in &results {
            assert!(v.problems.is_empty(), "run {run}, {slug}: {:?}", v.problems);
        }
        seen.push(results.iter().map(|(_, v)| v.entries).sum::<u64>());
    }
    stop.store(true, Ordering::SeqCst);
    let rounds = writer.await.unwrap_or_else(|e| panic!("{e}"));
    seen.dedup();
    assert!(seen.len() > 1, "the ledger grew while verified: {seen:?}");
    assert_eq!(count(&app, "journal_entries").await, before + 5 * rounds);
    verify_clean(&app).await;
}
