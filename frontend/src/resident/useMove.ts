// One move of a work order from a phone page: runs it and keeps its refusal in words.
import { useState } from 'react';
import { useMutation, type AnyVariables, type TypedDocumentNode } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { useT } from '../i18n';

export function useMove<R, V extends AnyVariables>(doc: TypedDocumentNode<R, V>) {
  const t = useT();
  const [{ fetching }, execute] = useMutation<R, V>(doc);
  const [error, setError] = useState<string>();
  const run = async (variables: V): Promise<boolean> => {
    setError(undefined);
    const res = await execute(variables);
    if (res.error) setError(describe(fromCombined(res.error), t));
    return !res.error;
  };
  return { run, fetching, error };
}
