import { useState, type FormEvent } from 'react';
import { request } from '../api';
import { ErrorNote, Field, Loading } from '../components';
import { graphql } from '../gql';
import type { CompoundHouseholdsQuery } from '../gql/graphql';
import { useAction, useLoad } from '../hooks';
import { useT } from '../i18n';
import { CompoundAccounts } from './Accounts';
import { Collection } from './Collection';
import { CommitteePayouts } from './Payouts';

const CompoundQuery = graphql(`
  query Compound($id: ID!) {
    compound(id: $id) {
      id name address managementMode chargingMode onboardingStep householdCount
      lateFee { dailyRateBp graceDays capBp }
      security { met }
      bundle { name }
      buildings { id label }
    }
  }
`);

const CompoundHouseholdsQuery_ = graphql(`
  query CompoundHouseholds($id: ID!, $room: String, $after: String) {
    households(compoundId: $id, room: $room, first: 50, after: $after) {
      edges { node { id unit room area building { label } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

type Row = CompoundHouseholdsQuery['households']['edges'][number]['node'];

export function CompoundPage({ id, canKeepBooks }: { id: string; canKeepBooks: boolean }) {
  const t = useT();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const res = useLoad(() => request(CompoundQuery, { id }), [id, version]);
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const c = res.data.compound;
  return (
    <>
      <a href="#/" className="back">← {t.back}</a>
      <h1>{c.name}</h1>
      <dl className="card grid">
        <Field label={t.address}>{c.address}</Field>
        <Field label={t.bundles}>{c.bundle?.name}</Field>
        <Field label={t.managementMode}>{t.modes[c.managementMode]}</Field>
        <Field label={t.chargingMode}>{t.charging[c.chargingMode]}</Field>
        <Field label={t.onboarding}>{t.fmt(t.step, c.onboardingStep)}</Field>
        <Field label={t.security}>{t.fmt(t.of5, c.security.met)}</Field>
        <Field label={t.householdCount}>{c.householdCount}</Field>
        <Field label={t.lateFee}>{c.lateFee ? t.lateFeeTerms(c.lateFee.dailyRateBp, c.lateFee.graceDays, c.lateFee.capBp / 100) : t.none}</Field>
      </dl>
      {canKeepBooks && <LateFeeForm compoundId={c.id} current={c.lateFee ?? null} onDone={reload} />}
      <Collection compoundId={c.id} />
      <CompoundAccounts compoundId={c.id} />
      <CommitteePayouts compoundId={c.id} canPay={canKeepBooks} />
      <Households compoundId={c.id} />
    </>
  );
}

const SetLateFee = graphql(`
  mutation SetLateFee($id: ID!, $terms: LateFeeInput) {
    setLateFee(compoundId: $id, terms: $terms) { id }
  }
`);

type Terms = { dailyRateBp: number; graceDays: number; capBp: number };

/** The contract's late fee: off unless set; applies from the next billing run. */
function LateFeeForm({ compoundId, current, onDone }: { compoundId: string; current: Terms | null; onDone: () => void }) {
  const t = useT();
  const [rate, setRate] = useState(String(current?.dailyRateBp ?? 5));
  const [grace, setGrace] = useState(String(current?.graceDays ?? 30));
  const [cap, setCap] = useState(String((current?.capBp ?? 1000) / 100));
  const { busy, error, run } = useAction();
  const save = (terms: Terms | null) => void run(async () => {
    await request(SetLateFee, { id: compoundId, terms });
    onDone();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save({ dailyRateBp: Number(rate), graceDays: Number(grace), capBp: Math.round(Number(cap) * 100) });
  };
  return (
    <details className="card">
      <summary>{t.lateFeeSettings}</summary>
      <form className="form" onSubmit={submit}>
        <label>{t.lateFeeRate}<input name="late-rate" inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} required /></label>
        <label>{t.lateFeeGrace}<input name="late-grace" inputMode="numeric" value={grace} onChange={(e) => setGrace(e.target.value)} required /></label>
        <label>{t.lateFeeCap}<input name="late-cap" inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} required /></label>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{t.save}</button>
          {current && <button type="button" disabled={busy} onClick={() => save(null)}>{t.lateFeeOff}</button>}
        </div>
      </form>
    </details>
  );
}

function Households({ compoundId }: { compoundId: string }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [room, setRoom] = useState<string | null>(null);
  const [extra, setExtra] = useState<{ rows: Row[]; cursor: string | null; more: boolean } | null>(null);
  const first = useLoad(() => request(CompoundHouseholdsQuery_, { id: compoundId, room }), [compoundId, room]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setExtra(null);
    setRoom(query.trim() || null);
  };

  if (!first.data) return first.error ? <ErrorNote error={first.error} /> : <Loading />;
  const base = first.data.households;
  const rows = [...base.edges.map((e) => e.node), ...(extra?.rows ?? [])];
  const hasMore = extra ? extra.more : base.pageInfo.hasNextPage;
  const cursor = extra ? extra.cursor : base.pageInfo.endCursor;

  const loadMore = async () => {
    const next = await request(CompoundHouseholdsQuery_, { id: compoundId, room, after: cursor });
    setExtra({
      rows: [...(extra?.rows ?? []), ...next.households.edges.map((e) => e.node)],
      cursor: next.households.pageInfo.endCursor ?? null,
      more: next.households.pageInfo.hasNextPage,
    });
  };

  return (
    <section className="card">
      <h2>{t.households}</h2>
      <form onSubmit={search} className="search">
        <input aria-label={t.searchRoom} placeholder={t.searchRoom} value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit">{t.search}</button>
      </form>
      {rows.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : (
        <table className="households">
          <thead>
            <tr><th>{t.building}</th><th>{t.unit}</th><th>{t.room}</th><th className="num">{t.area}</th></tr>
          </thead>
          <tbody>
            {rows.map((h) => (
              <tr key={h.id} onClick={() => { window.location.hash = `/households/${h.id}`; }}>
                <td>{h.building?.label}</td>
                <td>{h.unit}</td>
                <td><a href={`#/households/${h.id}`}>{h.room}</a></td>
                <td className="num">{h.area}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && <button onClick={loadMore} className="wide">{t.more}</button>}
    </section>
  );
}
