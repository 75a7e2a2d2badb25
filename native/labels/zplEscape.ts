// Field data escaping for ZPL II. Label text comes from the WMS and from operators, so it must
// never be able to end a field or start a command: every ^, ~ and control character is sent as
// a ^FH hex escape (the printer decodes those only after the command parser has run).

/** The ^FH indicator we use; itself escaped when it appears in data. */
export const FH_INDICATOR = '_';

const UTF8 = new TextEncoder();

function hexBytes(ch: string): string {
  return Array.from(UTF8.encode(ch), (b) => FH_INDICATOR + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Escapes text for a ^FH_^FD…^FS field (printer in ^CI28, UTF-8). */
export function escapeZplFieldData(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '^' || ch === '~' || ch === FH_INDICATOR || code < 0x20 || code === 0x7f) out += hexBytes(ch);
    else out += ch;
  }
  return out;
}

/** A complete field: ^FH_^FD<escaped>^FS. */
export function zplField(text: string): string {
  return `^FH${FH_INDICATOR}^FD${escapeZplFieldData(text)}^FS`;
}
