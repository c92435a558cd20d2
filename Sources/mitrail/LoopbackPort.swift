import Foundation

/// TCP ports on 127.0.0.1: whether one is free, and one the system picks.
enum LoopbackPort {
    static func isFree(_ port: Int) -> Bool {
        bound(to: port) != nil
    }

    /// A port nothing listens on now (the system's choice); a server started next can take it.
    static func anyFree() -> Int? {
        bound(to: 0)
    }

    /// Binds a socket to 127.0.0.1:`port` and closes it again; the port it got, or nil when binding failed.
    private static func bound(to port: Int) -> Int? {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // As servers do: a port whose last connection is still in TIME_WAIT counts as free.
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        return result ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
