import { useEffect, useRef, useState } from 'react';
import { ApiError, request } from '../api';
import { ErrorNote, Loading } from '../components';
import { graphql } from '../gql';
import { useAction } from '../hooks';
import { useT } from '../i18n';
import { go } from '../router';
import { yuan } from '../money';

const StartMutation = graphql(`
  mutation StartOnlinePayment($householdId: ID!) {
    startOnlinePayment(householdId: $householdId) { clientSecret attempt { id } }
  }
`);

const AttemptQuery = graphql(`
  query PaymentAttempt($id: ID!) {
    paymentAttempt(id: $id) { id householdId status amount { fen } paymentId failure }
    onlinePayment { publishableKey }
  }
`);

const CancelMutation = graphql(`
  mutation CancelOnlinePayment($id: ID!) {
    cancelOnlinePayment(id: $id) { id householdId status amount { fen } paymentId failure }
  }
`);

const secretKey = (id: string) => `courtyard.pay.${id}`;

/** The button on a bill: starts paying everything owed and opens the payment page. */
export function PayOnline({ householdId, owed }: { householdId: string; owed: number }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const s = (await request(StartMutation, { householdId })).startOnlinePayment;
      if (s.clientSecret) sessionStorage.setItem(secretKey(s.attempt.id), s.clientSecret);
      go(`/pay/${s.attempt.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err)));
      setBusy(false);
    }
  };
  return (
    <div className="pay-online">
      <button className="primary big" onClick={start} disabled={busy}>{t.payOnline} {yuan(owed)}</button>
      <ErrorNote error={error} />
    </div>
  );
}

type Attempt = { id: string; householdId: string; status: string; amount: { fen: number }; paymentId?: string | null; failure?: string | null };

/**
 * One online payment. While Stripe has not confirmed it the page says so and checks again
 * every two seconds: it shows "paid" only once our books have the payment (after Stripe's
 * webhook), never on the strength of a redirect.
 */
export function PayPage({ id }: { id: string }) {
  const t = useT();
  const [attempt, setAttempt] = useState<Attempt>();
  const [publishableKey, setPublishableKey] = useState<string | null>();
  const [error, setError] = useState<ApiError>();
  const cancel = useAction();
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const r = await request(AttemptQuery, { id });
        if (!live) return;
        setAttempt(r.paymentAttempt);
        setPublishableKey(r.onlinePayment.publishableKey);
        if (r.paymentAttempt.status === 'PENDING' || r.paymentAttempt.status === 'CREATED') timer = window.setTimeout(poll, 2000);
      } catch (err) {
        if (live) setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err)));
      }
    };
    void poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [id]);
  if (error) return <ErrorNote error={error} />;
  if (!attempt) return <Loading />;
  const waiting = attempt.status === 'PENDING' || attempt.status === 'CREATED';
  const clientSecret = sessionStorage.getItem(secretKey(id));
  return (
    <section className="card pay-page">
      <h1>{t.onlinePayment}</h1>
      <p className="amount">{yuan(attempt.amount.fen)}</p>
      <p role="status" className={attempt.status === 'SUCCEEDED' ? 'settled' : waiting ? 'muted' : 'owing'}>
        {t.attemptStatus[attempt.status as keyof typeof t.attemptStatus] ?? attempt.status}
      </p>
      {attempt.failure && <p className="owing">{attempt.failure}</p>}
      {waiting && publishableKey && clientSecret && <StripeElement publishableKey={publishableKey} clientSecret={clientSecret} />}
      {attempt.status === 'SUCCEEDED' && attempt.paymentId && <a className="primary button" href={`#/receipts/${attempt.paymentId}`}>{t.viewReceipt}</a>}
      {waiting && (
        <button className="link" disabled={cancel.busy} onClick={() => void cancel.run(async () => {
          setAttempt((await request(CancelMutation, { id })).cancelOnlinePayment);
        })}>{t.cancelPayment}</button>
      )}
      <ErrorNote error={cancel.error} />
      <p><a href={`#/households/${attempt.householdId}`}>{t.backToBills}</a></p>
    </section>
  );
}

/** Stripe's Payment Element (card, Alipay, WeChat Pay), loaded from Stripe only when needed. */
function StripeElement({ publishableKey, clientSecret }: { publishableKey: string; clientSecret: string }) {
  const t = useT();
  const el = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const [confirm, setConfirm] = useState<() => Promise<any>>();
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3/';
    script.onload = () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const stripe = (window as any).Stripe(publishableKey);
      const elements = stripe.elements({ clientSecret, locale: 'zh' });
      elements.create('payment').mount(el.current);
      setConfirm(() => () => stripe.confirmPayment({ elements, confirmParams: { return_url: window.location.href } }));
    };
    script.onerror = () => setMessage(t.stripeUnavailable);
    document.head.appendChild(script);
    return () => script.remove();
  }, [publishableKey, clientSecret, t]);
  return (
    <div className="stripe">
      <div ref={el} />
      {message && <p className="owing">{message}</p>}
      {confirm && (
        <button className="primary big" onClick={async () => {
          const r = await confirm();
          if (r?.error?.message) setMessage(r.error.message);
        }}>{t.payNow}</button>
      )}
    </div>
  );
}
