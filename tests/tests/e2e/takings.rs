//! Temporary parking takings imported from a parking system's CSV: checked row by row before
//! anything is written, each new day recorded as that day's income, the same rows again
//! changing nothing, the mapping saved per compound, and only for the firm's book-keepers.

use courtyard_tests::TestApp;
use serde_json::{Value, json};

use crate::billing::at;
use crate::tenancy::compound_id;

/// A parking system's export of single exits: order number, plate, exit time, amount.
fn exits(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from("\u{feff}订单号,车牌号,出场时间,应收,实收金额\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

fn path(compound: &str, commit: bool) -> String {
    format!("/income/takings/import?compoundId={compound}&commit={commit}&method=QR_TRANSFER")
}

fn problems(report: &Value) -> Vec<(i64, String)> {
    report["problems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap_or_default(),
                p["field"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

/// Temporary-parking income of November 2026 in a compound, as (day, fen).
async fn november(app: &TestApp, token: &str, compound: &str) -> Vec<(String, i64)> {
    let q = "query($c: ID!) { commonIncomeMonth(compoundId: $c, period: \"2026-11\") { records { category receivedOn amount { fen } method } } }";
    let body = app.gql(Some(token), q, json!({ "c": compound })).await;
    let mut out: Vec<(String, i64)> = body["data"]["commonIncomeMonth"]["records"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter(|r| r["category"] == "PARKING_TEMPORARY")
        .map(|r| {
            assert_eq!(r["method"], "QR_TRANSFER");
            (
                r["receivedOn"].as_str().unwrap_or_default().to_owned(),
                r["amount"]["fen"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn setup(app: &TestApp) -> (String, String) {
    app.db.clock().hold_at(at("2026-12-02T10:00:00Z"));
    let token = app.login("accountant@demo.test").await;
    let compound = compound_id(app, &token, "燎原新村").await;
    (token, compound)
}

#[tokio::test]
async fn a_clean_export_records_each_day_once_and_its_mapping_is_kept() {
    let app = TestApp::spawn().await;
    let (token, c) = setup(&app).await;
    let file = exits(&[
        "P001,桂B11111,2026-11-01 08:10:00,5.00,5.00",
        "P002,桂B22222,2026-11-01 19:45:12,10.00,10.00",
        "P003,桂C33333,2026/11/02 07:00:00,5,4.50",
    ]);
    // Checked first: the headings are guessed, nothing is written.
    let (status, report) = app
        .post_file(Some(&token), &path(&c, false), file.clone())
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["written"], false);
    assert_eq!(
        report["mapping"],
        json!({ "dateColumn": "出场时间", "amountColumn": "实收金额", "referenceColumn": "订单号" })
    );
    assert_eq!(
        report["days"][0],
        json!({ "date": "2026-11-01", "fen": 1_500, "rows": 2, "status": "NEW" })
    );
    assert!(november(&app, &token, &c).await.is_empty());

    let (status, report) = app
        .post_file(Some(&token), &path(&c, true), file.clone())
        .await;
    assert_eq!(
        (status, report["written"].clone()),
        (200, json!(true)),
        "{report}"
    );
    let booked = vec![
        ("2026-11-01".to_owned(), 1_500),
        ("2026-11-02".to_owned(), 450),
    ];
    assert_eq!(november(&app, &token, &c).await, booked);

    // The same rows again change nothing; the days say so.
    let (_, again) = app.post_file(Some(&token), &path(&c, true), file).await;
    assert_eq!(again["days"][0]["status"], "IMPORTED", "{again}");
    assert_eq!(november(&app, &token, &c).await, booked);

    // The next export has other headings: the saved mapping names columns it lacks until
    // the new ones are given; then those are kept.
    let renamed = "\u{feff}单据,进场,离场,收款\nQ9,2026-11-03 07:00:00,2026-11-03 08:00:00,8\n"
        .as_bytes()
        .to_vec();
    let (_, report) = app
        .post_file(Some(&token), &path(&c, false), renamed.clone())
        .await;
    let missing = ["dateColumn", "amountColumn", "referenceColumn"].map(|f| (1, f.to_owned()));
    assert_eq!(problems(&report), missing.to_vec(), "{report}");
    let mapped = format!(
        "{}&dateColumn=离场&amountColumn=收款&referenceColumn=单据",
        path(&c, true)
    );
    let (_, report) = app.post_file(Some(&token), &mapped, renamed.clone()).await;
    assert_eq!(report["written"], true, "{report}");
    let (_, report) = app.post_file(Some(&token), &path(&c, false), renamed).await;
    assert_eq!(report["days"][0]["status"], "IMPORTED", "{report}");
}

#[tokio::test]
async fn a_file_with_any_problem_writes_nothing_and_says_which_row() {
    let app = TestApp::spawn().await;
    let (token, c) = setup(&app).await;
    let file = exits(&[
        "P001,桂B11111,2026-11-01 08:10:00,5.00,5.00",
        "P001,桂B11111,2026-11-01 08:10:00,5.00,5.00",
        "P002,桂B22222,十一月二日,5.00,5.00",
        "P003,桂B22222,2026-11-03 08:00:00,5.00,0",
        "P004,桂B22222,2026-11-04 08:00:00,5.00,-5",
        "P005,桂B22222,2026-11-05 08:00:00,5.00,5.123",
        "P006,桂B22222,2026-12-09 08:00:00,5.00,5",
        ",桂B22222,2026-11-06 08:00:00,5.00,5",
    ]);
    let (status, report) = app.post_file(Some(&token), &path(&c, true), file).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["written"], false);
    assert_eq!(
        problems(&report),
        [
            (3, "reference"),
            (4, "date"),
            (5, "amount"),
            (6, "amount"),
            (7, "amount"),
            (8, "date"),
            (9, "reference")
        ]
        .map(|(r, f)| (r, f.to_owned()))
        .to_vec()
    );
    assert!(november(&app, &token, &c).await.is_empty());

    // A day imported before with other takings is a problem, not a silent second record.
    let first = exits(&["P1,桂B1,2026-11-10 08:00:00,5,5"]);
    let (_, r) = app.post_file(Some(&token), &path(&c, true), first).await;
    assert_eq!(r["written"], true, "{r}");
    let more = exits(&[
        "P1,桂B1,2026-11-10 08:00:00,5,5",
        "P2,桂B2,2026-11-10 09:00:00,5,5",
    ]);
    let (_, r) = app.post_file(Some(&token), &path(&c, true), more).await;
    assert_eq!(
        (r["written"].clone(), r["days"][0]["status"].clone()),
        (json!(false), json!("DIFFERS")),
        "{r}"
    );
    assert_eq!(problems(&r), vec![(2, "amount".to_owned())]);

    // Not a CSV; a body above the limit; a half-given mapping.
    let (status, body) = app
        .post_file(Some(&token), &path(&c, true), vec![0xff, 0xfe, 0x00])
        .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["field"].clone()),
        (400, json!("file")),
        "{body}"
    );
    let huge = vec![b'a'; 50 * 1024 * 1024];
    let (status, body) = app.post_file(Some(&token), &path(&c, true), huge).await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["field"].clone()),
        (413, json!("file")),
        "{body}"
    );
    let half = format!("{}&dateColumn=出场时间", path(&c, true));
    let (status, body) = app.post_file(Some(&token), &half, exits(&[])).await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["field"].clone()),
        (400, json!("amountColumn")),
        "{body}"
    );
    assert_eq!(
        november(&app, &token, &c).await,
        vec![("2026-11-10".to_owned(), 500)]
    );
}

#[tokio::test]
async fn only_book_keepers_import_and_only_into_their_own_firms_compounds() {
    let app = TestApp::spawn().await;
    let (token, c) = setup(&app).await;
    let file = exits(&["P1,桂B1,2026-11-10 08:00:00,5,5"]);
    let (status, _) = app.post_file(None, &path(&c, true), file.clone()).await;
    assert_eq!(status, 401);
    for who in [
        "committee@demo.test",
        "grid@demo.test",
        "resident@demo.test",
    ] {
        let t = app.login(who).await;
        let (status, body) = app.post_file(Some(&t), &path(&c, true), file.clone()).await;
        assert_eq!(status, 403, "{who}: {body}");
    }
    let rival = app.login("admin@rival.test").await;
    let (status, body) = app.post_file(Some(&rival), &path(&c, true), file).await;
    assert_eq!(status, 404, "{body}");
    assert!(november(&app, &token, &c).await.is_empty());
}
