// Every mutation in the schema is reachable from the web app: each must be used by one of the
// front end's operations, unless it is on the short list below of mutations meant for other
// clients. A new mutation without a screen fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, visit } from 'graphql';

/** Mutations no screen calls, each with the reason why (none today). */
const API_ONLY = {};

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'gql' ? [] : sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** The GraphQL documents in the front end's source: `graphql(`…`)` and `/* GraphQL *\/ `…``. */
function documents() {
  const found = [];
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:graphql\(\s*|\/\* GraphQL \*\/\s*)`([^`]*)`/g)) found.push(m[1]);
  }
  return found;
}

test('every mutation in the schema is used by the web app', () => {
  const schema = buildSchema(readFileSync('../api/schema.graphql', 'utf8'));
  const all = Object.keys(schema.getMutationType().getFields());
  const used = new Set();
  for (const doc of documents()) {
    for (const def of parse(doc).definitions) {
      if (def.kind !== 'OperationDefinition' || def.operation !== 'mutation') continue;
      visit(def.selectionSet, { Field: (f) => { used.add(f.name.value); return false; } });
    }
  }
  const missing = all.filter((m) => !used.has(m) && !(m in API_ONLY));
  assert.deepEqual(missing, [], `mutations no screen calls: ${missing.join(', ')}`);
  const stale = Object.keys(API_ONLY).filter((m) => used.has(m) || !all.includes(m));
  assert.deepEqual(stale, [], `API_ONLY lists mutations the app uses or the schema lacks: ${stale.join(', ')}`);
});
