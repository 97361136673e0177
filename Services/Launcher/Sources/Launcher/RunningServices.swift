import Contracts
import RPC

/// What the commands that work on a running system check first: that the service they call answers in the run
/// directory they were given, so a wrong or missing `--run-dir` is one line naming the directory tried, not a
/// retry until a deadline.
enum RunningServices {
    /// Throws unless instance 0 of `kind` answers in `runDirectory`.
    static func require(_ kind: ServiceKind, in runDirectory: RunDirectory) throws {
        let socket = runDirectory.socket(kind, instance: 0)
        guard SocketFile.isLive(socket) else { throw LauncherError(notRunning(kind, runDirectory)) }
    }

    /// The message for a service that does not answer in `runDirectory`.
    static func notRunning(_ kind: ServiceKind, _ runDirectory: RunDirectory) -> String {
        "no SmartTicket \(kind.rawValue) service answers in the run directory \(runDirectory.path): start the system with "
            + "`smart-ticket serve --run-dir \(runDirectory.path)`, or pass the --run-dir it runs with"
    }
}
