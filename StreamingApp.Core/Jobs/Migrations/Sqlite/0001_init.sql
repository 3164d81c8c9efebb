-- Jobs and their results. Times are Unix milliseconds (UTC); seq keeps submission order when times tie.
CREATE TABLE jobs (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT    NOT NULL UNIQUE,
    pipeline_id        TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    progress           INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    frame_stride       INTEGER NOT NULL DEFAULT 1 CHECK (frame_stride >= 1),
    max_frames         INTEGER NULL CHECK (max_frames IS NULL OR max_frames >= 1),
    original_file_name TEXT    NOT NULL,
    file_size          INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    error              TEXT    NULL,
    frames_total       INTEGER NULL,
    frames_done        INTEGER NOT NULL DEFAULT 0,
    attempts           INTEGER NOT NULL DEFAULT 0,
    summary_json       TEXT    NULL
);

CREATE INDEX ix_jobs_status_created ON jobs (status, created_at, seq);
CREATE INDEX ix_jobs_created ON jobs (created_at, seq);

-- One row per processed frame, written in the same transaction that marks the job completed.
CREATE TABLE job_results (
    job_id       TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    frame_index  INTEGER NOT NULL,
    timestamp_ms INTEGER NOT NULL,
    result_json  TEXT    NOT NULL,
    PRIMARY KEY (job_id, frame_index)
) WITHOUT ROWID;
