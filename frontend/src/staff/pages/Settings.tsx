// The firm's settings: the largest single payment staff may record, and how residents pay at
// the office.
import { App, Button, Card, Form, Input } from 'antd';
import { useMe } from '../../app/me';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { yuan } from '../../money';
import { YUAN } from '../forms/FeeScheduleForm';
import { FormError, PageTitle } from '../ui';
import { useSubmit } from '../useSubmit';

const setOfficeInfo = graphql(`
  mutation SetOfficeInfo($input: OfficeInput!) { setOfficeInfo(input: $input) { id office { address hours phone bank } } }
`);

const setMaxPayment = graphql(`
  mutation SetMaxPayment($amount: String!) { setMaxPayment(amount: $amount) { id maxPayment { fen } } }
`);

type Office = { address?: string | null; hours?: string | null; phone?: string | null; bank?: string | null };

/** How residents pay at the office, shown on their bills when online payment is off. */
function OfficeInfo() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<Office>();
  const set = useSubmit(setOfficeInfo, form);
  const onFinish = async (input: Office) => {
    if (await set.submit({ input })) void message.success(t.done);
  };
  return (
    <Card title={t.payAtOffice} className="section">
      <p className="muted">{t.officeHint}</p>
      <FormError message={set.error} />
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={me.tenant.office} style={{ maxWidth: 480 }}>
        {(['address', 'hours', 'phone', 'bank'] as const).map((k) => (
          <Form.Item key={k} name={k} label={t.office[k]}><Input.TextArea autoSize maxLength={500} /></Form.Item>
        ))}
        <Button type="primary" htmlType="submit" loading={set.fetching}>{t.save}</Button>
      </Form>
    </Card>
  );
}

export default function SettingsPage() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ amount: string }>();
  const set = useSubmit(setMaxPayment, form);
  const onFinish = async ({ amount }: { amount: string }) => {
    if (await set.submit({ amount: amount.trim() })) void message.success(t.done);
  };
  return (
    <>
      <PageTitle title={t.settings} />
      <Card title={t.maxPayment} className="section">
        <p className="muted">{t.maxPaymentHint} {t.current}{t.colon}{yuan(me.tenant.maxPayment.fen)}</p>
        <FormError message={set.error} />
        <Form form={form} layout="inline" onFinish={onFinish}>
          <Form.Item name="amount" label={t.amountYuan} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
            <Input inputMode="decimal" style={{ width: 160 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={set.fetching}>{t.save}</Button>
        </Form>
      </Card>
      <OfficeInfo />
    </>
  );
}
