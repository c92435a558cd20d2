import Foundation
@testable import mitrail
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP GETs to servers the tests started on 127.0.0.1.
enum LoopbackHTTP {
    struct Response {
        let status: Int
        let body: Data
    }

    /// Holds the answer of one request across the completion handler's thread.
    private final class Answer: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var response: Response?
    }

    /// GET `http://127.0.0.1:PORT/PATH`; nil when nothing answered within `timeout` seconds.
    static func get(port: Int, _ pathAndQuery: String, timeout: TimeInterval = 30) -> Response? {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)") else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let answer = Answer()
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let http = response as? HTTPURLResponse { answer.response = Response(status: http.statusCode, body: data ?? Data()) }
            answer.done.signal()
        }.resume()
        _ = answer.done.wait(timeout: .now() + timeout + 5)
        return answer.response
    }

    /// A port nothing listens on now (the system's choice), found as `mitrail browse` finds one.
    static func freePort() -> Int? {
        LoopbackPort.anyFree()
    }

    /// Percent-encodes a query string value (`+`, `&`, `=` and `:` included).
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
