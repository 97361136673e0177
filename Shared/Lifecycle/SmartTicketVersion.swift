/// The product version, reported by every service's `info.v1/Get`.
public enum SmartTicketVersion {
    public static let current = "0.1.0"
}
