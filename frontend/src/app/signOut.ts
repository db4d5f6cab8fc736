// Signing out: the server revokes the session; this device forgets it either way.
import { client } from './client';
import { endSession } from './session';
import { graphql } from '../gql';

const logoutDocument = graphql(`
  mutation Logout { logout }
`);

export async function signOut() {
  await client.mutation(logoutDocument, {}).toPromise().catch(() => undefined);
  endSession();
}
