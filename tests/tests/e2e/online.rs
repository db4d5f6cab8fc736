//! Online payment through Stripe: against localstripe (a real emulator, see
//! `tests/stripe/localstripe_compat.py` for the fields it is missing and what fills them),
//! and webhooks signed with Stripe's real scheme.

use std::sync::Arc;

use courtyard_tests::{LocalStripe, TestApp, WEBHOOK_SECRET, error_code, error_field};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use super::billing::{ACCOUNT, bill, first_households, verify_clean};
use super::tenancy::compound_id;

const START: &str = "mutation($h: ID!, $i: ID) { startOnlinePayment(householdId: $h, invoiceId: $i) { clientSecret attempt { id status amount { fen } stripePaymentIntentId invoiceIds } } }";
const ATTEMPT: &str =
    "query($id: ID!) { paymentAttempt(id: $id) { status paymentId failure amount { fen } } }";
const REFUND: &str = "mutation($p: ID!, $a: String!, $r: String!) { refundOnlinePayment(paymentId: $p, amount: $a, reason: $r) { id status amount { fen } stripeRefundId } }";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn signed(body: &Value, t: i64) -> (Vec<u8>, String) {
    let bytes = body.to_string().into_bytes();
    let sig = api::online::stripe::signature::sign(&bytes, WEBHOOK_SECRET, t);
    (bytes, sig)
}

fn intent_succeeded(event: &str, tenant: &str, attempt: &str, intent: &str, fen: i64) -> Value {
    json!({ "id": event, "object": "event", "type": "payment_intent.succeeded", "created": now(),
            "data": { "object": { "id": intent, "object": "payment_intent", "amount": fen, "amount_received": fen,
                                  "currency": "cny", "status": "succeeded",
                                  "metadata": { "tenant_id": tenant, "attempt_id": attempt } } } })
}

async fn tenant_id(app: &TestApp, slug: &str) -> String {
    let row = app
        .db
        .connection()
        .query_one_raw(Statement::from_string(
            app.db.backend(),
            format!("SELECT id FROM tenants WHERE slug = '{slug}'"),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no tenant {slug}"));
    row.try_get_by_index::<uuid::Uuid>(0)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string()
}

async fn wait_for_status(app: &TestApp, token: &str, attempt: &str, status: &str) -> Value {
    for _ in 0..100 {
        let body = app
            .gql(Some(token), ATTEMPT, json!({ "id": attempt }))
            .await;
        if body["data"]["paymentAttempt"]["status"] == status {
            return body["data"]["paymentAttempt"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("attempt {attempt} never reached {status}");
}

/// Starts an online payment for `household` as `token`; returns the attempt and intent ids.
async fn start_payment(app: &TestApp, token: &str, household: &str) -> (String, String) {
    let body = app.gql(Some(token), START, json!({ "h": household })).await;
    let a = &body["data"]["startOnlinePayment"]["attempt"];
    let id = |k: &str| {
        a[k].as_str()
            .unwrap_or_else(|| panic!("no {k}: {body}"))
            .to_owned()
    };
    (id("id"), id("stripePaymentIntentId"))
}

/// Pays an intent in the emulator as Stripe.js would on the resident's phone.
async fn confirm_card(ls: &LocalStripe, intent: &str) {
    let pm = ls
        .post(
            "/v1/payment_methods",
            &[
                ("type", "card"),
                ("card[number]", "4242424242424242"),
                ("card[exp_month]", "12"),
                ("card[exp_year]", "2030"),
                ("card[cvc]", "123"),
            ],
        )
        .await;
    let pm = pm["id"].as_str().unwrap_or_else(|| panic!("{pm}"));
    // localstripe confirms only an intent that already holds the payment method.
    let attached = ls
        .post(
            &format!("/v1/payment_intents/{intent}"),
            &[("payment_method", pm)],
        )
        .await;
    assert!(attached["error"].is_null(), "{attached}");
    let confirmed = ls
        .post(&format!("/v1/payment_intents/{intent}/confirm"), &[])
        .await;
    assert!(confirmed["error"].is_null(), "{confirmed}");
}

#[tokio::test]
async fn a_resident_pays_online_the_webhook_books_it_and_a_refund_is_credited() {
    let ls = LocalStripe::start().await;
    let app = TestApp::spawn_with_stripe(&ls.base).await;
    let registered = ls
        .post(
            "/_config/webhooks/courtyard",
            &[
                ("url", &format!("{}/webhooks/stripe", app.address)),
                ("secret", WEBHOOK_SECRET),
            ],
        )
        .await;
    assert!(registered["error"].is_null(), "{registered}");
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-11").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let hs = first_households(&app, &accountant, &guotai, 1).await;
    let resident = app.login("resident@demo.test").await;

    let enabled = app
        .gql(Some(&resident), "{ onlinePayment { enabled } }", json!({}))
        .await;
    assert_eq!(enabled["data"]["onlinePayment"]["enabled"], true);

    // The amount is the books' (¥28 less the 50% waiver), not the client's.
    let started = app.gql(Some(&resident), START, json!({ "h": hs[0] })).await;
    let s = &started["data"]["startOnlinePayment"];
    assert_eq!(s["attempt"]["status"], "PENDING", "{started}");
    assert_eq!(s["attempt"]["amount"]["fen"], 1_400);
    let attempt = s["attempt"]["id"].as_str().unwrap_or_default().to_owned();
    let intent = s["attempt"]["stripePaymentIntentId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(intent.starts_with("pi_"), "{started}");
    assert!(
        s["clientSecret"]
            .as_str()
            .is_some_and(|c| c.starts_with(&intent))
    );
    let emulated = ls.get(&format!("/v1/payment_intents/{intent}")).await;
    assert_eq!(emulated["amount"], 1_400);
    assert_eq!(emulated["currency"], "cny");
    assert_eq!(emulated["metadata"]["attempt_id"], attempt.as_str());
    let keys = ls.get("/_compat/idempotency-keys").await;
    assert!(
        keys.as_array()
            .is_some_and(|k| k.iter().any(|k| k["key"] == format!("attempt:{attempt}"))),
        "the PaymentIntent is created with our attempt's key: {keys}"
    );

    // Nothing is owed until Stripe says so; then the webhook books it.
    let before = app
        .gql(Some(&resident), ACCOUNT, json!({ "h": hs[0] }))
        .await;
    assert_eq!(before["data"]["householdAccount"]["balance"]["fen"], 1_400);
    confirm_card(&ls, &intent).await;
    let paid = wait_for_status(&app, &resident, &attempt, "SUCCEEDED").await;
    let payment = paid["paymentId"].as_str().unwrap_or_default().to_owned();
    let after = app
        .gql(Some(&resident), ACCOUNT, json!({ "h": hs[0] }))
        .await;
    let account = &after["data"]["householdAccount"];
    assert_eq!(account["balance"]["fen"], 0, "{after}");
    assert_eq!(account["invoices"][0]["outstanding"]["fen"], 0);
    let events = app
        .gql(Some(&accountant), "{ stripeEvents { eventType outcome } onlinePayments { attempt { stripePaymentIntentId status } } }", json!({}))
        .await;
    assert!(
        events["data"]["stripeEvents"].as_array().is_some_and(|e| e
            .iter()
            .any(|e| e["eventType"] == "payment_intent.succeeded" && e["outcome"] == "applied")),
        "{events}"
    );
    assert_eq!(
        events["data"]["onlinePayments"][0]["attempt"]["stripePaymentIntentId"],
        intent.as_str()
    );

    // Another firm cannot see or touch any of it.
    let rival = app.login("admin@rival.test").await;
    for (q, v) in [
        (ATTEMPT, json!({ "id": attempt })),
        (START, json!({ "h": hs[0] })),
        (REFUND, json!({ "p": payment, "a": "1.00", "r": "x" })),
    ] {
        let body = app.gql(Some(&rival), q, v).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    }
    // Residents do not refund; over-refunds are refused and change nothing.
    let body = app
        .gql(
            Some(&resident),
            REFUND,
            json!({ "p": payment, "a": "1.00", "r": "x" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    for (amount, field) in [("14.01", "amount"), ("0", "amount"), ("-1", "amount")] {
        let body = app
            .gql(
                Some(&accountant),
                REFUND,
                json!({ "p": payment, "a": amount, "r": "多收" }),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(error_field(&body), Some(field));
    }

    // A ¥4 refund: Stripe settles it, the ledger takes it back and a credit note clears it.
    let refund = app
        .gql(
            Some(&accountant),
            REFUND,
            json!({ "p": payment, "a": "4.00", "r": "多收了" }),
        )
        .await;
    let r = &refund["data"]["refundOnlinePayment"];
    assert_eq!(r["status"], "SUCCEEDED", "{refund}");
    let refund_id = r["id"].as_str().unwrap_or_default();
    let keys = ls.get("/_compat/idempotency-keys").await;
    assert!(
        keys.as_array()
            .is_some_and(|k| k.iter().any(|k| k["key"] == format!("refund:{refund_id}"))),
        "{keys}"
    );
    let after = app
        .gql(Some(&resident), ACCOUNT, json!({ "h": hs[0] }))
        .await;
    let inv = &after["data"]["householdAccount"]["invoices"][0];
    assert_eq!(inv["paid"]["fen"], 1_000, "{after}");
    assert_eq!(inv["outstanding"]["fen"], 0);
    assert_eq!(after["data"]["householdAccount"]["balance"]["fen"], 0);
    // Only what is left can still be refunded.
    let body = app
        .gql(
            Some(&accountant),
            REFUND,
            json!({ "p": payment, "a": "10.01", "r": "x" }),
        )
        .await;
    assert_eq!(error_field(&body), Some("amount"), "{body}");
    verify_clean(&app).await;
}

#[tokio::test]
async fn webhooks_with_a_bad_signature_are_refused_and_record_nothing() {
    let app = TestApp::spawn_with_stripe("http://127.0.0.1:9").await;
    let body = json!({ "id": "evt_sig", "type": "customer.created", "created": now(), "data": { "object": { "id": "cus_1" } } });
    let (bytes, good) = signed(&body, now());
    let wrong = api::online::stripe::signature::sign(&bytes, "whsec_wrong", now());
    // A minute beyond the 300 s tolerance either way, so a slow test run cannot bring them
    // back inside it (the exact edges are unit-tested with a pinned clock).
    let expired = api::online::stripe::signature::sign(&bytes, WEBHOOK_SECRET, now() - 360);
    let future = api::online::stripe::signature::sign(&bytes, WEBHOOK_SECRET, now() + 360);
    let mut tampered = bytes.clone();
    tampered.extend_from_slice(b" ");
    for (payload, sig, what) in [
        (&bytes, Some(wrong.as_str()), "wrong secret"),
        (&bytes, Some(expired.as_str()), "expired timestamp"),
        (&bytes, Some(future.as_str()), "future timestamp"),
        (&tampered, Some(good.as_str()), "tampered body"),
        (&bytes, None, "no signature"),
        (&bytes, Some("t=1,v1=zz"), "garbage"),
    ] {
        let (status, _) = app.post_webhook(payload, sig).await;
        assert_eq!(status, 400, "{what}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM stripe_events").await, 0);
    let (status, answer) = app.post_webhook(&bytes, Some(&good)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["outcome"], "ignored_unknown_tenant");
    assert_eq!(app.count("SELECT COUNT(*) FROM stripe_events").await, 1);
}

#[tokio::test]
async fn duplicate_out_of_order_and_foreign_deliveries_count_once_or_not_at_all() {
    let ls = LocalStripe::start().await;
    let app = Arc::new(TestApp::spawn_with_stripe(&ls.base).await);
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-11").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let hs = first_households(&app, &accountant, &guotai, 6).await;
    let demo = tenant_id(&app, "demo").await;
    let rival = tenant_id(&app, "rival").await;

    // The same success delivered 100 times at once: one payment.
    let (attempt, intent) = start_payment(&app, &accountant, &hs[3]).await;
    let (bytes, sig) = signed(
        &intent_succeeded("evt_dup", &demo, &attempt, &intent, 2_800),
        now(),
    );
    let deliveries: Vec<_> = (0..100)
        .map(|_| {
            let (app, bytes, sig) = (app.clone(), bytes.clone(), sig.clone());
            tokio::spawn(async move { app.post_webhook(&bytes, Some(&sig)).await })
        })
        .collect();
    let mut applied = 0;
    for d in deliveries {
        let (status, answer) = d.await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status, 200, "{answer}");
        if answer["outcome"] == "applied" {
            applied += 1;
        }
    }
    assert_eq!(applied, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM payments WHERE method = 'online'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stripe_events WHERE id = 'evt_dup'")
            .await,
        1
    );
    let paid = wait_for_status(&app, &accountant, &attempt, "SUCCEEDED").await;
    assert!(paid["paymentId"].is_string());

    // A refund made in Stripe's dashboard arrives before the payment's own success: the
    // payment is booked from our attempt, then the refund; the late success changes nothing.
    let (attempt2, intent2) = start_payment(&app, &accountant, &hs[4]).await;
    let refund = json!({ "id": "evt_refund_first", "type": "refund.updated", "created": now(),
        "data": { "object": { "id": "re_dash", "object": "refund", "amount": 1_000, "status": "succeeded",
                              "payment_intent": intent2, "metadata": {} } } });
    let (rb, rs) = signed(&refund, now());
    let (status, answer) = app.post_webhook(&rb, Some(&rs)).await;
    assert_eq!(
        (status, answer["outcome"].as_str()),
        (200, Some("applied")),
        "{answer}"
    );
    let late = intent_succeeded("evt_late_success", &demo, &attempt2, &intent2, 2_800);
    let (lb, ls_sig) = signed(&late, now());
    let (_, answer) = app.post_webhook(&lb, Some(&ls_sig)).await;
    assert_eq!(answer["outcome"], "unchanged", "{answer}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM payments WHERE method = 'online'")
            .await,
        2
    );
    // The dashboard refund gave ¥10 back without a credit note: the household owes it again.
    let acct = app
        .gql(Some(&accountant), ACCOUNT, json!({ "h": hs[4] }))
        .await;
    assert_eq!(
        acct["data"]["householdAccount"]["balance"]["fen"], 1_000,
        "{acct}"
    );

    // A payer who gives up cancels at Stripe too; a paid attempt cannot be canceled.
    const CANCEL: &str = "mutation($id: ID!) { cancelOnlinePayment(id: $id) { status } }";
    let (attempt4, intent4) = start_payment(&app, &accountant, &hs[4]).await;
    // Staff who cannot start one cannot cancel one either.
    for who in ["dispatcher@demo.test", "grid@demo.test"] {
        let token = app.login(who).await;
        let body = app
            .gql(Some(&token), CANCEL, json!({ "id": attempt4 }))
            .await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{who}: {body}");
    }
    assert_ne!(
        ls.get(&format!("/v1/payment_intents/{intent4}")).await["status"],
        "canceled"
    );
    let body = app
        .gql(Some(&accountant), CANCEL, json!({ "id": attempt4 }))
        .await;
    assert_eq!(
        body["data"]["cancelOnlinePayment"]["status"], "CANCELED",
        "{body}"
    );
    assert_eq!(
        ls.get(&format!("/v1/payment_intents/{intent4}")).await["status"],
        "canceled"
    );
    let body = app
        .gql(Some(&accountant), CANCEL, json!({ "id": attempt }))
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");

    // An event naming another firm, or no firm we know, is recorded and applies nowhere.
    let (attempt3, intent3) = start_payment(&app, &accountant, &hs[5]).await;
    let foreign = intent_succeeded("evt_foreign", &rival, &attempt3, "pi_not_ours", 2_800);
    let (fb, fs) = signed(&foreign, now());
    let (status, answer) = app.post_webhook(&fb, Some(&fs)).await;
    assert_eq!(status, 200);
    assert_eq!(answer["outcome"], "ignored_unknown_object", "{answer}");
    let unknown = intent_succeeded(
        "evt_unknown",
        &uuid::Uuid::now_v7().to_string(),
        &attempt3,
        "pi_nobody",
        2_800,
    );
    let (ub, us) = signed(&unknown, now());
    let (_, answer) = app.post_webhook(&ub, Some(&us)).await;
    assert_eq!(answer["outcome"], "ignored_unknown_tenant", "{answer}");
    // A success for less than the attempt's amount is flagged, not booked.
    let short = intent_succeeded("evt_short", &demo, &attempt3, &intent3, 1);
    let (sb, ss) = signed(&short, now());
    let (_, answer) = app.post_webhook(&sb, Some(&ss)).await;
    assert_eq!(answer["outcome"], "amount_mismatch", "{answer}");
    let still = app
        .gql(Some(&accountant), ATTEMPT, json!({ "id": attempt3 }))
        .await;
    assert_eq!(
        still["data"]["paymentAttempt"]["status"], "PENDING",
        "{still}"
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_burst_of_one_firms_deliveries_is_applied_together_each_with_its_own_outcome() {
    let ls = LocalStripe::start().await;
    let app = Arc::new(TestApp::spawn_with_stripe(&ls.base).await);
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-11").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let hs = first_households(&app, &accountant, &guotai, 12).await;
    let demo = tenant_id(&app, "demo").await;
    // Eight households pay ¥28 at once; a ninth reports a wrong amount; the first household
    // pays a second time from another tab; one success is delivered four times over. All
    // thirteen deliveries arrive together.
    let mut events = Vec::new();
    let mut attempts = Vec::new();
    for (i, h) in hs[3..12].iter().enumerate() {
        let (attempt, intent) = start_payment(&app, &accountant, h).await;
        let fen = if i == 8 { 2_700 } else { 2_800 };
        events.push(intent_succeeded(
            &format!("evt_burst_{i}"),
            &demo,
            &attempt,
            &intent,
            fen,
        ));
        attempts.push(attempt);
    }
    let (again, again_intent) = start_payment(&app, &accountant, &hs[3]).await;
    events.push(intent_succeeded(
        "evt_burst_again",
        &demo,
        &again,
        &again_intent,
        2_800,
    ));
    for _ in 0..3 {
        events.push(events[0].clone());
    }
    let deliveries: Vec<_> = events
        .iter()
        .map(|e| {
            let (bytes, sig) = signed(e, now());
            let app = app.clone();
            tokio::spawn(async move { app.post_webhook(&bytes, Some(&sig)).await })
        })
        .collect();
    let mut outcomes: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (e, d) in events.iter().zip(deliveries) {
        let (status, answer) = d.await.unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(status, 200, "{answer}");
        outcomes
            .entry(e["id"].as_str().unwrap_or_default().to_owned())
            .or_default()
            .push(answer["outcome"].as_str().unwrap_or_default().to_owned());
    }
    let mut first = outcomes.remove("evt_burst_0").unwrap_or_default();
    first.sort();
    assert_eq!(first, ["applied", "duplicate", "duplicate", "duplicate"]);
    assert_eq!(outcomes["evt_burst_8"], ["amount_mismatch"]);
    assert_eq!(outcomes["evt_burst_again"], ["applied"]);
    for i in 1..8 {
        assert_eq!(outcomes[&format!("evt_burst_{i}")], ["applied"], "{i}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM payments WHERE method = 'online'")
            .await,
        9
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stripe_events WHERE id LIKE 'evt_burst_%'")
            .await,
        10
    );
    // The second payment found the invoice paid by the first, in the same group or not: it
    // is held as credit, and no invoice is paid more than it was due.
    assert_eq!(
        app.count(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM payment_allocations \
              WHERE invoice_id IS NULL"
        )
        .await,
        2_800
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invoices i WHERE i.due_fen < \
              (SELECT SUM(a.amount_fen) FROM payment_allocations a WHERE a.invoice_id = i.id)"
        )
        .await,
        0
    );
    for (i, h) in hs[3..12].iter().enumerate() {
        let acct = app.gql(Some(&accountant), ACCOUNT, json!({ "h": h })).await;
        let owed = match i {
            0 => -2_800,
            8 => 2_800,
            _ => 0,
        };
        assert_eq!(
            acct["data"]["householdAccount"]["balance"]["fen"], owed,
            "{i}: {acct}"
        );
    }
    wait_for_status(&app, &accountant, &attempts[0], "SUCCEEDED").await;
    verify_clean(&app).await;
}

#[tokio::test]
async fn reconciliation_books_what_webhooks_missed_once_and_exits_1_on_a_stray_payment() {
    let ls = LocalStripe::start().await;
    let app = TestApp::spawn_with_stripe(&ls.base).await;
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-11").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let hs = first_households(&app, &accountant, &guotai, 4).await;
    let (attempt, intent) = start_payment(&app, &accountant, &hs[3]).await;
    // Paid at Stripe, but no webhook endpoint is registered: the event never arrives.
    confirm_card(&ls, &intent).await;
    let pending = app
        .gql(Some(&accountant), ATTEMPT, json!({ "id": attempt }))
        .await;
    assert_eq!(pending["data"]["paymentAttempt"]["status"], "PENDING");

    let reconcile = || async {
        let since = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
        let out = tokio::process::Command::new(courtyard_tests::courtyard_bin())
            .args(["stripe", "reconcile", "--since", &since.to_string()])
            .env("DATABASE_URL", app.database_url())
            .env("STRIPE_SECRET_KEY", courtyard_tests::STRIPE_KEY)
            .env("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
            .env("STRIPE_API_BASE", &ls.base)
            .env("RUST_LOG", "warn")
            .output()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, said) = reconcile().await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("1 applied now; "), "{said}");
    let paid = app
        .gql(Some(&accountant), ATTEMPT, json!({ "id": attempt }))
        .await;
    assert_eq!(paid["data"]["paymentAttempt"]["status"], "SUCCEEDED");
    let balance = |acct: Value| acct["data"]["householdAccount"]["balance"]["fen"].clone();
    let acct = app
        .gql(Some(&accountant), ACCOUNT, json!({ "h": hs[3] }))
        .await;
    assert_eq!(balance(acct), 0);

    // A refund made in Stripe's dashboard whose webhook was lost too: booked once.
    let refund = ls
        .post(
            "/v1/refunds",
            &[("payment_intent", intent.as_str()), ("amount", "500")],
        )
        .await;
    assert!(refund["error"].is_null(), "{refund}");
    let (code, said) = reconcile().await;
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("0 applied now; 1 refunds seen, 1 applied now"),
        "{said}"
    );
    let acct = app
        .gql(Some(&accountant), ACCOUNT, json!({ "h": hs[3] }))
        .await;
    assert_eq!(
        balance(acct),
        500,
        "the household owes the refunded ¥5 again"
    );
    let (code, said) = reconcile().await;
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("0 applied now; 1 refunds seen, 0 applied now"),
        "{said}"
    );

    // A payment at Stripe for this firm that no attempt of ours started: reported, exit 1.
    let demo = tenant_id(&app, "demo").await;
    let stray_attempt = uuid::Uuid::now_v7().to_string();
    let stray = ls
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "1234"),
                ("currency", "cny"),
                ("metadata[tenant_id]", demo.as_str()),
                ("metadata[attempt_id]", stray_attempt.as_str()),
            ],
        )
        .await;
    let stray = stray["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{stray}"))
        .to_owned();
    confirm_card(&ls, &stray).await;
    let (code, said) = reconcile().await;
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains(&format!("mismatch: PaymentIntent {stray}")),
        "{said}"
    );
    let acct = app
        .gql(Some(&accountant), ACCOUNT, json!({ "h": hs[3] }))
        .await;
    assert_eq!(balance(acct), 500, "nothing booked from the stray payment");
    verify_clean(&app).await;
}

#[tokio::test]
async fn without_stripe_keys_online_payment_is_off_and_says_so() {
    let app = TestApp::spawn().await;
    let resident = app.login("resident@demo.test").await;
    let body = app
        .gql(Some(&resident), "{ onlinePayment { enabled } }", json!({}))
        .await;
    assert_eq!(body["data"]["onlinePayment"]["enabled"], false);
    let accountant = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let hs = first_households(&app, &accountant, &guotai, 1).await;
    let body = app.gql(Some(&resident), START, json!({ "h": hs[0] })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let (status, _) = app.post_webhook(b"{}", Some("t=1,v1=00")).await;
    assert_eq!(status, 404);
}

/// Stripe's Transfer object as its API reference shows it, in CNY for `amount` fen.
fn recorded_transfer(amount: i64, destination: &str) -> String {
    json!({
        "id": "tr_1MiN3gLkdIwHu7ixNCZvFdgA", "object": "transfer", "amount": amount, "amount_reversed": 0,
        "balance_transaction": "txn_1MiN3gLkdIwHu7ixxapQrznl", "created": 1_678_043_844, "currency": "cny",
        "description": null, "destination": destination, "destination_payment": "py_1MiN3gQ9PRzxEwkZWTPGNq9o",
        "livemode": false, "metadata": {},
        "reversals": { "object": "list", "data": [], "has_more": false, "total_count": 0,
                       "url": "/v1/transfers/tr_1MiN3gLkdIwHu7ixNCZvFdgA/reversals" },
        "reversed": false, "source_transaction": null, "source_type": "card", "transfer_group": null
    })
    .to_string()
}

#[tokio::test]
async fn the_committee_fund_is_paid_to_its_connected_account_against_recorded_stripe_responses() {
    // localstripe has no Connect: transfers are answered from Stripe's API reference.
    const FUND: i64 = 1_370_610; // the demo committee fund of 国泰花园: ¥13,706.10
    let stripe = courtyard_tests::RecordedStripe::start(vec![(
        "POST",
        "/v1/transfers",
        200,
        recorded_transfer(FUND, "acct_1MTfjCQ9PRzxEwkZ"),
    )])
    .await;
    let app = TestApp::spawn_with_stripe(&stripe.base).await;
    let admin = app.login("admin@demo.test").await;
    let accountant = app.login("accountant@demo.test").await;
    let guotai = compound_id(&app, &admin, "国泰花园").await;
    const SET: &str = "mutation($c: ID!, $a: String) { setCommitteeStripeAccount(compoundId: $c, accountId: $a) { committeeStripeAccount } }";
    const PAY: &str = "mutation($c: ID!, $a: String) { payCommitteeFund(compoundId: $c, amount: $a) { id status amount { fen } stripeTransferId destination } }";

    // No account yet: a clear error, nothing sent.
    let body = app
        .gql(Some(&accountant), PAY, json!({ "c": guotai }))
        .await;
    assert_eq!(error_field(&body), Some("compoundId"), "{body}");
    for bad in ["", "acct_", "cus_123", "acct_12 3"] {
        let body = app
            .gql(Some(&admin), SET, json!({ "c": guotai, "a": bad }))
            .await;
        assert_eq!(error_field(&body), Some("accountId"), "{bad}: {body}");
    }
    let body = app
        .gql(
            Some(&accountant),
            SET,
            json!({ "c": guotai, "a": "acct_1MTfjCQ9PRzxEwkZ" }),
        )
        .await;
    assert_eq!(
        error_code(&body),
        Some("FORBIDDEN"),
        "only the admin sets it: {body}"
    );
    let body = app
        .gql(
            Some(&admin),
            SET,
            json!({ "c": guotai, "a": "acct_1MTfjCQ9PRzxEwkZ" }),
        )
        .await;
    assert_eq!(
        body["data"]["setCommitteeStripeAccount"]["committeeStripeAccount"],
        "acct_1MTfjCQ9PRzxEwkZ"
    );
    // More than the fund holds is refused.
    let body = app
        .gql(
            Some(&accountant),
            PAY,
            json!({ "c": guotai, "a": "13706.11" }),
        )
        .await;
    assert_eq!(error_field(&body), Some("amount"), "{body}");
    assert!(stripe.requests().is_empty());

    // The whole fund, by default.
    let paid = app
        .gql(Some(&accountant), PAY, json!({ "c": guotai }))
        .await;
    let p = &paid["data"]["payCommitteeFund"];
    assert_eq!(p["status"], "PAID", "{paid}");
    assert_eq!(p["amount"]["fen"], FUND);
    assert_eq!(p["stripeTransferId"], "tr_1MiN3gLkdIwHu7ixNCZvFdgA");
    let payout = p["id"].as_str().unwrap_or_default();
    let sent = stripe.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].idempotency_key.as_deref(),
        Some(format!("payout:{payout}").as_str())
    );
    for part in [
        "amount=1370610",
        "currency=cny",
        "destination=acct_1MTfjCQ9PRzxEwkZ",
    ] {
        assert!(sent[0].body.contains(part), "{}", sent[0].body);
    }
    // The ledger paid it out of the committee fund; nothing is left to pay.
    let accounts = super::ledger::accounts(&app, &accountant, &guotai).await;
    let fund = accounts
        .iter()
        .find(|x| x["kind"] == "COMMITTEE_FUND")
        .map(|a| a["balance"]["fen"].clone());
    assert_eq!(fund, Some(json!(0)), "{accounts:?}");
    let body = app
        .gql(Some(&accountant), PAY, json!({ "c": guotai }))
        .await;
    assert_eq!(error_field(&body), Some("amount"), "{body}");
    // The committee sees its payouts; another firm sees nothing.
    let committee = app.login("committee@demo.test").await;
    let list = app
        .gql(
            Some(&committee),
            "query($c: ID!) { committeePayouts(compoundId: $c) { status stripeTransferId } }",
            json!({ "c": guotai }),
        )
        .await;
    assert_eq!(
        list["data"]["committeePayouts"][0]["status"], "PAID",
        "{list}"
    );
    let rival = app.login("admin@rival.test").await;
    for (q, v) in [
        (PAY, json!({ "c": guotai })),
        (SET, json!({ "c": guotai, "a": "acct_1" })),
        (
            "query($c: ID!) { committeePayouts(compoundId: $c) { id } }",
            json!({ "c": guotai }),
        ),
    ] {
        let body = app.gql(Some(&rival), q, v).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    }
    verify_clean(&app).await;
}

/// Starts the real binary as its own process on the test's database, with Stripe pointed
/// at `stripe_base`; returns it and its address.
async fn serve_process(
    app: &TestApp,
    stripe_base: &str,
    crash_at: Option<&str>,
) -> (tokio::process::Child, String) {
    use tokio::io::AsyncBufReadExt;
    let mut cmd = tokio::process::Command::new(courtyard_tests::courtyard_bin());
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--static-dir",
        "/nonexistent",
    ])
    .env("DATABASE_URL", app.database_url())
    .env("STRIPE_SECRET_KEY", courtyard_tests::STRIPE_KEY)
    .env("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    .env("STRIPE_API_BASE", stripe_base)
    .env("RUST_LOG", "warn")
    .env_remove("COURTYARD_CRASH_AT")
    .stderr(std::process::Stdio::piped())
    .kill_on_drop(true);
    if let Some(point) = crash_at {
        cmd.env("COURTYARD_CRASH_AT", point);
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{e}"));
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let mut lines = tokio::io::BufReader::new(stderr).lines();
    let address = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = line.split("running at ").nth(1) {
                return url
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches('/')
                    .to_owned();
            }
        }
        panic!("the server exited before listening");
    })
    .await
    .unwrap_or_else(|_| panic!("the server did not start"));
    // Keep draining its stderr so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, address)
}

async fn deliver(address: &str, body: &[u8], signature: &str) -> Option<(u16, Value)> {
    let res = reqwest::Client::new()
        .post(format!("{address}/webhooks/stripe"))
        .header("Stripe-Signature", signature)
        .body(body.to_vec())
        .send()
        .await
        .ok()?;
    let status = res.status().as_u16();
    Some((status, res.json().await.unwrap_or(Value::Null)))
}

#[tokio::test]
async fn a_server_killed_before_committing_a_webhook_books_it_once_when_stripe_retries() {
    let ls = LocalStripe::start().await;
    let app = TestApp::spawn_with_stripe(&ls.base).await;
    let accountant = app.login("accountant@demo.test").await;
    bill(&app, &accountant, "2026-11").await;
    let guotai = compound_id(&app, &accountant, "国泰花园").await;
    let hs = first_households(&app, &accountant, &guotai, 4).await;
    let (attempt, intent) = start_payment(&app, &accountant, &hs[3]).await;
    let demo = tenant_id(&app, "demo").await;
    let (bytes, sig) = signed(
        &intent_succeeded("evt_crash", &demo, &attempt, &intent, 2_800),
        now(),
    );

    // Stripe reports success; the server dies after writing the payment, before committing.
    let (mut doomed, address) = serve_process(&app, &ls.base, Some("webhook-before-commit")).await;
    let answer = deliver(&address, &bytes, &sig).await;
    assert!(
        answer.as_ref().is_none_or(|(status, _)| *status >= 500),
        "no 2xx may be sent for an uncommitted effect: {answer:?}"
    );
    let exit = doomed.wait().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(!exit.success(), "the server was to abort: {exit:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM payments WHERE method = 'online'")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM stripe_events").await, 0);

    // Stripe retries (against a restarted server): booked once, and only once after that.
    let (_server, address) = serve_process(&app, &ls.base, None).await;
    let (status, answer) = deliver(&address, &bytes, &sig)
        .await
        .unwrap_or_else(|| panic!("no answer"));
    assert_eq!(
        (status, answer["outcome"].as_str()),
        (200, Some("applied")),
        "{answer}"
    );
    let (_, again) = deliver(&address, &bytes, &sig)
        .await
        .unwrap_or_else(|| panic!("no answer"));
    assert_eq!(again["outcome"], "duplicate");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM payments WHERE method = 'online'")
            .await,
        1
    );
    let paid = app
        .gql(Some(&accountant), ATTEMPT, json!({ "id": attempt }))
        .await;
    assert_eq!(paid["data"]["paymentAttempt"]["status"], "SUCCEEDED");
    verify_clean(&app).await;
}
