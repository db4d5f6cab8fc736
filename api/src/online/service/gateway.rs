//! The errors of online payment being off and of Stripe failing.

use crate::online::stripe::GatewayError;
use crate::platform::error::AppError;

pub(super) fn disabled() -> AppError {
    AppError::forbidden("online payment is not enabled; pay at the property office instead")
}

pub(super) fn gateway(e: GatewayError) -> AppError {
    AppError::internal(e)
}
