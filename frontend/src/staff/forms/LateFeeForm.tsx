// The contract's late fee (滞纳金): off unless the contract has one; applies from the next run.
import { Button, Form, InputNumber, Popconfirm } from 'antd';
import { graphql } from '../../gql';
import type { LateFeeInput } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useAction, useSubmit } from '../useSubmit';

const setLateFee = graphql(`
  mutation SetLateFee($id: ID!, $terms: LateFeeInput) {
    setLateFee(compoundId: $id, terms: $terms) { id lateFee { dailyRateBp graceDays capBp } }
  }
`);

type Values = { dailyRateBp: number; graceDays: number; capPercent: number };
type Props = { open: boolean; onClose: () => void; compoundId: string; current: LateFeeInput | null };

export function LateFeeForm({ open, onClose, compoundId, current }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const save = useSubmit(setLateFee, form);
  const remove = useAction(setLateFee);
  const onFinish = async (v: Values) =>
    Boolean(await save.submit({ id: compoundId, terms: { dailyRateBp: v.dailyRateBp, graceDays: v.graceDays, capBp: Math.round(v.capPercent * 100) } }));
  const initial = { dailyRateBp: current?.dailyRateBp ?? 5, graceDays: current?.graceDays ?? 30, capPercent: (current?.capBp ?? 1000) / 100 };
  return (
    <FormDrawer title={t.lateFeeSettings} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={save.fetching} error={save.error} initialValues={initial}>
      <Form.Item name="dailyRateBp" label={t.lateFeeRate} rules={[{ required: true, type: 'integer', min: 1, max: 10, message: t.lateFeeRateRule }]}>
        <InputNumber min={1} max={10} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="graceDays" label={t.lateFeeGrace} rules={[{ required: true, type: 'integer', min: 0, max: 365, message: t.lateFeeGraceRule }]}>
        <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="capPercent" label={t.lateFeeCap} rules={[{ required: true, type: 'number', min: 0.01, max: 100, message: t.lateFeeCapRule }]}>
        <InputNumber min={0.01} max={100} precision={2} style={{ width: '100%' }} />
      </Form.Item>
      {current && (
        <Popconfirm title={t.lateFeeOffConfirm} onConfirm={async () => { if (await remove.run({ id: compoundId, terms: null })) onClose(); }}>
          <Button danger loading={remove.fetching}>{t.lateFeeOff}</Button>
        </Popconfirm>
      )}
    </FormDrawer>
  );
}
