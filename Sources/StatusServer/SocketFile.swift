import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The unix socket file's life around the server: checks before binding (stale file, live
/// server, foreign file), and its mode and group after binding.
enum SocketFile {
    /// What sits at the socket path before the server binds.
    enum Occupant: Equatable {
        case nothing
        /// A socket file nobody accepts on (left by a crash).
        case staleSocket
        /// A socket file a live process accepts on.
        case liveSocket
        /// A regular file, directory, link or anything else that is not a socket.
        case other
    }

    /// `sizeof(sockaddr_un.sun_path) - 1`: the longest path a unix socket can bind.
    static var maxPathBytes: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    /// Makes `path` ready for a bind: creates its parent directory (mode 0755), removes a stale
    /// socket, and refuses a live socket or a non-socket file.
    /// - Throws: `StatusServerError.alreadyServing`, `.notASocket`, `.pathTooLong`, `.system`.
    static func prepare(path: String) throws {
        guard path.utf8.count <= maxPathBytes else {
            throw StatusServerError.pathTooLong(path: path, maxBytes: maxPathBytes)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            } catch {
                throw StatusServerError.system(operation: "create directory", path: parent, errno: errnoOf(error))
            }
        }
        switch try occupant(of: path) {
        case .nothing:
            return
        case .liveSocket:
            throw StatusServerError.alreadyServing(path: path)
        case .other:
            throw StatusServerError.notASocket(path: path)
        case .staleSocket:
            if unlink(path) != 0 && errno != ENOENT {
                throw StatusServerError.system(operation: "remove stale socket", path: path, errno: errno)
            }
        }
    }

    /// Classifies what is at `path`, connecting to it when it is a socket.
    static func occupant(of path: String) throws -> Occupant {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT { return .nothing }
            throw StatusServerError.system(operation: "stat", path: path, errno: errno)
        }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else { return .other }
        switch probe(path: path) {
        case 0, EAGAIN, EINPROGRESS:
            return .liveSocket
        case ECONNREFUSED:
            return .staleSocket
        case ENOENT:
            return .nothing
        case let code:
            throw StatusServerError.system(operation: "connect", path: path, errno: code)
        }
    }

    /// Tries a non-blocking connect to the socket at `path`; 0 on success, else the errno.
    static func probe(path: String) -> Int32 {
        #if canImport(Darwin)
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #endif
        guard fd >= 0 else { return errno }
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
        return rc == 0 ? 0 : errno
    }

    /// The group id of `name` (a group name, or a number taken as a gid).
    /// - Throws: `StatusServerError.unknownGroup` when the group database has no such group.
    static func groupID(named name: String) throws -> gid_t {
        var group = Glibc_group()
        var result: UnsafeMutablePointer<Glibc_group>?
        var size = 1024
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let rc = getgrnam_r(name, &group, &buffer, size, &result)
            if rc == ERANGE && size < 1 << 20 {
                size *= 4
                continue
            }
            if rc == 0, let found = result { return found.pointee.gr_gid }
            break
        }
        if let numeric = UInt32(name) { return gid_t(numeric) }
        throw StatusServerError.unknownGroup(name)
    }

    /// Sets the socket's mode to 0660 and, when `gid` is given, its group.
    /// - Throws: `StatusServerError.system` when chmod or chown fails (e.g. not permitted).
    static func secure(path: String, gid: gid_t?) throws {
        if chmod(path, 0o660) != 0 {
            throw StatusServerError.system(operation: "chmod 0660", path: path, errno: errno)
        }
        if let gid {
            if chown(path, uid_t.max, gid) != 0 {
                throw StatusServerError.system(operation: "chown to group \(gid)", path: path, errno: errno)
            }
        }
    }

    /// The device and inode of the file at `path`, to recognise our own socket at shutdown.
    static func identity(of path: String) -> FileIdentity? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Removes the socket at `path` when it is still the one we bound (same device and inode).
    static func remove(path: String, ifStill identity: FileIdentity?) {
        guard let identity, SocketFile.identity(of: path) == identity else { return }
        unlink(path)
    }

    /// `strerror` in the lower-case style of Go's error strings: `connection refused`.
    static func errorString(_ code: Int32) -> String {
        guard let s = strerror(code) else { return "errno \(code)" }
        let text = String(cString: s)
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    private static func errnoOf(_ error: Error) -> Int32 {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return ns.domain == NSPOSIXErrorDomain ? Int32(ns.code) : EIO
    }
}
