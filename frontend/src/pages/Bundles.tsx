import { useEffect, useRef } from 'react';
import { request } from '../api';
import { ErrorNote, Loading } from '../components';
import { graphql } from '../gql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { monthsBack, thisMonth } from '../money';

const BundlesQuery = graphql(`
  query Bundles {
    bundles(first: 100) {
      edges {
        node {
          id name streetOffice district
          compounds(first: 100) { edges { node { id name householdCount managementMode onboardingStep } } }
        }
      }
    }
  }
`);

export function BundlesPage() {
  const t = useT();
  const res = useLoad(() => request(BundlesQuery), []);
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const bundles = res.data.bundles.edges.map((e) => e.node);
  if (bundles.length === 0) return <p className="muted">{t.empty}</p>;
  return (
    <>
      <h1>{t.bundles}</h1>
      {bundles.map((b) => {
        const compounds = b.compounds.edges.map((e) => e.node);
        const total = compounds.reduce((n, c) => n + Number(c.householdCount), 0);
        return (
          <section key={b.id} className="card">
            <h2>{b.name}</h2>
            <p className="muted">{t.streetOffice}：{b.streetOffice} · {t.district}：{b.district} · {t.householdCount}：{total}</p>
            <ul className="list">
              {compounds.map((c) => (
                <li key={c.id}>
                  <a href={`#/compounds/${c.id}`} className="row">
                    <span className="name">{c.name}</span>
                    <span className="muted">{t.modes[c.managementMode]} · {t.fmt(t.step, c.onboardingStep)}</span>
                    <span className="count">{c.householdCount} {t.lang === 'zh' ? '户' : ''}</span>
                  </a>
                </li>
              ))}
            </ul>
            <BundleRates bundleId={b.id} />
          </section>
        );
      })}
    </>
  );
}

const BundleCollectionQuery = graphql(`
  query BundleCollection($id: ID!, $from: String!, $to: String!) {
    bundleCollection(bundleId: $id, from: $from, to: $to) {
      months { period collectionRateBp }
      compounds { compoundId name months { collectionRateBp } }
    }
  }
`);

/** Six months of collection rate, one line per compound of the bundle (staff only). */
function BundleRates({ bundleId }: { bundleId: string }) {
  const t = useT();
  const to = thisMonth();
  const from = monthsBack(to, 5);
  const res = useLoad(() => request(BundleCollectionQuery, { id: bundleId, from, to }), [bundleId]);
  const el = useRef<HTMLDivElement>(null);
  const data = res.data?.bundleCollection;
  useEffect(() => {
    if (!data) return;
    let disposed = false;
    let dispose = () => {};
    void import('../collectionChart').then(({ drawRates }) => {
      if (disposed || !el.current) return;
      const chart = drawRates(el.current, data.months.map((m) => m.period), [
        { name: t.bundleTotal, ratesBp: data.months.map((m) => m.collectionRateBp ?? null) },
        ...data.compounds.map((c) => ({ name: c.name, ratesBp: c.months.map((m) => m.collectionRateBp ?? null) })),
      ]);
      dispose = () => chart.dispose();
    });
    return () => {
      disposed = true;
      dispose();
    };
  }, [data, t]);
  if (!data) return null;
  return (
    <>
      <h3>{t.collectionRate}</h3>
      <div ref={el} className="chart" role="img" aria-label={t.collectionRate} data-testid="bundle-chart" />
    </>
  );
}
