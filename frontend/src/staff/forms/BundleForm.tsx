// Creating or editing a bundle (打包项目): its name and the street office that reviews it.
import { Form, Input } from 'antd';
import { graphql } from '../../gql';
import type { BundleInput } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const createBundle = graphql(`
  mutation CreateBundle($input: BundleInput!) { createBundle(input: $input) { id name streetOffice district } }
`);
const updateBundle = graphql(`
  mutation UpdateBundle($id: ID!, $input: BundleInput!) { updateBundle(id: $id, input: $input) { id name streetOffice district } }
`);

type Props = { open: boolean; onClose: () => void; bundle?: BundleInput & { id: string } };

export function BundleForm({ open, onClose, bundle }: Props) {
  const t = useT();
  const [form] = Form.useForm<BundleInput>();
  const create = useSubmit(createBundle, form);
  const update = useSubmit(updateBundle, form);
  const active = bundle ? update : create;
  const onFinish = async (input: BundleInput) =>
    Boolean(bundle ? await update.submit({ id: bundle.id, input }) : await create.submit({ input }));
  const required = [{ required: true, whitespace: true, message: t.required }];
  return (
    <FormDrawer title={bundle ? t.editBundle : t.newBundle} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={active.fetching} error={active.error}
      initialValues={bundle && { name: bundle.name, streetOffice: bundle.streetOffice, district: bundle.district }}>
      <Form.Item name="name" label={t.fields.name} rules={required}><Input maxLength={100} /></Form.Item>
      <Form.Item name="streetOffice" label={t.streetOffice} rules={required}><Input maxLength={100} /></Form.Item>
      <Form.Item name="district" label={t.district} rules={required}><Input maxLength={100} /></Form.Item>
    </FormDrawer>
  );
}
