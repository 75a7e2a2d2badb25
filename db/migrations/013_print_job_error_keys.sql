-- A print job's last error as a message key and its parameters (contract/printerMessages.ts), beside the English
-- text, so the print queue says it in the operator's language. Rows from before keep their English text with a
-- NULL key, which the screen shows as it is; the sentences that were always the same words get their key here.
ALTER TABLE print_jobs ADD COLUMN last_error_key TEXT;
ALTER TABLE print_jobs ADD COLUMN last_error_params TEXT CHECK (last_error_params IS NULL OR json_valid(last_error_params));

UPDATE print_jobs
SET
  last_error_key = CASE last_error
    WHEN 'interrupted while sending; check whether the label came out' THEN 'printer.job.interrupted'
    WHEN 'Print head is open' THEN 'printer.fault.headOpen'
    WHEN 'Out of labels' THEN 'printer.fault.paperOut'
    WHEN 'Out of ribbon' THEN 'printer.fault.ribbonOut'
    WHEN 'Printer is paused' THEN 'printer.fault.paused'
  END,
  last_error_params = '{}'
WHERE last_error IN (
  'interrupted while sending; check whether the label came out',
  'Print head is open',
  'Out of labels',
  'Out of ribbon',
  'Printer is paused'
);
