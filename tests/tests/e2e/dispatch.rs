//! Contractor dispatch through the API: a resident's report to a rated repair, with the
//! household's agreement to the estimate and the cost in the ledger; the state machine's
//! refusals; a decline passed on; an unanswered dispatch escalated on a held clock, once even
//! when two servers try; bad input; and contractors with their scorecards.

use courtyard_tests::{TestApp, error_code, error_field};
use serde_json::{Value, json};

use crate::billing::at;
use crate::tenancy::compound_id;

pub const REPORT: &str = "mutation($i: ReportWorkOrderInput!) { reportWorkOrder(input: $i) { id number state location } }";
pub const FILE: &str = "mutation($id: ID!, $i: FileWorkOrderInput!) { fileWorkOrder(id: $id, input: $i) { state awaitsConfirmation estimate { fen } } }";
pub const DISPATCH: &str = "mutation($id: ID!, $c: ID) { dispatchWorkOrder(id: $id, contractorId: $c) { state contractor { name } respondBy } }";
const DETAIL: &str = "query($id: ID!) { workOrder(id: $id) { myParts order { state cost { fen } rating contractor { name } overdue }
    timeline { seq action from to actor contractor { name } note } } }";

pub fn ok<'a>(body: &'a Value, field: &str) -> &'a Value {
    assert!(body["errors"].is_null(), "{field}: {body}");
    &body["data"][field]
}

pub fn refused(body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(body), Some(code), "{body}");
    assert_eq!(error_field(body), field, "{body}");
}

pub async fn mv(app: &TestApp, token: &str, op: &str, id: &str, args: &str) -> Value {
    let q = format!("mutation($id: ID!) {{ {op}(id: $id{args}) {{ state }} }}");
    app.gql(Some(token), &q, json!({ "id": id })).await
}

/// The resident's household (the first of the first compound, 燎原新村).
pub async fn residents_household(app: &TestApp, token: &str) -> String {
    let body = app
        .gql(
            Some(token),
            "{ households { edges { node { id } } } }",
            json!({}),
        )
        .await;
    body["data"]["households"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// Reports a leak in the resident's household; returns the order's id.
pub async fn report_leak(app: &TestApp, resident: &str, household: &str) -> String {
    let body = app
        .gql(
            Some(resident),
            REPORT,
            json!({ "i": { "householdId": household, "locationKind": "HOUSEHOLD",
        "trade": "PLUMBING", "priority": "URGENT", "description": "厨房水龙头关不紧" } }),
        )
        .await;
    ok(&body, "reportWorkOrder")["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// What `token`'s holder reads of an order: its state, parts and timeline.
async fn detail(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app.gql(Some(token), DETAIL, json!({ "id": id })).await;
    ok(&body, "workOrder").clone()
}

pub async fn balance(app: &TestApp, token: &str, household: &str) -> i64 {
    let body = app
        .gql(
            Some(token),
            "query($h: ID!) { householdAccount(householdId: $h) { balance { fen } } }",
            json!({ "h": household }),
        )
        .await;
    ok(&body, "householdAccount")["balance"]["fen"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"))
}

#[tokio::test]
async fn a_leak_goes_from_the_residents_report_to_a_rated_repair_charged_to_the_household() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let resident = app.login("resident@demo.test").await;
    let dispatcher = app.login("dispatcher@demo.test").await;
    let contractor = app.login("contractor@demo.test").await;
    let accountant = app.login("accountant@demo.test").await;
    let household = residents_household(&app, &resident).await;
    let id = report_leak(&app, &resident, &household).await;

    // Filed as the household's charge, estimated at 150 yuan: above 100, so it waits for them.
    let filing = json!({ "id": id, "i": { "trade": "PLUMBING", "priority": "URGENT", "bearer": "HOUSEHOLD", "estimate": "150" } });
    let filed = app.gql(Some(&dispatcher), FILE, filing).await;
    assert_eq!(ok(&filed, "fileWorkOrder")["awaitsConfirmation"], true);
    let early = app
        .gql(Some(&dispatcher), DISPATCH, json!({ "id": id }))
        .await;
    refused(&early, "CONFLICT", Some("bearer"));
    let confirmed = mv(&app, &resident, "confirmWorkOrderCharge", &id, "").await;
    assert_eq!(ok(&confirmed, "confirmWorkOrderCharge")["state"], "FILED");

    // The ranking: only the plumber can take it; the dispatcher sends it to the first.
    let ranked = app.gql(Some(&dispatcher), "query($id: ID!) { dispatchCandidates(orderId: $id) { contractor { name } place ineligible } }", json!({ "id": id })).await;
    let ranked = ok(&ranked, "dispatchCandidates")
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        ranked[0]["contractor"]["name"], "陈师傅水电维修",
        "{ranked:?}"
    );
    assert_eq!(ranked[0]["place"], 1);
    assert!(
        ranked[1..]
            .iter()
            .all(|c| c["place"].is_null()
                && c["ineligible"].as_array().is_some_and(|i| !i.is_empty())),
        "{ranked:?}"
    );
    let sent = app
        .gql(Some(&dispatcher), DISPATCH, json!({ "id": id }))
        .await;
    assert_eq!(
        ok(&sent, "dispatchWorkOrder")["contractor"]["name"],
        "陈师傅水电维修"
    );
    // An urgent order must be answered within two hours.
    assert_eq!(
        sent["data"]["dispatchWorkOrder"]["respondBy"],
        "2026-12-10T04:00:00+00:00"
    );

    for op in ["acceptWorkOrder", "startWorkOrder"] {
        ok(&mv(&app, &contractor, op, &id, "").await, op);
    }
    // More than the household agreed to is refused, and changes nothing.
    let over = mv(
        &app,
        &contractor,
        "completeWorkOrder",
        &id,
        ", cost: \"180\"",
    )
    .await;
    refused(&over, "BAD_USER_INPUT", Some("cost"));
    let before = balance(&app, &accountant, &household).await;
    let done = mv(
        &app,
        &contractor,
        "completeWorkOrder",
        &id,
        ", cost: \"120.50\", note: \"换了阀芯\"",
    )
    .await;
    assert_eq!(ok(&done, "completeWorkOrder")["state"], "COMPLETED");
    assert_eq!(
        balance(&app, &accountant, &household).await,
        before,
        "posted before verification"
    );
    ok(
        &mv(&app, &resident, "verifyWorkOrder", &id, "").await,
        "verifyWorkOrder",
    );
    assert_eq!(
        balance(&app, &accountant, &household).await,
        before + 12_050
    );
    ok(
        &mv(
            &app,
            &resident,
            "rateWorkOrder",
            &id,
            ", stars: 5, comment: \"师傅很细心\"",
        )
        .await,
        "rateWorkOrder",
    );
    let again = mv(&app, &resident, "rateWorkOrder", &id, ", stars: 1").await;
    refused(&again, "CONFLICT", Some("stars"));
    ok(
        &mv(&app, &dispatcher, "closeWorkOrder", &id, "").await,
        "closeWorkOrder",
    );

    let d = &detail(&app, &resident, &id).await;
    assert_eq!(d["order"]["state"], "CLOSED");
    assert_eq!(d["order"]["cost"]["fen"], 12_050);
    assert_eq!(d["order"]["rating"], 5);
    assert_eq!(d["myParts"], json!(["REPORTER"]));
    let actions: Vec<&str> = d["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "REPORT",
            "FILE",
            "CONFIRM_CHARGE",
            "DISPATCH",
            "ACCEPT",
            "START",
            "COMPLETE",
            "VERIFY",
            "RATE",
            "CLOSE"
        ]
    );
    assert_eq!(d["timeline"][6]["note"], "换了阀芯");
    assert_eq!(d["timeline"][6]["contractor"]["name"], "陈师傅水电维修");

    // The scorecard: one job, on time, five stars, 120.50 on average, all of it plumbing.
    let cards = app.gql(Some(&dispatcher), "{ contractors { name scorecard { openJobs completed onTimePermille averageRatingCenti averageCost { fen } byTrade { trade completed averageCost { fen } } } } }", json!({})).await;
    let chen = ok(&cards, "contractors")
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == "陈师傅水电维修")
        .cloned()
        .unwrap_or_default();
    // The demo's stairwell light is still open with him.
    assert_eq!(
        chen["scorecard"],
        json!({ "openJobs": 1, "completed": 1, "onTimePermille": 1000, "averageRatingCenti": 500, "averageCost": { "fen": 12_050 },
            "byTrade": [{ "trade": "PLUMBING", "completed": 1, "averageCost": { "fen": 12_050 } }] })
    );
}

#[tokio::test]
async fn each_part_may_do_only_its_own_moves_and_only_from_the_right_state() {
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let dispatcher = app.login("dispatcher@demo.test").await;
    let contractor = app.login("contractor@demo.test").await;
    let grid = app.login("grid@demo.test").await;
    let household = residents_household(&app, &resident).await;
    let id = report_leak(&app, &resident, &household).await;

    // The resident may not file; the contractor does not see an order not theirs.
    let filing = json!({ "id": id, "i": { "trade": "PLUMBING", "priority": "NORMAL", "bearer": "COMPOUND_BUDGET" } });
    refused(
        &app.gql(Some(&resident), FILE, filing.clone()).await,
        "FORBIDDEN",
        None,
    );
    refused(
        &mv(&app, &contractor, "acceptWorkOrder", &id, "").await,
        "NOT_FOUND",
        None,
    );
    // A grid worker of the bundle sees it but may not dispatch it.
    assert_eq!(detail(&app, &grid, &id).await["myParts"], json!([]));
    refused(
        &app.gql(Some(&grid), DISPATCH, json!({ "id": id })).await,
        "FORBIDDEN",
        None,
    );
    // Dispatching a report not yet filed is a move from the wrong state.
    refused(
        &app.gql(Some(&dispatcher), DISPATCH, json!({ "id": id }))
            .await,
        "CONFLICT",
        Some("state"),
    );

    ok(
        &app.gql(Some(&dispatcher), FILE, filing).await,
        "fileWorkOrder",
    );
    ok(
        &app.gql(Some(&dispatcher), DISPATCH, json!({ "id": id }))
            .await,
        "dispatchWorkOrder",
    );
    // Only the contractor accepts; accepting twice is refused.
    refused(
        &mv(&app, &dispatcher, "acceptWorkOrder", &id, "").await,
        "FORBIDDEN",
        None,
    );
    ok(
        &mv(&app, &contractor, "acceptWorkOrder", &id, "").await,
        "acceptWorkOrder",
    );
    refused(
        &mv(&app, &contractor, "acceptWorkOrder", &id, "").await,
        "CONFLICT",
        Some("state"),
    );
    // The resident may cancel before dispatch only; the dispatcher may, saying why.
    refused(
        &mv(
            &app,
            &resident,
            "cancelWorkOrder",
            &id,
            ", note: \"不修了\"",
        )
        .await,
        "FORBIDDEN",
        None,
    );
    refused(
        &mv(&app, &dispatcher, "cancelWorkOrder", &id, ", note: \" \"").await,
        "BAD_USER_INPUT",
        Some("note"),
    );
    let cancelled = mv(
        &app,
        &dispatcher,
        "cancelWorkOrder",
        &id,
        ", note: \"住户已自行修好\"",
    )
    .await;
    assert_eq!(ok(&cancelled, "cancelWorkOrder")["state"], "CANCELLED");
    for (who, op, args) in [
        (&contractor, "startWorkOrder", ""),
        (&resident, "reopenWorkOrder", ", note: \"x\""),
        (&dispatcher, "closeWorkOrder", ""),
    ] {
        let body = mv(&app, who, op, &id, args).await;
        assert!(
            matches!(error_code(&body), Some("CONFLICT" | "NOT_FOUND")),
            "{op}: {body}"
        );
    }
    // Nothing moved it after the cancellation.
    assert_eq!(
        detail(&app, &dispatcher, &id).await["timeline"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
}

/// A stairwell light in 燎原新村, filed and dispatched to 陈师傅 by the dispatcher.
async fn dispatched_light(app: &TestApp, dispatcher: &str, priority: &str) -> String {
    let compound = compound_id(app, dispatcher, "燎原新村").await;
    let body = app.gql(Some(dispatcher), REPORT, json!({ "i": { "compoundId": compound, "locationKind": "STAIRWELL",
        "location": "2栋 一楼", "trade": "ELECTRICAL", "priority": priority, "description": "灯不亮" } })).await;
    let id = ok(&body, "reportWorkOrder")["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let filing = json!({ "id": id, "i": { "trade": "ELECTRICAL", "priority": priority, "bearer": "COMPOUND_BUDGET" } });
    ok(
        &app.gql(Some(dispatcher), FILE, filing).await,
        "fileWorkOrder",
    );
    let chen = contractor_id(app, dispatcher, "陈师傅水电维修").await;
    let sent = app
        .gql(Some(dispatcher), DISPATCH, json!({ "id": id, "c": chen }))
        .await;
    assert_eq!(
        ok(&sent, "dispatchWorkOrder")["contractor"]["name"],
        "陈师傅水电维修"
    );
    id
}

#[tokio::test]
async fn a_declined_order_is_passed_on_to_the_next_in_the_ranking() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login("dispatcher@demo.test").await;
    let contractor = app.login("contractor@demo.test").await;
    let id = dispatched_light(&app, &dispatcher, "NORMAL").await;
    refused(
        &app.gql(
            Some(&contractor),
            "mutation($id: ID!) { declineWorkOrder(id: $id, note: \"\") { state } }",
            json!({ "id": id }),
        )
        .await,
        "BAD_USER_INPUT",
        Some("note"),
    );
    let declined = app.gql(Some(&contractor), "mutation($id: ID!) { declineWorkOrder(id: $id, note: \"今天在外地\") { state contractor { name } } }", json!({ "id": id })).await;
    let d = ok(&declined, "declineWorkOrder");
    assert_eq!(d["state"], "DISPATCHED");
    assert_eq!(d["contractor"]["name"], "物业维修班（自有）");
    let timeline = detail(&app, &dispatcher, &id).await["timeline"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let last: Vec<(&str, &str, &str)> = timeline[timeline.len() - 2..]
        .iter()
        .map(|t| {
            (
                t["action"].as_str().unwrap_or(""),
                t["actor"].as_str().unwrap_or(""),
                t["contractor"]["name"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        last,
        [
            ("DECLINE", "CONTRACTOR", "陈师傅水电维修"),
            ("DISPATCH", "SYSTEM", "物业维修班（自有）")
        ]
    );
    // The one who declined no longer sees it, and may not be sent it again.
    refused(
        &mv(&app, &contractor, "acceptWorkOrder", &id, "").await,
        "NOT_FOUND",
        None,
    );
    let chen = contractor_id(&app, &dispatcher, "陈师傅水电维修").await;
    let again = app
        .gql(Some(&dispatcher), DISPATCH, json!({ "id": id, "c": chen }))
        .await;
    refused(&again, "BAD_USER_INPUT", Some("contractorId"));
}

async fn contractor_id(app: &TestApp, token: &str, name: &str) -> Value {
    let body = app
        .gql(Some(token), "{ contractors { id name } }", json!({}))
        .await;
    ok(&body, "contractors")
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == name)
        .map(|c| c["id"].clone())
        .unwrap_or_else(|| panic!("no contractor {name}: {body}"))
}

/// How many times the order was escalated, and who holds it now.
async fn escalations(app: &TestApp, token: &str, id: &str) -> (usize, Value) {
    let d = detail(app, token, id).await;
    let n = d["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["action"] == "ESCALATE")
        .count();
    (n, d["order"]["contractor"]["name"].clone())
}

#[tokio::test]
async fn an_unanswered_dispatch_is_escalated_once_after_its_deadline() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let dispatcher = app.login("dispatcher@demo.test").await;
    let tenant = demo_tenant(&app).await;
    let escalate = || api::dispatch::escalate_overdue(&app.db, tenant);
    // Whatever of the demo's own orders is overdue now is passed on first.
    escalate().await.unwrap_or_else(|e| panic!("{e}"));
    let id = dispatched_light(&app, &dispatcher, "URGENT").await;
    // Within the two hours nothing happens to it.
    app.db.clock().hold_at(at("2026-12-10T03:59:00Z"));
    assert_eq!(escalate().await.ok(), Some(0));
    assert_eq!(escalations(&app, &dispatcher, &id).await.0, 0);
    // After them, two watchers at once (as two servers would) pass it on once.
    app.db.clock().hold_at(at("2026-12-10T04:01:00Z"));
    let (a, b) = tokio::join!(escalate(), escalate());
    let total = a.unwrap_or_else(|e| panic!("{e}")) + b.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, 1);
    assert_eq!(
        escalations(&app, &dispatcher, &id).await,
        (1, json!("物业维修班（自有）"))
    );
    // Its new contractor has two hours of their own.
    assert_eq!(escalate().await.ok(), Some(0));
    assert_eq!(escalations(&app, &dispatcher, &id).await.0, 1);
}

async fn demo_tenant(app: &TestApp) -> uuid::Uuid {
    let tx = app
        .db
        .begin_global()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let firm = api::tenancy::tenants::find_by_slug(&tx, "demo")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no demo firm"));
    firm.id
}

#[tokio::test]
async fn bad_reports_filings_and_moves_name_their_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let dispatcher = app.login("dispatcher@demo.test").await;
    let household = residents_household(&app, &resident).await;
    let compound = compound_id(&app, &dispatcher, "燎原新村").await;
    let common = |extra: Value| {
        let mut i = json!({ "compoundId": compound, "locationKind": "ROAD", "location": "南门", "trade": "GENERAL_REPAIR", "description": "井盖松动" });
        if let (Some(i), Some(extra)) = (i.as_object_mut(), extra.as_object()) {
            i.extend(extra.clone());
        }
        json!({ "i": i })
    };
    let cases = [
        (json!({ "description": "  " }), "description"),
        (json!({ "location": null }), "location"),
        (json!({ "location": "长".repeat(201) }), "location"),
        (json!({ "householdId": household }), "householdId"),
        (
            json!({ "locationKind": "HOUSEHOLD", "householdId": null }),
            "householdId",
        ),
    ];
    for (extra, field) in cases {
        let body = app
            .gql(Some(&resident), REPORT, common(extra.clone()))
            .await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    let listed = app
        .gql(
            Some(&dispatcher),
            "{ workOrders(states: [REPORTED]) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let reported = ok(&listed, "workOrders")["edges"].as_array().map(Vec::len);
    assert_eq!(reported, Some(1), "only the demo's own report: {listed}");

    let id = report_leak(&app, &resident, &household).await;
    let common_id = {
        let body = app.gql(Some(&dispatcher), REPORT, common(json!({}))).await;
        ok(&body, "reportWorkOrder")["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let filings = [
        (&id, json!({ "bearer": "HOUSEHOLD" }), "estimate"),
        (
            &id,
            json!({ "bearer": "HOUSEHOLD", "estimate": "0" }),
            "estimate",
        ),
        (
            &id,
            json!({ "bearer": "HOUSEHOLD", "estimate": "-5" }),
            "estimate",
        ),
        (
            &id,
            json!({ "bearer": "HOUSEHOLD", "estimate": "99999999999999999" }),
            "estimate",
        ),
        (
            &common_id,
            json!({ "bearer": "HOUSEHOLD", "estimate": "50" }),
            "bearer",
        ),
    ];
    for (order, extra, field) in filings {
        let mut i = json!({ "trade": "PLUMBING", "priority": "NORMAL" });
        if let (Some(i), Some(extra)) = (i.as_object_mut(), extra.as_object()) {
            i.extend(extra.clone());
        }
        let body = app
            .gql(Some(&dispatcher), FILE, json!({ "id": order, "i": i }))
            .await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    assert_eq!(
        detail(&app, &dispatcher, &id).await["order"]["state"],
        "REPORTED"
    );
    let unknown = mv(
        &app,
        &dispatcher,
        "closeWorkOrder",
        "0190d3c4-0000-7000-8000-000000000000",
        "",
    )
    .await;
    refused(&unknown, "NOT_FOUND", None);
    refused(
        &mv(&app, &dispatcher, "closeWorkOrder", "not-an-id", "").await,
        "BAD_USER_INPUT",
        Some("id"),
    );
    let stars = mv(&app, &resident, "rateWorkOrder", &id, ", stars: 6").await;
    refused(&stars, "BAD_USER_INPUT", Some("stars"));

    // A first round of work costs something, never less than nothing, and is completed only
    // once it is under way.
    let contractor = app.login("contractor@demo.test").await;
    let light = dispatched_light(&app, &dispatcher, "NORMAL").await;
    let early = mv(
        &app,
        &contractor,
        "completeWorkOrder",
        &light,
        ", cost: \"50\"",
    )
    .await;
    refused(&early, "CONFLICT", Some("state"));
    for op in ["acceptWorkOrder", "startWorkOrder"] {
        ok(&mv(&app, &contractor, op, &light, "").await, op);
    }
    for cost in ["0", "-0.01", "99999999999999999"] {
        let args = format!(", cost: \"{cost}\"");
        let body = mv(&app, &contractor, "completeWorkOrder", &light, &args).await;
        refused(&body, "BAD_USER_INPUT", Some("cost"));
    }
    let d = detail(&app, &dispatcher, &light).await;
    assert_eq!(d["order"]["state"], "IN_PROGRESS");
    assert_eq!(d["order"]["cost"], Value::Null);
}

#[tokio::test]
async fn contractors_are_registered_with_checked_terms_and_only_by_firm_wide_dispatch() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let compound = compound_id(&app, &admin, "燎原新村").await;
    let register = "mutation($i: ContractorFields!, $k: ContractTerms!) { registerContractor(input: $i, contract: $k) { id name trades compoundIds capacity onCallFrom onCallTo contracts { rate { fen } } } }";
    let input = |extra: Value| {
        let mut i = json!({ "name": "快修锁匠", "kind": "INDIVIDUAL", "phone": "13912345678", "trades": ["LOCKSMITH"],
            "compoundIds": [compound], "capacity": 2, "onCallFrom": 1320, "onCallTo": 360 });
        if let (Some(i), Some(extra)) = (i.as_object_mut(), extra.as_object()) {
            i.extend(extra.clone());
        }
        i
    };
    let terms = json!({ "startsOn": "2026-01-01", "endsOn": "2026-12-31", "rateKind": "PER_JOB", "rate": "60" });
    let bad = [
        (input(json!({ "capacity": 0 })), terms.clone(), "capacity"),
        (input(json!({ "capacity": 101 })), terms.clone(), "capacity"),
        (input(json!({ "trades": [] })), terms.clone(), "trades"),
        (input(json!({ "name": " " })), terms.clone(), "name"),
        (input(json!({ "phone": "12" })), terms.clone(), "phone"),
        (
            input(json!({ "onCallTo": null })),
            terms.clone(),
            "onCallTo",
        ),
        (
            input(json!({ "onCallFrom": 600, "onCallTo": 600 })),
            terms.clone(),
            "onCallTo",
        ),
        (
            input(json!({ "compoundIds": [] })),
            terms.clone(),
            "compoundIds",
        ),
        (
            input(json!({})),
            json!({ "startsOn": "2026-12-31", "endsOn": "2026-01-01", "rateKind": "PER_JOB", "rate": "60" }),
            "endsOn",
        ),
        (
            input(json!({})),
            json!({ "startsOn": "2026-01-01", "endsOn": "2026-12-31", "rateKind": "PER_JOB", "rate": "0" }),
            "rate",
        ),
    ];
    for (i, k, field) in bad {
        let body = app
            .gql(Some(&admin), register, json!({ "i": i, "k": k }))
            .await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    let grid = app.login("grid@demo.test").await;
    let body = app
        .gql(
            Some(&grid),
            register,
            json!({ "i": input(json!({})), "k": terms }),
        )
        .await;
    refused(&body, "FORBIDDEN", None);
    let body = app
        .gql(
            Some(&admin),
            register,
            json!({ "i": input(json!({})), "k": terms }),
        )
        .await;
    let c = ok(&body, "registerContractor");
    assert_eq!(
        (c["onCallFrom"].as_u64(), c["onCallTo"].as_u64()),
        (Some(1320), Some(360))
    );
    assert_eq!(c["contracts"][0]["rate"]["fen"], 6000);
    let listed = app
        .gql(Some(&admin), "{ contractors { name } }", json!({}))
        .await;
    assert_eq!(ok(&listed, "contractors").as_array().map(Vec::len), Some(4));

    // A sign-in for the new contractor sees no order until one is theirs.
    let member = "mutation($s: ID!, $p: String) { addMember(input: { identifier: \"lock@demo.test\", displayName: \"锁匠\", initialPassword: $p, role: CONTRACTOR, scopeKind: CONTRACTOR, scopeId: $s }) { role scopeKind } }";
    let added = app
        .gql(
            Some(&admin),
            member,
            json!({ "s": c["id"], "p": courtyard_tests::PASSWORD }),
        )
        .await;
    assert_eq!(ok(&added, "addMember")["scopeKind"], "contractor");
    let unknown = app
        .gql(
            Some(&admin),
            member,
            json!({ "s": compound, "p": courtyard_tests::PASSWORD }),
        )
        .await;
    refused(&unknown, "NOT_FOUND", None);
    let lock = app.login("lock@demo.test").await;
    let jobs = app
        .gql(
            Some(&lock),
            "{ workOrders { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(ok(&jobs, "workOrders")["edges"], json!([]));
}

#[tokio::test]
#[ignore = "PostgreSQL only: the PostgreSQL pass of scripts/test runs it"]
async fn a_change_on_one_server_is_heard_on_the_other_once() {
    let app = TestApp::spawn_on_postgres().await;
    let (other, other_db) = app.another_server().await;
    let here = app.db.events().subscribe();
    let there = other_db.events().subscribe();
    // Give each server's listener a moment to start listening.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let resident = app.login("resident@demo.test").await;
    let household = residents_household(&app, &resident).await;
    // Reported through the other server.
    let client = reqwest::Client::new();
    let body = TestApp::post_gql(
        &client,
        &other,
        Some(&resident),
        REPORT,
        json!({ "i": { "householdId": household,
        "locationKind": "HOUSEHOLD", "trade": "PLUMBING", "description": "马桶漏水" } }),
    )
    .await;
    let id = ok(&body, "reportWorkOrder")["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // How many times each server hears of this order within `wait` (the demo's own events,
    // relayed late, may come first and are not counted).
    let times = |mut rx: tokio::sync::broadcast::Receiver<api::platform::events::Published>,
                 wait: u64| {
        let id = id.clone();
        async move {
            let mut n = 0;
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(wait);
            while let Ok(Ok(p)) = tokio::time::timeout_at(deadline, rx.recv()).await {
                if matches!(p.event, domain::Event::WorkOrderChanged { order, .. } if order.to_string() == id)
                {
                    n += 1;
                }
            }
            n
        }
    };
    let (on_this, on_that) = tokio::join!(times(here, 3000), times(there, 3000));
    assert_eq!(on_this, 1, "relayed through PostgreSQL, once");
    assert_eq!(
        on_that, 1,
        "heard where it happened, and not again from PostgreSQL"
    );
}

const SET_RULES: &str = "mutation($c: ID!, $i: DispatchRulesInput!) { setDispatchRules(compoundId: $c, input: $i) { urgentRespond normalResolve confirmAbove { fen } } }";

fn rules(extra: Value) -> Value {
    let mut i = json!({ "emergencyRespond": 10, "emergencyResolve": 120, "urgentRespond": 60, "urgentResolve": 480,
        "normalRespond": 600, "normalResolve": 2880, "confirmAbove": "50" });
    if let (Some(i), Some(extra)) = (i.as_object_mut(), extra.as_object()) {
        i.extend(extra.clone());
    }
    i
}

#[tokio::test]
async fn a_compounds_own_time_limits_and_threshold_govern_its_new_orders() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let dispatcher = app.login("dispatcher@demo.test").await;
    let resident = app.login("resident@demo.test").await;
    let household = residents_household(&app, &resident).await;
    let compound = app
        .gql(
            Some(&resident),
            "query($h: ID!) { household(id: $h) { compound { id } } }",
            json!({ "h": household }),
        )
        .await;
    let compound = compound["data"]["household"]["compound"]["id"].clone();
    let read = "query($c: ID!) { dispatchRules(compoundId: $c) { normalRespond normalResolve confirmAbove { fen } } }";
    let defaults = app
        .gql(Some(&dispatcher), read, json!({ "c": compound }))
        .await;
    assert_eq!(
        ok(&defaults, "dispatchRules"),
        &json!({ "normalRespond": 1440, "normalResolve": 4320, "confirmAbove": { "fen": 10_000 } })
    );

    let bad = [
        (json!({ "urgentRespond": 500 }), "urgentRespond"),
        (json!({ "emergencyRespond": 0 }), "emergencyRespond"),
        (json!({ "emergencyRespond": -5 }), "emergencyRespond"),
        (json!({ "normalResolve": 43_201 }), "normalResolve"),
        (json!({ "confirmAbove": "-1" }), "confirmAbove"),
        (json!({ "confirmAbove": "abc" }), "confirmAbove"),
    ];
    for (extra, field) in bad {
        let body = app
            .gql(
                Some(&dispatcher),
                SET_RULES,
                json!({ "c": compound, "i": rules(extra) }),
            )
            .await;
        refused(&body, "BAD_USER_INPUT", Some(field));
    }
    let grid = app.login("grid@demo.test").await;
    refused(
        &app.gql(
            Some(&grid),
            SET_RULES,
            json!({ "c": compound, "i": rules(json!({})) }),
        )
        .await,
        "FORBIDDEN",
        None,
    );
    let after_refusals = app
        .gql(Some(&dispatcher), read, json!({ "c": compound }))
        .await;
    assert_eq!(after_refusals, defaults, "a refusal changed the rules");

    let set = app
        .gql(
            Some(&dispatcher),
            SET_RULES,
            json!({ "c": compound, "i": rules(json!({})) }),
        )
        .await;
    assert_eq!(
        ok(&set, "setDispatchRules"),
        &json!({ "urgentRespond": 60, "normalResolve": 2880, "confirmAbove": { "fen": 5000 } })
    );
    // A normal report must now be resolved in two days, and 80 yuan needs the household's word.
    let body = app
        .gql(
            Some(&resident),
            REPORT,
            json!({ "i": { "householdId": household, "locationKind": "HOUSEHOLD",
        "trade": "PLUMBING", "description": "水龙头滴水" } }),
        )
        .await;
    let id = ok(&body, "reportWorkOrder")["id"].clone();
    let filing = json!({ "id": id, "i": { "trade": "PLUMBING", "priority": "URGENT", "bearer": "HOUSEHOLD", "estimate": "80" } });
    let filed = app.gql(Some(&dispatcher), FILE, filing).await;
    assert_eq!(ok(&filed, "fileWorkOrder")["awaitsConfirmation"], true);
    let q = "query($id: ID!) { workOrder(id: $id) { order { resolveBy } } }";
    let order = app.gql(Some(&dispatcher), q, json!({ "id": id })).await;
    assert_eq!(
        ok(&order, "workOrder")["order"]["resolveBy"],
        "2026-12-10T10:00:00+00:00",
        "urgent: eight hours"
    );
    ok(
        &mv(
            &app,
            &resident,
            "confirmWorkOrderCharge",
            id.as_str().unwrap_or_default(),
            "",
        )
        .await,
        "confirmWorkOrderCharge",
    );
    let sent = app
        .gql(Some(&dispatcher), DISPATCH, json!({ "id": id }))
        .await;
    assert_eq!(
        ok(&sent, "dispatchWorkOrder")["respondBy"],
        "2026-12-10T03:00:00+00:00",
        "urgent: an hour to answer"
    );
}

#[tokio::test]
async fn an_order_past_its_resolution_deadline_is_noted_on_its_timeline_once() {
    let app = TestApp::spawn().await;
    app.db.clock().hold_at(at("2026-12-10T02:00:00Z"));
    let dispatcher = app.login("dispatcher@demo.test").await;
    let tenant = demo_tenant(&app).await;
    let escalate = || api::dispatch::escalate_overdue(&app.db, tenant);
    escalate().await.unwrap_or_else(|e| panic!("{e}"));
    let id = dispatched_light(&app, &dispatcher, "URGENT").await;
    let contractor = app.login("contractor@demo.test").await;
    ok(
        &mv(&app, &contractor, "acceptWorkOrder", &id, "").await,
        "acceptWorkOrder",
    );
    let noted = |detail: &Value| {
        detail["timeline"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["action"] == "OVERDUE")
            .count()
    };
    // An urgent order has a day; a minute before, nothing; after it, noted once.
    app.db.clock().hold_at(at("2026-12-11T01:59:00Z"));
    escalate().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(noted(&detail(&app, &dispatcher, &id).await), 0);
    app.db.clock().hold_at(at("2026-12-11T02:01:00Z"));
    escalate().await.unwrap_or_else(|e| panic!("{e}"));
    escalate().await.unwrap_or_else(|e| panic!("{e}"));
    let d = detail(&app, &dispatcher, &id).await;
    assert_eq!(
        (
            noted(&d),
            d["order"]["state"].as_str(),
            d["order"]["overdue"].as_bool()
        ),
        (1, Some("ACCEPTED"), Some(true))
    );
}

/// The smallest PNG signature with a little body: the store tells kinds by their first bytes.
/// A real photograph, 8 × 8 pixels.
fn png() -> Vec<u8> {
    include_bytes!("../../../frontend/e2e/leak.png").to_vec()
}

#[tokio::test]
async fn photos_are_added_by_the_orders_people_told_by_content_and_read_by_its_readers() {
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let dispatcher = app.login("dispatcher@demo.test").await;
    let contractor = app.login("contractor@demo.test").await;
    let rival = app.login("admin@rival.test").await;
    let household = residents_household(&app, &resident).await;
    let id = report_leak(&app, &resident, &household).await;
    let post = format!("/work-orders/{id}/photos");

    let mut broken = png();
    broken.truncate(40);
    let too_large = [b"\xff\xd8\xff".to_vec(), vec![0; 10 * 1024 * 1024]].concat();
    for (what, file) in [
        ("a PDF", b"%PDF-1.4 not a photo".to_vec()),
        ("a PNG cut short", broken),
        ("over 10 MB", too_large),
    ] {
        let (status, body) = app.post_file(Some(&resident), &post, file).await;
        assert_eq!(
            status,
            if what == "over 10 MB" { 413 } else { 400 },
            "{what}: {body}"
        );
        assert_eq!(error_field(&body), Some("file"), "{what}: {body}");
    }
    for (who, token) in [
        ("the contractor, not on it", &contractor),
        ("another firm", &rival),
    ] {
        let (status, body) = app.post_file(Some(token), &post, png()).await;
        assert_eq!(
            (status, error_code(&body)),
            (404, Some("NOT_FOUND")),
            "{who}: {body}"
        );
    }
    let (status, body) = app.post_file(Some(&resident), &post, png()).await;
    assert_eq!(status, 200, "{body}");
    let path = body["path"].as_str().unwrap_or_default().to_owned();

    let q = "query($id: ID!) { workOrder(id: $id) { photos { stage path thumbnailPath contentType } } }";
    let listed = app.gql(Some(&dispatcher), q, json!({ "id": id })).await;
    let thumb = format!("{path}?size=thumb");
    assert_eq!(
        ok(&listed, "workOrder")["photos"],
        json!([{ "stage": "REPORTED", "path": path, "thumbnailPath": thumb, "contentType": "image/png" }])
    );
    let (status, bytes) = app.get_file(&dispatcher, &path).await;
    assert_eq!((status, bytes), (200, png()));
    let (status, bytes) = app.get_file(&dispatcher, &thumb).await;
    assert_eq!(status, 200);
    assert!(
        bytes.starts_with(&[0xff, 0xd8, 0xff]),
        "the thumbnail is a JPEG"
    );
    let (status, _) = app.get_file(&rival, &path).await;
    assert_eq!(status, 404);

    ok(
        &mv(
            &app,
            &resident,
            "cancelWorkOrder",
            &id,
            ", note: \"自己修好了\"",
        )
        .await,
        "cancelWorkOrder",
    );
    let (status, body) = app.post_file(Some(&resident), &post, png()).await;
    assert_eq!(
        (status, error_code(&body)),
        (400, Some("CONFLICT")),
        "{body}"
    );
}

/// What `token`'s holder hears on `workOrderChanged` within `wait` (each notice's data).
async fn hears(
    app: &TestApp,
    token: &str,
    wait: std::time::Duration,
) -> tokio::task::JoinHandle<Vec<Value>> {
    app.hears(token, "subscription { workOrderChanged { orderId } }", wait)
        .await
}

#[tokio::test]
async fn a_subscriber_hears_only_the_orders_they_may_read_of_their_own_firm() {
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let wait = std::time::Duration::from_millis(1500);
    let dispatcher = hears(&app, &app.login("dispatcher@demo.test").await, wait).await;
    let contractor = hears(&app, &app.login("contractor@demo.test").await, wait).await;
    let rival = hears(&app, &app.login("admin@rival.test").await, wait).await;
    let neighbour_grid = hears(&app, &app.login("grid@demo.test").await, wait).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let household = residents_household(&app, &resident).await;
    let id = report_leak(&app, &resident, &household).await;
    let heard = |h: Vec<Value>| {
        h.iter()
            .filter(|n| n["workOrderChanged"]["orderId"] == json!(id))
            .count()
    };
    assert_eq!(
        heard(dispatcher.await.unwrap_or_default()),
        1,
        "the firm's dispatcher"
    );
    assert_eq!(heard(rival.await.unwrap_or_default()), 0, "another firm");
    assert_eq!(
        heard(contractor.await.unwrap_or_default()),
        0,
        "a contractor not on the order"
    );
    // The grid worker's bundle holds the resident's compound: they hear it.
    assert_eq!(
        heard(neighbour_grid.await.unwrap_or_default()),
        1,
        "the bundle's grid worker"
    );
}
