//! The board's GraphQL: its address, and a new one (the old one then answers 404).

use async_graphql::{Context, ID, Object};

use super::service;
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::context::{ContextExt, parse_id};

fn path(token: &str) -> String {
    format!("/board/{token}")
}

#[derive(Default)]
pub struct BoardQuery;

#[Object]
impl BoardQuery {
    /// Where the compound's public accounts board is published (`/board/…`), if it is
    /// (book-keepers and the compound's committee).
    async fn public_board_path(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Option<String>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(service::address(ctx.db(), ctx.session()?, compound)
            .await?
            .as_deref()
            .map(path))
    }
}

#[derive(Default)]
pub struct BoardMutation;

#[Object]
impl BoardMutation {
    /// Publishes the compound's board at a new unguessable address; the previous address
    /// stops answering (accountant, admin).
    async fn rotate_public_board(&self, ctx: &Context<'_>, compound_id: ID) -> GqlResult<String> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(path(
            &service::rotate(ctx.db(), ctx.session()?, compound).await?,
        ))
    }
}
