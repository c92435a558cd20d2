import Foundation

/// What can go wrong reading evidence. Problems with single records are rejects, not errors.
public enum IngestError: LocalizedError, Equatable {
    case cannotRead(path: String, reason: String)
    case corruptCompressedData(path: String, reason: String)
    case unknownFormat(id: String, known: [String])
    case notRecognised(path: String, tried: [String])
    case invalidObservedAt(text: String)

    public var errorDescription: String? {
        switch self {
        case .cannotRead(let path, let reason):
            return "Cannot read \(path): \(reason)"
        case .corruptCompressedData(let path, let reason):
            return "\(path): \(reason)"
        case .unknownFormat(let id, let known):
            return "Unknown format '\(id)'. Known formats: \(known.joined(separator: ", ")). See `mitrail formats`."
        case .notRecognised(let path, let tried):
            return "\(path): no format recognises this content (tried \(tried.joined(separator: ", "))). "
                + "If you know what it is, pass --format ID; `mitrail formats` lists them."
        case .invalidObservedAt(let text):
            return "'\(text)' is not a time. Please give --observed-at as ISO 8601, e.g. 2026-03-04T10:15:00Z."
        }
    }
}
