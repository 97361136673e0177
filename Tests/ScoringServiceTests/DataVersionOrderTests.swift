import Testing
@testable import ScoringService

/// A snapshot may serve a request only if it is at least as fresh as the data version the request saw.
@Suite struct DataVersionOrderTests {
    @Test func laterVersionsOfTheSameOpeningServeEarlierOnes() {
        let epoch = "0F2C7A9E-1B2C-4D5E-8F90-123456789ABC"
        #expect(TenantSnapshots.version("\(epoch)-7", isAtLeast: "\(epoch)-7"))
        #expect(TenantSnapshots.version("\(epoch)-12", isAtLeast: "\(epoch)-7"))   // numerically, not as text
        #expect(!TenantSnapshots.version("\(epoch)-7", isAtLeast: "\(epoch)-12"))
        #expect(!TenantSnapshots.version("\(epoch)-6", isAtLeast: "\(epoch)-7"))
    }

    @Test func versionsOfDifferentOpeningsOrMalformedOnesOnlyMatchExactly() {
        let first = "0F2C7A9E-1B2C-4D5E-8F90-123456789ABC"
        let second = "AAAAAAAA-1B2C-4D5E-8F90-123456789ABC"
        #expect(!TenantSnapshots.version("\(second)-99", isAtLeast: "\(first)-1"))
        #expect(!TenantSnapshots.version("\(first)-99", isAtLeast: "\(second)-1"))
        #expect(!TenantSnapshots.version("\(first)-x", isAtLeast: "\(first)-1"))
        #expect(!TenantSnapshots.version("garbage", isAtLeast: "\(first)-1"))
        #expect(TenantSnapshots.version("garbage", isAtLeast: "garbage"))
    }
}
