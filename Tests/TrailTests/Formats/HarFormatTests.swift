import Foundation
@testable import TrailIngest
import TrailModel
import XCTest

/// The splitter's nested member paths, HAR redaction and the portal batch call's answers.
final class HarFormatTests: XCTestCase {
    func values(_ text: String, unwrapping keys: Set<String>) throws -> [(pointer: String?, text: String)] {
        var found: [(String?, String)] = []
        try ParseInput(bytes: Array(text.utf8)).forEachJSONValue(unwrapping: keys) { result in
            if case .value(let element) = result { found.append((element.pointer, element.text)) }
        }
        return found
    }

    func testSplitterStreamsANestedMemberPath() throws {
        let har = #"{"log": {"version": "1.2", "pages": [{"id": "p"}], "entries": [{"a": 1}, {"b": 2}], "after": true}}"#
        let found = try values(har, unwrapping: ["log/entries"])
        XCTAssertEqual(found.map(\.pointer), ["/log/entries/0", "/log/entries/1"])
        XCTAssertEqual(found.map(\.text), [#"{"a": 1}"#, #"{"b": 2}"#])
    }

    func testSplitterReturnsTheWholeObjectWhenThePathIsMissing() throws {
        let found = try values(#"{"log": {"version": "1.2", "entries": "none"}}"#, unwrapping: ["log/entries"])
        XCTAssertEqual(found.map(\.pointer), [nil])
        XCTAssertEqual(found.first?.text, #"{"log": {"version": "1.2", "entries": "none"}}"#)
    }

    func testSplitterStillUnwrapsSingleNames() throws {
        let found = try values(#"{"value": [{"x": 1}], "nextLink": null}"#, unwrapping: ["value", "log/entries"])
        XCTAssertEqual(found.map(\.pointer), ["/value/0"])
    }

    func testSniffNeedsLogFirst() {
        func sniff(_ text: String) -> Bool { HarFormat().sniff(SniffSample(bytes: Array(text.utf8), isComplete: true)) }
        XCTAssertTrue(sniff("\u{FEFF}{\n  \"log\" : {\"version\": \"1.2\"}}"))
        XCTAssertFalse(sniff(#"{"value": [{"log": {}}]}"#))
        XCTAssertFalse(sniff(#"{"logs": {}}"#))
    }

    func testRedactionRemovesHeaderCookieAndQueryValuesButKeepsNames() throws {
        let entry: [String: Any] = [
            "request": [
                "headers": [["name": "Authorization", "value": "Bearer opaque-secret-value-123"], ["name": "Accept", "value": "*/*"]],
                "cookies": [["name": "session", "value": "bar"]],
                "queryString": [["name": "sig", "value": "c2lnbmF0dXJl/abc="]],
            ] as [String: Any],
        ]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]), as: UTF8.self)
        let redacted = HarRedaction.redact(text, entry: entry)
        XCTAssertFalse(redacted.contains("opaque-secret-value-123"))
        XCTAssertFalse(redacted.contains("c2lnbmF0dXJl"))
        XCTAssertTrue(redacted.contains(#""name":"Authorization""#))
        XCTAssertTrue(redacted.contains(#""name":"session""#))
        XCTAssertTrue(redacted.contains(#"{"name":"Accept","value":"*/*"}"#))
        XCTAssertTrue(redacted.contains(#"{"name":"session","value":"REDACTED"}"#))
        // Any other "value" equal to a secret goes too: redaction errs on the safe side.
    }

    func testRedactionDropsABase64BodyThatHoldsAToken() throws {
        let body = Data(#"{"access_token":"opaque-access-token-value","token_type":"Bearer"}"#.utf8).base64EncodedString()
        let entry: [String: Any] = ["response": ["content": ["text": body, "encoding": "base64"]]]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: entry), as: UTF8.self)
        let redacted = HarRedaction.redact(text, entry: entry)
        XCTAssertFalse(redacted.contains(body))
        XCTAssertTrue(redacted.contains("REDACTED"))
    }

    func testBatchItemsMatchTheirRequestByNameThenByIndex() {
        let requests: [Any] = [["name": "a", "httpMethod": "PUT"], ["name": "b", "httpMethod": "GET"], ["httpMethod": "DELETE"]]
        XCTAssertEqual(ARMBatch.matchingRequest(for: ["name": "b"], at: 0, in: requests)?["httpMethod"] as? String, "GET")
        XCTAssertEqual(ARMBatch.matchingRequest(for: [:], at: 2, in: requests)?["httpMethod"] as? String, "DELETE")
        XCTAssertNil(ARMBatch.matchingRequest(for: [:], at: 3, in: requests))
    }

    func testBatchItemFieldsNameTheBatchAccount() {
        let url = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct/applications/app/versions/1.0?api-version=2024-07-01"
        let item: [String: Any] = ["httpStatusCode": 409, "content": ["error": ["code": "AutoStorageNoPermission", "message": "m", "target": "BatchAccount"]]]
        let fields = ARMBatch.fields(of: item, request: ["httpMethod": "PUT", "url": url])
        XCTAssertEqual(fields["status"], .integer(409))
        XCTAssertEqual(fields.string("errorCode"), "AutoStorageNoPermission")
        XCTAssertEqual(fields.string("errorTarget"), "BatchAccount")
        XCTAssertEqual(fields.string("account"), "acct")
        XCTAssertEqual(fields.string("targetResource"), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct/applications/app/versions/1.0")
    }
}
