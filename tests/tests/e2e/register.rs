//! Household registers as files: every row checked before anything is written, the compound's
//! existing rooms respected, XLSX and CSV both ways, and only for the firm's administrator.

use courtyard_tests::TestApp;
use serde_json::{Value, json};

use crate::tenancy::compound_id;

const HEAD: &str = "楼栋,单元,房号,专有面积（㎡）,业主,电话\n";

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    s.push_str(HEAD);
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

async fn new_compound(app: &TestApp, admin: &str) -> String {
    let bundle = app
        .gql(
            Some(admin),
            "{ bundles(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await["data"]["bundles"]["edges"][0]["node"]["id"]
        .clone();
    let body = app
        .gql(
            Some(admin),
            "mutation($i: CompoundInput!) { createCompound(input: $i) { id } }",
            json!({ "i": { "bundleId": bundle, "name": "登记小区", "address": "登记路 1 号",
                           "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM" } }),
        )
        .await;
    body["data"]["createCompound"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn import_path(compound: &str, commit: bool) -> String {
    format!("/households/import?compoundId={compound}&commit={commit}&activeFrom=2026-11-01")
}

fn problems(report: &Value) -> Vec<(i64, String, String)> {
    report["problems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap_or_default(),
                p["field"].as_str().unwrap_or("-").to_owned(),
                p["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_sheet_with_any_problem_writes_nothing_and_says_where() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let compound = new_compound(&app, &admin).await;
    let before = app.count("SELECT count(*) FROM households").await;
    let sheet = csv(&[
        "1栋,1单元,101,56.30,陈春花,13800001111",
        "1栋,1单元,102,-5,,",
        "1栋,1单元,101,60,,",
        ",1单元,103,60,,",
        "1栋,1单元,104,60,王建国,not-a-phone",
    ]);
    for commit in [false, true] {
        let (status, report) = app
            .post_file(Some(&admin), &import_path(&compound, commit), sheet.clone())
            .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            (report["written"].clone(), report["rows"].clone()),
            (json!(false), json!(5)),
            "{report}"
        );
        assert_eq!(
            problems(&report),
            vec![
                (3, "area".into(), "INVALID".into()),
                (4, "room".into(), "REPEATED".into()),
                (5, "building".into(), "INVALID".into()),
                (6, "phone".into(), "INVALID".into()),
            ],
            "{report}"
        );
    }
    assert_eq!(app.count("SELECT count(*) FROM households").await, before);
    // A file that is no sheet at all names the file.
    let (status, body) = app
        .post_file(
            Some(&admin),
            &import_path(&compound, true),
            b"PK\x03\x04junk".to_vec(),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["field"].clone()),
        (400, json!("file")),
        "{body}"
    );
}

#[tokio::test]
async fn a_clean_sheet_adds_households_buildings_owners_and_accounts_once() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let compound = new_compound(&app, &admin).await;
    let sheet = csv(&[
        "1栋,1单元,101,56.30,陈春花,138 0000 1111",
        "1栋,1单元,102,60,,",
        "2栋,,101,48.5,王建国,",
    ]);
    let (_, checked) = app
        .post_file(Some(&admin), &import_path(&compound, false), sheet.clone())
        .await;
    assert_eq!(
        (
            checked["households"].clone(),
            checked["buildings"].clone(),
            checked["written"].clone()
        ),
        (json!(3), json!(2), json!(false)),
        "{checked}"
    );
    assert_eq!(
        app.households_in("登记小区").await,
        0,
        "a check writes nothing"
    );
    let (_, written) = app
        .post_file(Some(&admin), &import_path(&compound, true), sheet.clone())
        .await;
    assert_eq!(written["written"], true, "{written}");
    assert_eq!(app.households_in("登记小区").await, 3);
    let listed = app
        .gql(
            Some(&admin),
            "query($c: ID!) { households(compoundId: $c) { edges { node { room unit area building { label } members { role designatedVoter person { name phoneMasked } } } } } }",
            json!({ "c": compound }),
        )
        .await;
    let rows: Vec<Value> = listed["data"]["households"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rows.len(), 3, "{listed}");
    let first = &rows[0]["node"];
    assert_eq!(
        (
            first["building"]["label"].clone(),
            first["unit"].clone(),
            first["room"].clone(),
            first["area"].clone()
        ),
        (json!("1栋"), json!("1单元"), json!("101"), json!("56.30"))
    );
    assert_eq!(
        first["members"],
        json!([{ "role": "OWNER", "designatedVoter": true, "person": { "name": "陈春花", "phoneMasked": "138****1111" } }])
    );
    assert_eq!(rows[1]["node"]["members"], json!([]));
    // Each household has its receivable account, and the ledger still verifies.
    assert_eq!(
        app.count("SELECT count(*) FROM ledger_accounts a JOIN households h ON h.id = a.household_id AND h.tenant_id = a.tenant_id JOIN compounds c ON c.id = h.compound_id AND c.tenant_id = h.tenant_id WHERE c.name = '登记小区'").await,
        3
    );
    crate::billing::verify_clean(&app).await;
    // The same sheet again: every room is already registered, nothing is added.
    let (_, again) = app
        .post_file(Some(&admin), &import_path(&compound, true), sheet)
        .await;
    assert_eq!(again["written"], false);
    assert_eq!(
        problems(&again)
            .iter()
            .map(|p| p.2.as_str())
            .collect::<Vec<_>>(),
        vec!["REGISTERED"; 3],
        "{again}"
    );
    assert_eq!(app.households_in("登记小区").await, 3);
}

#[tokio::test]
async fn an_exported_register_imports_into_another_compound_as_it_was() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let guotai = compound_id(&app, &admin, "国泰花园").await;
    for format in ["xlsx", "csv"] {
        let (status, file) = app
            .get_file(
                &admin,
                &format!("/households/export?compoundId={guotai}&format={format}"),
            )
            .await;
        assert_eq!(status, 200);
        let target = new_compound(&app, &admin).await;
        let (_, report) = app
            .post_file(Some(&admin), &import_path(&target, true), file)
            .await;
        assert_eq!(report["written"], true, "{format}: {report}");
        assert_eq!(report["households"], 418, "{format}: {report}");
        let renamed = format!("登记小区{format}");
        app.gql(Some(&admin), "mutation($id: ID!, $i: CompoundInput!) { updateCompound(id: $id, input: $i) { id } }",
            json!({ "id": target, "i": { "bundleId": app.gql(Some(&admin), "query($c: ID!) { compound(id: $c) { bundle { id } } }", json!({ "c": target })).await["data"]["compound"]["bundle"]["id"],
                    "name": renamed, "address": "登记路 1 号", "managementMode": "PROFESSIONAL", "chargingMode": "LUMP_SUM" } })).await;
        assert_eq!(app.households_in(&renamed).await, 418);
    }
}

#[tokio::test]
async fn only_the_administrator_imports_or_exports_and_only_their_own_firms_compounds() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin@demo.test").await;
    let guotai = compound_id(&app, &admin, "国泰花园").await;
    let sheet = csv(&["9栋,1单元,101,56.30,,"]);
    let (status, _) = app
        .post_file(None, &import_path(&guotai, true), sheet.clone())
        .await;
    assert_eq!(status, 401);
    for who in ["accountant@demo.test", "resident@demo.test"] {
        let token = app.login(who).await;
        let (status, body) = app
            .post_file(Some(&token), &import_path(&guotai, true), sheet.clone())
            .await;
        assert_eq!(status, 403, "{who}: {body}");
        let (status, _) = app
            .get_file(&token, &format!("/households/export?compoundId={guotai}"))
            .await;
        assert_eq!(status, 403, "{who}");
    }
    let rival = app.login("admin@rival.test").await;
    let (status, body) = app
        .post_file(Some(&rival), &import_path(&guotai, true), sheet)
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = app
        .get_file(&rival, &format!("/households/export?compoundId={guotai}"))
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .post_file(Some(&admin), "/households/import?compoundId=nope", csv(&[]))
        .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["field"].clone()),
        (400, json!("compoundId"))
    );
    assert_eq!(app.households_in("国泰花园").await, 418);
}
