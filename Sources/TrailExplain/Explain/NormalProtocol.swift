import Foundation
import TrailModel

/// Records that show a failure by their status but are the normal working of the protocol, not a permission
/// failure: they stay in the store and the time line, and explain neither reports them nor exits 1 for them.
///
/// - A bearer challenge answered: a 401 (the service's `WWW-Authenticate: Bearer` challenge to a request with no
///   token, or with one it refused) followed within `challengeWindow` by the same request succeeding: the same
///   client request ID (which an SDK keeps across its retry), else the same method and URL.
/// - Not found: a Storage 404 (`BlobNotFound`, `ContainerNotFound`, ...), and a task or node failing with
///   `BlobNotFound`: the blob is not there, which no role changes.
enum NormalProtocol {
    /// How soon the retry that answers a challenge comes: a client asks for a token and retries at once.
    static let challengeWindow: Int64 = 2 * 60 * 1000
    static let storageNotFoundCodes: Set<String> = [
        "blobnotfound", "containernotfound", "resourcenotfound", "pathnotfound", "filesystemnotfound", "sharenotfound",
        "queuenotfound", "tablenotfound",
    ]

    static func isNotAPermissionFailure(_ failure: Failure, successes: SuccessfulOperations) -> Bool {
        isNotFound(failure) || isAnsweredChallenge(failure, successes: successes)
    }

    static func isNotFound(_ failure: Failure) -> Bool {
        let code = failure.code?.lowercased()
        if code == "blobnotfound" { return true }
        guard failure.status == 404 else { return false }
        let storage = failure.kind.hasPrefix("azure:storage:")
            || [failure.url, failure.targetResource].contains { ($0 ?? "").contains(".blob.core.") || ($0 ?? "").contains(".dfs.core.") }
        return storage && (code == nil || storageNotFoundCodes.contains(code!) || code == "http 404")
    }

    static func isAnsweredChallenge(_ failure: Failure, successes: SuccessfulOperations) -> Bool {
        guard failure.status == 401, let time = failure.time, failure.url != nil || failure.clientRequestID != nil else { return false }
        // A capture that dates exchanges by the second (a recording's Date header) gives the retry the failure's time.
        return successes.first(after: time.adding(milliseconds: -1), until: time.adding(milliseconds: challengeWindow)) { success in
            if let id = failure.clientRequestID, let other = success.clientRequestID { return id == other }
            guard let url = failure.url, let other = success.url, withoutQuery(url) == withoutQuery(other) else { return false }
            return failure.method == nil || success.method == nil || failure.method?.uppercased() == success.method?.uppercased()
        } != nil
    }

    static func withoutQuery(_ url: String) -> Substring {
        url[..<(url.firstIndex(of: "?") ?? url.endIndex)]
    }
}
