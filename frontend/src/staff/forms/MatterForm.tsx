// A matter put to the owners (Civil Code Art. 278): its kind fixes the rule it is decided by,
// shown as the kind is chosen; the full text owners read; when voting closes; secret or not.
import { DatePicker, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import type { MatterKind } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const draftMatter = graphql(`
  mutation DraftMatter($input: MatterInput!) { draftMatter(input: $input) { id } }
`);

export const KINDS: MatterKind[] = ['COMMON_PARTS_USE', 'USE_MAINTENANCE_FUND', 'RAISE_MAINTENANCE_FUND', 'REBUILD', 'PROPERTY_FIRM',
  'COMMITTEE', 'MANAGEMENT_COVENANT', 'RULES_OF_PROCEDURE', 'OTHER'];
/** Items 6–8 of Art. 278 take three quarters; every other matter a majority. */
export const THREE_QUARTERS: MatterKind[] = ['RAISE_MAINTENANCE_FUND', 'REBUILD', 'COMMON_PARTS_USE'];

type Values = { kind: MatterKind; title: string; body: string; secret: boolean; closesAt: Dayjs; publicityDays: number };

export function MatterForm({ open, onClose, compoundId }: { open: boolean; onClose: () => void; compoundId: string }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const draft = useSubmit(draftMatter, form);
  const onFinish = async (v: Values) =>
    Boolean(await draft.submit({
      input: { compoundId, kind: v.kind, title: v.title.trim(), body: v.body.trim(), secret: v.secret,
        closesAt: v.closesAt.toISOString(), publicityDays: v.publicityDays },
    }));
  return (
    <FormDrawer title={t.gv.draft} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={draft.fetching} error={draft.error}
      initialValues={{ kind: 'COMMON_PARTS_USE', secret: false, publicityDays: 7, closesAt: dayjs().add(14, 'day').hour(18).minute(0).second(0) }}>
      <Form.Item name="kind" label={t.gv.kind} rules={[{ required: true, message: t.required }]}
        extra={kind && t.gv.rules[THREE_QUARTERS.includes(kind) ? 'THREE_QUARTERS' : 'MAJORITY']}>
        <Select options={KINDS.map((k) => ({ value: k, label: t.gv.kinds[k] }))} />
      </Form.Item>
      <Form.Item name="title" label={t.fields.title} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="body" label={t.fields.body} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input.TextArea maxLength={4000} rows={6} showCount />
      </Form.Item>
      <Form.Item name="closesAt" label={t.fields.closesAt} rules={[{ required: true, message: t.required }]}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }}
          disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs().add(180, 'day'))} />
      </Form.Item>
      <Form.Item name="publicityDays" label={t.fields.publicityDays} rules={[{ required: true, message: t.required }]}>
        <InputNumber min={1} max={90} precision={0} />
      </Form.Item>
      <Form.Item name="secret" label={t.gv.secret} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t.gv.secretHint}</Typography.Paragraph>
    </FormDrawer>
  );
}
