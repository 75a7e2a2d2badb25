// The package ships no types; this covers the one function we call.
declare module 'gs1-barcode-parser-mod' {
  export interface ParsedElement {
    ai: string;
    dataTitle: string;
    data: unknown;
    unit: string;
    raw: string;
    isoDate: string;
  }
  export interface ParsedBarcode {
    codeName: string;
    parsedCodeItems: ParsedElement[];
  }
  const lib: { parseBarcode(barcode: string): ParsedBarcode };
  export default lib;
}
