import Foundation
import Posix
import Testing

/// After a large transient load the heap's free pages go back to the system, so the resident size shows what is kept.
struct ProcessMemoryTests {
    /// VmRSS of this process, in KiB.
    func residentKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test func freedHeapPagesLeaveTheResidentSize() throws {
        // 64 MiB in 32 KiB blocks (below malloc's mmap threshold: they come from the heap), touched; then every other
        // block freed, so the 32 MiB free cannot merge into the heap's top and free alone keeps it resident.
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<2048 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: 32 << 10, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: 32 << 10)
            blocks.append(block)
        }
        defer { for block in blocks.enumerated() where block.offset % 2 == 1 { block.element.deallocate() } }
        for block in blocks.enumerated() where block.offset % 2 == 0 { block.element.deallocate() }
        let before = try residentKiB()
        ProcessMemory.returnFreePages()
        let after = try residentKiB()
        #expect(after < before - 16 << 10, "resident \(before) KiB before returning the free pages, \(after) KiB after")
    }
}
