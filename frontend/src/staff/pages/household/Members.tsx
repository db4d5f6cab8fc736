// A household's people: owners, co-owners (one of them the designated voter), tenants and
// family; a form adds a person to the household.
import { Button, Checkbox, Form, Input, List, Select, Tag } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { MemberRole } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { FormDrawer } from '../../FormDrawer';
import { QueryError } from '../../ui';
import { useSubmit } from '../../useSubmit';

const membersDocument = graphql(`
  query HouseholdMembers($id: ID!) {
    household(id: $id) { id members { id role designatedVoter person { id name phoneMasked } } }
  }
`);
const addMember = graphql(`
  mutation AddHouseholdMember($input: HouseholdMemberInput!) { addHouseholdMember(input: $input) { id } }
`);

export function Members({ householdId }: { householdId: string }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }] = useQuery({ query: membersDocument, variables: { id: householdId } });
  const [adding, setAdding] = useState(false);
  return (
    <>
      <QueryError error={error} />
      <List
        dataSource={data?.household.members ?? []}
        locale={{ emptyText: t.empty }}
        renderItem={(m) => (
          <List.Item extra={m.person.phoneMasked}>
            {m.person.name} <Tag>{t.memberRoles[m.role]}</Tag>{m.designatedVoter && <Tag>{t.designatedVoter}</Tag>}
          </List.Item>
        )}
      />
      {me.can.administer && <Button type="primary" onClick={() => setAdding(true)}>{t.addMember}</Button>}
      <AddMemberForm open={adding} onClose={() => setAdding(false)} householdId={householdId} />
    </>
  );
}

type Values = { name: string; phone?: string; idNumber?: string; role: MemberRole; designatedVoter: boolean };

function AddMemberForm({ open, onClose, householdId }: { open: boolean; onClose: () => void; householdId: string }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const member = useSubmit(addMember, form);
  // The person is recorded and added in one step: never a person left without a household.
  const onFinish = async (v: Values) => {
    const newPerson = { name: v.name.trim(), phone: v.phone?.trim() || null, idNumber: v.idNumber?.trim() || null };
    const input = { householdId, newPerson, role: v.role, designatedVoter: v.designatedVoter };
    return Boolean(await member.submit({ input }));
  };
  return (
    <FormDrawer title={t.addMember} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={member.fetching} error={member.error} initialValues={{ role: 'OWNER', designatedVoter: false }}>
      <Form.Item name="name" label={t.fields.displayName} rules={[{ required: true, whitespace: true, message: t.required }]}><Input maxLength={50} /></Form.Item>
      <Form.Item name="phone" label={t.fields.phone} rules={[{ pattern: /^1\d{10}$/, message: t.fieldHints.phone }]}><Input inputMode="tel" /></Form.Item>
      <Form.Item name="idNumber" label={t.fields.idNumber} extra={t.idNumberHint}><Input maxLength={18} /></Form.Item>
      <Form.Item name="role" label={t.fields.role} rules={[{ required: true, message: t.required }]}>
        <Select options={Object.entries(t.memberRoles).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="designatedVoter" valuePropName="checked"><Checkbox>{t.designatedVoter}</Checkbox></Form.Item>
    </FormDrawer>
  );
}
