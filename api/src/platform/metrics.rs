//! Prometheus metrics: GraphQL operations by name and outcome, their latency, the database
//! pool, and sessions held or loaded. Rendered as text at `/metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use crate::platform::db::Db;

const BUCKETS_SECONDS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Operation names are chosen by clients; past this many distinct names, new ones count as
/// `other` so a client cannot grow the metrics without bound.
const MAX_OPERATIONS: usize = 200;

#[derive(Default)]
struct Series {
    buckets: [u64; BUCKETS_SECONDS.len()],
    count: u64,
    sum_micros: u128,
}

/// Request counts by (operation, outcome) and latency by operation.
type Tables = (
    BTreeMap<(String, &'static str), u64>,
    BTreeMap<String, Series>,
);

#[derive(Default)]
pub struct Metrics {
    // (operation, outcome) -> count; operation -> latency
    inner: Mutex<Tables>,
}

/// Keeps operation names to a safe alphabet and length.
fn label(operation: Option<&str>) -> String {
    match operation {
        Some(op)
            if !op.is_empty()
                && op.len() <= 64
                && op.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            op.to_owned()
        }
        Some(_) => "invalid".to_owned(),
        None => "anonymous".to_owned(),
    }
}

impl Metrics {
    pub fn observe(&self, operation: Option<&str>, outcome: &'static str, elapsed: Duration) {
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let (counts, latency) = &mut *guard;
        let mut op = label(operation);
        if !latency.contains_key(&op) && latency.len() >= MAX_OPERATIONS {
            op = "other".to_owned();
        }
        *counts.entry((op.clone(), outcome)).or_default() += 1;
        let series = latency.entry(op).or_default();
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS_SECONDS.iter().enumerate() {
            if secs <= *bound {
                series.buckets[i] += 1;
            }
        }
        series.count += 1;
        series.sum_micros += elapsed.as_micros();
    }

    #[must_use]
    pub fn render(&self, db: &Db) -> String {
        let mut out = String::new();
        let (size, idle) = db.pool_stats();
        let _ = writeln!(
            out,
            "# HELP courtyard_db_pool_connections Open database connections."
        );
        let _ = writeln!(out, "# TYPE courtyard_db_pool_connections gauge");
        let _ = writeln!(out, "courtyard_db_pool_connections {size}");
        let _ = writeln!(
            out,
            "# HELP courtyard_db_pool_idle_connections Idle database connections."
        );
        let _ = writeln!(out, "# TYPE courtyard_db_pool_idle_connections gauge");
        let _ = writeln!(out, "courtyard_db_pool_idle_connections {idle}");
        let (statements, micros) = db.statement_stats();
        let _ = writeln!(
            out,
            "# HELP courtyard_db_statements_total SQL statements executed."
        );
        let _ = writeln!(out, "# TYPE courtyard_db_statements_total counter");
        let _ = writeln!(out, "courtyard_db_statements_total {statements}");
        let _ = writeln!(
            out,
            "# HELP courtyard_db_statement_seconds_total Time spent in SQL statements."
        );
        let _ = writeln!(out, "# TYPE courtyard_db_statement_seconds_total counter");
        let _ = writeln!(
            out,
            "courtyard_db_statement_seconds_total {}.{:06}",
            micros / 1_000_000,
            micros % 1_000_000
        );
        let (hits, misses) = db.sessions().lookups();
        let _ = writeln!(
            out,
            "# HELP courtyard_session_lookups_total Signed-in requests by whether their session was held (hit) or loaded (miss)."
        );
        let _ = writeln!(out, "# TYPE courtyard_session_lookups_total counter");
        let _ = writeln!(
            out,
            "courtyard_session_lookups_total{{result=\"hit\"}} {hits}"
        );
        let _ = writeln!(
            out,
            "courtyard_session_lookups_total{{result=\"miss\"}} {misses}"
        );
        let Ok(guard) = self.inner.lock() else {
            return out;
        };
        let (counts, latency) = &*guard;
        let _ = writeln!(
            out,
            "# HELP courtyard_graphql_requests_total GraphQL requests by operation and outcome."
        );
        let _ = writeln!(out, "# TYPE courtyard_graphql_requests_total counter");
        for ((op, outcome), n) in counts {
            let _ = writeln!(
                out,
                "courtyard_graphql_requests_total{{operation=\"{op}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP courtyard_graphql_request_duration_seconds GraphQL request latency."
        );
        let _ = writeln!(
            out,
            "# TYPE courtyard_graphql_request_duration_seconds histogram"
        );
        for (op, s) in latency {
            for (bound, n) in BUCKETS_SECONDS.iter().zip(s.buckets) {
                let _ = writeln!(
                    out,
                    "courtyard_graphql_request_duration_seconds_bucket{{operation=\"{op}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "courtyard_graphql_request_duration_seconds_bucket{{operation=\"{op}\",le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "courtyard_graphql_request_duration_seconds_sum{{operation=\"{op}\"}} {}.{:06}",
                s.sum_micros / 1_000_000,
                s.sum_micros % 1_000_000
            );
            let _ = writeln!(
                out,
                "courtyard_graphql_request_duration_seconds_count{{operation=\"{op}\"}} {}",
                s.count
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_sanitised() {
        assert_eq!(label(Some("Households")), "Households");
        assert_eq!(label(Some("a\"}b")), "invalid");
        assert_eq!(label(None), "anonymous");
    }
}
