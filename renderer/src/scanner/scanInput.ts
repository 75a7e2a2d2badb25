import type { WedgeProblem } from './wedge.js';

/** Why a scan could not be used: the keyboard wedge's diagnosis, or a serial / HID-POS scanner that sent something unreadable. */
export type ScanProblem =
  | WedgeProblem
  | { readonly kind: 'device-unreadable'; readonly device: string }
  /**
   * Two or three keys pressed faster than a person presses keys one by one, too few for a scan: none is acted on.
   * The input hub says so itself (inputHub.ts); screens never receive it as a scan.
   */
  | { readonly kind: 'keys-too-fast'; readonly keys: readonly string[] };

/** What a screen receives from the scanners: a scan, or a scan it could not use. */
export type ScanInput =
  | { readonly kind: 'scan'; readonly text: string; readonly source: string }
  | { readonly kind: 'problem'; readonly problems: readonly ScanProblem[]; readonly raw: string };
