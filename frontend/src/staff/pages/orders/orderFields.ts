// What every console view of a work order reads, and how its tags look.
import type { WorkOrderPriority, WorkOrderState } from '../../../gql/graphql';

/** Colours readable on their tags (WCAG AA). */
export const PRIORITY_COLOUR: Record<WorkOrderPriority, string> = { EMERGENCY: 'red', URGENT: 'magenta', NORMAL: 'default' };

/** The board's columns: the open states, in the order work moves through them. */
export const COLUMNS: WorkOrderState[][] = [['REPORTED'], ['FILED'], ['DISPATCHED'], ['ACCEPTED', 'IN_PROGRESS'], ['COMPLETED'], ['VERIFIED']];

export const OPEN: WorkOrderState[] = COLUMNS.flat();
