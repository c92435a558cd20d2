import Foundation
import TrailIngest
import TrailModel

/// One exchange as mitrail's token-request record (DESIGN.md): the JSON line the recorder writes.
///
/// `{"time", "node", "pool", "method", "url", "requestHeaders", "status", "error", "errorDetail",
/// "responseHeaders", "responseBody", "durationMs"}`: a request the upstream did not answer has `status` 0 and
/// an `error` (`timeout`, `connection refused`, ...). The whole line goes through the ingest redactor before
/// it is written: an `access_token` becomes its claims and fingerprint, and so does any other secret the
/// redactor knows.
struct ExchangeRecord {
    var time: Timestamp
    var node: String?
    var pool: String?
    var method: String
    var url: String
    var requestHeaders: [(name: String, value: String)]
    var answer: Answer
    var durationMs: Double

    enum Answer {
        case response(status: Int, headers: [(name: String, value: String)], body: [UInt8])
        case none(error: String, detail: String?)
    }

    /// The longest response body kept in a record (redacted first, then cut, so no secret is cut in half).
    static let maximumRecordedBody = 64 << 10

    /// The record as one line of JSON, redacted, ending in a newline.
    func line() -> [UInt8] {
        var json = "{\"time\": "
        JSONText.appendQuoted(time.iso8601, to: &json)
        appendMember("node", node, to: &json)
        appendMember("pool", pool, to: &json)
        appendMember("method", method, to: &json)
        appendMember("url", url, to: &json)
        json += ", \"requestHeaders\": "
        Self.appendHeaders(requestHeaders, to: &json)
        switch answer {
        case .response(let status, let headers, let body):
            json += ", \"status\": \(status), \"responseHeaders\": "
            Self.appendHeaders(headers, to: &json)
            let (text, truncatedFrom) = Self.recordedBody(body)
            appendMember("responseBody", text, to: &json)
            if let truncatedFrom { json += ", \"responseBodyBytes\": \(truncatedFrom)" }
        case .none(let error, let detail):
            json += ", \"status\": 0"
            appendMember("error", error, to: &json)
            appendMember("errorDetail", detail, to: &json)
        }
        json += ", \"durationMs\": \(Self.rounded(durationMs))}"
        return Array(Redactor.redact(json).utf8) + [UInt8(ascii: "\n")]
    }

    private func appendMember(_ name: String, _ value: String?, to json: inout String) {
        guard let value else { return }
        json += ", \"" + name + "\": "
        JSONText.appendQuoted(value, to: &json)
    }

    /// Headers as a JSON object; a name that repeats (ignoring case) holds an array of its values.
    static func appendHeaders(_ headers: [(name: String, value: String)], to json: inout String) {
        var order: [String] = []
        var grouped: [String: (name: String, values: [String])] = [:]
        for header in headers {
            let key = header.name.lowercased()
            if grouped[key] == nil {
                order.append(key)
                grouped[key] = (header.name, [])
            }
            grouped[key]?.values.append(header.value)
        }
        json += "{"
        for (index, key) in order.enumerated() {
            guard let entry = grouped[key] else { continue }
            if index > 0 { json += ", " }
            JSONText.appendQuoted(entry.name, to: &json)
            json += ": "
            if entry.values.count == 1 {
                JSONText.appendQuoted(entry.values[0], to: &json)
            } else {
                json += "[" + entry.values.map(JSONText.quoted).joined(separator: ", ") + "]"
            }
        }
        json += "}"
    }

    /// The body as text (invalid UTF-8 becomes U+FFFD), redacted, and cut to `maximumRecordedBody` bytes with
    /// the whole body's size when it is longer.
    static func recordedBody(_ body: [UInt8]) -> (text: String, truncatedFrom: Int?) {
        let text = Redactor.redact(String(decoding: body, as: UTF8.self))
        guard text.utf8.count > maximumRecordedBody else { return (text, nil) }
        var cut = text.utf8.prefix(maximumRecordedBody)
        // Do not split a multi-byte character.
        while let last = cut.last, last & 0xC0 == 0x80 { cut = cut.dropLast() }
        if let last = cut.last, last >= 0xC0 { cut = cut.dropLast() }
        return (String(decoding: cut, as: UTF8.self), body.count)
    }

    /// Milliseconds to three decimals, without trailing zeros.
    static func rounded(_ milliseconds: Double) -> String {
        let value = (max(0, milliseconds) * 1000).rounded() / 1000
        return value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
