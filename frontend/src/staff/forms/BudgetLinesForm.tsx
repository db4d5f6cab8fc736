// A new version of a budget's lines: one amount per category (income and expense), starting
// from the latest version's, with what this version changes and why.
import { Button, Form, Input, Select, Space } from 'antd';
import { graphql } from '../../gql';
import type { BudgetLineCategory } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const reviseDocument = graphql(`
  mutation ReviseBudget($input: ReviseBudgetInput!) { reviseBudget(input: $input) { number } }
`);

export const CATEGORIES: BudgetLineCategory[] = ['FEES', 'OWNERS_SHARE', 'SUBSIDY', 'GUARDS', 'CLEANING', 'REPAIRS', 'COMMON_UTILITIES', 'CONTINGENCY'];
const AMOUNT = /^\d{1,13}(\.\d{1,2})?$/;

type Line = { category: BudgetLineCategory; amount: string };
type Values = { lines: Line[]; note?: string };
type Props = {
  open: boolean;
  onClose: () => void;
  budgetId: string;
  latest?: { lines: { category: BudgetLineCategory; amount: { yuan: string } }[] };
};

export function BudgetLinesForm({ open, onClose, budgetId, latest }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const revise = useSubmit(reviseDocument, form);
  const lines = Form.useWatch('lines', form) ?? [];
  const start: Line[] = latest?.lines.map((l) => ({ category: l.category, amount: l.amount.yuan }))
    ?? [{ category: 'FEES', amount: '' }, { category: 'GUARDS', amount: '' }, { category: 'CLEANING', amount: '' }];
  const onFinish = async (v: Values) =>
    Boolean(await revise.submit({ input: { budgetId, lines: v.lines, note: v.note?.trim() || null } }));
  return (
    <FormDrawer title={t.bd.revise} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={revise.fetching} error={revise.error} initialValues={{ lines: start }}>
      <Form.List name="lines">
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap>
                <Form.Item name={[f.name, 'category']} rules={[{ required: true, message: t.required }]}>
                  <Select style={{ width: 200 }} aria-label={t.bd.category}
                    options={CATEGORIES.map((c) => ({ value: c, label: t.bd.categories[c],
                      disabled: lines.some((l, i) => i !== f.name && l?.category === c) }))} />
                </Form.Item>
                <Form.Item name={[f.name, 'amount']} rules={[{ required: true, pattern: AMOUNT, message: t.bd.amountHint }]}>
                  <Input inputMode="decimal" style={{ width: 150 }} aria-label={t.bd.amount} placeholder="0.00" />
                </Form.Item>
                {fields.length > 1 && <Button type="link" danger onClick={() => remove(f.name)}>{t.remove}</Button>}
              </Space>
            ))}
            <Form.ErrorList errors={errors} />
            {fields.length < CATEGORIES.length && (
              <Button onClick={() => add({ category: CATEGORIES.find((c) => !lines.some((l) => l?.category === c)), amount: '' })}>{t.addLine}</Button>
            )}
          </>
        )}
      </Form.List>
      <Form.Item name="note" label={t.bd.versionNote}>
        <Input.TextArea maxLength={500} autoSize />
      </Form.Item>
    </FormDrawer>
  );
}
