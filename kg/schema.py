"""Versioned schema of the embedded store.  Append a migration; never edit a shipped one.

Room is left for later work: ``marking``/``release_to`` on documents and passages (access
control), stable clause ids (mandate lineage), ``entity_merges`` (reversible entity
resolution) and, from migration 4, ``lesson_state``/``lesson_events`` (the lessons-learned
process, kept under a lesson's stable key so a file's rewrite leaves them alone).
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the backbone
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE files (
        path TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        documents INTEGER NOT NULL,
        ingested_at TEXT NOT NULL
    );

    CREATE TABLE documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        record TEXT,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        title TEXT,
        kind TEXT NOT NULL DEFAULT 'other',
        symbol TEXT,
        date TEXT,
        text TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        marking TEXT,
        release_to TEXT,
        ingested_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX documents_source_record ON documents(source, IFNULL(record, ''));
    CREATE INDEX documents_symbol ON documents(symbol);
    CREATE INDEX documents_kind ON documents(kind);

    CREATE TABLE passages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the FAISS cache keys on it
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        page INTEGER,
        paragraph TEXT,
        section TEXT,
        norm_hash TEXT NOT NULL,
        marking TEXT,
        UNIQUE (doc_id, seq)
    );
    CREATE INDEX passages_hash ON passages(norm_hash);

    CREATE VIRTUAL TABLE passages_fts USING fts5(text, title, tokenize='porter unicode61');
    CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
        DELETE FROM passages_fts WHERE rowid = old.id;
    END;

    CREATE TABLE vectors (
        passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
        vec BLOB NOT NULL
    );

    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        props TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX entities_name ON entities(name COLLATE NOCASE);

    CREATE TABLE entity_aliases (
        alias TEXT NOT NULL COLLATE NOCASE,
        entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        PRIMARY KEY (alias, entity_id)
    );

    CREATE TABLE entity_merges (
        id INTEGER PRIMARY KEY,
        from_id TEXT NOT NULL,
        into_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        undone_at TEXT
    );

    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        entity_id TEXT NOT NULL REFERENCES entities(id),
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        passage_id INTEGER REFERENCES passages(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE INDEX mentions_doc ON mentions(doc_id);
    CREATE INDEX mentions_passage ON mentions(passage_id);

    CREATE TABLE resolutions (
        symbol TEXT NOT NULL,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number INTEGER,
        year INTEGER,
        adopted TEXT,
        action TEXT NOT NULL DEFAULT 'other',
        chapter_vii INTEGER NOT NULL DEFAULT 0,
        mandate_until TEXT,
        mandate_period TEXT,
        missions TEXT NOT NULL DEFAULT '[]',
        cites TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (symbol, doc_id)
    );
    CREATE INDEX resolutions_number ON resolutions(number, year);

    CREATE TABLE clauses (
        id TEXT NOT NULL,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        seq INTEGER NOT NULL,
        paragraph TEXT NOT NULL,
        part TEXT NOT NULL,
        verb TEXT,
        text TEXT NOT NULL,
        tasks TEXT NOT NULL DEFAULT '[]',
        passage_id INTEGER REFERENCES passages(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (id, doc_id)
    );
    CREATE INDEX clauses_symbol ON clauses(symbol);

    CREATE TABLE incidents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        passage_id INTEGER REFERENCES passages(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        date TEXT,
        place TEXT,
        actors TEXT NOT NULL DEFAULT '[]',
        killed INTEGER,
        injured INTEGER,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );

    CREATE TABLE lessons (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        passage_id INTEGER REFERENCES passages(id) ON DELETE CASCADE,
        title TEXT,
        observation TEXT,
        recommendation TEXT,
        lesson TEXT,
        origin TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'observation',
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );

    CREATE TABLE lesson_status_history (
        id INTEGER PRIMARY KEY,
        lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT
    );

    CREATE TABLE relations (
        id INTEGER PRIMARY KEY,
        src TEXT NOT NULL,
        rel TEXT NOT NULL,
        dst TEXT NOT NULL,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        passage_id INTEGER REFERENCES passages(id) ON DELETE CASCADE,
        start INTEGER,
        end INTEGER,
        props TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX relations_src ON relations(src, rel);
    CREATE INDEX relations_dst ON relations(dst, rel);
    CREATE INDEX relations_doc ON relations(doc_id);
    """,
    # 2: reversible entity merges keep the id extraction gave each mention and relation
    """
    ALTER TABLE mentions ADD COLUMN original_id TEXT;
    ALTER TABLE relations ADD COLUMN original_src TEXT;
    ALTER TABLE relations ADD COLUMN original_dst TEXT;
    CREATE INDEX mentions_original ON mentions(original_id);
    CREATE INDEX entity_merges_from ON entity_merges(from_id);
    """,
    # 3: every column a delete cascades through is indexed; without these, forgetting a file
    # scanned each child table once per passage (88 s for 1,000 documents of a 1M-passage store)
    """
    CREATE INDEX relations_passage ON relations(passage_id);
    CREATE INDEX clauses_doc ON clauses(doc_id);
    CREATE INDEX clauses_passage ON clauses(passage_id);
    CREATE INDEX resolutions_doc ON resolutions(doc_id);
    CREATE INDEX incidents_doc ON incidents(doc_id);
    CREATE INDEX incidents_passage ON incidents(passage_id);
    CREATE INDEX lessons_doc ON lessons(doc_id);
    CREATE INDEX lessons_passage ON lessons(passage_id);
    CREATE INDEX lesson_status_history_lesson ON lesson_status_history(lesson_id);
    """,
    # 4: the lessons-learned process (kg.lifecycle): state and events under the lesson's stable key,
    # outside the rows a re-ingest deletes; keys of existing lessons are filled in on open
    """
    ALTER TABLE lessons ADD COLUMN key TEXT;
    CREATE INDEX lessons_key ON lessons(key);
    CREATE INDEX lessons_status ON lessons(status);
    CREATE TABLE lesson_state (
        key TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        owner TEXT,
        action_plan TEXT,
        due TEXT,
        updated_at TEXT,
        updated_by TEXT
    );
    CREATE TABLE lesson_events (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT,
        reason TEXT
    );
    CREATE INDEX lesson_events_key ON lesson_events(key, id);
    DROP TABLE lesson_status_history;
    """,
    # 5: the two fields of a labelled after-action record that have no place among the first three,
    # and a lesson's planning topic: suggested (topic_by 'suggestion', with its score) or set by a person
    """
    ALTER TABLE lessons ADD COLUMN discussion TEXT;
    ALTER TABLE lessons ADD COLUMN conclusion TEXT;
    ALTER TABLE lesson_state ADD COLUMN topic TEXT;
    ALTER TABLE lesson_state ADD COLUMN topic_by TEXT;
    ALTER TABLE lesson_state ADD COLUMN topic_score REAL;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
