import Foundation
import TrailModel

/// Entra ID managed identity sign-in logs as JSON, in three shapes:
/// diagnostic-settings records (JSON lines or `{"records": [...]}`, `category` `ManagedIdentitySignInLogs`,
/// the sign-in in `properties`), Log Analytics `AADManagedIdentitySignInLogs` rows exported as a JSON
/// array (`az monitor log-analytics query`), and Microsoft Graph `signIn` objects (`{"value": [...]}`).
public struct EntraMISignInLogsFormat: EvidenceFormat {
    public let id = "entra-mi-signin-logs"
    public let title = "Entra ID managed identity sign-in logs (diagnostic settings JSON, Log Analytics JSON)"
    public let example = "az monitor log-analytics query -w WORKSPACE --analytics-query 'AADManagedIdentitySignInLogs | where TimeGenerated > ago(1d)' > mi-signins.json"

    static let category = SignInTable.managedIdentity.category
    static let table = SignInTable.managedIdentity.table
    static let wrappers: Set<String> = ["value", "records"]

    enum Shape { case diagnosticRecord([String: Any]), logAnalyticsRow, graphSignIn }

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        Self.sniff(sample, table: .managedIdentity)
    }

    /// True when the first sign-in of the sample is of `table`'s log.
    static func sniff(_ sample: SniffSample, table: SignInTable) -> Bool {
        guard let object = sample.firstJSONValue(unwrapping: wrappers) as? [String: Any] else { return false }
        return (try? check(object, table: table)) != nil
    }

    /// The object's shape, when it is a sign-in of `table`'s log; throws the reason it is not.
    static func check(_ object: [String: Any], table: SignInTable) throws -> Shape {
        guard let shape = shape(of: object) else {
            throw JSONElementError(reason: "not a \(table.what): expected a diagnostic record with properties, a Log Analytics row (AppId, ServicePrincipalId, TimeGenerated) or a Graph signIn")
        }
        switch shape {
        case .diagnosticRecord:
            guard let category = object["category"] as? String, category == table.category else {
                throw JSONElementError(reason: "category \(object["category"] ?? "") is not \(table.category)")
            }
        case .logAnalyticsRow:
            guard logAnalyticsTable(of: object, table: table) != false else {
                throw JSONElementError(reason: "a row of \(object["Type"] ?? object["Category"] ?? "another table"), not \(table.table)")
            }
        case .graphSignIn:
            let eventTypes = object["signInEventTypes"] as? [String] ?? []
            let isManagedIdentity = eventTypes.contains("managedIdentity") || object["managedServiceIdentity"] is [String: Any]
            let matches = table.graphEventType == "managedIdentity" ? isManagedIdentity : eventTypes.contains(table.graphEventType) && !isManagedIdentity
            guard matches else {
                throw JSONElementError(reason: "a Graph signIn whose signInEventTypes (\(eventTypes.joined(separator: ", "))) do not include \(table.graphEventType)")
            }
        }
        return shape
    }

    /// Which shape an object has, if any.
    static func shape(of object: [String: Any]) -> Shape? {
        if object["category"] is String, let properties = object["properties"] as? [String: Any] { return .diagnosticRecord(properties) }
        if object["AppId"] != nil && object["ServicePrincipalId"] != nil && (object["TimeGenerated"] != nil || object["CreatedDateTime"] != nil) {
            return .logAnalyticsRow
        }
        if object["appId"] is String && object["servicePrincipalId"] is String && object["createdDateTime"] is String { return .graphSignIn }
        return nil
    }

    /// True for a row of `table`, false for another table's, nil when the row does not say.
    static func logAnalyticsTable(of row: [String: Any], table: SignInTable = .managedIdentity) -> Bool? {
        if let type = row["Type"] as? String { return type == table.table }
        if let category = row["Category"] as? String { return category == table.category }
        return nil
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try Self.parse(input, into: sink, table: .managedIdentity)
    }

    static func parse(_ input: ParseInput, into sink: RecordSink, table: SignInTable) throws {
        try input.forEachJSONRecord(unwrapping: wrappers, into: sink) { element in
            try sink.emit(record(of: element, table: table))
        }
    }

    static func record(of element: JSONElement, table: SignInTable) throws -> EvidenceRecord {
        let value = try element.parse()
        guard let object = value as? [String: Any] else {
            throw JSONElementError(reason: "not a \(table.what): expected an object, found \(JSONValues.typeName(value))")
        }
        let fields: RecordFields
        let timeText: String?
        switch try check(object, table: table) {
        case .diagnosticRecord(let properties):
            fields = SignInLogFields.fields(ofSignIn: properties, record: object)
            timeText = object["time"] as? String ?? properties["createdDateTime"] as? String
        case .logAnalyticsRow:
            fields = SignInLogFields.fields(ofRow: Dictionary(object.map { ($0.key.lowercased(), $0.value) }) { first, _ in first })
            timeText = object["TimeGenerated"] as? String ?? object["CreatedDateTime"] as? String
        case .graphSignIn:
            fields = SignInLogFields.fields(ofSignIn: object)
            timeText = object["createdDateTime"] as? String
        }
        let (time, origin) = timeText.flatMap(RecordTime.parse) ?? (nil, .none)
        return EvidenceRecord(kind: table.kind, position: SourcePosition(line: element.line, pointer: element.pointer),
                              time: time, timeOrigin: origin, fields: fields, raw: element.text)
    }
}
