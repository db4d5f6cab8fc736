// Who is signed in, what they may do, and which of the two apps they get.
import { createContext, useContext } from 'react';
import { graphql } from '../gql';
import type { MeQuery } from '../gql/graphql';

export const meDocument = graphql(`
  query Me {
    me {
      userId displayName
      tenant { id name slug maxPayment { fen } office { address hours phone bank } }
      memberships { role scopeKind scopeId }
      can { administer keepBooks handleWaivers issueInvites readPeople dispatch manageContractors }
    }
  }
`);

export type Me = MeQuery['me'];

const STAFF = ['firm_admin', 'accountant', 'dispatcher', 'grid_worker'];

export const roles = (me: Me) => [...new Set(me.memberships.map((m) => m.role))];
export const isStaff = (me: Me) => roles(me).some((r) => STAFF.includes(r));
export const isCommittee = (me: Me) => roles(me).includes('committee_member');
/** A member of this compound's owners' committee: reads its fund and income. */
export const onCommitteeOf = (me: Me, compoundId: string) =>
  me.memberships.some((m) => m.role === 'committee_member' && m.scopeId === compoundId);
export const isResident = (me: Me) => roles(me).includes('resident');
export const isContractor = (me: Me) => roles(me).includes('contractor');

/** Staff and committee members work in the console; residents get the phone app. */
export const usesConsole = (me: Me) => isStaff(me) || isCommittee(me);

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in app');
  return me;
}
