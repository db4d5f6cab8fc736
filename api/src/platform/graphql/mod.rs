//! What every area's GraphQL shares: the request's context and session, errors, request
//! limits, pagination, metrics and the money type.

/// A GraphQL enum mirroring a domain enum variant for variant, with conversions both ways.
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $gql:ident, $domain:path { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $gql { $($(#[$vdoc])* $variant),+ }

        impl From<$gql> for $domain {
            fn from(v: $gql) -> Self { match v { $($gql::$variant => Self::$variant),+ } }
        }

        impl From<$domain> for $gql {
            fn from(v: $domain) -> Self { match v { $(<$domain>::$variant => Self::$variant),+ } }
        }
    };
}
pub(crate) use mirror_enum;

pub mod context;
pub mod error;
pub mod limits;
pub(crate) mod metrics;
mod money;
pub(crate) mod nul;
pub mod pagination;

pub use money::MoneyAmount;

/// What every resolver returns.
pub type GqlResult<T> = async_graphql::Result<T>;
