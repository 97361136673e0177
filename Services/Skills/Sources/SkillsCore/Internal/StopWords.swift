import TextKit

/// English stop words (and a few ticket fillers) that LearnedSkills ignores, matched on lowercase bytes.
enum StopWords {
    static let words: [String] = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
        "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "don", "down", "during", "each", "else", "etc", "few", "for", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
        "into", "is", "isn", "it", "its", "itself", "just", "let", "may", "me", "might", "more", "most", "much",
        "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our",
        "ours", "out", "over", "own", "per", "same", "she", "should", "so", "some", "such", "than", "that", "the",
        "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "us", "very", "via", "was", "we", "were", "what", "when", "where", "which", "while",
        "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "e.g", "i.e", "eg", "ie", "cc",
        "re", "ve", "ll", "doesn", "didn", "won", "wasn", "aren", "shouldn", "couldn", "wouldn", "hasn", "haven",
        "get", "got", "make", "makes", "made", "see", "use", "used", "using", "now", "like", "well", "still",
    ]

    /// The stop words by `TokenTable.hash`; a hot loop may hold it in a local to skip the global's check.
    static let table: FrozenTokenTable = {
        var table = TokenTable()
        for word in words { table.insert(word) }
        return FrozenTokenTable(table)
    }()

    /// Whether the word of this `TokenTable.hash` and byte length is a stop word.
    @inline(__always)
    static func contains(hash: UInt64, length: Int, in table: FrozenTokenTable = table) -> Bool {
        length <= 8 && table.lookup(hash: hash, length: length) >= 0
    }
}
