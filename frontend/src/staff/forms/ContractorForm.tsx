// Registering or editing a contractor (with the first contract when new), adding a contract,
// and giving a contractor a sign-in. The server checks the same rules and names the field.
import { Checkbox, DatePicker, Form, Input, InputNumber, Select, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ContractorKind, ContractorRateKind, Trade } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { YUAN } from './FeeScheduleForm';
import { useSubmit } from '../useSubmit';
import type { ContractorRow } from '../pages/Contractors';

const areasDocument = graphql(`
  query ContractorAreas {
    bundles(first: 100) { edges { node { id name } } }
    compounds(first: 100) { edges { node { id name } } }
  }
`);
const registerDocument = graphql(`
  mutation RegisterContractor($input: ContractorFields!, $contract: ContractTerms!) {
    registerContractor(input: $input, contract: $contract) { id }
  }
`);
const updateDocument = graphql(`
  mutation UpdateContractor($id: ID!, $input: ContractorFields!) { updateContractor(id: $id, input: $input) { id } }
`);
const contractDocument = graphql(`
  mutation AddContractorContract($id: ID!, $contract: ContractTerms!) {
    addContractorContract(contractorId: $id, contract: $contract) { id }
  }
`);
const signInDocument = graphql(`
  mutation GiveContractorSignIn($input: MemberInput!) { addMember(input: $input) { id } }
`);

export const TRADES: Trade[] = ['PLUMBING', 'ELECTRICAL', 'LOCKSMITH', 'CLEANING', 'SECURITY_PATROL', 'GREENERY', 'WASTE_REMOVAL', 'GENERAL_REPAIR'];
const KINDS: ContractorKind[] = ['COMPANY', 'INDIVIDUAL', 'IN_HOUSE'];
const RATE_KINDS: ContractorRateKind[] = ['PER_JOB', 'PER_HOUR', 'MONTHLY_RETAINER'];

type Terms = { term: [Dayjs, Dayjs]; rateKind: ContractorRateKind; rate: string };
type Values = {
  name: string; kind: ContractorKind; phone?: string; trades: Trade[]; bundleIds: string[]; compoundIds: string[];
  capacity: number; onCall?: [Dayjs, Dayjs] | null; retired: boolean;
} & Partial<Terms>;

const minutes = (d: Dayjs) => d.hour() * 60 + d.minute();
const atMinute = (m: number) => dayjs().startOf('day').add(m, 'minute');
const terms = (v: Terms) => ({
  startsOn: v.term[0].format('YYYY-MM-DD'), endsOn: v.term[1].format('YYYY-MM-DD'), rateKind: v.rateKind, rate: v.rate.trim(),
});

function TermsFields() {
  const t = useT();
  return (
    <>
      <Form.Item name="term" label={`${t.wo.startsOn} – ${t.wo.endsOn}`} rules={[{ required: true, message: t.required }]}>
        <DatePicker.RangePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="rateKind" label={t.wo.rateKind} rules={[{ required: true, message: t.required }]}>
        <Select options={RATE_KINDS.map((k) => ({ value: k, label: t.wo.rateKinds[k] }))} />
      </Form.Item>
      <Form.Item name="rate" label={t.wo.rateYuan} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" />
      </Form.Item>
    </>
  );
}

/** `contractor` is 'new' to register one, a row to edit it, undefined when closed. */
export function ContractorForm({ contractor, onClose }: { contractor?: ContractorRow | 'new'; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [{ data: areas }] = useQuery({ query: areasDocument, pause: !contractor });
  const register = useSubmit(registerDocument, form);
  const update = useSubmit(updateDocument, form);
  const isNew = contractor === 'new';
  const onFinish = async (v: Values) => {
    const input = {
      name: v.name.trim(), kind: v.kind, phone: v.phone?.trim() || null, trades: v.trades, bundleIds: v.bundleIds ?? [],
      compoundIds: v.compoundIds ?? [], capacity: v.capacity, retired: v.retired ?? false,
      onCallFrom: v.onCall ? minutes(v.onCall[0]) : null, onCallTo: v.onCall ? minutes(v.onCall[1]) : null,
    };
    if (isNew) return Boolean(await register.submit({ input, contract: terms(v as Terms) }));
    return Boolean(contractor && await update.submit({ id: contractor.id, input }));
  };
  const initial: Partial<Values> = !contractor || isNew
    ? { kind: 'COMPANY', capacity: 3, trades: [], bundleIds: [], compoundIds: [], rateKind: 'PER_JOB', retired: false,
        term: [dayjs(), dayjs().add(1, 'year').subtract(1, 'day')] }
    : { name: contractor.name, kind: contractor.kind, phone: contractor.phone ?? undefined, trades: contractor.trades,
        bundleIds: contractor.bundleIds, compoundIds: contractor.compoundIds, capacity: contractor.capacity, retired: Boolean(contractor.retiredAt),
        onCall: contractor.onCallFrom == null || contractor.onCallTo == null ? null : [atMinute(contractor.onCallFrom), atMinute(contractor.onCallTo)] };
  const busy = register.fetching || update.fetching;
  return (
    <FormDrawer title={isNew ? t.wo.register : `${t.wo.editContractor} · ${contractor?.name ?? ''}`} open={Boolean(contractor)} onClose={onClose}
      form={form} onFinish={onFinish} busy={busy} error={register.error ?? update.error} initialValues={initial}>
      <Form.Item name="name" label={t.fields.name} rules={[{ required: true, whitespace: true, message: t.required }]}><Input maxLength={100} /></Form.Item>
      <Form.Item name="kind" label={t.wo.kind} rules={[{ required: true, message: t.required }]}>
        <Select options={KINDS.map((k) => ({ value: k, label: t.wo.kinds[k] }))} />
      </Form.Item>
      <Form.Item name="phone" label={t.fields.phone} rules={[{ pattern: /^1\d{10}$/, message: t.fieldHints.phone }]}><Input inputMode="tel" /></Form.Item>
      <Form.Item name="trades" label={t.wo.trades_} rules={[{ required: true, type: 'array', min: 1, message: t.fieldHints.trades }]}>
        <Checkbox.Group options={TRADES.map((tr) => ({ value: tr, label: t.wo.trades[tr] }))} />
      </Form.Item>
      <Form.Item name="bundleIds" label={t.wo.bundles}>
        <Select mode="multiple" optionFilterProp="label" options={(areas?.bundles.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
      </Form.Item>
      <Form.Item name="compoundIds" label={t.wo.compoundsField} extra={t.fieldHints.compoundIds}>
        <Select mode="multiple" optionFilterProp="label" options={(areas?.compounds.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
      </Form.Item>
      <Form.Item name="capacity" label={t.wo.capacity} rules={[{ required: true, type: 'integer', min: 1, max: 100, message: t.fieldHints.capacity }]}>
        <InputNumber precision={0} />
      </Form.Item>
      <Form.Item name="onCall" label={t.wo.onCall} extra={t.fieldHints.onCallTo}>
        <TimePicker.RangePicker format="HH:mm" minuteStep={15} order={false} style={{ width: '100%' }} />
      </Form.Item>
      {isNew ? <TermsFields /> : (
        <Form.Item name="retired" valuePropName="checked"><Checkbox>{t.wo.retired}</Checkbox></Form.Item>
      )}
    </FormDrawer>
  );
}

export function ContractForm({ contractor, onClose }: { contractor?: ContractorRow; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Terms>();
  const add = useSubmit(contractDocument, form);
  const last = contractor?.contracts.at(-1);
  const start = last ? dayjs(last.endsOn).add(1, 'day') : dayjs();
  const onFinish = async (v: Terms) => Boolean(contractor && await add.submit({ id: contractor.id, contract: terms(v) }));
  return (
    <FormDrawer title={`${t.wo.addContract} · ${contractor?.name ?? ''}`} open={Boolean(contractor)} onClose={onClose} form={form}
      onFinish={onFinish} busy={add.fetching} error={add.error}
      initialValues={{ term: [start, start.add(1, 'year').subtract(1, 'day')], rateKind: last?.rateKind ?? 'PER_JOB', rate: last?.rate.yuan ?? '' }}>
      <TermsFields />
    </FormDrawer>
  );
}

export function SignInForm({ contractor, onClose }: { contractor?: ContractorRow; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ identifier: string; displayName: string; initialPassword?: string }>();
  const add = useSubmit(signInDocument, form);
  const onFinish = async (v: { identifier: string; displayName: string; initialPassword?: string }) => Boolean(contractor && await add.submit({
    input: { identifier: v.identifier.trim(), displayName: v.displayName.trim(), initialPassword: v.initialPassword || null,
      role: 'CONTRACTOR', scopeKind: 'CONTRACTOR', scopeId: contractor.id },
  }));
  return (
    <FormDrawer title={`${t.wo.giveSignIn} · ${contractor?.name ?? ''}`} open={Boolean(contractor)} onClose={onClose} form={form}
      onFinish={onFinish} busy={add.fetching} error={add.error} initialValues={{ identifier: contractor?.phone ?? '', displayName: contractor?.name ?? '' }}>
      <Typography.Paragraph type="secondary">{t.wo.signInHint}</Typography.Paragraph>
      <Form.Item name="identifier" label={t.identifier} rules={[{ required: true, whitespace: true, message: t.required }]}><Input /></Form.Item>
      <Form.Item name="displayName" label={t.fields.displayName} rules={[{ required: true, whitespace: true, message: t.required }]}><Input maxLength={50} /></Form.Item>
      <Form.Item name="initialPassword" label={t.fields.initialPassword} extra={t.initialPasswordHint}><Input.Password autoComplete="new-password" /></Form.Item>
    </FormDrawer>
  );
}
