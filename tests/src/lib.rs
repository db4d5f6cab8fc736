//! Test harness: the real server on a random port over a fresh, migrated database.
//!
//! SQLite by default (a new file per test). With `COURTYARD_TEST_POSTGRES` set to an admin URL
//! (e.g. `postgres://postgres@127.0.0.1:5432/postgres`), each test gets a new PostgreSQL
//! database, migrated by the admin, and the server connects as the unprivileged
//! `courtyard_app` role so row-level security is in force, as in production.

use std::path::PathBuf;

use api::platform::configuration::Secret;
use api::platform::db::Db;
use api::startup::Application;
use serde_json::{Value, json};
use uuid::Uuid;

pub const PASSWORD: &str = api::demo::DEMO_PASSWORD;
/// The Stripe test keys the server is given in [`TestApp::spawn_with_stripe`].
pub const STRIPE_KEY: &str = "sk_test_courtyard";
pub const WEBHOOK_SECRET: &str = "whsec_courtyard_test";
/// The test server's time limit per request, as `courtyard serve` has by default.
pub const REQUEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// localstripe (with the compatibility fixes of `tests/stripe/localstripe_compat.py`) on a
/// free loopback port, stopped when dropped.
pub struct LocalStripe {
    pub base: String,
    child: std::process::Child,
}

impl LocalStripe {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/stripe/localstripe_compat.py");
        let child = std::process::Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start localstripe (pip install localstripe): {e}"));
        // Owned at once, so the process is stopped (and reaped) however this ends.
        let started = Self {
            base: format!("http://127.0.0.1:{port}"),
            child,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return started;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "localstripe did not start on port {port} (is it installed? pip install localstripe)"
        );
    }

    /// Calls the emulator as Stripe's own client would (form-encoded, with the secret key).
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Value {
        reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .basic_auth(STRIPE_KEY, Some(""))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or(Value::Null)
    }

    pub async fn get(&self, path: &str) -> Value {
        reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .basic_auth(STRIPE_KEY, Some(""))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

/// The `courtyard` binary: `COURTYARD_BIN`, else the one built next to this test.
#[must_use]
pub fn courtyard_bin() -> PathBuf {
    let path = std::env::var_os("COURTYARD_BIN").map_or_else(
        || {
            std::env::current_exe()
                .ok()
                .and_then(|p| Some(p.parent()?.parent()?.join("courtyard")))
                .unwrap_or_default()
        },
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "no courtyard binary at {}: run `cargo build --bin courtyard` first (scripts/test does)",
        path.display()
    );
    path
}

/// A request a [`RecordedStripe`] received.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    pub method: String,
    pub path: String,
    pub idempotency_key: Option<String>,
    pub body: String,
}

/// Serves Stripe responses recorded from Stripe's API reference, for the API areas the
/// emulator lacks (Connect transfers). Each route answers its recorded body; every request
/// is kept for the test to inspect.
pub struct RecordedStripe {
    pub base: String,
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<SeenRequest>>>,
}

impl RecordedStripe {
    /// `routes`: (method, path, status, body).
    pub async fn start(routes: Vec<(&'static str, &'static str, u16, String)>) -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let base = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head, body_start) = loop {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        break (String::new(), 0);
                    };
                    if n == 0 {
                        break (String::new(), 0);
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break (String::from_utf8_lossy(&buf[..i]).into_owned(), i + 4);
                    }
                };
                let header = |name: &str| {
                    head.lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.trim()
                            .eq_ignore_ascii_case(name)
                            .then(|| v.trim().to_owned())
                    })
                };
                let length: usize = header("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                while buf.len() < body_start + length {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let mut first = head.lines().next().unwrap_or_default().split(' ');
                let method = first.next().unwrap_or_default().to_owned();
                let path = first
                    .next()
                    .unwrap_or_default()
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let body =
                    String::from_utf8_lossy(buf.get(body_start..).unwrap_or_default()).into_owned();
                log.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(SeenRequest {
                        method: method.clone(),
                        path: path.clone(),
                        idempotency_key: header("idempotency-key"),
                        body,
                    });
                let (status, answer) = routes
                    .iter()
                    .find(|(m, p, _, _)| *m == method && *p == path)
                    .map_or((404, r#"{"error":{"message":"not recorded","type":"invalid_request_error"}}"#.to_owned()), |(_, _, s, b)| (*s, b.clone()));
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                sock.write_all(response.as_bytes()).await.ok();
                sock.shutdown().await.ok();
            }
        });
        Self { base, seen }
    }

    #[must_use]
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl Drop for LocalStripe {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub enum Backend {
    Sqlite { path: PathBuf },
    Postgres { admin_url: String, database: String },
}

pub struct TestApp {
    pub address: String,
    /// The server's own connection (the application role on PostgreSQL).
    pub db: Db,
    pub backend: Backend,
    client: reqwest::Client,
}

fn postgres_admin_url() -> Option<String> {
    std::env::var("COURTYARD_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Fails a PostgreSQL-only test run without PostgreSQL (see [`TestApp::spawn_on_postgres`]).
pub fn require_postgres() {
    assert!(
        postgres_admin_url().is_some(),
        "a PostgreSQL-only test: set COURTYARD_TEST_POSTGRES to run it"
    );
}

/// Replaces the user and database of a `postgres://user@host:port/db?…` URL.
fn with_user_and_db(url: &str, user: Option<&str>, db: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (auth_host, _) = rest.split_once('/').unwrap_or((rest, ""));
    let host = auth_host.rsplit_once('@').map_or(auth_host, |(_, h)| h);
    let auth = match (user, auth_host.rsplit_once('@')) {
        (Some(u), _) => format!("{u}@"),
        (None, Some((a, _))) => format!("{a}@"),
        (None, None) => String::new(),
    };
    format!("{scheme}://{auth}{host}/{db}")
}

impl TestApp {
    /// A server over a fresh database with the demo firms seeded.
    pub async fn spawn() -> Self {
        Self::spawn_with_time_limit(REQUEST_TIME_LIMIT).await
    }

    /// A demo-seeded server with online payment through the Stripe emulator at `api_base`
    /// (webhooks signed with [`WEBHOOK_SECRET`]).
    pub async fn spawn_with_stripe(api_base: &str) -> Self {
        let settings = api::platform::configuration::StripeSettings {
            stripe_secret_key: Some(Secret::new(STRIPE_KEY.to_owned())),
            stripe_webhook_secret: Some(Secret::new(WEBHOOK_SECRET.to_owned())),
            stripe_api_base: Some(api_base.to_owned()),
            stripe_publishable_key: None,
        };
        let stripe = api::online::stripe::Stripe::from_settings(&settings)
            .unwrap_or_else(|e| panic!("{e}"))
            .map(std::sync::Arc::new);
        let app = Self::spawn_empty_with(stripe, REQUEST_TIME_LIMIT).await;
        api::demo::seed(&app.db)
            .await
            .unwrap_or_else(|e| panic!("demo seed failed: {e:?}"));
        app
    }

    /// A server over a fresh, migrated, empty database.
    pub async fn spawn_empty() -> Self {
        Self::spawn_empty_with(None, REQUEST_TIME_LIMIT).await
    }

    /// [`Self::spawn`] for a test of what only PostgreSQL has (row-level security, its own
    /// locking): such tests are `#[ignore]`d, and the PostgreSQL pass of `scripts/test` runs
    /// them; run on SQLite, they fail here rather than pass without checking anything.
    pub async fn spawn_on_postgres() -> Self {
        require_postgres();
        Self::spawn().await
    }

    /// A demo-seeded server whose requests may each run at most `limit`.
    pub async fn spawn_with_time_limit(limit: std::time::Duration) -> Self {
        let app = Self::spawn_empty_with(None, limit).await;
        api::demo::seed(&app.db)
            .await
            .unwrap_or_else(|e| panic!("demo seed failed: {e:?}"));
        app
    }

    async fn spawn_empty_with(
        stripe: Option<std::sync::Arc<api::online::stripe::Stripe>>,
        time_limit: std::time::Duration,
    ) -> Self {
        api::platform::telemetry::init(
            api::platform::configuration::LogFormat::Text,
            "warn,api::http::spa=error",
        );
        let (backend, db) = match postgres_admin_url() {
            Some(admin_url) => {
                let database = format!("cy_test_{}", Uuid::now_v7().simple());
                let admin = Db::connect(&Secret::new(admin_url.clone()))
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                sea_orm::ConnectionTrait::execute_unprepared(
                    admin.connection(),
                    &format!("CREATE DATABASE {database}"),
                )
                .await
                .unwrap_or_else(|e| panic!("create database: {e}"));
                let owner =
                    Db::connect(&Secret::new(with_user_and_db(&admin_url, None, &database)))
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                owner
                    .migrate()
                    .await
                    .unwrap_or_else(|e| panic!("migrate: {e}"));
                owner.connection().clone().close().await.ok();
                let app_url =
                    with_user_and_db(&admin_url, Some(migrations::postgres::APP_ROLE), &database);
                let db = Db::connect_serving(&Secret::new(app_url), time_limit)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                (
                    Backend::Postgres {
                        admin_url,
                        database,
                    },
                    db,
                )
            }
            None => {
                let dir = std::env::temp_dir().join("courtyard-tests");
                std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
                let path = dir.join(format!("{}.db", Uuid::now_v7()));
                let db = Db::connect(&Secret::new(format!("sqlite://{}", path.display())))
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                db.migrate()
                    .await
                    .unwrap_or_else(|e| panic!("migrate: {e}"));
                (Backend::Sqlite { path }, db)
            }
        };
        let app = Application::build(
            db.clone(),
            "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}")),
            PathBuf::from("/nonexistent"),
            api::platform::files::FileStore::local(
                std::env::temp_dir()
                    .join("courtyard-tests")
                    .join(format!("files-{}", Uuid::now_v7())),
            ),
            stripe,
            api::platform::graphql::limits::RequestLimits::with_time(time_limit),
        )
        .unwrap_or_else(|e| panic!("bind: {e}"));
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            db,
            backend,
            client: reqwest::Client::new(),
        }
    }

    /// A second server on this server's database (PostgreSQL), as a firm runs several behind
    /// a load balancer: its address and its database handle (its clock and events its own).
    pub async fn another_server(&self) -> (String, Db) {
        require_postgres();
        let db = Db::connect_serving(&Secret::new(self.database_url()), REQUEST_TIME_LIMIT)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let app = Application::build(
            db.clone(),
            "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}")),
            PathBuf::from("/nonexistent"),
            api::platform::files::FileStore::local(std::env::temp_dir().join("courtyard-tests")),
            None,
            api::platform::graphql::limits::RequestLimits::with_time(REQUEST_TIME_LIMIT),
        )
        .unwrap_or_else(|e| panic!("bind: {e}"));
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        (address, db)
    }

    /// The database URL the server uses (the app role on PostgreSQL).
    #[must_use]
    pub fn database_url(&self) -> String {
        match &self.backend {
            Backend::Sqlite { path } => format!("sqlite://{}", path.display()),
            Backend::Postgres {
                admin_url,
                database,
            } => with_user_and_db(admin_url, Some(migrations::postgres::APP_ROLE), database),
        }
    }

    #[must_use]
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres { .. })
    }

    /// A connection as the schema owner (PostgreSQL) — for checks the app role cannot make.
    pub async fn owner_db(&self) -> Option<Db> {
        match &self.backend {
            Backend::Postgres {
                admin_url,
                database,
            } => Some(
                Db::connect(&Secret::new(with_user_and_db(admin_url, None, database)))
                    .await
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
            Backend::Sqlite { .. } => None,
        }
    }

    /// One number from `sql`, counted across firms: as the schema owner on PostgreSQL
    /// (row-level security hides every firm's rows from the app role outside a firm's
    /// transaction).
    pub async fn count(&self, sql: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let owner = self.owner_db().await;
        let db = owner.as_ref().unwrap_or(&self.db);
        let row = db
            .connection()
            .query_one_raw(Statement::from_string(db.backend(), sql.to_owned()))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .unwrap_or_else(|| panic!("{sql}: no row"));
        row.try_get_by_index::<i64>(0)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// How many households the seed gave the demo compound named `name`, so that tests read
    /// the demo's size rather than repeat it.
    pub async fn households_in(&self, name: &str) -> i64 {
        self.count(&format!(
            "SELECT count(*) FROM households h JOIN compounds c \
             ON c.tenant_id = h.tenant_id AND c.id = h.compound_id WHERE c.name = '{name}'"
        ))
        .await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Posts a GraphQL request, with a bearer token if given; returns the JSON body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        Self::post_gql(&self.client, &self.address, token, query, variables).await
    }

    /// The `data` of a GraphQL response read as `T` (a struct of the fields the query
    /// selects), or a panic showing the whole response: a typo in a field name fails here,
    /// where a raw JSON path would quietly read null.
    pub async fn data<T: serde::de::DeserializeOwned>(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> T {
        let body = self.gql(token, query, variables).await;
        if body.get("errors").is_some() {
            panic!("the request failed: {body}");
        }
        serde_json::from_value(body["data"].clone())
            .unwrap_or_else(|e| panic!("the response is not the shape asked for ({e}): {body}"))
    }

    /// [`Self::gql`] from another loopback address (`127.0.0.2`, …), as another client.
    pub async fn gql_from(
        &self,
        client: std::net::Ipv4Addr,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let from = reqwest::Client::builder()
            .local_address(std::net::IpAddr::V4(client))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        Self::post_gql(&from, &self.address, token, query, variables).await
    }

    /// Posts a GraphQL request from `client` to the server at `address`; with it, requests
    /// can be sent from tasks of their own, concurrently.
    pub async fn post_gql(
        client: &reqwest::Client,
        address: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = client
            .post(format!("{address}/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{e}"));
        res.json().await.unwrap_or_else(|e| panic!("{e}"))
    }

    /// Posts a file as the body to `path` with a bearer token; the status and JSON answer.
    pub async fn post_file(&self, token: Option<&str>, path: &str, body: Vec<u8>) -> (u16, Value) {
        let mut req = self
            .client
            .post(format!("{}{path}", self.address))
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{e}"));
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Fetches `path` with a bearer token; the status and the body's bytes.
    pub async fn get_file(&self, token: &str, path: &str) -> (u16, Vec<u8>) {
        let res = self
            .client
            .get(format!("{}{path}", self.address))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let status = res.status().as_u16();
        (
            status,
            res.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        )
    }

    /// Delivers a webhook as Stripe does: the raw body, with `signature` as `Stripe-Signature`.
    pub async fn post_webhook(&self, body: &[u8], signature: Option<&str>) -> (u16, Value) {
        let mut req = self
            .client
            .post(format!("{}/webhooks/stripe", self.address))
            .header("Content-Type", "application/json")
            .body(body.to_vec());
        if let Some(s) = signature {
            req = req.header("Stripe-Signature", s);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{e}"));
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// What `token`'s holder hears on `subscription` (run in this process against the app's
    /// database, as the server runs it): the `data` of each message until `wait` passes with
    /// none; the errors' codes if it is refused. Listening when this returns.
    pub async fn hears(
        &self,
        token: &str,
        subscription: &str,
        wait: std::time::Duration,
    ) -> tokio::task::JoinHandle<Vec<Value>> {
        use futures_util::StreamExt;
        let ctx = api::people::authenticate(&self.db, token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let schemas =
            api::graphql::Schemas::build(self.db.clone(), std::sync::Arc::default(), None);
        let request = async_graphql::Request::new(subscription)
            .data(api::tenancy::Loaders::new(&self.db, &ctx))
            .data(api::platform::graphql::context::Session::Authenticated(ctx));
        let mut stream = schemas.signed_in.execute_stream(request);
        tokio::spawn(async move {
            let mut heard = Vec::new();
            while let Ok(Some(r)) = tokio::time::timeout(wait, stream.next()).await {
                if let Some(e) = r.errors.first() {
                    let code = e.extensions.as_ref().and_then(|x| x.get("code")).cloned();
                    heard.push(
                        json!({ "refused": code.map(|c| c.into_json().unwrap_or_default()) }),
                    );
                    break;
                }
                heard.push(r.data.into_json().unwrap_or_default());
            }
            heard
        })
    }

    /// Signs in with the demo password and returns the token.
    pub async fn login(&self, identifier: &str) -> String {
        let body = self
            .gql(
                None,
                "mutation($i: LoginInput!) { login(input: $i) { token } }",
                json!({ "i": { "identifier": identifier, "password": PASSWORD } }),
            )
            .await;
        body["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed for {identifier}: {body}"))
            .to_owned()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Backend::Sqlite { path } = &self.backend {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

/// The `extensions.code` of the first error, if any.
#[must_use]
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// The `extensions.field` of the first error, if any.
#[must_use]
pub fn error_field(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["field"].as_str()
}
