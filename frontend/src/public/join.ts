// The sign-up page a household's invite card opens (/join/?firm=…&code=…): the code and the
// firm come filled in; the resident chooses how to sign in next time.
import { session } from '../app/session';
import type { RedeemInviteMutation } from '../gql/graphql';
import { mount } from './form';
import { post } from './post';

const REDEEM = /* GraphQL */ `
  mutation RedeemInvite($input: RedeemInviteInput!) {
    redeemInviteCode(input: $input) { token }
  }
`;

const params = new URLSearchParams(location.search);

mount({
  title: (t) => t.joinTitle,
  fields: [
    { name: 'tenant', label: (t) => t.fields.tenant, value: params.get('firm') ?? '' },
    { name: 'code', label: (t) => t.fields.code, value: params.get('code') ?? '', autocomplete: 'one-time-code' },
    { name: 'displayName', label: (t) => t.fields.displayName, autocomplete: 'name' },
    { name: 'identifier', label: (t) => t.identifier, autocomplete: 'username' },
    { name: 'password', label: (t) => t.newPassword, type: 'password', autocomplete: 'new-password' },
  ],
  submit: (t) => t.join,
  footer: (t) => `<a href="/login/">${t.haveAccount}</a>`,
  async onSubmit(v) {
    const res = await post<RedeemInviteMutation>(REDEEM, { input: { ...v, tenant: v.tenant.trim() } });
    session.set(res.redeemInviteCode.token);
    location.replace('/');
  },
});
