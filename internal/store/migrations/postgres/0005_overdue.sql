-- The day the daily job noted that an orientation request passed its due
-- date, so that it notes it once.
ALTER TABLE orientations ADD COLUMN overdue_noted_on DATE;
