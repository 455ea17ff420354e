-- A CAF (or MSA) number identifies a household: the applicant and their
-- partner share it. A person is identified by the number and their role.
ALTER TABLE persons ADD COLUMN caf_role TEXT NOT NULL DEFAULT '';
DROP INDEX persons_caf;
CREATE UNIQUE INDEX persons_caf ON persons (territory_id, caf_number, caf_role) WHERE caf_number IS NOT NULL;
