//! The yes/no answers on a role that use cases ask before they touch data.

use super::error::{AppError, AppResult};
use super::request::RequestContext;

pub fn require_admin(ctx: &RequestContext) -> AppResult<()> {
    if ctx.principal.can_administer() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only the firm's administrator may change this",
        ))
    }
}

pub fn require_books(ctx: &RequestContext) -> AppResult<()> {
    if ctx.principal.can_keep_books() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only the firm's accountant or administrator may do this",
        ))
    }
}
