import Foundation
import TrailModel

extension RecordKind {
    public static let batchPool = RecordKind("azure:batch:pool")
}

/// Batch pools as ARM returns them (`GET .../batchAccounts/ACCOUNT/pools/NAME`: `identity` with a
/// map of user-assigned identities, `properties{vmSize, allocationState, applicationPackages,
/// startTask, ...}`) and as the Batch service returns them (`az batch pool show`: flat, `state`,
/// `allocationState`, `identity.userAssignedIdentities` as a list, `applicationPackageReferences`).
/// One record per pool, at the snapshot time: the identities a pool's nodes can use, and where
/// its packages and start task files come from.
public struct BatchPoolFormat: EvidenceFormat {
    public let id = "azure-batch-pool"
    public let title = "Batch pools (ARM pools GET, az batch pool show)"
    public let example = "az batch pool show --pool-id POOL -o json > pool.json"

    static let resourceType = "Microsoft.Batch/batchAccounts/pools"
    /// Members only compute nodes, tasks and jobs have: a pool never does.
    static let notPoolMembers = ["schedulingState", "nodeAgentInfo", "executionInfo", "poolInfo"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return Self.isPool(object)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try ARMDocuments.readSnapshots(input, into: sink, kind: .batchPool, fields: Self.fields(of:))
    }

    static func isPool(_ object: [String: Any]) -> Bool {
        if ARMValues.isType(object, resourceType) { return true }
        guard object["type"] == nil, object["id"] is String, object["allocationState"] is String,
              !notPoolMembers.contains(where: { object[$0] != nil }) else { return false }
        guard let url = object["url"] as? String else { return object["vmSize"] is String }
        return url.contains("/pools/") && !url.contains("/nodes/")
    }

    static func fields(of value: Any) throws -> RecordFields {
        let object = try ARMValues.requireObject(value, "a Batch pool")
        guard isPool(object) else {
            throw JSONElementError(reason: "not a Batch pool: neither type \(resourceType) nor a Batch service pool (id, allocationState)")
        }
        let isARM = ARMValues.isType(object, resourceType)
        let properties = isARM ? ARMValues.object(object, "properties") ?? [:] : object
        let identity = ARMValues.object(object, "identity")
        let resourceId = isARM ? object["id"] as? String : nil
        let url = object["url"] as? String
        var fields = RecordFields()
        fields.set("pool", isARM ? object["name"] as? String : object["id"] as? String)
        fields.set("poolResourceId", resourceId)
        fields.set("account", ARMValues.segment(after: "batchAccounts", in: resourceId) ?? url.flatMap(accountFromURL))
        fields.set("url", url)
        fields.set("identityType", ARMValues.string(identity, "type"))
        fields.set("userAssignedIdentities", ARMValues.userAssignedIdentities(identity))
        let packages = (properties["applicationPackages"] ?? properties["applicationPackageReferences"]) as? [Any]
        if let packages {
            let references = packages.compactMap { $0 as? [String: Any] }.map { package in
                [("id", ARMValues.string(package, "id") ?? ARMValues.string(package, "applicationId")), ("version", ARMValues.string(package, "version"))]
            }
            fields.set("applicationPackages", ARMValues.jsonText(references))
        }
        let resourceFiles = (ARMValues.object(properties, "startTask")?["resourceFiles"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let identities = resourceFiles.compactMap { ARMValues.string(ARMValues.object($0, "identityReference"), "resourceId") }
        if !resourceFiles.isEmpty {
            var seen: Set<String> = []
            fields.set("resourceFileIdentities", ARMValues.jsonText(identities.filter { seen.insert($0.lowercased()).inserted }))
        }
        for name in ["state", "allocationState", "vmSize", "provisioningState"] { fields.set(name, ARMValues.string(properties, name)) }
        return fields
    }

    /// `https://ACCOUNT.REGION.batch.azure.com/pools/ID` → `ACCOUNT`.
    static func accountFromURL(_ url: String) -> String? {
        guard let host = URLComponents(string: url)?.host, host.contains(".batch.") else { return nil }
        return host.split(separator: ".").first.map(String.init)
    }
}
