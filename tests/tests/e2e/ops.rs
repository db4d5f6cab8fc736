use courtyard_tests::TestApp;

#[tokio::test]
async fn health_and_readiness_answer_ok() {
    let app = TestApp::spawn_empty().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap_or_default(), "ready");
}

#[tokio::test]
async fn metrics_count_operations_and_show_the_pool() {
    let app = TestApp::spawn_empty().await;
    let _ = app
        .gql(None, "query Probe { me { userId } }", serde_json::json!({}))
        .await;
    let text = app.get("/metrics").await.text().await.unwrap_or_default();
    assert!(
        text.contains("courtyard_graphql_requests_total{operation=\"Probe\",outcome=\"error\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("courtyard_graphql_request_duration_seconds_count{operation=\"Probe\"} 1"),
        "{text}"
    );
    assert!(text.contains("courtyard_db_pool_connections "), "{text}");
}

#[tokio::test]
async fn metrics_show_sessions_held_and_loaded() {
    let app = TestApp::spawn().await;
    let token = app.login("admin@demo.test").await;
    for _ in 0..3 {
        app.gql(Some(&token), "{ me { userId } }", serde_json::json!({}))
            .await;
    }
    let text = app.get("/metrics").await.text().await.unwrap_or_default();
    // The first request loaded the session, the two after found it held.
    assert!(
        text.contains("courtyard_session_lookups_total{result=\"hit\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("courtyard_session_lookups_total{result=\"miss\"} 1"),
        "{text}"
    );
}

#[tokio::test]
async fn graphiql_is_served_on_get() {
    let app = TestApp::spawn_empty().await;
    let res = app.get("/graphql").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap_or_default().contains("graphiql"));
}
