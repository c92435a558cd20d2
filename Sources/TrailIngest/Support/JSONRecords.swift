import TrailModel

extension ParseInput {
    /// Hands each JSON value of the input to `handle`, which emits its records. Broken JSON, and
    /// values `handle` refuses with a `JSONElementError`, become rejects; reading goes on.
    func forEachJSONRecord(unwrapping keys: Set<String> = ["value"], into sink: RecordSink,
                           _ handle: (JSONElement) throws -> Void) throws {
        try forEachJSONValue(unwrapping: keys) { result in
            switch result {
            case .malformed(let line, let pointer, let reason, let excerpt):
                try sink.reject(line: line, pointer: pointer, reason: reason, text: excerpt)
            case .value(let element):
                do {
                    try handle(element)
                } catch let error as JSONElementError {
                    try sink.reject(line: element.line, pointer: element.pointer, reason: error.reason, text: element.text)
                }
            }
        }
    }
}
