//! The committed SDL is the API's contract: this fails when code and file differ.
//! Run with `UPDATE_SCHEMA=1` to rewrite the file after an intended change.

use std::path::PathBuf;

#[test]
fn committed_schema_matches_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api/schema.graphql");
    let sdl = api::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &sdl).unwrap_or_else(|e| panic!("{e}"));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == sdl,
        "api/schema.graphql differs from the code; run `UPDATE_SCHEMA=1 cargo test -p courtyard-tests schema` and review the diff"
    );
}
