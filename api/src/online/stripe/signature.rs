//! Stripe's webhook signature: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=…]`, where
//! each `v1` is HMAC-SHA256 with the endpoint secret over `"<t>.<raw body>"`. A signature
//! is accepted only if one `v1` matches (compared in constant time) and `t` is within the
//! tolerance of our clock in either direction (a replay of an old delivery, or a clock far
//! ahead, is refused).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Stripe's default tolerance.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is missing or malformed")]
    Malformed,
    #[error("no signature matches the payload")]
    Mismatch,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
}

fn mac(secret: &str, t: i64, payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

/// Checks `header` against `payload` at time `now` (unix seconds).
pub fn verify(payload: &[u8], header: &str, secret: &str, now: i64) -> Result<(), SignatureError> {
    let mut t = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => candidates.push(decode_hex(v).ok_or(SignatureError::Malformed)?),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let matched = candidates
        .iter()
        .any(|sig| mac(secret, t, payload).verify_slice(sig).is_ok());
    if !matched {
        return Err(SignatureError::Mismatch);
    }
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

/// The header Stripe would send for `payload` at time `t` (for tests and benchmarks).
#[must_use]
pub fn sign(payload: &[u8], secret: &str, t: i64) -> String {
    let bytes = mac(secret, t, payload).finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;

    #[test]
    fn a_fresh_signature_verifies() {
        let h = sign(BODY, SECRET, 1_000_000);
        assert_eq!(verify(BODY, &h, SECRET, 1_000_000), Ok(()));
        assert_eq!(verify(BODY, &h, SECRET, 1_000_300), Ok(()));
        assert_eq!(verify(BODY, &h, SECRET, 999_700), Ok(()));
    }

    #[test]
    fn wrong_secret_tampered_body_and_time_outside_tolerance_are_refused() {
        let h = sign(BODY, SECRET, 1_000_000);
        assert_eq!(
            verify(BODY, &h, "whsec_other", 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(br#"{"id":"evt_2"}"#, &h, SECRET, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(BODY, &h, SECRET, 1_000_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(BODY, &h, SECRET, 999_699),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn any_of_several_signatures_may_match_and_garbage_is_malformed() {
        let good = sign(BODY, SECRET, 5);
        let v1 = good.split_once(",v1=").map(|(_, v)| v).unwrap_or_default();
        let header = format!("t=5,v1={},v1={v1},v0=ignored", "00".repeat(32));
        assert_eq!(verify(BODY, &header, SECRET, 5), Ok(()));
        assert_eq!(verify(BODY, "", SECRET, 5), Err(SignatureError::Malformed));
        assert_eq!(
            verify(BODY, "t=5", SECRET, 5),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(BODY, "v1=00", SECRET, 5),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(BODY, "t=5,v1=zz", SECRET, 5),
            Err(SignatureError::Malformed)
        );
    }
}
