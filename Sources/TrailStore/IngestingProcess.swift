import Foundation
import GRDB

/// The process writing a source that is still `ingesting`: its id and host name.
struct IngestingProcess: Equatable {
    var pid: Int64?
    var host: String?

    static let current = IngestingProcess(pid: Int64(getpid()), host: hostName())

    /// The host's name as gethostname(2) gives it (no name lookup).
    static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True for a source this very process is writing.
    var isCurrent: Bool { self == Self.current }

    /// True when the process has ended, so that its unfinished source is abandoned: a source from before
    /// processes were recorded, or this process's own, or a process of this host that no longer runs.
    /// A process of another host cannot be asked, and counts as running.
    var isGone: Bool {
        guard let pid, let host else { return true }
        guard host == Self.current.host else { return false }
        if pid == Self.current.pid { return true }
        guard let id = pid_t(exactly: pid), id > 0 else { return true }
        return kill(id, 0) != 0 && errno == ESRCH
    }
}

extension EvidenceStore {
    /// The process, still running, that is ingesting this content from this path right now, if any.
    public func runningIngest(sha256: String, path: String) throws -> Int64? {
        try queue.read { db in
            try Row.fetchAll(db, sql: StoreStatements.unfinishedSources, arguments: [sha256, path])
                .map { IngestingProcess(pid: $0["ingest_pid"], host: $0["ingest_host"]) }
                .first { !$0.isGone }?.pid
        }
    }
}
