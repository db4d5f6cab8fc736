// The compounds within the person's reach: searched by name on the server, a page at a time.
import { Input} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { CursorPager, useCursorPages } from '../CursorPager';
import { DataTable, PageTitle, QueryError } from '../ui';

const compoundsDocument = graphql(`
  query Compounds($search: String, $after: String) {
    compounds(search: $search, first: 20, after: $after) {
      edges { node { id name address householdCount bundle { name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export default function CompoundsPage() {
  const t = useT();
  const [search, setSearch] = useState<string | null>(null);
  const pages = useCursorPages();
  const [{ data, error, fetching }] = useQuery({ query: compoundsDocument, variables: { search, after: pages.after } });
  const rows = data?.compounds.edges.map((e) => e.node) ?? [];
  return (
    <>
      <PageTitle title={t.compounds} />
      <Input.Search
        placeholder={t.searchName}
        aria-label={t.searchName}
        enterButton={t.search}
        allowClear
        onSearch={(v) => { pages.reset(); setSearch(v.trim() || null); }}
        style={{ maxWidth: 420, marginBottom: 16 }}
      />
      <QueryError error={error} />
      <DataTable
        rowKey="id"
        loading={fetching}
        dataSource={rows}
        pagination={false}
       
        columns={[
          { title: t.fields.name, dataIndex: 'name', render: (name, c) => <Link to={`/compounds/${c.id}`}>{name}</Link> },
          { title: t.bundles, render: (_, c) => c.bundle?.name },
          { title: t.address, dataIndex: 'address', responsive: ['md'] },
          { title: t.householdCount, dataIndex: 'householdCount', align: 'right' },
        ]}
      />
      <CursorPager pages={pages} hasNext={data?.compounds.pageInfo.hasNextPage ?? false} endCursor={data?.compounds.pageInfo.endCursor} />
    </>
  );
}
