// A form's mutation: runs it, and puts a bad-input error under the field it names
// (`extensions.field`); an error about no field of the form is returned to show above the
// buttons. Every message is in the person's language (see app/errors).
import { App, type FormInstance } from 'antd';
import { useState } from 'react';
import { useMutation, type AnyVariables, type TypedDocumentNode } from 'urql';
import { describe, fieldProblem, fromCombined, type ApiError } from '../app/errors';
import { postFile } from '../app/files';
import { useT } from '../i18n';

export function useSubmit<R, V extends AnyVariables>(doc: TypedDocumentNode<R, V>, form?: FormInstance) {
  const t = useT();
  const [{ fetching }, execute] = useMutation<R, V>(doc);
  const [error, setError] = useState<string>();

  const submit = async (variables: V): Promise<R | undefined> => {
    setError(undefined);
    const res = await execute(variables);
    if (!res.error) return res.data;
    const e: ApiError = fromCombined(res.error);
    const name = e.field?.split('.').pop();
    if (form && name && name in form.getFieldsValue(true)) {
      form.setFields([{ name, errors: [fieldProblem(e, t)] }]);
    } else {
      setError(describe(e, t));
    }
    return undefined;
  };
  return { submit, fetching, error, clearError: () => setError(undefined) };
}

/** A one-click action (archive, revoke, approve): its outcome is announced in a message. */
export function useAction<R, V extends AnyVariables>(doc: TypedDocumentNode<R, V>) {
  const t = useT();
  const { message } = App.useApp();
  const [{ fetching }, execute] = useMutation<R, V>(doc);
  const run = async (variables: V): Promise<R | undefined> => {
    const res = await execute(variables);
    if (res.error) {
      void message.error(describe(fromCombined(res.error), t));
      return undefined;
    }
    void message.success(t.done);
    return res.data;
  };
  return { run, fetching };
}

/** Posts a file to a route beside GraphQL (an import); its refusal in the person's words. */
export function usePostFile<R>() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const post = async (url: string, file: Blob): Promise<R | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await postFile<R>(url, file);
    } catch (e) {
      setError(describe(e as ApiError, t));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { post, busy, error };
}
