//! Counts each GraphQL request by its operation's name (as written in the document) and times it.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextRequest,
};
use async_graphql::{Response, async_trait};

use crate::platform::metrics::Metrics;

pub struct RequestMetrics(pub Arc<Metrics>);

impl ExtensionFactory for RequestMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest {
            metrics: Arc::clone(&self.0),
            operation: Mutex::new(None),
        })
    }
}

struct PerRequest {
    metrics: Arc<Metrics>,
    operation: Mutex<Option<String>>,
}

#[async_trait::async_trait]
impl Extension for PerRequest {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let response = next.run(ctx).await;
        let outcome = if response.errors.is_empty() {
            "ok"
        } else {
            "error"
        };
        let operation = self.operation.lock().ok().and_then(|g| g.clone());
        self.metrics
            .observe(operation.as_deref(), outcome, started.elapsed());
        response
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let (Some(name), Ok(mut slot)) = (operation_name, self.operation.lock()) {
            *slot = Some(name.to_owned());
        }
        next.run(ctx, operation_name).await
    }
}
