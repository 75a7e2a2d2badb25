import type { PrinterConfig } from '../contract/index.js';
import type { LabelOutput } from '../core/ports.js';
import { createLabelPrinter, type LabelPrinter } from '../native/printers/labelPrinter.js';
import { renderSvg } from '../native/labels/svg.js';

/** The bench's label output: SVG preview for the screen, the configured printer for the label. */
export function createLabelOutput(config: PrinterConfig, printer: LabelPrinter = createLabelPrinter(config)): LabelOutput & { printer: LabelPrinter } {
  return {
    printer,
    preview: (label) => renderSvg(label),
    print: (label) => printer.print(label),
    close: () => printer.close(),
  };
}
