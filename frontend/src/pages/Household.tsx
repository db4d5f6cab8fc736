import { request } from '../api';
import { ErrorNote, Field, Loading } from '../components';
import { graphql } from '../gql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { Bills } from './Bills';

const HouseholdQuery = graphql(`
  query Household($id: ID!) {
    household(id: $id) {
      id unit room area areaSource activeFrom
      building { label }
      compound { id name }
    }
  }
`);

const MembersQuery = graphql(`
  query HouseholdMembers($id: ID!) {
    household(id: $id) { members { id role designatedVoter person { name phoneMasked } } }
  }
`);

export function HouseholdPage({ id, canRecord }: { id: string; canRecord: boolean }) {
  const t = useT();
  const res = useLoad(() => request(HouseholdQuery, { id }), [id]);
  const members = useLoad(() => request(MembersQuery, { id }), [id]);
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const h = res.data.household;
  const title = `${h.compound?.name ?? ''} ${h.building?.label ?? ''}${h.unit}${h.room}`;
  return (
    <>
      {h.compound && <a href={`#/compounds/${h.compound.id}`} className="back">← {h.compound.name}</a>}
      <h1>{title}</h1>
      <dl className="card grid">
        <Field label={t.area}>{h.area}</Field>
        <Field label={t.areaSource}>{t.areaSources[h.areaSource]}</Field>
        <Field label={t.activeFrom}>{h.activeFrom}</Field>
      </dl>
      <Bills householdId={h.id} canRecord={canRecord} canPayOnline={canRecord} />
      {members.data && (
        <section className="card">
          <h2>{t.members}</h2>
          <ul className="list">
            {members.data.household.members.map((m) => (
              <li key={m.id} className="row">
                <span className="name">{m.person.name}</span>
                <span className="muted">{t.memberRoles[m.role]}{m.designatedVoter ? ' ✓' : ''}</span>
                <span>{m.person.phoneMasked}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
