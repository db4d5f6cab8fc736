// The compound's committee: each member's seat for a term, as posted on the public board.
// The firm's administrator records seats from the election's result and ends a term early;
// a member with a sign-in uses the console as the committee until their term's last day.
import { Button, Card, DatePicker, Form, Input, Popconfirm, Select, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { CommitteeBody, CommitteePost, CommitteeSeatsQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { FormDrawer } from '../../FormDrawer';
import { DataTable, QueryError } from '../../ui';
import { useAction, useSubmit } from '../../useSubmit';

const seatsDocument = graphql(`
  query CommitteeSeats($id: ID!) {
    committee(compoundId: $id) { id body name post phone termFrom termTo endedOn lastDay }
  }
`);
const appointDocument = graphql(`
  mutation AppointCommitteeMember($input: CommitteeSeatInput!) { appointCommitteeMember(input: $input) { id } }
`);
const endTermDocument = graphql(`
  mutation EndCommitteeTerm($id: ID!, $on: NaiveDate!) { endCommitteeTerm(id: $id, on: $on) { id endedOn lastDay } }
`);
const membersDocument = graphql(`
  query CommitteeSignIns { members { userId displayName identifier } }
`);

type Seat = CommitteeSeatsQuery['committee'][number];
const POSTS: CommitteePost[] = ['CHAIR', 'VICE_CHAIR', 'TREASURER', 'MEMBER'];
const BODIES: CommitteeBody[] = ['OWNERS_COMMITTEE', 'SELF_MANAGEMENT'];

export function Committee({ compound }: { compound: { id: string } }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }, refetch] = useQuery({ query: seatsDocument, variables: { id: compound.id } });
  const [appointing, setAppointing] = useState(false);
  const end = useAction(endTermDocument);
  const today = dayjs().format('YYYY-MM-DD');
  return (
    <Card className="section" title={t.gv.seats}
      extra={me.can.administer && <Button onClick={() => setAppointing(true)}>{t.gv.appoint}</Button>}>
      <QueryError error={error} />
      <DataTable<Seat>
        rowKey="id" size="small" pagination={false} dataSource={data?.committee ?? []}
        locale={{ emptyText: t.gv.noSeats }}
        columns={[
          { title: t.fields.name, dataIndex: 'name' },
          { title: t.fields.post, render: (_, s) => `${t.gv.bodies[s.body]} · ${t.gv.posts[s.post]}` },
          { title: t.fields.phone, render: (_, s) => s.phone ?? '—' },
          {
            title: t.gv.term,
            render: (_, s) => (
              <>{s.termFrom} — {s.lastDay} {s.lastDay < today && <Tag>{t.gv.ended_}</Tag>}</>
            ),
          },
          {
            title: '',
            render: (_, s) => me.can.administer && !s.endedOn && s.lastDay >= today && (
              <Popconfirm title={`${t.gv.endTerm}（${t.gv.endTermOn} ${today}）`}
                onConfirm={async () => { if (await end.run({ id: s.id, on: today })) refetch({ requestPolicy: 'network-only' }); }}>
                <Button size="small">{t.gv.endTerm}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {me.can.administer && (
        <SeatForm open={appointing} compoundId={compound.id}
          onClose={() => { setAppointing(false); refetch({ requestPolicy: 'network-only' }); }} />
      )}
    </Card>
  );
}

type Values = { body: CommitteeBody; name: string; post: CommitteePost; phone?: string; userId?: string; term: [Dayjs, Dayjs] };

function SeatForm({ open, onClose, compoundId }: { open: boolean; onClose: () => void; compoundId: string }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const appoint = useSubmit(appointDocument, form);
  const [{ data }] = useQuery({ query: membersDocument, pause: !open });
  const users = [...new Map((data?.members ?? []).map((m) => [m.userId, m])).values()];
  const onFinish = async (v: Values) =>
    Boolean(await appoint.submit({
      input: { compoundId, body: v.body, name: v.name.trim(), post: v.post, phone: v.phone?.trim() || null,
        userId: v.userId ?? null, termFrom: v.term[0].format('YYYY-MM-DD'), termTo: v.term[1].format('YYYY-MM-DD') },
    }));
  return (
    <FormDrawer title={t.gv.appoint} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={appoint.fetching} error={appoint.error} initialValues={{ body: 'OWNERS_COMMITTEE', post: 'MEMBER' }}>
      <Form.Item name="body" label={t.gv.committeeTab} rules={[{ required: true, message: t.required }]}>
        <Select options={BODIES.map((b) => ({ value: b, label: t.gv.bodies[b] }))} />
      </Form.Item>
      <Form.Item name="name" label={t.fields.name} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="post" label={t.fields.post} rules={[{ required: true, message: t.required }]}>
        <Select options={POSTS.map((p) => ({ value: p, label: t.gv.posts[p] }))} />
      </Form.Item>
      <Form.Item name="phone" label={t.fields.phone}><Input maxLength={24} inputMode="tel" /></Form.Item>
      <Form.Item name="term" label={t.gv.term} rules={[{ required: true, message: t.required }]}>
        <DatePicker.RangePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="userId" label={t.fields.userId} extra={t.gv.signInHint}>
        <Select allowClear showSearch optionFilterProp="label"
          options={users.map((u) => ({ value: u.userId, label: `${u.displayName}（${u.identifier}）` }))} />
      </Form.Item>
    </FormDrawer>
  );
}
