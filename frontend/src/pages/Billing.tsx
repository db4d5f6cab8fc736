import { useState, type FormEvent } from 'react';
import { ApiError, request } from '../api';
import { ErrorNote } from '../components';
import { useAction, useLoad } from '../hooks';
import { graphql } from '../gql';
import { useT } from '../i18n';
import { thisMonth, yuan } from '../money';
import { CompoundsPage } from './Compounds';

const ClaimQuery = graphql(`
  query SubsidyClaim($from: String!, $to: String!) {
    subsidyClaim(funding: GOVERNMENT_SUBSIDY, from: $from, to: $to) { rows { invoiceNumber } total { display } csv xlsxBase64 }
  }
`);

function download(name: string, href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

const RunMutation = graphql(`
  mutation RunBilling($input: RunBillingInput!) {
    runBilling(input: $input) { runId households invoiced skippedAlreadyInvoiced skippedNoSchedule totalDue { fen } }
  }
`);

type Result = { households: number; invoiced: number; skippedAlreadyInvoiced: number; skippedNoSchedule: number; totalDue: { fen: number } };

const RunsQuery = graphql(`
  query BillingRuns {
    billingRuns { id period status total processed invoiced { fen } startedAt }
  }
`);

/** The latest billing runs: an interrupted one is finished by billing its month again. */
function Runs({ version }: { version: number }) {
  const t = useT();
  const res = useLoad(() => request(RunsQuery), [version]);
  if (res.error) return <ErrorNote error={res.error} />;
  const runs = res.data?.billingRuns ?? [];
  if (runs.length === 0) return null;
  return (
    <section className="card">
      <h2>{t.billingRuns}</h2>
      <table className="report runs">
        <thead><tr><th>{t.month}</th><th>{t.runStatus}</th><th className="num">{t.households}</th><th className="num">{t.billed}</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className={r.status === 'INTERRUPTED' ? 'warn' : undefined}>
              <td>{r.period} <span className="muted">{r.startedAt.slice(0, 16).replace('T', ' ')}</span></td>
              <td>{t.runStatuses[r.status]}</td>
              <td className="num">{r.processed}/{r.total}</td>
              <td className="num">{yuan(r.invoiced.fen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The accountant's monthly billing: run a month, then open a compound for its collection. */
export function BillingPage() {
  const t = useT();
  const [period, setPeriod] = useState(thisMonth());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [result, setResult] = useState<Result>();
  const [runs, setRuns] = useState(0);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult((await request(RunMutation, { input: { period } })).runBilling);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err)));
    } finally {
      setBusy(false);
      setRuns((v) => v + 1);
    }
  };
  return (
    <>
      <h1>{t.billing}</h1>
      <form className="card form" onSubmit={run}>
        <label>{t.period}<input name="period" value={period} onChange={(e) => setPeriod(e.target.value)} placeholder="2026-11" required /></label>
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>{busy ? t.running : t.runBilling}</button>
      </form>
      {result && (
        <p className="card result" role="status">
          {t.fmt(t.runResult, result.invoiced)} {yuan(result.totalDue.fen)}
          {result.skippedAlreadyInvoiced > 0 && ` · ${t.fmt(t.alreadyBilled, result.skippedAlreadyInvoiced)}`}
          {result.skippedNoSchedule > 0 && ` · ${t.fmt(t.noSchedule, result.skippedNoSchedule)}`}
        </p>
      )}
      <Runs version={runs} />
      <SubsidyClaim period={period} />
      <OnlinePayments />
      <CompoundsPage />
    </>
  );
}

/** The month's subsidy claim for the civil affairs bureau, as CSV or XLSX. */
function SubsidyClaim({ period }: { period: string }) {
  const t = useT();
  const [error, setError] = useState<ApiError>();
  const get = async (kind: 'csv' | 'xlsx') => {
    setError(undefined);
    try {
      const c = (await request(ClaimQuery, { from: period, to: period })).subsidyClaim;
      if (kind === 'csv') download(`subsidy-${period}.csv`, `data:text/csv;charset=utf-8,${encodeURIComponent(c.csv)}`);
      else download(`subsidy-${period}.xlsx`, `data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${c.xlsxBase64}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err)));
    }
  };
  return (
    <section className="card">
      <h2>{t.subsidyClaim} · {period}</h2>
      <div className="actions">
        <button onClick={() => get('csv')}>{t.download} CSV</button>
        <button onClick={() => get('xlsx')}>{t.download} XLSX</button>
      </div>
      <ErrorNote error={error} />
    </section>
  );
}

const OnlinePaymentsQuery = graphql(`
  query OnlinePayments {
    onlinePayment { enabled }
    onlinePayments(first: 20) {
      attempt { id householdId createdAt status amount { fen } stripePaymentIntentId paymentId }
      refunds { id amount { fen } status stripeRefundId }
    }
  }
`);

/** The latest online payments with Stripe's ids, for matching against Stripe's dashboard. */
function OnlinePayments() {
  const t = useT();
  const [version, setVersion] = useState(0);
  const res = useLoad(() => request(OnlinePaymentsQuery), [version]);
  if (!res.data?.onlinePayment.enabled) return res.error ? <ErrorNote error={res.error} /> : null;
  const rows = res.data.onlinePayments;
  return (
    <section className="card">
      <h2>{t.onlinePayments}</h2>
      {rows.length === 0 && <p className="muted">{t.noBills}</p>}
      {rows.length > 0 && (
        <table className="report online">
          <thead><tr><th>{t.month}</th><th className="num">{t.paid}</th><th>{t.stripeId}</th><th>{t.refunded}</th></tr></thead>
          <tbody>
            {rows.map(({ attempt: a, refunds }) => (
              <tr key={a.id}>
                <td><a href={`#/households/${a.householdId}`}>{a.createdAt.slice(0, 10)}</a></td>
                <td className="num">{a.paymentId ? <a href={`#/receipts/${a.paymentId}`}>{yuan(a.amount.fen)}</a> : yuan(a.amount.fen)} <span className="muted">{a.status}</span></td>
                <td className="mono">{a.stripePaymentIntentId ?? '—'}</td>
                <td>
                  {refunds.map((r) => `${yuan(r.amount.fen)} ${r.status} ${r.stripeRefundId ?? ''}`).join('；')}
                  {a.status === 'SUCCEEDED' && a.paymentId && <RefundForm paymentId={a.paymentId} onDone={() => setVersion((v) => v + 1)} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const RefundMutation = graphql(`
  mutation RefundOnlinePayment($paymentId: ID!, $amount: String!, $reason: String!) {
    refundOnlinePayment(paymentId: $paymentId, amount: $amount, reason: $reason) { id status }
  }
`);

/** Refunds part or all of an online payment through Stripe; the books change when it settles. */
function RefundForm({ paymentId, onDone }: { paymentId: string; onDone: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  if (!open) return <button className="link" onClick={() => setOpen(true)}>{t.refund}</button>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await request(RefundMutation, { paymentId, amount, reason });
      setOpen(false);
      onDone();
    });
  };
  return (
    <form className="form" onSubmit={submit}>
      <label>{t.amountYuan}<input name="refund-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required /></label>
      <label>{t.refundReason}<input name="refund-reason" value={reason} onChange={(e) => setReason(e.target.value)} required /></label>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={busy}>{t.refund}</button>
    </form>
  );
}
