//! What one GraphQL request may ask of the server, checked before any work is done.
//!
//! Four bounds, each refusing a request cheaply and with a clear error:
//! - the body's size (checked by the HTTP layer while reading it);
//! - the number of fields the document selects once every fragment spread is expanded,
//!   counted here in time linear in the document's text (each fragment is sized once), so
//!   that a document whose fragments spread each other exponentially never reaches the
//!   engine's validation, which expands them one by one;
//! - its cost, computed by the engine: one per field, a connection's children multiplied by
//!   its page size ([`page`]), an expensive field (a sign-in, a report, a call to Stripe)
//!   costing [`EXPENSIVE`], so that a request holds only a handful of them;
//! - its time (see `http::graphql`).
//!
//! Anonymous requests get a far smaller budget than signed-in ones.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::Name;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

/// The HTTP-level limits of `/graphql`.
#[derive(Clone, Copy, Debug)]
pub struct RequestLimits {
    /// The largest body read; the web app's largest request is a few kilobytes.
    pub body_bytes: usize,
    /// How long a request may run before it is stopped.
    pub time: Duration,
}

impl RequestLimits {
    #[must_use]
    pub fn with_time(time: Duration) -> Self {
        Self {
            body_bytes: 64 * 1024,
            time,
        }
    }
}

/// How much one request may ask for.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Fields selected, with fragment spreads expanded.
    pub fields: usize,
    /// Cost as computed by the engine (see the module's comment).
    pub complexity: usize,
    /// Nesting of selections.
    pub depth: usize,
}

/// Staff, committee members, residents and contractors: two levels of full pages (a page of
/// bundles, each with a page of compounds) but not three.
pub const SIGNED_IN: Budget = Budget {
    fields: 2_000,
    complexity: 100_000,
    depth: 12,
};

/// Without a session: one sign-in (or sign-up), the public settings and the schema's
/// introspection, nothing more.
pub const ANONYMOUS: Budget = Budget {
    fields: 500,
    complexity: 25_000,
    depth: 12,
};

/// The cost of one expensive field: at most five fit in a signed-in request, one in an
/// anonymous one.
pub const EXPENSIVE: usize = 18_000;

/// The page size a connection assumes when `first` is not given (as `pagination` reads it).
const DEFAULT_PAGE: usize = 50;
/// The largest page any list field serves.
const LARGEST_PAGE: usize = 200;
/// No one field's cost is counted above this, so that sums of many never overflow.
const COST_CEILING: usize = 1 << 40;
/// Fragments spreading fragments, at most this deep (the engine's own limit is 32).
const FRAGMENT_NESTING: usize = 32;

/// The cost of a list field that serves `first` items (a default page when absent), each
/// costing `child` (the cost of one item's selection).
#[must_use]
pub fn page(first: Option<i32>, child: usize) -> usize {
    let items = first
        .and_then(|n| usize::try_from(n).ok())
        .map_or(DEFAULT_PAGE, |n| n.clamp(1, LARGEST_PAGE));
    items
        .saturating_mul(child)
        .saturating_add(1)
        .min(COST_CEILING)
}

/// Why a document was refused before execution.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    #[error(
        "this request selects more than {limit} fields (fragments counted where they are spread); ask for less at once"
    )]
    TooManyFields { limit: usize },
    #[error("fragment `{0}` spreads itself")]
    FragmentCycle(String),
    #[error("fragments spread fragments more than {FRAGMENT_NESTING} deep")]
    FragmentsTooDeep,
}

/// Counts the fields `doc` selects with every fragment spread expanded, refusing it once the
/// count passes `limit`. Each fragment is sized once, however often it is spread.
pub fn check_fields(doc: &ExecutableDocument, limit: usize) -> Result<usize, Refusal> {
    let mut sizer = Sizer {
        doc,
        sizes: HashMap::new(),
    };
    let mut total = 0usize;
    for (_, operation) in doc.operations.iter() {
        total = total.saturating_add(sizer.selection_set(&operation.node.selection_set.node, 0)?);
    }
    for fragment in doc.fragments.values() {
        // Fragments no operation spreads are still validated by the engine.
        total = total.saturating_add(sizer.selection_set(&fragment.node.selection_set.node, 0)?);
    }
    if total > limit {
        return Err(Refusal::TooManyFields { limit });
    }
    Ok(total)
}

/// Whether the operation that will run (the one named, or the only one) is a mutation.
#[must_use]
pub fn is_mutation(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    doc.operations.iter().any(|(name, op)| {
        op.node.ty == OperationType::Mutation
            && (operation_name.is_none() || name.map(|n| n.as_str()) == operation_name)
    })
}

enum Size {
    Sizing,
    Known(usize),
}

struct Sizer<'a> {
    doc: &'a ExecutableDocument,
    sizes: HashMap<&'a Name, Size>,
}

impl<'a> Sizer<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet, nesting: usize) -> Result<usize, Refusal> {
        let mut size = 0usize;
        for item in &set.items {
            let n = match &item.node {
                Selection::Field(field) => self
                    .selection_set(&field.node.selection_set.node, nesting)?
                    .saturating_add(1),
                Selection::InlineFragment(inline) => {
                    self.selection_set(&inline.node.selection_set.node, nesting)?
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, nesting + 1)?
                }
            };
            size = size.saturating_add(n);
        }
        Ok(size)
    }

    fn fragment(&mut self, name: &'a Name, nesting: usize) -> Result<usize, Refusal> {
        if nesting > FRAGMENT_NESTING {
            return Err(Refusal::FragmentsTooDeep);
        }
        match self.sizes.get(name) {
            Some(Size::Known(n)) => return Ok(*n),
            Some(Size::Sizing) => return Err(Refusal::FragmentCycle(name.to_string())),
            None => {}
        }
        // An unknown fragment is the engine's to report.
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Ok(0);
        };
        self.sizes.insert(name, Size::Sizing);
        let n = self.selection_set(&fragment.node.selection_set.node, nesting)?;
        self.sizes.insert(name, Size::Known(n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn fields(query: &str, limit: usize) -> Result<usize, Refusal> {
        let doc = parse_query(query).unwrap_or_else(|e| panic!("{e}"));
        check_fields(&doc, limit)
    }

    /// `levels` fragments, each spreading the one before twice: 2^levels fields in all.
    fn fragment_bomb(levels: usize) -> String {
        let mut q =
            format!("query {{ ...F{levels} }} fragment F1 on QueryRoot {{ me {{ userId }} }}");
        for i in 2..=levels {
            q.push_str(&format!(
                " fragment F{i} on QueryRoot {{ ...F{p} ...F{p} }}",
                p = i - 1
            ));
        }
        q
    }

    #[test]
    fn fields_are_counted_where_fragments_are_spread() {
        let q = "query { me { userId } ...M ...M } fragment M on QueryRoot { a: me { userId } }";
        // me + userId, then each spread's a + userId, plus the fragment's own definition.
        assert_eq!(fields(q, 100), Ok(8));
    }

    #[test]
    fn a_fragment_bomb_is_refused_at_once() {
        // 2^30 fields expanded; sized in 30 steps, each fragment once.
        assert_eq!(
            fields(&fragment_bomb(30), SIGNED_IN.fields),
            Err(Refusal::TooManyFields {
                limit: SIGNED_IN.fields
            })
        );
        // F5 expands to 32 fields where it is spread; F1…F5 are counted once more each.
        assert_eq!(
            fields(&fragment_bomb(5), SIGNED_IN.fields),
            Ok(32 + (2 + 4 + 8 + 16 + 32))
        );
    }

    #[test]
    fn cycles_and_deep_chains_are_refused() {
        let cycle =
            "query { ...A } fragment A on QueryRoot { ...B } fragment B on QueryRoot { ...A }";
        assert!(matches!(fields(cycle, 100), Err(Refusal::FragmentCycle(_))));
        let mut chain = String::from("query { ...F0 }");
        for i in 0..40 {
            chain.push_str(&format!(" fragment F{i} on QueryRoot {{ ...F{} }}", i + 1));
        }
        chain.push_str(" fragment F40 on QueryRoot { me { userId } }");
        assert_eq!(fields(&chain, 1_000), Err(Refusal::FragmentsTooDeep));
    }

    #[test]
    fn pages_multiply_their_items_cost() {
        assert_eq!(page(Some(100), 10), 1_001);
        assert_eq!(page(None, 10), 501);
        assert_eq!(
            page(Some(-5), 10),
            501,
            "a bad `first` is refused later, cheaply"
        );
        assert_eq!(page(Some(i32::MAX), 10), 2_001);
        assert_eq!(page(Some(100), usize::MAX), COST_CEILING);
    }
}
