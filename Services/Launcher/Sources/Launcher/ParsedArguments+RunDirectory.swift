import Contracts
import Lifecycle

extension ParsedArguments {
    /// `--run-dir` as an absolute path (default `./run`): where the commands find a running system's sockets.
    var runDirectory: RunDirectory { RunDirectory(path: ServeCommand.absolute(self["run-dir"] ?? "./run")) }
}
