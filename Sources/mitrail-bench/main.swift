// In-process measurements that a whole-process timer cannot make: the latency of one `access`
// verdict once the store is loaded. Used by bench/run; not part of the tests.
//
// Usage: mitrail-bench access DB LOOKUPS
import Foundation
import TrailExplain
import TrailModel
import TrailStore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count == 4, arguments[1] == "access", let lookups = Int(arguments[3]) else {
    fail("usage: mitrail-bench access DB LOOKUPS")
}
do {
    let store = try EvidenceStore(path: arguments[2], mode: .readOnly)
    let loadStart = Date()
    let history = try RoleAssignmentHistory(store: store)
    let evaluator = AccessEvaluator(history: history, catalog: try RoleCatalog(store: store))
    let loadSeconds = Date().timeIntervalSince(loadStart)
    let principals = Array(Set(history.assignments.compactMap(\.principalID))).sorted()
    let scopes = Array(Set(history.assignments.compactMap { $0.scope?.original })).sorted()
    guard !principals.isEmpty, !scopes.isEmpty else { fail("the store has no role assignments") }
    let action = RequiredAction("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", isDataAction: true)
    var generator = SystemRandomNumberGenerator()
    var samples: [Double] = []
    samples.reserveCapacity(lookups)
    let base = TimestampParser.parse("2026-03-04T10:00:00Z")!
    for _ in 0..<lookups {
        let principal = principals.randomElement(using: &generator)!
        let scope = ARMScope(scopes.randomElement(using: &generator)! + "/blobServices/default/containers/input")
        let time = base.adding(milliseconds: Int64.random(in: 0..<86_400_000, using: &generator))
        let start = DispatchTime.now().uptimeNanoseconds
        _ = evaluator.evaluate(principalIDs: [principal], action: action, scope: scope, at: time)
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    samples.sort()
    let median = samples[samples.count / 2], p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
    print(String(format: "assignments %d lookups %d load_s %.3f median_ms %.4f p99_ms %.4f", history.assignments.count, lookups, loadSeconds, median, p99))
} catch {
    fail("mitrail-bench: \(error)")
}
