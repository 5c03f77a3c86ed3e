-- SQLite part of 0007: a request's status history (request_events, 0005) is append-only, like
-- audit_log (0001). The store only ever inserts; these triggers make the database refuse an
-- UPDATE or DELETE from anywhere else too (a hand-run SQL statement, a future job). RAISE(ABORT)
-- is a constraint error, reported as DB_ECONSTRAINT.
--
-- requests -> request_events is ON DELETE CASCADE (0005): the cascade fires these triggers,
-- so a request that has events (every filed request has at least the "filed" one) can no
-- longer be deleted at all. That is intended: a request is never deleted, only cancelled or
-- finished. A retention job, should one ever be decided, needs its own migration.
CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
BEGIN
    SELECT RAISE(ABORT, 'request_events is append-only');
END;
CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
BEGIN
    SELECT RAISE(ABORT, 'request_events is append-only');
END;
