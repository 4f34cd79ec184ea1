-- What an incremental build looks up in the raw events: every event of the appeals a batch touched, by the
-- appeal key as the staging view spells it (source/appeal id in the payload), and rows later than the last
-- build's as_of.
create index if not exists appeal_events_appeal_key on raw.appeal_events ((source || '/' || (payload->>'appeal_id')));
create index if not exists appeal_events_occurred on raw.appeal_events (occurred_at);
