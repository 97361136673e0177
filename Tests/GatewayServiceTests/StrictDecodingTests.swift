import Foundation
import Model
import Testing
@testable import GatewayService

/// PATCH and PUT bodies: a field the route does not take is a 400 naming it (a misspelt field once
/// answered 200 and changed nothing), and enum values that do not exist name the ones that do.
@Suite struct StrictDecodingTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The message of the 400 that decoding `text` as `T` throws, nil if it decodes.
    private func refusal<T: Codable>(_ type: T.Type, _ text: String) -> String? {
        do {
            _ = try JSONCoding.decodeStrict(type, from: bytes(text))
            return nil
        } catch let error as APIError {
            #expect(error.status == 400 && error.code == "INVALID_ARGUMENT")
            return error.message
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func anUnknownTopLevelFieldIsNamedWithTheFieldsTheRouteTakes() {
        #expect(refusal(TicketPatch.self, #"{"titel":"New title"}"#)
                == "unknown field `titel`; the fields are components, description, labels, priority, requiredSkills, status, storyPoints, title")
        // Known fields next to it do not hide it.
        #expect(refusal(TicketPatch.self, #"{"title":"New title","assigne":"ada"}"#)?.hasPrefix("unknown field `assigne`;") == true)
        #expect(refusal(PersonPatch.self, #"{"capacity":10}"#)?.hasPrefix("unknown field `capacity`; the fields are active, capacityUnit,") == true)
    }

    @Test func unknownNestedFieldsAreNamedByTheirPath() {
        #expect(refusal(PersonPatch.self, #"{"workingHours":{"start":"09:00","end":"17:00","days":[1],"strat":"08:00"}}"#)
                == "unknown field `workingHours.strat`; check its spelling against GET /api/v1/openapi.json")
        #expect(refusal(PersonPatch.self, #"{"timeOff":[{"start":"2026-01-01","end":"2026-01-02"},{"start":"2026-02-01","end":"2026-02-01","reson":"x"}]}"#)?
                    .hasPrefix("unknown field `timeOff[1].reson`") == true)
        #expect(refusal(ProjectSettings.self, #"{"weights":{"skillFit":1},"autoAssign":true,"confidenceThreshold":0.3,"staleDays":30,"candidatePool":"all","autoassign":false}"#)?
                    .hasPrefix("unknown field `autoassign`") == true)
    }

    @Test func knownFieldsAndNullsDecode() throws {
        let patch = try JSONCoding.decodeStrict(TicketPatch.self, from: bytes(#"{"title":"T","storyPoints":3,"status":"done","priority":null}"#))
        #expect(patch.title == "T" && patch.storyPoints == 3 && patch.status == .done && patch.priority == nil)
        let person = try JSONCoding.decodeStrict(PersonPatch.self, from: bytes(
            #"{"timeOff":[{"start":"2026-01-01","end":"2026-01-02","reason":null}],"workingHours":{"start":"08:00","end":"16:00","days":[1,2]},"active":false}"#))
        #expect(person.timeOff?.count == 1 && person.workingHours?.days == [1, 2] && person.active == false)
        // Settings as GET answers them go back unchanged through PUT (the panel sends them so).
        let settings = ProjectSettings(autoAssign: true, defaultAssignee: "ada")
        #expect(try JSONCoding.decodeStrict(ProjectSettings.self, from: JSONCoding.encode(settings)) == settings)
        #expect(try JSONCoding.decodeStrict(ProjectSettings.self, from: JSONCoding.encode(ProjectSettings())) == ProjectSettings())
    }

    @Test func enumFailuresNameTheAllowedValues() {
        struct RoleBody: Codable { let role: Role }
        #expect(refusal(RoleBody.self, #"{"role":"owner"}"#) == "field `role`: must be one of admin, member, viewer")
        #expect(refusal(TicketPatch.self, #"{"status":"closed"}"#) == "field `status`: must be one of done, in_progress, todo")
        #expect(Role.allowedValues == "admin, member, viewer")
        // Through the lenient decoding of POST bodies too.
        #expect(throws: APIError.badRequest("field `role`: must be one of admin, member, viewer")) {
            try JSONCoding.decode(RoleBody.self, from: Array(#"{"role":"Admin"}"#.utf8))
        }
    }

    /// Wrong types are named as JSON has them, not as Swift does (`Array<Any>`, `Dictionary<String, Any>`).
    @Test func typeErrorsSpeakJSON() {
        #expect(refusal(TicketPatch.self, #"{"labels":"bug"}"#) == "field `labels`: expected an array")
        #expect(refusal(TicketPatch.self, #"{"title":7}"#) == "field `title`: expected a string")
        #expect(refusal(TicketPatch.self, #"{"storyPoints":"three"}"#) == "field `storyPoints`: expected a number")
        #expect(refusal(PersonPatch.self, #"{"active":"yes"}"#) == "field `active`: expected true or false")
        #expect(refusal(PersonPatch.self, #"{"workingHours":[]}"#) == "field `workingHours`: expected an object")
        #expect(refusal(PersonPatch.self, #"{"workingHours":{"start":"09:00","end":"17:00","days":["mon"]}}"#)
                == "field `workingHours.days[0]`: expected a whole number")
        // A fraction for a whole number: valid JSON, not "malformed".
        #expect(refusal(ProjectSettings.self, #"{"weights":{},"autoAssign":true,"confidenceThreshold":0.3,"staleDays":1.5,"candidatePool":"all"}"#)
                == "a number in the body does not fit its field: whole numbers take no fraction, and numbers must be in range")
        #expect(refusal(TicketPatch.self, #"{"title":"#) == "malformed JSON body")
    }
}
