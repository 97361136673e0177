/// Options several commands share, worded once.
extension CommandSpec.Option {
    /// `--run-dir DIR`: where a running system keeps its sockets.
    public static let runDir = Self("run-dir", value: "DIR", help: "Run directory of the running system (default ./run).")
    /// `--quiet`: no progress bar on standard error.
    public static let quiet = Self("quiet", help: "No progress bar.")
    /// `--json`: machine-readable output, one JSON object per line.
    public static let jsonLines = Self("json", help: "One JSON object per line.")

    /// `--tenant T`, described for the command at hand.
    public static func tenant(_ help: String) -> Self { Self("tenant", value: "T", help: help) }
    /// `--config FILE`, described for the command at hand.
    public static func config(_ help: String) -> Self { Self("config", value: "FILE", help: help) }
    /// `--data-dir DIR`, described for the command at hand.
    public static func dataDir(_ help: String) -> Self { Self("data-dir", value: "DIR", help: help) }
    /// `--bin-dir DIR`, described for the command at hand.
    public static func binDir(_ help: String) -> Self { Self("bin-dir", value: "DIR", help: help) }
}
