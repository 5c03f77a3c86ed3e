-- PostgreSQL part of 0007: a request's status history (request_events, 0005) is append-only,
-- like audit_log (0001): the counterpart of the SQLite triggers. The error is an
-- integrity_constraint_violation (SQLSTATE 23000), reported as DB_ECONSTRAINT. TRUNCATE, which
-- skips row triggers, is refused too.
--
-- requests -> request_events is ON DELETE CASCADE (0005): the cascaded delete fires the row
-- trigger, so a request that has events (every filed request has the "filed" one) cannot be
-- deleted. That is intended: a request is never deleted, only cancelled or finished.
CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'request_events is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
    FOR EACH ROW EXECUTE FUNCTION request_events_append_only();
CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
    FOR EACH ROW EXECUTE FUNCTION request_events_append_only();
CREATE TRIGGER request_events_no_truncate BEFORE TRUNCATE ON request_events
    FOR EACH STATEMENT EXECUTE FUNCTION request_events_append_only();
