import type { LabelOutput } from '../ports.js';
import type { CommitGate } from './dispatch.js';

/**
 * A label is the operator's proof that the item is recorded: it prints only once everything committed before it
 * (the grade) is on disk. item.grade answers without a sync of its own (contract/calls/define.ts,
 * answersBeforeSync) because it waits for this one before its label.
 */
export function labelsAfterSync(labels: LabelOutput, commits: Pick<CommitGate, 'durable'>): LabelOutput {
  return {
    preview: (label) => labels.preview(label),
    print: async (label) => {
      await commits.durable();
      return labels.print(label);
    },
    close: async () => {
      await labels.close?.();
    },
  };
}
