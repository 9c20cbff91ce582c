"""Schema and ordered migrations. ``PRAGMA user_version`` holds the version applied.

Add a migration by appending a new SQL script to ``MIGRATIONS``; never edit one that
has shipped.
"""

from __future__ import annotations

V1 = """
CREATE TABLE schools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    brin TEXT,
    work_start TEXT NOT NULL DEFAULT '08:00',
    work_end TEXT NOT NULL DEFAULT '17:00'
);
CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('class', 'school', 'community'))
);
CREATE INDEX groups_school ON groups(school_id);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN
        ('teacher', 'director', 'school_admin', 'parent', 'external', 'mr_member')),
    email TEXT
);
CREATE INDEX people_school ON people(school_id);
CREATE TABLE group_admins (
    group_id TEXT NOT NULL REFERENCES groups(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_admins_person ON group_admins(person_id);
CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (group_id, person_id)
);
CREATE TABLE pupils (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools(id),
    group_id TEXT NOT NULL REFERENCES groups(id),
    name TEXT NOT NULL
);
CREATE INDEX pupils_school ON pupils(school_id);
CREATE TABLE guardians (
    pupil_id TEXT NOT NULL REFERENCES pupils(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (pupil_id, person_id)
);
CREATE TABLE consents (
    pupil_id TEXT NOT NULL REFERENCES pupils(id),
    school_year TEXT NOT NULL,
    portal_photo INTEGER NOT NULL,
    portal_name INTEGER NOT NULL,
    website INTEGER NOT NULL,
    signed_on TEXT,
    PRIMARY KEY (pupil_id, school_year)
);
CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES groups(id),
    author_id TEXT NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    title TEXT,
    body TEXT,                       -- NULL once deleted: the text then lives in the dossier
    comments_enabled INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT,
    deleted_by TEXT,
    scanned_rev INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_group_created ON posts(group_id, created_at);
CREATE INDEX posts_author ON posts(author_id);
CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts(id),
    author_id TEXT NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    body TEXT,
    deleted_at TEXT,
    deleted_by TEXT,
    scanned_rev INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_post ON comments(post_id);
CREATE INDEX comments_author ON comments(author_id);
-- Every version of a post's or comment's text, rev 1 being the first seen.
CREATE TABLE revisions (
    item TEXT NOT NULL,              -- 'post:ID' or 'comment:ID'
    rev INTEGER NOT NULL,
    title TEXT,
    body TEXT,                       -- NULL once the item is deleted
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (item, rev)
);
CREATE TABLE media (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts(id),
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'video')),
    file TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]'  -- JSON list
);
CREATE INDEX media_post ON media(post_id);
CREATE TABLE media_pupils (
    media_id TEXT NOT NULL REFERENCES media(id),
    pupil_id TEXT NOT NULL REFERENCES pupils(id),
    PRIMARY KEY (media_id, pupil_id)
);
-- A flag: a parent's report (source 'report') or a detector's finding (source 'rule').
CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    item TEXT NOT NULL,              -- 'post:ID' or 'comment:ID'
    school_id TEXT NOT NULL REFERENCES schools(id),
    group_id TEXT NOT NULL REFERENCES groups(id),
    source TEXT NOT NULL CHECK (source IN ('report', 'rule')),
    reason TEXT NOT NULL,
    report_id TEXT UNIQUE,           -- the portal's report id, for source 'report'
    reporter_id TEXT REFERENCES people(id),
    note TEXT,
    evidence TEXT NOT NULL DEFAULT '[]',  -- JSON list of {reason, start, end, text}
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'resolved')),
    closed_at TEXT,
    closed_by TEXT,
    close_note TEXT
);
CREATE INDEX flags_item ON flags(item, status);
CREATE INDEX flags_open_group ON flags(status, group_id);
CREATE UNIQUE INDEX flags_rule_once ON flags(item, reason) WHERE source = 'rule';
-- One row per item with open flags: the moderation queue, kept in step with flags
-- by moderator.store.flags.refresh_queue so the console can page it with keyset queries.
CREATE TABLE queue_items (
    item TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    school_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    severity INTEGER NOT NULL,
    reasons TEXT NOT NULL,           -- space-separated reason codes, most severe first
    sources TEXT NOT NULL,           -- 'report', 'rule' or 'report rule'
    n_reports INTEGER NOT NULL,
    n_flags INTEGER NOT NULL,
    excerpt TEXT NOT NULL
);
CREATE INDEX queue_school_order ON queue_items(school_id, severity DESC, created_at, item);
CREATE INDEX queue_group_order ON queue_items(group_id, severity DESC, created_at, item);
CREATE VIRTUAL TABLE queue_fts USING fts5(item UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE accounts (
    username TEXT PRIMARY KEY,
    person_id TEXT REFERENCES people(id),
    role TEXT NOT NULL CHECK (role IN ('teacher', 'director', 'school_admin', 'avg')),
    school_id TEXT REFERENCES schools(id),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,     -- e.g. 'INC-2026-0001'
    school_id TEXT NOT NULL REFERENCES schools(id),
    group_id TEXT REFERENCES groups(id),
    person_id TEXT REFERENCES people(id),   -- whose behaviour it concerns
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN
        ('open', 'consultation', 'parent_spoken', 'measure', 'escalated', 'closed')),
    level TEXT NOT NULL DEFAULT 'internal' CHECK (level IN ('internal', 'external')),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TEXT,
    outcome TEXT,
    retention_until TEXT,
    legal_hold INTEGER NOT NULL DEFAULT 0,
    legal_hold_reason TEXT
);
CREATE INDEX incidents_school_status ON incidents(school_id, status);
CREATE INDEX incidents_person ON incidents(person_id);
CREATE TABLE hardcopies (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    item TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,       -- relative to the archive folder
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,            -- of the PDF file
    item_sha256 TEXT NOT NULL,       -- of the item's verbatim text
    reason TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    audit_seq INTEGER,               -- chain head printed on the hard copy
    audit_hash TEXT
);
CREATE INDEX hardcopies_incident ON hardcopies(incident_id);
CREATE INDEX hardcopies_item ON hardcopies(item);
CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    kind TEXT NOT NULL CHECK (kind IN ('deletion', 'consultation', 'parent_conversation',
        'measure', 'escalation', 'note', 'correction', 'closure', 'legal_hold')),
    at TEXT NOT NULL,                -- when it happened
    recorded_at TEXT NOT NULL,
    author TEXT NOT NULL,            -- account username
    participants TEXT NOT NULL DEFAULT '[]',   -- JSON list of names
    text TEXT NOT NULL DEFAULT '',
    measure TEXT,                    -- measure code for kind 'measure' or 'escalation'
    refers_to INTEGER REFERENCES incident_events(id),
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_events_incident ON incident_events(incident_id);
-- A deletion in progress: written before the hard copy, cleared in the transaction
-- that records it. Left-overs after a crash are finished or rolled back on start-up.
CREATE TABLE delete_intents (
    id INTEGER PRIMARY KEY,
    item TEXT NOT NULL UNIQUE,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    path TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,            -- 'view', 'export', 'subject_export', ...
    incident_id INTEGER,
    person_id TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX access_log_incident ON access_log(incident_id);
CREATE TABLE provisions (
    id INTEGER PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL,              -- e.g. 'words', 'frequency', 'identity'
    detail TEXT NOT NULL,            -- JSON
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT
);
CREATE TABLE destructions (
    id INTEGER PRIMARY KEY,
    incident_number TEXT NOT NULL,
    school_id TEXT NOT NULL,
    destroyed_at TEXT NOT NULL,
    destroyed_by TEXT NOT NULL,
    ground TEXT NOT NULL,
    n_hardcopies INTEGER NOT NULL,
    hardcopy_sha256 TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Append-only, hash-chained: hash = sha256(prev_hash + canonical entry).
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    school_id TEXT,
    detail TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor);
CREATE INDEX audit_log_action ON audit_log(action);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""

V2 = """
-- Dossier exports (one PDF per incident: cover, timeline, hard copies appended).
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    path TEXT NOT NULL UNIQUE,       -- relative to the archive folder
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX exports_incident ON exports(incident_id);
"""

V_EVENTS_APPEND_ONLY = """
-- Incident timeline entries are append-only: a correction is a new entry (kind
-- 'correction', refers_to the old one). The one escape is the AVG retention destroy:
-- while the settings row key 'destroying' holds an incident's id, that incident's
-- entries may be scrubbed or removed (moderator.store.incidents.destroying()).
CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'destroying'
                 AND value = CAST(OLD.incident_id AS TEXT))
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'destroying'
                 AND value = CAST(OLD.incident_id AS TEXT))
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
"""

V_QUEUE_TAGS = """
-- One row per (queue item, reason) and (queue item, source), carrying the queue order,
-- so a reason or source filter reads its own index range instead of scanning the queue.
CREATE TABLE queue_tags (
    item TEXT NOT NULL REFERENCES queue_items(item) ON DELETE CASCADE,
    tag TEXT NOT NULL,               -- 'reason:<code>' or 'source:<report|rule>'
    school_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    severity INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (item, tag)
);
CREATE INDEX queue_tags_school_order ON queue_tags(school_id, tag, severity DESC, created_at, item);
CREATE INDEX queue_tags_group_order ON queue_tags(group_id, tag, severity DESC, created_at, item);
INSERT INTO queue_tags (item, tag, school_id, group_id, severity, created_at)
    SELECT q.item, 'reason:' || j.value, q.school_id, q.group_id, q.severity, q.created_at
    FROM queue_items q, json_each('["' || replace(q.reasons, ' ', '","') || '"]') j;
INSERT INTO queue_tags (item, tag, school_id, group_id, severity, created_at)
    SELECT q.item, 'source:' || j.value, q.school_id, q.group_id, q.severity, q.created_at
    FROM queue_items q, json_each('["' || replace(q.sources, ' ', '","') || '"]') j;
"""

V_INTENT_INCIDENT = """
-- The incident a deletion will go to is recorded with its intent, so recovery need not
-- read it back out of the hard copy's path.
ALTER TABLE delete_intents ADD COLUMN incident_number TEXT;
"""

V_BREACHES = """
-- The breach register (AVG art. 33(5)): one record per deletion that exposed personal
-- data, proposed in the deletion's own transaction and completed by the AVG coordinator.
-- People are kept by id (pupils, parents), never by name. No foreign keys to incidents
-- or hard copies: the register outlives the destruction of a dossier.
CREATE TABLE breaches (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,          -- e.g. 'DL-2026-0001'
    item TEXT NOT NULL UNIQUE,            -- the deleted item: one record per deletion
    school_id TEXT NOT NULL,
    group_id TEXT,
    incident_number TEXT,
    reason TEXT NOT NULL,                 -- the deletion's reason code
    bsn INTEGER NOT NULL DEFAULT 0,       -- the text held a valid BSN
    discovered_at TEXT NOT NULL,          -- the deletion: the 72 hours count from here
    proposed_by TEXT NOT NULL,
    visible_from TEXT,
    visible_until TEXT,
    audience INTEGER,                     -- members of the group when it was deleted
    n_records INTEGER NOT NULL DEFAULT 1,
    data_description TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '[]',        -- JSON list of category codes
    pupil_ids TEXT NOT NULL DEFAULT '[]',         -- JSON list
    parent_ids TEXT NOT NULL DEFAULT '[]',        -- JSON list
    risk TEXT CHECK (risk IN ('none', 'low', 'high')),
    risk_note TEXT NOT NULL DEFAULT '',
    consequences TEXT NOT NULL DEFAULT '',
    measures TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    dpa_decision TEXT CHECK (dpa_decision IN ('notify', 'no_notify')),
    dpa_reason TEXT NOT NULL DEFAULT '',
    dpa_decided_at TEXT,
    dpa_decided_by TEXT,
    dpa_reference TEXT,
    informed TEXT CHECK (informed IN ('yes', 'no', 'not_needed')),
    informed_how TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'closed')),
    closed_at TEXT,
    closed_by TEXT,
    closing_note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX breaches_school ON breaches(school_id, discovered_at);
"""

V_LETTERS = """
-- Letters and notices to the people involved: rendered as a PDF filed read-only in the
-- incident's folder (or, without an incident, a letters folder of the school and year),
-- then sent by e-mail or printed. A letter's text never changes once filed; only its
-- delivery status moves ('draft' -> 'sent' | 'failed' | 'unknown' | 'printed').
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,     -- e.g. 'BRF-2026-0001'
    incident_id INTEGER REFERENCES incidents(id),
    item TEXT,                       -- 'post:ID' or 'comment:ID' the letter is about
    school_id TEXT NOT NULL REFERENCES schools(id),
    template TEXT NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES people(id),
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('author', 'reporter', 'guardian')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    pdf_path TEXT NOT NULL UNIQUE,   -- relative to the archive folder
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
        ('draft', 'sent', 'failed', 'unknown', 'printed')),
    channel TEXT CHECK (channel IN ('email', 'print')),
    address TEXT,                    -- the e-mail address it was (last) sent to
    message_id TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,                    -- e-mailed, or the date printed / handed over
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX letters_incident ON letters(incident_id);
CREATE INDEX letters_school ON letters(school_id, created_at);
CREATE INDEX letters_recipient ON letters(recipient_id);
CREATE INDEX letters_item ON letters(item);
"""

# Words a moderator marked on a deleted item no detector had flagged: proposed additions
# to the word lists, which the director turns into a school provision.
V_WORD_SUGGESTIONS = """
CREATE TABLE word_suggestions (
    id INTEGER PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools(id),
    item TEXT NOT NULL,
    reason TEXT NOT NULL,
    words TEXT NOT NULL,             -- JSON list, never personal data (checked on entry)
    suggested_by TEXT NOT NULL,
    suggested_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'adopted')),
    provision_id INTEGER REFERENCES provisions(id)
);
CREATE INDEX word_suggestions_school ON word_suggestions(school_id, status);
"""

V_TIME = """
-- Time and ownership: school holidays, deadlines on queue items, overdue marks,
-- measures with an end, and who holds an item or a dossier.
CREATE TABLE holidays (
    school_id TEXT NOT NULL REFERENCES schools(id),
    start TEXT NOT NULL,             -- first day (ISO date)
    "end" TEXT NOT NULL,             -- last day (ISO date), inclusive
    name TEXT,
    PRIMARY KEY (school_id, start, "end")
);
-- When the item's first open flag arrived, and the deadline that follows from it
-- (UTC ISO timestamp, so it sorts as text), per moderator.policy.deadlines.
ALTER TABLE queue_items ADD COLUMN flagged_at TEXT;
ALTER TABLE queue_items ADD COLUMN due_at TEXT;
CREATE INDEX queue_school_due ON queue_items(school_id, due_at, item);
CREATE INDEX queue_group_due ON queue_items(group_id, due_at, item);
UPDATE queue_items SET flagged_at = (SELECT min(f.created_at) FROM flags f
    WHERE f.item = queue_items.item AND f.status = 'open');
-- An item that went past its deadline, marked once by the clock tick.
CREATE TABLE overdue_marks (
    item TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    due_at TEXT NOT NULL,
    marked_at TEXT NOT NULL
);
-- A measure with a term: read-only, comments off, removal from a group.
CREATE TABLE measure_terms (
    event_id INTEGER PRIMARY KEY REFERENCES incident_events(id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    school_id TEXT NOT NULL,
    person_id TEXT,
    measure TEXT NOT NULL,
    starts_on TEXT NOT NULL,         -- ISO date, first day in force
    ends_on TEXT,                    -- ISO date the measure is lifted; NULL: until further notice
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lifted')),
    lifted_at TEXT,
    lifted_by TEXT,
    lift_reason TEXT                 -- 'expired' | 'early'
);
CREATE INDEX measure_terms_active ON measure_terms(status, ends_on);
-- Who holds an item ('post:ID', 'comment:ID') or a dossier ('incident:NUMBER').
CREATE TABLE claims (
    subject TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    holder TEXT NOT NULL,            -- account username
    claimed_at TEXT NOT NULL,
    claimed_by TEXT NOT NULL         -- the holder, or who assigned it
);
CREATE INDEX claims_holder ON claims(holder);
-- A parent's objection (to a photo of their child, a removal, a measure), to be decided
-- within the foundation's term.
CREATE TABLE objections (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    school_id TEXT NOT NULL,
    subject TEXT NOT NULL CHECK (subject IN ('photo', 'removal', 'measure')),
    received_on TEXT NOT NULL,       -- ISO date
    due_on TEXT NOT NULL,            -- ISO date: decide on or before
    text TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    event_id INTEGER,                -- the timeline entry that records it
    decision TEXT CHECK (decision IN ('upheld', 'rejected')),
    decision_reason TEXT,
    decided_by TEXT,
    decided_at TEXT,
    decision_event_id INTEGER
);
CREATE INDEX objections_open ON objections(school_id, decision, due_on);
-- The Meldcode track (domestic violence and child abuse): five steps, each once and in
-- order, kept apart from the timeline so that only the director and the AVG coordinator
-- read them.
CREATE TABLE meldcode_tracks (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    started_by TEXT NOT NULL
);
CREATE TABLE meldcode_steps (
    incident_id INTEGER NOT NULL REFERENCES meldcode_tracks(incident_id) ON DELETE CASCADE,
    step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 5),
    at TEXT NOT NULL,                -- when it happened (ISO date or timestamp)
    recorded_at TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('report', 'help')),   -- step 5 only
    PRIMARY KEY (incident_id, step)
);
-- Whose behaviour a dossier concerns: a parent (the default) or a staff member (a
-- teacher's own post removed: handled by the director, no talk with a parent).
ALTER TABLE incidents ADD COLUMN kind TEXT NOT NULL DEFAULT 'parent'
    CHECK (kind IN ('parent', 'staff'));
UPDATE incidents SET kind = 'staff' WHERE person_id IN
    (SELECT id FROM people WHERE role IN ('teacher', 'director', 'school_admin'));
"""

V_PORTAL_OUTBOX = """
-- Portal sync (README, "Portal sync"): the outbox of actions that carry decisions into
-- the portal, and each school's connector. An action is created in the transaction of
-- the decision that causes it; its id is the idempotency key and is never reused.
CREATE TABLE portal_actions (
    id TEXT PRIMARY KEY,             -- 'act-' + 26 characters
    seq INTEGER NOT NULL,            -- per school, strictly increasing
    school_id TEXT NOT NULL REFERENCES schools(id),
    group_id TEXT,                   -- whose administrators see it (NULL: the director)
    kind TEXT NOT NULL CHECK (kind IN ('remove_post', 'remove_comment', 'remove_media',
        'set_comments', 'restrict_member', 'lift_restriction')),
    target TEXT NOT NULL,            -- canonical JSON, as sent
    target_key TEXT NOT NULL,        -- 'post:ID', 'comment:ID', 'person:ID': ordering unit
    reason TEXT,
    incident TEXT,
    requested_by TEXT NOT NULL,      -- portal person id of the moderator, or 'system'
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
        ('pending', 'sent', 'accepted', 'done', 'refused', 'failing')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL,            -- unix seconds; NULL: at once
    last_error TEXT,
    receipt TEXT,                    -- JSON of the portal's final reply or receipt
    done_at TEXT,
    replaces TEXT REFERENCES portal_actions(id),   -- retried as a new action
    resolved_by TEXT,                -- refused action handled: retried or done by hand
    resolved_at TEXT,
    resolved_note TEXT,
    UNIQUE (school_id, seq)
);
CREATE INDEX portal_actions_open ON portal_actions(school_id, status, seq);
CREATE INDEX portal_actions_target ON portal_actions(school_id, target_key, seq);
-- One connector per school. Secrets are never stored: 'keys' names where each is read
-- (a file or an environment variable) at use.
CREATE TABLE portal_connectors (
    school_id TEXT PRIMARY KEY REFERENCES schools(id),
    kind TEXT NOT NULL CHECK (kind IN ('http', 'folder')),
    base_url TEXT,
    folder TEXT,
    ca_file TEXT,
    keys TEXT NOT NULL DEFAULT '[]', -- JSON list of {key_id, secret_file | secret_env}, newest first
    cursor TEXT,                     -- export cursor, stored only after a committed batch
    last_error TEXT,
    last_error_at TEXT,
    last_ok_at TEXT,
    configured_by TEXT NOT NULL,
    configured_at TEXT NOT NULL,
    lease_owner TEXT,                -- the one process sending this school's actions
    lease_until REAL
);
"""

V_AVG_DESK = """
-- Subject-access requests (AVG art. 15) as they arrive: who asked, about whom, when; the
-- statutory month runs from received_on. What an answer withheld (art. 15(4)) is kept.
CREATE TABLE subject_requests (
    id INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL,         -- the data subject (people.id; no FK: people are re-imported)
    requester TEXT NOT NULL,         -- who asked, as they named themselves
    received_on TEXT NOT NULL,       -- YYYY-MM-DD
    due_on TEXT NOT NULL,            -- received_on plus one calendar month
    answered_on TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    note TEXT,
    export_sha256 TEXT,              -- the JSON handed over, once answered
    withheld TEXT NOT NULL DEFAULT '[]'   -- passages left out, each with its ground
);
CREATE INDEX subject_requests_person ON subject_requests(person_id);
-- Chain of custody: a dossier export handed to the police, a lawyer or the inspectorate.
-- Kept by number, so the record of what left the school outlives the dossier.
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    incident_number TEXT NOT NULL,
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN
        ('police', 'lawyer', 'inspectorate', 'other')),
    recipient TEXT NOT NULL,
    reference TEXT,                  -- e.g. the police registration number
    handed_at TEXT NOT NULL,
    handed_by TEXT NOT NULL,
    sha256 TEXT NOT NULL,            -- of what was handed over
    path TEXT,                       -- the export file, relative to the archive
    recorded_at TEXT NOT NULL
);
CREATE INDEX handovers_incident ON handovers(incident_number);
"""

V_SEARCH_TRIGRAM = """
-- Search finds parts of words ('fiets' in 'Kinderfiets') and authors' names: a trigram
-- index beside the word index, one row per queue row (same rowid) holding the title, the
-- text and the author's name. Words shorter than three letters still use queue_fts.
CREATE VIRTUAL TABLE queue_trigram USING fts5(body, tokenize = 'trigram');
INSERT INTO queue_trigram (rowid, body)
SELECT q.rowid, trim(coalesce(po.title, '') || ' ' || coalesce(po.body, co.body, '') || ' '
                     || coalesce(pe.name, ''))
FROM queue_items q
LEFT JOIN posts po ON q.kind = 'post' AND po.id = q.item_id
LEFT JOIN comments co ON q.kind = 'comment' AND co.id = q.item_id
LEFT JOIN people pe ON pe.id = q.author_id;
"""

V_CHAIN_TRUST = """
-- Tamper evidence without switches: no row in an ordinary table turns the append-only
-- protection off. Timeline entries, hard copies and exports are never updated; they are
-- deleted only for an incident that has a destruction record (written first by the
-- retention destroy, itself append-only and chained in the audit log), so a forged
-- destruction row is caught by ``moderator verify``. The old 'destroying' switch goes.
DELETE FROM settings WHERE key = 'destroying';
DROP TRIGGER IF EXISTS incident_events_no_update;
DROP TRIGGER IF EXISTS incident_events_no_delete;
CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
WHEN NOT EXISTS (SELECT 1 FROM destructions d JOIN incidents i ON i.number = d.incident_number
                 WHERE i.id = OLD.incident_id)
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
CREATE TRIGGER hardcopies_no_update BEFORE UPDATE ON hardcopies
BEGIN SELECT RAISE(ABORT, 'hardcopies is append-only'); END;
CREATE TRIGGER hardcopies_no_delete BEFORE DELETE ON hardcopies
WHEN NOT EXISTS (SELECT 1 FROM destructions d JOIN incidents i ON i.number = d.incident_number
                 WHERE i.id = OLD.incident_id)
BEGIN SELECT RAISE(ABORT, 'hardcopies is append-only'); END;
CREATE TRIGGER exports_no_update BEFORE UPDATE ON exports
BEGIN SELECT RAISE(ABORT, 'exports is append-only'); END;
CREATE TRIGGER exports_no_delete BEFORE DELETE ON exports
WHEN NOT EXISTS (SELECT 1 FROM destructions d JOIN incidents i ON i.number = d.incident_number
                 WHERE i.id = OLD.incident_id)
BEGIN SELECT RAISE(ABORT, 'exports is append-only'); END;
CREATE TRIGGER destructions_no_update BEFORE UPDATE ON destructions
BEGIN SELECT RAISE(ABORT, 'destructions is append-only'); END;
CREATE TRIGGER destructions_no_delete BEFORE DELETE ON destructions
BEGIN SELECT RAISE(ABORT, 'destructions is append-only'); END;
"""

MIGRATIONS: list[str] = [V1, V2, V_EVENTS_APPEND_ONLY, V_QUEUE_TAGS, V_INTENT_INCIDENT,
                         V_BREACHES, V_LETTERS, V_WORD_SUGGESTIONS, V_TIME, V_PORTAL_OUTBOX,
                         V_AVG_DESK, V_SEARCH_TRIGRAM, V_CHAIN_TRUST]

# The migration after which existing timeline entries are sealed into the audit chain
# (moderator.store.integrity.seal_existing): entries written before it carry no hash.
SEAL_AT = MIGRATIONS.index(V_CHAIN_TRUST) + 1
