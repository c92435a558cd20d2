import Foundation
import TrailModel

/// One line of an Azure identity client log, its head (time, level, logger) taken off.
///
/// Heads recognised, after an optional ISO 8601 timestamp (CI runners and Python's `asctime`):
/// Python `LEVEL:logger:message`, `LEVEL logger message` and `logger - LEVEL - message`;
/// JavaScript `azure:identity:info message`; Java `[thread] LEVEL logger - message`;
/// .NET event sources `[Informational] Azure-Identity: message` and bare Azure.Core
/// `Request [id] GET url` / `Response [id] 200 OK`; `az --debug` `cli.azure.cli.core...: message`;
/// Go azcore `[Authentication] message`. Any other line continues the one before it.
struct ClientLogLine {
    static let pythonLevels: Set<Substring> = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    static let javaLevels: Set<Substring> = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]
    static let dotnetLevels: Set<Substring> = ["LogAlways", "Critical", "Error", "Warning", "Informational", "Verbose"]
    static let javascriptLevels = ["info", "warning", "error", "verbose"]
    static let goEvents: Set<Substring> = ["Authentication", "Request", "Response", "Retry", "LongRunningOperation"]
    /// Loggers and sources only Azure clients use: a head with one of them makes a file a client log.
    static let clientLoggers = ["azure.", "azure:", "com.azure.", "com.microsoft.aad.msal4j", "msal.", "cli.azure.", "cli.knack", "Azure-", "Azure."]
    /// Microsoft.Extensions.Logging's console levels: `info: Azure.Identity[1]`.
    static let dotnetConsoleLevels: [Substring: String] = [
        "trce": "Trace", "dbug": "Debug", "info": "Information", "warn": "Warning", "fail": "Error", "crit": "Critical",
    ]

    var time: Timestamp?
    var hadZone = false
    var level: String?
    var logger: String?
    var thread: String?
    /// The exception class a line starts with (`...CredentialUnavailableError: message`).
    var exception: String?
    var message: Substring
    /// False for lines with no head of their own (continuations: headers, JSON, stack traces).
    var hasHead = false

    /// True when the head names an Azure client logger, or the line is Azure.Core's request/response line.
    var isClientHead: Bool {
        guard hasHead else { return false }
        if let logger { return Self.clientLoggers.contains(where: logger.hasPrefix) }
        return message.hasPrefix("Request [") || message.hasPrefix("Response [")
    }

    static func parse(_ text: String) -> ClientLogLine {
        var line = ClientLogLine(message: Substring(text))
        var rest = Substring(text)
        line.readTimestamp(&rest)
        line.message = rest
        if line.readPython(rest) || line.readJavaScript(rest) || line.readBracketed(rest) || line.readDotnetConsole(rest) || line.readLoggerColon(rest)
            || (line.time != nil && line.readDatedPython(rest)) {
            line.hasHead = true
        } else if rest.hasPrefix("Request [") || rest.hasPrefix("Response [") {
            line.hasHead = true
        }
        if !line.hasHead && line.time == nil { line.message = Substring(text) }
        return line
    }

    /// `2024-06-19T21:41:31.3050916Z `, `[2026-03-04 10:15:32,120] `, `2026-03-04 10:15:32,120 - `, and the US-style
    /// `03/04/2026 10:15:32 AM ` of Python's documented `datefmt` and of .NET's `DateTime.Now` (read as UTC).
    mutating func readTimestamp(_ rest: inout Substring) {
        let bracketed = rest.hasPrefix("[")
        let body = bracketed ? rest.dropFirst() : rest
        var utf8 = Array(body.utf8.prefix(40))
        let iso = utf8.withUnsafeMutableBufferPointer { TimestampParser.parsePrefix(UnsafeBufferPointer($0)) }
        let us = iso == nil ? LocalizedTime.prefix(of: body) : nil
        guard let found = iso.map({ ($0.timestamp, $0.length, $0.hadZone) }) ?? us.map({ ($0.time, $0.length, false) }) else { return }
        let parsed = (timestamp: found.0, length: found.1, hadZone: found.2)
        var after = Substring(String(decoding: body.utf8.dropFirst(parsed.length), as: UTF8.self))
        if bracketed {
            guard after.hasPrefix("]") else { return }
            after = after.dropFirst()
        }
        time = parsed.timestamp
        hadZone = parsed.hadZone
        rest = after.drop { $0 == " " || $0 == "\t" || $0 == "-" || $0 == "|" }
    }

    /// `INFO:azure.identity._credentials.environment:No environment configuration found.`
    mutating func readPython(_ rest: Substring) -> Bool {
        let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, Self.pythonLevels.contains(parts[0]), Self.isLoggerName(parts[1]) else { return false }
        (level, logger, message) = (String(parts[0]), String(parts[1]), parts[2])
        return true
    }

    /// `azure:identity:info ...`, `azure:core-rest-pipeline retryPolicy:info ...`.
    mutating func readJavaScript(_ rest: Substring) -> Bool {
        guard rest.hasPrefix("azure:") else { return false }
        for candidate in Self.javascriptLevels {
            guard let range = rest.range(of: ":" + candidate), range.upperBound == rest.endIndex || rest[range.upperBound] == " " else { continue }
            (level, logger) = (candidate, String(rest[..<range.lowerBound]))
            message = rest[range.upperBound...].dropFirst()
            return true
        }
        return false
    }

    /// Java `[main] ERROR com.azure.identity.X - message`, .NET `[Informational] Azure-Identity: message`,
    /// Go `[Authentication] message`.
    mutating func readBracketed(_ rest: Substring) -> Bool {
        guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]") else { return false }
        let inside = rest[rest.index(after: rest.startIndex)..<close]
        let after = rest[rest.index(after: close)...].drop { $0 == " " }
        // Java's level may be padded (logback `%-5level`): "INFO  com.azure.identity.X - message".
        let javaLevel = after.prefix { $0 != " " }
        let javaLogger = after.dropFirst(javaLevel.count).drop { $0 == " " }.prefix { $0 != " " }
        let javaRest = after.dropFirst(javaLevel.count).drop { $0 == " " }.dropFirst(javaLogger.count)
        if Self.javaLevels.contains(javaLevel), Self.isLoggerName(javaLogger), javaRest.hasPrefix(" - ") {
            (thread, level, logger, message) = (String(inside), String(javaLevel), String(javaLogger), javaRest.dropFirst(3))
            return true
        }
        if Self.dotnetLevels.contains(inside), let colon = after.range(of: ": ") {
            (level, logger, message) = (String(inside), String(after[..<colon.lowerBound]), after[colon.upperBound...])
            return true
        }
        if Self.goEvents.contains(inside) {
            (logger, message) = (String(inside), after)
            return true
        }
        return false
    }

    /// Microsoft.Extensions.Logging's console: `info: Azure.Identity[1]` (the message follows on indented lines).
    mutating func readDotnetConsole(_ rest: Substring) -> Bool {
        // Checked on every line: the four letters and ": " first, before anything walks the line.
        guard rest.utf8.count > 6, rest.dropFirst(4).hasPrefix(": "), let dotnetLevel = Self.dotnetConsoleLevels[rest.prefix(4)] else { return false }
        let category = rest.dropFirst(6).prefix { $0 != "[" }
        let afterCategory = rest.dropFirst(6 + category.count)
        guard Self.isLoggerName(category), afterCategory.hasPrefix("["), let close = afterCategory.firstIndex(of: "]"),
              afterCategory[afterCategory.index(after: afterCategory.startIndex)..<close].allSatisfy(\.isNumber) else { return false }
        (level, logger, message) = (dotnetLevel, String(category), afterCategory[afterCategory.index(after: close)...].drop { $0 == " " })
        return true
    }

    /// `az --debug`: `cli.azure.cli.core.sdk.policies: message`, `urllib3.connectionpool: message`,
    /// also after `DEBUG: ` (older versions) and az's own `ERROR: message`.
    mutating func readLoggerColon(_ rest: Substring) -> Bool {
        var rest = rest
        if let colon = rest.range(of: ": "), Self.pythonLevels.contains(rest[..<colon.lowerBound]) {
            level = String(rest[..<colon.lowerBound])
            rest = rest[colon.upperBound...]
            message = rest
        }
        guard let colon = rest.range(of: ": "), Self.isLoggerName(rest[..<colon.lowerBound]), rest[..<colon.lowerBound].contains(".") else {
            return level == "ERROR" || level == "WARNING"
        }
        let name = rest[..<colon.lowerBound]
        if let last = name.split(separator: ".").last, last.hasSuffix("Error") || last.hasSuffix("Exception") {
            // `azure.identity._exceptions.CredentialUnavailableError: ...` is an exception, not a logger.
            exception = String(name)
            return false
        }
        (logger, message) = (String(name), rest[colon.upperBound...])
        return true
    }

    /// After a timestamp: `INFO azure.identity.X message`, `[INFO] azure.identity.X message`, `azure.identity.X - INFO - message`.
    mutating func readDatedPython(_ rest: Substring) -> Bool {
        let dashed = rest.components(separatedBy: " - ")
        if dashed.count >= 3, Self.isLoggerName(Substring(dashed[0])), Self.pythonLevels.contains(Substring(dashed[1])) {
            (logger, level) = (dashed[0], dashed[1])
            message = rest.dropFirst(dashed[0].count + dashed[1].count + 6)
            return true
        }
        let words = rest.split(separator: " ", maxSplits: 2)
        let word = words.first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]:")) } ?? ""
        guard words.count >= 2, Self.pythonLevels.contains(Substring(word)), Self.isLoggerName(words[1]), words[1].contains(".") else { return false }
        (level, logger) = (word, String(words[1]))
        message = words.count > 2 ? words[2] : ""
        return true
    }

    /// A dotted name of letters, digits and `_` (`azure.identity._internal.decorators`).
    static func isLoggerName(_ text: Substring) -> Bool {
        !text.isEmpty && text.first?.isLetter == true && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    }
}
