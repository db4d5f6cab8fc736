// The owners' committee fund: its statement, and its payouts — by bank transfer (proposed by
// the firm's book-keepers, approved or rejected by the committee) or to the committee's
// Stripe account (after confirming the amount). The committee sees every payout.
import { App, Button, Card, Form, Input, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { YUAN } from '../../forms/FeeScheduleForm';
import { FormError, QueryError, Yuan } from '../../ui';
import { BankPayoutForm } from '../../forms/BankPayoutForm';
import { FormDrawer } from '../../FormDrawer';
import { useAction, useSubmit } from '../../useSubmit';
import type { CompoundData } from '../Compound';
import { onCommitteeOf } from '../../../app/me';
import { FundStatement } from './FundStatement';

const payoutsDocument = graphql(`
  query CommitteePayouts($id: ID!) {
    onlinePayment { enabled }
    committeePayouts(compoundId: $id) {
      id createdAt amount { fen } status channel destination purpose decisionNote stripeTransferId failure
    }
  }
`);

const setStripeAccount = graphql(`
  mutation SetCommitteeStripeAccount($id: ID!, $accountId: String) {
    setCommitteeStripeAccount(compoundId: $id, accountId: $accountId) { id committeeStripeAccount }
  }
`);

const decidePayout = graphql(`
  mutation DecideCommitteePayout($id: ID!, $approve: Boolean!, $note: String) {
    decideCommitteePayout(id: $id, approve: $approve, note: $note) { id status decisionNote }
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
  const [proposing, setProposing] = useState(false);
  const [rejecting, setRejecting] = useState<string>();
  const decide = useAction(decidePayout);
  const deciding = onCommitteeOf(me, c.id);
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
    <>
    <FundStatement compoundId={c.id} />
    <Card title={t.committeePayouts} className="section"
      extra={me.can.keepBooks && <Button onClick={() => setProposing(true)}>{t.proposeBankPayout}</Button>}>
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
          <List.Item className="payout" extra={<Yuan fen={p.amount.fen} />}
            actions={deciding && p.status === 'PROPOSED' ? [
              <Popconfirm key="approve" title={t.approvePayoutConfirm} onConfirm={() => decide.run({ id: p.id, approve: true })}>
                <Button type="primary" size="small">{t.approve}</Button>
              </Popconfirm>,
              <Button key="reject" size="small" danger onClick={() => setRejecting(p.id)}>{t.reject}</Button>,
            ] : undefined}>
            <Space wrap>
              {p.createdAt.slice(0, 10)}
              <Tag>{t.payoutStatus[p.status]}</Tag>
              {p.channel === 'BANK_TRANSFER' ? p.purpose : t.viaStripe}
              <span className="muted mono">{p.channel === 'BANK_TRANSFER' ? p.destination : p.stripeTransferId ?? p.failure ?? ''}</span>
              {p.decisionNote && <span className="muted">{t.withNote(t.fields.note, p.decisionNote)}</span>}
            </Space>
          </List.Item>
        )}
      />
      <BankPayoutForm open={proposing} onClose={() => setProposing(false)} compoundId={c.id} />
      <RejectForm id={rejecting} onClose={() => setRejecting(undefined)} />
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
    </>
  );
}

/** Rejecting a proposed bank payout, with the reason the accountant will read. */
function RejectForm({ id, onClose }: { id?: string; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string }>();
  const reject = useSubmit(decidePayout, form);
  const onFinish = async ({ note }: { note: string }) =>
    Boolean(id && (await reject.submit({ id, approve: false, note: note.trim() })));
  return (
    <FormDrawer title={t.rejectPayout} open={Boolean(id)} onClose={onClose} form={form} onFinish={onFinish}
      busy={reject.fetching} error={reject.error} submitLabel={t.reject}>
      <Form.Item name="note" label={t.fields.reason} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input.TextArea maxLength={500} rows={3} />
      </Form.Item>
    </FormDrawer>
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
