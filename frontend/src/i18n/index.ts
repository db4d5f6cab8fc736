// The words of the page in the person's language; a component re-renders when it changes.
import { useMemo, useSyncExternalStore } from 'react';
import { lang, subscribe, words, type Words } from './lang';

export { setLang, type Dict, type Lang, type Words } from './lang';

export function useT(): Words {
  const l = useSyncExternalStore(subscribe, lang);
  return useMemo(() => words(l), [l]);
}
