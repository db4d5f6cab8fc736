import { request } from '../api';
import { ErrorNote, Loading } from '../components';
import { graphql } from '../gql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';

const ReceiptQuery = graphql(`
  query Receipt($id: ID!) {
    payment(id: $id) {
      id householdId receiptNo receivedAt method reversed
      amount { display chinese }
      allocations { invoiceId amount { display } }
    }
    me { tenant { name } }
  }
`);

const HouseholdLabel = graphql(`
  query ReceiptHousehold($id: ID!) {
    household(id: $id) { unit room building { label } compound { name } }
  }
`);

/** A printable receipt (收据) for one payment. */
export function ReceiptPage({ id }: { id: string }) {
  const t = useT();
  const res = useLoad(() => request(ReceiptQuery, { id }), [id]);
  const hh = useLoad(async () => (res.data ? request(HouseholdLabel, { id: res.data.payment.householdId }) : undefined), [res.data?.payment.householdId]);
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const p = res.data.payment;
  const h = hh.data?.household;
  return (
    <article className="card receipt">
      <h1>{res.data.me.tenant.name} · {t.receiptTitle}</h1>
      <p className="muted">{t.receipt} {p.receiptNo} · {p.receivedAt.slice(0, 10)}</p>
      {h && <p className="big">{h.compound?.name} {h.building?.label}{h.unit}{h.room}</p>}
      <p className="big-number">{p.amount.display}</p>
      <p>{t.inWords}：{p.amount.chinese}</p>
      <p>{t.methods[p.method]}{p.reversed ? ` · ${t.reversed}` : ''}</p>
      <button className="no-print" onClick={() => window.print()}>{t.print}</button>
    </article>
  );
}
