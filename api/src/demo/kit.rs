//! What the demo's seeds share: a deterministic generator and names drawn from it, seeded
//! values parsed, users added with the demo password, and the report of a run.

use domain::{Grant, Identifier, Name, SecurityBaseline};
use uuid::Uuid;

use crate::people::seed::{memberships, users};
use crate::people::{Password, hash_password};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};

pub const DEMO_PASSWORD: &str = "courtyard-demo";

pub(super) const SOME: SecurityBaseline = SecurityBaseline {
    cctv: true,
    gatehouse: false,
    guard: false,
    lighting: true,
    gate: true,
};

/// A small deterministic generator, so every demo database is the same.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "梁",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "桂兰", "志强", "玉兰", "德明", "淑珍", "国华", "红梅", "卫东", "丽娟", "永福",
    "春花", "海燕", "俊强", "小平",
];

pub(super) fn name_text(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

pub(super) fn name(rng: &mut Rng) -> AppResult<Name> {
    Name::parse(&name_text(rng)).map_err(|e| AppError::Internal(e.to_string().into()))
}

pub(super) fn parsed<T, E: std::fmt::Display>(r: Result<T, E>) -> AppResult<T> {
    r.map_err(|e| AppError::Internal(format!("demo seed is invalid: {e}").into()))
}

/// Summary of what a run created.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub tenants_created: Vec<String>,
    pub tenants_skipped: Vec<String>,
    pub households: u64,
}

pub(super) async fn add_user(
    db: &Db,
    tenant: Uuid,
    identifier: &str,
    display: &str,
    grant: Grant,
) -> AppResult<Uuid> {
    let identifier = parsed(Identifier::parse(identifier))?;
    let tx = db.begin_global().await?;
    let existing = users::find_by_identifier(&tx, &identifier).await?;
    let user = match existing {
        Some(u) => u,
        None => {
            let hash = hash_password(Password::parse(DEMO_PASSWORD)?).await?;
            users::insert(&tx, &identifier, &parsed(Name::parse(display))?, hash).await?
        }
    };
    tx.commit().await?;
    let tx = db.begin_tenant(tenant).await?;
    memberships::grant(&tx, tenant, user.id, grant, db.clock().now()).await?;
    tx.commit().await?;
    Ok(user.id)
}
