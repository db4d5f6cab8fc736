// The sign-in page (/login/?next=…): after signing in, back to the page the person was on.
import { safeNext, session } from '../app/session';
import type { LoginMutation } from '../gql/graphql';
import { mount } from './form';
import { post } from './post';

const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) { token }
  }
`;

const next = safeNext(new URLSearchParams(location.search).get('next'));

mount({
  title: (t) => t.appName,
  fields: [
    { name: 'identifier', label: (t) => t.identifier, autocomplete: 'username' },
    { name: 'password', label: (t) => t.password, type: 'password', autocomplete: 'current-password' },
    { name: 'tenant', label: (t) => t.firm, required: false },
  ],
  submit: (t) => t.signIn,
  footer: (t) => `<a href="/join/">${t.joinWithCode}</a>`,
  async onSubmit(v) {
    const input = { identifier: v.identifier, password: v.password, tenant: v.tenant.trim() || null };
    const res = await post<LoginMutation>(LOGIN, { input });
    session.set(res.login.token);
    location.replace(next);
  },
});
