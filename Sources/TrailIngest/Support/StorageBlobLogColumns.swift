import Foundation

/// Where each field of a Storage blob log record is found: in the diagnostic-settings JSON record
/// (a path of member names) and in the Log Analytics `StorageBlobLogs` table (a column).
struct StorageBlobLogColumn {
    enum Value { case text, integer, number, json }

    let field: String
    let diagnosticPath: [String]
    let column: String
    let value: Value

    init(_ field: String, _ diagnosticPath: [String], _ column: String, _ value: Value = .text) {
        self.field = field
        self.diagnosticPath = diagnosticPath
        self.column = column
        self.value = value
    }

    static let all: [StorageBlobLogColumn] = [
        StorageBlobLogColumn("status", ["statusCode"], "StatusCode", .integer),
        StorageBlobLogColumn("statusText", ["statusText"], "StatusText"),
        StorageBlobLogColumn("operationName", ["operationName"], "OperationName"),
        StorageBlobLogColumn("category", ["category"], "Category"),
        StorageBlobLogColumn("authenticationType", ["identity", "type"], "AuthenticationType"),
        StorageBlobLogColumn("principalId", ["identity", "requester", "objectId"], "RequesterObjectId"),
        StorageBlobLogColumn("clientId", ["identity", "requester", "appId"], "RequesterAppId"),
        StorageBlobLogColumn("tenantId", ["identity", "requester", "tenantId"], "RequesterTenantId"),
        StorageBlobLogColumn("upn", ["identity", "requester", "upn"], "RequesterUpn"),
        StorageBlobLogColumn("audience", ["identity", "requester", "audience"], "RequesterAudience"),
        StorageBlobLogColumn("tokenIssuer", ["identity", "requester", "tokenIssuer"], "RequesterTokenIssuer"),
        StorageBlobLogColumn("authorizationDetails", ["identity", "authorization"], "AuthorizationDetails", .json),
        StorageBlobLogColumn("url", ["uri"], "Uri"),
        StorageBlobLogColumn("account", ["properties", "accountName"], "AccountName"),
        StorageBlobLogColumn("objectKey", ["properties", "objectKey"], "ObjectKey"),
        StorageBlobLogColumn("serviceType", ["properties", "serviceType"], "ServiceType"),
        StorageBlobLogColumn("targetResource", ["resourceId"], "_ResourceId"),
        StorageBlobLogColumn("correlationId", ["correlationId"], "CorrelationId"),
        StorageBlobLogColumn("clientRequestId", ["properties", "clientRequestId"], "ClientRequestId"),
        StorageBlobLogColumn("durationMs", ["durationMs"], "DurationMs", .number),
        StorageBlobLogColumn("serverLatencyMs", ["properties", "serverLatencyMs"], "ServerLatencyMs", .number),
        StorageBlobLogColumn("callerIpAddress", ["callerIpAddress"], "CallerIpAddress"),
        StorageBlobLogColumn("userAgent", ["properties", "userAgentHeader"], "UserAgentHeader"),
        StorageBlobLogColumn("operationVersion", ["operationVersion"], "OperationVersion"),
    ]

    /// The columns whose presence (with `OperationName` and `StatusText`) marks a Log Analytics export.
    static let accountColumns = ["AccountName", "ObjectKey"]
}
