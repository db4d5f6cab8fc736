import { request } from '../api';
import { ErrorNote, Loading } from '../components';
import { graphql } from '../gql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { Bills } from './Bills';

const MyHouseholdsQuery = graphql(`
  query MyHouseholds {
    households(first: 20) { edges { node { id unit room area compound { name } building { label } } } }
  }
`);

/** A resident's own households: usually exactly one. */
export function HouseholdsPage() {
  const t = useT();
  const res = useLoad(() => request(MyHouseholdsQuery), []);
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const homes = res.data.households.edges.map((e) => e.node);
  return (
    <>
      <h1>{t.myHome}</h1>
      {homes.length === 0 && <p className="muted">{t.empty}</p>}
      {homes.map((h) => (
        <div key={h.id}>
          <a href={`#/households/${h.id}`} className="card home">
            <span className="big">{h.compound?.name}</span>
            <span className="big">{h.building?.label} {h.unit} {h.room}</span>
            <span className="muted">{t.area}：{h.area}</span>
          </a>
          <Bills householdId={h.id} canRecord={false} canPayOnline />
        </div>
      ))}
    </>
  );
}
