//! Text no input may hold: the NUL character, which no person types and PostgreSQL cannot
//! store in text. A request carrying one anywhere (in its variables or in the document's own
//! arguments) is refused before any work, naming the field, on every engine alike.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use std::convert::Infallible;

use async_graphql::{Value as ConstValue, Variables};

/// The input field holding a NUL character, if any: the innermost object key or argument.
#[must_use]
pub fn field_holding_nul(doc: &ExecutableDocument, variables: &Variables) -> Option<String> {
    let in_variables = variables
        .iter()
        .find_map(|(name, value)| in_const(name.as_str(), value));
    in_variables.or_else(|| {
        let operations = doc
            .operations
            .iter()
            .map(|(_, op)| &op.node.selection_set.node);
        let fragments = doc.fragments.values().map(|f| &f.node.selection_set.node);
        operations.chain(fragments).find_map(in_selection_set)
    })
}

fn in_const(field: &str, value: &ConstValue) -> Option<String> {
    match value {
        ConstValue::String(s) => s.contains('\0').then(|| field.to_owned()),
        ConstValue::List(items) => items.iter().find_map(|v| in_const(field, v)),
        ConstValue::Object(fields) => fields.iter().find_map(|(k, v)| in_const(k.as_str(), v)),
        _ => None,
    }
}

fn in_selection_set(set: &SelectionSet) -> Option<String> {
    set.items.iter().find_map(|item| match &item.node {
        Selection::Field(field) => field
            .node
            .arguments
            .iter()
            .find_map(|(name, value)| {
                // Variables are checked on their own: here they count as null.
                let written = value
                    .node
                    .clone()
                    .into_const_with(|_| Ok::<_, Infallible>(ConstValue::Null));
                written.ok().and_then(|v| in_const(name.node.as_str(), &v))
            })
            .or_else(|| in_selection_set(&field.node.selection_set.node)),
        Selection::InlineFragment(inline) => in_selection_set(&inline.node.selection_set.node),
        Selection::FragmentSpread(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn check(query: &str, variables: serde_json::Value) -> Option<String> {
        let doc = parse_query(query).unwrap_or_else(|e| panic!("{e}"));
        let variables = Variables::from_json(variables);
        field_holding_nul(&doc, &variables)
    }

    #[test]
    fn a_nul_is_found_where_it_hides_and_named_by_its_field() {
        let q = "mutation($i: X!) { a(input: $i) { id } }";
        let input = serde_json::json!({ "i": { "reason": "ok", "evidence": { "certificateNumber": "A\u{0}1" } } });
        assert_eq!(check(q, input), Some("certificateNumber".into()));
        assert_eq!(
            check(q, serde_json::json!({ "i": { "reason": "fine\n" } })),
            None
        );
        let literal =
            r#"query { a(slug: "x\u0000y") { id } } fragment F on Q { b(list: ["ok", "\u0000"]) }"#;
        assert_eq!(check(literal, serde_json::json!({})), Some("slug".into()));
        let in_fragment = r#"query { a { id } } fragment F on Q { b(list: ["ok", "\u0000"]) }"#;
        assert_eq!(
            check(in_fragment, serde_json::json!({})),
            Some("list".into())
        );
    }
}
