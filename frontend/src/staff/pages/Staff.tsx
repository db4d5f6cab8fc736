// The firm's staff and committee members, with their roles and scopes: add one (a new account
// or an existing person), or take a role away.
import { Button, Form, Input, Popconfirm, Select, Tag } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { MemberInput, RoleKind, ScopeKind } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { DataTable, PageTitle, QueryError } from '../ui';
import { useAction, useSubmit } from '../useSubmit';

const membersDocument = graphql(`
  query Members { members { id displayName identifier role scopeKind scopeId revoked } }
`);
const scopesDocument = graphql(`
  query MemberScopes {
    bundles(first: 100) { edges { node { id name } } }
    compounds(first: 100) { edges { node { id name } } }
  }
`);
const addMember = graphql(`
  mutation AddMember($input: MemberInput!) { addMember(input: $input) { id } }
`);
const revokeMember = graphql(`
  mutation RevokeMember($id: ID!) { revokeMember(id: $id) }
`);

/** Which scopes each role may have (the API checks the same). */
const SCOPES: Partial<Record<RoleKind, ScopeKind[]>> = {
  FIRM_ADMIN: ['TENANT'],
  ACCOUNTANT: ['TENANT', 'BUNDLE', 'COMPOUND'],
  DISPATCHER: ['TENANT', 'BUNDLE', 'COMPOUND'],
  GRID_WORKER: ['TENANT', 'BUNDLE', 'COMPOUND'],
  COMMITTEE_MEMBER: ['COMPOUND'],
};

export default function StaffPage() {
  const t = useT();
  const [{ data, error }] = useQuery({ query: membersDocument });
  const [{ data: scopes }] = useQuery({ query: scopesDocument });
  const revoke = useAction(revokeMember);
  const [adding, setAdding] = useState(false);
  const names = new Map([...(scopes?.bundles.edges ?? []), ...(scopes?.compounds.edges ?? [])].map((e) => [e.node.id, e.node.name]));
  return (
    <>
      <PageTitle title={t.staffMembers} extra={<Button type="primary" onClick={() => setAdding(true)}>{t.addStaff}</Button>} />
      <QueryError error={error} />
      <DataTable rowKey="id" className="members" pagination={false} dataSource={(data?.members ?? []).filter((m) => !m.revoked)}
        columns={[
          { title: t.fields.displayName, dataIndex: 'displayName' },
          { title: t.fields.identifier, dataIndex: 'identifier' },
          { title: t.fields.role, render: (_, m) => <Tag>{t.roles[m.role as keyof typeof t.roles] ?? m.role}</Tag> },
          { title: t.fields.scope, render: (_, m) => (m.scopeId ? names.get(m.scopeId) ?? t.scopeKinds[m.scopeKind.toUpperCase() as ScopeKind] : t.wholeFirm) },
          { title: '', render: (_, m) => (
            <Popconfirm title={t.revokeConfirm} onConfirm={() => revoke.run({ id: m.id })}><Button type="link" danger>{t.revoke}</Button></Popconfirm>
          ) },
        ]} />
      <AddMemberForm open={adding} onClose={() => setAdding(false)} scopes={scopes} />
    </>
  );
}

type Values = Omit<MemberInput, 'scopeId'> & { scopeId?: string };

function AddMemberForm({ open, onClose, scopes }: { open: boolean; onClose: () => void; scopes?: { bundles: { edges: { node: { id: string; name: string } }[] }; compounds: { edges: { node: { id: string; name: string } }[] } } }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const add = useSubmit(addMember, form);
  const role = Form.useWatch('role', form);
  const scopeKind = Form.useWatch('scopeKind', form);
  const onFinish = async (v: Values) =>
    Boolean(await add.submit({ input: { ...v, identifier: v.identifier.trim(), initialPassword: v.initialPassword || null, scopeId: v.scopeKind === 'TENANT' ? null : v.scopeId } }));
  const choices = scopeKind === 'BUNDLE' ? scopes?.bundles.edges : scopes?.compounds.edges;
  return (
    <FormDrawer title={t.addStaff} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={add.fetching} error={add.error}
      initialValues={{ role: 'ACCOUNTANT', scopeKind: 'TENANT' }}>
      <Form.Item name="identifier" label={t.identifier} rules={[{ required: true, whitespace: true, message: t.required }]}><Input /></Form.Item>
      <Form.Item name="displayName" label={t.fields.displayName} rules={[{ required: true, whitespace: true, message: t.required }]}><Input maxLength={50} /></Form.Item>
      <Form.Item name="initialPassword" label={t.fields.initialPassword} extra={t.initialPasswordHint}><Input.Password autoComplete="new-password" /></Form.Item>
      <Form.Item name="role" label={t.fields.role} rules={[{ required: true, message: t.required }]}>
        <Select onChange={(r: RoleKind) => form.setFieldValue('scopeKind', SCOPES[r]?.[0])}
          options={Object.keys(SCOPES).map((r) => ({ value: r, label: t.roles[r.toLowerCase() as keyof typeof t.roles] }))} />
      </Form.Item>
      <Form.Item name="scopeKind" label={t.fields.scope} rules={[{ required: true, message: t.required }]}>
        <Select options={(SCOPES[role as RoleKind] ?? ['TENANT']).map((s) => ({ value: s, label: t.scopeKinds[s] }))} />
      </Form.Item>
      {scopeKind && scopeKind !== 'TENANT' && (
        <Form.Item name="scopeId" label={t.scopeKinds[scopeKind as ScopeKind]} rules={[{ required: true, message: t.required }]}>
          <Select showSearch optionFilterProp="label" options={(choices ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
        </Form.Item>
      )}
    </FormDrawer>
  );
}
