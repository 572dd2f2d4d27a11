#if canImport(Glibc)
    import Glibc
#endif

/// Unix groups, for the status socket's owner.
enum SocketGroup {
    /// Whether `name` (or a numeric gid) names a group on this system.
    static func exists(_ name: String) -> Bool {
        if UInt32(name) != nil { return true }
        return getgrnam(name) != nil
    }
}
