// One household, for staff: its particulars and members; for book-keepers its bills and
// payments; for waiver handlers its hardship records and waivers. Tabs are deep links.
import { Button, Descriptions, Popconfirm, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useMe } from '../../app/me';
import { graphql } from '../../gql';
import type { HouseholdQuery } from '../../gql/graphql';
import { useT } from '../../i18n';
import { HouseholdEditForm } from '../forms/HouseholdEditForm';
import { PageTitle, QueryError } from '../ui';
import { useAction } from '../useSubmit';
import { Account } from './household/Account';
import { InviteCard } from './household/InviteCard';
import { Members } from './household/Members';
import { Notices } from './household/Notices';
import { Waivers } from './household/Waivers';

const householdDocument = graphql(`
  query Household($id: ID!) {
    household(id: $id) {
      id unit room area areaSource activeFrom activeTo archivedAt
      building { label }
      compound { id name }
    }
  }
`);

const archiveHousehold = graphql(`
  mutation ArchiveHousehold($id: ID!) { archiveHousehold(id: $id) { id archivedAt } }
`);

export type HouseholdData = HouseholdQuery['household'];

export default function HouseholdPage() {
  const t = useT();
  const me = useMe();
  const { id = '', tab = 'members' } = useParams();
  const navigate = useNavigate();
  const [{ data, error }] = useQuery({ query: householdDocument, variables: { id } });
  const [editing, setEditing] = useState(false);
  const archive = useAction(archiveHousehold);
  if (!data) return <QueryError error={error} />;
  const h = data.household;
  const tabs = [
    { key: 'members', label: t.members, children: <Members householdId={h.id} /> },
    me.can.keepBooks && { key: 'bills', label: t.billsAndPayments, children: <Account householdId={h.id} /> },
    me.can.keepBooks && { key: 'notices', label: t.notices, children: <Notices householdId={h.id} /> },
    me.can.handleWaivers && { key: 'waivers', label: t.waivers, children: <Waivers householdId={h.id} /> },
  ].filter((x) => x !== false);
  return (
    <>
      <PageTitle
        title={`${h.building?.label ?? ''} ${h.unit}${h.room}`}
        back={h.compound ? { to: `/compounds/${h.compound.id}/households`, label: h.compound.name } : undefined}
        extra={
          <Space wrap>
            {me.can.issueInvites && <InviteCard household={h} />}
            {me.can.administer && <Button onClick={() => setEditing(true)}>{t.edit}</Button>}
            {me.can.administer && (
              <Popconfirm title={t.archiveHouseholdConfirm} onConfirm={() => archive.run({ id: h.id })}>
                <Button danger>{t.archive}</Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} className="facts">
        <Descriptions.Item label={t.area}>{h.area}</Descriptions.Item>
        <Descriptions.Item label={t.areaSource}>{t.areaSources[h.areaSource]}</Descriptions.Item>
        <Descriptions.Item label={t.activeFrom}>{h.activeFrom}{h.activeTo ? ` – ${h.activeTo}` : ''}</Descriptions.Item>
      </Descriptions>
      <Tabs activeKey={tab} items={tabs} onChange={(k) => navigate(`/households/${h.id}/${k}`)} destroyOnHidden />
      <HouseholdEditForm open={editing} onClose={() => setEditing(false)} household={h} />
    </>
  );
}
