// The large-type setting for elderly residents, remembered on this device.
import { useSyncExternalStore } from 'react';

const KEY = 'courtyard.largeType';
const listeners = new Set<() => void>();

function apply(on: boolean) {
  document.documentElement.classList.toggle('large-type', on);
}

apply(localStorage.getItem(KEY) === '1');

export function setLargeType(on: boolean) {
  localStorage.setItem(KEY, on ? '1' : '0');
  apply(on);
  listeners.forEach((l) => l());
}

export function useLargeType(): boolean {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => localStorage.getItem(KEY) === '1',
  );
}
