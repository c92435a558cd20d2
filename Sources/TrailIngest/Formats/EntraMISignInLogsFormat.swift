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

    static let category = "ManagedIdentitySignInLogs"
    static let table = "AADManagedIdentitySignInLogs"
    static let wrappers: Set<String> = ["value", "records"]

    enum Shape { case diagnosticRecord([String: Any]), logAnalyticsRow, graphSignIn }

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue(unwrapping: Self.wrappers) as? [String: Any] else { return false }
        switch Self.shape(of: object) {
        case .diagnosticRecord?: return object["category"] as? String == Self.category
        case .logAnalyticsRow?: return Self.logAnalyticsTable(of: object) != false
        case .graphSignIn?:
            let eventTypes = object["signInEventTypes"] as? [String] ?? []
            return eventTypes.contains("managedIdentity") || object["managedServiceIdentity"] is [String: Any]
        case nil: return false
        }
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

    /// True for a row of the managed identity table, false for another table's, nil when the row does not say.
    static func logAnalyticsTable(of row: [String: Any]) -> Bool? {
        if let type = row["Type"] as? String { return type == table }
        if let category = row["Category"] as? String { return category == self.category }
        return nil
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try input.forEachJSONRecord(unwrapping: Self.wrappers, into: sink) { element in
            try sink.emit(Self.record(of: element))
        }
    }

    static func record(of element: JSONElement) throws -> EvidenceRecord {
        let value = try element.parse()
        guard let object = value as? [String: Any], let shape = shape(of: object) else {
            throw JSONElementError(reason: "not a managed identity sign-in: expected a diagnostic record with properties, a Log Analytics row (AppId, ServicePrincipalId, TimeGenerated) or a Graph signIn")
        }
        let fields: RecordFields
        let timeText: String?
        switch shape {
        case .diagnosticRecord(let properties):
            guard let category = object["category"] as? String, category == Self.category else {
                throw JSONElementError(reason: "category \(object["category"] ?? "") is not \(Self.category)")
            }
            fields = SignInLogFields.fields(ofSignIn: properties, record: object)
            timeText = object["time"] as? String ?? properties["createdDateTime"] as? String
        case .logAnalyticsRow:
            guard logAnalyticsTable(of: object) != false else {
                throw JSONElementError(reason: "a row of \(object["Type"] ?? object["Category"] ?? "another table"), not \(Self.table)")
            }
            fields = SignInLogFields.fields(ofRow: Dictionary(object.map { ($0.key.lowercased(), $0.value) }) { first, _ in first })
            timeText = object["TimeGenerated"] as? String ?? object["CreatedDateTime"] as? String
        case .graphSignIn:
            fields = SignInLogFields.fields(ofSignIn: object)
            timeText = object["createdDateTime"] as? String
        }
        let (time, origin) = timeText.flatMap(RecordTime.parse) ?? (nil, .none)
        return EvidenceRecord(kind: .managedIdentitySignIn, position: SourcePosition(line: element.line, pointer: element.pointer),
                              time: time, timeOrigin: origin, fields: fields, raw: element.text)
    }
}
