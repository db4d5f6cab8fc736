// The month's subsidy claim for the civil affairs bureau, as CSV or XLSX.
import { Button, Card, Space } from 'antd';
import { useState } from 'react';
import { useClient } from 'urql';
import { describe, fromCombined } from '../../../app/errors';
import { saveAs } from '../../../app/files';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { FormError } from '../../ui';

const claimDocument = graphql(`
  query SubsidyClaim($from: String!, $to: String!) {
    subsidyClaim(funding: GOVERNMENT_SUBSIDY, from: $from, to: $to) { csv xlsxBase64 }
  }
`);

export function SubsidyClaim({ period }: { period: string }) {
  const t = useT();
  const client = useClient();
  const [error, setError] = useState<string>();
  const get = async (kind: 'csv' | 'xlsx') => {
    setError(undefined);
    const res = await client.query(claimDocument, { from: period, to: period }, { requestPolicy: 'network-only' }).toPromise();
    if (res.error || !res.data) return setError(res.error ? describe(fromCombined(res.error), t) : t.errors.INTERNAL);
    const c = res.data.subsidyClaim;
    if (kind === 'csv') saveAs(`subsidy-${period}.csv`, `data:text/csv;charset=utf-8,${encodeURIComponent(c.csv)}`);
    else saveAs(`subsidy-${period}.xlsx`, `data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${c.xlsxBase64}`);
  };
  return (
    <Card title={`${t.subsidyClaim} · ${period}`} className="section">
      <FormError message={error} />
      <Space>
        <Button onClick={() => get('csv')}>{t.download} CSV</Button>
        <Button onClick={() => get('xlsx')}>{t.download} XLSX</Button>
      </Space>
    </Card>
  );
}
