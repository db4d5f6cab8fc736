import { useState, type FormEvent } from 'react';
import { request } from '../api';
import { ErrorNote, Loading } from '../components';
import { graphql } from '../gql';
import { useAction, useLoad } from '../hooks';
import { useT } from '../i18n';
import { yuan } from '../money';
import { PayOnline } from './Pay';

const AccountQuery = graphql(`
  query HouseholdBills($id: ID!) {
    householdAccount(householdId: $id) {
      balance { fen }
      invoices { id number period daysBilled gross { fen } waived { fen } due { fen } paid { fen } credited { fen } outstanding { fen } lines { kind amount { fen } lateFeeFor } }
      payments { id amount { fen } method receiptNo receivedAt reversed }
    }
    onlinePayment { enabled }
  }
`);

const PayMutation = graphql(`
  mutation RecordCashPayment($input: PaymentInput!) {
    recordPayment(input: $input) { id }
  }
`);

/** A household's bills and payments, in words a resident understands. */
export function Bills({ householdId, canRecord, canPayOnline }: { householdId: string; canRecord: boolean; canPayOnline: boolean }) {
  const t = useT();
  const [version, setVersion] = useState(0);
  const res = useLoad(() => request(AccountQuery, { id: householdId }), [householdId, version]);
  if (res.error?.code === 'FORBIDDEN') return null;
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const a = res.data.householdAccount;
  return (
    <section className="card">
      <h2>{t.bills}</h2>
      <p className={a.balance.fen > 0 ? 'owing' : 'settled'}>
        {a.balance.fen > 0 ? `${t.owing}：${yuan(a.balance.fen)}` : a.balance.fen < 0 ? `${t.credit}：${yuan(-a.balance.fen)}` : t.allPaid}
      </p>
      {canPayOnline && res.data.onlinePayment.enabled && a.balance.fen > 0 && <PayOnline householdId={householdId} owed={a.balance.fen} />}
      {a.invoices.length === 0 && <p className="muted">{t.noBills}</p>}
      {a.invoices.map((i) => (
        <div key={i.id} className="bill">
          <div className="bill-head">
            <strong>{i.period}</strong>
            <span className="muted">No.{i.number}</span>
          </div>
          <table className="lines">
            <tbody>
              {i.lines.map((l, n) => (
                <tr key={n}>
                  <td>
                    {t.feeKinds[l.kind]}
                    {l.lateFeeFor && <span className="muted"> （{t.lateFeeFor(a.invoices.find((x) => x.id === l.lateFeeFor)?.period ?? '')}）</span>}
                  </td>
                  <td className="num">{yuan(l.amount.fen)}</td>
                </tr>
              ))}
              {i.waived.fen > 0 && <tr className="waiver"><td>{t.waived}</td><td className="num">-{yuan(i.waived.fen)}</td></tr>}
              <tr className="total"><td>{t.due}</td><td className="num">{yuan(i.due.fen)}</td></tr>
              {i.credited.fen > 0 && <tr className="waiver"><td>{t.credited}</td><td className="num">-{yuan(i.credited.fen)}</td></tr>}
              {i.paid.fen > 0 && <tr><td>{t.paid}</td><td className="num">{yuan(i.paid.fen)}</td></tr>}
            </tbody>
          </table>
          <p className={i.outstanding.fen > 0 ? 'owing' : 'settled'}>{i.outstanding.fen > 0 ? `${t.outstanding} ${yuan(i.outstanding.fen)}` : t.settledBill}</p>
        </div>
      ))}
      {a.payments.length > 0 && (
        <>
          <h3>{t.payments}</h3>
          <ul className="list">
            {a.payments.map((p) => (
              <li key={p.id} className="row">
                <span className="name">{p.receivedAt.slice(0, 10)} {t.methods[p.method]}</span>
                <span className="muted">{t.receipt} {p.receiptNo}{p.reversed ? ` · ${t.reversed}` : ''}</span>
                <a className="count" href={`#/receipts/${p.id}`}>{yuan(p.amount.fen)}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {canRecord && <RecordPayment householdId={householdId} onDone={() => setVersion((v) => v + 1)} />}
    </section>
  );
}

function RecordPayment({ householdId, onDone }: { householdId: string; onDone: () => void }) {
  const t = useT();
  const [amount, setAmount] = useState('');
  const [receipt, setReceipt] = useState('');
  const { busy, error, run } = useAction();
  // One key per form: a double click or a retry records the payment once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await request(PayMutation, { input: { householdId, amount, method: 'CASH', receiptNo: receipt, receivedAt: new Date().toISOString(), idempotencyKey: key } });
      setAmount('');
      setReceipt('');
      setKey(crypto.randomUUID());
      onDone();
    });
  };
  return (
    <form className="form pay" onSubmit={submit}>
      <h3>{t.recordCash}</h3>
      <label>{t.amountYuan}<input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required /></label>
      <label>{t.receipt}<input name="receipt" value={receipt} onChange={(e) => setReceipt(e.target.value)} required /></label>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={busy}>{t.record}</button>
    </form>
  );
}
