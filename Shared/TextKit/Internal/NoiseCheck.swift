/// Tells text from noise by its letter pairs: in technical English (prose, identifiers, stack traces) at
/// least 77% of adjacent letter pairs are among the 181 commonest ones (those covering 90% of the pairs in
/// the numpy and ZooKeeper histories); in random printable or binary noise about 26% are, in hex dumps
/// about 47%. Text with at least 200 letter pairs and fewer than half of them common is noise.
enum NoiseCheck {
    static let minimumPairs = 200
    static let threshold = 0.5

    private static let common: [UInt64] = {
        let pairs = "abacadagaialamanaparasatavaybabeblbucacechcickclcoctcudadddedidodueaecedeeefelemeneperesetevewex"
            + "fafefifofrfugeghhahehihoiaicidieifigiliminioipirisitixkekilaldlelilllolsltlulymamemimmmompnancndnengni"
            + "nonpnsntnuocodofokolomonoooporosotouovowpapdpepiplpoppprptpyqurarergrirnrorrrsrtrurysascseshsisksospss"
            + "stsutatethtitotrtstttutyueuguiulumunupurusutvaveviwawewhwiypyt"
        var table = [UInt64](repeating: 0, count: 11)
        let bytes = Array(pairs.utf8)
        for index in stride(from: 0, to: bytes.count - 1, by: 2) {
            let bit = Int(bytes[index] - 0x61) * 26 + Int(bytes[index + 1] - 0x61)
            table[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        return table
    }()

    /// Whether `b` reads as noise rather than text; short texts are never judged noise.
    static func isNoise(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= minimumPairs else { return false }
        var total = 0
        var hits = 0
        var previous = -1
        common.withUnsafeBufferPointer { table in
            for byte in b {
                let letter = Int(byte | 0x20) &- 0x61
                guard letter >= 0, letter < 26, byte & 0x80 == 0 else {
                    previous = -1
                    continue
                }
                if previous >= 0 {
                    let bit = previous * 26 + letter
                    total += 1
                    if table[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { hits += 1 }
                }
                previous = letter
            }
        }
        return total >= minimumPairs && Double(hits) < threshold * Double(total)
    }
}
