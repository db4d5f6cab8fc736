// Payouts of the owners' committee fund to the committee's Stripe account: book-keepers pay
// out (after confirming the amount); the committee sees every payout.
import { App, Button, Card, Form, Input, List, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { YUAN } from '../../forms/FeeScheduleForm';
import { FormError, QueryError, Yuan } from '../../ui';
import { FormDrawer } from '../../FormDrawer';
import { useSubmit } from '../../useSubmit';
import type { CompoundData } from '../Compound';

const payoutsDocument = graphql(`
  query CommitteePayouts($id: ID!) {
    onlinePayment { enabled }
    committeePayouts(compoundId: $id) { id createdAt amount { fen } status stripeTransferId failure }
  }
`);

const setStripeAccount = graphql(`
  mutation SetCommitteeStripeAccount($id: ID!, $accountId: String) {
    setCommitteeStripeAccount(compoundId: $id, accountId: $accountId) { id committeeStripeAccount }
  }
`);

const payCommitteeFund = graphql(`
  mutation PayCommitteeFund($id: ID!, $amount: String) {
    payCommitteeFund(compoundId: $id, amount: $amount) { id status }
  }
`);

export function Payouts({ compound: c }: { compound: CompoundData }) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [{ data, error }] = useQuery({ query: payoutsDocument, variables: { id: c.id } });
  const [form] = Form.useForm<{ amount?: string }>();
  const pay = useSubmit(payCommitteeFund, form);
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const account = c.committeeStripeAccount;
  const send = async () => {
    setConfirming(false);
    const amount = form.getFieldValue('amount')?.trim() || null;
    if (await pay.submit({ id: c.id, amount })) {
      form.resetFields();
      void message.success(t.done);
    }
  };
  return (
    <Card title={t.committeePayouts} className="section">
      <QueryError error={error} />
      <Typography.Paragraph type="secondary">
        {t.connectedAccount}{t.colon}{account ? <span className="mono">{account}</span> : t.none}
        {me.can.administer && <Button type="link" onClick={() => setEditing(true)}>{t.edit}</Button>}
      </Typography.Paragraph>
      <StripeAccountForm open={editing} onClose={() => setEditing(false)} compoundId={c.id} current={account} />
      <List
        dataSource={data?.committeePayouts ?? []}
        locale={{ emptyText: t.empty }}
        renderItem={(p) => (
          <List.Item extra={<Yuan fen={p.amount.fen} />}>
            {p.createdAt.slice(0, 10)} {t.payoutStatus[p.status]} <span className="muted mono">{p.stripeTransferId ?? p.failure ?? ''}</span>
          </List.Item>
        )}
      />
      {me.can.keepBooks && account && data?.onlinePayment.enabled && (
        <Form form={form} layout="vertical" onFinish={() => setConfirming(true)} style={{ maxWidth: 360 }}>
          <FormError message={pay.error} />
          <Form.Item name="amount" label={t.payoutAmount} rules={[{ pattern: YUAN, message: t.fieldHints.amount }]}>
            <Input inputMode="decimal" placeholder={t.wholeFund} />
          </Form.Item>
          <Popconfirm open={confirming} title={t.payoutConfirm} onConfirm={send} onCancel={() => setConfirming(false)}>
            <Button type="primary" htmlType="submit" loading={pay.fetching}>{t.payOut}</Button>
          </Popconfirm>
        </Form>
      )}
    </Card>
  );
}

/** The committee's Stripe connected account (acct_…); empty removes it. */
function StripeAccountForm({ open, onClose, compoundId, current }: { open: boolean; onClose: () => void; compoundId: string; current?: string | null }) {
  const t = useT();
  const [form] = Form.useForm<{ accountId?: string }>();
  const set = useSubmit(setStripeAccount, form);
  const onFinish = async ({ accountId }: { accountId?: string }) =>
    Boolean(await set.submit({ id: compoundId, accountId: accountId?.trim() || null }));
  return (
    <FormDrawer title={t.connectedAccount} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={set.fetching}
      error={set.error} initialValues={{ accountId: current ?? '' }}>
      <Form.Item name="accountId" label={t.connectedAccount} rules={[{ pattern: /^acct_\w+$/, message: t.stripeAccountHint }]}>
        <Input placeholder="acct_…" />
      </Form.Item>
    </FormDrawer>
  );
}
