// A work order's moves and its detail as typed operations, shared by the console and the phone
// pages (residents, contractors).
import { useSubscription } from 'urql';
import { graphql } from '../gql';
import type { WorkOrderChangedSubscription } from '../gql/graphql';

/** A time as people read it on an order: 12-10 14:05. */
export const when = (iso?: string | null) =>
  (iso ? new Date(iso).toLocaleString(undefined, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '—');

const changedDocument = graphql(`
  subscription WorkOrderChanged($compoundId: ID) { workOrderChanged(compoundId: $compoundId) { id orderId number action state } }
`);

export type WorkOrderChange = WorkOrderChangedSubscription['workOrderChanged'];

/**
 * Keeps every page's work orders live: each change the person may see (anyone's move, on any
 * server) marks what the page shows stale, and the cache re-reads it (see invalidations); and
 * `heard`, if given, hears each change. Held once by the app's frame: one subscription for the
 * whole visit, whatever page is open.
 */
export function useWorkOrderChanges(heard?: (change: WorkOrderChange) => void) {
  useSubscription({ query: changedDocument, variables: { compoundId: null } }, (_, data: WorkOrderChangedSubscription) => {
    heard?.(data.workOrderChanged);
    return data;
  });
}

export const fileDocument = graphql(`
  mutation FileWorkOrder($id: ID!, $input: FileWorkOrderInput!) { fileWorkOrder(id: $id, input: $input) { id state } }
`);
export const rejectDocument = graphql(`
  mutation RejectWorkOrder($id: ID!, $reason: WorkOrderRejection!, $note: String) { rejectWorkOrder(id: $id, reason: $reason, note: $note) { id state } }
`);
export const dispatchDocument = graphql(`
  mutation DispatchWorkOrder($id: ID!, $contractorId: ID) { dispatchWorkOrder(id: $id, contractorId: $contractorId) { id state contractor { name } } }
`);
export const acceptDocument = graphql(`
  mutation AcceptWorkOrder($id: ID!, $note: String) { acceptWorkOrder(id: $id, note: $note) { id state } }
`);
export const declineDocument = graphql(`
  mutation DeclineWorkOrder($id: ID!, $note: String!) { declineWorkOrder(id: $id, note: $note) { id state } }
`);
export const startDocument = graphql(`
  mutation StartWorkOrder($id: ID!, $note: String) { startWorkOrder(id: $id, note: $note) { id state } }
`);
export const completeDocument = graphql(`
  mutation CompleteWorkOrder($id: ID!, $cost: String!, $note: String) { completeWorkOrder(id: $id, cost: $cost, note: $note) { id state } }
`);
export const verifyDocument = graphql(`
  mutation VerifyWorkOrder($id: ID!, $note: String) { verifyWorkOrder(id: $id, note: $note) { id state } }
`);
export const sendBackDocument = graphql(`
  mutation SendBackWorkOrder($id: ID!, $note: String!) { sendBackWorkOrder(id: $id, note: $note) { id state } }
`);
export const closeDocument = graphql(`
  mutation CloseWorkOrder($id: ID!, $note: String) { closeWorkOrder(id: $id, note: $note) { id state } }
`);
export const reopenDocument = graphql(`
  mutation ReopenWorkOrder($id: ID!, $note: String!) { reopenWorkOrder(id: $id, note: $note) { id state } }
`);
export const cancelDocument = graphql(`
  mutation CancelWorkOrder($id: ID!, $note: String!) { cancelWorkOrder(id: $id, note: $note) { id state } }
`);
export const confirmChargeDocument = graphql(`
  mutation ConfirmWorkOrderCharge($id: ID!) { confirmWorkOrderCharge(id: $id) { id state } }
`);
export const rateDocument = graphql(`
  mutation RateWorkOrder($id: ID!, $stars: Int!, $comment: String) { rateWorkOrder(id: $id, stars: $stars, comment: $comment) { id rating } }
`);

export const detailDocument = graphql(`
  query WorkOrderDetail($id: ID!) {
    workOrder(id: $id) {
      myParts
      order {
        id number compoundName location locationKind trade priority description state rejectedAs reportedAt resolveBy overdue
        bearer estimate { fen yuan } awaitsConfirmation chargeConfirmedAt contractor { id name phone } dispatchedAt respondBy
        completedAt cost { fen } rating ratingComment reopened closedAt
      }
      timeline { seq action to at actor contractor { name } note }
      photos { id stage addedAt contentType path thumbnailPath }
    }
  }
`);
