// An account's statement for the last year, in the order entries were recorded.
import { Button, Card, Form, Input, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useMe } from '../../app/me';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { CursorPager, useCursorPages } from '../CursorPager';
import { DataTable, PageTitle, QueryError, Yuan } from '../ui';
import { useAction, useSubmit } from '../useSubmit';

const reverseEntry = graphql(`
  mutation ReverseJournalEntry($input: ReverseEntryInput!) { reverseJournalEntry(input: $input) { id } }
`);
const archiveAccount = graphql(`
  mutation ArchiveLedgerAccount($id: ID!) { archiveLedgerAccount(id: $id) { id } }
`);

const statementDocument = graphql(`
  query AccountStatement($id: ID!, $from: NaiveDate!, $to: NaiveDate!, $after: String) {
    accountStatement(accountId: $id, from: $from, to: $to, first: 50, after: $after) {
      account { id kind compoundId naturalBalance { display } }
      openingBalance { fen }
      edges { node { entryId occurredAt memo kind amount { fen } balanceAfter { fen } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

/** Debit-normal kinds; every other account (funds, income) reads with the sign flipped. */
const DEBIT_NORMAL = ['HOUSEHOLD_RECEIVABLE', 'WAIVER_EXPENSE', 'SUBSIDY_RECEIVABLE', 'CASH_ON_HAND', 'BANK', 'PROCESSOR_CLEARING', 'REPAIR_EXPENSE'];

function lastYear(): { from: string; to: string } {
  const today = new Date();
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getFullYear() - 1, today.getMonth(), today.getDate() + 1).toISOString().slice(0, 10);
  return { from, to };
}

export default function StatementPage() {
  const t = useT();
  const { id = '' } = useParams();
  const pages = useCursorPages();
  const { from, to } = lastYear();
  const me = useMe();
  const [{ data, error, fetching }] = useQuery({ query: statementDocument, variables: { id, from, to, after: pages.after } });
  const [reversing, setReversing] = useState<string>();
  const archive = useAction(archiveAccount);
  if (!data) return <QueryError error={error} />;
  const s = data.accountStatement;
  const sign = DEBIT_NORMAL.includes(s.account.kind) ? 1 : -1;
  return (
    <>
      <PageTitle title={t.accountKinds[s.account.kind]} back={{ to: `/compounds/${s.account.compoundId}`, label: t.back }}
        extra={me.can.keepBooks && (
          <Popconfirm title={t.archiveAccountConfirm} onConfirm={() => archive.run({ id })}><Button>{t.archive}</Button></Popconfirm>
        )} />
      <Typography.Title level={3} className="big-number">{t.balance}{t.colon}{s.account.naturalBalance.display}</Typography.Title>
      <Card size="small">
        <Typography.Paragraph type="secondary">{from} – {to} · {t.opening}{t.colon}<Yuan fen={sign * s.openingBalance.fen} /></Typography.Paragraph>
        <DataTable rowKey="entryId" size="small" className="statement" loading={fetching} pagination={false}
          dataSource={s.edges.map((e) => e.node)} locale={{ emptyText: t.empty }}
          columns={[
            { title: t.date, render: (_, l) => l.occurredAt.slice(0, 10), className: 'nowrap' },
            { title: t.memo, dataIndex: 'memo' },
            { title: t.amount, align: 'right', render: (_, l) => <Yuan fen={sign * l.amount.fen} /> },
            { title: t.balance, align: 'right', render: (_, l) => <Yuan fen={sign * l.balanceAfter.fen} /> },
            ...(me.can.keepBooks ? [{ title: '', render: (_: unknown, l: { entryId: string }) => <Button type="link" onClick={() => setReversing(l.entryId)}>{t.reverse}</Button> }] : []),
          ]} />
        <CursorPager pages={pages} hasNext={s.pageInfo.hasNextPage} endCursor={s.pageInfo.endCursor} />
      </Card>
      <ReverseEntryForm entryId={reversing} onClose={() => setReversing(undefined)} />
    </>
  );
}

/** Reverses a whole journal entry with a reason: a new entry with every line negated. */
function ReverseEntryForm({ entryId, onClose }: { entryId?: string; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ memo: string }>();
  const reverse = useSubmit(reverseEntry, form);
  const [key] = useState(() => crypto.randomUUID());
  const onFinish = async ({ memo }: { memo: string }) =>
    Boolean(entryId && (await reverse.submit({ input: { entryId, idempotencyKey: `${key}:${entryId}`, memo: memo.trim() } })));
  return (
    <FormDrawer title={t.reverseEntry} open={Boolean(entryId)} onClose={onClose} form={form} onFinish={onFinish} busy={reverse.fetching}
      error={reverse.error} submitLabel={t.reverse}>
      <Form.Item name="memo" label={t.fields.reason} rules={[{ required: true, whitespace: true, message: t.required }]}><Input.TextArea autoSize maxLength={500} /></Form.Item>
    </FormDrawer>
  );
}
