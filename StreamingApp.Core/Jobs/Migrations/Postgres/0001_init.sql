-- Jobs, their results and the queue several instances share. seq keeps submission order when times tie.
CREATE TABLE jobs (
    seq                bigint      GENERATED ALWAYS AS IDENTITY,
    id                 text        PRIMARY KEY,
    pipeline_id        text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    progress           integer     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    frame_stride       integer     NOT NULL DEFAULT 1 CHECK (frame_stride >= 1),
    max_frames         integer     NULL CHECK (max_frames IS NULL OR max_frames >= 1),
    original_file_name text        NOT NULL,
    file_size          bigint      NOT NULL,
    owner              text        NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    error              text        NULL,
    frames_total       integer     NULL,
    frames_done        integer     NOT NULL DEFAULT 0,
    attempts           integer     NOT NULL DEFAULT 0,
    -- Who runs it, under which lease until when, and how far its committed results (checkpoints) go.
    processed_by       text        NULL,
    lease_token        text        NULL,
    lease_expires_at   timestamptz NULL,
    checkpoint_frames  integer     NOT NULL DEFAULT 0,
    -- Totals over the committed results; final once completed.
    summary_json       text        NULL,
    results_bytes      bigint      NOT NULL DEFAULT 0
);

CREATE INDEX ix_jobs_created ON jobs (created_at DESC, seq DESC);
CREATE INDEX ix_jobs_owner_created ON jobs (owner, created_at DESC, seq DESC);
CREATE INDEX ix_jobs_queue ON jobs (created_at, seq) WHERE status IN ('pending', 'running');
CREATE INDEX ix_jobs_finished_updated ON jobs (updated_at) WHERE status IN ('completed', 'failed');

-- One row per processed frame, committed in checkpoints.
CREATE TABLE job_results (
    job_id       text    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    frame_index  integer NOT NULL,
    timestamp_ms bigint  NOT NULL,
    result_json  text    NOT NULL,
    PRIMARY KEY (job_id, frame_index)
);

-- Every instance LISTENs on this channel: a change made anywhere reaches every instance's pages and workers, at
-- commit. The payload names the job; listeners read it. Lease renewals (the expiry moves, the token stays) are
-- the only updates that stay silent.
CREATE FUNCTION jobs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('streamingapp_jobs', json_build_object('id', OLD.id, 'owner', OLD.owner, 'deleted', true)::text);
    ELSE
        PERFORM pg_notify('streamingapp_jobs', json_build_object('id', NEW.id, 'owner', NEW.owner, 'deleted', false)::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_inserted_or_deleted AFTER INSERT OR DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_notify_change();
CREATE TRIGGER jobs_updated AFTER UPDATE ON jobs
    FOR EACH ROW WHEN (OLD.lease_token IS DISTINCT FROM NEW.lease_token OR OLD.lease_expires_at IS NOT DISTINCT FROM NEW.lease_expires_at)
    EXECUTE FUNCTION jobs_notify_change();
