// The person's language: Chinese first, English on request, remembered on this device.
// Free of React so that the small public pages can use it.
import { en } from './en';
import { zh, type Dict } from './zh';

export type Lang = 'zh' | 'en';
export type { Dict };

const KEY = 'courtyard.lang';
const dicts: Record<Lang, Dict> = { zh, en };
const listeners = new Set<() => void>();
let current: Lang = localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang) {
  current = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((l) => l());
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export type Words = Dict & { lang: Lang; fmt: (s: string, n: number | string) => string };

export function words(l: Lang = current): Words {
  return { ...dicts[l], lang: l, fmt: (s, n) => s.replace('{n}', String(n)) };
}
