import Foundation
import Posix
import Wire

/// The floor: the same frames echoed by a process doing nothing but blocking read and write.
enum RawEcho {
    /// Serves one connection at `path`, echoing every frame, until the peer closes.
    static func serve(path: String) throws {
        unlink(path)
        let listener = try Socket.listenUnix(path: path)
        let fd = try Socket.accept(listener)
        var decoder = FrameDecoder()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = try fd.read(into: buffer)
            if count == 0 { return }
            decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            while let frame = try decoder.nextFrame() {
                try Socket.sendAll(fd, FrameEncoder.frame(frame))
            }
        }
    }

    /// Round trips of `payload` with one in flight, through a raw echo process.
    static func measure(payload: [UInt8], iterations: Int, spawn: (String) throws -> pid_t) throws -> BenchResult {
        let path = NSTemporaryDirectory() + "st-raw-\(getpid()).sock"
        let pid = try spawn(path)
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            unlink(path)
        }
        var fd: FileDescriptor?
        for _ in 0..<500 {
            if let connected = try? Socket.connectUnix(path: path) { fd = connected; break }
            usleep(10_000)
        }
        guard let fd else { throw BenchError("raw echo server did not start") }
        defer { fd.close() }
        let frame = FrameEncoder.frame(payload)
        var decoder = FrameDecoder()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 8)
        defer { buffer.deallocate() }
        var samples = LatencySamples()
        let cpuBefore = ProcessCPU.microseconds(getpid()) + ProcessCPU.microseconds(pid)
        for iteration in 0..<(iterations + iterations / 10) {
            let start = Monotonic.nanoseconds()
            try Socket.sendAll(fd, frame)
            var got: [UInt8]?
            while got == nil {
                let count = try fd.read(into: buffer)
                guard count > 0 else { throw BenchError("raw echo server closed") }
                decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                got = try decoder.nextFrame()
            }
            if iteration >= iterations / 10 { samples.add(Double(Monotonic.nanoseconds() - start) / 1000) }
        }
        let calls = Double(iterations + iterations / 10)
        let cpu = Double(ProcessCPU.microseconds(getpid()) + ProcessCPU.microseconds(pid) - cpuBefore) / calls
        return BenchResult(name: "raw.echo.1", p50_us: samples.percentile(50), p99_us: samples.percentile(99), ops_per_s: 1e6 / samples.percentile(50),
                           note: String(format: "%d B, blocking read/write floor; %.0f us CPU per call, client and server", payload.count, cpu))
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
