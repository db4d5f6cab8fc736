// Server-side paging over the API's cursor connections: the cursor of each page seen is kept,
// so "previous" goes back without reloading from the start.
import { Button, Space } from 'antd';
import { useState } from 'react';
import { useT } from '../i18n';

export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  return {
    after: cursors[page],
    page,
    next: (endCursor: string | null | undefined) => endCursor && setCursors((c) => [...c, endCursor]),
    prev: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([null]),
  };
}

type Props = { pages: ReturnType<typeof useCursorPages>; hasNext: boolean; endCursor?: string | null };

export function CursorPager({ pages, hasNext, endCursor }: Props) {
  const t = useT();
  if (pages.page === 0 && !hasNext) return null;
  return (
    <Space className="pager">
      <Button disabled={pages.page === 0} onClick={pages.prev}>{t.prevPage}</Button>
      <span aria-live="polite">{t.fmt(t.pageN, pages.page + 1)}</span>
      <Button disabled={!hasNext} onClick={() => pages.next(endCursor)}>{t.nextPage}</Button>
    </Space>
  );
}
