// Prints perf/results.json as the Markdown table of the README's Performance section.
//   npx tsx perf/markdown.ts [results.json]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdownTable, type Figure } from './lib/table.js';

const file = process.argv[2] ?? fileURLToPath(new URL('./results.json', import.meta.url));
const r = JSON.parse(readFileSync(file, 'utf8')) as {
  command: string;
  machine: { cores: number; cpuModel: string; node: string; date: string; loadAvg1mAtStart: number; loadAvg1mAtEnd: number };
  referenceData: { rmas: number; lines: number; products: number };
  totalSeconds: number;
  figures: Figure[];
};
const m = r.machine;
console.log(markdownTable(r.figures));
console.log(
  `\n${m.date.slice(0, 10)}, \`${r.command}\`: ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${r.referenceData.rmas.toLocaleString('en')} RMAs / ${r.referenceData.lines.toLocaleString('en')} lines / ${r.referenceData.products.toLocaleString('en')} products, load average ${m.loadAvg1mAtStart} at start and ${m.loadAvg1mAtEnd} at end, ${Math.round(r.totalSeconds)} s in all.`,
);
