// The fee schedule versions that bill a compound (its own and its bundle's), and the add-on
// items its owners voted for; forms to set a new version or activate an add-on.
import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { AddonForm } from '../../forms/AddonForm';
import { FeeScheduleForm } from '../../forms/FeeScheduleForm';
import { DataTable, QueryError } from '../../ui';
import type { CompoundData } from '../Compound';

const feesDocument = graphql(`
  query CompoundFees($id: ID!) {
    feeSchedules(compoundId: $id) { id compoundId bundleId effectiveFrom note items { kind pricing rate { display } addon } }
    addonActivations(compoundId: $id) { id kind fromPeriod toPeriod decisionRef }
  }
`);

export function Fees({ compound: c }: { compound: CompoundData }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }] = useQuery({ query: feesDocument, variables: { id: c.id } });
  const [open, setOpen] = useState<'schedule' | 'addon'>();
  const perUnit = (p: string) => (p === 'PER_SQUARE_METRE' ? t.perSquareMetre : t.perHousehold);
  return (
    <>
      <QueryError error={error} />
      {me.can.administer && (
        <Space style={{ marginBottom: 16 }} wrap>
          <Button type="primary" onClick={() => setOpen('schedule')}>{t.newFeeSchedule}</Button>
          <Button onClick={() => setOpen('addon')}>{t.activateAddon}</Button>
        </Space>
      )}
      <List
        dataSource={data?.feeSchedules ?? []}
        locale={{ emptyText: t.noFeeSchedule }}
        renderItem={(s) => (
          <Card size="small" className="section"
            title={<Space wrap>{t.fmt(t.effectiveFromMonth, s.effectiveFrom)}<Tag>{s.compoundId ? t.compoundOwn : t.bundleDefault}</Tag></Space>}>
            {s.note && <Typography.Paragraph type="secondary">{s.note}</Typography.Paragraph>}
            <DataTable rowKey="kind" size="small" pagination={false} dataSource={s.items}
              columns={[
                { title: t.feeItem, render: (_, i) => <>{t.feeKinds[i.kind]}{i.addon && <Tag style={{ marginLeft: 8 }}>{t.addon}</Tag>}</> },
                { title: t.rateLabel, align: 'right', render: (_, i) => `${i.rate.display} ${perUnit(i.pricing)}` },
              ]} />
          </Card>
        )}
      />
      <Card size="small" title={t.addons} className="section">
        <List
          dataSource={data?.addonActivations ?? []}
          locale={{ emptyText: t.none }}
          renderItem={(a) => (
            <List.Item>
              {t.feeKinds[a.kind]} · {a.fromPeriod} – {a.toPeriod ?? t.openEnded} · {t.fields.decisionRef}{t.colon}{a.decisionRef}
            </List.Item>
          )}
        />
      </Card>
      <FeeScheduleForm open={open === 'schedule'} onClose={() => setOpen(undefined)} compoundId={c.id} bundleId={c.bundle?.id} />
      <AddonForm open={open === 'addon'} onClose={() => setOpen(undefined)} compoundId={c.id} />
    </>
  );
}
