import Contracts
import Testing

@Suite struct ProjectBinaryCodableTests {
    @Test func project() throws {
        try BinaryCodableCheck.check(Fixtures.project, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalProject, complete: false)
    }

    @Test func settings() throws {
        try BinaryCodableCheck.check(Fixtures.settings, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalSettings, complete: false)
        try BinaryCodableCheck.check(ProjectSettings(), complete: false, corruptBytes: false)
    }
}
