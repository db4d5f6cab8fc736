// A contractor's phone: the jobs sent to them, and for each the next move — accept or
// decline (saying why), start, complete with the cost; and what the firm owes them for
// verified work and has paid them.
import { Button, Input } from 'antd-mobile';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { useMe } from '../app/me';
import * as moves from '../app/workOrders';
import { graphql } from '../gql';
import { useT } from '../i18n';
import { yuan } from '../money';
import { NoteAction } from './NoteAction';
import { OrderPage, type Order } from './orderParts';
import { useMove } from './useMove';

const myAccountDocument = graphql(`
  query MyContractorAccount($id: ID!) {
    contractorAccount(contractorId: $id) {
      id owed { fen } unpaid { id orderNumber amount { fen } }
      payments { id paidAt method amount { fen } costs { id orderNumber } }
    }
  }
`);

const myJobsDocument = graphql(`
  query MyJobs {
    workOrders(states: [DISPATCHED, ACCEPTED, IN_PROGRESS, COMPLETED], first: 100) {
      edges { node { id number compoundName location trade priority state respondBy resolveBy overdue } }
    }
  }
`);

export default function JobsPage() {
  const t = useT();
  const [{ data, error }] = useQuery({ query: myJobsDocument });
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  const jobs = data.workOrders.edges.map((e) => e.node);
  return (
    <>
      <h1>{t.wo.myJobs}</h1>
      {jobs.length === 0 && <p className="muted">{t.wo.noJobs}</p>}
      <ul className="order-list">
        {jobs.map((j) => (
          <li key={j.id}>
            <Link to={`/jobs/${j.id}`} className="card order-link">
              <span className="big">{t.wo.number} {j.number} · {t.wo.states[j.state]} · {t.wo.priorities[j.priority]}</span>
              <span>{j.compoundName} · {j.location} · {t.wo.trades[j.trade]}</span>
              <span className={j.overdue ? 'owing' : 'muted'}>
                {j.state === 'DISPATCHED' ? `${t.wo.respondBy}${t.colon}${moves.when(j.respondBy)}` : `${t.wo.resolveBy}${t.colon}${moves.when(j.resolveBy)}`}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <Earnings />
    </>
  );
}

/** What the firm owes the contractor for verified work, and its latest payments to them. */
function Earnings() {
  const t = useT();
  const me = useMe();
  const id = me.memberships.find((m) => m.role === 'contractor')?.scopeId ?? '';
  const [{ data }] = useQuery({ query: myAccountDocument, variables: { id }, pause: !id });
  const account = data?.contractorAccount;
  if (!account) return null;
  return (
    <section className="card earnings" aria-labelledby="earnings">
      <h2 id="earnings">{t.wo.myEarnings}</h2>
      <p className="big">{t.wo.owedToMe}{t.colon}{yuan(account.owed.fen)}</p>
      {account.unpaid.length > 0 && <p className="muted">{account.unpaid.map((c) => `${t.wo.number} ${c.orderNumber}`).join('、')}</p>}
      <ul className="payments-list">
        {account.payments.slice(0, 5).map((p) => (
          <li key={p.id}>
            {p.paidAt.slice(0, 10)} · {t.wo.paidFroms[p.method]} · {yuan(p.amount.fen)}
            <span className="muted"> · {p.costs.map((c) => c.orderNumber).join('、')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function JobPage() {
  const t = useT();
  return <OrderPage title={t.wo.myJobs} part="CONTRACTOR" moves={(o) => <ContractorMoves order={o} />} />;
}

function ContractorMoves({ order: o }: { order: Order }) {
  const t = useT();
  const accept = useMove(moves.acceptDocument);
  const decline = useMove(moves.declineDocument);
  const start = useMove(moves.startDocument);
  const complete = useMove(moves.completeDocument);
  const [cost, setCost] = useState('');
  const [note, setNote] = useState('');
  const error = [accept, decline, start, complete].map((m) => m.error).find(Boolean);
  return (
    <div className="moves">
      {o.state === 'DISPATCHED' && (
        <>
          <Button block color="primary" size="large" loading={accept.fetching} onClick={() => void accept.run({ id: o.id, note: null })}>{t.wo.accept}</Button>
          <NoteAction danger label={t.wo.decline} prompt={t.wo.declineReason} busy={decline.fetching} onSend={(n) => decline.run({ id: o.id, note: n })} />
        </>
      )}
      {o.state === 'ACCEPTED' && (
        <Button block color="primary" size="large" loading={start.fetching} onClick={() => void start.run({ id: o.id, note: null })}>{t.wo.start}</Button>
      )}
      {o.state === 'IN_PROGRESS' && (
        <div className="card">
          <label>{t.wo.costYuan}<Input value={cost} onChange={setCost} inputMode="decimal" /></label>
          {o.estimate && <p className="muted">{t.fields.estimate} ≤ {o.estimate.yuan}</p>}
          {o.reopened > 0 && <p className="muted">{t.wo.reworkFree}</p>}
          <label>{t.wo.completeNote}<Input value={note} onChange={setNote} maxLength={500} /></label>
          <Button block color="primary" size="large" loading={complete.fetching} disabled={!cost.trim()}
            onClick={() => void complete.run({ id: o.id, cost: cost.trim(), note: note.trim() || null })}>{t.wo.complete}</Button>
        </div>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
