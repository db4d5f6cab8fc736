// What the phone pages show of a work order: a summary card, the moves of the reader's part
// and the timeline, in plain markup (light on a slow connection).
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { OrderPhotos } from '../app/OrderPhotos';
import { detailDocument, when } from '../app/workOrders';
import type { WorkOrderActor, WorkOrderDetailQuery } from '../gql/graphql';
import { useT } from '../i18n';
import { yuan } from '../money';

type Detail = WorkOrderDetailQuery['workOrder'];
export type Order = Detail['order'];

/** The order in the address, with `moves` shown when the reader plays `part` on it. */
export function OrderPage({ title, part, moves }: { title: string; part: WorkOrderActor; moves: (o: Order) => ReactNode }) {
  const t = useT();
  const { id = '' } = useParams();
  const [{ data, error }] = useQuery({ query: detailDocument, variables: { id } });
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  const d = data.workOrder;
  return (
    <>
      <h1>{title}</h1>
      <OrderSummary order={d.order} />
      <OrderPhotos orderId={d.order.id} photos={d.photos}
        canAdd={d.myParts.length > 0 && !['REJECTED', 'CLOSED', 'CANCELLED'].includes(d.order.state)} />
      {d.myParts.includes(part) && moves(d.order)}
      <h2>{t.wo.timeline}</h2>
      <Steps timeline={d.timeline} />
    </>
  );
}


function OrderSummary({ order: o }: { order: Order }) {
  const t = useT();
  return (
    <div className="card order">
      <p className="big">{t.wo.number} {o.number} · {t.wo.states[o.state]}</p>
      <p>{o.compoundName} · {o.location}</p>
      <p>{t.wo.trades[o.trade]} · {t.wo.priorities[o.priority]}</p>
      <p className="order-text">{o.description}</p>
      {o.contractor && <p>{t.wo.contractor}{t.colon}{o.contractor.name}{o.contractor.phone ? ` · ${o.contractor.phone}` : ''}</p>}
      {o.bearer && <p>{t.wo.bearer}{t.colon}{t.wo.bearers[o.bearer]}{o.estimate ? ` · ${t.fields.estimate} ${yuan(o.estimate.fen)}` : ''}</p>}
      {o.cost && <p>{t.wo.cost}{t.colon}{yuan(o.cost.fen)}{o.bearer === 'HOUSEHOLD' ? ` · ${t.wo.billedNext}` : ''}</p>}
      <p className={o.overdue ? 'owing' : 'muted'}>{t.wo.resolveBy}{t.colon}{when(o.resolveBy)}{o.overdue ? ` · ${t.wo.overdue}` : ''}</p>
    </div>
  );
}

function Steps({ timeline }: { timeline: Detail['timeline'] }) {
  const t = useT();
  return (
    <ol className="steps" aria-label={t.wo.timeline}>
      {timeline.map((s) => (
        <li key={s.seq}>
          <strong>{t.wo.actions[s.action]}</strong>
          <span className="muted"> {when(s.at)} · {t.wo.actors[s.actor]}{s.contractor ? ` · ${s.contractor.name}` : ''}</span>
          {s.note && <div className="order-text">{s.note}</div>}
        </li>
      ))}
    </ol>
  );
}
