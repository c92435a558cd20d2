import Foundation
import TrailModel

extension RecordKind {
    public static let storageBlobLog = RecordKind("azure:storage:blob-log")
}

/// Azure Storage blob resource logs, one record per request:
/// - diagnostic-settings JSON records (category StorageRead / StorageWrite / StorageDelete; JSON lines as in
///   `PT1H.json`, an array, or `{"records": [...]}`), with `identity{type, requester{objectId, appId, ...},
///   authorization[...]}` and `properties{accountName, objectKey, ...}`;
/// - Log Analytics `StorageBlobLogs` exports, as JSON (`az monitor log-analytics query`) and as CSV
///   (the portal's "Export to CSV", whose time column is `TimeGenerated [UTC]`).
///
/// The record's time is `time` / `TimeGenerated`.
public struct StorageBlobLogFormat: EvidenceFormat {
    public let id = "azure-storage-blob-logs"
    public let title = "Azure Storage blob logs (diagnostic-settings StorageRead/Write/Delete records, StorageBlobLogs JSON and CSV)"
    public let example = "az monitor log-analytics query -w WORKSPACE --analytics-query 'StorageBlobLogs | where StatusCode >= 400' -o json"

    static let categories: Set<String> = ["storageread", "storagewrite", "storagedelete"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        if sample.looksLikeJSON {
            guard let object = sample.firstJSONValue(unwrapping: ["records", "value"]) as? [String: Any] else { return false }
            return Self.isDiagnosticRecord(object) || Self.isLogAnalyticsRow(Set(object.keys))
        }
        guard let header = sample.lines(1).first else { return false }
        return Self.isLogAnalyticsRow(Set(Self.columnNames(header.split(separator: ",").map(String.init))))
    }

    static func isDiagnosticRecord(_ object: [String: Any]) -> Bool {
        guard let category = object["category"] as? String, categories.contains(category.lowercased()) else { return false }
        return object["operationName"] is String && (object["statusCode"] != nil || object["statusText"] != nil)
    }

    static func isLogAnalyticsRow(_ columns: Set<String>) -> Bool {
        columns.contains("OperationName") && columns.contains("StatusText")
            && StorageBlobLogColumn.accountColumns.contains(where: columns.contains)
    }

    /// Column names as exports write them: quotes and a unit suffix (`TimeGenerated [UTC]`) removed.
    static func columnNames(_ header: [String]) -> [String] {
        header.map { name in
            var name = name.trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            if let bracket = name.range(of: " [") { name = String(name[..<bracket.lowerBound]) }
            return name
        }
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        if try input.peekFirstSignificantByte().map({ $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) ?? true {
            try parseJSON(input, into: sink)
        } else {
            try parseCSV(input, into: sink)
        }
    }

    func parseJSON(_ input: ParseInput, into sink: RecordSink) throws {
        try sink.readJSONValues(input, unwrapping: ["records", "value"]) { value, element in
            guard let object = value as? [String: Any] else {
                throw JSONElementError(reason: "expected a Storage log record object, found \(JSONValues.typeName(value))")
            }
            let diagnostic = Self.isDiagnosticRecord(object)
            guard diagnostic || Self.isLogAnalyticsRow(Set(object.keys)) else {
                throw JSONElementError(reason: "not a Storage blob log record: it needs category StorageRead/Write/Delete with operationName and statusCode, or StorageBlobLogs columns")
            }
            let lookup: (StorageBlobLogColumn) -> Any? = diagnostic
                ? { column in column.diagnosticPath.reduce(object as Any?) { ($0 as? [String: Any])?[$1] } }
                : { column in object[column.column] }
            let timeText = (diagnostic ? object["time"] : object["TimeGenerated"]) as? String
            try Self.emit(lookup, timeText: timeText, position: SourcePosition(line: element.line, pointer: element.pointer),
                          raw: element.text, into: sink)
        }
    }

    func parseCSV(_ input: ParseInput, into sink: RecordSink) throws {
        var header: [String]?
        try input.forEachCSVRow { result in
            switch result {
            case .malformed(let line, let reason, let excerpt):
                try sink.reject(line: line, reason: reason, text: excerpt)
            case .row(let row):
                guard let columns = header else {
                    header = Self.columnNames(row.fields)
                    if !Self.isLogAnalyticsRow(Set(header ?? [])) {
                        try sink.reject(line: row.line, reason: "not a StorageBlobLogs header: it needs OperationName, StatusText and AccountName or ObjectKey", text: row.text)
                    }
                    return
                }
                guard row.fields.count == columns.count else {
                    try sink.reject(line: row.line, reason: "the row has \(row.fields.count) fields, the header \(columns.count)", text: row.text)
                    return
                }
                let values = Dictionary(zip(columns, row.fields), uniquingKeysWith: { first, _ in first })
                try Self.emit({ values[$0.column] }, timeText: values["TimeGenerated"],
                              position: SourcePosition(line: row.line), raw: row.text, into: sink)
            }
        }
    }

    static func emit(_ lookup: (StorageBlobLogColumn) -> Any?, timeText: String?, position: SourcePosition,
                     raw: String, into sink: RecordSink) throws {
        var fields = RecordFields()
        for column in StorageBlobLogColumn.all {
            guard let value = lookup(column), !(value is NSNull) else { continue }
            if let text = value as? String, text.trimmedWhitespace().isEmpty { continue }
            guard let field = Self.fieldValue(value, as: column.value) else { continue }
            if column.value == .integer, case .string(let text) = field {
                // "Unknown" (an interrupted request) is not an HTTP status: kept under the payload's own name.
                fields.set(column.diagnosticPath.last ?? column.field, .string(text))
            } else {
                fields.set(column.field, field)
            }
        }
        if let key = fields.string("objectKey") {
            // "/account/container/blob": the container is the scope a data role is usually assigned at.
            let segments = key.split(separator: "/", maxSplits: 2)
            if segments.count >= 2 { fields.set("container", String(segments[1])) }
        }
        var (time, origin) = sink.context.snapshotTime
        if let (recordTime, recordOrigin) = RecordTime.parse(timeText) {
            (time, origin) = (recordTime, recordOrigin)
        } else if let portalTime = timeText.flatMap(Self.portalTime) {
            (time, origin) = (portalTime, .record)
        }
        try sink.emit(EvidenceRecord(kind: .storageBlobLog, position: position, time: time, timeOrigin: origin,
                                     fields: fields, raw: raw))
    }

    static func fieldValue(_ value: Any, as kind: StorageBlobLogColumn.Value) -> FieldValue? {
        let text = (value as? String)?.trimmedWhitespace()
        switch kind {
        case .text:
            return JSONValues.fieldValue(value)
        case .integer:
            if let text { return Int64(text).map(FieldValue.integer) ?? .string(text) }
            return JSONValues.fieldValue(value)
        case .number:
            guard let text else { return JSONValues.fieldValue(value) }
            guard let number = Double(text) else { return .string(text) }
            return Int64(exactly: number).map(FieldValue.integer) ?? .number(number)
        case .json:
            if let text, let parsed = try? FastJSON.jsonObject(with: Array(text.utf8), options: [.fragmentsAllowed]),
               let compact = AzurePayload.jsonText(parsed) {
                return .string(compact)
            }
            return text.map(FieldValue.string) ?? AzurePayload.jsonText(value).map(FieldValue.string)
        }
    }

    /// The portal's export time, in UTC: `12/12/2023, 12:12:19.135 PM`.
    static func portalTime(_ text: String) -> Timestamp? {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "/").compactMap { Int($0) }
        let clockAndHalf = parts[1].split(separator: " ")
        guard date.count == 3, clockAndHalf.count == 2 else { return nil }
        let clock = clockAndHalf[0].split(separator: ":", maxSplits: 2)
        guard clock.count == 3, var hour = Int(clock[0]), let minute = Int(clock[1]), hour <= 12 else { return nil }
        switch clockAndHalf[1].uppercased() {
        case "AM": if hour == 12 { hour = 0 }
        case "PM": if hour != 12 { hour += 12 }
        default: return nil
        }
        let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%@Z", date[2], date[0], date[1], hour, minute, String(clock[2]))
        return TimestampParser.parse(iso)
    }
}

extension ParseInput {
    /// The first byte that is not white space, without consuming anything; nil for empty input.
    func peekFirstSignificantByte() throws -> UInt8? {
        guard try fill() else { return nil }
        var offset = position
        while true {
            while offset < end {
                let byte = buffer[offset]
                if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 { return byte }
                offset += 1
            }
            // Only white space so far: read more behind it, while the buffer has room.
            let scanned = offset - position
            guard end < capacity, try compactAndRead() else { return nil }
            offset = position + scanned
        }
    }
}
