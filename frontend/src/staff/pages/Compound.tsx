// One compound: its tabs are deep links (/compounds/:id/households, …), so back and reload
// return to the same tab.
import { Button, Popconfirm, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { isStaff, onCommitteeOf, useMe } from '../../app/me';
import { graphql } from '../../gql';
import type { CompoundQuery } from '../../gql/graphql';
import { useT } from '../../i18n';
import { CompoundForm } from '../forms/CompoundForm';
import { PageTitle, QueryError } from '../ui';
import { useAction } from '../useSubmit';
import { Committee } from './compound/Committee';
import { Fees } from './compound/Fees';
import { Households } from './compound/Households';
import { Income } from './compound/Income';
import { Overview } from './compound/Overview';
import { Payouts } from './compound/Payouts';
import { Repairs } from './compound/Repairs';
import { Votes } from './compound/Votes';
import { Budgets } from './compound/Budgets';

export const compoundDocument = graphql(`
  query Compound($id: ID!) {
    compound(id: $id) {
      id name address managementMode chargingMode onboardingStage onboardingStep householdCount archivedAt
      committeeStripeAccount
      lateFee { dailyRateBp graceDays capBp }
      security { cctv gatehouse guard lighting gate met }
      bundle { id name }
      buildings { id label }
    }
  }
`);

const archiveCompound = graphql(`
  mutation ArchiveCompound($id: ID!) { archiveCompound(id: $id) { id archivedAt } }
`);

export type CompoundData = CompoundQuery['compound'];

export default function CompoundPage() {
  const t = useT();
  const me = useMe();
  const { id = '', tab = 'overview' } = useParams();
  const navigate = useNavigate();
  const [{ data, error }] = useQuery({ query: compoundDocument, variables: { id } });
  const [editing, setEditing] = useState(false);
  const archive = useAction(archiveCompound);
  if (!data) return <QueryError error={error} />;
  const c = data.compound;
  const staff = isStaff(me);
  const tabs = [
    { key: 'overview', label: t.overview, children: <Overview compound={c} /> },
    staff && { key: 'households', label: t.households, children: <Households compound={c} /> },
    (me.can.keepBooks || me.can.administer) && { key: 'fees', label: t.feeSchedules, children: <Fees compound={c} /> },
    (me.can.keepBooks || onCommitteeOf(me, c.id)) && { key: 'income', label: t.commonIncome, children: <Income compound={c} /> },
    { key: 'payouts', label: t.committeePayouts, children: <Payouts compound={c} /> },
    { key: 'repairs', label: t.wo.repairsTab, children: <Repairs compound={c} /> },
    { key: 'votes', label: t.gv.votesTab, children: <Votes compound={c} /> },
    { key: 'committee', label: t.gv.committeeTab, children: <Committee compound={c} /> },
    { key: 'budgets', label: t.bd.tab, children: <Budgets compound={c} /> },
  ].filter((x) => x !== false);
  return (
    <>
      <PageTitle
        title={c.name}
        back={c.bundle && staff ? { to: '/bundles', label: c.bundle.name } : { to: '/compounds', label: t.compounds }}
        extra={me.can.administer && (
          <Space>
            <Button onClick={() => setEditing(true)}>{t.edit}</Button>
            <Popconfirm title={t.archiveCompoundConfirm} onConfirm={() => archive.run({ id: c.id })}>
              <Button danger>{t.archive}</Button>
            </Popconfirm>
          </Space>
        )}
      />
      <Tabs activeKey={tab} items={tabs} onChange={(k) => navigate(`/compounds/${c.id}/${k}`)} destroyOnHidden />
      {c.bundle && (
        <CompoundForm open={editing} onClose={() => setEditing(false)} bundleId={c.bundle.id}
          compound={{ ...c, bundleId: c.bundle.id }} />
      )}
    </>
  );
}
