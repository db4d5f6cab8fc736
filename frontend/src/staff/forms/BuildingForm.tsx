// Adding a building (楼栋) to a compound.
import { Form, Input } from 'antd';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const createBuilding = graphql(`
  mutation CreateBuilding($input: BuildingInput!) { createBuilding(input: $input) { id label compoundId } }
`);

export function BuildingForm({ open, onClose, compoundId }: { open: boolean; onClose: () => void; compoundId: string }) {
  const t = useT();
  const [form] = Form.useForm<{ label: string }>();
  const create = useSubmit(createBuilding, form);
  const onFinish = async ({ label }: { label: string }) => Boolean(await create.submit({ input: { compoundId, label } }));
  return (
    <FormDrawer title={t.newBuilding} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={create.fetching} error={create.error}>
      <Form.Item name="label" label={t.fields.label} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={50} placeholder={t.buildingExample} />
      </Form.Item>
    </FormDrawer>
  );
}
