// A compound's buildings and households: searched by room and sorted (by place or area) on
// the server, a page at a time, with forms to add a building or a household.
import { Button, Input, Space, Tag } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useClient, useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { CompoundHouseholdsQuery, HouseholdOrder } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { CursorPager, useCursorPages } from '../../CursorPager';
import { BuildingForm } from '../../forms/BuildingForm';
import { HouseholdForm } from '../../forms/HouseholdForm';
import { DataTable, QueryError } from '../../ui';
import { compoundDocument, type CompoundData } from '../Compound';
import { RegisterButtons } from './Register';

const compoundHouseholdsDocument = graphql(`
  query CompoundHouseholds($id: ID!, $room: String, $orderBy: HouseholdOrder, $after: String) {
    households(compoundId: $id, room: $room, orderBy: $orderBy, first: 50, after: $after) {
      edges { node { id unit room area activeTo building { label } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

type Row = CompoundHouseholdsQuery['households']['edges'][number]['node'];

export function Households({ compound: c }: { compound: CompoundData }) {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const [room, setRoom] = useState<string | null>(null);
  const [orderBy, setOrderBy] = useState<HouseholdOrder>('PLACE');
  const pages = useCursorPages();
  const [adding, setAdding] = useState<'building' | 'household'>();
  const [{ data, error, fetching }, refetch] = useQuery({ query: compoundHouseholdsDocument, variables: { id: c.id, room, orderBy, after: pages.after } });
  // The server sorts the whole compound, not the page shown: a new order starts at page one.
  const sortBy = (s: SorterResult<Row> | SorterResult<Row>[]) => {
    const order = Array.isArray(s) ? s[0]?.order : s.order;
    pages.reset();
    setOrderBy(order === 'ascend' ? 'AREA_ASCENDING' : order === 'descend' ? 'AREA_DESCENDING' : 'PLACE');
  };
  const client = useClient();
  const imported = () => {
    refetch({ requestPolicy: 'network-only' });
    // The compound's buildings and household count changed too.
    void client.query(compoundDocument, { id: c.id }, { requestPolicy: 'network-only' }).toPromise();
  };
  const rows = data?.households.edges.map((e) => e.node) ?? [];
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search placeholder={t.searchRoom} aria-label={t.searchRoom} enterButton={t.search} allowClear
          onSearch={(v) => { pages.reset(); setRoom(v.trim() || null); }} style={{ maxWidth: 320 }} />
        {me.can.administer && <Button onClick={() => setAdding('building')}>{t.newBuilding}</Button>}
        {me.can.administer && <Button type="primary" onClick={() => setAdding('household')}>{t.newHousehold}</Button>}
        {me.can.administer && <RegisterButtons compoundId={c.id} onImported={imported} />}
      </Space>
      <p className="muted">{t.buildings}{t.colon}{c.buildings.map((b) => b.label).join(t.listSep) || t.none}</p>
      <QueryError error={error} />
      <DataTable<Row>
        rowKey="id"
        className="households"
        loading={fetching}
        dataSource={rows}
        pagination={false}
        size="middle"
       
        onChange={(_, __, sorter) => sortBy(sorter)}
        onRow={(h) => ({ onClick: () => navigate(`/households/${h.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t.building, render: (_, h) => h.building?.label, className: 'nowrap' },
          { title: t.unit, dataIndex: 'unit', className: 'nowrap' },
          { title: t.room, render: (_, h) => <Link to={`/households/${h.id}`}>{h.room}</Link>, className: 'nowrap' },
          { title: t.area, dataIndex: 'area', align: 'right', key: 'area', sorter: true, sortDirections: ['descend', 'ascend'],
            sortOrder: orderBy === 'AREA_ASCENDING' ? 'ascend' : orderBy === 'AREA_DESCENDING' ? 'descend' : null },
          { title: '', render: (_, h) => h.activeTo && <Tag>{t.movedOut} {h.activeTo}</Tag> },
        ]}
      />
      <CursorPager pages={pages} hasNext={data?.households.pageInfo.hasNextPage ?? false} endCursor={data?.households.pageInfo.endCursor} />
      <BuildingForm open={adding === 'building'} onClose={() => setAdding(undefined)} compoundId={c.id} />
      <HouseholdForm open={adding === 'household'} onClose={() => setAdding(undefined)} compoundId={c.id} buildings={c.buildings} />
    </>
  );
}
