//! Relay-style cursor connections over keyset pages.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::platform::error::AppError;
use crate::platform::page::{Page, PageRequest};

pub const DEFAULT_PAGE: i32 = 50;
pub const MAX_PAGE: i32 = 100;

/// Reads `first` and `after` into a page request, naming the argument at fault.
pub fn page_request(first: Option<i32>, after: Option<String>) -> Result<PageRequest, AppError> {
    Ok(PageRequest {
        after: after.map(|c| decode_cursor(&c)).transpose()?,
        limit: page_size(first)?,
    })
}

/// `first`, 1 to [`MAX_PAGE`] rows, [`DEFAULT_PAGE`] if not given.
pub fn page_size(first: Option<i32>) -> Result<u64, AppError> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(AppError::bad_input(
            "first",
            format!("must be between 1 and {MAX_PAGE}"),
        ));
    }
    Ok(u64::try_from(first).unwrap_or(50))
}

/// The cursor of a row in a list ranked by an amount, then id.
#[must_use]
pub fn ranked_cursor(rank: i64, id: Uuid) -> String {
    let mut bytes = rank.to_be_bytes().to_vec();
    bytes.extend_from_slice(id.as_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Reads a [`ranked_cursor`].
pub fn decode_ranked(cursor: &str) -> Result<(i64, Uuid), AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .filter(|b| b.len() == 24)
        .and_then(|b| {
            let rank = i64::from_be_bytes(b[..8].try_into().ok()?);
            Some((rank, Uuid::from_slice(&b[8..]).ok()?))
        })
        .ok_or_else(|| AppError::bad_input("after", "is not a cursor from this list"))
}

fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn decode_cursor(cursor: &str) -> Result<Uuid, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| Uuid::from_slice(&b).ok())
        .ok_or_else(|| AppError::bad_input("after", "is not a cursor from this list"))
}

/// Builds a connection from a page, each node keyed by its id.
pub fn connection<T, N: OutputType>(
    page: Page<T>,
    had_after: bool,
    id: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
) -> Connection<String, N> {
    let mut conn = Connection::new(had_after, page.has_next);
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(encode_cursor(id(&item)), node(item))),
    );
    conn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(id)).ok(), Some(id));
        assert!(decode_cursor("not-a-cursor").is_err());
        assert!(page_request(Some(0), None).is_err());
        assert!(page_request(Some(101), None).is_err());
        assert!(page_request(Some(-1), None).is_err());
        assert_eq!(page_request(None, None).map(|p| p.limit).ok(), Some(50));
        let ranked = ranked_cursor(-12_345, id);
        assert_eq!(decode_ranked(&ranked).ok(), Some((-12_345, id)));
        assert!(decode_ranked(&encode_cursor(id)).is_err());
        assert!(decode_ranked("not-a-cursor").is_err());
    }
}
