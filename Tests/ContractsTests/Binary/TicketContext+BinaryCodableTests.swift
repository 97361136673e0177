import Contracts
import Foundation
import Testing

@Suite struct TicketContextBinaryCodableTests {
    @Test func request() throws {
        try BinaryCodableCheck.check(StorageContract.TicketContextRequest(key: "PAY-12", settingPrefix: "jira.assignable."), complete: true)
        try BinaryCodableCheck.check(StorageContract.TicketContextRequest(key: ""), complete: false)
    }

    @Test func context() throws {
        let full = StorageContract.TicketContext(ticket: Fixtures.ticket, project: Fixtures.project, setting: Data("[\"alice\"]".utf8),
                                                 skills: Fixtures.storedSkills, dataVersion: "v42")
        try BinaryCodableCheck.check(full, complete: true)
        try BinaryCodableCheck.check(StorageContract.TicketContext(ticket: Fixtures.minimalTicket, project: nil, dataVersion: ""), complete: false)
        // Empty bytes are not nil.
        try BinaryCodableCheck.check(StorageContract.TicketContext(ticket: Fixtures.minimalTicket, project: Fixtures.minimalProject,
                                                                   setting: Data(), skills: Fixtures.minimalStoredSkills, dataVersion: ""),
                                     complete: false, corruptBytes: false)
    }

    @Test func storedSkills() throws {
        try BinaryCodableCheck.check(Fixtures.storedSkills, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalStoredSkills, complete: false)
    }
}
