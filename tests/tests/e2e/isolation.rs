//! Tenant isolation: every query and mutation that takes an id is called by the rival firm's
//! admin with the demo firm's ids, and by each role scoped to part of the demo firm with ids
//! outside its scope, and must answer NOT_FOUND or FORBIDDEN with no data.
//! `every_id_taking_field_is_covered` fails when a new field takes an id without a case here.

use std::collections::BTreeSet;

use courtyard_tests::{TestApp, error_code};
use serde_json::{Value, json};

use super::tenancy::{compound_id, household_input};

struct Ids {
    bundle: String,
    compound: String,
    building: String,
    household: String,
    person: String,
    account: String,
    entry: String,
    run: String,
    payment: String,
    grant: String,
    hardship: String,
    invoice: String,
    membership: String,
    resolution: String,
    payout: String,
    contract: String,
    pass: String,
    order: String,
    contractor: String,
    matter: String,
    seat: String,
    budget: String,
    question: String,
}

/// The compound's newest budget (one is started if it has none) and its first question (a
/// question is asked only by a resident of the compound: where no one has asked, the nil id,
/// which is not found either).
async fn budget_ids(app: &TestApp, admin: &str, compound: &str) -> (String, String) {
    let q = "query($c: ID!) { budgets(compoundId: $c) { id } }";
    let found = app.gql(Some(admin), q, json!({ "c": compound })).await;
    let budget = match found["data"]["budgets"][0]["id"].as_str() {
        Some(id) => id.to_owned(),
        None => {
            let start = "mutation($c: ID!) { startBudget(input: { compoundId: $c, year: 2026, title: \"隔离\" }) { id } }";
            let started = app.gql(Some(admin), start, json!({ "c": compound })).await;
            started["data"]["startBudget"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{started}"))
                .to_owned()
        }
    };
    let q = "query($id: ID!) { budget(id: $id) { questions { id } } }";
    let read = app.gql(Some(admin), q, json!({ "id": budget })).await;
    let question = read["data"]["budget"]["questions"][0]["id"]
        .as_str()
        .map_or_else(|| uuid::Uuid::nil().to_string(), str::to_owned);
    (budget, question)
}

/// Ids of everything in the demo firm's compound `name` (a hardship record and a waiver
/// proposal are made for its first household if it has none).
async fn demo_ids(app: &TestApp, name: &str) -> Ids {
    let admin = app.login("admin@demo.test").await;
    let compound = compound_id(app, &admin, name).await;
    let body = app.gql(Some(&admin), "query($c: ID!) { compound(id: $c) { bundle { id } buildings { id } households(first: 1) { edges { node { id members { person { id } } } } } } }", json!({ "c": compound })).await;
    let c = &body["data"]["compound"];
    let s = |v: &Value| v.as_str().unwrap_or_else(|| panic!("{body}")).to_owned();
    let accountant = app.login("accountant@demo.test").await;
    let run = super::billing::bill(app, &accountant, "2026-11").await;
    let run = run["data"]["runBilling"]["runId"]
        .as_str()
        .unwrap_or_else(|| panic!("{run}"))
        .to_owned();
    let household = s(&c["households"]["edges"][0]["node"]["id"]);
    let paid = app.gql(Some(&accountant), super::billing::PAY, json!({ "i": { "householdId": household, "amount": "5", "method": "CASH", "receiptNo": "R1", "receivedAt": "2026-11-20T00:00:00Z", "idempotencyKey": "iso" } })).await;
    let payment = paid["data"]["recordPayment"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{paid}"))
        .to_owned();
    // The cash payment's entry: every compound has one now.
    let accounts = super::ledger::accounts(app, &admin, &compound).await;
    let account = super::ledger::account_id(&accounts, "COMMITTEE_FUND");
    let cash = super::ledger::account_id(&accounts, "CASH_ON_HAND");
    let st = app.gql(Some(&admin), "query($a: ID!) { accountStatement(accountId: $a, from: \"2026-01-01\", to: \"2026-12-31\", first: 1) { edges { node { entryId } } } }", json!({ "a": cash })).await;
    let entry = st["data"]["accountStatement"]["edges"][0]["node"]["entryId"]
        .as_str()
        .unwrap_or_else(|| panic!("{st}"))
        .to_owned();
    let hardship_query = "query($h: ID!) { hardshipRecords(householdId: $h) { id } waiverGrants(householdId: $h) { id } }";
    let mut hr = app
        .gql(Some(&accountant), hardship_query, json!({ "h": household }))
        .await;
    if hr["data"]["hardshipRecords"][0].is_null() {
        let rec = app.gql(Some(&accountant), "mutation($h: ID!) { recordHardship(input: { householdId: $h, category: DIBAO, certificateNo: \"低保2026-01\", evidence: \"民政证明\", validFrom: \"2026-01-01\", validTo: \"2026-12-31\" }) { id } }", json!({ "h": household })).await;
        let propose = "mutation($i: WaiverInput!) { proposeWaiver(input: $i) { id } }";
        let waiver = json!({ "i": { "householdId": household, "hardshipId": rec["data"]["recordHardship"]["id"], "kind": "FULL", "fromPeriod": "2026-11", "toPeriod": "2026-12", "funding": "FIRM_ABSORBS" } });
        let grant = app.gql(Some(&accountant), propose, waiver).await;
        assert!(
            grant["data"]["proposeWaiver"]["id"].is_string(),
            "{rec} {grant}"
        );
        hr = app
            .gql(Some(&accountant), hardship_query, json!({ "h": household }))
            .await;
    }
    let hardship = hr["data"]["hardshipRecords"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{hr}"))
        .to_owned();
    let grant = hr["data"]["waiverGrants"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{hr}"))
        .to_owned();
    let acct = app
        .gql(
            Some(&accountant),
            "query($h: ID!) { householdAccount(householdId: $h) { invoices { id } } }",
            json!({ "h": household }),
        )
        .await;
    let invoice = acct["data"]["householdAccount"]["invoices"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{acct}"))
        .to_owned();
    let members = app.gql(Some(&admin), "{ members { id } }", json!({})).await;
    let membership = members["data"]["members"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{members}"))
        .to_owned();
    // A resolution of its own: the compound may have none yet.
    let passed = super::governance::passed_matter(app, &compound, "COMMON_PARTS_USE").await;
    let res = app
        .gql(
            Some(&accountant),
            "mutation($c: ID!, $m: ID!) { recordBusinessUseResolution(input: { compoundId: $c, matterId: $m, documentNo: \"隔离测试决议\", decidedOn: \"2026-01-05\" }) { id } }",
            json!({ "c": compound, "m": passed }),
        )
        .await;
    let resolution = res["data"]["recordBusinessUseResolution"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{res}"))
        .to_owned();
    // A fen in the fund (an opening balance), for a payout proposal of this compound.
    let fund_fen = json!([{ "accountId": super::ledger::account_id(&accounts, "BANK"), "amount": "0.01" }, { "accountId": account, "amount": "-0.01" }]);
    let opened = app.gql(Some(&accountant), "mutation($c: ID!, $p: [PostingInput!]!) { postJournalEntry(input: { compoundId: $c, occurredAt: \"2026-11-01T09:00:00Z\", idempotencyKey: \"iso-fund\", memo: \"期初余额\", postings: $p }) { id } }", json!({ "c": compound, "p": fund_fen })).await;
    assert!(opened["errors"].is_null(), "{opened}");
    let spend = super::governance::passed_matter(app, &compound, "USE_MAINTENANCE_FUND").await;
    let proposed = app.gql(Some(&accountant), "mutation($c: ID!, $m: ID!) { proposeCommitteeBankPayout(input: { compoundId: $c, matterId: $m, amount: \"0.01\", payee: \"x\", purpose: \"隔离测试\", idempotencyKey: \"iso-payout\" }) { id } }", json!({ "c": compound, "m": spend })).await;
    let payout = proposed["data"]["proposeCommitteeBankPayout"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{proposed}"))
        .to_owned();
    let signed = app
        .gql(
            Some(&accountant),
            super::advertising::SIGN,
            super::advertising::contract_on(&[&compound], "隔离-广告-1"),
        )
        .await;
    let contract = signed["data"]["signAdvertisingContract"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{signed}"))
        .to_owned();
    let issued = app.gql(Some(&accountant), "mutation($c: ID!) { issueParkingPass(input: { compoundId: $c, plate: \"桂B54321\", from: \"2027-01\", to: \"2027-03\", monthly: \"100\", method: CASH, paidOn: \"2026-11-20\", idempotencyKey: \"iso-pass\" }) { id } }", json!({ "c": compound })).await;
    let pass = issued["data"]["issueParkingPass"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{issued}"))
        .to_owned();
    let reported = app
        .gql(
            Some(&admin),
            super::dispatch::REPORT,
            json!({ "i": { "compoundId": compound, "locationKind": "ROAD",
        "location": "东门", "trade": "GENERAL_REPAIR", "description": "路面塌陷" } }),
        )
        .await;
    let order = reported["data"]["reportWorkOrder"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{reported}"))
        .to_owned();
    let contractors = app
        .gql(Some(&admin), "{ contractors { id } }", json!({}))
        .await;
    let contractor = contractors["data"]["contractors"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{contractors}"))
        .to_owned();
    // An open vote and a committee seat of the compound.
    let closes = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let mut input = super::governance::matter_input(&compound, "OTHER", false);
    input["closesAt"] = json!(closes);
    let matter = super::governance::opened(app, &admin, input).await;
    let seated = app.gql(Some(&admin), "mutation($c: ID!) { appointCommitteeMember(input: { compoundId: $c, body: OWNERS_COMMITTEE, name: \"隔离\", post: MEMBER, termFrom: \"2026-01-01\", termTo: \"2027-12-31\" }) { id } }", json!({ "c": compound })).await;
    let seat = seated["data"]["appointCommitteeMember"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{seated}"))
        .to_owned();
    let (budget, question) = budget_ids(app, &admin, &compound).await;
    Ids {
        matter,
        seat,
        budget,
        question,
        order,
        contractor,
        pass,
        contract,
        payout,
        resolution,
        membership,
        invoice,
        run,
        payment,
        grant,
        hardship,
        account,
        entry,
        bundle: s(&c["bundle"]["id"]),
        compound: compound.clone(),
        building: s(&c["buildings"][0]["id"]),
        household: s(&c["households"]["edges"][0]["node"]["id"]),
        person: s(&c["households"]["edges"][0]["node"]["members"][0]["person"]["id"]),
    }
}

/// (root field, operation) — each operation uses the other firm's ids.
fn cases(ids: &Ids) -> Vec<(&'static str, String, Value)> {
    let bundle_input = json!({ "name": "入侵", "streetOffice": "x", "district": "x" });
    let compound_input = json!({ "bundleId": ids.bundle, "name": "入侵小区", "address": "x", "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM" });
    vec![
        ("bundle", "query($id: ID!) { bundle(id: $id) { name } }".into(), json!({ "id": ids.bundle })),
        ("compound", "query($id: ID!) { compound(id: $id) { name } }".into(), json!({ "id": ids.compound })),
        ("household", "query($id: ID!) { household(id: $id) { room } }".into(), json!({ "id": ids.household })),
        ("person", "query($id: ID!) { person(id: $id) { name } }".into(), json!({ "id": ids.person })),
        ("compounds", "query($id: ID!) { compounds(bundleId: $id) { edges { node { name } } } }".into(), json!({ "id": ids.bundle })),
        ("households", "query($id: ID!) { households(compoundId: $id) { edges { node { room } } } }".into(), json!({ "id": ids.compound })),
        ("updateBundle", "mutation($id: ID!, $i: BundleInput!) { updateBundle(id: $id, input: $i) { name } }".into(), json!({ "id": ids.bundle, "i": bundle_input })),
        ("archiveBundle", "mutation($id: ID!) { archiveBundle(id: $id) { name } }".into(), json!({ "id": ids.bundle })),
        ("createCompound", "mutation($i: CompoundInput!) { createCompound(input: $i) { name } }".into(), json!({ "i": compound_input })),
        ("updateCompound", "mutation($id: ID!, $i: CompoundInput!) { updateCompound(id: $id, input: $i) { name } }".into(), json!({ "id": ids.compound, "i": compound_input })),
        ("archiveCompound", "mutation($id: ID!) { archiveCompound(id: $id) { name } }".into(), json!({ "id": ids.compound })),
        ("createBuilding", "mutation($i: BuildingInput!) { createBuilding(input: $i) { label } }".into(), json!({ "i": { "compoundId": ids.compound, "label": "99栋" } })),
        ("createHousehold", "mutation($i: HouseholdInput!) { createHousehold(input: $i) { room } }".into(), json!({ "i": household_input(&ids.compound, &ids.building, "999", "50") })),
        ("updateHousehold", "mutation($id: ID!) { updateHousehold(id: $id, input: { area: \"1\", areaSource: SURVEY }) { room } }".into(), json!({ "id": ids.household })),
        ("archiveHousehold", "mutation($id: ID!) { archiveHousehold(id: $id) { room } }".into(), json!({ "id": ids.household })),
        ("addHouseholdMember", "mutation($h: ID!, $p: ID!) { addHouseholdMember(input: { householdId: $h, personId: $p, role: OWNER }) { role } }".into(), json!({ "h": ids.household, "p": ids.person })),
        ("issueInviteCode", "mutation($h: ID!) { issueInviteCode(householdId: $h) { code } }".into(), json!({ "h": ids.household })),
        ("ledgerAccounts", "query($id: ID!) { ledgerAccounts(compoundId: $id) { edges { node { id } } } }".into(), json!({ "id": ids.compound })),
        ("ledgerAccount", "query($id: ID!) { ledgerAccount(id: $id) { kind } }".into(), json!({ "id": ids.account })),
        ("accountStatement", "query($id: ID!) { accountStatement(accountId: $id, from: \"2026-01-01\", to: \"2026-12-31\") { edges { node { memo } } } }".into(), json!({ "id": ids.account })),
        ("trialBalance", "query($id: ID!) { trialBalance(compoundId: $id, at: \"2026-12-31\") { balanced } }".into(), json!({ "id": ids.compound })),
        ("journalEntry", "query($id: ID!) { journalEntry(id: $id) { memo } }".into(), json!({ "id": ids.entry })),
        ("postJournalEntry", "mutation($i: JournalEntryInput!) { postJournalEntry(input: $i) { id } }".into(),
            json!({ "i": { "compoundId": ids.compound, "occurredAt": "2026-11-01T00:00:00Z", "idempotencyKey": "steal", "memo": "x",
                "postings": [{ "accountId": ids.account, "amount": "1" }, { "accountId": ids.account, "amount": "-1" }] } })),
        ("reverseJournalEntry", "mutation($id: ID!) { reverseJournalEntry(input: { entryId: $id, idempotencyKey: \"r\", memo: \"x\" }) { id } }".into(), json!({ "id": ids.entry })),
                ("archiveLedgerAccount", "mutation($id: ID!) { archiveLedgerAccount(id: $id) { archived } }".into(), json!({ "id": ids.account })),
        ("feeSchedules", "query($id: ID!) { feeSchedules(compoundId: $id) { id } }".into(), json!({ "id": ids.compound })),
        ("addonActivations", "query($id: ID!) { addonActivations(compoundId: $id) { id } }".into(), json!({ "id": ids.compound })),
        ("hardshipRecords", "query($id: ID!) { hardshipRecords(householdId: $id) { certificateNo } }".into(), json!({ "id": ids.household })),
        ("waiverGrants", "query($id: ID!) { waiverGrants(householdId: $id) { id } }".into(), json!({ "id": ids.household })),
        ("billingRun", "query($id: ID!) { billingRun(id: $id) { period } }".into(), json!({ "id": ids.run })),
        ("householdAccount", "query($id: ID!) { householdAccount(householdId: $id) { balance { fen } } }".into(), json!({ "id": ids.household })),
        ("payment", "query($id: ID!) { payment(id: $id) { receiptNo } }".into(), json!({ "id": ids.payment })),
        ("receipt", "query($id: ID!) { receipt(paymentId: $id) { collector } }".into(), json!({ "id": ids.payment })),
        ("collection", "query($id: ID!) { collection(compoundId: $id, from: \"2026-11\", to: \"2026-11\") { due { fen } } }".into(), json!({ "id": ids.compound })),
        ("arrears", "query($id: ID!) { arrears(compoundId: $id) { total { fen } } }".into(), json!({ "id": ids.compound })),
        ("arrearsList", "query($id: ID!) { arrearsList(compoundId: $id) { edges { node { householdId } } } }".into(), json!({ "id": ids.compound })),
        ("arrearsList", "query($id: ID!) { arrearsList(bundleId: $id) { edges { node { householdId } } } }".into(), json!({ "id": ids.bundle })),
        ("demandNotices", "query($id: ID!) { demandNotices(householdId: $id) { note } }".into(), json!({ "id": ids.household })),
        ("setFeeSchedule", "mutation($id: ID!) { setFeeSchedule(input: { compoundId: $id, effectiveFrom: \"2026-12\", note: \"x\", items: [{ kind: GARBAGE_REMOVAL, pricing: PER_HOUSEHOLD, rate: \"1\" }] }) { id } }".into(), json!({ "id": ids.compound })),
        ("setLateFee", "mutation($id: ID!) { setLateFee(compoundId: $id, terms: { dailyRateBp: 5, graceDays: 0, capBp: 1000 }) { id } }".into(), json!({ "id": ids.compound })),
        // Online payment is off in this server (FORBIDDEN before any lookup); the same calls
        // with Stripe on are tried across firms in online.rs and answer NOT_FOUND.
        ("startOnlinePayment", "mutation($id: ID!, $inv: ID) { startOnlinePayment(householdId: $id, invoiceId: $inv) { clientSecret } }".into(), json!({ "id": ids.household, "inv": ids.invoice })),
        ("refundOnlinePayment", "mutation($id: ID!) { refundOnlinePayment(paymentId: $id, amount: \"1\", reason: \"x\") { id } }".into(), json!({ "id": ids.payment })),
        ("paymentAttempt", "query($id: ID!) { paymentAttempt(id: $id) { status } }".into(), json!({ "id": ids.payment })),
        ("setCommitteeStripeAccount", "mutation($id: ID!) { setCommitteeStripeAccount(compoundId: $id, accountId: \"acct_1\") { id } }".into(), json!({ "id": ids.compound })),
        ("payCommitteeFund", "mutation($id: ID!) { payCommitteeFund(compoundId: $id) { id } }".into(), json!({ "id": ids.compound })),
        ("committeePayouts", "query($id: ID!) { committeePayouts(compoundId: $id) { id } }".into(), json!({ "id": ids.compound })),
        ("cancelOnlinePayment", "mutation($id: ID!) { cancelOnlinePayment(id: $id) { status } }".into(), json!({ "id": ids.payment })),
        ("bundleCollection", "query($id: ID!) { bundleCollection(bundleId: $id, from: \"2026-11\", to: \"2026-11\") { months { period } } }".into(), json!({ "id": ids.bundle })),
        ("activateAddon", "mutation($id: ID!, $m: ID!) { activateAddon(input: { compoundId: $id, kind: GREENERY_CARE, fromPeriod: \"2026-11\", matterId: $m }) { id } }".into(), json!({ "id": ids.compound, "m": ids.matter })),
        ("recordHardship", "mutation($id: ID!) { recordHardship(input: { householdId: $id, category: OTHER, certificateNo: \"x\", evidence: \"x\", validFrom: \"2026-01-01\", validTo: \"2026-12-31\" }) { id } }".into(), json!({ "id": ids.household })),
        ("proposeWaiver", "mutation($id: ID!, $hs: ID) { proposeWaiver(input: { householdId: $id, hardshipId: $hs, kind: FULL, fromPeriod: \"2026-11\", toPeriod: \"2026-11\", funding: FIRM_ABSORBS }) { id } }".into(), json!({ "id": ids.household, "hs": ids.hardship })),
        ("decideWaiver", "mutation($id: ID!) { decideWaiver(id: $id, approve: false) { status } }".into(), json!({ "id": ids.grant })),
        ("runBilling", "mutation($id: ID!) { runBilling(input: { period: \"2026-11\", compoundId: $id }) { invoiced } }".into(), json!({ "id": ids.compound })),
        ("recordPayment", "mutation($id: ID!) { recordPayment(input: { householdId: $id, amount: \"1\", method: CASH, receiptNo: \"x\", receivedAt: \"2026-11-20T00:00:00Z\", idempotencyKey: \"x\" }) { id } }".into(), json!({ "id": ids.household })),
        ("reversePayment", "mutation($id: ID!) { reversePayment(id: $id, reason: \"x\") { reversed } }".into(), json!({ "id": ids.payment })),
                ("issueCreditNote", "mutation($id: ID!) { issueCreditNote(invoiceId: $id, amount: \"1\", reason: \"x\") { id } }".into(), json!({ "id": ids.invoice })),
                ("addMember", "mutation($id: ID!) { addMember(input: { identifier: \"spy@rival.test\", displayName: \"x\", initialPassword: \"long enough!\", role: COMMITTEE_MEMBER, scopeKind: COMPOUND, scopeId: $id }) { id } }".into(), json!({ "id": ids.compound })),
        ("revokeMember", "mutation($id: ID!) { revokeMember(id: $id) }".into(), json!({ "id": ids.membership })),
        ("commonIncomeMonth", "query($id: ID!) { commonIncomeMonth(compoundId: $id, period: \"2026-10\") { total { owners { fen } } } }".into(), json!({ "id": ids.compound })),
        ("businessUseResolutions", "query($id: ID!) { businessUseResolutions(compoundId: $id) { documentNo } }".into(), json!({ "id": ids.compound })),
        ("incomeSplitRules", "query($id: ID!) { incomeSplitRules(compoundId: $id) { ownersBp } }".into(), json!({ "id": ids.compound })),
        ("recordBusinessUseResolution", "mutation($id: ID!, $m: ID!) { recordBusinessUseResolution(input: { compoundId: $id, matterId: $m, documentNo: \"x\", decidedOn: \"2026-11-01\" }) { id } }".into(), json!({ "id": ids.compound, "m": ids.matter })),
        ("setIncomeSplitRule", "mutation($id: ID!, $r: ID!) { setIncomeSplitRule(input: { compoundId: $id, category: ADVERTISING, effectiveFrom: \"2027-01\", ownersBp: 5000, firmBp: 5000, resolutionId: $r }) { id } }".into(), json!({ "id": ids.compound, "r": ids.resolution })),
        ("recordCommonIncome", "mutation($id: ID!) { recordCommonIncome(input: { compoundId: $id, category: ADVERTISING, amount: \"100\", receivedOn: \"2026-11-20\", method: CASH, idempotencyKey: \"spy\" }) { id } }".into(), json!({ "id": ids.compound })),
        ("recordCommonPartCost", "mutation($id: ID!) { recordCommonPartCost(input: { compoundId: $id, category: ADVERTISING, period: \"2026-11\", amount: \"100\", description: \"x\", evidence: \"x\", method: CASH, idempotencyKey: \"spy\" }) { id } }".into(), json!({ "id": ids.compound })),
        ("closeCommonIncomeMonth", "mutation($id: ID!) { closeCommonIncomeMonth(compoundId: $id, period: \"2026-11\") { id } }".into(), json!({ "id": ids.compound })),
        ("publicBoardPath", "query($id: ID!) { publicBoardPath(compoundId: $id) }".into(), json!({ "id": ids.compound })),
        ("rotatePublicBoard", "mutation($id: ID!) { rotatePublicBoard(compoundId: $id) }".into(), json!({ "id": ids.compound })),
        ("committeeFundStatement", "query($id: ID!) { committeeFundStatement(compoundId: $id, from: \"2026-01-01\", to: \"2026-12-31\") { closing { fen } } }".into(), json!({ "id": ids.compound })),
        ("proposeCommitteeBankPayout", "mutation($id: ID!, $m: ID!) { proposeCommitteeBankPayout(input: { compoundId: $id, matterId: $m, amount: \"1\", payee: \"x\", purpose: \"x\", idempotencyKey: \"spy\" }) { id } }".into(), json!({ "id": ids.compound, "m": ids.matter })),
        ("decideCommitteePayout", "mutation($id: ID!) { decideCommitteePayout(id: $id, approve: true) { status } }".into(), json!({ "id": ids.payout })),
        ("closeBundleCommonIncomeMonth", "mutation($id: ID!) { closeBundleCommonIncomeMonth(bundleId: $id, period: \"2026-10\") { closed } }".into(), json!({ "id": ids.bundle })),
        ("commonIncomeReport", "query($id: ID!) { commonIncomeReport(compoundId: $id, from: \"2026-01\", to: \"2026-12\") { rows { compound } } }".into(), json!({ "id": ids.compound })),
        ("parkingPasses", "query($id: ID!) { parkingPasses(compoundId: $id) { plate } }".into(), json!({ "id": ids.compound })),
        ("issueParkingPass", "mutation($id: ID!) { issueParkingPass(input: { compoundId: $id, plate: \"桂B12345\", from: \"2026-12\", to: \"2026-12\", monthly: \"1\", method: CASH, paidOn: \"2026-11-20\", idempotencyKey: \"spy\" }) { id } }".into(), json!({ "id": ids.compound })),
        ("cancelParkingPass", "mutation($id: ID!) { cancelParkingPass(passId: $id, fromPeriod: \"2027-01\", method: CASH, reason: \"x\") { id } }".into(), json!({ "id": ids.pass })),
        ("advertisingContracts", "query($id: ID!) { advertisingContracts(compoundId: $id) { number } }".into(), json!({ "id": ids.compound })),
        ("advertisingContract", "query($id: ID!) { advertisingContract(id: $id) { number } }".into(), json!({ "id": ids.contract })),
        ("signAdvertisingContract", super::advertising::SIGN.into(), super::advertising::contract_on(&[&ids.compound], "spy")),
        ("recordAdvertisingPayment", "mutation($id: ID!) { recordAdvertisingPayment(input: { contractId: $id, amount: \"1\", receivedOn: \"2026-11-20\", method: CASH, idempotencyKey: \"spy\" }) { id } }".into(), json!({ "id": ids.contract })),
        ("renewAdvertisingContract", "mutation($id: ID!) { renewAdvertisingContract(contractId: $id, to: \"2030-12\") { id } }".into(), json!({ "id": ids.contract })),
        ("terminateAdvertisingContract", "mutation($id: ID!) { terminateAdvertisingContract(contractId: $id, lastPeriod: \"2026-12\", reason: \"x\") { id } }".into(), json!({ "id": ids.contract })),
        ("workOrders", "query($id: ID!) { workOrders(compoundId: $id) { edges { node { id } } } }".into(), json!({ "id": ids.compound })),
        ("workOrder", "query($id: ID!) { workOrder(id: $id) { order { location } } }".into(), json!({ "id": ids.order })),
        ("dispatchCandidates", "query($id: ID!) { dispatchCandidates(orderId: $id) { place } }".into(), json!({ "id": ids.order })),
        ("reportWorkOrder", super::dispatch::REPORT.into(), json!({ "i": { "compoundId": ids.compound, "locationKind": "ROAD", "location": "x", "trade": "CLEANING", "description": "spy" } })),
        ("fileWorkOrder", "mutation($id: ID!) { fileWorkOrder(id: $id, input: { trade: CLEANING, priority: NORMAL, bearer: COMPOUND_BUDGET }) { state } }".into(), json!({ "id": ids.order })),
        ("rejectWorkOrder", "mutation($id: ID!) { rejectWorkOrder(id: $id, reason: DUPLICATE) { state } }".into(), json!({ "id": ids.order })),
        ("dispatchWorkOrder", "mutation($id: ID!) { dispatchWorkOrder(id: $id) { state } }".into(), json!({ "id": ids.order })),
        ("acceptWorkOrder", "mutation($id: ID!) { acceptWorkOrder(id: $id) { state } }".into(), json!({ "id": ids.order })),
        ("declineWorkOrder", "mutation($id: ID!) { declineWorkOrder(id: $id, note: \"x\") { state } }".into(), json!({ "id": ids.order })),
        ("startWorkOrder", "mutation($id: ID!) { startWorkOrder(id: $id) { state } }".into(), json!({ "id": ids.order })),
        ("completeWorkOrder", "mutation($id: ID!) { completeWorkOrder(id: $id, cost: \"1\") { state } }".into(), json!({ "id": ids.order })),
        ("verifyWorkOrder", "mutation($id: ID!) { verifyWorkOrder(id: $id) { state } }".into(), json!({ "id": ids.order })),
        ("sendBackWorkOrder", "mutation($id: ID!) { sendBackWorkOrder(id: $id, note: \"x\") { state } }".into(), json!({ "id": ids.order })),
        ("closeWorkOrder", "mutation($id: ID!) { closeWorkOrder(id: $id) { state } }".into(), json!({ "id": ids.order })),
        ("reopenWorkOrder", "mutation($id: ID!) { reopenWorkOrder(id: $id, note: \"x\") { state } }".into(), json!({ "id": ids.order })),
        ("cancelWorkOrder", "mutation($id: ID!) { cancelWorkOrder(id: $id, note: \"x\") { state } }".into(), json!({ "id": ids.order })),
        ("confirmWorkOrderCharge", "mutation($id: ID!) { confirmWorkOrderCharge(id: $id) { state } }".into(), json!({ "id": ids.order })),
        ("rateWorkOrder", "mutation($id: ID!) { rateWorkOrder(id: $id, stars: 1) { state } }".into(), json!({ "id": ids.order })),
        ("registerContractor", "mutation($id: ID!) { registerContractor(input: { name: \"x\", kind: COMPANY, trades: [CLEANING], compoundIds: [$id], capacity: 1 }, contract: { startsOn: \"2026-01-01\", endsOn: \"2026-12-31\", rateKind: PER_JOB, rate: \"1\" }) { id } }".into(), json!({ "id": ids.compound })),
        ("updateContractor", "mutation($id: ID!) { updateContractor(id: $id, input: { name: \"x\", kind: COMPANY, trades: [CLEANING], capacity: 1 }) { id } }".into(), json!({ "id": ids.contractor })),
        ("addContractorContract", "mutation($id: ID!) { addContractorContract(contractorId: $id, contract: { startsOn: \"2026-01-01\", endsOn: \"2026-12-31\", rateKind: PER_JOB, rate: \"1\" }) { id } }".into(), json!({ "id": ids.contractor })),
        ("contractorAccount", "query($id: ID!) { contractorAccount(contractorId: $id) { owed { fen } } }".into(), json!({ "id": ids.contractor })),
        ("payContractor", "mutation($id: ID!) { payContractor(input: { contractorId: $id, costIds: [$id], method: CASH, reference: \"x\", paidAt: \"2026-11-01T00:00:00Z\", idempotencyKey: \"steal\" }) { owed { fen } } }".into(), json!({ "id": ids.contractor })),
        ("dispatchRules", "query($id: ID!) { dispatchRules(compoundId: $id) { normalResolve } }".into(), json!({ "id": ids.compound })),
        ("setDispatchRules", "mutation($id: ID!) { setDispatchRules(compoundId: $id, input: { emergencyRespond: 10, emergencyResolve: 60, urgentRespond: 60, urgentResolve: 120, normalRespond: 60, normalResolve: 120, confirmAbove: \"0\" }) { normalResolve } }".into(), json!({ "id": ids.compound })),
        ("recordDemandNotice", "mutation($id: ID!) { recordDemandNotice(input: { householdId: $id, kind: REMINDER, note: \"x\" }) { id } }".into(), json!({ "id": ids.household })),
        ("matters", "query($id: ID!) { matters(compoundId: $id) { title } }".into(), json!({ "id": ids.compound })),
        ("matter", "query($id: ID!) { matter(id: $id) { title } }".into(), json!({ "id": ids.matter })),
        ("committee", "query($id: ID!) { committee(compoundId: $id) { name } }".into(), json!({ "id": ids.compound })),
        ("draftMatter", "mutation($i: MatterInput!) { draftMatter(input: $i) { id } }".into(), json!({ "i": super::governance::matter_input(&ids.compound, "OTHER", false) })),
        ("openVote", "mutation($id: ID!) { openVote(id: $id) { state } }".into(), json!({ "id": ids.matter })),
        ("closeVote", "mutation($id: ID!) { closeVote(id: $id) { state } }".into(), json!({ "id": ids.matter })),
        ("castBallot", "mutation($id: ID!) { castBallot(matterId: $id, choice: YES) { voterNo } }".into(), json!({ "id": ids.matter })),
        ("appointCommitteeMember", "mutation($id: ID!) { appointCommitteeMember(input: { compoundId: $id, body: OWNERS_COMMITTEE, name: \"x\", post: CHAIR, termFrom: \"2026-01-01\", termTo: \"2026-12-31\" }) { id } }".into(), json!({ "id": ids.compound })),
        ("budgets", "query($id: ID!) { budgets(compoundId: $id) { id } }".into(), json!({ "id": ids.compound })),
        ("budget", "query($id: ID!) { budget(id: $id) { budget { id } } }".into(), json!({ "id": ids.budget })),
        ("startBudget", "mutation($id: ID!) { startBudget(input: { compoundId: $id, year: 2027, title: \"入侵\" }) { id } }".into(), json!({ "id": ids.compound })),
        ("reviseBudget", "mutation($id: ID!) { reviseBudget(input: { budgetId: $id, lines: [{ category: FEES, amount: \"1\" }] }) { number } }".into(), json!({ "id": ids.budget })),
        ("advanceBudget", "mutation($id: ID!, $m: ID!) { advanceBudget(input: { budgetId: $id, to: IMPLEMENTATION, matterId: $m, note: \"x\", reviewer: \"x\", supervisors: [\"甲\", \"乙\", \"丙\", \"丁\", \"戊\"] }) { step } }".into(), json!({ "id": ids.budget, "m": ids.matter })),
        ("sendBudgetBack", "mutation($id: ID!) { sendBudgetBack(budgetId: $id, reason: \"x\") { step } }".into(), json!({ "id": ids.budget })),
        ("askBudgetQuestion", "mutation($id: ID!) { askBudgetQuestion(budgetId: $id, question: \"x\") { id } }".into(), json!({ "id": ids.budget })),
        ("answerBudgetQuestion", "mutation($id: ID!) { answerBudgetQuestion(id: $id, answer: \"x\") { id } }".into(), json!({ "id": ids.question })),
        ("endCommitteeTerm", "mutation($id: ID!) { endCommitteeTerm(id: $id, on: \"2026-06-01\") { id } }".into(), json!({ "id": ids.seat })),
    ]
}

/// Every case, called with `token`, answers NOT_FOUND or FORBIDDEN, returns no data and
/// names nothing of the compound `name`; the compound is unchanged afterwards.
async fn assert_unreachable(app: &TestApp, token: &str, ids: &Ids, name: &str, who: &str) {
    let snapshot = "query($c: ID!, $b: ID!) { compound(id: $c) { name archivedAt householdCount buildings { label } bundle { name archivedAt } }
                    ledgerAccounts(compoundId: $c) { edges { node { id balance { fen } archived } } }
                    feeSchedules(compoundId: $c) { id } addonActivations(compoundId: $c) { id }
                    collection(compoundId: $c, from: \"2026-11\", to: \"2026-11\") { due { fen } collected { fen } }
                    businessUseResolutions(compoundId: $c) { id } incomeSplitRules(compoundId: $c) { id }
                    commonIncomeMonth(compoundId: $c, period: \"2026-11\") { records { id } costs { id } close { id } }
                    publicBoardPath(compoundId: $c) committeePayouts(compoundId: $c) { id status } parkingPasses(compoundId: $c) { id cancelledFrom }
                    advertisingContracts(compoundId: $c) { id to status paid { fen } placements { compoundId } }
                    workOrders(compoundId: $c) { edges { node { id state updatedAt } } }
                    contractors { id name capacity contracts { id } } dispatchRules(compoundId: $c) { normalResolve confirmAbove { fen } }
                    matters(compoundId: $c) { id state participation { owners } } committee(compoundId: $c) { id lastDay }
                    budgets(compoundId: $c) { id step matterId }
                    budget(id: $b) { versions { number } steps { to } questions { id answer } } }";
    let admin = app.login("admin@demo.test").await;
    let before = app
        .gql(
            Some(&admin),
            snapshot,
            json!({ "c": ids.compound, "b": ids.budget }),
        )
        .await;

    for (field, query, vars) in cases(ids) {
        let body = app.gql(Some(token), &query, vars).await;
        let code = error_code(&body);
        assert!(
            matches!(code, Some("NOT_FOUND" | "FORBIDDEN")),
            "{who}, {field}: expected NOT_FOUND/FORBIDDEN, got {body}"
        );
        assert!(
            body["data"].is_null() || body["data"][field].is_null(),
            "{who}, {field} returned data: {body}"
        );
        let text = body.to_string();
        assert!(
            !text.contains(name) && !text.contains(&ids.household),
            "{who}, {field} leaked: {text}"
        );
    }

    let (_, answer) = super::governance::paper(app, token, &ids.matter, "1", "yes").await;
    assert!(
        matches!(error_code(&answer), Some("NOT_FOUND" | "FORBIDDEN")),
        "{who}, paper ballot: {answer}"
    );

    let after = app
        .gql(
            Some(&admin),
            snapshot,
            json!({ "c": ids.compound, "b": ids.budget }),
        )
        .await;
    assert_eq!(before, after, "{who} changed the demo firm's data");
}

#[tokio::test]
async fn another_firms_ids_are_not_found_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let ids = demo_ids(&app, "国泰花园").await;
    let rival = app.login("admin@rival.test").await;
    assert_unreachable(&app, &rival, &ids, "国泰", "the rival firm").await;
}

#[tokio::test]
async fn ids_outside_a_scoped_roles_reach_are_not_found_and_nothing_changes() {
    let app = TestApp::spawn().await;
    // In the other bundle: outside the grid worker's bundle, the committee member's compound,
    // the resident's household and any contractor's jobs.
    let ids = demo_ids(&app, "龙沙乡家属楼").await;
    for who in [
        "grid@demo.test",
        "committee@demo.test",
        "resident@demo.test",
        "contractor@demo.test",
    ] {
        let token = app.login(who).await;
        assert_unreachable(&app, &token, &ids, "龙沙乡", who).await;
    }
}

#[tokio::test]
async fn only_the_household_and_the_book_keepers_see_its_bills() {
    let app = TestApp::spawn().await;
    let ids = demo_ids(&app, "国泰花园").await;
    let bills = "query($h: ID!) { householdAccount(householdId: $h) { invoices { lines { kind amount { fen } } } } }";
    let payment = "query($p: ID!) { payment(id: $p) { receiptNo } }";
    for who in [
        "dispatcher@demo.test",
        "grid@demo.test",
        "committee@demo.test",
    ] {
        let token = app.login(who).await;
        let body = app
            .gql(Some(&token), bills, json!({ "h": ids.household }))
            .await;
        assert!(
            matches!(error_code(&body), Some("FORBIDDEN" | "NOT_FOUND")),
            "{who}: {body}"
        );
        assert!(body["data"].is_null(), "{who}: {body}");
        let body = app
            .gql(Some(&token), payment, json!({ "p": ids.payment }))
            .await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{who}: {body}");
    }
    for who in ["accountant@demo.test", "admin@demo.test"] {
        let token = app.login(who).await;
        let body = app
            .gql(Some(&token), bills, json!({ "h": ids.household }))
            .await;
        assert!(
            body["data"]["householdAccount"]["invoices"][0]["lines"].is_array(),
            "{who}: {body}"
        );
    }
}

fn type_name(t: &Value) -> Option<&str> {
    t["name"].as_str().or_else(|| type_name(&t["ofType"]))
}

#[tokio::test]
async fn every_id_taking_field_is_covered() {
    let app = TestApp::spawn_empty().await;
    let q = "{ __schema { queryType { fields { name args { name type { ...T } } } } mutationType { fields { name args { name type { ...T } } } }
                types { name inputFields { name type { ...T } } } } }
             fragment T on __Type { name ofType { name ofType { name ofType { name } } } }";
    let body = app.gql(None, q, json!({})).await;
    let types = body["data"]["__schema"]["types"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // An input takes an id when one of its fields is an id or an input that takes one.
    fn input_has_id(types: &[Value], name: &str, depth: usize) -> bool {
        depth < 4
            && types.iter().any(|t| {
                t["name"] == name
                    && t["inputFields"].as_array().is_some_and(|fs| {
                        fs.iter().any(|f| {
                            type_name(&f["type"])
                                .is_some_and(|n| n == "ID" || input_has_id(types, n, depth + 1))
                        })
                    })
            })
    }
    let mut taking_ids = BTreeSet::new();
    for root in ["queryType", "mutationType"] {
        for f in body["data"]["__schema"][root]["fields"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let takes = f["args"].as_array().is_some_and(|args| {
                args.iter().any(|a| {
                    type_name(&a["type"]).is_some_and(|t| t == "ID" || input_has_id(&types, t, 0))
                })
            });
            if takes {
                taking_ids.insert(f["name"].as_str().unwrap_or_default().to_owned());
            }
        }
    }
    let dummy = Ids {
        bundle: String::new(),
        compound: String::new(),
        building: String::new(),
        household: String::new(),
        person: String::new(),
        account: String::new(),
        entry: String::new(),
        run: String::new(),
        payment: String::new(),
        grant: String::new(),
        hardship: String::new(),
        invoice: String::new(),
        membership: String::new(),
        resolution: String::new(),
        payout: String::new(),
        contract: String::new(),
        pass: String::new(),
        order: String::new(),
        contractor: String::new(),
        matter: String::new(),
        seat: String::new(),
        budget: String::new(),
        question: String::new(),
    };
    let covered: BTreeSet<String> = cases(&dummy)
        .into_iter()
        .map(|(f, _, _)| f.to_owned())
        .collect();
    assert!(!taking_ids.is_empty(), "{body}");
    assert_eq!(
        taking_ids, covered,
        "add an isolation case for each new id-taking field"
    );
}

/// Row-level security exists only on PostgreSQL.
#[tokio::test]
#[ignore = "PostgreSQL only: the PostgreSQL pass of scripts/test runs it"]
async fn without_the_tenant_setting_the_app_role_sees_no_rows() {
    let app = TestApp::spawn_on_postgres().await;
    use sea_orm::{ConnectionTrait, Statement};
    let conn = app.db.connection();
    for table in migrations::TENANT_TABLES {
        let row = conn
            .query_one_raw(Statement::from_string(
                app.db.backend(),
                format!("SELECT count(*) AS n FROM {table}"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        let n: i64 = row.and_then(|r| r.try_get("", "n").ok()).unwrap_or(-1);
        assert_eq!(n, 0, "{table} is readable without a tenant");
    }
    // With the setting, in a transaction, the same role sees the tenant's rows.
    let owner = app.owner_db().await.unwrap_or_else(|| unreachable!());
    let tenant: uuid::Uuid = owner
        .connection()
        .query_one_raw(Statement::from_string(
            owner.backend(),
            "SELECT id FROM tenants WHERE slug = 'demo'",
        ))
        .await
        .ok()
        .flatten()
        .and_then(|r| r.try_get("", "id").ok())
        .unwrap_or_default();
    let tx = app
        .db
        .begin_tenant(tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let n: i64 = tx
        .query_one_raw(Statement::from_string(
            app.db.backend(),
            "SELECT count(*) AS n FROM households",
        ))
        .await
        .ok()
        .flatten()
        .and_then(|r| r.try_get("", "n").ok())
        .unwrap_or(-1);
    assert_eq!(n, 836);
    tx.rollback().await.ok();
    // And the role cannot switch the policy off.
    let bypass = conn
        .execute_unprepared("ALTER TABLE households DISABLE ROW LEVEL SECURITY")
        .await;
    assert!(bypass.is_err(), "the app role must not own the tables");
}
