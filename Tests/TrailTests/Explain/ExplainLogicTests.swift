import Foundation
@testable import TrailExplain
import TrailModel
import XCTest

/// The parts of explain the fixture incidents exercise only through their output: fix commands, audiences,
/// grouping of unexplained failures, and folding propagation delays into the episode their grant ended.
final class ExplainLogicTests: XCTestCase {
    static let group = AccessEvaluatorTests.group
    static let storage = AccessEvaluatorTests.account
    static let nodes = group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-nodes"
    static let other = group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-other"
    static let account = AccountConfiguration(
        name: "batchfixture", resourceID: group + "/providers/Microsoft.Batch/batchAccounts/batchfixture", systemPrincipalID: nil,
        userAssignedIdentities: [], autoStorageAccountID: storage, autoStorageMode: "BatchAccountManagedIdentity", nodeIdentityReference: nil,
        poolAllocationMode: nil, keyVaultID: nil, observedAt: nil, evidence: EvidenceReference(source: "account.json", line: 1))

    // MARK: Fix commands

    func testIMDSFixKeepsTheRequestAndChangesOnlyWhatItMust() {
        let url = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://stfixture.blob.core.windows.net&client_id=b1"
        XCTAssertEqual(FixCommands.imdsRequest(url: url, resource: "https://storage.azure.com/"),
                       "curl -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/&client_id=b1\"")
        // Naming an identity replaces whichever identity parameter the request had.
        XCTAssertEqual(FixCommands.imdsRequest(url: url, identity: ("mi_res_id", Self.nodes)),
                       "curl -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://stfixture.blob.core.windows.net&mi_res_id=\(Self.nodes)\"")
        XCTAssertEqual(FixCommands.imdsRequest(url: url), "curl -H Metadata:true \"\(url)\"")
        XCTAssertEqual(FixCommands.imdsRequest(url: nil, resource: "https://vault.azure.net"),
                       "curl -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net\"")
    }

    /// `az batch account set` cannot set the node identity reference: the fix is the Batch Account - Update PATCH, with a JSON body.
    func testNodeIdentityReferenceFixIsAnAccountPatch() throws {
        let fix = FixCommands.setNodeIdentityReference(account: Self.account, identity: Self.nodes)
        XCTAssertTrue(fix.hasPrefix("az rest --method patch --url \"https://management.azure.com\(Self.account.resourceID!)?api-version=2024-07-01\" --body '"), fix)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(Self.quotedBody(fix).utf8)) as? [String: Any])
        let autoStorage = try XCTUnwrap((body["properties"] as? [String: Any])?["autoStorage"] as? [String: Any])
        XCTAssertEqual(autoStorage["storageAccountId"] as? String, Self.storage)
        XCTAssertEqual(autoStorage["authenticationMode"] as? String, "BatchAccountManagedIdentity")
        XCTAssertEqual((autoStorage["nodeIdentityReference"] as? [String: Any])?["resourceId"] as? String, Self.nodes)
    }

    /// Adding an identity to a pool keeps the identities it has; the pool ID comes from the account when the pool JSON lacks it.
    func testPoolIdentityFixKeepsTheIdentitiesThePoolHas() throws {
        let pool = PoolConfiguration(name: "pool-fixture", account: "batchfixture", resourceID: nil,
                                     identities: [IdentityEntry(resourceID: Self.other, principalID: nil, clientID: nil)], applicationPackages: nil,
                                     observedAt: nil, evidence: EvidenceReference(source: "pool.json", line: 1))
        let fix = FixCommands.addPoolIdentity(pool: pool, account: Self.account, identity: Self.nodes)
        XCTAssertTrue(fix.contains("--url \"https://management.azure.com\(Self.account.resourceID!)/pools/pool-fixture?api-version=2024-07-01\""), fix)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(Self.quotedBody(fix).utf8)) as? [String: Any])
        let identities = try XCTUnwrap((body["identity"] as? [String: Any])?["userAssignedIdentities"] as? [String: Any])
        XCTAssertEqual(Set(identities.keys), [Self.other, Self.nodes])
        XCTAssertTrue(fix.contains("scale pool pool-fixture to 0 nodes and back"), fix)
    }

    static func quotedBody(_ command: String) -> String {
        let start = command.range(of: "--body '")!.upperBound
        return String(command[start...].prefix { $0 != "'" })
    }

    func testKeyVaultNameFromTheErrorMessage() {
        XCTAssertEqual(KeyvaultAccessMissingRule.vaultName(
            in: "The specified key vault https://kvfixture.vault.azure.net/ could not be found or the Batch service has no access to it."), "kvfixture")
        XCTAssertNil(KeyvaultAccessMissingRule.vaultName(in: "The specified key vault could not be found."))
        XCTAssertNil(KeyvaultAccessMissingRule.vaultName(in: nil))
    }

    // MARK: Audiences

    func testTokenAudienceOfServiceEndpoints() {
        XCTAssertEqual(tokenAudience(forServiceAt: "https://stfixture.blob.core.windows.net"), "https://storage.azure.com/")
        XCTAssertEqual(tokenAudience(forServiceAt: "https://stfixture.blob.core.windows.net/reports/daily.csv"), "https://storage.azure.com/")
        XCTAssertEqual(tokenAudience(forServiceAt: "https://stfixture.dfs.core.windows.net/fs"), "https://storage.azure.com/")
        XCTAssertEqual(tokenAudience(forServiceAt: "https://kvfixture.vault.azure.net/secrets/s"), "https://vault.azure.net")
        XCTAssertEqual(tokenAudience(forServiceAt: "https://management.azure.com/subscriptions"), "https://management.azure.com/")
        XCTAssertEqual(tokenAudience(forServiceAt: "https://batchfixture.westeurope.batch.azure.com/pools"), "https://batch.core.windows.net/")
        XCTAssertNil(tokenAudience(forServiceAt: "https://example.com/api"))
        XCTAssertNil(tokenAudience(forServiceAt: nil))
        XCTAssertTrue(sameResource("https://storage.azure.com/", "https://STORAGE.azure.com"))
        XCTAssertTrue(sameResource("https%3A%2F%2Fstorage.azure.com%2F", "https://storage.azure.com/"))
        XCTAssertFalse(sameResource("https://management.azure.com/", "https://storage.azure.com/"))
        XCTAssertFalse(sameResource(nil, nil))
    }

    // MARK: Grouping

    /// Missing evidence that differs only in the time it names does not split a group of unexplained failures.
    func testUnexplainedGroupingIgnoresTimesInMissingEvidence() {
        XCTAssertEqual(Explainer.withoutTimes("a role assignment list covering /subscriptions/x taken at or after 2026-03-04T10:11:03.698Z (az ...)"),
                       "a role assignment list covering /subscriptions/x taken at or after T (az ...)")
        XCTAssertEqual(Explainer.withoutTimes("between 2026-03-04T10:00:00Z and 2026-03-04T11:00:00+01:00"), "between T and T")
        XCTAssertEqual(Explainer.withoutTimes("no time here"), "no time here")
    }

    /// A failure inside the propagation window after the grant that resolved an episode of the same identity and
    /// scope joins that episode, flagged; one well after the window keeps its own episode.
    func testPropagationDelaysFoldIntoTheEpisodeTheirGrantResolved() throws {
        let grant = try XCTUnwrap(TimestampParser.parse("2026-03-04T10:00:00Z"))
        let identity = IdentityReference(resourceID: Self.nodes, principalID: "00000000-0000-0000-0000-0000000000a1")
        var granted = Diagnosis(code: .nodeIdentityLacksStorageRole, identity: identity, scope: Self.storage, finding: "", reason: "")
        granted.resolution = .grantingRoleAssignment
        var lacking = Episode(diagnosis: granted, failures: [Self.failure(1, "2026-03-04T09:00:00Z")])
        lacking.status = .resolved
        lacking.resolvedAt = grant
        let container = Self.storage + "/blobServices/default/containers/input"
        var delayed = Diagnosis(code: .rbacPropagationDelay, identity: identity, scope: container, finding: "", reason: "")
        delayed.resolution = .grantTookEffect
        let delay = Episode(diagnosis: delayed,
                            failures: [Self.failure(2, "2026-03-04T10:04:00Z"), Self.failure(3, "2026-03-04T10:06:00Z")])
        let folded = EpisodeBuilder.foldPropagationDelays([lacking, delay])
        XCTAssertEqual(folded.count, 1)
        XCTAssertEqual(folded.first?.sampledFailures.map(\.recordID), [1, 2, 3])
        XCTAssertEqual(folded.first?.failuresInPropagationWindow, 2)
        XCTAssertEqual(folded.first?.contributing, [.rbacPropagationDelay])

        let late = Episode(diagnosis: delay.diagnosis, failures: [Self.failure(4, "2026-03-04T11:30:00Z")])
        XCTAssertEqual(EpisodeBuilder.foldPropagationDelays([lacking, late]).map(\.code), [.nodeIdentityLacksStorageRole, .rbacPropagationDelay])
        var otherDelay = delayed
        otherDelay.identity = IdentityReference(principalID: "00000000-0000-0000-0000-0000000000a2")
        let otherIdentity = Episode(diagnosis: otherDelay,
                                    failures: [Self.failure(5, "2026-03-04T10:04:00Z")])
        XCTAssertEqual(EpisodeBuilder.foldPropagationDelays([lacking, otherIdentity]).count, 2)
    }

    // MARK: Role check cache

    /// A cached verdict is the one a fresh evaluation gives at the same time: same answer, same reasons, and the
    /// missing evidence naming the time asked about, whatever time filled the cache.
    func testCachedVerdictsEqualFreshOnes() throws {
        typealias A = AccessEvaluatorTests
        let rows = [
            A.snapshotRow(source: 1, at: "09:00", name: "c9", principal: "00000000-0000-0000-0000-0000000000a9", scope: A.group, createdOn: "08:00"),
            A.eventRow("write", at: "10:00", name: "c1", scope: A.account),
            A.eventRow("delete", at: "12:00", name: "c1", scope: A.account),
            A.snapshotRow(source: 2, at: "13:00", name: "c9", principal: "00000000-0000-0000-0000-0000000000a9", scope: A.group, createdOn: "08:00"),
        ]
        let history = RoleAssignmentHistory(rows: rows)
        let evaluator = AccessEvaluator(history: history, catalog: A.catalog)
        let cache = RoleCheckCache(history: history)
        let question = RoleCheckCache.Question(principal: A.principal, action: A.blobRead.name, isDataAction: true, scope: ARMScope(A.container).normalized)
        let times = ["08:30", "09:00", "09:30", "10:00", "10:30", "11:59", "12:00", "12:30", "13:00", "14:00", "08:45", "10:45", "12:45", "14:30"]
        for text in times {
            let time = try XCTUnwrap(TimestampParser.parse(A.t(text)))
            let fresh = evaluator.evaluate(principalIDs: [A.principal], action: A.blobRead, scope: ARMScope(A.container), at: time)
            let cached = cache.facts(question, at: time) { relevant in
                AccessEvaluator(history: relevant ?? history, catalog: evaluator.catalog)
                    .evaluate(principalIDs: [A.principal], action: A.blobRead, scope: ARMScope(A.container), at: time)
            }.verdict.restamped(at: time)
            XCTAssertEqual(cached.verdict, fresh.verdict, text)
            XCTAssertEqual(cached.considered.map { $0.reason }, fresh.considered.map { $0.reason }, text)
            XCTAssertEqual(cached.missingEvidence, fresh.missingEvidence, text)
            XCTAssertEqual(cached.at, fresh.at, text)
        }
    }

    static func failure(_ id: Int64, _ time: String) -> Failure {
        Failure(EvidenceRow(values: ["record_id": .integer(id), "time": .text(time), "kind": .text("azure:batch:task"),
                                     "source": .text("tasks.json"), "line": .integer(id)]))
    }
}
