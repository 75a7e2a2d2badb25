// The spreadsheet-and-email baseline: how a returns desk without the station records one matched,
// single-item return, written as a reproducible script of keystrokes.
//   npx tsx perf/baseline-spreadsheet.ts      prints the script step by step with its counts
//
// The desk keeps the WMS's RMA export open in a spreadsheet (one row per RMA line) and a "received"
// sheet; a scanner is plugged in as a keyboard. Every scan counts as ONE action here (the scanner
// types the digits, not the person), which is generous to the baseline. Typed text counts one
// keystroke per character; a chord such as Ctrl+F counts one.

export interface BaselineInput {
  trackingNumber: string;
  rmaNumber: string;
  orderNumber: string;
  sku: string;
  jan: string;
  /** Grade and disposition words the desk types (from its printed rules sheet). */
  grade: string;
  disposition: string;
  /** The location the rules sheet gives for that disposition. */
  destination: string;
  /** Condition notes for an opened item; empty for a factory-sealed one. */
  notes: string;
  /** The label number the desk writes: next number from the tally sheet. */
  lpn: string;
}

export type BaselineStep = { what: string; scan: string } | { what: string; type: string } | { what: string; keys: readonly string[] };

export function baselineScript(x: BaselineInput): BaselineStep[] {
  const today = '2026/11/20';
  return [
    { what: 'focus the RMA export sheet and open Find', keys: ['Ctrl+PageUp', 'Ctrl+F'] },
    { what: 'scan the parcel label into the Find box', scan: x.trackingNumber },
    { what: 'find it, close Find', keys: ['Enter', 'Escape'] },
    { what: 'the RMA row: copy RMA number, order number and SKU (select 3 cells, copy)', keys: ['Home', 'Shift+Right', 'Shift+Right', 'Ctrl+C'] },
    { what: 'go to the received sheet, first empty row, paste', keys: ['Ctrl+PageDown', 'Ctrl+Down', 'Down', 'Home', 'Ctrl+V'] },
    { what: 'check the item against the SKU: Find the JAN in the product sheet', keys: ['Ctrl+PageDown', 'Ctrl+F'] },
    { what: 'scan the JAN on the item', scan: x.jan },
    { what: 'find it, close Find, back to the received sheet', keys: ['Enter', 'Escape', 'Ctrl+PageUp'] },
    { what: 'move past the pasted cells to the date column', keys: ['End', 'Right'] },
    { what: 'received date', type: today },
    { what: 'next column', keys: ['Tab'] },
    { what: 'tracking number (scanned again into the cell)', scan: x.trackingNumber },
    { what: 'next column', keys: ['Tab'] },
    { what: 'grade', type: x.grade },
    { what: 'next column', keys: ['Tab'] },
    ...(x.notes ? [{ what: 'condition notes', type: x.notes }, { what: 'next column', keys: ['Tab'] }] : []),
    { what: 'disposition, from the printed rules sheet', type: x.disposition },
    { what: 'next column', keys: ['Tab'] },
    { what: 'destination, from the rules sheet', type: x.destination },
    { what: 'next column', keys: ['Tab'] },
    { what: 'label number from the tally sheet', type: x.lpn },
    { what: 'save', keys: ['Ctrl+S'] },
    { what: 'the WMS team learns of it by e-mail: new message', keys: ['Alt+Tab', 'Ctrl+N'] },
    { what: 'to', type: 'wms-returns@example.co.jp' },
    { what: 'subject field', keys: ['Tab', 'Tab'] },
    { what: 'subject', type: `返品受領 ${x.rmaNumber}` },
    { what: 'body field', keys: ['Tab'] },
    {
      what: 'body',
      type: `${x.rmaNumber} / ${x.orderNumber} / ${x.sku} 受領 ${today} 判定 ${x.grade} ${x.disposition} ${x.destination} ${x.lpn}${x.notes ? ` ${x.notes}` : ''}`,
    },
    { what: 'send', keys: ['Ctrl+Enter'] },
    { what: 'back to the spreadsheet', keys: ['Alt+Tab'] },
    // The label itself is hand-written: no keystrokes are counted for it, again in the baseline's favour.
  ];
}

export interface BaselineCount {
  scans: number;
  keystrokes: number;
  /** scans + keystrokes: what is compared with the station's operator actions. */
  actions: number;
}

export function countBaseline(steps: readonly BaselineStep[]): BaselineCount {
  let scans = 0;
  let keystrokes = 0;
  for (const s of steps) {
    if ('scan' in s) scans++;
    else if ('type' in s) keystrokes += [...s.type].length;
    else keystrokes += s.keys.length;
  }
  return { scans, keystrokes, actions: scans + keystrokes };
}

/** The sample values the baseline types: a sealed item and an opened one with typical notes. */
export function baselineInputs(sample: Omit<BaselineInput, 'grade' | 'disposition' | 'destination' | 'notes'>): { sealed: BaselineInput; opened: BaselineInput } {
  return {
    sealed: { ...sample, grade: 'N', disposition: 'restock', destination: 'A-01', notes: '' },
    opened: { ...sample, grade: 'S', disposition: 'restock', destination: 'A-01', notes: '開封 タグ有 着用なし 破損なし' },
  };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const inputs = baselineInputs({
    trackingNumber: '412345678906',
    rmaNumber: 'RMA-00012345',
    orderNumber: 'ORD-1000037036',
    sku: 'APP-000123',
    jan: '4512345001236',
    lpn: 'R-2026-000123',
  });
  for (const [name, input] of Object.entries(inputs)) {
    const steps = baselineScript(input);
    console.log(`\n${name}:`);
    for (const s of steps) console.log(`  ${s.what}: ${'scan' in s ? `[scan ${s.scan}]` : 'type' in s ? JSON.stringify(s.type) : s.keys.join(' ')}`);
    console.log(`  = ${JSON.stringify(countBaseline(steps))}`);
  }
}
