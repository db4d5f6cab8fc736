// Creating or editing a compound: where it is, how it is run and charged, how far the
// seven-step onboarding has come, and which of the five security basics (五有) it has.
import { Checkbox, Form, Input, Select } from 'antd';
import { graphql } from '../../gql';
import type { CompoundInput, OnboardingStage } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const createCompound = graphql(`
  mutation CreateCompound($input: CompoundInput!) { createCompound(input: $input) { id name } }
`);
const updateCompound = graphql(`
  mutation UpdateCompound($id: ID!, $input: CompoundInput!) {
    updateCompound(id: $id, input: $input) {
      id name address managementMode chargingMode onboardingStage onboardingStep
      security { cctv gatehouse guard lighting gate met }
    }
  }
`);

export const STAGES: OnboardingStage[] = ['SURVEY', 'PUBLICISE', 'SELF_MANAGEMENT_TEAM', 'MOBILISE', 'RAISE_FUNDS', 'IMPLEMENT', 'STANDARDISE'];
const SECURITY = ['cctv', 'gatehouse', 'guard', 'lighting', 'gate'] as const;

type Values = Omit<CompoundInput, 'security'> & { security: string[] };
type Props = { open: boolean; onClose: () => void; bundleId: string; compound?: CompoundInput & { id: string } };

export function CompoundForm({ open, onClose, bundleId, compound }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const create = useSubmit(createCompound, form);
  const update = useSubmit(updateCompound, form);
  const active = compound ? update : create;
  const onFinish = async ({ security, ...rest }: Values) => {
    const input: CompoundInput = {
      ...rest,
      bundleId,
      security: Object.fromEntries(SECURITY.map((k) => [k, security.includes(k)])) as CompoundInput['security'],
    };
    return Boolean(compound ? await update.submit({ id: compound.id, input }) : await create.submit({ input }));
  };
  const initial: Partial<Values> = compound
    ? { ...compound, security: SECURITY.filter((k) => compound.security?.[k]) }
    : { managementMode: 'PROFESSIONAL', chargingMode: 'LUMP_SUM', onboardingStage: 'SURVEY', security: [] };
  const required = [{ required: true, whitespace: true, message: t.required }];
  const options = <K extends string>(values: Record<K, string>) => Object.entries(values).map(([value, label]) => ({ value, label: label as string }));
  return (
    <FormDrawer title={compound ? t.editCompound : t.newCompound} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={active.fetching} error={active.error} initialValues={initial}>
      <Form.Item name="name" label={t.fields.name} rules={required}><Input maxLength={100} /></Form.Item>
      <Form.Item name="address" label={t.address} rules={required}><Input maxLength={200} /></Form.Item>
      <Form.Item name="managementMode" label={t.managementMode} rules={required}><Select options={options(t.modes)} /></Form.Item>
      <Form.Item name="chargingMode" label={t.chargingMode} rules={required}><Select options={options(t.charging)} /></Form.Item>
      <Form.Item name="onboardingStage" label={t.onboarding} rules={required}>
        <Select options={STAGES.map((s, i) => ({ value: s, label: `${i + 1}. ${t.stages[s]}` }))} />
      </Form.Item>
      <Form.Item name="security" label={t.security}>
        <Checkbox.Group options={SECURITY.map((k) => ({ value: k, label: t.securityItems[k] }))} />
      </Form.Item>
    </FormDrawer>
  );
}
