// A compound at a glance: its particulars, the contract's late fee, six months of collection
// and its ledger accounts (the committee sees only its own fund).
import { Button, Card, Descriptions, List, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { JournalEntryForm } from '../../forms/JournalEntryForm';
import { LateFeeForm } from '../../forms/LateFeeForm';
import type { CompoundData } from '../Compound';
import { Collection } from './Collection';

export function Overview({ compound: c }: { compound: CompoundData }) {
  const t = useT();
  const me = useMe();
  const [lateFee, setLateFee] = useState(false);
  return (
    <>
      <Descriptions bordered column={{ xs: 1, sm: 1, md: 2 }} size="small" className="facts">
        <Descriptions.Item label={t.address}>{c.address}</Descriptions.Item>
        <Descriptions.Item label={t.bundles}>{c.bundle?.name}</Descriptions.Item>
        <Descriptions.Item label={t.managementMode}>{t.modes[c.managementMode]}</Descriptions.Item>
        <Descriptions.Item label={t.chargingMode}>{t.charging[c.chargingMode]}</Descriptions.Item>
        <Descriptions.Item label={t.onboarding}>{t.fmt(t.step, c.onboardingStep)} · {t.stages[c.onboardingStage]}</Descriptions.Item>
        <Descriptions.Item label={t.security}>{t.fmt(t.of5, c.security.met)}</Descriptions.Item>
        <Descriptions.Item label={t.householdCount}>{c.householdCount}</Descriptions.Item>
        <Descriptions.Item label={t.lateFee}>
          {c.lateFee ? t.lateFeeTerms(c.lateFee.dailyRateBp, c.lateFee.graceDays, c.lateFee.capBp / 100) : t.none}
          {me.can.keepBooks && <Button type="link" onClick={() => setLateFee(true)}>{t.lateFeeSettings}</Button>}
        </Descriptions.Item>
      </Descriptions>
      {me.can.keepBooks && <LateFeeForm open={lateFee} onClose={() => setLateFee(false)} compoundId={c.id} current={c.lateFee ?? null} />}
      {me.can.keepBooks && <Collection compoundId={c.id} />}
      <Accounts compoundId={c.id} />
    </>
  );
}

const accountsDocument = graphql(`
  query CompoundAccounts($id: ID!) {
    ledgerAccounts(compoundId: $id, first: 100) {
      edges { node { id kind householdId naturalBalance { display } } }
    }
  }
`);

/** The compound's own accounts (households' receivables are on their own pages). */
function Accounts({ compoundId }: { compoundId: string }) {
  const t = useT();
  const me = useMe();
  const [posting, setPosting] = useState(false);
  const [{ data }] = useQuery({ query: accountsDocument, variables: { id: compoundId } });
  // People without a right to the books get an error here and simply see no section.
  if (!data) return null;
  const accounts = data.ledgerAccounts.edges.map((e) => e.node).filter((a) => !a.householdId);
  return (
    <Card title={t.accounts} className="section"
      extra={me.can.keepBooks && <Button onClick={() => setPosting(true)}>{t.journalEntry}</Button>}>
      <List
        dataSource={accounts}
        locale={{ emptyText: t.empty }}
        renderItem={(a) => (
          <List.Item extra={<Typography.Text strong className="num">{a.naturalBalance.display}</Typography.Text>}>
            <Link to={`/accounts/${a.id}`}>{t.accountKinds[a.kind]}</Link>
          </List.Item>
        )}
      />
      {me.can.keepBooks && (
        <JournalEntryForm open={posting} onClose={() => setPosting(false)} compoundId={compoundId}
          accounts={accounts.map((a) => ({ value: a.id, label: t.accountKinds[a.kind] }))} />
      )}
    </Card>
  );
}
