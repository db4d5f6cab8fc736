// Moves a budget one step on, asking what that step needs — the opinions summed up, the
// street office that reviewed it, the owners' vote and five supervisors — or sends it back to
// drafting with the reason.
import { Form, Input, Space, Typography } from 'antd';
import { graphql } from '../../gql';
import type { BudgetStep } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { MatterSelect } from './MatterSelect';

const advanceDocument = graphql(`
  mutation AdvanceBudget($input: AdvanceBudgetInput!) { advanceBudget(input: $input) { id step stepNumber } }
`);
const backDocument = graphql(`
  mutation SendBudgetBack($budgetId: ID!, $reason: String!) { sendBudgetBack(budgetId: $budgetId, reason: $reason) { id step stepNumber } }
`);

export const STEPS: BudgetStep[] = ['OPINIONS', 'DRAFTING', 'DISCUSSION', 'REVIEW', 'VOTE', 'IMPLEMENTATION', 'FINAL_ACCOUNTS'];
const FIVE = [0, 1, 2, 3, 4];

type Values = { note?: string; reviewer?: string; matterId?: string; supervisors?: string[]; reason?: string };
type Props = {
  open: boolean;
  back: boolean;
  onClose: () => void;
  budget: { id: string; year: number; stepNumber: number };
  compoundId: string;
};

/** Five names, one input each, as one field (so that the server's error lands under it). */
function FiveNames({ value = [], onChange, id }: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const t = useT();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {FIVE.map((i) => (
        <Input key={i} id={i === 0 ? id : undefined} maxLength={100} value={value[i] ?? ''} aria-label={t.fmt(t.bd.supervisor, i + 1)}
          placeholder={t.fmt(t.bd.supervisor, i + 1)} onChange={(e) => onChange?.(FIVE.map((j) => (j === i ? e.target.value : value[j] ?? '')))} />
      ))}
    </Space>
  );
}

export function BudgetStepForm({ open, back, onClose, budget, compoundId }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const advance = useSubmit(advanceDocument, form);
  const sendBack = useSubmit(backDocument, form);
  const to = STEPS[budget.stepNumber];
  const onFinish = async (v: Values) => {
    if (back) return Boolean(await sendBack.submit({ budgetId: budget.id, reason: v.reason?.trim() ?? '' }));
    const supervisors = (v.supervisors ?? []).map((s) => s?.trim() ?? '');
    return Boolean(await advance.submit({
      input: { budgetId: budget.id, to, note: v.note?.trim() || null, reviewer: v.reviewer?.trim() || null,
        matterId: v.matterId ?? null, supervisors: to === 'IMPLEMENTATION' ? supervisors : [] },
    }));
  };
  const busy = advance.fetching || sendBack.fetching;
  const title = back ? t.bd.back : to && t.fmt(t.bd.advance, t.bd.steps[to]);
  return (
    <FormDrawer title={title} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={busy} error={back ? sendBack.error : advance.error} initialValues={{ supervisors: FIVE.map(() => '') }}>
      {back ? (
        <Form.Item name="reason" label={t.bd.reason} rules={[{ required: true, whitespace: true, message: t.required }]}>
          <Input.TextArea maxLength={500} autoSize />
        </Form.Item>
      ) : (
        <>
          {to === 'FINAL_ACCOUNTS' && <Typography.Paragraph type="secondary">{t.bd.waitYearEnd}</Typography.Paragraph>}
          {to === 'REVIEW' && <Typography.Paragraph type="secondary">{t.bd.linesClosedHint}</Typography.Paragraph>}
          {to === 'VOTE' && (
            <Form.Item name="reviewer" label={t.bd.reviewer} rules={[{ required: true, whitespace: true, message: t.required }]}>
              <Input maxLength={100} />
            </Form.Item>
          )}
          {to === 'IMPLEMENTATION' && (
            <>
              <Form.Item name="matterId" label={t.bd.vote} extra={t.bd.matterHint} rules={[{ required: true, message: t.required }]}>
                <MatterSelect compoundId={compoundId} kinds={['OTHER']} />
              </Form.Item>
              <Form.Item name="supervisors" label={t.bd.supervisors}
                rules={[{ validator: (_, v?: string[]) => (v?.every((n) => n?.trim()) ? Promise.resolve() : Promise.reject(new Error(t.required))) }]}>
                <FiveNames />
              </Form.Item>
            </>
          )}
          {to && (
            <Form.Item name="note" label={t.bd.notes[to]}
              rules={to === 'DRAFTING' ? [{ required: true, whitespace: true, message: t.required }] : []}>
              <Input.TextArea maxLength={500} autoSize />
            </Form.Item>
          )}
        </>
      )}
    </FormDrawer>
  );
}
