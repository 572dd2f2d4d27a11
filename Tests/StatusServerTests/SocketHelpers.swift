import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain unix sockets for the tests: a raw HTTP exchange, a stale socket file, a live listener.
enum RawHTTP {
    struct Failure: Error { var what: String }

    static func connected(to path: String) throws -> Int32 {
        #if canImport(Darwin)
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw Failure(what: "socket") }
        var addr = unixAddress(path)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw Failure(what: "connect: errno \(errno)")
        }
        return fd
    }

    /// Sends `method path` with `Connection: close` and returns the whole response text.
    static func exchange(_ method: String, _ path: String, socket: String) throws -> String {
        let fd = try connected(to: socket)
        defer { close(fd) }
        let request = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        _ = request.withCString { write(fd, $0, strlen($0)) }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// The value of header `name` in the answer to `GET path`.
    static func header(_ name: String, get path: String, socket: String) throws -> String? {
        let response = try exchange("GET", path, socket: socket)
        let head = response.components(separatedBy: "\r\n\r\n").first ?? ""
        for line in head.components(separatedBy: "\r\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 && parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func unixAddress(_ path: String) -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in bytes.enumerated() where i < buf.count - 1 { buf[i] = b }
        }
        return addr
    }

    /// Binds a socket at `path`; `listening` keeps it accepting (a live peer), else it is closed
    /// at once, leaving a stale socket file as a crashed process does. Returns the open fd or -1.
    @discardableResult
    static func bindSocket(at path: String, listening: Bool) throws -> Int32 {
        #if canImport(Darwin)
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        var addr = unixAddress(path)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw Failure(what: "bind: errno \(errno)")
        }
        if listening {
            guard listen(fd, 8) == 0 else {
                close(fd)
                throw Failure(what: "listen")
            }
            return fd
        }
        close(fd)
        return -1
    }

    /// Mode bits, owning group and whether `path` is a socket.
    static func fileInfo(_ path: String) -> (mode: UInt32, gid: UInt32, isSocket: Bool)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return (UInt32(st.st_mode) & 0o7777, UInt32(st.st_gid), (st.st_mode & S_IFMT) == S_IFSOCK)
    }

    static func groupID(_ name: String) -> UInt32? {
        guard let g = getgrnam(name) else { return nil }
        return UInt32(g.pointee.gr_gid)
    }
}
