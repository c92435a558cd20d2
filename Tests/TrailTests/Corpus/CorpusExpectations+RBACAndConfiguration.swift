extension CorpusExpectation {
    static let rbacAndConfiguration: [CorpusExpectation] = [
    ]
}
