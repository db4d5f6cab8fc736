//! The one GraphQL shape of an amount of money.

use async_graphql::SimpleObject;
use domain::Money;

/// An amount of CNY. `fen` is exact; `yuan` is `12.30`; `display` is `¥12.30`.
#[derive(SimpleObject, Clone, Copy)]
#[graphql(complex)]
pub struct MoneyAmount {
    pub fen: i64,
}

#[async_graphql::ComplexObject]
impl MoneyAmount {
    async fn yuan(&self) -> String {
        Money::from_fen(self.fen).to_plain()
    }
    async fn display(&self) -> String {
        Money::from_fen(self.fen).to_string()
    }
    /// In Chinese financial capitals, as on a receipt: 壹拾肆元整.
    async fn chinese(&self) -> String {
        Money::from_fen(self.fen).to_chinese_uppercase()
    }
}

impl From<Money> for MoneyAmount {
    fn from(m: Money) -> Self {
        Self { fen: m.fen() }
    }
}
