// A small form for the public pages, drawn without a framework: labelled fields, one error
// line under the field it concerns (or above the button), and a language switch.
import { describe, fieldProblem, type ApiError, type Choice } from '../app/errors';
import { setLang, words, type Words } from '../i18n/lang';
import './public.css';

export type FieldSpec = { name: string; label: (t: Words) => string; type?: string; autocomplete?: string; required?: boolean; value?: string };

export type PublicForm = {
  title: (t: Words) => string;
  fields: FieldSpec[];
  submit: (t: Words) => string;
  footer?: (t: Words) => string;
  onSubmit: (values: Record<string, string>) => Promise<void>;
};

const root = () => document.getElementById('public') as HTMLElement;

export function mount(spec: PublicForm) {
  const values: Record<string, string> = Object.fromEntries(spec.fields.map((f) => [f.name, f.value ?? '']));
  const draw = (error?: ApiError, busy = false) => {
    const t = words();
    const el = root();
    el.replaceChildren();
    const lang = button(t.language, 'link lang', () => {
      setLang(t.lang === 'zh' ? 'en' : 'zh');
      draw(error, busy);
    });
    const h1 = document.createElement('h1');
    h1.textContent = spec.title(t);
    const form = document.createElement('form');
    form.noValidate = false;
    for (const f of spec.fields) {
      const mine = error?.field === f.name ? error : undefined;
      form.append(field(f, t, values, mine && fieldProblem(mine, t), mine?.choices));
    }
    if (error && !spec.fields.some((f) => f.name === error.field)) form.append(alert(describe(error, t)));
    const submit = button(busy ? '…' : spec.submit(t), 'primary', undefined);
    submit.type = 'submit';
    submit.disabled = busy;
    form.append(submit);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      draw(undefined, true);
      spec.onSubmit(values).catch((err: ApiError) => draw(err));
    });
    el.append(lang, h1, form);
    if (spec.footer) {
      const p = document.createElement('p');
      p.innerHTML = spec.footer(t);
      el.append(p);
    }
  };
  draw();
}

/** A field: a text input, or — when the server offered choices for it — a list of them. */
function field(f: FieldSpec, t: Words, values: Record<string, string>, problem?: string, choices?: Choice[]): HTMLElement {
  const label = document.createElement('label');
  label.textContent = f.label(t);
  const input = choices?.length ? select(choices, values, f.name) : document.createElement('input');
  input.name = f.name;
  if (input instanceof HTMLInputElement) {
    input.type = f.type ?? 'text';
    input.value = values[f.name];
    input.required = f.required ?? true;
    if (f.autocomplete) input.autocomplete = f.autocomplete as AutoFill;
  }
  input.addEventListener('input', () => { values[f.name] = input.value; });
  label.append(input);
  if (problem) {
    input.setAttribute('aria-invalid', 'true');
    label.append(alert(problem));
  }
  return label;
}

function select(choices: Choice[], values: Record<string, string>, name: string): HTMLSelectElement {
  const s = document.createElement('select');
  for (const c of choices) s.append(new Option(`${c.label}（${c.value}）`, c.value));
  if (!choices.some((c) => c.value === values[name])) values[name] = choices[0].value;
  s.value = values[name];
  return s;
}

function alert(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'error';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  return p;
}

function button(text: string, className: string, onClick?: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  if (onClick) b.addEventListener('click', onClick);
  return b;
}
