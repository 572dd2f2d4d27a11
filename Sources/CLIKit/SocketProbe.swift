#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks a unix socket path before an HTTP request, to name precisely why it cannot be reached.
enum SocketProbe {
    /// nil when a connection to `path` succeeds, else the reason in Go's error wording
    /// (`no such file or directory`, `connection refused`, `permission denied`, `not a socket`).
    static func unreachableReason(_ path: String) -> String? {
        var st = stat()
        if stat(path, &st) != 0 { return errorString(errno) }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else { return "not a socket" }
        guard path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            return "socket path too long"
        }
        #if canImport(Darwin)
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #endif
        guard fd >= 0 else { return errorString(errno) }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in bytes.enumerated() where i < buf.count - 1 { buf[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if rc == 0 { return nil }
        let code = errno
        if code == EAGAIN || code == EINPROGRESS { return nil }  // backlog full: a live server
        return errorString(code)
    }

    static func errorString(_ code: Int32) -> String {
        guard let s = strerror(code) else { return "errno \(code)" }
        let text = String(cString: s)
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
