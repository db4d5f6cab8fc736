// PostGraphile 5 over Courtyard's PostgreSQL schema, for scripts/bench-read: the peer a team
// would otherwise pick. It connects as the same role (`courtyard_app`, row-level security
// applying) and sets the same setting per request, `app.tenant_id`, here from the request's
// `X-Tenant` header (standing in for the claim of a verified JWT: no session is checked).
// The tables' keys are (tenant_id, id) and billing's tables have no foreign keys, so the
// relations the bill page follows are declared as smart tags.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makeJSONPgSmartTagsPlugin } from "postgraphile/utils";

const references = (to, column) => `(tenant_id, ${column}) references ${to} (tenant_id, id)`;
const Relations = makeJSONPgSmartTagsPlugin({
  version: 1,
  config: {
    class: {
      invoices: { tags: { foreignKey: references("households", "household_id") } },
      invoice_lines: { tags: { foreignKey: references("invoices", "invoice_id") } },
      payments: { tags: { foreignKey: references("households", "household_id") } },
      payment_allocations: {
        tags: {
          foreignKey: [references("payments", "payment_id"), references("invoices", "invoice_id")],
        },
      },
    },
  },
});

const port = Number(process.env.PORT ?? 5678);
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [Relations],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      pgSettings: (ctx) => ({ "app.tenant_id": ctx.node?.req?.headers["x-tenant"] ?? "" }),
    }),
  ],
  grafserv: { port, graphqlPath: "/graphql", graphiql: false },
};

const serv = postgraphile(preset).createServ(grafserv);
const server = createServer();
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
server.listen(port);
