// A quick-edit drawer around an Ant Design form: validation on the client first, then the
// server's own; its errors land under their fields (see useSubmit).
import { Button, Drawer, Form, Space, type FormInstance } from 'antd';
import { useEffect, useId, type ReactNode } from 'react';
import { useT } from '../i18n';
import { FormError } from './ui';

type Props<V> = {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  form: FormInstance<V>;
  /** Resolves true when saved: the drawer then closes. */
  onFinish: (values: V) => Promise<boolean>;
  busy: boolean;
  error?: string;
  initialValues?: Partial<V>;
  submitLabel?: string;
  children: ReactNode;
};

export function FormDrawer<V extends object>(p: Props<V>) {
  const t = useT();
  // Field ids are prefixed with the form's name: two forms on a page never share an id.
  const name = useId().replace(/:/g, '');
  useEffect(() => {
    if (p.open) {
      p.form.resetFields();
      if (p.initialValues) p.form.setFieldsValue(p.initialValues as never);
    }
    // Reset only when the drawer opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.open]);
  const finish = async (values: V) => {
    if (await p.onFinish(values)) p.onClose();
  };
  return (
    <Drawer
      title={p.title}
      open={p.open}
      onClose={p.onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={p.onClose}>{t.cancel}</Button>
          <Button type="primary" loading={p.busy} onClick={() => p.form.submit()}>{p.submitLabel ?? t.save}</Button>
        </Space>
      }
    >
      <FormError message={p.error} />
      <Form name={name} form={p.form} layout="vertical" onFinish={finish} initialValues={p.initialValues} scrollToFirstError>
        {p.children}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}
