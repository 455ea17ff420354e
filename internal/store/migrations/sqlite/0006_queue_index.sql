-- The queue is read in due date order, then age: an index in that very
-- order lets the first page be read without sorting every request.
DROP INDEX orientations_queue;
CREATE INDEX orientations_queue ON orientations (territory_id, status, due_on, requested_at, id);
CREATE INDEX orientations_structure ON orientations (structure_id, status);
