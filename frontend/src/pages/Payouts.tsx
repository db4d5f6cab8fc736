import { useState, type FormEvent } from 'react';
import { request } from '../api';
import { ErrorNote } from '../components';
import { graphql } from '../gql';
import { useAction, useLoad } from '../hooks';
import { useT } from '../i18n';
import { yuan } from '../money';

const PayoutsQuery = graphql(`
  query CommitteePayouts($id: ID!) {
    compound(id: $id) { committeeStripeAccount }
    onlinePayment { enabled }
    committeePayouts(compoundId: $id) { id createdAt amount { fen } status stripeTransferId failure }
  }
`);

const PayMutation = graphql(`
  mutation PayCommitteeFund($id: ID!, $amount: String) {
    payCommitteeFund(compoundId: $id, amount: $amount) { id status }
  }
`);

/** Payouts of the owners' committee fund to its Stripe account (book-keepers and the committee). */
export function CommitteePayouts({ compoundId, canPay }: { compoundId: string; canPay: boolean }) {
  const t = useT();
  const [version, setVersion] = useState(0);
  const res = useLoad(() => request(PayoutsQuery, { id: compoundId }), [compoundId, version]);
  const [amount, setAmount] = useState('');
  const { busy, error, run } = useAction();
  if (res.error?.code === 'FORBIDDEN' || res.error?.code === 'NOT_FOUND') return null;
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : null;
  const account = res.data.compound.committeeStripeAccount;
  const payouts = res.data.committeePayouts;
  if (!account && payouts.length === 0) return null;
  const pay = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await request(PayMutation, { id: compoundId, amount: amount.trim() || null });
      setAmount('');
      setVersion((v) => v + 1);
    });
  };
  return (
    <section className="card">
      <h2>{t.committeePayouts}</h2>
      {account && <p className="muted">{t.connectedAccount}：<span className="mono">{account}</span></p>}
      <ul className="list">
        {payouts.map((p) => (
          <li key={p.id} className="row">
            <span className="name">{p.createdAt.slice(0, 10)} {t.payoutStatus[p.status]}</span>
            <span className="muted mono">{p.stripeTransferId ?? p.failure ?? ''}</span>
            <span className="count">{yuan(p.amount.fen)}</span>
          </li>
        ))}
      </ul>
      {canPay && account && res.data.onlinePayment.enabled && (
        <form className="form" onSubmit={pay}>
          <label>{t.payoutAmount}<input name="payout" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder={t.wholeFund} /></label>
          <ErrorNote error={error} />
          <button type="submit" className="primary" disabled={busy}>{t.payOut}</button>
        </form>
      )}
    </section>
  );
}
