import { request } from '../api';
import { ErrorNote, Loading } from '../components';
import { graphql } from '../gql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';

const CompoundsQuery = graphql(`
  query Compounds {
    compounds(first: 100) { edges { node { id name address householdCount } } }
  }
`);

export function CompoundsPage() {
  const t = useT();
  const res = useLoad(() => request(CompoundsQuery), []);
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const compounds = res.data.compounds.edges.map((e) => e.node);
  return (
    <>
      <h1>{t.compounds}</h1>
      {compounds.length === 0 && <p className="muted">{t.empty}</p>}
      <ul className="list card">
        {compounds.map((c) => (
          <li key={c.id}>
            <a href={`#/compounds/${c.id}`} className="row">
              <span className="name">{c.name}</span>
              <span className="muted">{c.address}</span>
              <span className="count">{c.householdCount}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
