//! The one mapping from errors to `extensions.code`.
//!
//! Resolvers return [`AppError`] with `?`; async-graphql keeps it as the error's source, and
//! [`classify`] reads it back here to set `code` (and `field`) once for the whole response.
//! Errors without an `AppError` source come from the GraphQL engine itself (syntax, unknown
//! fields, wrong argument types, depth or complexity limits): all faults of the request.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextSubscribe};
use async_graphql::{Response, ServerError};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::platform::error::AppError;

/// Sets `code` (and `field`) once: an error classified already (before execution, say) is
/// left as it is, so its cause is logged once.
pub fn classify(error: &mut ServerError) {
    if error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
    {
        return;
    }
    let (code, field, reason, choices) = match error.source::<AppError>() {
        Some(app) => {
            if let AppError::Internal(cause) = app {
                // The cause goes to the log only; the client sees an opaque message.
                tracing::error!(error.cause = %cause, error.debug = ?cause, "internal error");
            }
            let choices: Vec<async_graphql::Value> = app
                .choices()
                .iter()
                .map(|(value, label)| {
                    let mut c = async_graphql::indexmap::IndexMap::new();
                    c.insert(async_graphql::Name::new("value"), value.clone().into());
                    c.insert(async_graphql::Name::new("label"), label.clone().into());
                    async_graphql::Value::Object(c)
                })
                .collect();
            (
                app.code(),
                app.field().map(str::to_owned),
                app.reason(),
                choices,
            )
        }
        None => ("BAD_USER_INPUT", None, None, Vec::new()),
    };
    let ext = error.extensions.get_or_insert_with(Default::default);
    ext.set("code", code);
    if let Some(field) = field {
        ext.set("field", field);
    }
    if let Some(reason) = reason {
        ext.set("reason", reason);
    }
    if !choices.is_empty() {
        ext.set("choices", async_graphql::Value::List(choices));
    }
}

/// A response-level error for a failure before execution (e.g. the session store is down).
#[must_use]
pub fn server_error(e: AppError) -> ServerError {
    let mut error = ServerError::new(e.to_string(), None);
    error.source = Some(std::sync::Arc::new(e));
    classify(&mut error);
    error
}

/// Classifies the errors of every response a subscription sends (over `/graphql/ws`), as
/// `/graphql` classifies its one response.
pub struct ClassifySubscriptions;

impl ExtensionFactory for ClassifySubscriptions {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Self)
    }
}

impl Extension for ClassifySubscriptions {
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut r| {
                r.errors.iter_mut().for_each(classify);
                r
            })
            .boxed()
    }
}
