/// Inputs that make naive text scanners quadratic or deep (long runs of separators, dots, markup openers, a huge URL):
/// a scanner must get through each of them (the test run's time limit catches one that does not; how fast it is,
/// the bench measures).
public enum PathologicalText {
    public static let inputs = [
        String(repeating: "np.", count: 30_000),
        String(repeating: "aB", count: 40_000),
        String(repeating: "c++", count: 30_000),
        String(repeating: "{code:", count: 15_000),
        String(repeating: "a/", count: 40_000),
        "https://" + String(repeating: "x", count: 100_000),
    ]
}
