// A compound's annual budgets, newest first, each opened in place to its seven steps: the
// committee and the firm's administrator start one, revise it while it is drafted or
// discussed and move it on; everyone who sees the compound reads it.
import { Button, Card, Form, Input, InputNumber, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useQuery } from 'urql';
import { onCommitteeOf, useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { CompoundBudgetsQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { FormDrawer } from '../../FormDrawer';
import { DataTable, QueryError } from '../../ui';
import { useSubmit } from '../../useSubmit';
import { BudgetDetail } from '../budgets/BudgetDetail';

const budgetsDocument = graphql(`
  query CompoundBudgets($id: ID!) { budgets(compoundId: $id) { id year title step stepNumber } }
`);
const startDocument = graphql(`
  mutation StartBudget($input: StartBudgetInput!) { startBudget(input: $input) { id } }
`);

type Budget = CompoundBudgetsQuery['budgets'][number];

export function Budgets({ compound }: { compound: { id: string; name: string } }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }, refetch] = useQuery({ query: budgetsDocument, variables: { id: compound.id } });
  const [starting, setStarting] = useState(false);
  const runs = me.can.administer || onCommitteeOf(me, compound.id);
  const again = () => refetch({ requestPolicy: 'network-only' });
  return (
    <Card className="section" title={t.bd.tab}
      extra={runs && <Button onClick={() => setStarting(true)}>{t.bd.start}</Button>}>
      <QueryError error={error} />
      <DataTable<Budget>
        rowKey="id" size="small" pagination={false} dataSource={data?.budgets ?? []}
        locale={{ emptyText: t.bd.noBudgets }}
        expandable={{ expandedRowRender: (b) => <BudgetDetail id={b.id} compoundId={compound.id} runs={runs} onMoved={again} /> }}
        columns={[
          { title: t.bd.year, dataIndex: 'year', width: 80 },
          { title: t.fields.title, dataIndex: 'title' },
          { title: t.bd.progress, render: (_, b) => <Tag>{t.fmt(t.bd.stepOf, b.stepNumber)} · {t.bd.steps[b.step]}</Tag> },
        ]}
      />
      <StartForm open={starting} onClose={() => { setStarting(false); again(); }} compound={compound} />
    </Card>
  );
}

type Values = { year: number; title: string };

function StartForm({ open, onClose, compound }: { open: boolean; onClose: () => void; compound: { id: string; name: string } }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const start = useSubmit(startDocument, form);
  const year = dayjs().year();
  const onFinish = async (v: Values) =>
    Boolean(await start.submit({ input: { compoundId: compound.id, year: v.year, title: v.title.trim() } }));
  return (
    <FormDrawer title={t.bd.start} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={start.fetching} error={start.error}
      initialValues={{ year: year + 1, title: `${compound.name}${year + 1}年度物业服务收支预算` }}>
      <Form.Item name="year" label={t.bd.year} rules={[{ required: true, message: t.required }]}>
        <InputNumber min={year - 1} max={year + 2} precision={0} />
      </Form.Item>
      <Form.Item name="title" label={t.fields.title} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={100} />
      </Form.Item>
    </FormDrawer>
  );
}
