import Posix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a supervised service is given by its launcher (`smart-ticket serve`), read from its environment: a pipe to
/// say it is ready on (it writes one byte once it serves; its exit closes the pipe), and a lifeline (the read end of a
/// pipe only the launcher writes to: end of file means the launcher died). Neither is there when a service is started
/// by hand or by a test.
public struct Supervision: Sendable {
    /// The descriptor numbers a child is given its ends at, and the variables naming them.
    public static let readyNumber: Int32 = 3
    public static let lifelineNumber: Int32 = 4
    public static let readyVariable = "SMART_TICKET_READY_FD"
    public static let lifelineVariable = "SMART_TICKET_LIFELINE_FD"

    public let readyPipe: FileDescriptor?
    public let lifeline: FileDescriptor?

    public init(environment: [String: String]) {
        readyPipe = environment[Self.readyVariable].flatMap(Int32.init).map(FileDescriptor.init(rawValue:))
        lifeline = environment[Self.lifelineVariable].flatMap(Int32.init).map(FileDescriptor.init(rawValue:))
    }

    /// The lifeline of this process's children: a pipe whose write end this process holds until it exits (nil if no
    /// pipe could be made: children then do not follow it).
    public static let lifelinePipe: (read: FileDescriptor, write: FileDescriptor)? = try? SignalPipe.make()

    /// What to give a child so that it follows this process (the lifeline) and, with `ready` (the write end of a
    /// ``SignalPipe/make()`` pipe), says when it serves: the descriptors to pass and the environment naming them.
    public static func handing(ready: FileDescriptor?) -> (passing: [(FileDescriptor, Int32)], environment: [String: String]) {
        var passing: [(FileDescriptor, Int32)] = []
        var environment: [String: String] = [:]
        if let ready {
            passing.append((ready, readyNumber))
            environment[readyVariable] = String(readyNumber)
        }
        if let lifeline = lifelinePipe?.read {
            passing.append((lifeline, lifelineNumber))
            environment[lifelineVariable] = String(lifelineNumber)
        }
        return (passing, environment)
    }

    /// Tells the launcher the service serves (once; nothing without a ready pipe).
    public func ready() {
        guard let readyPipe else { return }
        var byte: UInt8 = 1
        _ = write(readyPipe.rawValue, &byte, 1)
        readyPipe.close()
    }
}
