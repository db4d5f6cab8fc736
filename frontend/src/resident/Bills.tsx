// A household's bills in words a resident understands: what is owed, each month's lines, what
// was paid, and how to pay — online, or at the office when online payment is off.
import { Button, Card, List, Toast } from 'antd-mobile';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { useMe } from '../app/me';
import { graphql } from '../gql';
import type { HouseholdBillsQuery } from '../gql/graphql';
import { useT } from '../i18n';
import { yuan } from '../money';
import { rememberSecret } from './PayPage';

const householdBillsDocument = graphql(`
  query HouseholdBills($id: ID!) {
    householdAccount(householdId: $id) {
      balance { fen }
      invoices { id number period daysBilled gross { fen } waived { fen } due { fen } paid { fen } credited { fen } outstanding { fen } lines { kind amount { fen } lateFeeFor workOrderId } }
      payments { id amount { fen } method receiptNo receivedAt reversed }
    }
    onlinePayment { enabled }
  }
`);

const startPayment = graphql(`
  mutation StartOnlinePayment($householdId: ID!) {
    startOnlinePayment(householdId: $householdId) { clientSecret attempt { id } }
  }
`);

type Invoice = HouseholdBillsQuery['householdAccount']['invoices'][number];

export function Bills({ householdId }: { householdId: string }) {
  const t = useT();
  const [{ data, error }] = useQuery({ query: householdBillsDocument, variables: { id: householdId } });
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : null;
  const a = data.householdAccount;
  const owing = a.balance.fen;
  return (
    <section className="bills">
      <h2>{t.bills}</h2>
      <p className={owing > 0 ? 'owing' : 'settled'}>
        {owing > 0 ? `${t.owing}${t.colon}${yuan(owing)}` : owing < 0 ? `${t.credit}${t.colon}${yuan(-owing)}` : t.allPaid}
      </p>
      {owing > 0 && (data.onlinePayment.enabled ? <PayButton householdId={householdId} owed={owing} /> : <PayAtOffice />)}
      {a.invoices.length === 0 && <p className="muted">{t.noBills}</p>}
      {a.invoices.map((i) => <Bill key={i.id} invoice={i} all={a.invoices} />)}
      {a.payments.length > 0 && (
        <List header={t.payments}>
          {a.payments.map((p) => (
            <List.Item key={p.id} description={`${t.receipt} ${p.receiptNo}${p.reversed ? ` · ${t.reversed}` : ''}`}
              extra={<Link to={`/receipts/${p.id}`}>{yuan(p.amount.fen)}</Link>}>
              {p.receivedAt.slice(0, 10)} {t.methods[p.method]}
            </List.Item>
          ))}
        </List>
      )}
    </section>
  );
}

function Bill({ invoice: i, all }: { invoice: Invoice; all: Invoice[] }) {
  const t = useT();
  return (
    <Card className="bill" title={<span className="nowrap">{i.period}</span>} extra={<span className="muted">No.{i.number}</span>}>
      <table className="lines">
        <tbody>
          {i.lines.map((l, n) => (
            <tr key={n}>
              <td>
                {l.workOrderId ? <Link to={`/repairs/${l.workOrderId}`}>{t.feeKinds[l.kind]}</Link> : t.feeKinds[l.kind]}
                {l.lateFeeFor && <span className="muted">{t.withNote('', t.lateFeeFor(all.find((x) => x.id === l.lateFeeFor)?.period ?? ''))}</span>}
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
    </Card>
  );
}

/** Starts paying everything owed and opens the payment page. */
function PayButton({ householdId, owed }: { householdId: string; owed: number }) {
  const t = useT();
  const navigate = useNavigate();
  const [{ fetching }, start] = useMutation(startPayment);
  const pay = async () => {
    const res = await start({ householdId });
    if (res.error || !res.data) {
      Toast.show({ content: res.error ? describe(fromCombined(res.error), t) : t.errors.INTERNAL });
      return;
    }
    const s = res.data.startOnlinePayment;
    if (s.clientSecret) rememberSecret(s.attempt.id, s.clientSecret);
    navigate(`/pay/${s.attempt.id}`);
  };
  return <Button block color="primary" size="large" loading={fetching} onClick={pay}>{t.payOnline} {yuan(owed)}</Button>;
}

/** Online payment is off for this firm: how to pay at the office instead, as the firm set it. */
function PayAtOffice() {
  const t = useT();
  const { office } = useMe().tenant;
  const parts = [
    [t.office.address, office.address],
    [t.office.hours, office.hours],
    [t.office.phone, office.phone],
    [t.office.bank, office.bank],
  ].filter(([, v]) => v);
  return (
    <Card className="office" title={t.payAtOffice}>
      {parts.length === 0 ? <p>{t.payAtOfficeHow}</p> : (
        <dl>
          {parts.map(([label, value]) => (
            <div key={label}><dt>{label}</dt><dd>{label === t.office.phone ? <a href={`tel:${value}`}>{value}</a> : value}</dd></div>
          ))}
        </dl>
      )}
    </Card>
  );
}
