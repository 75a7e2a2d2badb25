-- Inbound manifests of consolidated totes (issue 17) join the site's copy of the WMS's reference data, keyed by
-- tote id and pulled by the same cursor, so a bench behind the hub gets them as a bench on the WMS does.
ALTER TABLE reference_rows DROP CONSTRAINT reference_rows_resource_check;
ALTER TABLE reference_rows ADD CONSTRAINT reference_rows_resource_check CHECK (resource IN ('products', 'rmas', 'manifests'));
