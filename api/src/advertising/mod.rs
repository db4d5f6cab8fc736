//! Advertising contracts on common parts: the advertiser, the placements in one or several
//! compounds, the instalments expected, and the payments received — each shared among the
//! compounds by the contract's key and recorded as advertising income of each (through
//! income's public face, so it is split and closed like any other income).

mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{AdvertisingMutation, AdvertisingQuery};
pub use service::{ContractInput, PaymentInput, PlacementInput, record_payment, sign};
