// A compound's owners' votes: its matters, newest first, each opened to its roll, paper
// ballots and result. Its committee and the firm's administrator draft, open and close them;
// grid workers enter paper ballots; everyone else who sees the compound reads them.
import { Button, Card, Popconfirm, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useQuery } from 'urql';
import { onCommitteeOf, roles, useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { CompoundMattersQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { MatterForm } from '../../forms/MatterForm';
import { DataTable, QueryError } from '../../ui';
import { useAction } from '../../useSubmit';
import { MatterDetail, OUTCOME_COLOUR } from '../votes/MatterDetail';

const mattersDocument = graphql(`
  query CompoundMatters($id: ID!) {
    matters(compoundId: $id) { id title kind rule state secret closesAt outcome }
  }
`);
const openVote = graphql(`
  mutation OpenVote($id: ID!) { openVote(id: $id) { id state openedAt roll { owners area } } }
`);
const closeVote = graphql(`
  mutation CloseVote($id: ID!) { closeVote(id: $id) { id state outcome closedAt } }
`);

type Matter = CompoundMattersQuery['matters'][number];

export function Votes({ compound }: { compound: { id: string; name: string } }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }, refetch] = useQuery({ query: mattersDocument, variables: { id: compound.id } });
  const [drafting, setDrafting] = useState(false);
  const open = useAction(openVote);
  const close = useAction(closeVote);
  const runs = me.can.administer || onCommitteeOf(me, compound.id);
  const enters = runs || roles(me).includes('grid_worker');
  const again = () => refetch({ requestPolicy: 'network-only' });
  const actions = (m: Matter) => runs && (
    <Space>
      {m.state === 'DRAFT' && (
        <Popconfirm title={t.gv.openConfirm} onConfirm={async () => { if (await open.run({ id: m.id })) again(); }}>
          <Button size="small" type="primary">{t.gv.open}</Button>
        </Popconfirm>
      )}
      {m.state === 'OPEN' && !dayjs().isBefore(m.closesAt) && (
        <Popconfirm title={t.gv.closeConfirm} onConfirm={async () => { if (await close.run({ id: m.id })) again(); }}>
          <Button size="small" type="primary">{t.gv.close}</Button>
        </Popconfirm>
      )}
    </Space>
  );
  return (
    <Card className="section" title={t.gv.votesTab}
      extra={runs && <Button onClick={() => setDrafting(true)}>{t.gv.draft}</Button>}>
      <QueryError error={error} />
      <DataTable<Matter>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data?.matters ?? []}
        expandable={{ expandedRowRender: (m) => <MatterDetail id={m.id} state={m.state} enters={enters} /> }}
        columns={[
          { title: t.fields.title, dataIndex: 'title' },
          { title: t.gv.kind, render: (_, m) => t.gv.kinds[m.kind] },
          { title: t.gv.closesAt, render: (_, m) => dayjs(m.closesAt).format('YYYY-MM-DD HH:mm') },
          {
            title: t.fields.state,
            render: (_, m) => (
              <Space wrap>
                <Tag>{t.gv.states[m.state]}</Tag>
                {m.secret && <Tag>{t.gv.secret}</Tag>}
                {m.outcome && <Tag color={OUTCOME_COLOUR[m.outcome]}>{t.gv.outcomes[m.outcome]}</Tag>}
              </Space>
            ),
          },
          { title: '', render: (_, m) => actions(m) },
        ]}
      />
      <MatterForm open={drafting} onClose={() => { setDrafting(false); again(); }} compoundId={compound.id} />
    </Card>
  );
}
