import TrailIngest
import XCTest

/// Storage error bodies, SDK exception text and blob logs: the details worth pinning.
final class StorageFormatsTests: XCTestCase {
    func testErrorXMLElementsAndEntities() throws {
        let sink = try parse(#"<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidHeaderValue</Code><Message>The value for one of the HTTP headers is not in the correct format.&#xA;RequestId:r1&#xA;Time:2026-03-04T10:00:00.0000000Z</Message><HeaderName>x-ms-range</HeaderName><HeaderValue>bytes=1-&lt;2&gt; &amp; more</HeaderValue></Error>"#,
                             format: StorageErrorFormat())
        let fields = try XCTUnwrap(sink.records.first?.fields)
        XCTAssertEqual(fields.string("errorCode"), "InvalidHeaderValue")
        XCTAssertEqual(fields.string("errorMessage"), "The value for one of the HTTP headers is not in the correct format.")
        XCTAssertEqual(fields.string("requestId"), "r1")
        XCTAssertEqual(fields.string("headerName"), "x-ms-range")
        XCTAssertEqual(fields.string("headerValue"), "bytes=1-<2> & more")
        XCTAssertEqual(sink.records.first?.time?.iso8601, "2026-03-04T10:00:00.000Z")
    }

    func testXMLSniffDoesNotClaimOtherXML() {
        let other = #"<?xml version="1.0"?><EnumerationResults><Blobs/></EnumerationResults>"#
        XCTAssertFalse(StorageErrorFormat().sniff(SniffSample(bytes: Array(other.utf8), isComplete: true)))
    }

    func testSDKExceptionSniffLeavesIdentityExceptionsAlone() {
        let imds = """
            ManagedIdentityCredential authentication failed: Service request failed.
            Status: 400 (Bad Request)

            Content:
            {"error":"invalid_request","error_description":"Identity not found"}
            """
        XCTAssertFalse(StorageSDKExceptionFormat().sniff(SniffSample(bytes: Array(imds.utf8), isComplete: true)))
    }

    func testSDKExceptionDateHeaderGivesTheTime() throws {
        let sink = try parse("""
            Azure.RequestFailedException: Service request failed.
            Status: 403 (This request is not authorized to perform this operation.)
            ErrorCode: AuthorizationFailure

            Headers:
            x-ms-request-id: r2
            Date: Wed, 04 Mar 2026 10:06:52 GMT
            """, format: StorageSDKExceptionFormat())
        let record = try XCTUnwrap(sink.records.first)
        XCTAssertEqual(record.fields["status"], .integer(403))
        XCTAssertEqual(record.fields.string("errorCode"), "AuthorizationFailure")
        XCTAssertEqual(record.fields.string("requestId"), "r2")
        XCTAssertEqual(record.time?.iso8601, "2026-03-04T10:06:52.000Z")
        XCTAssertEqual(record.timeOrigin, .record)
    }

    func testPortalCSVTimeIsUTCWithTwelveHourClock() throws {
        let csv = """
            TimeGenerated [UTC],AccountName,OperationName,StatusCode,StatusText
            "3/4/2026, 12:05:03.123 AM",st,GetBlob,403,AuthorizationPermissionMismatch
            "3/4/2026, 12:05:03.123 PM",st,GetBlob,403,AuthorizationPermissionMismatch
            """
        let sink = try parse(csv, format: StorageBlobLogFormat())
        XCTAssertEqual(sink.records.map { $0.time?.iso8601 }, ["2026-03-04T00:05:03.123Z", "2026-03-04T12:05:03.123Z"])
        XCTAssertEqual(sink.records.first?.fields["status"], .integer(403))
    }

    func testBlobLogSniffLeavesActivityLogsAlone() {
        let activity = #"[{"OperationName": "Create role assignment", "ActivityStatus": "Succeeded", "Caller": "x"}]"#
        XCTAssertFalse(StorageBlobLogFormat().sniff(SniffSample(bytes: Array(activity.utf8), isComplete: true)))
    }
}
