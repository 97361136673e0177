import Testing
@testable import StorageService

/// SQLite's `?` parameters rewritten as PostgreSQL's `$N` (no server needed).
@Suite struct PostgresPlaceholdersTests {
    @Test func bareAndNumberedParametersAreNumberedAsSQLiteNumbersThem() {
        #expect(PostgresPlaceholders.rewrite("SELECT 1").sql == "SELECT 1")
        #expect(PostgresPlaceholders.rewrite("INSERT INTO t(a, b) VALUES(?, ?)") == ("INSERT INTO t(a, b) VALUES($1, $2)", 2))
        #expect(PostgresPlaceholders.rewrite("WHERE tenant = ? AND (?2 IS NULL OR p = ?2) AND x = ?")
                == ("WHERE tenant = $1 AND ($2 IS NULL OR p = $2) AND x = $3", 3))
        #expect(PostgresPlaceholders.rewrite("WHERE a = ?3 AND b = ?1") == ("WHERE a = $3 AND b = $1", 3))
    }

    @Test func questionMarksInLiteralsIdentifiersAndCommentsStay() {
        #expect(PostgresPlaceholders.rewrite("SELECT '?', 'it''s ?', \"col?\" FROM t WHERE a = ?")
                == ("SELECT '?', 'it''s ?', \"col?\" FROM t WHERE a = $1", 1))
        #expect(PostgresPlaceholders.rewrite("SELECT ? -- why?\n, ? /* what? */ , ?")
                == ("SELECT $1 -- why?\n, $2 /* what? */ , $3", 3))
        #expect(PostgresPlaceholders.rewrite("SELECT 'unterminated ?").sql == "SELECT 'unterminated ?")
        #expect(PostgresPlaceholders.rewrite("SELECT é, ? -- ü").sql == "SELECT é, $1 -- ü")
    }
}
