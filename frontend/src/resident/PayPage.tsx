// One online payment. Until Stripe has confirmed it the page says so and checks again every
// two seconds: it shows "paid" only once our books have the payment (after Stripe's webhook),
// never on the strength of a redirect.
import { Button, Result } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { graphql } from '../gql';
import { useT } from '../i18n';
import { yuan } from '../money';

const attemptDocument = graphql(`
  query PaymentAttempt($id: ID!) {
    paymentAttempt(id: $id) { id householdId status amount { fen } paymentId failure }
    onlinePayment { publishableKey }
  }
`);

const cancelDocument = graphql(`
  mutation CancelOnlinePayment($id: ID!) {
    cancelOnlinePayment(id: $id) { id householdId status amount { fen } paymentId failure }
  }
`);

const secretKey = (id: string) => `courtyard.pay.${id}`;

/** Stripe's client secret lives for this tab only, for the payment form. */
export function rememberSecret(attemptId: string, secret: string) {
  sessionStorage.setItem(secretKey(attemptId), secret);
}

export function PayPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [{ data, error }, refetch] = useQuery({ query: attemptDocument, variables: { id }, requestPolicy: 'network-only' });
  const [cancel, cancelAttempt] = useMutation(cancelDocument);
  const status = data?.paymentAttempt.status;
  const waiting = status === 'PENDING' || status === 'CREATED';
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => refetch({ requestPolicy: 'network-only' }), 2000);
    return () => window.clearTimeout(timer);
  }, [waiting, data, refetch]);
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  const a = data.paymentAttempt;
  const clientSecret = sessionStorage.getItem(secretKey(id));
  return (
    <section className="pay-page">
      <h1>{t.onlinePayment}</h1>
      <p className="amount">{yuan(a.amount.fen)}</p>
      <p role="status" className={status === 'SUCCEEDED' ? 'settled' : waiting ? 'muted' : 'owing'}>
        {t.attemptStatus[a.status as keyof typeof t.attemptStatus] ?? a.status}
      </p>
      {a.failure && <p className="owing">{a.failure}</p>}
      {waiting && data.onlinePayment.publishableKey && clientSecret && <StripeElement publishableKey={data.onlinePayment.publishableKey} clientSecret={clientSecret} />}
      {status === 'SUCCEEDED' && a.paymentId && (
        <Result status="success" title={<Link to={`/receipts/${a.paymentId}`}>{t.viewReceipt}</Link>} />
      )}
      {waiting && (
        <Button fill="none" loading={cancel.fetching} onClick={() => void cancelAttempt({ id })}>{t.cancelPayment}</Button>
      )}
      {cancel.error && <p role="alert" className="error">{describe(fromCombined(cancel.error), t)}</p>}
      <p><Link to="/">{t.backToBills}</Link></p>
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
        <Button block color="primary" size="large" onClick={async () => {
          const r = await confirm();
          if (r?.error?.message) setMessage(r.error.message);
        }}>{t.payNow}</Button>
      )}
    </div>
  );
}
