// The committee fund's statement for this year: opening balance, owners' shares received,
// payouts, waivers it paid for, other adjustments, and the balance — all from the ledger.
import { Card, Descriptions } from 'antd';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { QueryError, Yuan } from '../../ui';

const statementDocument = graphql(`
  query CommitteeFundStatement($id: ID!, $from: NaiveDate!, $to: NaiveDate!) {
    committeeFundStatement(compoundId: $id, from: $from, to: $to) {
      opening { fen } shares { fen } payouts { fen } waivers { fen } other { fen } closing { fen }
    }
  }
`);

export function FundStatement({ compoundId }: { compoundId: string }) {
  const t = useT();
  const today = new Date().toISOString().slice(0, 10);
  const from = `${today.slice(0, 4)}-01-01`;
  const [{ data, error }] = useQuery({ query: statementDocument, variables: { id: compoundId, from, to: today } });
  const s = data?.committeeFundStatement;
  return (
    <Card className="section" title={t.fmt(t.fundStatementOf, today.slice(0, 4))}>
      <QueryError error={error} />
      {s && (
        <Descriptions size="small" column={1} bordered className="fund-statement"
          items={[
            { key: 'opening', label: t.fundOpening, children: <Yuan fen={s.opening.fen} /> },
            { key: 'shares', label: t.board.sharesReceived, children: <Yuan fen={s.shares.fen} /> },
            { key: 'payouts', label: t.board.payouts, children: <Yuan fen={s.payouts.fen} /> },
            { key: 'waivers', label: t.board.waiversFunded, children: <Yuan fen={s.waivers.fen} /> },
            { key: 'other', label: t.board.otherMoves, children: <Yuan fen={s.other.fen} /> },
            { key: 'closing', label: t.board.balance, children: <Yuan fen={s.closing.fen} /> },
          ]} />
      )}
    </Card>
  );
}
