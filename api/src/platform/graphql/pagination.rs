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
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(AppError::bad_input(
            "first",
            format!("must be between 1 and {MAX_PAGE}"),
        ));
    }
    let after = after.map(|c| decode_cursor(&c)).transpose()?;
    Ok(PageRequest {
        after,
        limit: u64::try_from(first).unwrap_or(50),
    })
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
    }
}
