-- RMA details from the WMS that flags and resolutions need (issue 5). All nullable: older WMS data has none.
-- delivered_at starts the return window; shop_return_policy_days NULL means the 8-day statutory window.
ALTER TABLE rmas ADD COLUMN delivered_at TEXT;
ALTER TABLE rmas ADD COLUMN customer_id TEXT;
ALTER TABLE rmas ADD COLUMN customer_return_rate REAL CHECK (customer_return_rate IS NULL OR (customer_return_rate >= 0 AND customer_return_rate <= 1));
ALTER TABLE rmas ADD COLUMN shop_return_policy_days INTEGER CHECK (shop_return_policy_days IS NULL OR shop_return_policy_days >= 0);

ALTER TABLE rma_lines ADD COLUMN resolution TEXT CHECK (resolution IS NULL OR resolution IN ('refund','exchange','store_credit'));
ALTER TABLE rma_lines ADD COLUMN serial_number TEXT;
ALTER TABLE rma_lines ADD COLUMN lot TEXT;
-- A scanned serial number identifies the return it was sold on.
CREATE INDEX rma_lines_serial ON rma_lines (serial_number) WHERE serial_number IS NOT NULL;
CREATE INDEX rmas_customer ON rmas (customer_id) WHERE customer_id IS NOT NULL;
