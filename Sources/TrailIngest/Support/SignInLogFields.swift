import Foundation
import TrailModel

extension RecordKind {
    /// One managed identity sign-in (token issuance) as Entra ID logs it.
    static let managedIdentitySignIn = RecordKind("azure:entra:mi-signin")
}

/// The fields of a managed identity sign-in, from the three shapes Entra ID's logs come in.
/// Beware: in these logs `resourceId` / `resourceDisplayName` name the TARGET resource the token
/// is for (e.g. Windows Azure Service Management API), not the identity.
enum SignInLogFields {
    /// Log Analytics `AADManagedIdentitySignInLogs` columns (lower case) and the fields they fill, in field order.
    static let columns: [(column: String, field: String)] = [
        ("appid", "clientId"), ("serviceprincipalid", "principalId"), ("serviceprincipalname", "servicePrincipalName"),
        ("resourceidentity", "targetResource"), ("resourcedisplayname", "resourceDisplayName"),
        ("resourceserviceprincipalid", "resourceServicePrincipalId"), ("resulttype", "errorCode"),
        ("resultdescription", "failureReason"), ("resultsignature", "resultSignature"), ("tenantid", "tenantId"),
        ("uniquetokenidentifier", "uniqueTokenIdentifier"), ("ipaddress", "ipAddress"), ("correlationid", "correlationId"),
        ("id", "id"), ("durationms", "durationMs"), ("federatedcredentialid", "federatedCredentialId"),
        ("category", "category"), ("operationname", "operationName"), ("location", "location"),
    ]
    /// Columns that hold the event time, best first.
    static let timeColumns = ["timegenerated", "createddatetime"]

    /// Fields of a Log Analytics row (JSON export or CSV), keyed by lower-case column name.
    static func fields(ofRow row: [String: Any]) -> RecordFields {
        var fields = RecordFields()
        for (column, field) in columns {
            guard let value = row[column].flatMap(JSONValues.fieldValue), value != .string(""), value != .null else { continue }
            fields.set(field, (field == "errorCode" || field == "durationMs") ? integerIfNumeric(value) : value)
        }
        if let identity = row["managedserviceidentity"] {
            addManagedIdentity(identity as? [String: Any] ?? (identity as? String).flatMap(JSONBody.parse) as? [String: Any], to: &fields)
        }
        addResult(to: &fields)
        return fields
    }

    /// Fields of a sign-in object: a diagnostic-settings record's `properties`, or a Graph `signIn`.
    static func fields(ofSignIn properties: [String: Any], record: [String: Any]? = nil) -> RecordFields {
        var fields = RecordFields()
        fields.set("clientId", properties["appId"] as? String)
        fields.set("principalId", properties["servicePrincipalId"] as? String)
        fields.set("servicePrincipalName", properties["servicePrincipalName"] as? String)
        addManagedIdentity(properties["managedServiceIdentity"] as? [String: Any], to: &fields)
        fields.set("targetResource", nonEmpty(properties["resourceId"] as? String))
        fields.set("resourceDisplayName", nonEmpty(properties["resourceDisplayName"] as? String))
        if let code = JSONValues.value(properties, "status", "errorCode").flatMap(JSONValues.fieldValue) { fields.set("errorCode", integerIfNumeric(code)) }
        // Graph says "Other." as the failure reason of a success: kept only for failures.
        if fields["errorCode"] != .integer(0) {
            fields.set("failureReason", nonEmpty(JSONValues.value(properties, "status", "failureReason") as? String)
                       ?? nonEmpty(record?["resultDescription"] as? String))
        }
        fields.set("additionalDetails", JSONValues.value(properties, "status", "additionalDetails") as? String)
        addResult(to: &fields)
        fields.set("tenantId", record?["tenantId"] as? String ?? properties["tenantId"] as? String ?? properties["homeTenantId"] as? String)
        fields.set("uniqueTokenIdentifier", properties["uniqueTokenIdentifier"] as? String)
        fields.set("ipAddress", nonEmpty(properties["ipAddress"] as? String))
        fields.set("correlationId", properties["correlationId"] as? String ?? record?["correlationId"] as? String)
        fields.set("id", properties["id"] as? String)
        if let duration = record?["durationMs"] as? NSNumber { fields.set("durationMs", .integer(duration.int64Value)) }
        return fields
    }

    /// `managedServiceIdentity` (Graph beta, newer logs): the identity type, and the associated
    /// resource, which is the identity itself only when it is a user-assigned identity's ID.
    static func addManagedIdentity(_ identity: [String: Any]?, to fields: inout RecordFields) {
        guard let identity else { return }
        fields.set("managedIdentityType", identity["msiType"] as? String)
        guard let associated = identity["associatedResourceId"] as? String, !associated.isEmpty else { return }
        let isIdentity = associated.lowercased().contains("/providers/microsoft.managedidentity/userassignedidentities/")
        fields.set(isIdentity ? "identityResourceId" : "associatedResourceId", associated)
    }

    /// `result`: success when the error code is 0, failure otherwise.
    static func addResult(to fields: inout RecordFields) {
        switch fields["errorCode"] {
        case .integer(let code)?: fields.set("result", code == 0 ? "success" : "failure")
        case .string(let code)?: fields.set("result", code == "0" || code.lowercased() == "success" ? "success" : "failure")
        default: break
        }
    }

    static func integerIfNumeric(_ value: FieldValue) -> FieldValue {
        if case .string(let text) = value, let number = Int64(text.trimmingCharacters(in: .whitespaces)) { return .integer(number) }
        return value
    }

    static func nonEmpty(_ text: String?) -> String? {
        text?.isEmpty == false ? text : nil
    }
}
