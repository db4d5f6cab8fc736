//! Per-request DataLoaders: one batched query per kind of lookup, however many fields ask.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use uuid::Uuid;

use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::tenancy::model::Building;
use crate::tenancy::model::Bundle;
use crate::tenancy::model::Compound;
use crate::tenancy::service as tenancy;

pub struct Loaders {
    pub household_counts: DataLoader<HouseholdCounts>,
    pub bundles: DataLoader<Bundles>,
    pub compounds: DataLoader<Compounds>,
    /// Cached for the request: a list fills it with its page's buildings beforehand.
    pub buildings: DataLoader<Buildings, HashMapCache>,
}

impl Loaders {
    #[must_use]
    pub fn new(db: &Db, ctx: &RequestContext) -> Self {
        let scoped = || Scoped {
            db: db.clone(),
            ctx: ctx.clone(),
        };
        Self {
            household_counts: DataLoader::new(HouseholdCounts(scoped()), tokio::spawn),
            bundles: DataLoader::new(Bundles(scoped()), tokio::spawn),
            compounds: DataLoader::new(Compounds(scoped()), tokio::spawn),
            buildings: DataLoader::with_cache(
                Buildings(scoped()),
                tokio::spawn,
                HashMapCache::default(),
            ),
        }
    }
}

pub struct Scoped {
    db: Db,
    ctx: RequestContext,
}

macro_rules! loader {
    ($name:ident, $value:ty, $fetch:path) => {
        pub struct $name(Scoped);

        impl Loader<Uuid> for $name {
            type Value = $value;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, $value>, Self::Error> {
                Ok($fetch(&self.0.db, &self.0.ctx, keys).await?)
            }
        }
    };
}

loader!(HouseholdCounts, i64, tenancy::household_counts);
loader!(Bundles, Bundle, tenancy::bundles_by_id);
loader!(Compounds, Compound, tenancy::compounds_by_id);
loader!(Buildings, Building, tenancy::buildings_by_id);
