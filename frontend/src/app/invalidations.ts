// What a write makes stale. The normalised cache updates an entity a mutation returns in place;
// lists, sums and reports cannot be patched by hand without restating the server's rules, so
// every successful mutation — and every change a subscription reports, someone else's write —
// marks the query fields that read them stale and open pages refetch.
import type { Cache, UpdateResolver } from '@urql/exchange-graphcache';

/** Query fields no mutation changes: the person and the firm's payment settings. */
const STABLE = new Set(['me', 'onlinePayment']);

function invalidateQueries(cache: Cache) {
  for (const f of cache.inspectFields('Query')) {
    if (!STABLE.has(f.fieldName)) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined);
  }
}

const everyMutation: UpdateResolver = (_result, _args, cache) => invalidateQueries(cache);

/**
 * A billing run moved: the run itself updates in place (it is normalised), a run the list
 * lacks (started elsewhere) makes the list stale, and only its end makes the rest stale — not
 * each of its batches.
 */
const billingRunChanged: UpdateResolver = (result, _args, cache) => {
  const run = result.billingRunChanged as { id: string; status: string };
  const listed = (cache.resolve('Query', 'billingRuns') as string[] | null) ?? [];
  if (run.status !== 'RUNNING') invalidateQueries(cache);
  else if (!listed.includes(cache.keyOfEntity({ __typename: 'BillingRun', id: run.id }) ?? '')) cache.invalidate('Query', 'billingRuns');
};

export const invalidations = {
  updates: new Proxy({} as Record<string, UpdateResolver>, {
    get: (_, field) => (field === 'billingRunChanged' ? billingRunChanged : everyMutation),
  }),
};
