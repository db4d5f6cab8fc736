// Download budgets, checked on every build: the build fails when what a resident on a slow
// phone connection, or anyone opening a public page, must download grows past its budget.
// A budget sums the gzipped JavaScript and CSS of its starting chunks and everything they
// import statically (what the browser fetches before the page works).
import { gzipSync } from 'node:zlib';
import type { OutputBundle, OutputChunk } from 'rollup';
import type { Plugin } from 'vite';

const KB = 1024;

/** Each budget: chunks whose source module ends with one of `starts`, and the limit. */
const BUDGETS = [
  { name: 'sign-in page', starts: ['login/index.html'], limit: 50 * KB },
  { name: 'sign-up page', starts: ['join/index.html'], limit: 50 * KB },
  { name: 'accounts board', starts: ['board/index.html'], limit: 50 * KB },
  { name: 'resident app', starts: ['/index.html', 'src/resident/ResidentApp.tsx'], limit: 200 * KB },
];

type Meta = { viteMetadata?: { importedCss: Set<string> } };

function closure(bundle: OutputBundle, starts: OutputChunk[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const item = bundle[file];
    if (item?.type !== 'chunk') return;
    item.imports.forEach(visit);
    (item as OutputChunk & Meta).viteMetadata?.importedCss.forEach(visit);
  };
  starts.forEach((c) => visit(c.fileName));
  return seen;
}

function gzipped(bundle: OutputBundle, file: string): number {
  const item = bundle[file];
  const source = item.type === 'chunk' ? item.code : item.source;
  return gzipSync(source).length;
}

export function budgets(): Plugin {
  return {
    name: 'courtyard-budgets',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
      const report: string[] = [];
      for (const b of BUDGETS) {
        // A dynamic entry's chunk may have no facade of its own (Rollup merged what it shares);
        // it is then the chunk that holds the module.
        const starts = b.starts.map((s) => chunks.find((c) => c.facadeModuleId?.endsWith(s))
          ?? chunks.find((c) => c.moduleIds.some((m) => m.endsWith(s))));
        if (starts.some((c) => !c)) this.error(`budget "${b.name}": no chunk for ${b.starts.join(', ')}`);
        const files = closure(bundle, starts as OutputChunk[]);
        const size = [...files].reduce((n, f) => n + gzipped(bundle, f), 0);
        const line = `${b.name}: ${(size / KB).toFixed(1)} KB gzipped of ${b.limit / KB} KB`;
        report.push(line);
        if (size > b.limit) this.error(`over budget, ${line} (${[...files].join(', ')})`);
      }
      this.info(report.join('; '));
    },
  };
}
