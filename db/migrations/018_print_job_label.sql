-- The label model a print job was rendered from (contract/label.ts ItemLabel, as JSON), beside its bytes: when a lead
-- points the bench at a printer of another language (ZPL ⇄ SBPL), the jobs still waiting, and a later reprint, are
-- rendered again for it instead of sending the old printer's language. Rows from before have none and keep their bytes.
ALTER TABLE print_jobs ADD COLUMN label TEXT CHECK (label IS NULL OR json_valid(label));
