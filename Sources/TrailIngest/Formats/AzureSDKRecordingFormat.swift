import Foundation
import TrailModel

/// Azure SDK test-proxy session recordings (`{"Entries": [{"RequestUri", "RequestMethod",
/// "RequestHeaders", "RequestBody", "StatusCode", "ResponseHeaders", "ResponseBody"}], "Variables": {...}}`),
/// as the .NET, Python, JS and Java SDKs record live runs. One record per entry, kind by URL as for HAR.
public struct AzureSDKRecordingFormat: EvidenceFormat {
    public let id = "azure-sdk-recording"
    public let title = "Azure SDK session recordings (test-proxy JSON)"
    public let example = "an SDK live test run in record mode (SessionRecords/*.json, recordings/*.json)"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let entry = sample.firstJSONValue(unwrapping: ["Entries"]) as? [String: Any] else { return false }
        return entry["RequestUri"] is String && entry["RequestMethod"] is String && entry["StatusCode"] != nil
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try input.forEachJSONRecord(unwrapping: ["Entries"], into: sink) { element in
            try sink.emit(Self.record(of: element, snapshot: sink.context.snapshotTime))
        }
    }

    static func record(of element: JSONElement, snapshot: (Timestamp?, TimeOrigin)) throws -> EvidenceRecord {
        let value = try element.parse()
        guard let entry = value as? [String: Any], let url = entry["RequestUri"] as? String else {
            throw JSONElementError(reason: element.pointer == nil ? "a recording without an Entries list"
                                   : "not a recorded exchange: it has no RequestUri")
        }
        var exchange = HTTPExchange(method: entry["RequestMethod"] as? String, url: url)
        exchange.requestHeaders = (entry["RequestHeaders"] as? [String: Any]).map(HTTPHeaders.init(object:))
        exchange.status = (entry["StatusCode"] as? NSNumber)?.intValue
        exchange.responseHeaders = (entry["ResponseHeaders"] as? [String: Any]).map(HTTPHeaders.init(object:))
        exchange.responseBody = entry["ResponseBody"] is NSNull ? nil : entry["ResponseBody"]
        let (time, origin) = exchange.responseTime.map { ($0, TimeOrigin.record) } ?? snapshot
        return EvidenceRecord(kind: exchange.kind, position: SourcePosition(line: element.line, pointer: element.pointer),
                              time: time, timeOrigin: origin, fields: exchange.fields(), raw: element.text)
    }
}
