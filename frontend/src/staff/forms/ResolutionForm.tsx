// The owners' resolution that allowed business use of the compound's common parts (ads, paid
// parking; Civil Code Art. 278 (8), 3/4 of area and of owners): the passed matter, with the
// document that records it.
import { DatePicker, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { MatterSelect } from './MatterSelect';

const recordResolution = graphql(`
  mutation RecordBusinessUseResolution($input: BusinessUseResolutionInput!) { recordBusinessUseResolution(input: $input) { id } }
`);

type Values = { matterId: string; documentNo: string; decidedOn: Dayjs; note?: string };

export function ResolutionForm({ open, onClose, compoundId }: { open: boolean; onClose: () => void; compoundId: string }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const record = useSubmit(recordResolution, form);
  const onFinish = async (v: Values) =>
    Boolean(await record.submit({
      input: { compoundId, matterId: v.matterId, documentNo: v.documentNo.trim(), decidedOn: v.decidedOn.format('YYYY-MM-DD'), note: v.note?.trim() || null },
    }));
  return (
    <FormDrawer title={t.recordResolution} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={record.fetching} error={record.error}>
      <Form.Item name="matterId" label={t.fields.matterId} extra={t.gv.businessMatterHint} rules={[{ required: true, message: t.required }]}>
        <MatterSelect compoundId={compoundId} kinds={['COMMON_PARTS_USE']} />
      </Form.Item>
      <Form.Item name="documentNo" label={t.fields.documentNo} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={100} placeholder={t.documentNoHint} />
      </Form.Item>
      <Form.Item name="decidedOn" label={t.fields.decidedOn} rules={[{ required: true, message: t.required }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="note" label={t.fields.note}><Input.TextArea maxLength={500} rows={2} /></Form.Item>
    </FormDrawer>
  );
}
