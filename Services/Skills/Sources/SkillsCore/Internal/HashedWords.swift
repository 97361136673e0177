/// A field's words as the matcher found them, with each word's `TokenTable.hash`, so that the learned
/// terms of the same text need no second tokenization (see `TermExtractor`).
struct HashedWords {
    var words: [Tokenizer.Word] = []
    var hashes: [UInt64] = []
}
