// Activating an add-on fee item for a run of months, under the owners' passed matter (of the
// firm's service, or another major matter).
import { Form, Input, Select } from 'antd';
import { graphql } from '../../gql';
import type { AddonInput } from '../../gql/graphql';
import { useT } from '../../i18n';
import { thisMonth } from '../../money';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { PERIOD } from './FeeScheduleForm';
import { MatterSelect } from './MatterSelect';

const activateAddon = graphql(`
  mutation ActivateAddon($input: AddonInput!) { activateAddon(input: $input) { id } }
`);

const KINDS = ['PARKING_MANAGEMENT', 'GREENERY_CARE', 'GARBAGE_REMOVAL', 'SECURITY_PATROL', 'UTILITIES_REPAIR'] as const;

export function AddonForm({ open, onClose, compoundId }: { open: boolean; onClose: () => void; compoundId: string }) {
  const t = useT();
  const [form] = Form.useForm<Omit<AddonInput, 'compoundId'>>();
  const activate = useSubmit(activateAddon, form);
  const onFinish = async (v: Omit<AddonInput, 'compoundId'>) =>
    Boolean(await activate.submit({ input: { ...v, compoundId, toPeriod: v.toPeriod?.trim() || null } }));
  return (
    <FormDrawer title={t.activateAddon} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={activate.fetching}
      error={activate.error} initialValues={{ fromPeriod: thisMonth() }}>
      <Form.Item name="kind" label={t.feeItem} rules={[{ required: true, message: t.required }]}>
        <Select options={KINDS.map((k) => ({ value: k, label: t.feeKinds[k] }))} />
      </Form.Item>
      <Form.Item name="fromPeriod" label={t.fields.from} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2026-12" />
      </Form.Item>
      <Form.Item name="toPeriod" label={t.fields.to} rules={[{ pattern: PERIOD, message: t.fieldHints.period }]} extra={t.openEndedHint}>
        <Input placeholder="2027-11" />
      </Form.Item>
      <Form.Item name="matterId" label={t.fields.matterId} extra={t.gv.addonMatterHint} rules={[{ required: true, message: t.required }]}>
        <MatterSelect compoundId={compoundId} kinds={['PROPERTY_FIRM', 'OTHER']} />
      </Form.Item>
    </FormDrawer>
  );
}
