/// The database schema as numbered migrations, applied in order at start-up.
///
/// Every table but `tenants` has a `tenant` column that leads its primary key, so every query is
/// scoped by tenant and a tenant's rows are deleted with one `DELETE ... WHERE tenant = ?` per table.
enum Schema {
    /// Migration `n` brings the database from version `n - 1` to `n` (`PRAGMA user_version`).
    static let migrations: [String] = [
        // 1: the initial schema.
        """
        CREATE TABLE tenants(
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            jira_site TEXT,
            jira_cloud_id TEXT,
            installed_at REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE projects(
            tenant TEXT NOT NULL,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            settings BLOB NOT NULL,
            PRIMARY KEY(tenant, key)
        ) WITHOUT ROWID;
        CREATE TABLE people(
            seq INTEGER PRIMARY KEY,
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            display_name TEXT NOT NULL,
            active INTEGER NOT NULL,
            body BLOB NOT NULL,
            updated REAL NOT NULL,
            UNIQUE(tenant, id)
        );
        CREATE TABLE tickets(
            seq INTEGER PRIMARY KEY,
            tenant TEXT NOT NULL,
            key TEXT NOT NULL,
            project TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            components TEXT NOT NULL,
            labels TEXT NOT NULL,
            priority TEXT,
            story_points REAL,
            status TEXT NOT NULL,
            assignee TEXT,
            created REAL NOT NULL,
            updated REAL NOT NULL,
            resolved REAL,
            fingerprint INTEGER NOT NULL,
            UNIQUE(tenant, key)
        );
        CREATE INDEX tickets_by_project ON tickets(tenant, project, seq);
        CREATE INDEX tickets_by_status ON tickets(tenant, status, seq);
        CREATE INDEX tickets_by_assignee ON tickets(tenant, assignee, seq);
        CREATE INDEX tickets_by_updated ON tickets(tenant, updated);
        CREATE TABLE ticket_skills(
            tenant TEXT NOT NULL,
            ticket TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            skills BLOB NOT NULL,
            PRIMARY KEY(tenant, ticket)
        ) WITHOUT ROWID;
        CREATE TABLE skill_profiles(
            tenant TEXT NOT NULL,
            person TEXT NOT NULL,
            skills BLOB NOT NULL,
            updated REAL NOT NULL,
            PRIMARY KEY(tenant, person)
        ) WITHOUT ROWID;
        CREATE TABLE decisions(
            id INTEGER PRIMARY KEY,
            tenant TEXT NOT NULL,
            ticket TEXT NOT NULL,
            project TEXT NOT NULL,
            mode TEXT NOT NULL,
            chosen TEXT,
            previous TEXT,
            candidates BLOB NOT NULL,
            actor TEXT NOT NULL,
            at REAL NOT NULL,
            reason TEXT
        );
        CREATE INDEX decisions_by_ticket ON decisions(tenant, ticket, id);
        CREATE INDEX decisions_by_project ON decisions(tenant, project, id);
        CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
        CREATE TABLE roles(
            tenant TEXT NOT NULL,
            principal TEXT NOT NULL,
            project TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY(tenant, principal, project)
        ) WITHOUT ROWID;
        CREATE TABLE cache(
            tenant TEXT NOT NULL,
            namespace TEXT NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            expires_at REAL NOT NULL,
            PRIMARY KEY(tenant, namespace, key)
        ) WITHOUT ROWID;
        CREATE INDEX cache_by_expiry ON cache(expires_at);
        CREATE TABLE sync_state(
            tenant TEXT NOT NULL,
            project TEXT NOT NULL,
            cursor TEXT,
            last_sync REAL,
            PRIMARY KEY(tenant, project)
        ) WITHOUT ROWID;
        CREATE TABLE settings(
            tenant TEXT NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY(tenant, key)
        ) WITHOUT ROWID;
        """,
        // 2: a data version per tenant, bumped by triggers in the same transaction as any write to its
        // people or tickets, so caches of them (the scoring service's snapshot) are invalidated exactly.
        // Values come from one global sequence, so a purged and re-created tenant never repeats one.
        """
        CREATE TABLE data_version_seq(id INTEGER PRIMARY KEY CHECK(id = 1), value INTEGER NOT NULL);
        INSERT INTO data_version_seq(id, value) VALUES(1, 0);
        CREATE TABLE data_versions(
            tenant TEXT PRIMARY KEY,
            version INTEGER NOT NULL
        ) WITHOUT ROWID;
        \(dataVersionTrigger("people_insert", "INSERT ON people", "NEW"))
        \(dataVersionTrigger("people_update", "UPDATE ON people", "NEW"))
        \(dataVersionTrigger("people_delete", "DELETE ON people", "OLD"))
        \(dataVersionTrigger("tickets_insert", "INSERT ON tickets", "NEW"))
        \(dataVersionTrigger("tickets_update", "UPDATE ON tickets", "NEW"))
        \(dataVersionTrigger("tickets_delete", "DELETE ON tickets", "OLD"))
        """,
        // 3: the skills a ticket needs at a minimum level (JSON array of {skill, minLevel}), NULL for none of its own.
        """
        ALTER TABLE tickets ADD COLUMN required_skills TEXT;
        """,
        // 4: leases for work that runs in one place at a time (not tenant data: never purged), and the index the
        // retention job deletes old suggestions by.
        """
        CREATE TABLE leases(
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX decisions_by_mode_age ON decisions(mode, at);
        """,
        // 5: the data version at each ticket's last write, so another process can follow what changed since a version
        // (`storage.v1/ChangedTickets`); the overrides of a tenant found without reading its suggestions; and tenant
        // settings (custom skills, Jira connection) bump the data version too, so every pod's caches see them.
        """
        ALTER TABLE tickets ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX tickets_by_changed ON tickets(tenant, changed);
        CREATE INDEX decisions_by_tenant_mode ON decisions(tenant, mode, id);
        \(dataVersionTrigger("settings_insert", "INSERT ON settings", "NEW"))
        \(dataVersionTrigger("settings_update", "UPDATE ON settings", "NEW"))
        \(dataVersionTrigger("settings_delete", "DELETE ON settings", "OLD"))
        """,
        // 6: the audit record of admin changes (settings, roles, custom skills, people): who, when, what, and the JSON
        // before and after. Append-only (an UPDATE is refused; rows go only with their tenant); `project` is NULL for
        // tenant-wide changes. Indexes for the audit list's filters, and for decisions by person and by date.
        """
        CREATE TABLE audit(
            id INTEGER PRIMARY KEY,
            tenant TEXT NOT NULL,
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            project TEXT,
            target TEXT NOT NULL,
            before BLOB,
            after BLOB
        );
        CREATE INDEX audit_by_tenant ON audit(tenant, id);
        CREATE INDEX audit_by_project ON audit(tenant, project, id);
        CREATE INDEX audit_by_kind ON audit(tenant, kind, id);
        CREATE INDEX audit_by_target ON audit(tenant, target, id);
        CREATE INDEX audit_by_at ON audit(tenant, at);
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
        CREATE INDEX decisions_by_chosen ON decisions(tenant, chosen, id);
        CREATE INDEX decisions_by_previous ON decisions(tenant, previous, id);
        CREATE INDEX decisions_by_at ON decisions(tenant, at);
        """,
        // 7: every recommendation appends a suggestion, so the decisions' indexes leave out what does not need them
        // (partial indexes: a suggestion updates three indexes, not seven): the kept decisions (assignments, overrides)
        // by mode and by person, the suggestions by date for the retention job; the audit's `since` filters as it
        // reads.
        leanDecisionIndexes,
        // 8: SmartTicket's HS256 tokens by id (`jti`): who made each, its name, kind (`api`, `cli`, `session`,
        // `unregistered`), scope (JSON project -> role), expiry and revocation. A denylist: an id that is not here is
        // live while its signature and expiry hold; a revoked one (`revoked_at` set) is refused on the next request.
        """
        CREATE TABLE api_tokens(
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            owner TEXT NOT NULL,
            name TEXT NOT NULL,
            roles BLOB NOT NULL,
            kind TEXT NOT NULL,
            created_at REAL NOT NULL,
            expires_at REAL,
            revoked_at REAL,
            revoked_by TEXT,
            PRIMARY KEY(tenant, id)
        ) WITHOUT ROWID;
        CREATE INDEX api_tokens_by_owner ON api_tokens(tenant, owner, created_at);
        """,
        // 9: the right to erasure (`Store.erasePerson`): the pseudonyms of the people erased in a tenant (so a later import
        // or sync of the same id stores the pseudonym), the tenant's key for making them, and a data generation per tenant
        // that an erasure changes, so every process drops what it keeps of the tenant.
        personErasure,
    ]

    /// Migration 9 on both engines.
    static let personErasure = """
        CREATE TABLE erased_people(
            tenant TEXT NOT NULL,
            pseudonym TEXT NOT NULL,
            erased_at REAL NOT NULL,
            PRIMARY KEY(tenant, pseudonym)
        );
        ALTER TABLE tenants ADD COLUMN pseudonym_key BLOB;
        ALTER TABLE data_versions ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
        """

    /// Migration 7 on both engines (the same SQL on SQLite and PostgreSQL; see the comment at its place in
    /// ``migrations``).
    static let leanDecisionIndexes = """
        DROP INDEX decisions_by_mode_age;
        DROP INDEX decisions_by_tenant_mode;
        DROP INDEX decisions_by_chosen;
        DROP INDEX decisions_by_previous;
        DROP INDEX decisions_by_at;
        CREATE INDEX decisions_kept_by_mode ON decisions(tenant, mode, id) WHERE mode <> 'suggested';
        CREATE INDEX decisions_kept_by_chosen ON decisions(tenant, chosen, id) WHERE mode <> 'suggested';
        CREATE INDEX decisions_kept_by_previous ON decisions(tenant, previous, id) WHERE mode <> 'suggested';
        CREATE INDEX decisions_suggested_by_at ON decisions(at) WHERE mode = 'suggested';
        """

    /// A trigger that bumps the data version of the row's tenant after `event` (`row` is NEW or OLD).
    private static func dataVersionTrigger(_ name: String, _ event: String, _ row: String) -> String {
        """
        CREATE TRIGGER data_version_\(name) AFTER \(event) BEGIN
            UPDATE data_version_seq SET value = value + 1 WHERE id = 1;
            INSERT INTO data_versions(tenant, version) SELECT \(row).tenant, value FROM data_version_seq WHERE id = 1
                ON CONFLICT(tenant) DO UPDATE SET version = excluded.version;
        END;
        """
    }

    /// Every table holding tenant rows, and the column naming the tenant.
    static let tenantTables: [(table: String, column: String)] = [
        ("projects", "tenant"), ("people", "tenant"), ("tickets", "tenant"), ("ticket_skills", "tenant"),
        ("skill_profiles", "tenant"), ("decisions", "tenant"), ("roles", "tenant"), ("cache", "tenant"),
        ("sync_state", "tenant"), ("settings", "tenant"), ("data_versions", "tenant"), ("audit", "tenant"), ("api_tokens", "tenant"),
        ("erased_people", "tenant"), ("tenants", "id"),
    ]

    /// The version a fully migrated database has.
    static var latestVersion: Int { migrations.count }
}
