// A refused device list or printer as the refusal's params: the place (entry and field) and what is wrong there, in
// the codes of a rule set's issues (domain/rules/ruleIssues.ts), so the Devices screen says it in its language.
import type { z } from 'zod';
import type { BenchDeviceEntry } from '../../contract/calls/devices.js';
import { ruleIssuesOf, valueAt } from '../../domain/rules/ruleIssues.js';
import { StationError } from './errors.js';

/** The problem code and the values its sentence needs, for an issue about `input`. */
function problemParams(issue: z.core.$ZodIssue, input: unknown): Record<string, string | number> {
  const [found] = ruleIssuesOf([issue], input);
  const reason = issue.code === 'custom' && typeof issue.params?.reason === 'string' ? issue.params.reason : null;
  // positive(): "more than 0", which the rule-issue words ("0 or more") would say wrong.
  const above = issue.code === 'too_small' && issue.inclusive === false && issue.origin === 'number' ? 'moreThan' : null;
  // A transport nobody offers: which ones there are, as for any other choice.
  // (zod puts the choices on the issue without declaring them in its type.)
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    const given = valueAt(input, issue.path);
    return given === undefined ? { problem: 'missing' } : { problem: 'oneOf', values: issue.options.map(String).join(', '), given: String(given) };
  }
  return { problem: reason ?? above ?? found?.problem ?? 'other', ...(found?.params ?? {}) };
}

/**
 * A refused device list's first issue: the entry (from 1, as the screen numbers them) and its id, the field inside it
 * (serial.path), and what is wrong there, or the device list's own reason (idTwice, portTwice).
 */
export function deviceIssueParams(issue: z.core.$ZodIssue, devices: readonly BenchDeviceEntry[]): Record<string, string | number> {
  const [top, index, ...rest] = issue.path;
  const out = problemParams(issue, { devices });
  if (top === 'devices' && typeof index === 'number') {
    out.entry = index + 1;
    out.field = rest.map(String).join('.');
    out.deviceId = devices[index]?.id ?? '';
  }
  if (issue.code === 'custom' && typeof issue.params?.other === 'string') out.other = issue.params.other;
  return out;
}

/** A printer the Devices screen sent that PrinterConfig refuses (devices.configurePrinter): the field and the problem. */
export function printerRefusal(issues: readonly z.core.$ZodIssue[], input: unknown): StationError | null {
  const issue = issues[0];
  if (!issue) return null;
  const field = issue.path.map(String).join('.');
  return new StationError('INVALID_INPUT', 'error.device.badPrinter', `The printer settings are not valid: ${field || 'printer'}: ${issue.message}`, {
    ...problemParams(issue, input),
    field,
    detail: `${field || 'printer'}: ${issue.message}`,
  });
}
