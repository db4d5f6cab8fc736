// Where the compound's public accounts board is published, and a new address for it (the old
// one then stops answering, so posters with its QR code must be reprinted).
import { Button, Card, Popconfirm, Space, Typography } from 'antd';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { QueryError } from '../../ui';
import { useAction } from '../../useSubmit';

const boardDocument = graphql(`
  query PublicBoardPath($id: ID!) { publicBoardPath(compoundId: $id) }
`);

const rotateBoard = graphql(`
  mutation RotatePublicBoard($id: ID!) { rotatePublicBoard(compoundId: $id) }
`);

export function PublicBoard({ compoundId }: { compoundId: string }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }, refetch] = useQuery({ query: boardDocument, variables: { id: compoundId } });
  const rotate = useAction(rotateBoard);
  const path = data?.publicBoardPath;
  const url = path ? `${location.origin}${path}` : null;
  const publish = async () => {
    if (await rotate.run({ id: compoundId })) refetch({ requestPolicy: 'network-only' });
  };
  return (
    <Card className="section" title={t.publicBoard}>
      <QueryError error={error} />
      <Typography.Paragraph type="secondary">{t.publicBoardHint}</Typography.Paragraph>
      {url ? (
        <Space wrap>
          <Typography.Link href={url} target="_blank" className="mono">{url}</Typography.Link>
          <Typography.Text copyable={{ text: url }} />
          <Button href={`${url}?poster`} target="_blank">{t.printPoster}</Button>
          {me.can.keepBooks && (
            <Popconfirm title={t.rotateBoardConfirm} onConfirm={publish}>
              <Button danger loading={rotate.fetching}>{t.rotateBoard}</Button>
            </Popconfirm>
          )}
        </Space>
      ) : me.can.keepBooks ? (
        <Button type="primary" onClick={publish} loading={rotate.fetching}>{t.publishBoard}</Button>
      ) : (
        <Typography.Text>{t.boardNotPublished}</Typography.Text>
      )}
    </Card>
  );
}
