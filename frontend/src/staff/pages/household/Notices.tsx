// Reminders and formal demands (催告) sent to a household, and a form to record a new one.
import { Button, Form, Input, List, Select } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { NoticeInput } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { FormDrawer } from '../../FormDrawer';
import { QueryError } from '../../ui';
import { useSubmit } from '../../useSubmit';

const noticesDocument = graphql(`
  query DemandNotices($id: ID!) { demandNotices(householdId: $id) { id kind note issuedAt } }
`);
const recordNotice = graphql(`
  mutation RecordDemandNotice($input: NoticeInput!) { recordDemandNotice(input: $input) { id } }
`);

type Values = Omit<NoticeInput, 'householdId'>;

export function Notices({ householdId }: { householdId: string }) {
  const t = useT();
  const [{ data, error }] = useQuery({ query: noticesDocument, variables: { id: householdId } });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const record = useSubmit(recordNotice, form);
  const onFinish = async (v: Values) => Boolean(await record.submit({ input: { ...v, householdId, note: v.note.trim() } }));
  return (
    <>
      <QueryError error={error} />
      <List
        dataSource={data?.demandNotices ?? []}
        locale={{ emptyText: t.empty }}
        renderItem={(n) => <List.Item>{n.issuedAt.slice(0, 10)} · {t.noticeKinds[n.kind as keyof typeof t.noticeKinds] ?? n.kind} · {n.note}</List.Item>}
      />
      <Button type="primary" onClick={() => setOpen(true)}>{t.recordNotice}</Button>
      <FormDrawer title={t.recordNotice} open={open} onClose={() => setOpen(false)} form={form} onFinish={onFinish}
        busy={record.fetching} error={record.error} initialValues={{ kind: 'REMINDER' }}>
        <Form.Item name="kind" label={t.noticeKind} rules={[{ required: true, message: t.required }]}>
          <Select options={Object.entries(t.noticeKinds).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="note" label={t.fields.note} rules={[{ required: true, whitespace: true, message: t.required }]}>
          <Input.TextArea maxLength={500} autoSize />
        </Form.Item>
      </FormDrawer>
    </>
  );
}
