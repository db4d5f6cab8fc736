// A printable receipt (收据), the same for staff and residents: who paid, for which months,
// how much in figures and in words, how, and who took the money. Plain markup, so that it
// prints the same from the console and from a phone.
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { useT } from '../i18n';
import { describe, fromCombined } from './errors';
import './receipt.css';

const receiptDocument = graphql(`
  query Receipt($id: ID!) {
    receipt(paymentId: $id) {
      payment { id householdId receiptNo receivedAt method reversed payer amount { display chinese } }
      months { period amount { display } }
      collector
    }
    me { tenant { name } }
  }
`);

const receiptHouseholdDocument = graphql(`
  query ReceiptHousehold($id: ID!) {
    household(id: $id) { id unit room building { label } compound { name } }
  }
`);

export function Receipt({ id }: { id: string }) {
  const t = useT();
  const [{ data, error }] = useQuery({ query: receiptDocument, variables: { id } });
  const householdId = data?.receipt.payment.householdId ?? '';
  const [hh] = useQuery({ query: receiptHouseholdDocument, variables: { id: householdId }, pause: !householdId });
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  const { payment: p, months, collector } = data.receipt;
  const h = hh.data?.household;
  const paid = months.map((m) => `${m.period ?? t.prepaid} ${m.amount.display}`);
  return (
    <article className="receipt print-area">
      <h1>{data.me.tenant.name} · {t.receiptTitle}</h1>
      <dl>
        <dt>{t.receipt}</dt><dd>{p.receiptNo}</dd>
        <dt>{t.date}</dt><dd>{p.receivedAt.slice(0, 10)}</dd>
        {h && <><dt>{t.households}</dt><dd>{h.compound?.name} {h.building?.label}{h.unit}{h.room}</dd></>}
        <dt>{t.payer}</dt><dd>{p.payer ?? '—'}</dd>
        <dt>{t.monthsPaid}</dt><dd>{paid.join('；') || '—'}</dd>
        <dt>{t.amount}</dt><dd className="big-number">{p.amount.display}</dd>
        <dt>{t.inWords}</dt><dd>{p.amount.chinese}</dd>
        <dt>{t.method}</dt><dd>{t.methods[p.method]}{p.reversed ? ` · ${t.reversed}` : ''}</dd>
        <dt>{t.collector}</dt><dd>{collector ?? (p.method === 'ONLINE' ? t.methods.ONLINE : '—')}</dd>
      </dl>
      <button type="button" className="no-print" onClick={() => window.print()}>{t.print}</button>
    </article>
  );
}
