extension CorpusExpectation {
    static let errorsStorageAndBundles: [CorpusExpectation] = [
    ]
}
