-- The queue shared by several workers or processes: who owns a job, who runs it under which lease until when, and
-- how far its committed results (checkpoints) go.
ALTER TABLE jobs ADD COLUMN owner TEXT NULL;
ALTER TABLE jobs ADD COLUMN processed_by TEXT NULL;
ALTER TABLE jobs ADD COLUMN lease_token TEXT NULL;
ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER NULL;
ALTER TABLE jobs ADD COLUMN checkpoint_frames INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN results_bytes INTEGER NOT NULL DEFAULT 0;

-- Jobs a process of the previous version left running have no lease: expired, so any worker takes them over.
UPDATE jobs SET lease_expires_at = 0 WHERE status = 'running';

-- Results of completed jobs were written with the completion; count them for the storage quota.
UPDATE jobs SET results_bytes = (SELECT COALESCE(SUM(LENGTH(CAST(result_json AS BLOB))), 0) FROM job_results WHERE job_id = jobs.id);

CREATE INDEX ix_jobs_owner_created ON jobs (owner, created_at, seq);
CREATE INDEX ix_jobs_finished_updated ON jobs (updated_at) WHERE status IN ('completed', 'failed');
