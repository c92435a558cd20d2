extension CorpusExpectation {
    static let tokensAndIdentities: [CorpusExpectation] = [
    ]
}
