// The one GraphQL client: a normalised cache (graphcache) in front of fetch, and
// subscriptions over one WebSocket (graphql-ws, signed in with the session's token when it
// opens). A request the server answers UNAUTHENTICATED (a session that expired or was signed
// out elsewhere) ends the session here and returns to sign-in, which brings the person back to
// this page.
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient } from 'graphql-ws';
import { Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { endSession, session } from './session';
import { invalidations } from './invalidations';

/** Opened on the first subscription, closed when the last ends; reconnects by itself. */
const live = createWsClient({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql/ws`,
  connectionParams: () => ({ token: session.get() }),
  lazy: true,
  retryAttempts: Infinity,
  // A ping every 20 s: the server closes a connection silent for 60 s.
  keepAlive: 20_000,
});

export const client = new Client({
  url: '/graphql',
  // The API takes POST only (a GET would put a query and its variables in access logs).
  preferGetMethod: false,
  fetchOptions: (): RequestInit => {
    const token = session.get();
    return { headers: token ? { Authorization: `Bearer ${token}` } : {} };
  },
  // Each query reads the cache first and refreshes it from the server.
  requestPolicy: 'cache-and-network',
  exchanges: [
    mapExchange({
      onError(error) {
        if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) endSession();
      },
    }),
    cacheExchange({ updates: { Mutation: invalidations.updates, Subscription: invalidations.updates } }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: live.subscribe({ ...request, query: request.query ?? '' }, sink) }),
      }),
    }),
  ],
});
