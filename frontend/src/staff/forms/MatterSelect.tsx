// The owners' passed matter a decision rests on: only the compound's matters of the kinds the
// decision needs that passed are offered; none passed, the field says so and links nowhere else.
import { Select } from 'antd';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { MatterKind } from '../../gql/graphql';
import { useT } from '../../i18n';

const passedDocument = graphql(`
  query PassedMatters($id: ID!) { matters(compoundId: $id) { id title kind outcome closedAt } }
`);

type Props = { compoundId: string; kinds: MatterKind[]; value?: string; onChange?: (id: string) => void; id?: string };

export function MatterSelect({ compoundId, kinds, value, onChange, id }: Props) {
  const t = useT();
  const [{ data, fetching }] = useQuery({ query: passedDocument, variables: { id: compoundId } });
  const passed = (data?.matters ?? []).filter((m) => m.outcome === 'PASSED' && kinds.includes(m.kind));
  return (
    <Select id={id} value={value} onChange={onChange} loading={fetching} notFoundContent={t.gv.noPassed}
      options={passed.map((m) => ({ value: m.id, label: `${m.title}（${t.gv.kinds[m.kind]}，${m.closedAt?.slice(0, 10)}）` }))} />
  );
}
