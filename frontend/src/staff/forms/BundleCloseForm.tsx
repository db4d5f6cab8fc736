// Closing an ended month of common-part income for every compound of a bundle: the result
// says how many were closed, how many were closed before, and why any were not (mend it and
// close again; nothing is closed twice).
import { Alert, Form, Input, List } from 'antd';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { CloseBundleCommonIncomeMonthMutation } from '../../gql/graphql';
import { useT } from '../../i18n';
import { monthsBack, thisMonth } from '../../money';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { PERIOD } from './FeeScheduleForm';

const closeBundle = graphql(`
  mutation CloseBundleCommonIncomeMonth($id: ID!, $period: String!) {
    closeBundleCommonIncomeMonth(bundleId: $id, period: $period) {
      closed alreadyClosed refused { compoundId compoundName code message }
    }
  }
`);

type Result = CloseBundleCommonIncomeMonthMutation['closeBundleCommonIncomeMonth'];

export function BundleCloseForm({ open, onClose, bundleId }: { open: boolean; onClose: () => void; bundleId: string }) {
  const t = useT();
  const [form] = Form.useForm<{ period: string }>();
  const close = useSubmit(closeBundle, form);
  const [result, setResult] = useState<Result>();
  const onFinish = async ({ period }: { period: string }) => {
    const done = await close.submit({ id: bundleId, period: period.trim() });
    setResult(done?.closeBundleCommonIncomeMonth);
    // Stays open to show what happened.
    return false;
  };
  const shut = () => {
    setResult(undefined);
    onClose();
  };
  return (
    <FormDrawer title={t.closeBundleIncome} open={open} onClose={shut} form={form} onFinish={onFinish} busy={close.fetching}
      error={close.error} initialValues={{ period: monthsBack(thisMonth(), 1) }} submitLabel={t.closeMonth}>
      <Form.Item name="period" label={t.fields.period} extra={t.closeBundleHint}
        rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2026-11" />
      </Form.Item>
      {result && (
        <>
          <Alert type={result.refused.length ? 'warning' : 'success'} showIcon role="status"
            title={t.bundleClosed(result.closed, result.alreadyClosed, result.refused.length)} />
          <List size="small" dataSource={result.refused} locale={{ emptyText: ' ' }}
            renderItem={(r) => <List.Item>{t.withNote(r.compoundName, r.message)}</List.Item>} />
        </>
      )}
    </FormDrawer>
  );
}
