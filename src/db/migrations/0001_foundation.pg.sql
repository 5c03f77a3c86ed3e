-- PostgreSQL part of 0001: the audit log is append-only (the counterpart of the SQLite
-- triggers). The error is an integrity_constraint_violation (SQLSTATE 23000), so the driver
-- reports it as DB_ECONSTRAINT as SQLite's RAISE(ABORT) in a trigger is. TRUNCATE, which SQLite
-- lacks and which skips row triggers, is refused too.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
