// A manual adjusting entry between a compound's accounts (book-keepers): each line debits
// (positive) or credits (negative) an account, and the lines must sum to zero.
import { Button, Form, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { toFen, yuan } from '../../money';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const postEntry = graphql(`
  mutation PostJournalEntry($input: JournalEntryInput!) { postJournalEntry(input: $input) { id } }
`);

const SIGNED_YUAN = /^-?\d{1,9}(\.\d{1,2})?$/;
type Values = { memo: string; postings: { accountId: string; amount: string }[] };
type Props = { open: boolean; onClose: () => void; compoundId: string; accounts: { value: string; label: string }[] };

export function JournalEntryForm({ open, onClose, compoundId, accounts }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const post = useSubmit(postEntry, form);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const postings = Form.useWatch('postings', form) ?? [];
  const sum = postings.reduce((n, p) => n + (p?.amount ? (p.amount.startsWith('-') ? -(toFen(p.amount.slice(1)) ?? 0) : toFen(p.amount) ?? 0) : 0), 0);
  const onFinish = async (v: Values) => {
    const ok = await post.submit({ input: { compoundId, occurredAt: new Date().toISOString(), idempotencyKey: key, memo: v.memo.trim(), currency: 'CNY', postings: v.postings } });
    if (ok) setKey(crypto.randomUUID());
    return Boolean(ok);
  };
  return (
    <FormDrawer title={t.journalEntry} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={post.fetching} error={post.error}
      initialValues={{ postings: [{ accountId: '', amount: '' }, { accountId: '', amount: '' }] }} submitLabel={t.post}>
      <Form.Item name="memo" label={t.memo} rules={[{ required: true, whitespace: true, message: t.required }]}><Input maxLength={500} /></Form.Item>
      <Form.List name="postings">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap>
                <Form.Item name={[f.name, 'accountId']} rules={[{ required: true, message: t.required }]}>
                  <Select style={{ width: 220 }} options={accounts} aria-label={t.accounts} />
                </Form.Item>
                <Form.Item name={[f.name, 'amount']} rules={[{ required: true, pattern: SIGNED_YUAN, message: t.signedAmountHint }]}>
                  <Input inputMode="decimal" style={{ width: 130 }} placeholder="12.30 / -12.30" aria-label={t.amount} />
                </Form.Item>
                {fields.length > 2 && <Button type="link" danger onClick={() => remove(f.name)}>{t.remove}</Button>}
              </Space>
            ))}
            <p className={sum === 0 ? 'settled' : 'owing'}>{t.entrySum}{t.colon}{yuan(sum)}</p>
            <Button onClick={() => add({ accountId: '', amount: '' })}>{t.addLine}</Button>
          </>
        )}
      </Form.List>
    </FormDrawer>
  );
}
